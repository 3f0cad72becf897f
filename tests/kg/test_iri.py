"""IRI minting: normalised keys, readable IRIs (tests/kg/test_iri_form.py: what stays encoded), one law per 文号, project keys with duplicate codes."""

from __future__ import annotations

import pytest

from ingest.records import Citation, Project
from kg.iri import Minter, budget_unit, norm_key, project_keys

m = Minter()


@pytest.mark.parametrize("variant", ["武政规[2016]32号", "武政规〔2016〕32 号", "武政规【2016】32号", "武政规（2016）32号"])
def test_every_variant_of_a_doc_number_is_one_law(variant):
    assert m.law_number(variant) == m.law_number("武政规〔2016〕32号")


def test_a_title_with_its_doc_number_is_the_doc_number_law():
    c = Citation("title", "市人民政府关于印发武汉市医疗救助实施办法的通知", "《…》", doc_number="武政规〔2016〕32号")
    assert m.law(c) == m.law_number("武政规〔2016〕32号")
    assert m.law(Citation("title", "社会保险法", "《社会保险法》")) == m.law_title("《社会保险法》")


def test_iris_are_readable_and_every_spelling_resolves_to_them():
    iri = m.department("武汉市 东西湖区医疗保障局")
    assert str(iri) == "https://w3id.org/budgetkg/org/武汉市东西湖区医疗保障局"
    assert m.resolve("org/%E6%AD%A6%E6%B1%89%E5%B8%82%E4%B8%9C%E8%A5%BF%E6%B9%96%E5%8C%BA"
                     "%E5%8C%BB%E7%96%97%E4%BF%9D%E9%9A%9C%E5%B1%80") == iri
    assert iri == m.department("武汉市东西湖区医疗保障局")
    assert m.resolve("org/武汉市东西湖区医疗保障局") == iri
    assert m.resolve("https://w3id.org/budgetkg/org/武汉市东西湖区医疗保障局") == iri
    assert m.resolve(str(iri)) == iri


def test_base_is_configurable():
    assert str(Minter("http://example.org/kg").document("abc")) == "http://example.org/kg/doc/abc"


def test_names_are_normalised_for_keys():
    assert norm_key(" 保民生-医疗救助经费（医后救助）. ") == norm_key("保民生-医疗救助经费(医后救助)")


def test_project_keys_use_codes_only_where_unique():
    projects = [Project("城乡医疗救助", code="X100"), Project("医保服务中心工作经费", code="X106"),
                Project("医保业务科工作经费", code="X106"), Project("往来资金"),
                Project("在职人员体检费", code="X101"), Project("在职人员体检费", code="X109")]
    assert project_keys(projects) == ["X100", "医保服务中心工作经费", "医保业务科工作经费", "往来资金", "X101", "X109"]


def test_project_keys_stay_unique_when_names_and_codes_repeat():
    projects = [Project("体检费", code="A"), Project("体检费", code="A"), Project("体检费")]
    keys = project_keys(projects)
    assert len(set(keys)) == 3


def test_a_budgets_scope_is_read_off_the_iri_it_was_minted_with():
    m = Minter("http://example.org/")
    assert budget_unit(m.budget("武汉市江岸区医疗保障局", 2026, "budget")) == ""
    assert budget_unit(m.budget("武汉市江岸区医疗保障局", 2025, "final_account", "本级")) == "本级"
    # a name that spells the separator is encoded in its segment, never read as a unit
    assert budget_unit(m.budget("a/unit/b", 2026, "budget")) == ""
    assert budget_unit(m.budget("a/unit/b", None, "budget", "x/unit/y")) == "x%2Funit%2Fy"
    assert budget_unit(m.project("a", 2026, "unit")) == ""

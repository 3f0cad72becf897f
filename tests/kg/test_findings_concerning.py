"""Findings by what they concern and by rule family (issue 14, item 3: the app's findings page and badges):
``BudgetKG.findings(concerning=…, family=…)`` and ``finding_counts`` agree with the findings' own subjects and
families on the seed, every family has a Chinese name, and a compared value reads with its unit and place."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal as D

import pytest

from helpers import ROOT
from ingest.records import Rule
from kg import findings as kg_findings
from kg.api import BudgetKG
from kg.findings import FAMILY_ZH, FindingValue, family_of
from kg.types import QueryError

SEED = ROOT / "samples" / "000_dc10eef729309141.txt"
BUDGET = "https://w3id.org/budgetkg/budget/武汉市东西湖区医疗保障局/2023/budget"


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    with BudgetKG.open(tmp_path_factory.mktemp("concerning") / "store") as kg:
        [result] = kg.ingest([SEED])
        assert result.ok, result.message
        yield kg


@pytest.fixture(scope="module")
def every(kg):
    found = kg.findings()
    assert len(found) >= 8  # the seed's gold inconsistencies the table checks find, and the reader's notes
    return found


def test_findings_concerning_an_entity_are_those_naming_it_among_their_subjects(kg, every):
    subjects = Counter(s.iri for f in every for s in f.subjects)
    assert subjects[BUDGET] >= 8  # every failed check of the seed concerns its budget
    for iri in subjects:
        assert [f.iri for f in kg.findings(concerning=iri)] == [f.iri for f in every
                                                                 if iri in {s.iri for s in f.subjects}]
    assert kg.finding_counts(list(subjects)) == dict(subjects)


def test_an_entity_may_be_named_relative_to_the_base_and_unknown_ones_count_nothing(kg):
    relative = BUDGET.removeprefix(kg.base)
    assert kg.finding_counts([relative, "org/没有这个部门"]) == {relative: len(kg.findings(concerning=BUDGET)),
                                                             "org/没有这个部门": 0}
    assert kg.findings(concerning=relative) == kg.findings(concerning=BUDGET)


@pytest.mark.parametrize("hostile", ["https://x.org/a> } ; DROP ALL ; <b", 'https://x.org/"q" ?f ?p ?o', "a> } <b"])
def test_a_hostile_iri_enters_the_query_only_as_an_iri(kg, every, hostile):
    """What a URL supplies is minted into one (percent-encoded) IRI: it matches nothing and changes nothing."""
    assert kg.findings(concerning=hostile) == [] and kg.finding_counts([hostile]) == {hostile: 0}
    assert kg.findings() == every


def test_an_iri_that_cannot_be_written_is_refused(kg):
    with pytest.raises(QueryError) as err:
        kg.finding_counts(["http://[bad"])  # a host the parser refuses
    assert err.value.code == "query_input"


def test_every_finding_has_a_family_with_a_chinese_name_and_the_filter_keeps_exactly_it(kg, every):
    assert {f.family for f in every} >= {"table_arithmetic", "cross_table", "project"}
    for family in FAMILY_ZH:
        assert [f.iri for f in kg.findings(family=family)] == [f.iri for f in every if f.family == family]
    assert all(f.family in FAMILY_ZH and f.as_dict()["family"] == f.family for f in every)
    assert all("\u4e00" <= ch <= "\u9fff" for name in FAMILY_ZH.values() for ch in name)


def test_the_family_of_a_table_check_follows_what_it_compares():
    assert family_of("reconcile.level_sum") == family_of("reconcile.three_public_parts") == "table_arithmetic"
    assert family_of("reconcile.summary_line") == family_of("reconcile.line_across_tables") == "cross_table"
    assert family_of("reconcile.narrative_vs_table") == "narrative"
    assert family_of("projects.duplicate_code") == "project" and family_of("growth.share") == "growth"
    assert family_of("facts.phone_mismatch") == "document_facts"
    assert family_of("no.such_rule") == "reading"  # a rule an older budgetkg wrote
    assert family_of("reconcile.reading") == family_of("column_role_similarity_refused") == "reading"


def test_the_rule_catalogue_decides_a_family_when_it_holds_the_rule(monkeypatch):
    rule = Rule("reconcile.summary_line", "table_arithmetic", "warning", "{left}")
    monkeypatch.setattr(kg_findings, "catalogue", lambda: {rule.id: rule})
    assert family_of("reconcile.summary_line") == "table_arithmetic"
    assert family_of("growth.direction") == "reading"  # a rule it lacks (one an older budgetkg wrote)


def test_a_value_reads_with_its_unit_and_where_it_was_printed():
    money = FindingValue("项目支出", D("1152.46"), page=None, line=428, table="2023 年部门支出总表", row=12)
    share = FindingValue("占比", D("74.540"), unit="%")
    count = FindingValue("编制人数", D("7"), unit="人")
    assert (money.quantity, share.quantity, count.quantity) == ("1,152.46 万元", "74.54%", "7 人")
    assert FindingValue("文字").quantity == ""
    source = FindingValue("合计", D("3"), page=4, line=90, table="收支总表", row=2, snippet="合计 3",
                          bbox="10 20 110 32.5").source("d" * 16, "标题", "a.pdf")
    assert source.is_pdf and source.bbox == (10.0, 20.0, 110.0, 32.5)
    assert source.where == "第 4 页（收支总表，表内第 2 行）" and source.snippet == "合计 3"

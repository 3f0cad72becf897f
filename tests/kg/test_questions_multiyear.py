"""Plain-word questions over the multi-year fixtures (武汉市江夏区城市管理执法局 over three years and a 决算,
its 环境卫生管理站's 单位预算, and 武汉市江夏区园林和林业局): what the user sees — the filters (chips), the
words left, the answer card's amounts and the documents they come from."""

from __future__ import annotations

import shutil
from decimal import Decimal as D

import pytest

from kg.api import BudgetKG

DEPT = "武汉市江夏区城市管理执法局"
FILES = {"jiangxia_cgzf_2023_budget.txt": "2023 预算", "jiangxia_cgzf_2024_budget.txt": "2024 预算",
         "jiangxia_cgzf_2024_final.txt": "2024 决算", "jiangxia_cgzf_2025_budget.txt": "2025 预算",
         "jiangxia_hwz_2025_unit_budget.txt": "2025 环卫站单位预算", "jiangxia_yllj_2025_budget.txt": "2025 园林局预算"}


@pytest.fixture(scope="module")
def kg(multiyear_store_template, tmp_path_factory):
    path = shutil.copytree(multiyear_store_template, tmp_path_factory.mktemp("questions-multiyear") / "store")
    with BudgetKG.open(path) as kg:
        kg.doc_of = {d.doc_id: FILES[d.source_file.rsplit("/", 1)[-1]] for d in kg.documents()}
        yield kg


def seen(kg, q, **kw):
    """(filters, words left, card kind, [(document, amount)]) of a question."""
    asked = kg.ask(q, hits=False, **kw)
    card = asked.answer
    values = sorted((kg.doc_of[v.doc_id], v.amount) for v in card.values) if card else None
    return asked.filters.active(), asked.understood.text, card and card.kind, values


def test_an_amount_is_never_a_year(kg):
    f, text, kind, _ = seen(kg, "区城管执法局 2000万元的项目")
    assert f == {"department": DEPT} and text == "2000万元" and kind == "none"
    assert seen(kg, "区城管执法局 2000 万元的项目")[:2] == ({"department": DEPT}, "2000 万元")
    assert seen(kg, "2024年 2000万元以上的项目")[0] == {"year": 2024, "min_amount": D("2000")}
    assert seen(kg, "2024年 超过2000万元的项目")[0] == {"year": 2024, "min_amount": D("2000"), "min_exclusive": True}
    assert "year" not in seen(kg, "区城管执法局 2025亿")[0] and "year" not in seen(kg, "区城管执法局 2024.5万元")[0]


@pytest.mark.parametrize("q,left", [("武汉市城管局2024年三公经费是多少", "城管局 三公经费"),
                                    ("武汉市园林局项目支出", "园林局项目支出")])
def test_a_city_level_name_is_no_district_department(kg, q, left):
    f, text, kind, values = seen(kg, q)
    assert "department" not in f and text == left
    assert not values  # nothing of the district's bureaus is offered as the city bureau's figure


@pytest.mark.parametrize("q", ["江夏城管局2024年三公经费", "江夏区城管局2024年三公经费", "武汉江夏城管局2024年三公经费",
                               "武汉市江夏区城管执法局2024年三公经费"])
def test_leading_region_parts_may_be_left_out(kg, q):
    assert seen(kg, q)[0] == {"department": DEPT, "year": 2024}


def test_a_figure_word_keeps_its_phase(kg):
    assert seen(kg, "区城管执法局 2024年三公经费决算数是多少") == (
        {"department": DEPT, "year": 2024, "phase": "final_account"}, "三公经费", "figure", [("2024 决算", D("6.27"))])
    assert seen(kg, "区城管执法局 2024年三公经费预算数是多少") == (
        {"department": DEPT, "year": 2024, "phase": "budget"}, "三公经费", "figure", [("2024 预算", D("6.8"))])
    assert seen(kg, "区城管执法局 2024年三公经费预算是多少")[3] == [("2024 预算", D("6.8"))]
    # a phase word standing alone wins over one inside a figure word; 一般公共预算 is still no phase
    assert seen(kg, "区城管执法局 2024年决算 三公经费预算数")[0]["phase"] == "final_account"
    assert "phase" not in seen(kg, "区城管执法局 2024年 一般公共预算拨款 项目")[0]


def test_a_department_question_takes_the_department_budgets_totals(kg):
    f, text, kind, values = seen(kg, "江夏城管局三公经费")
    assert f == {"department": DEPT} and text == "三公经费" and kind == "figure"
    assert values == [("2023 预算", D("9.5")), ("2024 决算", D("6.27")), ("2024 预算", D("6.8")), ("2025 预算", D("6.2"))]
    assert seen(kg, "江夏城管局2025年三公经费")[3] == [("2025 预算", D("6.2"))]  # not the 环卫站's 0 beside it
    asked = kg.ask("江夏城管局2025年三公经费", hits=False)
    (v,) = asked.answer.values
    assert (v.kind, v.name, kg.doc_of[v.doc_id], v.line) == ("three_public", "三公经费合计", "2025 预算", 283)


def test_a_unit_question_takes_that_units_budget(kg):
    f, _, kind, values = seen(kg, "江夏区环境卫生管理站 2025年 三公经费")
    assert f == {"unit": "武汉市江夏区环境卫生管理站", "year": 2025}
    assert (kind, values) == ("figure", [("2025 环卫站单位预算", D("0"))])
    # a unit printed in the 部门预算 only (本级) has no budget of its own to total
    assert seen(kg, "江夏区城市管理执法局本级 2025年 三公经费")[2] == "none"


def _projects_of_85(values):
    return [(doc, amount) for doc, amount in values if amount == D("85")]


@pytest.mark.parametrize("q,strict", [("区城管执法局 超过85万元的项目", True), ("区城管执法局 高于85万元的项目", True),
                                      ("区城管执法局 85万元以上的项目", False), ("区城管执法局 不低于85万元的项目", False)])
def test_a_strict_lower_bound_leaves_out_the_amount_itself(kg, q, strict):
    f, text, kind, values = seen(kg, q)
    assert f == {"department": DEPT, "min_amount": D("85"), **({"min_exclusive": True} if strict else {})}
    assert text == "" and kind == "list" and all(amount >= 85 for _, amount in values)
    # 数字城管平台运维经费 of 2023 is exactly 85 万元
    assert _projects_of_85(values) == ([] if strict else [("2023 预算", D("85"))])


@pytest.mark.parametrize("q,strict", [("区城管执法局 低于85万元的项目", True), ("区城管执法局 不足85万元的项目", True),
                                      ("区城管执法局 85万元以下的项目", False), ("区城管执法局 不超过85万元的项目", False)])
def test_a_strict_upper_bound_leaves_out_the_amount_itself(kg, q, strict):
    f, _, kind, values = seen(kg, q)
    assert f == {"department": DEPT, "max_amount": D("85"), **({"max_exclusive": True} if strict else {})}
    assert kind == "list" and all(amount <= 85 for _, amount in values)
    assert _projects_of_85(values) == ([] if strict else [("2023 预算", D("85"))])


def test_a_form_bound_replaces_the_questions_strict_one(kg):
    asked = kg.ask("区城管执法局 超过85万元的项目", filters={"min_amount": "85"}, hits=False)
    assert asked.filters.active() == {"department": DEPT, "min_amount": "85"}  # inclusive: the form's 下限
    assert ("2023 预算", D("85")) in [(kg.doc_of[v.doc_id], v.amount) for v in asked.answer.values]
    dropped = kg.ask("区城管执法局 超过85万元的项目", drop=["min_amount"], hits=False)
    assert dropped.filters.active() == {"department": DEPT} and dropped.understood.text == "超过85万元"

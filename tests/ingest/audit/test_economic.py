"""The economic-class rule (ingest/audit/economic.py): a 款 amount the narrative states against the basic table's
line plus the project activities classed so, on seed 001 (its gold item) and on variants of it on either side
of the tolerance and of each completeness condition."""

import tempfile
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from helpers import SEEDS, document_path, extracted, gold

from ingest.pipeline import extract
from ingest.records import Extraction
from ingest.rules import catalogue, check_message

D = Decimal
STEM = SEEDS[1]
STATED = "2026年委托业务费52.27万元，主要用于：委托第三方协助开展医保基金专项检查等。"  # line 1466
GOLD_ITEM = "委托业务费 52.27万元, but the only 委托业务费 activities"


@cache
def edited(*changes: tuple[str, str]) -> Extraction:
    """Seed 001 with each ``old`` text (printed once) replaced by ``new``, the rest as published."""
    text = document_path(STEM).read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{STEM}.txt"
        path.write_text(text, encoding="utf-8")
        return extract(path)


def checks(ex: Extraction, rule: str = "economic.class_total"):
    return [c for c in ex.checks if c.rule == rule]


def stating(amount: str) -> Extraction:
    return edited((STATED, STATED.replace("52.27", amount)))


def test_rule_is_catalogued_with_its_family_template_and_tolerance():
    rule = catalogue()["economic.class_total"]
    assert (rule.family, rule.severity) == ("narrative", "warning")
    assert "{item}" in rule.template and "half a unit" in rule.tolerance


def test_gold_001_entrusted_business_52_27_vs_34_00_of_two_activities():
    """Gold 001 (``[numeric] 第三部分 十(二): 委托业务费 52.27万元 …``): the narrative's 52.27 against the basic
    table's missing 30227 line (0) + 表15-3's 17.00 (line 679) + 表15-14's 17 (line 1320) = 34.00."""
    assert any(GOLD_ITEM in item for item in gold(STEM)["inconsistencies"])
    ex = extracted(document_path(STEM))
    [check] = checks(ex)
    assert not check.passed
    assert (check.left.amount, check.left.provenance.line) == (D("52.27"), 1466)
    assert check.right.amount == D("34.00")
    basic, *activities = check.right.terms
    assert (basic.amount, basic.provenance.line) == (0, 216)  # the 一般公共预算基本支出表's title: no 30227 line
    assert "无 30227 委托业务费 行" in basic.label
    assert [(a.amount, a.provenance.line) for a in activities] == [(D("17.00"), 679), (D("17"), 1320)]
    assert check_message(check) == ("文字说明所述委托业务费 52.27 万元，与基本支出表和项目申报表所列委托业务费合计 "
                                    "34.00 万元（基本支出表 0.00 万元，2 项项目活动 34.00 万元）不一致（相差 18.27 万元）")


@pytest.mark.parametrize("amount, passed", [("34.51", True), ("34.52", False), ("33.48", False)])
def test_tolerance_is_half_a_unit_of_each_printed_digit(amount, passed):
    """52.27 (±0.005) against 0 + 17.00 (±0.005) + 17 (printed to the unit, ±0.5): within 0.51 of 34.00."""
    [check] = checks(stating(amount))
    assert check.tolerance == D("0.51")
    assert check.passed is passed


def test_a_basic_line_of_the_class_is_added_and_the_narrative_does_not_compare_it_alone():
    """With a 30227 委托业务费 line of 4.29 in the basic table (工会经费's, so the table still adds up), 38.29 is the
    class's total: it passes, and ``narrative.line_vs_table`` does not set it against the 4.29 alone."""
    ex = edited(("30228\t工会经费\t4.29", "30227\t委托业务费\t4.29"), (STATED, STATED.replace("52.27", "38.29")))
    [check] = checks(ex)
    assert check.passed and check.right.amount == D("38.29")
    assert [(t.amount, t.provenance.line) for t in check.right.terms[:1]] == [(D("4.29"), 243)]
    assert not [c for c in checks(ex, "narrative.line_vs_table") if "委托业务费" in c.left.label]


ACTIVITY_1320 = "医保稽核专项 经费\t医保稽核专项 经费\t委托业务费\t17\t"


@pytest.mark.parametrize("changes", [
    pytest.param(((ACTIVITY_1320, "医保稽核专项 经费\t医保稽核专项 经费\t\t17\t"),), id="an activity without its class"),
    pytest.param(((ACTIVITY_1320, "医保稽核专项 经费\t医保稽核专项 经费\t商品和服务支出\t17\t"),),
                 id="an activity classed by its 类 only"),
    pytest.param(((ACTIVITY_1320, "医保稽核专项 经费\t医保稽核专项 经费\t委托业务费\t15\t"),),
                 id="a form whose activities do not add up to its amount (15 vs 17, ±1)"),
    pytest.param(((STATED, "江岸区医疗保障服务中心：" + STATED),), id="a unit's class"),
    pytest.param(((STATED, "公用经费中，" + STATED),), id="the basic expenditure's class"),
])
def test_silent_unless_the_total_is_complete_and_of_the_statement(changes):
    assert not checks(edited(*changes))


def test_the_stated_scope_of_all_the_money_is_compared():
    """Seed 001's money is all 一般公共预算 (收支总表 = 财政拨款 = 2304.44): a 一般公共预算 class is the department's."""
    [check] = checks(edited((STATED, STATED.replace("2026年", "2026年一般公共预算"))))
    assert not check.passed and check.left.amount == D("52.27")

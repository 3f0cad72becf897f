"""A 收支总表 row with fewer cells than the header: is its one amount the income side's or the expenditure
side's?  The table's balances choose (Σ income lines = 本年收入合计, Σ expenditure lines = 本年支出合计,
收入总计 = 支出总计), in a text export and in its PDF, and a warning says so."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract_helpers import extract_lines, the_finding
from ingest.pipeline import extract

HEAD = [
    "某区文化和旅游局2025年部门预算",
    "部门收支总表",
    "单位：万元",
    "收入\t\t支出\t",
    "项目\t预算数\t项目\t预算数",
]
# two expenditure lines printed without the income side's blank cells: as printed they sit on the income side
BUDGET = HEAD + [
    "一、一般公共预算拨款收入\t1,860.00\t一、文化旅游体育与传媒支出\t1,420.00",
    "二、事业收入\t240.00\t二、社会保障和就业支出\t310.00",
    "三、卫生健康支出\t96.00",
    "四、住房保障支出\t274.00",
    "本年收入合计\t2,100.00\t本年支出合计\t2,100.00",
    "上年结转\t\t结转下年\t",
    "收入总计\t2,100.00\t支出总计\t2,100.00",
]
# the same print where the short row is the income side's own line (the expenditure side is shorter)
INCOME_LINE = HEAD + [
    "一、一般公共预算拨款收入\t1,860.00\t一、文化旅游体育与传媒支出\t1,730.00",
    "二、事业收入\t240.00\t二、社会保障和就业支出\t466.00",
    "三、其他收入\t96.00",
    "本年收入合计\t2,196.00\t本年支出合计\t2,196.00",
    "收入总计\t2,196.00\t支出总计\t2,196.00",
]
# a 决算 form with 行次 columns whose total labels are merged over their 行次 cell (printed once)
FINAL = [
    "某区文化和旅游局2024年度部门决算",
    "收入支出决算总表",
    "单位：万元",
    "收入\t\t\t支出\t\t",
    "项目\t行次\t金额\t项目\t行次\t金额",
    "一、一般公共预算财政拨款收入\t1\t1,860.00\t一、文化旅游体育与传媒支出\t32\t1,420.00",
    "二、事业收入\t2\t240.00\t二、社会保障和就业支出\t33\t680.00",
    "本年收入合计\t2,100.00\t本年支出合计\t2,100.00",
    "收入总计\t2,100.00\t支出总计\t2,100.00",
]


def _reading(ex):
    return the_finding(ex, "reconcile.reading")


def _summary(ex):
    return {t.key: t.amount for t in ex.totals}


def _assert_expenditure_side_chosen(ex, first_line):
    finding = _reading(ex)
    assert finding.severity == "warning"
    assert (f"按“短行分放两侧：第 {first_line} 行放入支出一侧，"
            f"第 {first_line + 1} 行放入支出一侧”读取") in finding.message
    assert "区分各读法的检查全部成立" in finding.message
    assert any("本年收入合计 2,100.00 万元，不等于其上各项之和 2,470.00 万元" in v for v in finding.values)  # as printed
    totals = _summary(ex)
    assert totals["income_total"] == Decimal("2100.00") and totals["expenditure_total"] == Decimal("2100.00")
    moved = [f for f in ex.findings if f.rule == "grid_short_row"]
    assert len(moved) == 2 and all(f.severity == "warning" for f in moved)
    assert not [c for c in ex.checks if not c.passed]


def test_the_balances_put_short_rows_on_the_expenditure_side(tmp_path):
    ex = extract_lines(tmp_path, BUDGET)
    _assert_expenditure_side_chosen(ex, first_line=8)


def test_a_short_row_the_income_side_needs_stays_as_printed(tmp_path):
    ex = extract_lines(tmp_path, INCOME_LINE)
    finding = _reading(ex)
    assert finding.severity == "info" and "按“按原样”读取" in finding.message
    assert any("本年收入合计 2,196.00 万元，不等于其上各项之和 2,100.00 万元" in v for v in finding.values)  # the other reading
    assert not [f for f in ex.findings if f.rule == "grid_short_row"]
    assert _summary(ex)["income_total"] == Decimal("2196.00")


def test_merged_total_labels_over_their_row_numbers_are_placed_in_their_pairs(tmp_path):
    ex = extract_lines(tmp_path, FINAL)
    totals = _summary(ex)
    assert totals["income_total"] == Decimal("2100.00") and totals["expenditure_total"] == Decimal("2100.00")
    assert not [f for f in ex.findings if f.rule == "malformed_amount"]
    assert not [f for f in ex.findings if f.rule == "reconcile.reading"]  # one fit only: a repair, not a choice
    assert [f.severity for f in ex.findings if f.rule == "grid_short_row"] == ["warning", "warning"]
    [balance] = [c for c in ex.checks if c.rule == "summary_balance"]
    assert balance.passed


def test_the_pdf_of_the_export_is_read_the_same_way(tmp_path):
    pytest.importorskip("reportlab")
    from pdfgen import render

    pdf = render("\n".join(BUDGET), tmp_path / "doc.pdf")
    ex = extract(pdf)
    finding = _reading(ex)
    assert "放入支出一侧" in finding.message and "收入一侧" not in finding.message.split("；")[0]
    assert _summary(ex)["expenditure_total"] == Decimal("2100.00")
    assert not [c for c in ex.checks if not c.passed]

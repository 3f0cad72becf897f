"""A table the grid reads two ways (a short 合计 row whose label cell spans the code and name columns): the
reading whose figures reconcile is taken, and a warning says which and why."""

from __future__ import annotations

from decimal import Decimal

from ingest.pipeline import extract

HEADER = [
    "某区民政局2025年部门预算",
    "部门支出总表",
    "单位：万元",
    "科目编码\t科目名称\t合计\t基本支出\t项目支出",
]

# the 合计 row dropped its blank 合计 cell: it prints 基本 and 项目, to be right-aligned
BASIC_AND_PROJECT = HEADER + [
    "208\t社会保障和就业支出\t3,050.00\t1,250.00\t1,800.00",
    "20802\t民政管理事务\t3,050.00\t1,250.00\t1,800.00",
    "2080201\t行政运行\t1,250.00\t1,250.00\t",
    "2080299\t其他民政管理事务支出\t1,800.00\t\t1,800.00",
    "第 2 页",
    "合计\t1,250.00\t1,800.00",
]

# a 类 row whose code and name share one merged cell, its blank 项目支出 dropped: read from the left
MERGED_CLASS_ROW = HEADER + [
    "合计\t\t1,750.00\t1,250.00\t500.00",
    "208 社会保障和就业支出\t1,250.00\t1,250.00",
    "20802\t民政管理事务\t1,250.00\t1,250.00\t",
    "2080201\t行政运行\t900.00\t900.00\t",
    "2080202\t一般行政管理事务\t350.00\t350.00\t",
    "210\t卫生健康支出\t500.00\t\t500.00",
    "21004\t公共卫生\t500.00\t\t500.00",
    "2100408\t基本公共卫生服务\t500.00\t\t500.00",
]

def _extract(tmp_path, lines):
    path = tmp_path / "doc.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return extract(path)


def _reading(ex):
    [finding] = [f for f in ex.findings if f.rule == "reconcile.reading"]
    return finding


def test_a_short_total_row_misread_from_the_left_is_right_aligned_by_arithmetic(tmp_path):
    ex = _extract(tmp_path, BASIC_AND_PROJECT)
    totals = {t.key: t.amount for t in ex.totals}
    assert totals["basic_expenditure"] == Decimal("1250") and totals["project_expenditure"] == Decimal("1800")
    finding = _reading(ex)
    assert finding.severity == "warning" and finding.provenance.line == 10
    assert "部门支出总表" in finding.message and "按“短行右对齐”读取" in finding.message
    assert "合计 1,250.00 万元，不等于各顶层科目之和 3,050.00 万元" in finding.message  # why the other reading lost
    assert not [c for c in ex.checks if not c.passed]  # the reading taken reconciles


def test_a_short_row_read_from_the_left_stays_so_where_that_reconciles(tmp_path):
    ex = _extract(tmp_path, MERGED_CLASS_ROW)
    [line] = [li for li in ex.line_items if li.code == "208"]
    assert (line.name, line.total, line.basic, line.project) == ("社会保障和就业支出", Decimal("1250"),
                                                                 Decimal("1250"), None)
    finding = _reading(ex)
    assert finding.provenance.line == 6
    assert "按“短行从第一个金额栏起排”读取" in finding.message
    assert "按“短行右对齐”则不然" in finding.message
    assert any("合计 1,750.00 万元，不等于各顶层科目之和 500.00 万元" in v for v in finding.values)  # the right-aligned one
    assert not [c for c in ex.checks if not c.passed]


def test_a_table_read_one_way_only_says_nothing_of_readings(tmp_path):
    lines = BASIC_AND_PROJECT[:-1] + ["合计\t\t3,050.00\t1,250.00\t1,800.00"]
    ex = _extract(tmp_path, lines)
    assert not [f for f in ex.findings if f.rule == "reconcile.reading"]

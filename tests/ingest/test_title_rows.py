"""A title-shaped row inside a table's grid whose wording names no known table: the title of a table of its
own, or a row of the table it is printed in?  The tables' checks choose; on a tie the table stays apart, and
a warning says which reading was taken and why."""

from __future__ import annotations

from decimal import Decimal

from extract_helpers import extract_lines, the_finding
from ingest.vocabulary.table_roles import UNRECOGNISED

TABLE = [
    "某区民政局2025年部门预算",
    "一般公共预算支出表",
    "单位：万元",
    "科目编码\t科目名称\t合计\t基本支出\t项目支出",
]
LINES_208 = [
    "208\t社会保障和就业支出\t3,050.00\t1,250.00\t1,800.00",
    "20802\t民政管理事务\t3,050.00\t1,250.00\t1,800.00",
    "2080201\t行政运行\t1,250.00\t1,250.00\t",
    "2080299\t其他民政管理事务支出\t1,800.00\t\t1,800.00",
]
# the table continues under a row naming it in other words, its header printed again, its 合计 row last
CONTINUED = TABLE + LINES_208 + [
    "民政事务一般公共预算支出（续）\t\t\t\t",
    "科目编码\t科目名称\t合计\t基本支出\t项目支出",
    "210\t卫生健康支出\t500.00\t\t500.00",
    "21011\t行政事业单位医疗\t500.00\t\t500.00",
    "2101101\t行政单位医疗\t500.00\t\t500.00",
    "合计\t\t3,550.00\t1,250.00\t2,300.00",
]
# a table no wording names, printed right under the last row of the table before, in the same ruled grid
ANOTHER_TABLE = TABLE + ["合计\t\t3,050.00\t1,250.00\t1,800.00"] + LINES_208 + [
    "部门机关运行经费情况一览表\t\t\t\t",
    "项目\t金额\t\t\t",
    "办公费\t12.00\t\t\t",
    "水电费\t8.00\t\t\t",
]


def _title_row(ex):
    finding = the_finding(ex, "reconcile.title_row")
    assert finding.severity == "warning"
    return finding


def test_a_title_shaped_row_the_sums_need_is_read_as_a_row_of_its_table(tmp_path):
    ex = extract_lines(tmp_path, CONTINUED)
    finding = _title_row(ex)
    assert "“民政事务一般公共预算支出（续）”（第 9 行）" in finding.message
    assert "读作“一般公共预算支出表”的一行" in finding.message and "table_total" in finding.message
    assert finding.provenance.line == 9 and finding.provenance.table == "一般公共预算支出表"
    assert {li.code: li.total for li in ex.line_items}["2101101"] == Decimal("500.00")
    [total] = [c for c in ex.checks if c.rule == "table_total"]  # the 合计 row after the title row is read
    assert total.passed and total.left.amount == Decimal("3550.00")
    assert not [c for c in ex.checks if not c.passed]


def test_a_table_no_wording_names_is_not_merged_into_the_table_before(tmp_path):
    ex = extract_lines(tmp_path, ANOTHER_TABLE)
    finding = _title_row(ex)
    assert "读作一张独立表格的标题（unrecognised_table）" in finding.message
    assert "不凭猜测并入前一张表" in finding.message
    assert [f.rule for f in ex.findings if f.rule.startswith("table_role")] == ["table_role_unrecognised"]
    assert sorted(li.code for li in ex.line_items) == ["208", "20802", "2080201", "2080299"]
    assert not [c for c in ex.checks if not c.passed]


def test_the_title_row_opens_a_block_of_its_own_until_reconciled(tmp_path):
    from ingest.layout import Line
    from ingest.sections import split_blocks

    lines = [Line(i, t, t.split("\t") if "\t" in t else [t]) for i, t in enumerate(ANOTHER_TABLE, 1)]
    blocks = [b for b in split_blocks(lines) if b.role != "narrative"]
    assert [(b.role, b.title) for b in blocks] == [("gpb_expenditure", "一般公共预算支出表"),
                                                  (UNRECOGNISED, "部门机关运行经费情况一览表")]
    assert blocks[1].title_row.no == 10 and len(blocks[0].rows) == 6


def test_a_row_of_a_column_label_or_a_wrapped_name_is_no_title(tmp_path):
    from ingest.layout import Line
    from ingest.sections import unknown_title_in_row

    def row(text):
        return Line(1, text, text.split("\t"))

    header = [row("科目编码\t科目名称\t合计\t基本支出\t项目支出")]
    data = [row("2080201\t行政运行\t1,250.00\t1,250.00\t")]
    assert unknown_title_in_row(row("2024年预算数\t\t\t\t"), header) is None  # a column label
    assert unknown_title_in_row(row("部门机关运行经费情况一览表\t\t\t\t"), data) is None  # rows follow, no header
    assert unknown_title_in_row(row("部门收支总表\t\t\t\t"), header) is None  # a known title: read as one
    assert unknown_title_in_row(row("部门机关运行经费情况一览表\t\t\t\t"), header) == ("部门机关运行经费情况一览表", [])

"""Layout kinds read by meaning in the grid: spacer columns, a continued 合计 row with a merged label cell,
a header repeated on the next page, and the alternative readings offered for reconciliation."""

from __future__ import annotations

from decimal import Decimal

from ingest.tables.grid import AS_PRINTED, amount_columns, grid_readings, read_grid
from table_helpers import block_of, parse_lines

SPACED_SUMMARY = [
    "收入\t\t\t支出\t\t",
    "项目\t\t预算数\t项目\t\t预算数",
    "一、一般公共预算拨款收入\t\t10,209.32\t一、社会保障和就业支出\t\t9,000.00",
    "二、上年结转\t\t900.00\t二、卫生健康支出\t\t2,109.32",
    "收入总计\t\t11,109.32\t支出总计\t\t11,109.32",
]


def test_spacer_columns_are_dropped_so_labels_meet_their_amounts():
    grid = read_grid(block_of("部门收支总表", ["单位：万元", *SPACED_SUMMARY]))
    assert grid.width == 4
    assert grid.body[-1].cells == ["收入总计", "11,109.32", "支出总计", "11,109.32"]
    assert grid.notes[0][:2] == ("grid_spacer_columns", {"columns": "2、5"})
    ctx = parse_lines(["部门收支总表", "单位：万元", *SPACED_SUMMARY], ("summary",))
    assert ctx.totals["income_total"].amount == Decimal("11109.32")
    assert ctx.totals["expenditure_total"].amount == Decimal("11109.32")
    assert ctx.totals["carryover_from_last_year"].amount == Decimal("900")


EXPENDITURE = [
    "部门支出总表",
    "单位：万元",
    "科目编码\t科目名称\t合计\t基本支出\t项目支出",
    "208\t社会保障和就业支出\t3,050.00\t1,250.00\t1,800.00",
    "20802\t民政管理事务\t3,050.00\t1,250.00\t1,800.00",
    "2080201\t行政运行\t1,250.00\t1,250.00\t",
    "2080299\t其他民政管理事务支出\t1,800.00\t\t1,800.00",
    "第 2 页",
    "科目编码\t科目名称\t合计\t基本支出\t项目支出",  # the header, printed again on the next page
    "合计\t3,050.00\t1,250.00\t1,800.00",  # the label cell spans 科目编码 and 科目名称
]


def test_a_continued_total_row_with_a_merged_label_is_read_in_its_columns():
    ctx = parse_lines(EXPENDITURE, ("expenditure",))
    assert ctx.totals["basic_expenditure"].amount == Decimal("1250")
    assert ctx.totals["project_expenditure"].amount == Decimal("1800")
    assert [li.code for li in ctx.line_items] == ["208", "20802", "2080201", "2080299"]
    grid = read_grid(block_of(EXPENDITURE[0], EXPENDITURE[1:]))
    assert grid.body[-1].cells == ["合计", "", "3,050.00", "1,250.00", "1,800.00"]
    assert [(n[0], n[2].no) for n in grid.notes] == [("grid_repeated_header", 9), ("grid_short_row", 10)]


def test_a_total_row_padded_with_blank_cells_is_still_a_short_row():
    # a PDF reader pads every row of a ruled grid to its width: the lone 合计 row of the continued table
    # prints four cells, then blanks where the next table's wider grid had columns
    rows = [r + "\t" for r in EXPENDITURE[1:-1]] + ["合计\t3,050.00\t1,250.00\t1,800.00\t\t"]
    ctx = parse_lines([EXPENDITURE[0], *rows], ("expenditure",))
    assert ctx.totals["basic_expenditure"].amount == Decimal("1250")
    assert ctx.totals["project_expenditure"].amount == Decimal("1800")
    grid = read_grid(block_of(EXPENDITURE[0], rows))
    assert grid.body[-1].cells == ["合计", "", "3,050.00", "1,250.00", "1,800.00"]


WRAPPED_HEADER = [
    "部门支出总表",
    "单位：万元",
    "项目\t\t2025年预算数\t\t",  # a group row over the wrapped labels
    "科目\t科目\t合计\t基本\t项目",
    "编码\t名称\t\t支出\t支出",
    "合计\t\t3,050.00\t1,250.00\t1,800.00",
    "208\t社会保障和就业支出\t3,050.00\t1,250.00\t1,800.00",
    "20802\t民政管理事务\t3,050.00\t1,250.00\t1,800.00",
    "2080201\t行政运行\t1,250.00\t1,250.00\t",
    "2080299\t其他民政管理事务支出\t1,800.00\t\t1,800.00",
]


def test_header_labels_wrapped_over_two_text_rows_are_read_as_one_label():
    ctx = parse_lines(WRAPPED_HEADER, ("expenditure",))
    assert ctx.totals["basic_expenditure"].amount == Decimal("1250")
    assert ctx.totals["project_expenditure"].amount == Decimal("1800")
    assert [(li.code, li.basic, li.project) for li in ctx.line_items] == [
        ("208", Decimal("1250"), Decimal("1800")), ("20802", Decimal("1250"), Decimal("1800")),
        ("2080201", Decimal("1250"), None), ("2080299", None, Decimal("1800"))]


def test_a_short_row_with_fewer_amounts_offers_both_placements():
    rows = EXPENDITURE[1:-1] + ["合计\t3,050.00\t1,250.00"]  # the export also dropped a trailing blank
    readings = grid_readings(block_of(EXPENDITURE[0], rows))
    assert [g.reading for g in readings] == ["短行从第一个金额栏起排", "短行右对齐"]
    assert readings[0].body[-1].cells == ["合计", "", "3,050.00", "1,250.00", ""]
    assert readings[1].body[-1].cells == ["合计", "", "", "3,050.00", "1,250.00"]


def test_rows_whose_trailing_blanks_were_dropped_stay_as_printed():
    rows = EXPENDITURE[1:7] + ["合计\t\t3,050.00\t1,250.00"]
    readings = grid_readings(block_of(EXPENDITURE[0], rows))
    assert len(readings) == 1 and readings[0].reading == AS_PRINTED == "按原样" and not readings[0].notes
    assert readings[0].body[-1].cells == ["合计", "", "3,050.00", "1,250.00", ""]


def test_amount_columns_are_those_printing_amounts_not_codes():
    rows = [r.split("\t") for r in EXPENDITURE[3:7]]
    assert amount_columns(rows, 5) == [2, 3, 4]


def test_extract_reports_the_grid_repairs(tmp_path):
    from ingest.pipeline import extract

    path = tmp_path / "doc.txt"
    path.write_text("\n".join(["某区民政局2025年部门预算", *EXPENDITURE]), encoding="utf-8")
    ex = extract(path)
    found = [f for f in ex.findings if f.rule == "grid_short_row"]
    assert len(found) == 1 and found[0].severity == "warning" and found[0].provenance.line == 11


def test_a_header_row_of_years_is_a_header_not_a_body_row():
    grid = read_grid(block_of("“三公”经费支出表", [
        "项目\t2024\t2025\t增减",
        "合计\t12.50\t11.00\t-1.50",
        "公务接待费\t3.50\t3.00\t-0.50",
    ]))
    assert grid.paths == [("项目",), ("2024",), ("2025",), ("增减",)]
    assert [r.cells[0] for r in grid.body] == ["合计", "公务接待费"]

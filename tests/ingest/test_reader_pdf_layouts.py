"""PDF layout kinds (reportlab, the CJK font tests/pdfgen.py uses): a 合计 row continued alone on the next
page with its label cell spanning the code and name columns, running headers and page numbers between the
pages, a table whose title sits in its first ruled row, and pages of two sizes in one file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.pipeline import extract
from ingest.reader_pdf import join_split_numbers, read_pdf
from ingest.sections import split_blocks

pytest.importorskip("reportlab")
from pdfgen import register_font  # noqa: E402  (after the skip: reportlab is needed)

HEADER = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
ROWS = [
    ["208", "社会保障和就业支出", "3,050.00", "1,250.00", "1,800.00"],
    ["20802", "民政管理事务", "3,050.00", "1,250.00", "1,800.00"],
    ["2080201", "行政运行", "1,250.00", "1,250.00", ""],
    ["2080299", "其他民政管理事务支出", "1,800.00", "", "1,800.00"],
]
WIDTHS = [70, 150, 80, 80, 80]
FISCAL = [
    ["2025年部门财政拨款收支预算总表", "", "", ""],  # the title in the first ruled row, over the column rules
    ["项目", "预算数", "项目", "预算数"],
    ["一、一般公共预算拨款", "3,050.00", "一、社会保障和就业支出", "3,050.00"],
    ["收入总计", "3,050.00", "支出总计", "3,050.00"],
]


def _table(data, widths, font, spans=()):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    t = Table(data, colWidths=widths)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), font, 9),
                           *[("SPAN", a, b) for a, b in spans]]))
    return t


def _page(c, size, font, page_no, draw):
    c.setPageSize(size)
    w, h = size
    c.setFont(font, 8)
    c.drawString(40, h - 30, "某区民政局2025年部门预算")  # running header
    c.drawCentredString(w / 2, 20, f"第 {page_no} 页")  # page number
    draw(w, h)
    c.showPage()


def make_layouts_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    font = register_font()
    c = Canvas(str(path))

    def first(w, h):
        c.setFont(font, 14)
        c.drawString(60, h - 70, "2025年部门支出总表")
        c.setFont(font, 9)
        c.drawString(60, h - 90, "单位：万元")
        t = _table([HEADER, *ROWS], WIDTHS, font)
        _, th = t.wrapOn(c, w, h)
        t.drawOn(c, 60, h - 100 - th)

    def second(w, h):  # only the 合计 row, its label cell spanning 科目编码 and 科目名称
        t = _table([["合计", "", "3,050.00", "1,250.00", "1,800.00"]], WIDTHS, font, [((0, 0), (1, 0))])
        _, th = t.wrapOn(c, w, h)
        t.drawOn(c, 60, h - 60 - th)

    def third(w, h):  # a landscape page: the 财政拨款收支总表 with its title inside the grid
        t = _table(FISCAL, [110, 80, 150, 80], font)
        _, th = t.wrapOn(c, w, h)
        t.drawOn(c, 60, h - 60 - th)
        c.setFont(font, 9)
        c.drawString(60, h - 90 - th, "注：本表反映财政拨款收支。")

    for n, (size, draw) in enumerate([(A4, first), (A4, second), (landscape(A4), third)], start=1):
        _page(c, size, font, n, draw)
    c.save()
    return path


@pytest.fixture(scope="module")
def layouts_pdf(tmp_path_factory) -> Path:
    return make_layouts_pdf(tmp_path_factory.mktemp("pdf") / "layouts.pdf")


def test_a_lone_continued_total_row_is_placed_by_x_position(layouts_pdf):
    warnings = []
    lines = read_pdf(layouts_pdf, warn=lambda rule, page, params: warnings.append((rule, page)))
    total = next(ln for ln in lines if ln.cells and ln.cells[0] == "合计")
    assert total.cells == ["合计", "", "3,050.00", "1,250.00", "1,800.00"] and total.page == 2
    assert [ln.cells[0] for ln in lines if ln.continues] == ["合计"]  # the one join a reading may undo
    assert warnings == [("pdf_row_placed_by_position", 2)]
    assert not any("第" in ln.plain and "页" in ln.plain for ln in lines)  # page numbers dropped


def test_the_pages_read_as_two_tables_with_their_totals(layouts_pdf):
    lines = read_pdf(layouts_pdf)
    blocks = [b for b in split_blocks(lines) if b.role != "narrative"]
    assert [(b.role, b.page) for b in blocks] == [("expenditure", 1), ("fiscal_summary", 3)]
    assert blocks[1].title == "2025年部门财政拨款收支预算总表"
    assert len(blocks[0].rows) == 1 + len(ROWS) + 1  # header, body, the continued 合计 row
    ex = extract(layouts_pdf)
    totals = {t.key: t.amount for t in ex.totals}
    assert totals["basic_expenditure"] == Decimal("1250") and totals["project_expenditure"] == Decimal("1800")
    assert totals["fiscal_appropriation_total"] == Decimal("3050")
    assert {li.code for li in ex.line_items} == {"208", "20802", "2080201", "2080299"}
    assert not ex.units  # the title row is no budget unit


def test_an_amount_printed_over_a_column_rule_is_joined_in_its_cell():
    cells = ["2010101", "行政运行", "293", ",810,000.00", "1,000.00"]
    assert join_split_numbers(cells) == ["跨两个单元格印出的金额已合并：“293”+“,810,000.00”"]
    assert cells == ["2010101", "行政运行", "", "293,810,000.00", "1,000.00"]
    kept = ["293", "810,000.00"]  # two amounts side by side stay two
    assert join_split_numbers(kept) == [] and kept == ["293", "810,000.00"]

"""The generator itself, without the parser: every model's sums hold, every rendered table prints them, the
suite's variants cover every layout parameter value, and pdfgen shows the layout kinds asked of it."""

from collections import Counter
from decimal import Decimal

import pytest

from .layout import PDF, TEXT
from .model import PERSONNEL_CLASSES
from .render import blocks, to_text, variant
from .variants import DRAWN, TEXT_VARIANTS, VARIANTS

ZERO = Decimal(0)


def _children(lines, parent):
    level = len(parent.code)
    return [ln for ln in lines if len(ln.code) == {3: 5, 5: 7}[level] and ln.code.startswith(parent.code)]


@pytest.mark.parametrize("v", VARIANTS[::5], ids=[v.id for v in VARIANTS[::5]])
def test_every_sum_of_the_model_holds(v):
    d, _ = variant(v.seed, v.medium, v.layout())
    for ln in d.lines:
        if ln.level < 3:
            kids = _children(d.lines, ln)
            assert kids, ln.code
            for attr in ("basic", "project", "fiscal_project", "total"):
                assert getattr(ln, attr) == sum((getattr(k, attr) for k in kids), ZERO), (ln.code, attr)
        assert ln.total == ln.basic + ln.project and ln.total > 0
    for leaf in d.leaves():
        assert leaf.project == sum((p.amount for p in d.projects if p.leaf == leaf.code), ZERO)
    assert d.income_total == d.expenditure_total == d.basic_total + d.project_total
    assert d.fiscal_total == sum((ln.fiscal_total for ln in d.lines if ln.level == 1), ZERO)
    classes = [(c, a) for c, _, a in d.economic if len(c) == 3]
    assert d.basic_total == sum((a for _, a in classes), ZERO)
    for cls, amount in classes:
        assert amount == sum((a for c, _, a in d.economic if len(c) == 5 and c.startswith(cls)), ZERO)
    units = [d.unit_income(u) for u in d.units]
    for source, total in (("gpb", d.gpb_income), ("business", d.business_income), ("other", d.other_income),
                          ("carryover", d.carryover)):
        assert sum((u[source] for u in units), ZERO) == total
    eco = {c: a for c, _, a in d.economic}
    assert eco.get("30217", ZERO) == d.three_public["reception"] and eco.get("30231", ZERO) == d.three_public["car_run"]
    assert all(x % d.quantum == 0 for x in [*eco.values(), *(p.amount for p in d.projects)])
    assert len({p.code for p in d.projects}) == len(d.projects)


def _money(cell: str) -> Decimal | None:
    try:
        return Decimal(cell.replace(",", ""))
    except ArithmeticError:
        return None


@pytest.mark.parametrize("v", TEXT_VARIANTS[::4], ids=[v.id for v in TEXT_VARIANTS[::4]])
def test_the_text_prints_each_line_with_its_amounts(v):
    """Each coded row of the department expenditure table holds its line's amounts, in the table's unit."""
    d, lay = variant(v.seed, TEXT, v.layout())
    factor = Decimal(1) if lay.money == "元" else Decimal(10000)
    grid = next(it for it in blocks(d, lay)[0] if getattr(it, "role", "") == "expenditure")
    text = to_text(d, lay)
    for ln in d.lines:
        want = sorted(x / factor for x in (ln.total, ln.basic, ln.project) if x)
        row = next(r for r in grid.body if r.code == ln.code)
        code = row.cells[row.code_cell].split(" ")[0]
        assert code == {"split_parts": ln.code if ln.level == 1 else ln.code[-2:]}.get(lay.codes, ln.code) or (
            lay.damage != "none" and len(code) == 1), (ln.code, code)
        amounts = sorted(m for m in (_money(c) for c in row.cells[row.code_cell + 1:] if c) if m is not None)
        assert [a.quantize(Decimal("0.01")) for a in amounts] == [w.quantize(Decimal("0.01")) for w in want], ln.code
        assert ln.name in text


def test_the_variants_cover_every_layout_parameter_value():
    seen = Counter()
    for v in DRAWN:
        for key, value in v.layout().params().items():
            if key not in ("titles", "break_at"):
                seen[(key, str(value))] += 1
    assert len(DRAWN) >= 200
    expected = {("codes", v) for v in ("joined", "split", "split_parts", "code_name", "indented")} | {
        ("eco_codes", "split_suffix"), ("unit_heading", "glued")} | {
        ("page_break", v) for v in ("none", "repeat_header", "continued", "bare", "lone_total")} | {
        ("title_pos", "in_grid"), ("spacer", "True"), ("merge_labels", "True"), ("name_suffix", "True"),
        ("damage", "repairable"), ("damage", "beyond"), ("money", "元"), ("header_rows", "3"), ("medium", PDF)}
    rare = {k: seen[k] for k in expected if seen[k] < 5}
    assert not rare, rare


def test_pdfgen_merges_cells_and_breaks_pages_where_asked(tmp_path):
    """A title printed inside the ruled grid, and a page that holds only the table's 合计 row (label merged)."""
    pdfplumber = pytest.importorskip("pdfplumber")
    pytest.importorskip("reportlab")
    from pdfgen import MERGED, PAGE_BREAK, render

    rows = ["\t".join(["表三　部门支出总表", MERGED, MERGED, MERGED, MERGED]),
            "\t".join(["科目编码", "科目名称", "合计", "基本支出", "项目支出"]),
            "\t".join(["208", "社会保障和就业支出", "27.09", "27.09", ""]),
            "\t".join(["2080505", "机关事业单位基本养老保险缴费支出", "27.09", "27.09", ""]),
            PAGE_BREAK,
            "\t".join(["合计", MERGED, "27.09", "27.09", ""])]
    pdf = render("部门预算\n\n" + "\n".join(rows) + "\n", tmp_path / "marks.pdf")
    with pdfplumber.open(pdf) as doc:
        first, second = ([t.extract() for t in p.find_tables()] for p in doc.pages)
    assert first[0][0][0] == "表三 部门支出总表" and first[0][0][1:] == [None] * 4
    assert second == [[["合计", "27.09", "27.09", ""]]]  # the merged label: one cell fewer than the header


def test_pdfgen_ends_a_table_where_asked(tmp_path):
    """Two tables whose titles are rows of their grids, nothing between them: two ruled grids."""
    pdfplumber = pytest.importorskip("pdfplumber")
    pytest.importorskip("reportlab")
    from pdfgen import MERGED, TABLE_END, render

    one = ["\t".join(["表七　一般公共预算“三公”经费支出表", MERGED]), "\t".join(["项目", "预算数"]),
           "\t".join(["合计", "0.20"])]
    two = ["\t".join(["表八　项目支出表", MERGED, MERGED]), "\t".join(["项目名称", "合计", "一般公共预算拨款"]),
           "\t".join(["医保资金监管经费", "17.00", "17.00"])]
    pdf = render("部门预算\n\n" + "\n".join(one + [TABLE_END] + two) + "\n", tmp_path / "two.pdf")
    with pdfplumber.open(pdf) as doc:
        tables = [t.extract() for t in doc.pages[0].find_tables()]
    assert [len(t[1]) for t in tables] == [2, 3] and tables[1][0][0] == "表八 项目支出表"

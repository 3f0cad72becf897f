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
        ("damage", "repairable"), ("damage", "beyond"), ("money", "元"), ("header_rows", "3"), ("medium", PDF)} | {
        ("basic_form", v) for v in ("blocks", "subtotals", "tables", "side")}
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


def _form_rows(text: str, title: str) -> list[list[str]]:
    """The tab-separated rows of the form titled ``title``, up to the next form or the end."""
    rows = []
    for line in text[text.index(title):].splitlines()[1:]:
        if line.startswith(title[:-3]):
            break
        if "\t" in line:
            rows.append(line.split("\t"))
    return rows


@pytest.mark.parametrize("change, cells", [("indicator_rows=full", {4}), ("indicator_rows=blank", {4}),
                                           ("indicator_rows=short", {2, 3, 4})])
def test_a_form_prints_every_indicator_of_its_project(change, cells):
    """Each indicator's 三级 name and value are printed on one row of its project's form; merged-down 一级/二级
    cells are printed once per group (``short``: later rows have fewer cells)."""
    from .forms import build_forms
    from .render import custom_layout, d_seed

    lay = custom_layout(TEXT, ["forms=kv", change])
    d, lay = variant(3, TEXT, lay)
    text = to_text(d, lay)
    forms = build_forms(d, d_seed(d))
    assert len(forms) >= 2
    for i, f in enumerate(forms, 1):
        rows = _form_rows(text, f"{lay.form_title(False)}（{i}）")
        head = next(j for j, r in enumerate(rows) if r[:3] == ["一级指标", "二级指标", "三级指标"])
        body = rows[head + 1:head + 1 + len(f.indicators)]
        assert [r[-2:] for r in body] == [[x.level3, x.printed()] for x in f.indicators]
        assert {len(r) for r in body} <= cells
        level1 = [r[0] for r in body if len(r) == 4 and r[0]]
        assert len(level1) == (len(f.indicators) if change.endswith("full") else len({x.level1 for x in f.indicators}))


def test_a_unit_budget_is_the_same_department_with_its_own_totals():
    from .render import custom_layout, doc_title

    for seed in range(12):
        dept, _ = variant(seed, TEXT, custom_layout(TEXT, []))
        for scope in ("unit_own", "unit_sub"):
            unit, lay = variant(seed, TEXT, custom_layout(TEXT, [f"scope={scope}"]))
            assert (unit.department, unit.year, unit.phase) == (dept.department, dept.year, dept.phase)
            assert len(unit.units) == 1 and (len(dept.units) == 1 or unit.income_total != dept.income_total)
            assert unit.income_total == unit.expenditure_total == unit.basic_total + unit.project_total
            assert doc_title(unit, lay).startswith(unit.units[0].name) and "单位" in doc_title(unit, lay)
    paren, lay = variant(1, TEXT, custom_layout(TEXT, ["scope=unit_own", "unit_title=paren"]))
    assert doc_title(paren, lay).endswith("单位预算（本级）") or doc_title(paren, lay).endswith("单位决算（本级）")


def test_the_new_families_add_at_least_sixty_variants():
    from .variants import FORMS, PAIRS

    assert len(FORMS) + len(PAIRS) >= 60
    assert len({v.id for v in VARIANTS}) == len(VARIANTS)
    assert {v.layout().pages for v in VARIANTS if v.medium == PDF} >= {"a4", "landscape_tables", "a3_tables"}


def test_pdfgen_merges_cells_down_and_mixes_page_sizes(tmp_path):
    """An 一级指标 cell spanning the rows below it (pdfplumber gives the cells under it as ``None``), and a PDF
    whose narrative pages are A4 portrait and whose table pages are A3 landscape."""
    pdfplumber = pytest.importorskip("pdfplumber")
    pytest.importorskip("reportlab")
    from pdfgen import MERGED_UP, render
    from reportlab.lib.pagesizes import A3, landscape

    rows = ["\t".join(["一级指标", "二级指标", "三级指标", "指标值"]),
            "\t".join(["产出指标", "数量指标", "覆盖人数", "≥1,900人"]),
            "\t".join([MERGED_UP, MERGED_UP, "覆盖单位数量", "≥12个"]),
            "\t".join([MERGED_UP, "时效指标", "资金拨付及时率", "100%"])]
    pdf = render("项目支出绩效目标表\n\n" + "\n".join(rows) + "\n", tmp_path / "down.pdf", landscape_columns=0, wide_pages=(landscape(A3),))
    with pdfplumber.open(pdf) as doc:
        sizes = [(round(p.width), round(p.height)) for p in doc.pages]
        table = [t.extract() for p in doc.pages for t in p.find_tables()][0]
    assert sizes[-1] == (1191, 842)  # A3 landscape
    assert table[1] == ["产出指标", "数量指标", "覆盖人数", "≥1,900人"]
    assert table[2][:2] == [None, None] and table[3][:2] == [None, "时效指标"]
    narrative = render("部门预算\n\n第一部分　概况\n\n" + "\n".join(rows) + "\n", tmp_path / "mixed.pdf",
                       landscape_columns=0, wide_pages=(landscape(A3),))
    with pdfplumber.open(narrative) as doc:
        assert {(round(p.width), round(p.height)) for p in doc.pages} == {(595, 842), (1191, 842)}


def test_every_known_failure_names_a_variant_and_a_kind():
    from .known_failures import KINDS, KNOWN_FAILURES
    from .variants import ALL, PAIRS

    ids = {v.id for v in ALL} | {f"{v.id}:store" for v in PAIRS}
    assert set(KNOWN_FAILURES) <= ids
    assert {k for kinds in KNOWN_FAILURES.values() for k in kinds} <= set(KINDS)

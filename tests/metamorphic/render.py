"""A :class:`~.model.Disclosure` printed in one :class:`~.layout.Layout`: a text export, a PDF, and the records
expected from the model (never from a parse).

Text exports follow the real ones (``shared/seeds``, ``tests/fixtures/docs``): narrative lines, table rows as
tab-separated cells, a merged cell printed once (the row has fewer cells), a page break inside a table shown by
a blank line, the running footer and header, then the continuation (header repeated, ``续表``, or bare rows).
The PDF source is the same rows for ``tests/pdfgen.py`` with merged cells marked :data:`pdfgen.MERGED` and page
breaks as form feeds, so the PDF shows the same layout kind (title inside the ruled grid, a lone 合计 row).

``python -m tests.metamorphic.render --seed N --medium text|pdf --out DIR`` writes ``variant.txt`` (and
``variant.pdf``), ``expected.json`` and ``layout.json`` of one variant; ``--layout default --set KEY=VALUE``
gives the default layout with single parameters changed (a minimal reproduction); ``--check`` extracts the
file and prints how it differs from the model; ``--layout forms`` draws the layout with performance forms;
``--pair`` writes a 单位预算 (the layout's ``scope``) and the 部门预算 of its department and checks both and the
store they go into.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from .forms import FormRec, build_forms
from .layout import PDF, TEXT, Layout, draw, draw_forms
from .model import FINAL, PERSONNEL_CLASSES, WAN, Disclosure, Line, build

try:  # under pytest ``tests/`` is on the path; as ``python -m tests.metamorphic.render`` it is a package
    import pdfgen
except ModuleNotFoundError:  # pragma: no cover - depends on how it is started
    from tests import pdfgen

MERGED, MERGED_UP = pdfgen.MERGED, pdfgen.MERGED_UP
CN = "一二三四五六七八九十"
CN_PAREN = ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）", "（九）", "（十）")


def variant(seed: int, medium: str = TEXT, layout: Layout | None = None) -> tuple[Disclosure, Layout]:
    """The model and layout of one variant: both follow from the seed (``layout`` replaces the drawn one)."""
    layout = layout or draw(seed, medium)
    quantum = Decimal("0.01") if layout.money == "元" else Decimal(100)
    return build(seed, quantum=quantum, scope=layout.scope), layout


def custom_layout(medium: str, settings: list[str], base: Layout | None = None) -> Layout:
    """``base`` (the default layout if none) with ``key=value`` settings, values in the fields' types."""
    lay = replace(base or Layout(), medium=medium)
    for item in settings:
        key, _, raw = item.partition("=")
        current = getattr(lay, key)
        if isinstance(current, bool):
            value = raw.lower() in ("1", "true", "yes")
        elif isinstance(current, (int, float)):
            value = type(current)(raw)
        elif isinstance(current, tuple):
            value = tuple(int(x) for x in raw.split(","))
        else:
            value = raw
        lay = replace(lay, **{key: value})
    return lay


# --- the document as blocks ------------------------------------------------------------------------------------


@dataclass
class Row:
    cells: list[str]
    merged: int = 0  # how many cells after the first are merged into it (a label over code and name)
    code: str = ""  # the coded line the row prints, and which cell holds (the last part of) its code
    code_cell: int = -1


@dataclass
class Grid:
    title: str
    unit_line: str
    header: list[Row]
    body: list[Row]
    breaks: dict[int, str] = field(default_factory=dict)  # body row index → continuation kind
    note: str = ""  # a statement row (本部门无…) printed in the grid
    again: list[Row] = field(default_factory=list)  # rows a continuation repeats when the header is empty
    role: str = ""  # which table of the templates (layout.ROLES), "" for a narrative table


@dataclass
class Para:
    text: str


class Printer:
    """Money and labels as the layout prints them."""

    def __init__(self, d: Disclosure, lay: Layout):
        self.d, self.lay = d, lay

    def money(self, x: Decimal, zero: str = "") -> str:
        if not x:
            return zero
        if self.lay.money == "元":
            return f"{x:,.2f}"
        v = (x / WAN).quantize(Decimal("0.01"))
        return f"{v:,.2f}" if self.lay.thousands else f"{v:.2f}"

    @property
    def unit_word(self) -> str:
        return "元" if self.lay.money == "元" else "万元"

    @property
    def amount_word(self) -> str:
        return "决算数" if self.d.phase == FINAL else "预算数"


def _wrap(label: str) -> tuple[str, str]:
    """A header label as two printed lines of a cell (the text export puts them on two rows)."""
    if len(label) < 4:
        return label, ""
    cut = math.ceil(len(label) / 2)
    return label[:cut], label[cut:]


def _heads(pr: Printer, labels: list[str], groups: list[tuple[str, int]], split_codes: int) -> list[Row]:
    """Header rows of a coded table: labels, wrapped over two rows or under a group row, 类/款(/项) below a
    code group when codes are split over ``split_codes`` columns."""
    lay = pr.lay
    rows: list[Row] = []
    if lay.header_rows == 3:
        cells: list[str] = []
        for text, span in groups:
            cells += [text] + [MERGED] * (span - 1)
        rows.append(Row(cells))
    if split_codes:
        rows.append(Row([labels[0]] + [MERGED] * (split_codes - 1) + labels[split_codes:]))
        rows.append(Row(["类", "款", "项"][:split_codes] + [""] * (len(labels) - split_codes)))
        return rows
    if lay.header_rows >= 2 and lay.medium == TEXT:
        halves = [_wrap(x) for x in labels]
        rows.append(Row([a for a, _ in halves]))
        rows.append(Row([b for _, b in halves]))
    else:
        rows.append(Row(list(labels)))
    return rows


def _amount_columns(lay: Layout) -> list[str]:
    order = {"tbp": ("t", "b", "p"), "tpb": ("t", "p", "b"), "bpt": ("b", "p", "t")}[lay.col_order]
    return list(order)


def coded_table(pr: Printer, lines: list[Line], fiscal: bool, title: str, *, dept_table: bool) -> Grid:
    """The department expenditure table (all sources) or the 一般公共预算 one (``fiscal``)."""
    lay, d = pr.lay, pr.d
    split = lay.codes in ("split", "split_parts")
    code_labels = [lay.w_code, "", ""] if split else (
        ["功能分类科目" if "功能" in lay.w_code else "科目"] if lay.codes == "code_name" else [lay.w_code])
    name_labels = [] if lay.codes == "code_name" else [lay.w_name]
    words = {"t": lay.w_total, "b": lay.w_basic, "p": lay.w_project}
    cols = _amount_columns(lay)
    extra = ["上缴上级支出", "事业单位经营支出"] if lay.extra_cols and dept_table else []
    labels = code_labels + name_labels + [words[c] for c in cols] + extra
    n_label = len(code_labels) + len(name_labels)
    groups = [("项目", n_label), ("本年支出" if d.phase == FINAL else f"{d.year}年{pr.amount_word}",
                                  len(labels) - n_label)]
    header = _heads(pr, labels, groups, 3 if split else 0)

    def amounts(total: Decimal, basic: Decimal, project: Decimal) -> list[str]:
        v = {"t": total, "b": basic, "p": project}
        return [pr.money(v[c]) for c in cols] + [""] * len(extra)

    body: list[Row] = []
    for ln in lines:
        total = ln.fiscal_total if fiscal else ln.total
        if not total:
            continue
        project = ln.fiscal_project if fiscal else ln.project
        code = ln.code
        code_cell = ln.level - 1 if split else 0
        if split:
            lead = ["", "", ""]
            lead[ln.level - 1] = code if lay.codes == "split" or ln.level == 1 else code[-2:]
            label = lead + [ln.name]
        elif lay.codes == "code_name":
            label = [f"{code} {ln.name}"]
        elif lay.codes == "indented":
            label = [code, "　" * (ln.level - 1) + ln.name]
        else:
            label = [code, ln.name]
        body.append(Row(label + amounts(total, ln.basic, project), code=code, code_cell=code_cell))
    grand = [ln for ln in lines if ln.level == 1]
    t = sum(((x.fiscal_total if fiscal else x.total) for x in grand), Decimal(0))
    p = sum(((x.fiscal_project if fiscal else x.project) for x in grand), Decimal(0))
    b = sum((x.basic for x in grand), Decimal(0))
    if lay.merge_labels:
        total_row = Row(["合计"] + [MERGED] * (n_label - 1) + amounts(t, b, p), merged=n_label - 1)
    else:
        total_row = Row(["合计"] + [""] * (n_label - 1) + amounts(t, b, p))
    grid = Grid(title, "", header, [])
    if lay.total_row == "top":
        grid.body = [total_row] + body
    else:
        grid.body = body + [total_row]
    if dept_table and lay.page_break != "none":
        at = len(grid.body) - 1 if lay.page_break == "lone_total" else max(1, int(len(grid.body) * lay.break_at))
        grid.breaks[at] = lay.page_break
    return grid


def damage(grid: Grid, d: Disclosure, lay: Layout) -> dict | None:
    """Print one code cell of the department expenditure table damaged; what was damaged."""
    if lay.damage == "none":
        return None
    level = 1 if lay.damage == "repairable" else 3
    targets = [ln for ln in d.lines if ln.level == level and ln.total]
    # a deterministic choice: the second candidate when there is one (not the first row of the table)
    target = targets[min(1, len(targets) - 1)]
    printed = next(ch for ch in "7419" if ch != target.code[0])
    row = next(r for r in grid.body if r.code == target.code)
    cell = row.cells[row.code_cell]
    row.cells[row.code_cell] = f"{printed} {target.name}" if cell.endswith(f" {target.name}") else printed
    return {"kind": lay.damage, "code": target.code, "name": target.name, "printed": printed}


def summary_table(pr: Printer, title: str) -> Grid:
    d, lay = pr.d, pr.lay
    aw = pr.amount_word
    final = d.phase == FINAL
    carry_in = "年初结转和结余" if final else lay.w_carry
    carry_out = "年末结转和结余" if final else "结转下年"
    income = [("一、一般公共预算拨款收入", d.gpb_income), ("二、政府性基金预算拨款收入", Decimal(0)),
              ("三、国有资本经营预算拨款收入", Decimal(0)), ("四、事业收入", d.business_income),
              ("五、事业单位经营收入", Decimal(0)), ("六、其他收入", d.other_income)]
    classes = [ln for ln in d.lines if ln.level == 1]
    spend = [(f"{CN[i]}、{ln.name}" if i < len(CN) else ln.name, ln.total) for i, ln in enumerate(classes)]
    spend.append((f"{CN[len(classes)]}、其他支出", Decimal(0)))
    eco = []
    if lay.summary_form == "six":
        eco = [("一、基本支出", d.basic_total)]
        for code, name, amount in d.economic:
            if len(code) == 3:
                eco.append((name, amount))
        eco += [("二、项目支出", d.project_total), ("三、上缴上级支出", Decimal(0)), ("四、事业单位经营支出", Decimal(0))]
    n = max(len(income), len(spend), len(eco))

    def side(items, i):
        return [items[i][0], pr.money(items[i][1])] if i < len(items) else ["", ""]

    def cells(*pairs):
        out: list[str] = []
        for label, amount in pairs:
            out.append(label)
            if lay.spacer:
                out.append("")
            out.append(amount)
        return out

    body: list[Row] = []
    for i in range(n):
        pairs = [tuple(side(income, i)), tuple(side(spend, i))] + ([tuple(side(eco, i))] if eco else [])
        body.append(Row(cells(*pairs)))
    e = pr.money(d.expenditure_total)
    tail = [[("本年收入合计", pr.money(d.current_income)), ("本年支出合计", e)],
            [(carry_in, pr.money(d.carryover)), (carry_out, "")],
            [("收入总计", pr.money(d.income_total)), ("支出总计", e)]]
    for pairs in tail:
        if eco:
            pairs = pairs + [pairs[1]]
        body.append(Row(cells(*pairs)))
    width = len(body[0].cells)
    per = 3 if lay.spacer else 2
    top = ["收入"] + [MERGED] * (per - 1) + ["支出"] + [MERGED] * (width - per - 1)
    heads = ["项目", aw, "项目（按功能分类）" if eco else "项目", aw] + (["项目（按经济分类）", aw] if eco else [])
    if lay.spacer:
        heads = [x for i in range(0, len(heads), 2) for x in (heads[i], "", heads[i + 1])]
    return Grid(title, "", [Row(top), Row(heads)], body)


def income_table(pr: Printer, title: str) -> Grid:
    d, lay = pr.d, pr.lay
    carry = "年初结转和结余" if d.phase == FINAL else lay.w_carry
    heads = ["单位编码", "单位名称", "合计", "一般公共预算拨款收入", "政府性基金预算拨款收入", "事业收入", "其他收入", carry]

    def amounts(inc: dict[str, Decimal]) -> list[str]:
        return [pr.money(sum(inc.values(), Decimal(0))), pr.money(inc["gpb"]), "", pr.money(inc["business"]),
                pr.money(inc["other"]), pr.money(inc["carryover"])]

    dept = {"gpb": d.gpb_income, "business": d.business_income, "other": d.other_income, "carryover": d.carryover}
    total = Row(["合计", MERGED] + amounts(dept), merged=1) if lay.merge_labels else Row(["合计", ""] + amounts(dept))
    body = [total, Row([d.dept_code, d.department] + amounts(dept))]
    body += [Row([u.code, u.name] + amounts(d.unit_income(u))) for u in d.units]
    return Grid(title, "", [Row(heads)], body)


def fiscal_table(pr: Printer, title: str) -> Grid:
    d = pr.d
    aw = pr.amount_word
    final = d.phase == FINAL
    income = [("一、本年收入", d.gpb_income), ("（一）一般公共预算拨款", d.gpb_income), ("（二）政府性基金预算拨款", Decimal(0)),
              ("（三）国有资本经营预算拨款", Decimal(0)), ("二、年初财政拨款结转和结余" if final else "二、上年结转", d.carryover),
              ("（一）一般公共预算拨款", d.carryover), ("（二）政府性基金预算拨款", Decimal(0))]
    classes = [ln for ln in d.lines if ln.level == 1 and ln.fiscal_total]
    spend = [("一、本年支出", d.fiscal_total)]
    spend += [(f"{CN_PAREN[i]}{ln.name}", ln.fiscal_total) for i, ln in enumerate(classes)]
    spend.append(("二、年末财政拨款结转和结余" if final else "二、年终结转结余", Decimal(0)))
    n = max(len(income), len(spend))
    body = []
    for i in range(n):
        a = [income[i][0], pr.money(income[i][1])] if i < len(income) else ["", ""]
        b = [spend[i][0], pr.money(spend[i][1])] if i < len(spend) else ["", ""]
        body.append(Row(a + b))
    f = pr.money(d.fiscal_total)
    body.append(Row(["收入总计", f, "支出总计", f]))
    return Grid(title, "", [Row(["收入", MERGED, "支出", MERGED]), Row(["项目", aw, "项目", aw])], body)


def basic_table(pr: Printer, title: str) -> Grid:
    d, lay = pr.d, pr.lay
    split = lay.eco_codes == "split_suffix"
    heads = [lay.w_eco_code] + ([""] if split else []) + ["科目名称", "合计", "人员经费", "公用经费"]
    body = []
    personnel = public = Decimal(0)
    for code, name, amount in d.economic:
        is_personnel = code[:3] in PERSONNEL_CLASSES
        if len(code) == 3:
            if is_personnel:
                personnel += amount
            else:
                public += amount
        if split:
            lead = [code, ""] if len(code) == 3 else ["", str(int(code[3:]))]
        else:
            lead = [code]
        body.append(Row(lead + [name, pr.money(amount), pr.money(amount) if is_personnel else "",
                                "" if is_personnel else pr.money(amount)], code=code, code_cell=len(lead) - 1))
    n_label = 3 if split else 2
    total = ["合计"] + ([MERGED] if lay.merge_labels else [""]) * (n_label - 1)
    total_row = Row(total + [pr.money(d.basic_total), pr.money(personnel), pr.money(public)],
                    merged=n_label - 1 if lay.merge_labels else 0)
    body = [total_row] + body if lay.total_row == "top" else body + [total_row]
    header = [Row(heads)]
    if split:  # a 科目编码 group over 类 and 款
        header = [Row([heads[0], MERGED] + heads[2:]), Row(["类", "款"] + [""] * (len(heads) - 2))]
    return Grid(title, "", header, body)


def _part_lists(pr: Printer) -> tuple[list[Row], list[Row], str, str]:
    """The 基本支出表's 人员经费 and 公用经费 lines as rows ``code | name | amount``, and the two parts' sums."""
    d = pr.d
    pers = [Row([c, n, pr.money(a)], code=c, code_cell=0) for c, n, a in d.economic if c[:3] in PERSONNEL_CLASSES]
    pub = [Row([c, n, pr.money(a)], code=c, code_cell=0) for c, n, a in d.economic if c[:3] not in PERSONNEL_CLASSES]
    return pers, pub, pr.money(d.personnel_total), pr.money(d.basic_total - d.personnel_total)


def _part_title(pr: Printer, title: str, part: str) -> str:
    """The table's title with the part it prints in a bracket after its wording (numbering kept where it is)."""
    base = pr.lay.title("basic", 1 if pr.d.phase == FINAL else 0, pr.d.year)
    base = base.replace("部门", "单位") if pr.d.unit_scope else base
    return title.replace(base, f"{base}（{part}）", 1)


def basic_parts(pr: Printer, title: str) -> list:
    """The 基本支出表 printed in parts (``lay.basic_form``): sub-headed blocks, subtotal rows, two titled tables, or
    the two lists side by side."""
    lay = pr.lay
    pers, pub, p_sum, q_sum = _part_lists(pr)
    unit = f"单位：{pr.unit_word}"
    head = [Row([lay.w_eco_code, "科目名称", pr.amount_word])]
    if lay.basic_form == "blocks":
        return [Para(title), Para(unit), Para("（一）人员经费"),
                Grid("", unit, head, [Row(["", "人员经费合计", p_sum]), *pers]), Para("（二）公用经费"),
                Grid("", unit, head, [Row(["", "公用经费合计", q_sum]), *pub])]
    if lay.basic_form == "subtotals":
        total = Row(["合计", MERGED if lay.merge_labels else "", pr.money(pr.d.basic_total)],
                    merged=1 if lay.merge_labels else 0)
        body = [Row(["", "人员经费", p_sum]), *pers, Row(["", "公用经费", q_sum]), *pub]
        return [Grid(title, unit, head, [total, *body] if lay.total_row == "top" else [*body, total], role="basic")]
    if lay.basic_form == "tables":
        return [Grid(_part_title(pr, title, name), unit, head, [Row(["合计", "", figure]), *rows], role="basic")
                for name, figure, rows in (("人员经费", p_sum, pers), ("公用经费", q_sum, pub))]
    blank = Row(["", "", ""])
    pairs = [Row((pers[i] if i < len(pers) else blank).cells + (pub[i] if i < len(pub) else blank).cells)
             for i in range(max(len(pers), len(pub)))]
    subtotal = Row(["", "人员经费合计", p_sum, "", "公用经费合计", q_sum])
    groups = Row(["人员经费", MERGED, MERGED, "公用经费", MERGED, MERGED])
    body = [subtotal, *pairs] if lay.total_row == "top" else [*pairs, subtotal]
    return [Grid(title, unit, [groups, Row(head[0].cells * 2)], body, role="basic")]


def three_table(pr: Printer, title: str) -> Grid:
    d, lay = pr.d, pr.lay
    t = d.three_public
    m = lambda x: pr.money(x, zero="0.00")  # noqa: E731  (三公 tables print zeros)
    car = t["car_purchase"] + t["car_run"]
    if lay.three_form == "wide":
        top = ["“三公”经费合计", "因公出国（境）费", "公务用车购置及运行费", MERGED, MERGED, "公务接待费"]
        sub = ["", "", "小计", "公务用车购置费", "公务用车运行费", ""]
        vals = [m(d.three_public_total), m(t["abroad"]), m(car), m(t["car_purchase"]), m(t["car_run"]),
                m(t["reception"])]
        return Grid(title, "", [Row(top), Row(sub)], [Row(vals)])
    body = [Row(["合计", m(d.three_public_total)]), Row(["1.因公出国（境）费", m(t["abroad"])]),
            Row(["2.公务用车购置及运行维护费", m(car)]), Row(["其中：公务用车购置费", m(t["car_purchase"])]),
            Row(["公务用车运行维护费", m(t["car_run"])]), Row(["3.公务接待费", m(t["reception"])])]
    return Grid(title, "", [Row(["项目", f"{d.year}年{pr.amount_word}"])], body)


def project_table(pr: Printer, title: str) -> Grid:
    d, lay = pr.d, pr.lay

    def name(p) -> str:
        return p.name + p.code[p.code.index("T"):] if lay.name_suffix else p.name

    if d.phase == FINAL:
        heads = ["单位名称", "项目名称", "项目编码", "年初预算数", "全年预算数", "全年执行数"]
        total = [sum((getattr(p, a) for p in d.projects), Decimal(0)) for a in ("initial", "full_year", "amount")]
        body = [Row(["合计", "", ""] + [pr.money(x) for x in total])]
        for u in d.units:
            ps = [p for p in d.projects if p.unit is u]
            for i, p in enumerate(ps):
                unit = "" if lay.merge_labels and i else u.name
                body.append(Row([unit, name(p), p.code, pr.money(p.initial), pr.money(p.full_year), pr.money(p.amount)]))
        return Grid(title, "", [Row(heads)], body)
    carry = lay.w_carry
    heads = ["单位编码", "单位名称", "项目编码", "项目名称", "合计", "一般公共预算拨款", "事业收入", "其他收入", carry]

    def amounts(ps) -> list[str]:
        s = lambda a: sum((getattr(p, a) for p in ps), Decimal(0))  # noqa: E731
        return [pr.money(s("amount")), pr.money(s("gpb")), pr.money(s("business")), pr.money(s("other")),
                pr.money(s("carryover"))]

    lead = ["合计", MERGED, MERGED, MERGED] if lay.merge_labels else ["合计", "", "", ""]
    body = [Row(lead + amounts(d.projects), merged=3 if lay.merge_labels else 0)]
    for u in d.units:
        ps = [p for p in d.projects if p.unit is u]
        if not ps:
            continue
        body.append(Row([u.code, u.name, "", ""] + amounts(ps)))
        for i, p in enumerate(ps):
            unit = ["", ""] if lay.merge_labels else [u.code, u.name]
            body.append(Row(unit + [p.code, name(p)] + amounts([p])))
    return Grid(title, "", [Row(heads)], body)


def empty_fund_table(pr: Printer, title: str) -> Grid:
    heads = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    return Grid(title, "", [Row(heads)], [], note=f"本部门{pr.d.year}年无政府性基金预算支出，本表为空表。")


def _title(pr: Printer, role: str, i: int) -> str:
    d, lay = pr.d, pr.lay
    base = lay.title(role, 1 if d.phase == FINAL else 0, d.year)
    if d.unit_scope:
        base = base.replace("部门", "单位")
    if lay.numbering == "prefix":
        return f"表{CN[i - 1] if i <= 10 else str(i)}　{base}"
    if lay.numbering == "suffix":
        year = "" if base.startswith(str(d.year)) else f"{d.year}年"
        return f"{d.short_name}{year}{base}（表{i}）"
    return base


def doc_title(d: Disclosure, lay: Layout) -> str:
    """The cover title: 部门预算 of the department, or 单位预算 of its unit (``XX局本级2025年单位预算`` or
    ``XX局2025年单位预算（本级）``)."""
    kind = "决算" if d.phase == FINAL else "预算"
    year_word = f"{d.year}年度" if d.phase == FINAL else f"{d.year}年"
    if not d.unit_scope:
        return f"{d.department}{year_word}部门{kind}"
    unit = d.units[0].name
    if lay.unit_title == "paren" and unit.startswith(d.department):
        return f"{d.department}{year_word}单位{kind}（{unit[len(d.department):]}）"
    return f"{unit}{year_word}单位{kind}"


def running_title(d: Disclosure, lay: Layout) -> str:
    """The running header of every page."""
    if d.unit_scope:
        return doc_title(d, lay)
    return f"{d.department}{d.year}年部门{'决算' if d.phase == FINAL else '预算'}"


def blocks(d: Disclosure, lay: Layout) -> tuple[list, dict | None]:
    """The document: narrative paragraphs and tables, in the national templates' order; the damage done."""
    pr = Printer(d, lay)
    final = d.phase == FINAL
    kind = "决算" if final else "预算"
    year_word = f"{d.year}年度" if final else f"{d.year}年"
    scope_word = "单位" if d.unit_scope else "部门"
    cover = [Para(doc_title(d, lay))]
    if d.unit_scope:
        cover.append(Para(f"（主管部门：{d.department}　{kind}单位：{d.units[0].name}　单位编码：{d.units[0].code}）"))
    out: list = cover + [Para(f"公开咨询电话：{d.phone}"),
                 Para(f"第一部分　{d.short_name}概况"), Para("一、主要职能"),
                 Para(f"{d.department}是区人民政府工作部门，负责贯彻执行国家、省、市有关方针政策和法律法规，"
                      f"拟订全区{d.sector.name[:-1]}事业发展规划并组织实施，完成区委、区政府交办的其他任务。"),
                 ]
    inst = sum(u.institution for u in d.units)
    heading = f"二、机构设置和{kind}单位构成"
    lead = f"本部门{d.year}年部门{kind}由局本级" + (f"和{inst}个所属事业单位" if inst else "") + f"的{kind}组成，{kind}单位为："
    if d.unit_scope:
        lead = (f"本单位为{d.department}所属{'事业' if inst else '行政'}单位，{d.year}年单位{kind}"
                f"仅包括本单位本级{kind}，{kind}单位为：")
    if lay.unit_heading == "glued":  # as some exports print it: a long heading run into its first sentence
        out.append(Para(f"二、{d.department}（部门）机构设置和{kind}单位构成{lead}"))
    else:
        out += [Para(heading), Para(lead)]
    if lay.unit_list == "table":
        rows = [Row(["序号", "单位编码", "单位名称", "单位性质"])]
        rows += [Row([str(i), u.code, u.name, "事业单位" if u.institution else "行政单位"])
                 for i, u in enumerate(d.units, 1)]
        out.append(Grid("", "", rows[:1], rows[1:]))
    else:
        out += [Para(f"{i}. {u.name}（单位编码{u.code}）") for i, u in enumerate(d.units, 1)]
    total, admin, inst_staff = d.staff
    out += [Para("三、人员情况"),
            Para(f"本{scope_word}核定编制{total}人，其中：行政编制{admin}人，事业编制{inst_staff}人。"),
            Para(f"第二部分　{d.short_name}{year_word}{scope_word}{kind}表")]
    damaged = None
    tables = [("summary", summary_table), ("income", income_table), ("expenditure", None), ("fiscal", fiscal_table),
              ("gpb", None), ("basic", basic_table), ("three", three_table), ("fund", empty_fund_table),
              ("project", project_table)]
    for i, (role, make) in enumerate(tables, 1):
        title = _title(pr, role, i) if role != "fund" else _fund_title(pr, i)
        if role == "expenditure":
            grid = coded_table(pr, d.lines, False, title, dept_table=True)
            damaged = damage(grid, d, lay)
        elif role == "gpb":
            grid = coded_table(pr, d.lines, True, title, dept_table=False)
        elif role == "basic" and lay.basic_form != "columns":
            out += basic_parts(pr, title)
            continue
        else:
            grid = make(pr, title)
        grid.unit_line = f"单位：{pr.unit_word}"
        grid.role = role
        out.append(grid)
    m = lambda x: f"{(x / WAN).quantize(Decimal('0.01')):,.2f}"  # noqa: E731
    out += [Para(f"第三部分　{d.short_name}{year_word}{scope_word}{kind}情况说明"),
            Para(f"{d.year}年收入总计{m(d.income_total)}万元，支出总计{m(d.expenditure_total)}万元。"
                 f"其中基本支出{m(d.basic_total)}万元，项目支出{m(d.project_total)}万元。")]
    if lay.forms != "none":
        out.append(Para(f"第四部分　{d.short_name}{year_word}项目支出绩效{'自评结果' if final else '目标'}"))
        for i, form in enumerate(build_forms(d, d_seed(d)), 1):
            out.append(form_grid(pr, form, i))
    return out, damaged


def d_seed(d: Disclosure) -> int:
    """The seed of a model's forms: its department code and year (the model keeps no seed of its own)."""
    return int(d.dept_code) * 10000 + d.year


def form_name(p, i: int, lay: Layout) -> str:
    """The 项目名称 a form prints: the project table's name, or it with a bracketed qualifier, a prefix or a
    code suffix."""
    if lay.form_name == "qualifier":
        return p.name + ("（区级配套）", "（本级）", "（区级）")[i % 3]
    if lay.form_name == "prefix":
        return ("区级", "本级")[i % 2] + p.name
    if lay.form_name == "code_suffix":
        return p.name + (p.code[p.code.index("T"):] if i % 2 else p.code)
    return p.name


def form_grid(pr: Printer, f: FormRec, i: int) -> Grid:
    """One project's performance form as one ruled grid: key–value fields, then the indicator rows."""
    d, lay = pr.d, pr.lay
    final = d.phase == FINAL
    width = 5 if final else 4
    spread = lay.forms == "kv_merged"  # merged cells dropped in the text export
    p = f.project

    def field_row(*cells: str) -> Row:
        cells = list(cells) + [MERGED] * (width - len(cells))
        return Row(cells, merged=int(spread and MERGED in cells))

    name = form_name(p, i, lay)
    with_code = lay.form_name != "code_suffix" and i % 2 == 1
    w = lambda x: f"{(x / WAN).quantize(Decimal('0.01')):,.2f}"  # noqa: E731  (forms print 万元)
    body: list[Row] = []
    if lay.forms == "rows":
        body.append(field_row("项目名称", name))
        if with_code:
            body.append(field_row("项目编码", p.code))
        body += [field_row("主管部门", d.department), field_row("实施单位", f.executor)]
    else:
        body.append(field_row("项目名称", name, "项目编码", p.code) if with_code else field_row("项目名称", name))
        body.append(field_row("主管部门", d.department, "实施单位", f.executor))
    if lay.legal_basis:
        body.append(field_row("立项依据", f.basis))
    if final:
        body.append(Row(["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数"]))
        body.append(Row(["", "年度资金总额", w(p.initial), w(p.full_year), w(p.amount)]))
        body.append(field_row("年度总体目标", f.annual_goal.partition("：")[2]))
    else:
        body.append(field_row("项目资金（万元）", "年度资金总额", w(p.amount)))
        body.append(field_row("", "其中：财政拨款", w(p.fiscal)))
        body.append(field_row("", "其他资金", w(p.business + p.other)))
        body.append(field_row("长期目标", f.long_goal.partition("：")[2]))
        body.append(field_row("年度目标", f.annual_goal.partition("：")[2]))
    head = Row(["一级指标", "二级指标", "三级指标"] + (["年度指标值", "实际完成值"] if final else ["指标值"]))
    at_head = len(body)
    body.append(head)
    starts: list[int] = []
    prev: tuple[str, str] = ("", "")
    for ind in f.indicators:
        l1 = ind.level1 if ind.level1 != prev[0] or lay.indicator_rows == "full" else None
        l2 = ind.level2 if (ind.level1, ind.level2) != prev or lay.indicator_rows == "full" else None
        prev = (ind.level1, ind.level2)
        fill = MERGED_UP if lay.indicator_rows == "short" else ""
        l3, rest = ind.level3, ""
        if lay.wrap_indicators and len(l3) >= 8:
            cut = math.ceil(len(l3) / 2)
            l3, rest = l3[:cut], l3[cut:]
        values = [ind.printed(lay.spaced_values)] + ([ind.actual] if final else [])
        starts.append(len(body))
        row = Row([l1 if l1 is not None else fill, l2 if l2 is not None else fill, l3] + values)
        row.merged = int(MERGED_UP in row.cells)
        body.append(row)
        if rest:
            body.append(Row(["", "", rest] + [""] * (width - 3)))
    grid = Grid(f"{lay.form_title(final)}（{i}）", f"（{d.year}年度）", [], body, role="form", again=[head])
    if lay.form_break == "fields":
        grid.breaks[at_head] = "bare"
    elif lay.form_break in ("indicators", "continued") and len(starts) > 1:
        grid.breaks[starts[len(starts) // 2]] = "bare" if lay.form_break == "indicators" else "continued"
    return grid


def _fund_title(pr: Printer, i: int) -> str:
    base = "政府性基金预算财政拨款收入支出决算表" if pr.d.phase == FINAL else "政府性基金预算支出表"
    lay = pr.lay
    if lay.numbering == "prefix":
        return f"表{CN[i - 1]}　{base}"
    if lay.numbering == "suffix":
        return f"{pr.d.short_name}{pr.d.year}年{base}（表{i}）"
    return base


# --- serialisation ---------------------------------------------------------------------------------------------


def _text_cells(row: Row) -> list[str]:
    """A row as the text export prints it: a merged label once (the row has fewer cells); the cells a header
    group spans as empty cells (as the seeds print ``收 入<TAB><TAB>支 出``)."""
    if row.merged:
        return [c for c in row.cells if c not in (MERGED, MERGED_UP)]
    return ["" if c in (MERGED, MERGED_UP) else c for c in row.cells]


def _pdf_cells(row: Row) -> list[str]:
    return list(row.cells)


def to_text(d: Disclosure, lay: Layout) -> str:
    items, _ = blocks(d, lay)
    running = running_title(d, lay)
    out: list[str] = ["", ""]
    page = [3]

    def row_line(cells: list[str]) -> str:
        return "\t".join(cells)

    for it in items:
        if isinstance(it, Para):
            out += [it.text, ""]
            continue
        width = max(len(_text_cells(r)) for r in it.header + it.body) if it.header or it.body else 2
        rows: list[str] = []
        if it.role and lay.new_page:
            page[0] += 1
            out += [f"— {page[0] - 1} —", "", running, ""]
        if it.title and lay.title_pos == "in_grid":
            rows.append(row_line([it.title] + [""] * (width - 1)))
            rows.append(row_line([""] * (width - 1) + [it.unit_line]))
        elif it.title:
            out += [it.title, "", it.unit_line, ""]
        rows += [row_line(_text_cells(r)) for r in it.header]
        for j, r in enumerate(it.body):
            kind = it.breaks.get(j)
            if kind:
                page[0] += 1
                rows += ["", f"— {page[0] - 1} —", "", running, ""]
                if kind == "repeat_header":
                    rows += [row_line(_text_cells(h)) for h in it.header]
                elif kind == "continued":
                    rows += ["续表", "", it.unit_line, ""] + [row_line(_text_cells(h)) for h in it.header or it.again]
            rows.append(row_line(_text_cells(r)))
        if it.note:
            rows.append(row_line([it.note] + [""] * (width - 1)))
        out += rows + [""]
    return "\n".join(out) + "\n"


def to_pdf_source(d: Disclosure, lay: Layout) -> str:
    """The rows for ``tests/pdfgen.py``: merged cells marked, page breaks as form feeds, no running lines."""
    items, _ = blocks(d, lay)
    out: list[str] = []
    for it in items:
        if isinstance(it, Para):
            out += [it.text, ""]
            continue
        width = max(len(r.cells) for r in it.header + it.body)
        rows: list[str] = []
        if it.role and lay.new_page:
            out.append(pdfgen.PAGE_BREAK)
        if it.title and lay.title_pos == "in_grid":
            rows.append("\t".join([it.title] + [MERGED] * (width - 1)))
            rows.append("\t".join([it.unit_line] + [MERGED] * (width - 1)))
        elif it.title:
            out += [it.title, it.unit_line, ""]
        rows += ["\t".join(_pdf_cells(r)) for r in it.header]
        for j, r in enumerate(it.body):
            kind = it.breaks.get(j)
            if kind:
                rows.append(pdfgen.PAGE_BREAK)
                if kind in ("repeat_header", "continued"):
                    rows += ["\t".join(_pdf_cells(h)) for h in it.header or it.again]
            rows.append("\t".join(_pdf_cells(r)))
        if it.note:
            rows.append("\t".join([it.note] + [MERGED] * (width - 1)))
        out += rows + [pdfgen.TABLE_END, ""]
    return "\n".join(out) + "\n"


# --- expected records ------------------------------------------------------------------------------------------


def _wan(x: Decimal | None) -> float | None:
    return None if x is None or not x else float(x / WAN)


def expected(d: Disclosure, lay: Layout) -> dict:
    """The records extraction must give for this variant, from the model alone."""
    _, damaged = blocks(d, lay)
    dept = [[ln.code, ln.name, float(ln.total / WAN), _wan(ln.basic), _wan(ln.project)] for ln in d.lines]
    gpb = [[ln.code, ln.name, float(ln.fiscal_total / WAN), _wan(ln.basic), _wan(ln.fiscal_project)]
           for ln in d.lines if ln.fiscal_total]
    t = d.three_public
    document = {"department": d.department, "year": d.year, "phase": d.phase,
                "budget_scope": "unit" if d.unit_scope else "department"}
    if d.unit_scope:
        document["budget_unit"] = d.units[0].name
    out = {
        "document": document,
        "units": [[u.code, u.name] for u in d.units],
        "totals": {
            "income_total": float(d.income_total / WAN),
            "expenditure_total": float(d.expenditure_total / WAN),
            "fiscal_appropriation_total": float(d.fiscal_total / WAN),
            "basic_expenditure": float(d.basic_total / WAN),
            "project_expenditure": float(d.project_total / WAN),
            "carryover_from_last_year": _wan(d.carryover),
            "three_public_total": float(d.three_public_total / WAN),
            "personnel_expenditure": float(d.personnel_total / WAN),
            "public_expenditure": float((d.basic_total - d.personnel_total) / WAN),
        },
        "functional_lines": dept,
        "functional_lines_other": gpb,
        "economic_lines": [[code, float(amount / WAN)] for code, _, amount in d.economic],
        "projects": [[p.name, float(p.amount / WAN)] for p in d.projects],
        "three_public": {"total": float(d.three_public_total / WAN), "abroad": float(t["abroad"] / WAN),
                         "car": float((t["car_purchase"] + t["car_run"]) / WAN),
                         "reception": float(t["reception"] / WAN)},
        "damaged": damaged,
    }
    if lay.forms != "none":
        out["indicators"] = expected_indicators(d)
    return out


def _number(x: Decimal | None) -> str | None:
    return None if x is None else format(x.normalize(), "f")


def expected_indicators(d: Disclosure) -> dict[str, list]:
    """Each project's indicators (empty without a form): goal, 一级, 二级, 三级, value as printed (spaces
    removed), comparator, number, unit, and in a 决算 the 实际完成值."""
    forms = {f.project.code: f for f in build_forms(d, d_seed(d))}
    out: dict[str, list] = {}
    for p in d.projects:
        f = forms.get(p.code)
        out[p.name] = [["annual", i.level1, i.level2, i.level3, i.printed().replace(" ", ""), i.comparator or None,
                        _number(i.number), i.unit or None, i.actual or None] for i in (f.indicators if f else ())]
    return out


def write(seed: int, medium: str, out: Path, layout: Layout | None = None) -> dict[str, Path]:
    """Write one variant's files into ``out``; their paths by kind."""
    d, lay = variant(seed, medium, layout)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"text": out / "variant.txt", "expected": out / "expected.json", "layout": out / "layout.json"}
    paths["text"].write_text(to_text(d, lay), encoding="utf-8")
    paths["expected"].write_text(json.dumps(expected(d, lay), ensure_ascii=False, indent=2), encoding="utf-8")
    paths["layout"].write_text(json.dumps({"seed": seed, **lay.params()}, ensure_ascii=False, indent=2),
                               encoding="utf-8")
    if medium == PDF:
        paths["pdf"] = write_pdf(d, lay, out / "variant.pdf")
        (out / "variant.pdf-source.txt").write_text(to_pdf_source(d, lay), encoding="utf-8")
    return paths


# pages layout → (tables wider than this many columns go sideways, the landscape page size)
PAGES = {"a4": (pdfgen.LANDSCAPE_COLUMNS, "A4"), "landscape_tables": (0, "A4"), "a3_tables": (0, "A3")}


def write_pdf(d: Disclosure, lay: Layout, path: Path) -> Path:
    from reportlab.lib.pagesizes import A3, A4, landscape

    columns, paper = PAGES[lay.pages]
    return pdfgen.render(to_pdf_source(d, lay), path, repeat_header=True, title=running_title(d, lay),
                         landscape_columns=columns, wide_pages=(landscape({"A4": A4, "A3": A3}[paper]),))


def command(seed: int, medium: str, options: str = "", name: str = "") -> str:
    """The command line that writes this variant's files and says how its extraction differs."""
    return (f"python -m tests.metamorphic.render --seed {seed} --medium {medium}{options} "
            f"--out /tmp/variant-{name or f'{medium}-{seed}'} --check")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.metamorphic.render", description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--medium", choices=(TEXT, PDF), default=TEXT)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--layout", choices=("drawn", "forms", "default"), default="drawn",
                    help="the layout the seed draws (as the suite runs it), the same with performance forms "
                         "drawn too, or the default layout")
    ap.add_argument("--pair", action="store_true",
                    help="also write the 部门预算 of the same department (scope=department) and, with --check, "
                         "ingest both into one store and check that each keeps its own budget and totals")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="change one layout parameter (repeatable), e.g. --set header_rows=2")
    ap.add_argument("--check", action="store_true", help="also extract the file and print how it differs")
    args = ap.parse_args(argv)
    drawn = {"drawn": draw, "forms": draw_forms}
    layout = drawn[args.layout](args.seed, args.medium) if args.layout in drawn else None
    if args.set or args.layout == "default":
        layout = custom_layout(args.medium, args.set, layout)
    if args.pair:
        from .pairs import check_pair

        diffs = check_pair(args.seed, args.medium, layout, args.out, extract_only=not args.check)
        print("\n".join(diffs) or ("reads as its model" if args.check else f"written to {args.out}"))
        return 1 if diffs else 0
    paths = write(args.seed, args.medium, args.out, layout)
    for kind, path in paths.items():
        print(f"{kind}: {path}")
    if args.check:
        from ingest.pipeline import extract

        from .compare import differences

        want = json.loads(paths["expected"].read_text(encoding="utf-8"))
        diffs = differences(extract(paths["pdf" if args.medium == PDF else "text"]), want)
        print("\n".join(diffs) or "reads as its model")
        return 1 if diffs else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Project forms: 部门项目申报表(含绩效目标) / 项目支出绩效目标表（一项一表）.

A form is read top to bottom as a small state machine.  Section markers
(项目资金来源, 项目支出明细测算, 项目采购, 项目绩效总目标, 长期/年度绩效目标表) switch
the section; before the first marker the rows are label → value pairs found by
their label words.  The result is one ``ctx.mention('form', Project(...))``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ..citations import find_citations, repair_titles
from ..context import Context
from ..layout import Block, Line, clean_cell, is_page_break_mark
from ..normalise import clean_name, norm_text, squash
from ..numbers import NumberError, amount_in_text, parse_amount
from ..records import (
    ANNUAL, GOAL_FIELDS, LONG_TERM, PROJECT_SOURCED_FIELDS, Activity, Citation, FieldSource, Funding,
    ProcurementRow, Project, Provenance, field_source,
)
from ..sections import table_unit
from .grid import is_preamble_row
from .indicators import IndicatorTable
from .projects import name_and_code

# label → field, matched on the squashed cell (the first pattern that matches wins)
LABELS: list[tuple[str, re.Pattern]] = [
    ("name", re.compile(r"^项目名称$")),
    ("code", re.compile(r"^项目(?:编码|代码|编号)$")),
    ("department", re.compile(r"^(?:项目)?主管部门$")),
    ("executing_unit", re.compile(r"^(?:项目)?(?:执行|实施)单位$")),
    ("attribute", re.compile(r"^项目(?:属性|性质)$")),
    ("category", re.compile(r"^(?:支出)?项目(?:类别|类型)$")),
    ("start_year", re.compile(r"^(?:项目)?(?:计划)?(?:起始|开始)(?:年度|日期|时间)$")),
    ("end_year", re.compile(r"^(?:项目)?(?:计划)?(?:终止|结束|完成)(?:年度|日期|时间)$")),
    ("legal_basis_text", re.compile(r"^(?:项目)?(?:立项依据|申请理由)$")),
    ("implementation_text", re.compile(r"^(?:项目)?(?:实施方案|主要内容)$")),
    ("period", re.compile(r"^项目(?:期限|周期|实施期)$")),
    ("form_total_budget", re.compile(r"^项目总预算|^项目资金总额$")),
    ("form_current_year_budget", re.compile(r"^项目(?:当年|本年)预算|^(?:年度|当年)资金申请总额$")),
    ("other", re.compile(r"^(?:项目负责人|联系电话|单位地址|邮政编码|项目前两年.*|填报人|申报日期.*)$")),
]

# a label the form prints that no field takes (预算单位, 资金用途, 项目负责人 …): it ends the value before it
_OTHER_LABEL = re.compile(r"^[\u4e00-\u9fff]{0,6}(?:单位|部门|名称|编码|代码|类别|类型|用途|负责人|联系人|电话|期限|周期|属性|"
                          r"性质|方式|日期|时间|地址|领域|级次)$")

SECTIONS: list[tuple[str, re.Pattern]] = [
    ("funding", re.compile(r"^项目(?:当年)?资金(?:来源|[（(]万元[)）])?$")),
    ("activities", re.compile(r"^项目(?:支出明细|资金)测算")),
    ("procurement", re.compile(r"^项目采购")),
    ("goals", re.compile(r"^项目绩效总目标|^绩效总目标$")),
    (LONG_TERM, re.compile(r"^长期绩效目标表?$")),
    (ANNUAL, re.compile(r"^年度绩效目标表?$|^(?:年度)?绩效指标表?$")),  # a bare 绩效指标 table: the year's
]
_GOAL_ROW = re.compile(r"^(长期|年度)绩效目标$")
# column heads over goal texts printed side by side in the next row: 项目总目标 | 年度总体目标
_GOAL_HEAD = re.compile(r"^(?:(?P<long>项目总目标|(?:中)?长期(?:总体)?目标|总体目标)|(?P<annual>年度(?:总体)?目标))$")
# heads beside a goal head naming what the texts under them are (自评表: 年度总体目标 | 预期目标 | 实际完成情况):
# the goal set, or what was achieved (text, read but not a goal)
_GOAL_SUBHEAD = re.compile(r"^(?:(?P<goal>预期目标|目标内容)|(?P<outcome>(?:目标)?(?:实际)?完成(?:情况|值)|实际完成))$")
OUTCOME = "outcome"  # a goal column's kind: what was achieved
_INDICATOR_HEAD = ("一级指标", "二级指标")
_GOAL_LABEL_CELLS = ("长期绩效目标", "年度绩效目标", "目标名称")
_ACTIVITY_COLUMNS = {"name": r"项目活动|支出内容|支出项目|测算内容", "description": r"活动内容",
                     "economic_class": r"经济分类", "amount": r"金额", "basis": r"测算依据"}
# a Project field → the form labels its value may be printed under (the field's own name where not listed)
_FIELD_LABELS = {"start_year": ("start_year", "period"), "end_year": ("end_year", "period")}
SNIPPET = 200  # characters of a citation's line kept around it
_FUNDING_TOTAL = re.compile(r"^(?:合计|总计|资金总额|年度资金总额|项目资金总额)$")


def label_of(cell: str) -> str | None:
    s = squash(cell)
    for name, pattern in LABELS:
        if pattern.match(s):
            return name
    return None


def section_of(cells: list[str]) -> str | None:
    """The section a row opens, when its first non-empty cell is a marker."""
    filled = [squash(c) for c in cells if squash(c)]
    if not filled:
        return None
    for name, pattern in SECTIONS:
        if pattern.match(filled[0]) and (name not in (LONG_TERM, ANNUAL) or len(filled) == 1
                                         or any(c == "一级指标" for c in filled)):
            return name
    return None


@dataclass
class _Form:
    """What one form says, collected before the Project record is built."""

    fields: dict[str, str] = field(default_factory=dict)
    funding: list[Funding] = field(default_factory=list)
    activities: list[dict] = field(default_factory=list)
    procurement: list[ProcurementRow] = field(default_factory=list)
    goals: list[tuple[str, str, Line]] = field(default_factory=list)  # (LONG_TERM|ANNUAL, text, its line)
    tables: dict[str, IndicatorTable] = field(default_factory=dict)
    field_lines: dict[str, list[Line]] = field(default_factory=dict)  # the lines each labelled field's value is on
    funding_col: int | None = None  # the 执行数 column of a 决算 funding table
    goal_cols: list[tuple[int, str]] = field(default_factory=list)  # (column, goal) of a goal-head row
    after_total: bool = False  # the previous funding row was 合计 / 资金总额
    funding_total: Decimal | None = None  # the amount of that 合计 / 资金总额 row
    funding_total_line: Line | None = None
    indicator_width: int = 0  # the most cells an indicator row (or its header) fills


def parse_project_form(block: Block, ctx: Context) -> None:
    """Read one project form into a ``form`` mention."""
    reader = _FormReader(block, ctx)
    form = reader.read()
    name, code = name_and_code(form.fields.get("name") or "")
    if not name:
        ctx.warn("form.no_name", ctx.prov(block.lines[0], table=block.title), table=block.title)
        return
    project = reader.project(form, name)
    ctx.mention("form", replace(project, code=project.code or code))


class _FormReader:
    def __init__(self, block: Block, ctx: Context):
        self.block, self.ctx = block, ctx
        self.money = table_unit(block)
        self.unit, self.unit_line = _form_unit(block)

    def prov(self, line: Line, row: int | None = None) -> Provenance:
        return self.ctx.prov(line, table=self.block.title, row=row)

    def read(self) -> _Form:
        form = _Form()
        section, last_label, activity_cols = "header", None, None
        lines, resume = self.block.lines, 0
        for i, line in enumerate(lines[1:], start=1):
            if i < resume:
                continue
            cells = line.values() if line.is_row else [line.plain]
            if not any(squash(c) for c in cells):
                continue
            resume = page_break_end(lines, i)
            if resume > i:  # the form goes on over a page break: its rows after it are the form's
                in_indicators = section in (LONG_TERM, ANNUAL) and form.tables
                if in_indicators and not (resume < len(lines) and _fits(lines[resume], form.indicator_width)):
                    break  # a table of its own after the break, not the form's indicator rows
                continue
            if form.goal_cols and self._goal_texts(cells, line, form):
                continue
            if self._goal_heads(cells, line, form):
                continue
            opened = section_of(cells)
            if opened is None and section not in (LONG_TERM, ANNUAL) and all(
                    h in (squash(c) for c in cells) for h in _INDICATOR_HEAD):
                opened = ANNUAL  # an indicator header row inside the form: the year's indicators
            if opened:
                section = opened
                if opened in (LONG_TERM, ANNUAL):
                    form.tables.setdefault(opened, IndicatorTable(annual=opened == ANNUAL))
                    self._indicator_row(cells, line, i, form, section)  # a header on the marker row
                elif opened == "activities":
                    activity_cols = self._activity_row(cells, line, i, form, None)
                elif opened == "funding":
                    self._funding_row(cells, line, i, form)
                continue
            if not line.is_row and section in (LONG_TERM, ANNUAL) and form.tables:
                break  # narrative after the last form table (the block ran on)
            first = next(c for c in cells if squash(c))
            if section not in (LONG_TERM, ANNUAL) and label_of(_colon_pairs(first)[0]) not in (None, "other"):
                section = "header"  # a labelled field after a funding / activity block
            if section not in (LONG_TERM, ANNUAL, "goals") and _GOAL_ROW.match(squash(first)):
                self._goal_row(cells, line, form)  # a goal text row without a 项目绩效总目标 block
                continue
            if section == "header":
                last_label = self._header_row(cells, line, form, last_label)
            elif section == "funding":
                self._funding_row(cells, line, i, form)
            elif section == "activities":
                activity_cols = self._activity_row(cells, line, i, form, activity_cols)
            elif section == "procurement":
                self._procurement_row(cells, line, i, form)
            elif section == "goals":
                section = self._goal_row(cells, line, form) or section
                if section in (LONG_TERM, ANNUAL):
                    form.tables.setdefault(section, IndicatorTable(annual=section == ANNUAL))
                    self._indicator_row(cells, line, i, form, section)
            else:
                self._indicator_row(cells, line, i, form, section)
        return form

    # --- sections ---------------------------------------------------------

    def _header_row(self, cells: list[str], line: Line, form: _Form, last_label: str | None) -> str | None:
        """Label → value pairs; a row without a label continues the previous long text.  Each field
        remembers the lines its value is on."""
        cells = [part for cell in cells for part in _colon_pairs(cell)]
        current, values = None, []
        found_label = False

        def flush():
            if current and current != "other" and values:
                joiner = "" if current in ("code", "name") else " "
                prev = form.fields.get(current)
                text = joiner.join(values)
                form.fields[current] = f"{prev}{joiner}{text}" if prev and current.endswith("_text") else text
                lines = form.field_lines.setdefault(current, [])
                if line not in lines:
                    lines.append(line)

        for cell in cells:
            label = label_of(cell)
            if label is None and current and not current.endswith("_text") and values and \
                    _OTHER_LABEL.match(squash(cell)):
                label = "other"  # "项目名称 | X | 预算单位 | Y": Y is not part of X
            if label:
                flush()
                current, values, found_label = label, [], True
            elif squash(cell):
                values.append(cell)
        if not found_label:
            current = last_label if last_label and last_label.endswith("_text") else None
        flush()
        return current

    @staticmethod
    def _goal_heads(cells: list[str], line: Line, form: _Form) -> bool:
        """A ``项目总目标 | 年度总体目标`` row: remember which column holds which goal.

        Heads naming the texts under them beside a goal head (``年度总体目标 | 预期目标 | 实际完成情况``) say the
        columns instead: a 预期目标 column holds the goal of the head to its left, a 实际完成情况 column what was
        achieved.  A head with its text beside it (``年度目标 | 困难群众…``) is a goal row of its own: its texts
        are read there, and the next row is not taken for them."""
        heads = [(j, _GOAL_HEAD.match(squash(c))) for j, c in enumerate(cells)]
        cols = [(j, LONG_TERM if m["long"] else ANNUAL) for j, m in heads if m]
        if not cols:
            form.goal_cols = []
            return False
        subheads = [(j, m) for j, c in enumerate(cells) if (m := _GOAL_SUBHEAD.match(squash(c)))]
        if subheads:
            form.goal_cols = [(j, OUTCOME if m["outcome"] else next(k for h, k in reversed(cols) if h < j))
                              for j, m in subheads if j > cols[0][0]]
            return True
        form.goal_cols = cols
        if any(squash(c) and not m for c, (_, m) in zip(cells[cols[0][0]:], heads[cols[0][0]:])):
            return _FormReader._goal_texts(cells, line, form, offset=1)
        return True

    @staticmethod
    def _goal_texts(cells: list[str], line: Line, form: _Form, offset: int = 0) -> bool:
        """The goal texts under a goal-head row, each from its head's column to the next head's
        (``offset`` 1: beside each head, in the head's own row)."""
        cols, form.goal_cols = form.goal_cols, []
        bounds = [j for j, _ in cols] + [len(cells)]
        found = False
        for (j, goal), end in zip(cols, bounds[1:]):
            text = norm_text(" ".join(c for c in cells[j + offset:end] if squash(c)))
            if text and not _GOAL_HEAD.match(squash(text)):
                if goal != OUTCOME:
                    form.goals.append((goal, text, line))
                found = True
        return found

    def _funding_row(self, cells: list[str], line: Line, i: int, form: _Form) -> None:
        """Top-level 来源 rows with an amount; 其中 rows only under a 合计/资金总额 row.

        Where the header names an 执行数 column (决算 自评表), that column is the amount.
        """
        executed = [j for j, c in enumerate(cells) if "执行数" in squash(c)]
        if executed:
            form.funding_col = executed[0]
            return
        filled = [c for c in cells if squash(c)]
        if filled and section_of(filled[:1]) == "funding":
            filled = filled[1:]  # the marker cell itself
        if not filled:
            return
        source = re.sub(r"^\d+\s*[.、．]\s*", "", squash(filled[0]))
        if not _names_funds(source):
            return  # a text the funding block holds (a goal, what was achieved), not a source of funds
        under_total, form.after_total = form.after_total, bool(_FUNDING_TOTAL.match(source))
        col = form.funding_col
        cell = cells[col] if col is not None and col < len(cells) else filled[-1] if len(filled) > 1 else ""
        if form.after_total and form.funding_total is None:
            form.funding_total, form.funding_total_line = self._amount(cell, line, in_text=False), line
        if source in ("来源项目", "金额") or form.after_total:
            return
        if source.startswith("其中"):
            if not under_total:
                return
            source = re.sub(r"^其中[:：]?", "", source)
        amount = self._amount(cell, line, in_text=False)
        if amount:
            form.funding.append(Funding(source, amount, self.prov(line, i)))

    def _activity_row(self, cells, line, i, form, cols):
        if cols is None:
            found = {key: _column(cells, words) for key, words in _ACTIVITY_COLUMNS.items()}
            if found["name"] is not None:
                return found
            return None
        get = {key: (cells[j] if j is not None and j < len(cells) else "") for key, j in cols.items()}
        if squash(get["name"]) or squash(get["amount"]):
            form.activities.append({**get, "amount": self._amount(get["amount"], line), "prov": self.prov(line, i),
                                    "lines": [full_line(self.prov(line, i), line)]})
        elif form.activities:  # cells wrapped onto the next line
            last = form.activities[-1]
            for key in ("description", "basis", "economic_class"):
                if squash(get[key]):
                    last[key] = f"{last[key]} {get[key]}"
            last["lines"].append(full_line(self.prov(line, i), line))
        return cols

    def _procurement_row(self, cells, line, i, form):
        filled = [clean_cell(c) for c in cells if squash(c) and not re.fullmatch(r"-+", squash(c))]
        if len(filled) < 2 or squash(filled[0]) == "品名":
            return
        amount = self._amount(filled[-1], line)
        quantity = squash(filled[1]) if len(filled) > 2 else None
        form.procurement.append(ProcurementRow("form", self.unit, None, squash(filled[0]), amount, quantity,
                                               self.prov(line, i)))

    def _goal_row(self, cells: list[str], line: Line, form: _Form) -> str | None:
        filled = [c for c in cells if squash(c)]
        m = _GOAL_ROW.match(squash(filled[0]))
        if not m:
            return None
        if len(filled) == 1:
            return LONG_TERM if m[1] == "长期" else ANNUAL
        form.goals.append((LONG_TERM if m[1] == "长期" else ANNUAL, norm_text(" ".join(filled[1:])), line))
        return None

    def _indicator_row(self, cells, line, i, form, section):
        if not line.is_row:
            return
        form.indicator_width = max(form.indicator_width, _width(cells))
        skip = _GOAL_LABEL_CELLS + ((clean_name(form.fields.get("name")),) if form.fields.get("name") else ())
        form.tables[section].feed(cells, self.prov(line, i), skip=skip)

    def _amount(self, cell: str, line: Line, in_text: bool = True) -> Decimal | None:
        """The amount a cell prints; ``in_text``: else the first ``N 万元`` in its text (a labelled field's value,
        ``120万元（其中财政拨款100万元）``), never for a funding row's cell, which holds an amount or nothing."""
        s = squash(cell)
        if not s:
            return None
        try:
            return parse_amount(s, self.money)
        except NumberError:
            value = amount_in_text(s) if in_text and re.search(r"\d", s) else None
            if value is None:
                self.ctx.warn("form.bad_amount", self.prov(line), cell, table=self.block.title, text=cell)
            return value

    # --- the record -------------------------------------------------------

    def project(self, form: _Form, name: str) -> Project:
        f = form.fields
        prov = self.prov(self.block.lines[0])
        activities = tuple(self._activity(a) for a in form.activities)
        total = self._money_field(f.get("form_total_budget"))
        current = self._money_field(f.get("form_current_year_budget"))
        funded = sum((x.amount for x in form.funding), Decimal(0)) if form.funding else None
        # the printed 合计 / 年度资金总额: the amount where its 执行数 column is known (决算 自评表), else only
        # where no source row has one (a last cell may be a 分值 or an 执行率)
        printed_total = form.funding_total if form.funding_col is not None or funded is None else None
        if LONG_TERM in form.tables and ANNUAL in form.tables:
            form.tables[LONG_TERM].adopt_levels(form.tables[ANNUAL])  # annual tables are the better kept
        indicators = tuple(ind for goal in (LONG_TERM, ANNUAL) if goal in form.tables
                           for ind in form.tables[goal].indicators(goal))
        project = Project(
            name=name,
            code=_code(f.get("code")),
            unit=self.unit,
            executing_unit=squash(f.get("executing_unit")) or None,
            amount=next((a for a in (current, total, printed_total, funded) if a is not None), None),
            form_total_budget=total,
            form_current_year_budget=current,
            attribute=squash(f.get("attribute")) or None,
            category=squash(f.get("category")) or None,
            start_year=_year(f.get("start_year")) or _year(f.get("period")),
            end_year=_year(f.get("end_year")) or _year(f.get("period"), last=True),
            legal_basis_text=norm_text(f.get("legal_basis_text")),
            implementation_text=norm_text(f.get("implementation_text")),
            funding=tuple(form.funding),
            activities=activities,
            procurement=tuple(_with_project(r, name) for r in form.procurement),
            indicators=indicators,
            goals=tuple((goal, text) for goal, text, _ in form.goals),
            provenance=prov,
        )
        project = replace(project, field_sources=self.field_sources(form, project, current, total,
                                                                    printed_total is not None))
        where = {fld: [full_line(self.prov(line), line) for line in form.field_lines[label]] for fld, label in
                 (("legal_basis", "legal_basis_text"), ("implementation", "implementation_text"))
                 if label in form.field_lines}
        where.update({("activity_calc", k): a["lines"] for k, a in enumerate(form.activities)})
        return replace(project, citations=tuple(form_citations(project, prov, where)))

    def field_sources(self, form: _Form, project: Project, current: Decimal | None,
                      total: Decimal | None, from_total: bool) -> tuple[FieldSource, ...]:
        """Where each field the form fills was read: the lines of its label's value (a value on several
        lines: the first, its box grown over the others on that page, the value as snippet); the amount
        where it was taken from (``from_total``: the funding 合计 row); each goal its row.  A field read
        elsewhere (an amount summed from the funding rows) is left to the form's provenance."""
        labels = dict(_FIELD_LABELS, amount=("form_current_year_budget",) if current is not None else
                      ("form_total_budget",) if total is not None else ())
        out = []
        for name in PROJECT_SOURCED_FIELDS:
            if getattr(project, name) in (None, ""):
                continue
            label = next((lb for lb in labels.get(name, (name,)) if lb in form.field_lines), None)
            if label is not None:
                out.append(FieldSource(name, value_provenance(self.ctx, form.field_lines[label], form.fields[label],
                                                              self.block.title)))
            elif name == "unit" and self.unit_line is not None:
                out.append(FieldSource(name, self.prov(self.unit_line)))
            elif name == "amount" and not labels["amount"] and from_total:
                out.append(FieldSource(name, self.prov(form.funding_total_line)))
        out += [FieldSource(GOAL_FIELDS[goal], self.prov(line), text) for goal, text, line in form.goals]
        return tuple(out)


    def _activity(self, a: dict) -> Activity:
        return Activity(name=squash(a["name"]), description=norm_text(a["description"]),
                        economic_class=squash(a["economic_class"]) or None, amount=a["amount"],
                        basis=norm_text(a["basis"]), provenance=a["prov"])

    def _money_field(self, text: str | None) -> Decimal | None:
        if not text:
            return None
        return self._amount(text, self.block.lines[0])


def value_provenance(ctx: Context, lines: list[Line], value: str, table: str | None = None) -> Provenance:
    """Where a value read on ``lines`` is: the first line; for a value on several lines, the value as the
    snippet and the box of its lines on the first line's page."""
    prov = ctx.prov(lines[0], table=table)
    if len(lines) == 1:
        return prov
    boxes = [ln.bbox for ln in lines if ln.bbox is not None and ln.page == lines[0].page]
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes)) if boxes else None
    return replace(prov, snippet=norm_text(value)[:200], bbox=bbox)


def form_citations(project: Project, prov: Provenance | None,
                   where: dict[str | tuple[str, int], list[Provenance]] | None = None) -> list[Citation]:
    """Citations in the form's texts, tagged with the field they appear in and placed on that field's line
    that shows them (``where``: ``legal_basis`` | ``implementation`` | ``("activity_calc", k)`` → the lines
    of that field, of activity ``k``; a goal: its own row, where the project says; else ``prov``)."""
    where = where or {}

    def goal_at(kind: str, text: str) -> Provenance | None:
        found = field_source(project, GOAL_FIELDS[kind], text)
        return found.provenance if found else prov

    texts = [(project.legal_basis_text, "legal_basis", where.get("legal_basis") or [prov]),
             (project.implementation_text, "implementation", where.get("implementation") or [prov])]
    texts += [(a.basis, "activity_calc", where.get(("activity_calc", k)) or [a.provenance or prov])
              for k, a in enumerate(project.activities)]
    texts += [(text, "performance_goal", [goal_at(kind, text)]) for kind, text in project.goals]
    out: list[Citation] = []
    seen = set()
    for text, fld, places in texts:
        for c in find_citations(repair_titles(text), fld, places[0]):
            if (c.kind, c.key, c.field) not in seen:
                seen.add((c.kind, c.key, c.field))
                out.append(replace(c, provenance=line_showing(places, c.raw)))
    return out


def line_showing(places: list[Provenance | None], raw: str) -> Provenance | None:
    """The first place whose text shows ``raw`` (a citation in a field on several lines; a title broken
    across lines: its start), else the first; its snippet cut to the words around ``raw``."""
    want = squash(raw)
    found = next((pv for pv in places if pv is not None and want and want in squash(pv.snippet)), None) or \
        next((pv for pv in places if pv is not None and want and want[:8] in squash(pv.snippet)), places[0])
    if found is None:
        return None
    at = found.snippet.find(raw[:6])
    start = max(0, min(at - 40, at + len(raw) - SNIPPET)) if at >= 0 else 0
    return replace(found, snippet=found.snippet[start:start + SNIPPET])


def full_line(pv: Provenance, line: Line) -> Provenance:
    """``pv`` with the whole line as its snippet, for :func:`line_showing` to cut."""
    return replace(pv, snippet=line.plain)


_COLON_LABEL = re.compile(r"([\u4e00-\u9fff（）()]{2,12})\s*[:：]")


def _colon_pairs(cell: str) -> list[str]:
    """``项目名称：X  项目编码：Y`` printed in one cell (or as a line) → ``项目名称``, ``X``, ``项目编码``, ``Y``;
    a cell without a known label before a colon is returned whole."""
    s = cell.strip()
    cuts = [m for m in _COLON_LABEL.finditer(s) if label_of(m[1]) is not None
            and (m.start() == 0 or s[m.start() - 1].isspace())]
    if not cuts or cuts[0].start() != 0:
        return [cell]
    out = []
    for m, end in zip(cuts, [c.start() for c in cuts[1:]] + [len(s)]):
        out += [m[1], s[m.end():end].strip()]
    return out


def page_break_end(lines: list[Line], i: int) -> int:
    """Where the page break that ``lines[i]`` opens ends: past its page number (``— 3 —``), running header,
    ``续表`` and the table's 单位 / 年度 line, at the next row or text; ``i`` when ``lines[i]`` opens none
    (a page break is told by its page number or 续表, the lines around it by their shape)."""
    j, marked = i, False
    while j < len(lines) and not lines[j].is_row:
        text = lines[j].plain
        if is_page_break_mark(text):
            marked = True
        elif squash(text) and not _furniture(text):
            break
        j += 1
    return j if marked else i


def _furniture(text: str) -> bool:
    """A line a page prints around its number: a running header (short, no sentence, no label of the form)
    or a table's 单位 / 年度 line."""
    s = squash(text)
    if is_preamble_row([s]):
        return True
    return len(s) <= 40 and not re.search(r"[。；;，,：:]", s) and label_of(s) is None and section_of([s]) is None


def _names_funds(label: str) -> bool:
    """A funding row's label names a source of funds (当年财政拨款, 上年结转资金, 其他资金 …): a short name, not a
    sentence."""
    return len(label) <= 24 and not re.search(r"[。；;，,！!？?]", label)


def _width(cells: list[str]) -> int:
    """The cells of a row up to its last filled one."""
    return max((j + 1 for j, c in enumerate(cells) if squash(c)), default=0)


def _fits(line: Line, width: int) -> bool:
    """A row after a page break that the form's indicator columns hold: no wider than its indicator rows."""
    return line.is_row and 0 < _width(line.values()) <= width


def _with_project(row: ProcurementRow, name: str) -> ProcurementRow:
    return replace(row, project_name=name)


def _column(cells: list[str], words: str) -> int | None:
    for j, cell in enumerate(cells):
        if re.search(words, squash(cell)):
            return j
    return None


def _code(text: str | None) -> str | None:
    """A project code; fragments broken across cells or by spaces are joined."""
    if not text:
        return None
    s = squash(text)
    return s if re.fullmatch(r"[0-9A-Za-z-]{4,}", s) else s or None


def _year(text: str | None, last: bool = False) -> int | None:
    years = re.findall(r"(?:19|20)\d\d", squash(text))
    return int(years[-1 if last else 0]) if years else None


def _form_unit(block: Block) -> tuple[str | None, Line | None]:
    """The 单位名称 a form declares above its table, and its line, if any."""
    for line in block.lines[:6]:
        m = re.search(r"(?:单位名称|填报单位|预算单位)\s*[:：]\s*(\S.*)$", line.plain)
        if m:
            return squash(m[1]), line
    return None, None

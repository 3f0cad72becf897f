"""Classification tables: 功能分类 expenditure tables and the 经济分类 basic-expenditure table.

Roles ``expenditure`` (部门支出总表 / 支出总表 / 支出决算表) and ``gpb_expenditure``
(一般公共预算支出表 and its 分功能科目 / 功能分类项级 / 分单位 variants) give
functional :class:`LineItem` rows and, where the code column is a 单位 column,
budget units.  Role ``basic_economic`` gives economic rows.  Columns are found by
the role their header says (:mod:`ingest.vocabulary.column_roles`): the code column
(编码/代码, possibly split into 类/款/项), the name column (名称), the total (总计/合计,
confirmed by arithmetic where several are named), and the 基本支出 / 项目支出 groups.
Damaged code cells are repaired from their parents and children or left out
(:mod:`ingest.reconcile.codes`), with a warning either way.  A 基本支出表 printed in parts (人员经费 / 公用经费:
:mod:`ingest.vocabulary.table_parts`) is read part by part: a block of each part, a list of each side by side,
and within a list the rows after each part's subtotal row (:func:`segments`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from ..context import Context
from ..layout import Block
from ..normalise import squash
from ..records import ECONOMIC, FUNCTIONAL, LineItem
from ..sections import table_unit
from ..reconcile.codes import CodeCells, repair_codes, sparse_level
from ..reconcile.columns import total_column
from ..reconcile.figures import read_figure
from ..vocabulary.table_parts import BY_KEY, PARTS, Part, part_named
from ..vocabulary.column_roles import (
    BASIC, CODE, ITEM_LEVEL, NAME, OTHER_SPENDING, PERSONNEL, PROJECT, PUBLIC, SECTION_LEVEL, SPENDING, TOTAL, UNIT_CODE,
    column, columns,
)
from .grid import (
    Grid, Row, add_unit, amount, amount_sum, group_columns, has_amount, is_code, is_continuation, is_economic_code,
    is_functional_code, is_total_label, is_unit_code, join_wrapped, looks_like_org, read_grid, split_code, sub_grid,
)



@dataclass
class Layout:
    """Where the columns of a classification table are."""

    code_cols: list[int]
    name_col: int | None
    total_col: int | None
    basic_cols: list[int]
    project_cols: list[int]
    unit_column: bool  # the code column's header says 单位 (units and, maybe, 科目 rows)
    personnel_cols: list[int]
    public_cols: list[int]
    code_paths: list[tuple[str, ...]] | None = None  # the code columns' header paths
    other_cols: list[int] | None = None  # spending beside 基本/项目 (上缴上级支出, 经营支出 …)


def layout(grid: Grid) -> Layout:
    """Find the columns by header meaning; fall back to code, name, total in the first three columns."""
    code_cols = columns(grid.paths, CODE)
    names = columns(grid.paths, NAME)  # a 名称 column, else one column printing code and name (功能科目)
    name_col = next((c for c in names if c not in code_cols), names[0] if names else None)
    if not code_cols and not any(grid.paths) and grid.width:
        code_cols = [0]  # no header: code, name, total by position
    if name_col is None and grid.width > 1:
        name_col = (max(code_cols) + 1) if code_cols else 1
    after = (name_col if name_col is not None else max(code_cols, default=-1)) + 1
    total_col = column(grid.paths, TOTAL, start=after)
    if total_col is None:  # 年初结转 | 本年收入 | 本年支出/小计 …: the expenditure group's subtotal
        total_col = next(iter(group_columns(grid.paths, SPENDING.label)), None)
    if total_col is None and after < grid.width:
        total_col = after
    unit_column = any(UNIT_CODE.matches(grid.paths[c]) for c in code_cols)
    basic_cols = group_columns(grid.paths, BASIC.label)
    project_cols = group_columns(grid.paths, PROJECT.label)
    personnel_cols, public_cols = columns(grid.paths, PERSONNEL), columns(grid.paths, PUBLIC)
    if not basic_cols and project_cols and personnel_cols and public_cols:
        basic_cols = personnel_cols[:1] + public_cols[:1]  # 人员经费 | 公用经费 | 项目支出: 基本 = 人员 + 公用
    return Layout(
        code_cols=code_cols,
        name_col=name_col,
        total_col=total_col,
        basic_cols=basic_cols,
        project_cols=project_cols,
        unit_column=unit_column,
        personnel_cols=personnel_cols,
        public_cols=public_cols,
        code_paths=[grid.paths[c] for c in code_cols],
        other_cols=columns(grid.paths, OTHER_SPENDING),
    )


def settled_layout(grid: Grid, unit: str) -> tuple[Layout, str | None]:
    """:func:`layout` with the 合计 column confirmed by arithmetic where the header names several (see
    :mod:`ingest.reconcile.columns`); the note says what was changed, ``None`` when nothing was."""
    lay = layout(grid)
    parts = lay.basic_cols + lay.project_cols + (lay.other_cols or [])
    after = (lay.name_col if lay.name_col is not None else max(lay.code_cols, default=-1)) + 1
    candidates = [c for c in columns(grid.paths, TOTAL, start=after) if c not in parts]
    if lay.total_col is not None and lay.total_col not in candidates:
        candidates.insert(0, lay.total_col)
    body = grid.body
    col = total_column(candidates, lay.total_col, parts, len(body),
                       lambda r, c: read_figure(body[r].cell(c), unit, "", None))
    if col == lay.total_col:
        return lay, None
    old = "表头所指的栏" if lay.total_col is None else f"第 {lay.total_col} 栏（{'/'.join(grid.paths[lay.total_col])}）"
    note = (f"合计取自第 {col} 栏（{'/'.join(grid.paths[col])}），各行在该栏满足 合计 = 基本支出 + 项目支出；"
            f"而非{old}")
    return replace(lay, total_col=col), note


def side_by_side(grid: Grid) -> list[Grid]:
    """A table printing two lists next to each other (``人员经费: 编码 名称 金额 | 公用经费: 编码 名称 金额``)
    as one grid per list; any other table as itself.

    A new list starts at a code column that has a name column between it and the code column before
    it (``类 | 款 | 项 | 名称`` is one list).
    """
    code_cols = columns(grid.paths, CODE)
    name_cols = columns(grid.paths, NAME)
    starts = [c for prev, c in zip(code_cols, code_cols[1:]) if any(prev < n < c for n in name_cols)]
    if not starts:
        return [grid]
    bounds = [0, *starts, grid.width]
    return [sub_grid(grid, lo, hi) for lo, hi in zip(bounds, bounds[1:])]


@dataclass
class Segment:
    """The rows of one part of a list (all its rows where the table is not printed in parts)."""

    part: Part | None
    figure: Row | None  # the row stating the part's figure: its subtotal row, or its list's 合计 row
    rows: list[Row]


def row_part(row: Row, lay: Layout, role: str) -> Part | None:
    """The part a row without a code names in its label (``人员经费合计``, ``公用经费``): a part's subtotal row."""
    labels = [squash(row.cell(c)) for c in _label_cols(lay)]
    if any(is_code(x) for x in labels):
        return None
    return next((p for p in (part_named(role, x) for x in labels if x) if p is not None), None)


def list_part(block: Block, grid: Grid) -> Part | None:
    """The part a whole list is of: its block's (a sub-heading, a title qualifier), else the header label that
    spans its columns in a side-by-side table."""
    return BY_KEY.get(block.part or "") or (part_named(block.role, grid.name) if grid.name else None)


def segments(rows: list[Row], lay: Layout, role: str, part: Part | None) -> list[Segment]:
    """A list's rows by the part they are printed under, from the list's own ``part`` on.  A row naming a part
    (a subtotal row, which states that part's figure) heads the rows after it, or, labelled ``…合计`` / ``…小计``
    below rows of no other part, closes the rows above it; a list of one part states its figure on its 合计
    row where it has no subtotal row."""
    out = [Segment(part, None, [])]
    for row in rows:
        named, seg = (row_part(row, lay, role) if PARTS.get(role) else None), out[-1]
        if named is not None:
            open_to = seg.figure is None and seg.part in (None, named)
            above = [r for r in seg.rows if has_amount(r.cells) and not is_whole_total_row(r, lay)]
            if open_to and not above:  # heads the rows after it
                seg.part, seg.figure = named, row
            elif open_to and _is_subtotal_label(row, lay):  # closes the rows above it
                seg.part, seg.figure = named, row
                out.append(Segment(None, None, []))
            else:
                out.append(Segment(named, row, []))
            continue
        if seg.part is not None and seg.figure is None and is_whole_total_row(row, lay):
            seg.figure = row
        seg.rows.append(row)
    return out


def code_and_name(row: Row, lay: Layout) -> tuple[str, str]:
    """The row's code (first code-like cell of the code columns) and name, whitespace removed.

    A code printed together with its name in one cell (``201 一般公共服务``) is split.
    """
    name = row.cell(lay.name_col)
    for k, c in enumerate(lay.code_cols):
        text = squash(row.cell(c))
        if is_code(text):
            return join_levels(text, [squash(row.cell(j)) for j in lay.code_cols[k + 1 :]]), squash(name)
        code, rest = split_code(row.cell(c))
        if code:
            return code, squash(rest or name)
    code, rest = split_code(name)
    return code, squash(rest if code else name)


def join_levels(code: str, following: list[str]) -> str:
    """A code split over 类 | 款 | 项 columns joined: ``201 | 06 | 01`` → ``'2010601'``.

    Only a 3-digit 类 code takes the 2-digit 款/项 cells that follow it.
    """
    if len(code) != 3:
        return code
    for part in following:
        if not re.fullmatch(r"\d{2}", part):
            break
        code += part
    return code


def body_rows(grid: Grid, lay: Layout) -> list[Row]:
    """Body rows with wrapped names joined into the row above (a continuation has no code, no number)."""
    anchors = list(lay.code_cols)
    return join_wrapped(grid.body, lambda r: is_continuation(r.cells, anchors))


def _is_subtotal_label(row: Row, lay: Layout) -> bool:
    return any(re.search(r"(合计|小计)$", squash(row.cell(c))) for c in _label_cols(lay))


def _label_cols(lay: Layout) -> list[int]:
    return lay.code_cols + ([lay.name_col] if lay.name_col is not None else [])


def is_whole_total_row(row: Row, lay: Layout) -> bool:
    """A row labelled 合计 / 总计 itself (the table's total, not ``人员经费合计``)."""
    return any(is_total_label(row.cell(c)) for c in _label_cols(lay))


def is_total_row(row: Row, lay: Layout) -> bool:
    """A 合计 row, or a row labelled ``人员经费合计`` (a list's total) in place of a code."""
    if is_whole_total_row(row, lay):
        return True
    cols = _label_cols(lay)
    labels = [squash(row.cell(c)) for c in cols]
    return not any(is_code(x) for x in labels) and any(re.search(r"(合计|总计)$", x) for x in labels)


def parse_functional(block: Block, ctx: Context) -> None:
    """功能分类 rows (and budget-unit rows) of a department or 一般公共预算 expenditure table."""
    grid = read_grid(block)
    unit = table_unit(block)
    title = block.title
    if not grid.header:
        ctx.warn("table_header_missing", ctx.prov(block.lines[0], table=title), table=title)
    for part in side_by_side(grid):
        _functional_rows(ctx, block.role, part, unit, title)


_LEADING_DIGITS = re.compile(r"\s*(\d+)\s+(\S.*)$")


def coded_reading(rows: list[Row], lay: Layout, role: str, unit: str) -> list[tuple[Row, str, str, str | None]]:
    """The body rows that are not 合计 rows, as ``(row, code, name, repair note)``.

    A row whose code cells are damaged gets the code its parents and children confirm (see
    :mod:`ingest.reconcile.codes`) and a note saying so; one beyond repair gets code ``''`` and a note.
    """
    valid = is_economic_code if role == "basic_economic" else is_functional_code
    split = any(SECTION_LEVEL.matches(p) or ITEM_LEVEL.matches(p) for p in (lay.code_paths or []))
    readings, cells = [], []
    for row in rows:
        if is_total_row(row, lay) or PARTS.get(role) and row_part(row, lay, role) is not None:
            continue
        code, name = code_and_name(row, lay)
        levels = tuple(squash(row.cell(c)) for c in lay.code_cols)
        m = _LEADING_DIGITS.match(row.cell(lay.name_col)) if not code and not levels else None
        if m:  # code and name in one cell: its leading digits are its code cell
            levels, name = (m[1],), squash(m[2])
        part = split and sparse_level(levels) is not None  # ``| | 04 | 图书馆``: a 项, whatever its name
        if not part and (looks_like_org(name) or lay.unit_column and not split):
            levels = ()  # a unit's code is no damaged 科目 code
        if not split:
            levels = levels[:1]
        total = read_figure(row.cell(lay.total_col), unit, code, None) if lay.total_col is not None else None
        readings.append((row, code, name))
        cells.append(CodeCells(levels, code, total))
    repairs = repair_codes(cells, valid)
    return [(row, fix.code, name, fix.note) for (row, _, name), fix in zip(readings, repairs)]


def _coded_rows(ctx: Context, role: str, grid: Grid, unit: str, title: str | None):
    """The body rows that carry a code, as ``(row, layout, provenance, code, name)``; 合计 rows go to
    :func:`_totals`, rows without a code are warned about, damaged codes repaired with a warning."""
    lay, note = settled_layout(grid, unit)
    if note:
        ctx.warn("reconcile.total_column", ctx.prov(grid.body[0].line, table=title) if grid.body else None,
                 table=title, what=note)
    rows = body_rows(grid, lay)
    for row in rows:
        if is_total_row(row, lay):
            _totals(ctx, role, row, lay, unit, title, ctx.prov(row.line, table=title, row=row.index))
    for row, code, name, note in coded_reading(rows, lay, role, unit):
        prov = ctx.prov(row.line, table=title, row=row.index)
        if note:
            rule = "reconcile.code_repaired" if code else "reconcile.code_unrepairable"
            ctx.warn(rule, prov, row.line.plain[:80], table=title, note=note)
        if code:
            yield row, lay, prov, code, name
        elif not note and any(c.strip() for c in row.cells):
            ctx.warn("row_without_code", prov, row.line.plain[:80], table=title)


def is_line_code(code: str, name: str, lay: Layout, role: str) -> bool:
    """The row's code makes it a line of the table's classification (not a budget unit, not a stray code)."""
    if role == "basic_economic":
        return is_economic_code(code)
    return is_functional_code(code) and not (lay.unit_column and is_unit_code(code, name))


def _functional_rows(ctx: Context, role: str, grid: Grid, unit: str, title: str | None) -> None:
    for row, lay, prov, code, name in _coded_rows(ctx, role, grid, unit, title):
        is_unit = is_unit_code(code, name)
        if not is_line_code(code, name, lay, role):
            if is_unit:
                add_unit(ctx, code, name, prov)
            else:
                ctx.warn("unexpected_code", prov, code, table=title, code=code)
            continue
        ctx.line_items.append(LineItem(
            table=title or "", role=role, classification=FUNCTIONAL, code=code, name=name,
            total=amount(ctx, row, lay.total_col, unit, title),
            basic=amount_sum(ctx, row, lay.basic_cols, unit, title),
            project=amount_sum(ctx, row, lay.project_cols, unit, title),
            provenance=prov,
        ))


def _totals(ctx: Context, role: str, row: Row, lay: Layout, unit: str, title: str | None, prov) -> None:
    """From a 合计 row: 基本/项目支出 of the department table; 人员/公用经费 where columns name them."""
    if role == "expenditure":
        if lay.basic_cols:
            ctx.set_total("basic_expenditure", amount_sum(ctx, row, lay.basic_cols, unit, title), prov)
        if lay.project_cols:
            ctx.set_total("project_expenditure", amount_sum(ctx, row, lay.project_cols, unit, title), prov)
    if lay.personnel_cols:
        ctx.set_total("personnel_expenditure", amount(ctx, row, lay.personnel_cols[0], unit, title), prov)
    if lay.public_cols:
        ctx.set_total("public_expenditure", amount(ctx, row, lay.public_cols[0], unit, title), prov)


def parse_economic(block: Block, ctx: Context) -> None:
    """经济分类 rows of the basic-expenditure table (类 rows 301/302/303 included); 人员经费 / 公用经费 from the
    figure a part states (a column of the 合计 row, a part's subtotal row), else from the 类 rows it is made of."""
    grid = read_grid(block)
    unit = table_unit(block)
    title = block.title
    classes: dict[str, Decimal | None] = {}
    skipped: list[str] = []
    start = len(ctx.line_items)
    for part in side_by_side(grid):
        _economic_rows(ctx, block, part, unit, classes, skipped)
    _drop_catalogue_blanks(ctx, start)
    prov = ctx.prov(block.lines[0], table=title)
    if skipped:
        ctx.warn("unexpected_economic_codes", prov, *skipped, table=title, count=len(skipped))
    for part in PARTS[block.role] if classes else ():
        present = [classes[c] for c in part.classes if classes.get(c) is not None]
        if present:
            ctx.set_total(f"{part.key}_expenditure", sum(present, Decimal(0)), prov)


def _drop_catalogue_blanks(ctx: Context, start: int) -> None:
    """A table printing the whole 经济分类 catalogue (as many rows without an amount as with one, the
    决算 layout) states nothing in its blank rows: they are left out.  A few blank rows are kept."""
    rows = ctx.line_items[start:]
    blank = [li for li in rows if li.total is None]
    if blank and len(blank) >= len(rows) - len(blank):
        ctx.line_items[start:] = [li for li in rows if li.total is not None]


def _economic_rows(ctx: Context, block: Block, grid: Grid, unit: str, classes: dict[str, Decimal | None],
                   skipped: list[str]) -> None:
    """One list's rows: line items appended, the figure each part states as its total, 类 totals into
    ``classes``, non-经济分类 codes into ``skipped``."""
    role, title = block.role, block.title
    lay, _ = settled_layout(grid, unit)
    for seg in segments(body_rows(grid, lay), lay, role, list_part(block, grid)):
        if seg.part is not None and seg.figure is not None:
            ctx.set_total(f"{seg.part.key}_expenditure", amount(ctx, seg.figure, lay.total_col, unit, title),
                          ctx.prov(seg.figure.line, table=title, row=seg.figure.index))
    for row, lay, prov, code, name in _coded_rows(ctx, role, grid, unit, title):
        if not is_economic_code(code):
            skipped.append(code)
            continue
        total = amount(ctx, row, lay.total_col, unit, title)
        if len(code) == 3:
            classes[code] = total
        ctx.line_items.append(LineItem(
            table=title or "", role=role, classification=ECONOMIC, code=code, name=name,
            total=total, provenance=prov,
        ))

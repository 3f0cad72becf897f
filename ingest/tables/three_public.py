"""The 一般公共预算“三公”经费支出表, in either of its two layouts.

Vertical: one row per item (``1. 因公出国（境）费用 | 预算数``), a 合计 row.
Horizontal: the items are column headers (``“三公”经费合计 | 因公出国（境）费 | 公务用车购置及运行费/小计 …``)
over one row of amounts (or one row per 预算数/决算数), possibly under 预算数 / 决算数 column groups.
Which figure is reported follows the document: in a 决算 the 决算数, in a 预算 the 预算数, of the
document's year (``2025年预算数`` over ``2024年预算数``; an 增减 column never); 0 when the table shows none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..context import Context
from ..document.title import find_title, year_phase
from ..layout import Block
from ..numbers import try_amount
from ..records import BUDGET, ThreePublic
from ..sections import table_unit
from ..vocabulary.column_roles import CHANGE, FINAL_FIGURE, PLANNED_FIGURE
from .grid import TOTAL_LABELS, Grid, Row, amount, has_amount, is_total_label, read_grid, strip_numbering

ITEM_WORDS = re.compile(r"出国|公务用车|公务接待|三公")
_SUB_ITEM = re.compile(r"^\s*(其中|[（(]\d+[）)])")
_ONE_ITEM = re.compile(r"出国|公务用车|公务接待")  # names one item, not the three together
# a part of the car item (公务用车购置费 / 运行维护费), listed under it with or without 其中
CAR_PART = re.compile(r"公务用车(购置|运行)(维护)?(费)?$|^(其中[:：]?)?(购置|运行)")


def row_kind(label: str) -> str:
    """``total`` (合计, “三公”经费合计), ``sub`` (其中 …, a part of the car item) or ``item``."""
    item = strip_numbering(label)
    if item in TOTAL_LABELS or re.search(r"(合计|总计)$", item) and not _ONE_ITEM.search(item):
        return "total"
    if _SUB_ITEM.match(label) or _SUB_ITEM.match(item) or CAR_PART.search(item):
        return "sub"
    return "item"


@dataclass(frozen=True)
class Period:
    """The document's year and phase (``final_account`` | ``budget`` | ``None``), from its title."""

    year: int | None = None
    phase: str | None = None


def document_period(ctx: Context) -> Period:
    title = find_title(ctx)
    return Period(*year_phase(title.plain)) if title else Period()


def _year(label: str, period: Period) -> int | None:
    """The year a column or row label speaks of (``2024年预算数``, ``本年``, ``上年``), ``None`` if unnamed."""
    m = re.search(r"(19|20)\d\d", label)
    if m:
        return int(m[0])
    if period.year is not None and "上年" in label:
        return period.year - 1
    if period.year is not None and "本年" in label:
        return period.year
    return None


def _preferred(labels: list[str], period: Period = Period()) -> int | None:
    """Index of the label naming the figure to report, else ``None`` (no label names a figure).

    Change columns (增减, 同比) are never picked.  The label of the document's year wins (one with no year
    next, another year last); then the document's phase (决算数 in a 决算, 预算数 in a 预算; 决算数 where the
    phase is unknown); then the latest year; then the last label.
    """
    hits = [i for i, label in enumerate(labels)
            if not CHANGE.matches((label,)) and (FINAL_FIGURE.matches((label,)) or PLANNED_FIGURE.matches((label,)))]
    if not hits:
        return None

    def rank(i: int) -> tuple:
        label = labels[i]
        year = _year(label, period)
        year_rank = 1 if year is None or period.year is None else 2 if year == period.year else 0
        actual = FINAL_FIGURE.matches((label,))
        phase_rank = actual if period.phase != BUDGET else not actual
        return year_rank, phase_rank, year or 0, i

    return max(hits, key=rank)


def _is_horizontal(grid: Grid) -> bool:
    return sum(1 for p in grid.paths if ITEM_WORDS.search("/".join(p))) >= 2


def parse_three_public(block: Block, ctx: Context) -> None:
    """三公 lines into ``ctx.three_public`` and ``three_public_total``."""
    grid = read_grid(block)
    unit = table_unit(block)
    period = document_period(ctx)
    read = _horizontal if _is_horizontal(grid) else _vertical
    lines = read(ctx, grid, unit, period)
    ctx.three_public.extend(line for line, _ in lines)
    total = next((line for line, kind in lines if kind == "total"), None)
    if total is not None:
        ctx.set_total("three_public_total", total.amount if total.amount is not None else Decimal(0),
                      total.provenance)
        return
    items = [line for line, kind in lines if kind == "item" and line.amount is not None]
    rows = {(i.provenance.source, i.provenance.line) for i in items if i.provenance}
    where = items[0].provenance if len(rows) == 1 and items[0].provenance else None  # the row printing the items
    ctx.set_total("three_public_total", sum((i.amount for i in items), Decimal(0)),
                  where or ctx.prov(block.lines[0], table=block.title))


def _vertical(ctx: Context, grid: Grid, unit: str, period: Period) -> list[tuple[ThreePublic, str]]:
    value_cols = [c for c in range(1, grid.width)]
    pick = _preferred(["/".join(grid.paths[c]) for c in value_cols], period) if grid.paths else None
    col = value_cols[pick] if pick is not None else next(
        (c for c in value_cols if any(try_amount(r.cell(c)) is not None for r in grid.body)), 1)
    out = []
    for row in grid.body:
        label = row.cell(0)
        if not label.strip():
            continue
        item = strip_numbering(label)
        kind = row_kind(label)
        prov = ctx.prov(row.line, table=grid.title, row=row.index)
        out.append((ThreePublic(item, amount(ctx, row, col, unit, grid.title), prov), kind))
    return out


def _value_group(path: tuple[str, ...]) -> int | None:
    """Depth of the header label that names a figure (``预算数`` / ``2024年决算数``) over item columns."""
    for depth, label in enumerate(path):
        if not ITEM_WORDS.search(label) and not is_total_label(label) and _preferred([label]) is not None:
            return depth
    return None


def _item_columns(grid: Grid, period: Period) -> list[tuple[int, tuple[str, ...]]]:
    """(column, header path without its figure label) of each item column of the preferred figure group."""
    cols = [(c, p) for c, p in enumerate(grid.paths)
            if p and (ITEM_WORDS.search("/".join(p)) or is_total_label(p[-1]))]
    grouped = []
    for c, path in cols:
        depth = _value_group(path)
        label = path[depth] if depth is not None else None
        grouped.append((c, label, path[:depth] + path[depth + 1 :] if depth is not None else path))
    labels = list(dict.fromkeys(label for _, label, _ in grouped if label is not None))
    if len(labels) > 1:
        chosen = labels[_preferred(labels, period)]
        grouped = [g for g in grouped if g[1] == chosen]
    return [(c, path) for c, _, path in grouped if path]


def _horizontal(ctx: Context, grid: Grid, unit: str, period: Period) -> list[tuple[ThreePublic, str]]:
    rows = [r for r in grid.body if has_amount(r.cells)]
    if not rows:
        return []
    labelled = [r for r in rows if r.cells[0].strip() and try_amount(r.cells[0]) is None]
    row: Row = rows[0]
    if labelled:
        pick = _preferred([r.cells[0] for r in labelled], period)
        row = labelled[pick] if pick is not None else labelled[0]
    prov = ctx.prov(row.line, table=grid.title, row=row.index)
    out = []
    for c, path in _item_columns(grid, period):
        leaf = path[-1]
        is_sub = strip_numbering(leaf) in TOTAL_LABELS and len(path) > 1
        name = path[-2] if is_sub else leaf
        if len(path) > 1 and not is_sub:
            kind = "sub"
        elif re.search(r"合计|总计", name) or is_sub and not _ONE_ITEM.search(name):
            kind = "total"  # 合计 under the table's own heading (“三公”经费预算数), not an item's 小计
            kind = "total"
        else:
            kind = "item"
        out.append((ThreePublic(strip_numbering(name), amount(ctx, row, c, unit, grid.title), prov), kind))
    return out

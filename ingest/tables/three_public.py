"""The 一般公共预算“三公”经费支出表, in either of its two layouts.

Vertical: one row per item (``1. 因公出国（境）费用 | 预算数``), a 合计 row.
Horizontal: the items are column headers (``“三公”经费合计 | 因公出国（境）费 | 公务用车购置及运行费/小计 …``)
over one row of amounts (or one row per 预算数/决算数).  The table's total is the
决算数 where the table has one, else the (本年) 预算数; 0 when the table shows none.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..context import Context
from ..layout import Block
from ..numbers import try_amount
from ..records import ThreePublic
from ..sections import table_unit
from .grid import TOTAL_LABELS, Grid, Row, amount, has_amount, read_grid, strip_numbering

ITEM_WORDS = re.compile(r"出国|公务用车|公务接待|三公")
VALUE_PREFERENCE = (r"决算|执行数", r"本年", r"预算|金额")
_SUB_ITEM = re.compile(r"^\s*(其中|[（(]\d+[）)])")


def _preferred(labels: list[str]) -> int | None:
    """Index of the label naming the figure to report (决算数 > 本年 > 预算数), else ``None``.

    Among several matches the latest year wins (``2023年预算数`` over ``2022年预算数``), else the last one.
    """
    for pattern in VALUE_PREFERENCE:
        hits = [i for i, label in enumerate(labels) if re.search(pattern, label)]
        if hits:
            return max(hits, key=lambda i: (_year(labels[i]), i))
    return None


def _year(label: str) -> int:
    m = re.search(r"(19|20)\d\d", label)
    return int(m[0]) if m else 0


def _is_horizontal(grid: Grid) -> bool:
    return sum(1 for p in grid.paths if ITEM_WORDS.search("/".join(p))) >= 2


def parse_three_public(block: Block, ctx: Context) -> None:
    """三公 lines into ``ctx.three_public`` and ``three_public_total``."""
    grid = read_grid(block)
    unit = table_unit(block)
    lines = _horizontal(ctx, grid, unit) if _is_horizontal(grid) else _vertical(ctx, grid, unit)
    ctx.three_public.extend(line for line, _ in lines)
    total = next((line for line, kind in lines if kind == "total"), None)
    if total is not None:
        ctx.set_total("three_public_total", total.amount if total.amount is not None else Decimal(0),
                      total.provenance)
        return
    top = [line.amount for line, kind in lines if kind == "item" and line.amount is not None]
    ctx.set_total("three_public_total", sum(top, Decimal(0)), ctx.prov(block.lines[0], table=block.title))


def _vertical(ctx: Context, grid: Grid, unit: str) -> list[tuple[ThreePublic, str]]:
    value_cols = [c for c in range(1, grid.width)]
    pick = _preferred(["/".join(grid.paths[c]) for c in value_cols]) if grid.paths else None
    col = value_cols[pick] if pick is not None else next(
        (c for c in value_cols if any(try_amount(r.cell(c)) is not None for r in grid.body)), 1)
    out = []
    for row in grid.body:
        label = row.cell(0)
        if not label.strip():
            continue
        item = strip_numbering(label)
        kind = "total" if item in TOTAL_LABELS else "sub" if _SUB_ITEM.match(label) or _SUB_ITEM.match(item) else "item"
        prov = ctx.prov(row.line, table=grid.title, row=row.index)
        out.append((ThreePublic(item, amount(ctx, row, col, unit, grid.title), prov), kind))
    return out


def _horizontal(ctx: Context, grid: Grid, unit: str) -> list[tuple[ThreePublic, str]]:
    rows = [r for r in grid.body if has_amount(r.cells)]
    if not rows:
        return []
    labelled = [r for r in rows if r.cells[0].strip() and try_amount(r.cells[0]) is None]
    row: Row = rows[0]
    if labelled:
        pick = _preferred([r.cells[0] for r in labelled])
        row = labelled[pick] if pick is not None else labelled[0]
    prov = ctx.prov(row.line, table=grid.title, row=row.index)
    out = []
    for c, path in enumerate(grid.paths):
        if not path or not ITEM_WORDS.search("/".join(path)):
            continue
        leaf = path[-1]
        is_sub = strip_numbering(leaf) in TOTAL_LABELS and len(path) > 1
        name = path[-2] if is_sub else leaf
        if len(path) > 1 and not is_sub:
            kind = "sub"
        elif re.search(r"合计|总计", name):
            kind = "total"
        else:
            kind = "item"
        out.append((ThreePublic(strip_numbering(name), amount(ctx, row, c, unit, grid.title), prov), kind))
    return out

"""A 收支总表's own balances on one reading of its grid, as :class:`~ingest.records.Check` records.

A two-sided table (收支总表, 财政拨款收支总表) balances: 收入总计 = 支出总计 (``summary_balance``); on each
label/amount pair of columns (:func:`~ingest.tables.grid.side_pairs`) the year's lines add up to the year's total
(Σ 一、二、… lines = 本年收入合计 / 本年支出合计, ``side_lines``) and the year's total with the lines after it
(上年结转, 结转下年 …) to the side's 总计 (``side_total``).  A side's top-level lines are those numbered ``一、``
where any is, else every line but a ``其中`` / ``（一）`` part.  :mod:`ingest.reconcile.readings` lets these
checks choose how a short row of the table is placed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..context import Context
from ..layout import Block
from ..records import Check, Figure
from ..sections import table_unit
from ..tables.grid import SIDES, Grid, Pair, strip_numbering
from ..tables.summary import find_row
from ..vocabulary.row_labels import EXPENDITURE_TOTAL, INCOME_TOTAL, SPENT_THIS_YEAR, THIS_YEAR_INCOME, RowLabel
from .checks import compare
from .figures import read_figure, total_of

_TOP = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_PART = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|其中)")
_YEAR = {"income": THIS_YEAR_INCOME, "expenditure": SPENT_THIS_YEAR}
_GRAND = re.compile(r"^(收入|支出)?总计$")


@dataclass(frozen=True)
class _Entry:
    label: str  # as printed
    figure: Figure | None


def _figure(ctx: Context, block: Block, grid: Grid, label: RowLabel, name: str) -> Figure | None:
    hit = find_row(grid, label)
    if hit is None:
        return None
    row, col = hit
    return read_figure(row.cell(col), table_unit(block), name, ctx.prov(row.line, table=block.title, row=row.index))


def _top(entries: list[_Entry]) -> list[_Entry]:
    numbered = [e for e in entries if _TOP.match(e.label)]
    return numbered or [e for e in entries if not _PART.match(e.label)]


def _pair_checks(ctx: Context, block: Block, grid: Grid, pair: Pair) -> list[Check]:
    unit = table_unit(block)
    entries = [
        _Entry(label, read_figure(row.cell(pair.amount), unit, f"{SIDES[pair.side]}方 {label}",
                                  ctx.prov(row.line, table=block.title, row=row.index)))
        for row in grid.body if (label := row.cell(pair.label).replace(" ", ""))
    ]
    year_rx = _YEAR[pair.side].wordings[0][0]
    year = next((k for k, e in enumerate(entries) if year_rx.search(strip_numbering(e.label))), None)
    grand = next((k for k, e in enumerate(entries) if _GRAND.search(strip_numbering(e.label))), None)
    where = f"{block.title}: {pair.side} side (column {pair.amount + 1})"
    out = []
    if year is not None and year > 0 and entries[year].figure is not None:
        lines = [e.figure for e in _top(entries[:year]) if e.figure is not None]
        if lines:
            out.append(compare("side_lines", entries[year].figure, total_of(lines, f"{SIDES[pair.side]}方各行之和"),
                               f"{where}: {entries[year].label}"))
    if grand is not None and entries[grand].figure is not None and (year is None or year < grand):
        before = entries[year + 1:grand] if year is not None else entries[:grand]
        parts = ([entries[year].figure] if year is not None and entries[year].figure is not None else [])
        numbered = [e for e in before if _TOP.match(e.label)]
        if numbered or len(before) <= 1:  # unnumbered lines after the year's total may be parts of each other
            parts += [e.figure for e in (numbered or before) if e.figure is not None]
        if parts and (numbered or len(before) <= 1):
            out.append(compare("side_total", entries[grand].figure, total_of(parts, f"{SIDES[pair.side]}方各项之和"),
                               f"{where}: {entries[grand].label}"))
    return out


def balance_checks(ctx: Context, block: Block, grid: Grid) -> list[Check]:
    """The balances of one reading of a two-sided table: 收入总计 = 支出总计, and each side's sums."""
    out = []
    income = _figure(ctx, block, grid, INCOME_TOTAL, f"{block.title} 收入总计")
    spent = _figure(ctx, block, grid, EXPENDITURE_TOTAL, f"{block.title} 支出总计")
    if income is not None and spent is not None:
        out.append(compare("summary_balance", income, spent, f"{block.title} balances"))
    for pair in grid.pairs:
        out += _pair_checks(ctx, block, grid, pair)
    return out

"""A 收支总表's own balances on one reading of its grid, as :class:`~ingest.records.Check` records.

A two-sided table (收支总表, 财政拨款收支总表) balances: 收入总计 = 支出总计 (``summary_balance``); on each
label/amount pair of columns (:func:`~ingest.tables.grid.side_pairs`) the year's lines add up to the year's total
(Σ 一、二、… lines = 本年收入合计 / 本年支出合计, ``side_lines``) and the year's total with the lines after it
(上年结转, 结转下年 …) to the side's 总计 (``side_total``).  A side's top-level lines are those numbered ``一、``
where any is, else every line but a ``其中`` / ``（一）`` part.  Unnumbered lines after the year's total are
taken by the meaning of their labels (:data:`~ingest.vocabulary.row_labels.SIDE_TOTAL_TERMS`: 决算 本年收入合计 +
使用非财政拨款结余 + 年初结转和结余 = 总计, 本年支出合计 + 结余分配 + 年末结转和结余 = 总计), the lines breaking a
term down (by source of funds …) left out; a line that is neither leaves the side unchecked.
:mod:`ingest.reconcile.readings` lets these checks choose how a short row of the table is placed; the
reconciliation (:mod:`ingest.reconcile.run`) reports the ``side_total`` checks of the table as read.
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
from ..vocabulary.row_labels import (
    EXPENDITURE_TOTAL, INCOME_TOTAL, SIDE_TOTAL_TERMS, SPENT_THIS_YEAR, TERM_BREAKDOWN, THIS_YEAR_INCOME, RowLabel,
)
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


def _says(label: RowLabel, text: str) -> bool:
    return any(pattern.search(strip_numbering(text)) for pattern, _ in label.wordings)


def _terms_after_year(side: str, before: list[_Entry]) -> list[_Entry] | None:
    """The lines between a side's year total and its 总计 that add to the total: the numbered ones where any is
    (the rest are their parts), a single line, else the lines whose label says a term of the side's total
    (:data:`SIDE_TOTAL_TERMS`); ``None`` when a line with a figure is neither such a term nor the breakdown of
    one (a line of unknown meaning: the side is not checked)."""
    numbered = [e for e in before if _TOP.match(e.label)]
    if numbered or len(before) <= 1:
        return numbered or before
    terms = [e for e in before if any(_says(t, e.label) for t in SIDE_TOTAL_TERMS[side])]
    unknown = [e for e in before if e not in terms and e.figure is not None and e.figure.amount
               and not _PART.match(e.label) and not _says(TERM_BREAKDOWN, e.label)]
    return terms if terms and not unknown else None


def _side_lines(entries: list[_Entry], year: int | None, side: str, where: str) -> list[Check]:
    """Σ a side's top-level lines = its year total."""
    if year is None or year == 0 or entries[year].figure is None:
        return []
    lines = [e.figure for e in _top(entries[:year]) if e.figure is not None]
    if not lines:
        return []
    return [compare("side_lines", entries[year].figure, total_of(lines, f"{SIDES[side]}方各行之和"),
                    f"{where}: {entries[year].label}")]


def _side_total(entries: list[_Entry], year: int | None, grand: int | None, side: str, where: str) -> list[Check]:
    """A side's 总计 = its year total + the lines after it that add to the total (:func:`_terms_after_year`)."""
    if grand is None or entries[grand].figure is None or (year is not None and year >= grand):
        return []
    before = entries[year + 1:grand] if year is not None else entries[:grand]
    terms = _terms_after_year(side, before)
    parts = ([entries[year].figure] if year is not None and entries[year].figure is not None else [])
    parts += [e.figure for e in terms or () if e.figure is not None]
    if terms is None or not parts:
        return []
    terms_label = " + ".join(strip_numbering(e.label) for e in [*([entries[year]] if year is not None else []),
                                                                 *(terms or ())] if e.figure is not None)
    return [compare("side_total", entries[grand].figure, total_of(parts, terms_label),
                    f"{where}: {entries[grand].label}")]


def _entries(ctx: Context, block: Block, grid: Grid, pair: Pair) -> tuple[list[_Entry], int | None, int | None]:
    """A pair's labelled lines, and where its year total and its 总计 are among them."""
    unit = table_unit(block)
    entries = [
        _Entry(label, read_figure(row.cell(pair.amount), unit, _figure_label(pair.side, label),
                                  ctx.prov(row.line, table=block.title, row=row.index)))
        for row in grid.body if (label := row.cell(pair.label).replace(" ", ""))
    ]
    year_rx = _YEAR[pair.side].wordings[0][0]
    year = next((k for k, e in enumerate(entries) if year_rx.search(strip_numbering(e.label))), None)
    grand = next((k for k, e in enumerate(entries) if _GRAND.search(strip_numbering(e.label))), None)
    return entries, year, grand


def _figure_label(side: str, label: str) -> str:
    """A line's label as printed, its side named where it does not say it (``总计`` → ``支出总计``)."""
    printed = strip_numbering(label)
    return printed if re.match(r"收入|支出", printed) else f"{SIDES[side]}{printed}" if _GRAND.match(printed) \
        else printed


def _where(block: Block, pair: Pair) -> str:
    return f"{block.title}: {pair.side} side (column {pair.amount + 1})"


def side_totals(ctx: Context, block: Block, grid: Grid) -> list[Check]:
    """The ``side_total`` check of each side of a two-sided table: 总计 = the year's total + 结转 lines."""
    return [c for pair in grid.pairs
            for c in _side_total(*_entries(ctx, block, grid, pair), pair.side, _where(block, pair))]


def balance_checks(ctx: Context, block: Block, grid: Grid) -> list[Check]:
    """The balances of one reading of a two-sided table: 收入总计 = 支出总计, and each side's sums."""
    out = []
    income = _figure(ctx, block, grid, INCOME_TOTAL, f"{block.title} 收入总计")
    spent = _figure(ctx, block, grid, EXPENDITURE_TOTAL, f"{block.title} 支出总计")
    if income is not None and spent is not None:
        out.append(compare("summary_balance", income, spent, f"{block.title} balances"))
    for pair in grid.pairs:
        entries, year, grand = _entries(ctx, block, grid, pair)
        out += _side_lines(entries, year, pair.side, _where(block, pair))
        out += _side_total(entries, year, grand, pair.side, _where(block, pair))
    return out

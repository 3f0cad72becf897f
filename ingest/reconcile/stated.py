"""The figures the summary tables and the document totals state, as :class:`~ingest.records.Figure` records."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..layout import Block
from ..records import Figure, Provenance
from ..normalise import squash
from ..sections import table_unit
from ..tables.grid import Grid, read_grid, split_code, strip_numbering
from ..tables.summary import expenditure_side, find_row, value_col
from ..vocabulary.column_roles import GENERAL_PUBLIC, GOV_FUND, STATE_CAPITAL, ColumnRole, column
from ..vocabulary.row_labels import (
    GENERAL_PUBLIC_INCOME, GOV_FUND_INCOME, SPENT_THIS_YEAR, STATE_CAPITAL_INCOME, RowLabel,
)
from .figures import read_figure, stated


def block_titled(ctx: Context, title: str | None) -> Block | None:
    return next((b for b in ctx.blocks if title is not None and b.title == title), None)


def stated_total(ctx: Context, key: str, label: str) -> Figure | None:
    """A document total (``ctx.totals``) as a figure in its table's unit."""
    t = ctx.totals.get(key)
    if t is None or t.amount is None:
        return None
    block = block_titled(ctx, t.provenance.table if t.provenance else None)
    return stated(t.amount, table_unit(block) if block else "万元", label, t.provenance)


def label_figure(ctx: Context, role: str, row_label: RowLabel, label: str) -> Figure | None:
    """The amount on the row of ``row_label`` in the first table of ``role`` that prints one (``一般公共预算``
    in the 财政拨款收支总表)."""
    for block in ctx.blocks_with_role(role):
        grid = read_grid(block)
        hit = find_row(grid, row_label)
        if hit:
            row, col = hit
            return read_figure(row.cell(col), table_unit(block), label,
                               ctx.prov(row.line, table=block.title, row=row.index))
    return None


def _fiscal_spending(ctx: Context, source: ColumnRole) -> Figure | None:
    """The 财政拨款收支总表's 本年支出合计 in the column of ``source`` (a layout with one column per source)."""
    for block in ctx.blocks_with_role("fiscal_summary"):
        grid = read_grid(block)
        side = expenditure_side(grid) or 0
        col = column(grid.paths, source, start=side)
        hit = find_row(grid, SPENT_THIS_YEAR)
        if col is not None and hit:
            row = hit[0]
            return read_figure(row.cell(col), table_unit(block), f"财政拨款收支总表 本年支出合计/{source.name}",
                               ctx.prov(row.line, table=block.title, row=row.index))
    return None


FISCAL_SOURCES = {  # the table role a source's spending is listed in → (short name, its column role, its income line)
    "gpb_expenditure": ("gpb", GENERAL_PUBLIC, GENERAL_PUBLIC_INCOME),
    "gov_fund": ("gov_fund", GOV_FUND, GOV_FUND_INCOME),
    "state_capital": ("state_capital", STATE_CAPITAL, STATE_CAPITAL_INCOME),
}


def fiscal_source(ctx: Context, role: str) -> Figure | None:
    """The 财政拨款收支总表's figure for the source whose spending tables have ``role``: its 本年支出合计 in
    that source's column, else the income side's line of that source."""
    _, source, line = FISCAL_SOURCES[role]
    return _fiscal_spending(ctx, source) or label_figure(ctx, "fiscal_summary", line,
                                                          f"财政拨款收支总表 {source.name}")


def fiscal_gpb(ctx: Context) -> Figure | None:
    """The 一般公共预算 figure of the 财政拨款收支总表."""
    return fiscal_source(ctx, "gpb_expenditure")


def _two_sided(ctx: Context, role: str) -> Iterator[tuple[Block, Grid, int, str]]:
    """``(block, grid, first expenditure column, unit)`` of each table of ``role`` printed as an income side
    beside an expenditure side."""
    for block in ctx.blocks_with_role(role):
        grid = read_grid(block)
        side = expenditure_side(grid)
        if side is not None:
            yield block, grid, side, table_unit(block)


def income_rows(ctx: Context, role: str) -> Iterator[list[tuple[str, Figure | None, Provenance]]]:
    """For each table of ``role`` (``summary`` | ``fiscal_summary``), its income side's lines as ``(label
    without numbering, figure or None for a blank, where the line is)``: ``一般公共预算拨款 | 2,304.44``,
    ``政府性基金预算拨款 | ``."""
    for block, grid, side, unit in _two_sided(ctx, role):
        lines = []
        for row in grid.body:
            for c in range(side):
                label, value = strip_numbering(row.cell(c)), row.cell(value_col(grid, c))
                if label and label != strip_numbering(value):
                    prov = ctx.prov(row.line, table=block.title, row=row.index)
                    lines.append((label, read_figure(value, unit, f"{block.title} {label}", prov), prov))
        yield lines


def income_lines(ctx: Context, role: str) -> Iterator[list[tuple[str, Figure | None]]]:
    """:func:`income_rows` without their places."""
    for lines in income_rows(ctx, role):
        yield [(label, figure) for label, figure, _ in lines]


def summary_lines(ctx: Context, role: str) -> list[tuple[str, str, Figure]]:
    """The expenditure side's functional lines of the first table of ``role`` (``summary`` |
    ``fiscal_summary``), as ``(code or '', name, figure)``: ``201 一般公共服务 | 56.18`` or
    ``一、社会保障和就业支出 | 326.72``."""
    for block, grid, side, unit in _two_sided(ctx, role):
        out = []
        for row in grid.body:
            for c in range(side, grid.width):
                text = row.cell(c)
                code, name = split_code(text)
                name = strip_numbering(name)
                if not name or not (code or name.endswith("支出")):
                    continue
                figure = read_figure(row.cell(value_col(grid, c)), unit, f"{block.title} {squash(text)}",
                                     ctx.prov(row.line, table=block.title, row=row.index))
                if figure is not None:
                    out.append((code, name, figure))
        return out
    return []

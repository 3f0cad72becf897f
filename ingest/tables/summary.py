"""Summary tables: 部门收支总表 / 收入支出决算总表, 财政拨款收支总表, 部门收入总表.

The two 收支总表 are label/value tables with an income side and an expenditure
side (each ``label | amount`` pairs, possibly with a 行次 column).  Totals are
found by their labels (收入总计, 支出总计, 上年结转) on the right side, never by row
position.  The 收入总表 lists budget units by code.
"""

from __future__ import annotations

import re

from ..context import Context
from ..layout import Block
from ..normalise import squash
from ..sections import table_unit
from ..vocabulary.column_roles import EXPENDITURE_SIDE, ROW_NUMBER, column
from ..vocabulary.row_labels import CARRYOVER_IN, EXPENDITURE_TOTAL, INCOME_TOTAL, RowLabel
from .classification import body_rows, code_and_name, layout
from .grid import Grid, Row, add_unit, amount, is_total_label, is_unit_code, read_grid, strip_numbering

def expenditure_side(grid: Grid) -> int | None:
    """The first column of the expenditure side (top header ``支出``), or ``None`` when not split."""
    return column(grid.paths, EXPENDITURE_SIDE)


def value_col(grid: Grid, label_col: int) -> int:
    """The amount column next to a label, skipping a 行次 column."""
    c = label_col + 1
    while c < grid.width and grid.paths[c] and ROW_NUMBER.matches(grid.paths[c][-1:]):
        c += 1
    return c


def find_label(grid: Grid, pattern: re.Pattern, side: str = "any") -> tuple[Row, int] | None:
    """The first body cell whose label (numbering stripped) matches ``pattern``, on the given side
    (``income`` | ``expenditure`` | ``any``); returns the row and the amount column."""
    split = expenditure_side(grid)
    for row in grid.body:
        for c, text in enumerate(row.cells):
            if split is not None and side == "income" and c >= split:
                break
            if split is not None and side == "expenditure" and c < split:
                continue
            if text and pattern.search(strip_numbering(text)):
                return row, value_col(grid, c)
    return None


def find_row(grid: Grid, label: RowLabel) -> tuple[Row, int] | None:
    """The row stating ``label`` (its wordings tried in order) and its amount column; ``None`` when none does."""
    return next((hit for pattern, side in label.wordings if (hit := find_label(grid, pattern, side))), None)


def wording(label: RowLabel) -> str:
    """The first wording of ``label`` as a reader would print it (``^(本年)?收入合计$|…`` → ``收入合计``)."""
    first = re.sub(r"\([^()|]*\)\?", "", label.wordings[0][0].pattern.split("|")[0])
    return re.sub(r"[\^$()?]", "", first)


def _set_from_label(ctx: Context, block: Block, grid: Grid, label: RowLabel, key: str | None = None,
                    required: bool = True) -> None:
    key = key or label.key
    hit = find_row(grid, label)
    if hit:
        row, col = hit
        ctx.set_total(key, amount(ctx, row, col, table_unit(block), block.title),
                      ctx.prov(row.line, table=block.title, row=row.index))
    elif required:
        ctx.warn("total_missing", ctx.prov(block.lines[0], table=block.title), table=block.title, key=key,
                 label=wording(label))


def parse_summary(block: Block, ctx: Context) -> None:
    """收入总计, 支出总计 and 上年结转 of the department's 收支总表."""
    grid = read_grid(block)
    _set_from_label(ctx, block, grid, INCOME_TOTAL)
    _set_from_label(ctx, block, grid, EXPENDITURE_TOTAL)
    _set_from_label(ctx, block, grid, CARRYOVER_IN, required=False)
    if "carryover_from_last_year" not in ctx.totals:  # the table lists no 上年结转: the document states none
        ctx.set_total("carryover_from_last_year", None, ctx.prov(block.lines[0], table=block.title))


def parse_fiscal_summary(block: Block, ctx: Context) -> None:
    """收入总计 of the 财政拨款收支总表."""
    grid = read_grid(block)
    _set_from_label(ctx, block, grid, INCOME_TOTAL, "fiscal_appropriation_total")


def parse_income(block: Block, ctx: Context) -> None:
    """Budget units (code and name) from the rows of the 部门收入总表."""
    grid = read_grid(block)
    lay = layout(grid)
    for row in body_rows(grid, lay):
        if any(is_total_label(c) for c in row.cells[:3]):
            continue
        code, name = code_and_name(row, lay)
        if code and is_unit_code(code, name):
            add_unit(ctx, code, squash(name), ctx.prov(row.line, table=block.title, row=row.index))

"""A coded table (功能分类 / 经济分类) as figures: its coded rows and its 合计 row, in the table's own unit.

A :class:`Ledger` is what reconciliation checks: per table its title, role, unit, the coded rows (code,
name, 合计 / 基本支出 / 项目支出 figures with the precision they are printed in, provenance), the 合计 row
read the same way, and the rows that could not be read (a row without a code, a malformed amount) —
these tell a parse error from an inconsistent document.  A 基本支出表 printed in parts also has the figure each
part states (its subtotal row, or the 合计 row of a list of one part) and each row's part.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..context import Context
from ..layout import Block
from ..records import Figure, Provenance
from ..sections import table_unit
from ..tables.classification import (
    Layout, body_rows, coded_reading, is_line_code, is_total_row, is_whole_total_row, list_part, segments,
    settled_layout, side_by_side,
)
from ..tables.grid import Grid, Row, read_grid
from ..vocabulary.column_roles import NON_FISCAL_SOURCES, columns
from .figures import read_figure, total_of

CODED_ROLES = ("expenditure", "gpb_expenditure", "gov_fund", "state_capital", "basic_economic")


@dataclass(frozen=True)
class LedgerRow:
    """One coded row, or the 合计 row (``code`` ``''``), as figures."""

    code: str
    name: str
    total: Figure | None
    basic: Figure | None
    project: Figure | None
    provenance: Provenance
    other: Figure | None = None  # spending beside 基本/项目 (上缴上级支出, 经营支出 …)
    personnel: Figure | None = None  # the 人员经费 column, where the table prints one
    public: Figure | None = None  # the 公用经费 column, where the table prints one
    part: str | None = None  # the part of a table printed in parts the row is printed under (``personnel`` …)


@dataclass
class Ledger:
    """One coded table (one list of a side-by-side table) read for reconciliation."""

    title: str
    role: str
    unit: str
    has_split: bool  # the table has both 基本支出 and 项目支出 columns, apart from its 合计 column
    sources: tuple[str, ...] = ()  # the income sources beyond 财政拨款 its columns name (事业收入 …): a 部门 table
    has_personnel_public: bool = False  # the table prints 人员经费 and 公用经费 columns (基本支出 split)
    rows: list[LedgerRow] = field(default_factory=list)
    totals: list[LedgerRow] = field(default_factory=list)  # its 合计 rows (one, or one per page a table repeats)
    unread: list[Provenance] = field(default_factory=list)  # rows with amounts that could not be placed
    parts: dict[str, LedgerRow] = field(default_factory=dict)  # part → the row stating its figure (printed in parts)

    @property
    def total(self) -> LedgerRow | None:
        return self.totals[0] if self.totals else None

    @property
    def page(self) -> int | None:
        return self.rows[0].provenance.page if self.rows else None


def _figure(row: Row, cols: list[int], unit: str, label: str, prov: Provenance) -> Figure | None:
    figures = [f for f in (read_figure(row.cell(c), unit, label, prov) for c in cols) if f is not None]
    if not figures:
        return None
    return figures[0] if len(figures) == 1 else total_of(figures, label, prov)


def _ledger_row(ctx: Context, row: Row, lay: Layout, unit: str, title: str, code: str, name: str,
                part: str | None = None, where: str = "合计行") -> LedgerRow:
    prov = ctx.prov(row.line, table=title, row=row.index)
    where = code or where
    return LedgerRow(
        code, name,
        _figure(row, [lay.total_col] if lay.total_col is not None else [], unit, f"{code} 合计" if code else where,
                prov),
        _figure(row, lay.basic_cols, unit, f"{where} 基本支出", prov),
        _figure(row, lay.project_cols, unit, f"{where} 项目支出", prov),
        prov,
        _figure(row, lay.other_cols or [], unit, f"{where} 其他支出", prov),
        _figure(row, lay.personnel_cols[:1], unit, f"{where} 人员经费", prov),
        _figure(row, lay.public_cols[:1], unit, f"{where} 公用经费", prov),
        part,
    )


def read_ledgers(ctx: Context, block: Block) -> list[Ledger]:
    """The ledgers of one coded table block (one per side-by-side list), in the reading its parsers take."""
    return grid_ledgers(ctx, block, read_grid(block))


def grid_ledgers(ctx: Context, block: Block, grid: Grid) -> list[Ledger]:
    """The ledgers of one reading of a coded table block (one per side-by-side list)."""
    unit = table_unit(block)
    title = block.title or ""
    out = []
    for part in side_by_side(grid):
        lay, _ = settled_layout(part, unit)  # the parser warned of a changed 合计 column
        split = bool(lay.basic_cols and lay.project_cols) and lay.total_col not in lay.basic_cols + lay.project_cols
        sources = tuple(role.name for role in NON_FISCAL_SOURCES if columns(part.paths, role))
        ledger = Ledger(title, block.role, unit, split, sources, bool(lay.personnel_cols and lay.public_cols))
        rows = body_rows(part, lay)
        part_of: dict[int, str] = {}
        for seg in segments(rows, lay, block.role, list_part(block, part)):
            if seg.part is None:
                continue
            part_of.update((r.index, seg.part.key) for r in seg.rows)
            if seg.figure is not None:
                ledger.parts[seg.part.key] = _ledger_row(ctx, seg.figure, lay, unit, title, "", seg.part.name,
                                                         seg.part.key, f"{seg.part.name}合计行")
        totals = [row for row in rows if is_total_row(row, lay)]
        whole = [row for row in totals if is_whole_total_row(row, lay)]
        if len(ledger.parts) > 1:  # a list of two parts, each with its 人员经费合计 / 公用经费合计, and no 合计
            totals = []
        for row in whole or totals:  # 人员经费合计 beside 合计 is a part; alone, it is its list's total
            ledger.totals.append(_ledger_row(ctx, row, lay, unit, title, "", "合计"))
        for row, code, name, _ in coded_reading(rows, lay, block.role, unit):
            if code and is_line_code(code, name, lay, block.role):
                ledger.rows.append(_ledger_row(ctx, row, lay, unit, title, code, name, part_of.get(row.index)))
            elif not code:
                ledger.unread.append(ctx.prov(row.line, table=title, row=row.index))
        out.append(ledger)
    return out


def ledgers(ctx: Context) -> list[Ledger]:
    """Every coded table of the document, in document order."""
    return [ledger for block in ctx.blocks if block.role in CODED_ROLES for ledger in read_ledgers(ctx, block)]


def table_figure(ledger: Ledger, part: str = "total") -> Figure | None:
    """A table's 合计 (or its ``basic`` / ``project`` part) as printed on its 合计 row."""
    row = ledger.total
    return getattr(row, part) if row is not None else None

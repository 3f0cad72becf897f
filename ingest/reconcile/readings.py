"""Which reading of a table its parsers take, where the grid offers several: the one whose figures reconcile.

:func:`~ingest.tables.grid.grid_readings` offers more than one reading where the print is ambiguous (a short
合计 row whose label cell spans the code and name columns: its amounts from the first amount column, or
right-aligned).  Each reading of a coded table is read as ledgers and checked by the table's own equalities
(:func:`~ingest.reconcile.checks.within`: 合计 = Σ top-level rows, 类 = Σ 款 = Σ 项, 合计 = 基本 + 项目); only the
checks the readings do not give alike decide (an inconsistency elsewhere in the table decides nothing).  The one reading on which every such check
passes is taken; when none or several do, the first.  Either way a ``reconcile.reading`` warning says which
reading was taken and why, so that a reader of the findings can tell a repair from a guess (an ``info`` where the
reading taken is the table as printed, and nothing where no check told that print from the others).  A 收支总表's readings (where a short row's amount
sits: on the income side or the expenditure side) are checked by its balances
(:func:`~ingest.reconcile.balances.balance_checks`).
"""

from __future__ import annotations

from dataclasses import replace

from ..context import Context
from ..layout import Block
from ..records import Check, Finding
from ..rules import check_message, finding
from ..tables.grid import AS_PRINTED, Grid, grid_readings
from ..vocabulary.table_roles import TWO_SIDED
from .ledger import CODED_ROLES
from .own_checks import table_checks
from .title_rows import choose_title_rows


def differing_rows(readings: list[Grid]) -> set[int]:
    """The body rows (by index) whose cells some reading places differently from the first."""
    first = readings[0].body
    return {row.index for grid in readings[1:] for row, base in zip(grid.body, first) if row.cells != base.cells}


def deciding_checks(ctx: Context, block: Block, readings: list[Grid]) -> dict[str, list[Check]]:
    """Per reading, the table's own checks that not every reading gives alike (the others cannot decide)."""
    checks = {g.reading: table_checks(ctx, block, g) for g in readings}
    common = set.intersection(*({c.message for c in found} for found in checks.values()))
    return {name: [c for c in found if c.message not in common] for name, found in checks.items()}


def choose_reading(ctx: Context, block: Block) -> Finding | None:
    """Set ``block.reading`` to the reading whose figures reconcile (the first when none or several do) and
    say so; ``None`` for a table read one way only, or read as printed where no check tells the readings
    apart."""
    readings = grid_readings(block)
    if len(readings) < 2:
        return None
    checks = deciding_checks(ctx, block, readings)
    agree = [g.reading for g in readings if checks[g.reading] and all(c.passed for c in checks[g.reading])]
    chosen = agree[0] if len(agree) == 1 else readings[0].reading
    block.reading = chosen
    if chosen == AS_PRINTED and len(agree) != 1:
        return None  # the print taken, and no check told the readings apart: nothing repaired, nothing learned
    others = [g.reading for g in readings if g.reading != chosen]
    if len(agree) == 1:
        failed = [check_message(c) for name in others for c in checks[name] if not c.passed]
        rules = "、".join(dict.fromkeys(c.rule for c in checks[chosen]))
        why = (f"按此读法，区分各读法的检查全部成立（{len(checks[chosen])} 项：{rules}），按"
               f"{'、'.join(f'“{o}”' for o in others)}则不然" + (f"（{failed[0]}）" if failed else ""))
    elif agree:
        why = f"区分各读法的检查在每种读法下都成立（{'、'.join(f'“{a}”' for a in agree)}）：取第一种"
    else:
        why = "区分各读法的检查在任何读法下都不成立：取第一种"
    rows = differing_rows(readings)
    first_row = next((r for r in readings[0].body if r.index in rows), readings[0].body[0])
    page = f"（第 {block.page} 页）" if block.page is not None else ""
    values = tuple(check_message(c) for g in readings for c in checks[g.reading])
    found = finding("reconcile.reading", ctx.prov(first_row.line, table=block.title, row=first_row.index), values,
                    table=block.title, page=page, chosen=chosen, why=why)
    return replace(found, severity="info") if chosen == AS_PRINTED else found  # the print confirmed is no repair


def choose_readings(ctx: Context) -> None:
    """Choose where a title-shaped grid row of an unknown wording belongs (:mod:`.title_rows`), then the
    reading of every coded or two-sided table the grid reads more than one way; each choice a finding."""
    choose_title_rows(ctx)
    for block in ctx.blocks:
        if block.role in CODED_ROLES or block.role in TWO_SIDED:
            finding = choose_reading(ctx, block)
            if finding is not None:
                ctx.findings.append(finding)

"""A table's own checks on one reading of its grid: what tells two readings of a table apart."""

from __future__ import annotations

from ..context import Context
from ..layout import Block
from ..records import Check
from ..tables.grid import Grid
from ..vocabulary.table_roles import TWO_SIDED
from .balances import balance_checks
from .checks import within
from .ledger import CODED_ROLES, grid_ledgers


def table_checks(ctx: Context, block: Block, grid: Grid) -> list[Check]:
    """A coded table's sums (:func:`~ingest.reconcile.checks.within`), a 收支总表's balances
    (:func:`~ingest.reconcile.balances.balance_checks`); none for other tables."""
    if block.role in TWO_SIDED:
        return balance_checks(ctx, block, grid)
    if block.role in CODED_ROLES:
        return [c for ledger in grid_ledgers(ctx, block, grid) for c in within(ledger)]
    return []

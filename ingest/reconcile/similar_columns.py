"""Which column is 合计, 基本支出 or 项目支出 where no header wording says so: by similarity, confirmed by arithmetic.

In a coded table whose header names no 合计, 基本支出 or 项目支出 column by a known wording
(:mod:`ingest.vocabulary.column_roles`), each amount column whose label says no role (``本年度支出总额``,
``专项业务支出``) is compared with the missing roles' wordings through the document's similarity
(``ctx.similarity``; none: nothing happens).  The choices above the thresholds are then weighed by the table's
own checks (:func:`~ingest.reconcile.checks.within`): of the choices of at most one column per role, the one
with the most roles on which no more checks fail than without any is taken (``block.column_roles``, which
:func:`~ingest.tables.grid.read_grid` applies).  Every column taken, and every one not taken (with the check
that refused it), is a warning naming the table, its page or line, the printed label, the role and the score.
"""

from __future__ import annotations

from itertools import product

from ..context import Context
from ..layout import Block
from ..records import Check, Finding
from ..tables.classification import Layout, layout
from ..tables.grid import amount_columns, group_columns, read_grid
from ..vocabulary.column_roles import (
    BASIC, PROJECT, SIMILAR_ROLES, SPENDING, TOTAL, ColumnRole, SimilarRole, column, nearest_roles, says_no_role,
)
from .checks import within
from .ledger import CODED_ROLES, read_ledgers


def _after_names(lay: Layout) -> int:
    """The first column after the code and name columns."""
    return (lay.name_col if lay.name_col is not None else max(lay.code_cols, default=-1)) + 1


def missing_roles(block: Block) -> tuple[ColumnRole, ...]:
    """The roles among :data:`SIMILAR_ROLES` the table's layout finds no column for by a known wording (合计:
    neither a 合计 column nor a 本年支出 group's subtotal)."""
    grid = read_grid(block)
    lay = layout(grid)
    found = {TOTAL: column(grid.paths, TOTAL, start=_after_names(lay)) is not None
             or bool(group_columns(grid.paths, SPENDING.label)),
             BASIC: bool(lay.basic_cols), PROJECT: bool(lay.project_cols)}
    return tuple(role for role in SIMILAR_ROLES if not found[role])


def candidates(block: Block) -> dict[int, str]:
    """The amount columns after the name column whose header path says no role: column → its last label."""
    grid = read_grid(block)
    after = _after_names(layout(grid))
    amounts = amount_columns([row.cells for row in grid.body], grid.width)
    return {c: grid.paths[c][-1] for c in amounts if c >= after and says_no_role(grid.paths[c])}


def _checks(ctx: Context, block: Block, chosen: dict[int, SimilarRole]) -> list[Check]:
    block.column_roles = {c: m.role.known[0] for c, m in chosen.items()}
    return [c for ledger in read_ledgers(ctx, block) for c in within(ledger)]


PER_ROLE = 3  # the nearest columns per role weighed by the checks (a wide table's readings stay few)


def _failed(checks: list[Check]) -> int:
    return sum(not c.passed for c in checks)


def _weigh(ctx: Context, block: Block, near: dict[int, SimilarRole]) -> tuple[dict[int, SimilarRole], list[Check]]:
    """The choice of at most one column per role with the most roles on which no more checks fail than on none
    (ties: more checks pass, then the higher scores), with its checks."""
    baseline = _failed(_checks(ctx, block, {}))
    options = [[None, *sorted((c for c, m in near.items() if m.role == role), key=lambda c: -near[c].score)[:PER_ROLE]]
               for role in SIMILAR_ROLES]
    best: tuple[tuple, dict[int, SimilarRole], list[Check]] | None = None
    for combo in product(*options):
        chosen = {c: near[c] for c in combo if c is not None}
        checks = _checks(ctx, block, chosen)
        if chosen and _failed(checks) <= baseline:
            key = (len(chosen), sum(c.passed for c in checks), sum(m.score for m in chosen.values()))
            if best is None or key > best[0]:
                best = (key, chosen, checks)
    block.column_roles = {}
    return (best[1], best[2]) if best is not None else ({}, [])


def _why_not(ctx: Context, block: Block, col: int, near: dict[int, SimilarRole], taken: dict[int, SimilarRole]
             ) -> str:
    """Why a near column was not taken: the checks that fail with it, or the column that took its role."""
    rival = next((c for c, m in taken.items() if m.role == near[col].role), None)
    with_it = {c: m for c, m in taken.items() if c != rival} | {col: near[col]}
    failed = [c.message for c in _checks(ctx, block, with_it) if not c.passed]
    block.column_roles = {}
    if len(failed) > _failed(_checks(ctx, block, {})):
        return f"refused: with it {len(failed)} of the table's checks fail ({failed[0]})"
    return f"not taken: column {rival + 1} {taken[rival].label!r} takes the role" if rival is not None \
        else "not taken"


def choose_column_roles(ctx: Context, block: Block) -> list[Finding]:
    """Give the table's unnamed amount columns the missing roles their labels are near, where its checks do
    not contradict them (sets ``block.column_roles``); a warning for each choice taken or not."""
    roles = missing_roles(block)
    cols = candidates(block) if roles else {}
    if not cols:
        return []
    page = f" on page {block.page}" if block.page is not None else f" at line {block.first_line}"
    prov = ctx.prov(block.lines[0], table=block.title)
    try:
        matches = nearest_roles(list(cols.values()), ctx.similarity)
    except Exception as exc:  # the model could not be loaded or run: the table is read by wording alone
        return [Finding("column_role_similarity_failed", "warning",
                        f"table {block.title!r}{page}: similarity failed ({type(exc).__name__}: {exc})"[:300],
                        tuple(cols.values()), prov)]
    near = {c: m for c, m in zip(cols, matches) if m.role in roles}  # near a role the table lacks
    if not near:
        return []
    taken, checks = _weigh(ctx, block, near)
    out = []
    for c, m in near.items():
        what = (f"table {block.title!r}{page}: column {c + 1} {m.label!r} read as {m.role.name} "
                f"({m.role.known[0]}) by similarity {m.score:.3f} to {m.nearest!r} (margin {m.margin:.3f})")
        values = (m.label, m.role.name, f"{m.score:.3f}")
        if c in taken:
            passed = sum(ch.passed for ch in checks)
            out.append(Finding("column_role_by_similarity", "warning",
                               f"{what}; the table's checks do not contradict it ({passed} of {len(checks)} pass)",
                               values, prov))
        else:
            out.append(Finding("column_role_similarity_refused", "warning",
                               f"{what} {_why_not(ctx, block, c, near, taken)}", values, prov))
    block.column_roles = {c: m.role.known[0] for c, m in taken.items()}
    return out


def choose_columns_by_similarity(ctx: Context) -> None:
    """:func:`choose_column_roles` for every coded table, when the document has a similarity."""
    if ctx.similarity is None:
        return
    for block in ctx.blocks:
        if block.role in CODED_ROLES:
            ctx.findings.extend(choose_column_roles(ctx, block))

"""Which role a column has where no header wording says so: by similarity, confirmed by arithmetic.

合计, 基本支出 and 项目支出 (:func:`choose_column_roles`), and the parts of a table's income — 上年结转 and each
source (:func:`choose_income_roles`).

In a coded table whose header names no 合计, 基本支出 or 项目支出 column by a known wording
(:mod:`ingest.vocabulary.column_roles`), each amount column whose label says no role (``本年度支出总额``,
``专项业务支出``) is compared with the missing roles' wordings through the document's similarity
(``ctx.similarity``; none: nothing happens).  The choices above the thresholds are then weighed by the table's
own checks (:func:`~ingest.reconcile.checks.within`): of the choices of at most one column per role, the one
with the most roles on which no more checks fail than without any is taken (``block.column_roles``, which
:func:`~ingest.tables.grid.read_grid` applies).  Every column taken, and every one not taken (with the check
that refused it), is a warning naming the table, its page or line, the printed label, the role and the score.

The income parts of a 收入总表 (or of a coded table listing its sources) are confirmed by the row sums:
合计 = 上年结转 + Σ sources on every row that prints a 合计, with the columns taken and not without them; which
source a column is rests on the model's margin (the thresholds, measured, are in
:data:`~ingest.vocabulary.column_roles.INCOME_SIMILAR`).  Which figure a column holds (年初预算数 / 决算数) is
never taken by similarity: nothing in a document's arithmetic could confirm it.
"""

from __future__ import annotations

from itertools import combinations, product

from ..context import Context
from ..layout import Block
from ..records import Check, Finding
from ..rules import check_message, finding
from ..sections import table_unit
from ..tables.classification import Layout, body_rows, layout
from ..tables.grid import Grid, amount_columns, group_columns, read_grid
from ..vocabulary.column_roles import (
    BASIC, INCOME_PARTS, INCOME_SIMILAR, PROJECT, SIMILAR_ROLES, SPENDING, SPENDING_SIMILAR, TOTAL, ColumnRole,
    SimilarRole, SimilarRoles, column, nearest_roles, says_no_role,
)
from .checks import compare, within
from .figures import read_figure, total_of
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


def _confirms(checks: list[Check]) -> bool:
    """合计 = 基本 + 项目 is checked on the rows and holds on every one: the check that ties the three columns
    together (a coded table's level sums hold for any of its amount columns, so they confirm no role)."""
    split = [c for c in checks if c.rule == "basic_plus_project"]
    return bool(split) and all(c.passed for c in split)


def _weigh(ctx: Context, block: Block, near: dict[int, SimilarRole]) -> tuple[dict[int, SimilarRole], list[Check]]:
    """The choice of at most one column per role with the most roles on which 合计 = 基本 + 项目 holds on every
    row and no more checks fail than on none (ties: more checks pass, then the higher scores), with its checks."""
    baseline = _failed(_checks(ctx, block, {}))
    options = [[None, *sorted((c for c, m in near.items() if m.role == role), key=lambda c: -near[c].score)[:PER_ROLE]]
               for role in SIMILAR_ROLES]
    best: tuple[tuple, dict[int, SimilarRole], list[Check]] | None = None
    for combo in product(*options):
        chosen = {c: near[c] for c in combo if c is not None}
        checks = _checks(ctx, block, chosen)
        if chosen and _failed(checks) <= baseline and _confirms(checks):
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
    checks = _checks(ctx, block, with_it)
    failed = [check_message(c) for c in checks if not c.passed]
    block.column_roles = {}
    if len(failed) > _failed(_checks(ctx, block, {})):
        return f"有该栏时表内 {len(failed)} 项检查不成立（{failed[0]}）"
    if rival is not None:
        return f"第 {rival + 1} 栏“{taken[rival].label}”已取得该角色"
    return "各行没有 合计 = 基本 + 项目 的检查能证实它" if not _confirms(checks) else "其他栏更能满足表内检查"


def _where(block: Block) -> str:
    return f"（第 {block.page} 页）" if block.page is not None else f"（第 {block.first_line} 行）"


def _near(ctx: Context, block: Block, cols: dict[int, str], pool: SimilarRoles
          ) -> tuple[list[SimilarRole], Finding | None]:
    """The nearest roles of ``pool`` for the labels of ``cols``; none and a warning when the model fails."""
    try:
        return nearest_roles(list(cols.values()), ctx.similarity, pool), None
    except Exception as exc:  # the model could not be loaded or run: the table is read by wording alone
        return [], finding("column_role_similarity_failed", ctx.prov(block.lines[0], table=block.title),
                           tuple(cols.values()), table=block.title, where=_where(block),
                           detail=f"{type(exc).__name__}: {exc}"[:200])


def _finding(ctx: Context, block: Block, c: int, m: SimilarRole, taken: bool, why: str) -> Finding:
    rule = "column_role_by_similarity" if taken else "column_role_similarity_refused"
    return finding(rule, ctx.prov(block.lines[0], table=block.title), (m.label, m.role.name, f"{m.score:.3f}"),
                   table=block.title, where=_where(block), column=c + 1, label=m.label, role=m.role.known[0],
                   score=f"{m.score:.3f}", nearest=m.nearest, margin=f"{m.margin:.3f}", why=why)


def choose_column_roles(ctx: Context, block: Block) -> list[Finding]:
    """Give the table's unnamed amount columns the missing roles their labels are near, where its checks do
    not contradict them (sets ``block.column_roles``); a warning for each choice taken or not."""
    roles = missing_roles(block)
    cols = candidates(block) if roles else {}
    if not cols:
        return []
    matches, failed = _near(ctx, block, cols, SPENDING_SIMILAR)
    if failed is not None:
        return [failed]
    near = {c: m for c, m in zip(cols, matches) if m.role in roles}  # near a role the table lacks
    if not near:
        return []
    taken, checks = _weigh(ctx, block, near)
    passed = sum(ch.passed for ch in checks)
    out = [_finding(ctx, block, c, m, c in taken,
                    f"；表内检查与之不矛盾（{len(checks)} 项中 {passed} 项成立）" if c in taken
                    else _why_not(ctx, block, c, near, taken)) for c, m in near.items()]
    block.column_roles = {c: m.role.known[0] for c, m in taken.items()}
    return out


# --- the parts of a table's income --------------------------------------------------------------

def income_parts(grid: Grid, total: int) -> list[int]:
    """The columns after the 合计 column ``total`` whose header says 上年结转 or a source of income, not a
    group's 小计 (``财政拨款/小计`` beside ``财政拨款/一般公共预算``)."""
    return [c for c, path in enumerate(grid.paths) if c > total and path
            and any(role.matches(path) for role in INCOME_PARTS) and not TOTAL.matches(path[-1:])]


def income_sums(ctx: Context, block: Block, grid: Grid, total: int, parts: list[int]) -> list[Check]:
    """合计 = Σ ``parts`` (blanks count 0) on every row printing a 合计 and some part."""
    unit, lay = table_unit(block), layout(grid)
    out = []
    for row in body_rows(grid, lay):
        prov = ctx.prov(row.line, table=block.title, row=row.index)
        whole = read_figure(row.cell(total), unit, "合计", prov)
        figures = [f for f in (read_figure(row.cell(c), unit, "/".join(grid.paths[c]), prov) for c in parts) if f]
        if whole is not None and figures:
            label = " + ".join(grid.paths[c][-1] for c in parts)
            out.append(compare("income_parts", whole, total_of(figures, label),
                               f"{block.title}: row {row.index + 1} 合计 = {label}"))
    return out


def _income_total(grid: Grid) -> int | None:
    return column(grid.paths, TOTAL, start=_after_names(layout(grid)))


PER_TABLE = 6  # the nearest columns of a table weighed as income parts (their subsets stay few)


def _prints_amounts(grid: Grid, col: int) -> bool:
    return any((f := read_figure(r.cell(col), "元", "", None)) is not None and f.amount for r in grid.body)


def _sums_with(ctx: Context, block: Block, roles: dict[int, str]) -> tuple[Grid, list[Check]]:
    """The table's income sums with the columns of ``roles`` given those roles."""
    saved = block.column_roles
    block.column_roles = {**saved, **roles}
    grid = read_grid(block)
    total = _income_total(grid)
    checks = income_sums(ctx, block, grid, total, income_parts(grid, total)) if total is not None else []
    block.column_roles = saved
    return grid, checks


def _confirmed(ctx: Context, block: Block, near: dict[int, SimilarRole]) -> tuple[set[int], list[Check]]:
    """The largest set of near columns (one per role, each printing some amount) with which 合计 = Σ parts holds
    on every row, where without them it fails on some row; with its checks."""
    _, without = _sums_with(ctx, block, {})
    if without and all(ch.passed for ch in without):
        return set(), []  # the named parts add up already: a further column is no part of the income
    nearest = sorted(near, key=lambda c: -near[c].score)[:PER_TABLE]
    for size in range(len(nearest), 0, -1):
        for chosen in combinations(sorted(nearest), size):
            if len({near[c].role.name for c in chosen}) < size:
                continue
            grid, checks = _sums_with(ctx, block, {c: near[c].role.known[0] for c in chosen})
            if checks and all(ch.passed for ch in checks) and all(_prints_amounts(grid, c) for c in chosen):
                return set(chosen), checks
    return set(), []


def choose_income_roles(ctx: Context, block: Block) -> list[Finding]:
    """Give a table's unnamed amount columns after its 合计 the income part (上年结转, a source) their labels are
    near, where the row sums confirm them (adds to ``block.column_roles``); a warning for each choice taken or
    not."""
    grid = read_grid(block)
    total = _income_total(grid)
    if total is None:
        return []
    cols = {c: label for c, label in candidates(block).items() if c > total}
    if not cols:
        return []
    matches, failed = _near(ctx, block, cols, INCOME_SIMILAR)
    if failed is not None:
        return [failed]
    near = {c: m for c, m in zip(cols, matches) if m.role is not None}
    if not near:
        return []
    taken, checks = _confirmed(ctx, block, near)
    block.column_roles = {**block.column_roles, **{c: near[c].role.known[0] for c in taken}}
    why = (f"；有该栏时各行都满足 合计 = 上年结转 + Σ 各项收入（{len(checks)} 行），无该栏时则不然"
           if checks else "")
    return [_finding(ctx, block, c, m, c in taken, why if c in taken else
                     "有该栏时各行并非都满足 合计 = 上年结转 + Σ 各项收入（或无该栏时也满足）")
            for c, m in near.items()]


INCOME_TABLES = ("income", *CODED_ROLES)  # the 收入总表, and a 部门 table listing its sources beside its 合计


def choose_columns_by_similarity(ctx: Context) -> None:
    """:func:`choose_column_roles` for every coded table, then :func:`choose_income_roles` for every table that
    may list the parts of its income, when the document has a similarity."""
    if ctx.similarity is None:
        return
    for block in ctx.blocks:
        if block.role in CODED_ROLES:
            ctx.findings.extend(choose_column_roles(ctx, block))
        if block.role in INCOME_TABLES:
            ctx.findings.extend(choose_income_roles(ctx, block))

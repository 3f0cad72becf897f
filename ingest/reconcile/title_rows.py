"""Where a title-shaped grid row whose wording names no role belongs: a table's title, or a row of the table
it is printed in.

:func:`~ingest.sections.split_blocks` reads such a row (``Block.title_row``) as the title of a table of its
own, by similarity or ``unrecognised_table``.  It may instead be a header or data row of the table before,
with the rows after it.  Both readings are checked by the tables' own checks
(:func:`~ingest.reconcile.own_checks.table_checks`), only the checks the readings do not give alike deciding:
the rows are joined to the table before only when every deciding check holds that way and not apart; on a
tie the table stays apart (nothing is merged into another table on a guess).  Either way a
``reconcile.title_row`` warning says which reading was taken and why.
"""

from __future__ import annotations

from ..context import Context
from ..layout import Block
from ..records import Check, Finding
from ..rules import check_message, finding
from ..tables.grid import read_grid
from .own_checks import table_checks


def _joined(before: Block, block: Block) -> Block:
    """The table before with the title row and every row after it as its own rows."""
    row = block.title_row
    rest = [ln for ln in block.lines if ln.no != row.no]
    return Block(before.title, before.role, [*before.lines, row, *rest], column_roles=dict(before.column_roles))


def _holds(checks: list[Check]) -> bool:
    return bool(checks) and all(c.passed for c in checks)


def choose_title_row(ctx: Context, before: Block, block: Block) -> Finding:
    """Keep ``block`` apart or join it to ``before`` (in ``ctx.blocks``), by the checks; the finding says which."""
    joined = _joined(before, block)
    apart = table_checks(ctx, before, read_grid(before)) + table_checks(ctx, block, read_grid(block))
    together = table_checks(ctx, joined, read_grid(joined))
    common = {c.message for c in apart} & {c.message for c in together}
    apart = [c for c in apart if c.message not in common]
    together = [c for c in together if c.message not in common]
    join = _holds(together) and not _holds(apart)
    where = f"第 {block.page} 页" if block.page is not None else f"第 {block.title_row.no} 行"
    if join:
        before.lines = joined.lines
        ctx.blocks.remove(block)
        rules = "、".join(dict.fromkeys(c.rule for c in together))
        failed = next((check_message(c) for c in apart if not c.passed), None)
        what = f"读作“{before.title}”的一行"
        why = (f"合并后区分两种读法的检查全部成立（{len(together)} 项：{rules}）"
               + (f"，分开则不然（{failed}）" if failed else "，分开则没有检查成立"))
    else:
        what = f"读作一张独立表格的标题（{block.role}）"
        if _holds(apart):
            why = f"分开时区分两种读法的检查全部成立（{len(apart)} 项）"
        elif together:
            why = "合并后有检查不成立（" + next((check_message(c) for c in together if not c.passed), "") + "）"
        else:
            why = "没有检查能区分两种读法：不凭猜测并入前一张表"
    values = tuple(check_message(c) for c in apart + together)
    return finding("reconcile.title_row", ctx.prov(block.title_row, table=before.title if join else block.title),
                   values, title=block.title, where=where, before=f"“{before.title}”", what=what, why=why)


def choose_title_rows(ctx: Context) -> None:
    """Decide every title row of an unknown wording (``Block.title_row``) against the table before it."""
    for block in [b for b in ctx.blocks if b.title_row is not None]:
        k = ctx.blocks.index(block)
        if k > 0:
            ctx.findings.append(choose_title_row(ctx, ctx.blocks[k - 1], block))

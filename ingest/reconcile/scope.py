"""Which table's coded lines are the department's (role ``expenditure``) and which the 一般公共预算's."""

from __future__ import annotations

from ..context import Context


def choose_scope(ctx: Context) -> None:
    return None

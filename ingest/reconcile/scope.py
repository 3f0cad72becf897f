"""Which table's coded lines are the department's (role ``expenditure``) and which the 一般公共预算's.

A 部门支出总表 covers every source of income (事业收入, 其他收入 … beside 财政拨款); a 一般公共预算支出表 only
the 一般公共预算.  When two tables of a document both read as the department's expenditure table, the one
whose columns name sources beyond 财政拨款, or whose 合计 equals the 收支总表's 支出, is the department's;
another whose 合计 equals the 财政拨款收支总表's 一般公共预算 figure (or that names no such source while the
first does) is the 一般公共预算 table: its lines are moved to role ``gpb_expenditure``, and the department's
基本支出 / 项目支出 totals are taken from the department's table, with a warning.
"""

from __future__ import annotations

from dataclasses import replace

from ..context import Context
from ..records import Figure, Total
from ..vocabulary.row_labels import SPENT_THIS_YEAR
from .figures import tolerance
from .ledger import Ledger, table_figure
from .stated import fiscal_gpb, label_figure, stated_total


def _equal(a: Figure | None, b: Figure | None) -> bool:
    return a is not None and b is not None and a.amount is not None and b.amount is not None \
        and abs(a.amount - b.amount) <= tolerance(a, b)


def choose_scope(ctx: Context, books: list[Ledger]) -> None:
    """Settle the scope of the tables read as role ``expenditure`` (see the module docstring)."""
    dept = [b for b in books if b.role == "expenditure" and table_figure(b) is not None]
    titles = list(dict.fromkeys(b.title for b in dept))
    if len(titles) < 2:
        return
    spent = label_figure(ctx, "summary", SPENT_THIS_YEAR, "收支总表 本年支出合计") \
        or stated_total(ctx, "expenditure_total", "收支总表 支出总计")
    gpb = fiscal_gpb(ctx)
    first = {t: next(b for b in dept if b.title == t) for t in titles}

    def department_rank(title: str) -> tuple[bool, bool]:
        book = first[title]
        return _equal(table_figure(book), spent) and not _equal(table_figure(book), gpb), bool(book.sources)

    chosen = max(titles, key=department_rank)  # the first of equals: the document's order
    if department_rank(chosen) == (False, False):
        return  # nothing tells the tables apart: keep them as read
    for title in titles:
        book = first[title]
        is_gpb = _equal(table_figure(book), gpb) or (first[chosen].sources and not book.sources)
        if title == chosen or not is_gpb:
            continue
        _move_to_gpb(ctx, books, title, first[chosen])
    if chosen != titles[0]:
        _department_totals(ctx, first[chosen])


def _move_to_gpb(ctx: Context, books: list[Ledger], title: str, department: Ledger) -> None:
    for book in books:
        if book.title == title:
            book.role = "gpb_expenditure"
    moved = 0
    for i, li in enumerate(ctx.line_items):
        if li.table == title and li.role == "expenditure":
            ctx.line_items[i] = replace(li, role="gpb_expenditure")
            moved += 1
    why = f"其各栏列出{'、'.join(department.sources)}" if department.sources else "其合计等于收支总表的支出"
    ctx.warn("reconcile.scope", table_figure(department).provenance, title, table=title, lines=moved,
             department=f"“{department.title}”", why=why)


def _department_totals(ctx: Context, department: Ledger) -> None:
    """基本支出 / 项目支出 from the department's table's 合计 row (they were read from another table first)."""
    row = department.total
    for key, figure in (("basic_expenditure", row.basic), ("project_expenditure", row.project)):
        if figure is not None and key in ctx.totals:
            ctx.totals[key] = Total(key, figure.amount, figure.provenance)
    ctx.warn("reconcile.department_totals", row.provenance, department=f"“{department.title}”")

"""Reconcile one document after its table parsers ran: choose the scope of its expenditure lines, check
every table and the equalities across tables, and report every failed check as a warning."""

from __future__ import annotations

import re

from ..context import Context
from ..normalise import squash
from ..records import Check, Figure
from ..rules import check_finding
from ..sections import table_unit
from ..tables.classification import body_rows, is_total_row, layout
from ..tables.grid import TOTAL_LABELS, read_grid
from ..vocabulary.column_roles import CARRYOVER, columns
from ..vocabulary.row_labels import EXPENDITURE_TOTAL, SPENT_THIS_YEAR, THIS_YEAR_INCOME
from ..vocabulary.table_parts import whole_title
from ..vocabulary.table_roles import TWO_SIDED
from .balances import side_totals
from .checks import compare, department_vs_gpb, lines_across, three_public_parts, total_of, within
from .figures import read_figure, stated
from .ledger import Ledger, ledgers, table_figure
from .narrative import narrative_checks
from .scope import choose_scope
from .stated import FISCAL_SOURCES, block_titled, fiscal_source, label_figure, stated_total, summary_lines


def _economic_total(group: list[Ledger]) -> Figure | None:
    """A 经济分类 table's total: its 合计 row, or (a side-by-side table, or none printed) its lists' 类 rows."""
    parts = []
    for ledger in group:
        figure = table_figure(ledger)
        if figure is None:
            classes = [r.total for r in ledger.rows if len(r.code) == 3 and r.total is not None]
            figure = total_of(classes, f"{ledger.title}各类之和") if classes else None
        if figure is not None:
            parts.append(figure)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else total_of(parts, f"{group[0].title}等各表之和")


def _across(ctx: Context, books: list[Ledger]) -> list[Check]:
    out: list[Check] = []
    income = stated_total(ctx, "income_total", "收支总表 收入总计")
    spent = stated_total(ctx, "expenditure_total", "收支总表 支出总计")
    if income and spent:
        out.append(compare("summary_balance", income, spent, "收支总表 balances",
                           "可能是文件本身的问题：两个总计都印在收支总表中"))
    this_year = label_figure(ctx, "summary", SPENT_THIS_YEAR, "收支总表 本年支出合计") or spent
    dept = [b for b in books if b.role == "expenditure" and table_figure(b) is not None]
    if this_year and dept:
        out.append(compare("expenditure_vs_summary", table_figure(dept[0]), this_year,
                           f"{dept[0].title} 合计 vs 收支总表"))
    gpb = [b for b in books if b.role == "gpb_expenditure" and table_figure(b) is not None]
    for role, (short, _, _) in FISCAL_SOURCES.items():
        fiscal = fiscal_source(ctx, role)
        for book in [b for b in books if b.role == role and table_figure(b) is not None] if fiscal else []:
            out.append(compare(f"{short}_vs_fiscal_summary", table_figure(book), fiscal,
                               f"{book.title} 合计 vs 财政拨款收支总表"))
    out += _income_vs_summary(ctx, income)
    fiscal_in = stated_total(ctx, "fiscal_appropriation_total", "财政拨款收支总表 收入总计")
    fiscal_out = label_figure(ctx, "fiscal_summary", EXPENDITURE_TOTAL, "财政拨款收支总表 支出总计")
    if fiscal_in and fiscal_out:
        out.append(compare("fiscal_summary_balance", fiscal_in, fiscal_out, "财政拨款收支总表 balances",
                           "可能是文件本身的问题：两个总计都印在财政拨款收支总表中"))
    out += [c for block in ctx.blocks if block.role in TWO_SIDED for c in side_totals(ctx, block, read_grid(block))]
    out += _summary_lines(ctx, "summary", dept) + _summary_lines(ctx, "fiscal_summary", gpb)
    out += department_vs_gpb([b for b in dept if b.rows], [b for b in gpb if b.rows])
    out += _basic_vs_economic(ctx, books, gpb)
    out += _three_public(ctx)
    out += _projects(ctx)
    return out


def _class_figures(book: Ledger) -> dict[str, Figure]:
    """Each 类's figure in a table: its 类 row, or (a table listing only 款/项 lines) the sum of its top rows."""
    codes = {r.code for r in book.rows}
    out: dict[str, Figure] = {}
    tops: dict[str, list[Figure]] = {}
    for r in book.rows:
        if r.total is None:
            continue
        if len(r.code) == 3:
            out.setdefault(r.code, r.total)
        elif r.code[:-2] not in codes and (len(r.code) == 5 or r.code[:-4] not in codes):
            tops.setdefault(r.code[:3], []).append(r.total)
    for code, figures in tops.items():
        out.setdefault(code, total_of(figures, f"{code} 各行之和"))
    return out


def _income_vs_summary(ctx: Context, income: Figure | None) -> list[Check]:
    """The 收入总表's 合计 = the 收支总表's income: 收入总计 where the 收入总表 has a 上年结转 column, else
    本年收入合计."""
    out = []
    for block in ctx.blocks_with_role("income"):
        grid = read_grid(block)
        lay = layout(grid)
        row = next((r for r in body_rows(grid, lay) if is_total_row(r, lay)), None)
        if row is None or lay.total_col is None:
            continue
        table = read_figure(row.cell(lay.total_col), table_unit(block), f"{block.title} 合计",
                            ctx.prov(row.line, table=block.title, row=row.index))
        summary = income if columns(grid.paths, CARRYOVER) else (
            label_figure(ctx, "summary", THIS_YEAR_INCOME, "收支总表 本年收入合计") or income)
        if table is not None and summary is not None:
            out.append(compare("income_vs_summary", table, summary, f"{block.title} 合计 vs 收支总表"))
    return out


def _summary_lines(ctx: Context, role: str, books: list[Ledger]) -> list[Check]:
    """Each 类 line a 收支总表 lists on its expenditure side = that 类 in the first table of its scope
    (matched by code, else by name)."""
    if not books:
        return []
    classes = _class_figures(books[0])
    names = {squash(r.name): r.code for r in books[0].rows if len(r.code) == 3}
    out = []
    for code, name, figure in summary_lines(ctx, role):
        code = code if code in classes else names.get(name, "")
        if code in classes:
            out.append(compare("summary_line", figure, classes[code], f"{code} {name}: {role} vs {books[0].title}",
                               "可能是文件本身的问题：两表所印该行不同"))
    return out


def _basic_vs_economic(ctx: Context, books: list[Ledger], gpb: list[Ledger]) -> list[Check]:
    """The 基本支出表's total = the 基本支出 of the table of its scope (一般公共预算, else the department's); a table
    printed as two titled parts (``…（人员经费）`` / ``…（公用经费）``) is one table."""
    out = []
    for whole in dict.fromkeys(whole_title(b.title) for b in books if b.role == "basic_economic"):
        group = [b for b in books if b.role == "basic_economic" and whole_title(b.title) == whole]
        title = group[0].title
        economic = _economic_total(group)
        if economic is None:
            continue
        if re.search(r"一般公共预算|财政拨款", squash(title)):
            basic = next((table_figure(b, "basic") for b in gpb if table_figure(b, "basic") is not None), None)
        else:
            basic = stated_total(ctx, "basic_expenditure", "部门 基本支出")
        if basic is not None:
            out.append(compare("basic_vs_economic", economic, basic, f"{title} vs 基本支出"))
    return out


def _three_public(ctx: Context) -> list[Check]:
    lines = ctx.three_public
    if not lines:
        return []
    block = block_titled(ctx, lines[0].provenance.table if lines[0].provenance else None)
    unit = table_unit(block) if block else "万元"
    figures = [stated(t.amount, unit, t.item, t.provenance) for t in lines if t.amount is not None]
    total = next((f for f in figures if f.label in TOTAL_LABELS or re.search(r"合计|总计", f.label)
                  or "三公" in f.label and not re.search(r"出国|公务用车|公务接待", f.label)), None)
    parts = [f for f in figures if f is not total]
    return three_public_parts(total, parts) if total is not None else []


def _projects(ctx: Context) -> list[Check]:
    """Σ of the project table's amounts = 项目支出 (a table listing every project)."""
    rows = [m.project for m in ctx.mentions if m.source == "table" and m.project.amount is not None]
    project_total = stated_total(ctx, "project_expenditure", "部门 项目支出")
    if not rows or project_total is None:
        return []
    block = block_titled(ctx, rows[0].provenance.table if rows[0].provenance else None)
    unit = table_unit(block) if block else "万元"
    figures = [stated(p.amount, unit, p.name, p.provenance) for p in rows]
    return [compare("projects_vs_project_expenditure", total_of(figures, "项目支出表各项目之和"), project_total,
                    "项目支出表 vs 项目支出",
                    "the project table may list part of the projects, or the document's figures differ")]


def reconcile(ctx: Context) -> list[Check]:
    """Every check of the document (passed and failed); failed ones are also warnings in ``ctx.findings``."""
    books = ledgers(ctx)
    choose_scope(ctx, books)
    checks = [c for book in books for c in within(book)] + lines_across(books) + _across(ctx, books)
    checks += narrative_checks(ctx, checks)
    ctx.findings.extend(check_finding(c) for c in checks if not c.passed)
    return checks

"""``budgetkg compare``: one department year by year, its 预算 vs 决算 of a year, or departments side by side."""

from __future__ import annotations

import io
import json

import click

from kg.types import ROW_FORMATS

from ..options import format_option, open_kg, store_option, user_errors, with_settings

TABLE_KEY = "表"


@click.command()
@click.option("--dept", "department", required=True, help="Department: full name, short name or alias.")
@click.option("--years", help="Years: 2023-2025 or 2023,2024 (default: every year in the store).")
@click.option("--phase", help="预算|决算 (budget|final_account); default 预算.")
@click.option("--vs-final", "vs_final", help="Compare the 预算 of this year with its 决算 (execution rates).")
@click.option("--with", "others", multiple=True, help="Another department side by side (repeat for more).")
@click.option("--top", type=click.IntRange(1, 200), default=15, show_default=True, help="Largest projects shown.")
@store_option
@format_option
@user_errors
@with_settings
def compare(department, years, phase, vs_final, others, top, settings, fmt):
    """Comparison tables in 万元 (changes in 万元 and %, execution rates), every amount with its source (json).

    \b
    Example:
        budgetkg compare --dept 区城管执法局 --years 2023-2025
        budgetkg compare --dept 区城管执法局 --vs-final 2024 --format csv
        budgetkg compare --dept 区城管执法局 --with 区园林局 --years 2025 --format json
    """
    kg = open_kg(settings)
    shown = kg.compare(department, years=years, phase=phase, vs_final=vs_final, with_departments=others, top=top)
    if fmt == "json":
        return click.echo(json.dumps(shown.as_dict(), ensure_ascii=False, indent=2))
    buf = io.StringIO()
    if fmt == "csv":
        columns = [TABLE_KEY, *shown.tables[0].columns] if shown.tables else [TABLE_KEY]
        rows = [{TABLE_KEY: t.title, **{c: cell.text if cell.value is None else str(cell.value)
                                         for c, cell in zip(t.columns, row)}} for t in shown.tables for row in t.rows]
        ROW_FORMATS["csv"](rows, columns, buf)
    else:
        buf.write(f"{shown.title}\n")
        for t in shown.tables:
            buf.write(f"\n【{t.title}】\n")
            ROW_FORMATS["table"](t.records(), list(t.columns), buf)
    click.echo(buf.getvalue(), nl=False)

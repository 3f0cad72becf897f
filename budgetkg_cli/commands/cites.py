"""``budgetkg cites``: the projects citing a law, or the SPARQL that finds them."""

from __future__ import annotations

import click

from ..options import format_option, open_kg, store_option, user_errors, with_settings
from ..output import emit_rows


COLUMNS = ["name", "department", "year", "phase", "amount", "unit", "doc_id", "page", "line", "field", "table",
           "project", "law"]
TABLE_COLUMNS = COLUMNS[:-3]  # table titles and IRIs are too long for a terminal; csv and json keep them


@click.command()
@click.argument("ref")
@store_option
@format_option
@click.option("--sparql", "show_sparql", is_flag=True, help="Print the SPARQL instead of running it.")
@user_errors
@with_settings
def cites(ref, settings, fmt, show_sparql):
    """Projects citing a law, by 文号 (any bracket/spacing variant) or title: one row per place of citation.

    \b
    Example:
        budgetkg cites "武政规[2016]32号"
        budgetkg cites "市人民政府关于印发武汉市医疗救助实施办法的通知" --format csv
    """
    kg = open_kg(settings)
    if show_sparql:
        return click.echo(kg.cites_sparql(ref))
    hits = kg.cites(ref)
    if not hits and fmt == "table":
        return click.echo(f"没有项目引用 {ref}（查找的是 {' / '.join(kg.ref_keys(ref))}）")
    emit_rows(location_rows(hits), TABLE_COLUMNS if fmt == "table" else COLUMNS, fmt, kg.base)


def location_rows(hits) -> list[dict]:
    """One flat row per place a project cites the law (a hit without a place: one row, its place empty)."""
    rows = []
    for hit in hits:
        d = hit.as_dict()
        places = d.pop("locations") or [{}]
        rows += [{**d, **place} for place in places]
    return rows

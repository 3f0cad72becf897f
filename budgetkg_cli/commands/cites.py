"""``budgetkg cites``: the projects citing a law, or the SPARQL that finds them."""

from __future__ import annotations

import click

from ..options import format_option, open_kg, store_option, user_errors, with_settings
from ..output import emit_rows


@click.command()
@click.argument("ref")
@store_option
@format_option
@click.option("--sparql", "show_sparql", is_flag=True, help="Print the SPARQL instead of running it.")
@user_errors
@with_settings
def cites(ref, settings, fmt, show_sparql):
    """Projects citing a law, by 文号 (any bracket/spacing variant) or title.

    \b
    Example:
        budgetkg cites "武政规[2016]32号"
        budgetkg cites "市人民政府关于印发武汉市医疗救助实施办法的通知" --format json
    """
    kg = open_kg(settings)
    if show_sparql:
        return click.echo(kg.cites_sparql(ref))
    hits = kg.cites(ref)
    if not hits and fmt == "table":
        return click.echo(f"no project cites {ref} (looked for {' / '.join(kg.ref_keys(ref))})")
    rows = []
    for h in hits:
        d = h.as_dict()
        d["where"] = "; ".join(
            " ".join(filter(None, [x.page and f"p.{x.page}", x.line and f"line {x.line}", x.field])) for x in h.locations)
        rows.append(d)
    if fmt == "table":
        for d in rows:
            d["万元"] = d["amount"]
        columns = ["name", "department", "year", "万元", "unit", "doc_id", "where"]
    else:
        columns = ["name", "department", "year", "amount", "unit", "doc_id", "where", "project", "phase", "law",
                   "locations"]
    emit_rows(rows, columns, fmt, kg.base)

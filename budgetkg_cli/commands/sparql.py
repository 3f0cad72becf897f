"""``budgetkg sparql``: a read-only query, given as text or a file, over all documents."""

from __future__ import annotations

from pathlib import Path

import click

from ..options import format_option, open_kg, store_option, user_errors, with_settings
from ..output import emit_rows


@click.command()
@click.argument("query")
@store_option
@format_option
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds before the query is stopped.")
@click.option("--limit", type=int, default=10_000, show_default=True, help="Most rows returned.")
@user_errors
@with_settings
def sparql(query, settings, fmt, timeout, limit):
    """Run a read-only SPARQL query (text or a file) over all documents.

    Prefixes bgt, org, qb, skos, prov, eli, dcterms, rdfs, xsd and kg are predefined.
    UPDATE, LOAD, CLEAR, DROP, CREATE and SERVICE are refused.

    \b
    Example:
        budgetkg sparql "SELECT ?p ?name WHERE { ?p a bgt:Project ; rdfs:label ?name }"
        budgetkg sparql <查询文件>.rq --format csv
    """
    path = Path(query)
    if len(query) < 4096 and "\n" not in query and path.suffix in (".rq", ".sparql", ".txt") and path.is_file():
        query = path.read_text(encoding="utf-8")
    kg = open_kg(settings)
    result = kg.sparql(query, timeout=timeout, limit=limit)
    if result.kind == "ask":
        return click.echo("true" if result.boolean else "false")
    emit_rows(result.rows, result.vars, fmt, kg.base, translate=False)
    if result.truncated:
        click.echo(f"(stopped at {limit} rows; raise --limit or add LIMIT)", err=True)

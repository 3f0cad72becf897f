"""``budgetkg search``: filtered hybrid search, as lines, JSON or the filter's SPARQL."""

from __future__ import annotations

import json

import click

from kg.types import Filters

from ..options import filter_options, model_option, open_kg, store_option, user_errors, with_settings
from ..output import embed_with_bar


@click.command()
@click.argument("query")
@store_option
@model_option
@filter_options
@click.option("--top-k", type=int, default=10, show_default=True, help="Hits to return.")
@click.option("--mode", type=click.Choice(["hybrid", "dense", "lexical"]), default="hybrid", show_default=True)
@click.option("--passages", is_flag=True, help="Every matching passage, not the best one per entity.")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of hits.")
@click.option("--sparql", "show_sparql", is_flag=True, help="Print the filter query instead of searching.")
@user_errors
@with_settings
def search(query, settings, top_k, mode, passages, as_json, show_sparql, **filters):
    """Search passages: the filters run first (SPARQL), then dense and lexical ranks are fused.

    One hit per entity (project, unit, department) by default, with its best passage.

    \b
    Example:
        budgetkg search "医疗救助" --dept 江岸区医疗保障局
        budgetkg search "医疗费用" --min-amount 1000 --json
        budgetkg search "救助" --cites "武政规[2016]32号" --sparql
    """
    kg = open_kg(settings)
    flt = Filters(**filters)
    if show_sparql:
        return click.echo(kg.search_sparql(flt))
    embed_with_bar(kg, quiet=as_json)
    hits = kg.search(query, flt, top_k=top_k, mode=mode, by_subject=not passages)
    if as_json:
        keys = ("text", "score", "subject", "document", "page", "line")
        return click.echo(json.dumps([{k: h.as_dict()[k] for k in keys} for h in hits], ensure_ascii=False, indent=2))
    if not hits:
        return click.echo(f"no hits for {query}")
    for i, h in enumerate(hits, 1):
        where = " ".join(filter(None, [h.document.source, h.page and f"p.{h.page}", h.line and f"line {h.line}"]))
        click.echo(f"{i:>2}. {h.subject.label} [{h.subject.type}] {h.score:.4f}  ({where})")
        click.echo(f"    {h.text.replace(chr(10), ' ')[:160]}")

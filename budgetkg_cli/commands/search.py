"""``budgetkg search``: filtered hybrid search, as rows (table, csv, json) or the filter's SPARQL."""

from __future__ import annotations

import click

from kg.types import Filters, wan

from ..options import (
    filter_options, format_option, model_option, open_kg, store_option, user_errors, with_settings,
)
from ..output import embed_with_bar, emit_rows, note

COLUMNS = ["rank", "score", "subject_label", "subject_type", "department", "year", "phase", "amount", "unit", "title",
           "page", "line", "text", "doc_id", "source_file", "subject"]
TABLE_COLUMNS = COLUMNS[:-3]  # the document by its title; its id, file and the subject's IRI go to csv and json
LOADING = "正在加载模型 …（本机首次使用时需转换，约半分钟）"


def hit_rows(hits, width: int | None = None, people: bool = True) -> list[dict]:
    """One flat row per hit: its subject, what the subject is in the hit's document (department, year,
    phase, amount, unit), the document's title, the place and the passage.  ``width`` cuts the passage
    (a terminal's table); amounts read as printed for people (``1,410.00``), as plain decimals in json."""
    rows = []
    for rank, h in enumerate(hits, 1):
        text = h.text.replace("\n", " ")
        f = h.facts
        amount = None if f.amount is None else wan(f.amount) if people else str(f.amount)
        rows.append({"rank": rank, "score": round(h.score, 4), "subject_label": h.subject.label,
                     "subject_type": h.subject.type, "department": f.department, "year": f.year, "phase": f.phase,
                     "amount": amount, "unit": f.unit, "title": h.document.title, "subject": h.subject.iri,
                     "doc_id": h.document.id, "source_file": h.document.source, "page": h.page, "line": h.line,
                     "text": text[:width] if width else text})
    return rows


@click.command()
@click.argument("query")
@store_option
@model_option
@filter_options
@click.option("--top-k", type=int, default=10, show_default=True, help="Hits to return.")
@click.option("--mode", type=click.Choice(["hybrid", "dense", "lexical"]), default="hybrid", show_default=True)
@click.option("--passages", is_flag=True, help="Every matching passage, not the best one per entity.")
@format_option
@click.option("--sparql", "show_sparql", is_flag=True, help="Print the filter query instead of searching.")
@user_errors
@with_settings
def search(query, settings, top_k, mode, passages, fmt, show_sparql, **filters):
    """Search passages: the filters run first (SPARQL), then dense and lexical ranks are fused.

    One hit per entity (project, unit, department) by default, with its best passage.

    \b
    Example:
        budgetkg search "医疗救助" --dept 江岸区医疗保障局
        budgetkg search "医疗费用" --min-amount 100 --format json
        budgetkg search "救助" --cites "武政规[2016]32号" --sparql
    """
    kg = open_kg(settings)
    flt = Filters(**filters)
    if show_sparql:
        return click.echo(kg.search_sparql(flt))
    table = fmt == "table"
    if mode != "lexical" or kg.pending_embeddings():
        kg.preload_model()  # while the search index opens
        note(LOADING)  # the model loads on every call (stderr: stdout keeps only the hits)
    embed_with_bar(kg, quiet=not table)
    hits = kg.search(query, flt, top_k=top_k, mode=mode, by_subject=not passages)
    if not hits and table:
        return click.echo(f"没有找到 {query}")
    emit_rows(hit_rows(hits, 60 if table else None, people=fmt != "json"), TABLE_COLUMNS if table else COLUMNS, fmt,
              kg.base)

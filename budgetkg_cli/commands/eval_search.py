"""``budgetkg eval-search``: relevance of dense, lexical and hybrid search over judged queries."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.api import BudgetKG

from ..options import UserError, model_option, open_kg, store_option, user_errors, with_settings
from ..output import embed_with_bar


@click.command(name="eval-search")
@click.argument("queries", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@store_option
@model_option
@click.option("--json", "as_json", is_flag=True, help="Metrics and per-query scores as JSON, by query file.")
@user_errors
@with_settings
def eval_search(queries, settings, as_json):
    """Search relevance of dense, lexical and hybrid: recall@5, MRR, nDCG@10, one table per query file.

    Runs over the store given by --store (ingest the judged documents into it first; nothing is
    ingested here).  QUERIES default to ../shared/eval/queries.jsonl.  Relevant names resolve to
    entities by name or alias (NFKC, whitespace removed).

    \b
    Example:
        budgetkg ingest samples/ tests/fixtures/docs/ --store ./kg
        budgetkg eval-search tests/fixtures/queries_extra.jsonl --store ./kg
    """
    if not queries:
        default = BudgetKG.default_search_queries()
        if default is None:
            raise UserError("未找到 shared/eval/queries.jsonl：请给出查询文件 QUERIES")
        queries = (default,)
    kg = open_kg(settings)
    if not kg.documents():
        raise UserError(f"{settings.location} 中没有文档：请先导入评测查询所针对的文档")
    kg.preload_model()
    embed_with_bar(kg)
    reports = {str(path): kg.evaluate_search(path) for path in queries}
    if as_json:
        return click.echo(json.dumps({path: {"metrics": r.metrics, "per_query": r.per_query,
                                             "unresolved": r.unresolved} for path, r in reports.items()},
                                     ensure_ascii=False, indent=2))
    for i, (path, report) in enumerate(reports.items()):
        click.echo(("\n" if i else "") + f"{path}\n{report.format_table()}")

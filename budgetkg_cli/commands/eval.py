"""``budgetkg eval``: extraction scored against gold files."""

from __future__ import annotations

from pathlib import Path

import click

from kg.api import BudgetKG

from ..options import store_option


@click.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--doc", "docs", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Document for the gold file(s); by default found beside or near each gold file.")
@store_option
@click.pass_context
def eval_(ctx, gold, docs, store, index_dir):
    """Score extraction against gold annotations; exit code 1 below a threshold.

    \b
    Example:
        budgetkg eval tests/fixtures/gold/*.json
        budgetkg eval <金标准>.json --doc samples/000_dc10eef729309141.txt
    """
    report = BudgetKG.evaluate_extraction(gold, docs)
    click.echo(report.format_table())
    ok = report.ok() if callable(report.ok) else report.ok
    if not ok:
        ctx.exit(1)

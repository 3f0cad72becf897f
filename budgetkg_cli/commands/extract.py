"""``budgetkg extract``: what one file yields, without a store."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.api import BudgetKG
from kg.types import IngestError

from ..options import UserError, store_option


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the records in the gold JSON schema.")
@store_option
def extract(file, as_json, store, index_dir):
    """Read one file and print what was extracted; the store is not touched.

    \b
    Example:
        budgetkg extract samples/000_dc10eef729309141.txt --json
    """
    try:
        ex = BudgetKG.extract(file)
    except IngestError as exc:
        raise UserError(str(exc)) from None
    if as_json:
        return click.echo(json.dumps(ex.gold, ensure_ascii=False, indent=2))
    read = " ".join(str(x) for x in (ex.department, ex.year, ex.phase) if x is not None) or "no department read"
    click.echo(f"{file.name}: {read} (doc {ex.doc_id})")
    for kind, n in ex.counts.items():
        click.echo(f"  {kind.replace('_', ' ')}: {n}")
    checks = ex.gold.get("checks", [])
    failed = [c for c in checks if not c["passed"]]
    click.echo(f"  reconciliation checks: {len(checks) - len(failed)} passed, {len(failed)} failed")
    for c in failed:
        click.echo(f"    {c['rule']}: {c['message']}")

"""``budgetkg documents``: the ingested documents."""

from __future__ import annotations

import click

from ..options import format_option, open_kg, store_option, user_errors, with_settings
from ..output import emit_rows


@click.command()
@store_option
@format_option
@user_errors
@with_settings
def documents(settings, fmt):
    """List the ingested documents.

    \b
    Example:
        budgetkg documents --format json
    """
    kg = open_kg(settings)
    rows = [vars(d) for d in kg.documents()]
    if not rows and fmt == "table":
        return click.echo(f"{settings.location} 中没有文档")
    emit_rows(rows, ["doc_id", "title", "source_file", "department", "year", "phase", "triples"], fmt, kg.base)

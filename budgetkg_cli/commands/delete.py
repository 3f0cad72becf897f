"""``budgetkg delete``: remove one document's graph."""

from __future__ import annotations

import click

from ..options import open_kg, store_option, user_errors, with_settings


@click.command()
@click.argument("doc_id")
@store_option
@user_errors
@with_settings
def delete(doc_id, settings):
    """Remove one document's graph from the store (other documents stay as they are).

    \b
    Example:
        budgetkg delete e89d211dea500184
    """
    kg = open_kg(settings)
    n = kg.delete(doc_id)
    click.echo(f"已删除 {doc_id}（{n} 个三元组）")

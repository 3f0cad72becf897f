"""``budgetkg reindex``: the search indexes brought in line with the stored documents."""

from __future__ import annotations

import click

from ..options import model_option, open_kg, store_option, user_errors, with_settings
from ..output import embed_with_bar


@click.command()
@store_option
@model_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@user_errors
@with_settings
def reindex(settings, quiet):
    """Bring the search indexes in line with the stored documents, then embed what is queued.

    \b
    Example:
        budgetkg reindex --store ./kg
    """
    kg = open_kg(settings)
    done = kg.reindex(progress=None)
    n = embed_with_bar(kg, quiet)
    click.echo(f"检索索引：新增 {done['added']} 份文档，移除 {done['removed']} 份，"
               f"嵌入 {done['embedded'] + n} 个段落")

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
    """Read again, from the copies the store keeps, the documents an older budgetkg ingested; bring the
    search indexes in line with the stored documents; then embed what is queued.

    \b
    Example:
        budgetkg reindex --store ./kg
    """
    kg = open_kg(settings)
    kg.preload_model()
    outdated = kg.outdated()
    if outdated:
        click.echo(f"重新读取旧版本导入的 {len(outdated)} 份文档", err=True)
        failed = [r for r in kg.refresh_outdated() if not r.ok]
        for r in failed:
            click.echo(f"错误：{r.message}", err=True)
        click.echo(f"已更新 {len(outdated) - len(failed)} 份，{len(failed)} 份未能更新", err=True)
    done = kg.reindex(progress=None)
    n = embed_with_bar(kg, quiet)
    click.echo(f"检索索引：新增 {done['added']} 份文档，移除 {done['removed']} 份，"
               f"嵌入 {done['embedded'] + n} 个段落")

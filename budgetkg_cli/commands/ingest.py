"""``budgetkg ingest``: files and folders into the store, with progress bars and one line per bad file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.types import resolve_cluster

from ..inputs import documents_in, skipped_line
from ..options import UserError, model_option, open_kg, store_option, user_errors, with_settings
from ..output import embed_with_bar


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@model_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--password", help="Password for encrypted PDFs.")
@click.option("--no-embed", is_flag=True, help="Queue the passages for search; embed them at the first search.")
@click.option("--together", is_flag=True,
              help="The files are one disclosure published as several files (narrative, tables, forms).")
@click.option("--parallel", is_flag=True,
              help="Read the batch in parallel on a local Dask cluster, one worker per CPU.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Read the batch on a local Dask cluster of this many workers (implies --parallel).")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Read the batch on the Dask cluster of this scheduler (its workers need budgetkg installed).")
@click.pass_context
@user_errors
@with_settings
def ingest(ctx, paths, settings, quiet, password, no_embed, together, parallel, workers, scheduler):
    """Read disclosures (files or folders) into the store, one named graph each.

    Re-ingesting a file replaces its graph.  A folder gives its PDFs and its text exports (.txt/.md
    files with tab-separated table cells); the other files in it are named as skipped.  A bad file is
    reported on one line (file and reason) and the batch goes on; the exit code is 1 if any file failed.
    Files that say they are parts of one disclosure (same department, year, phase and scope; tables
    and narrative apart) are joined into one document, and an info line says which and why;
    --together joins the files named.  --parallel (--workers N) reads a batch on a local Dask cluster,
    --scheduler on a running one; the documents are written in the batch's order, as without.

    \b
    Example:
        budgetkg ingest samples/ --store ./kg
        budgetkg ingest samples/000_dc10eef729309141.txt --store ./kg -q
        budgetkg ingest --together <说明>.pdf <公开表>.pdf --store ./kg
        budgetkg ingest samples/ --workers 2 --store ./kg
    """
    from tqdm import tqdm

    cluster = resolve_cluster(parallel, workers, scheduler)

    files, skipped = documents_in(list(paths), Path(settings.store_dir))
    if skipped:
        click.echo(skipped_line(skipped), err=True)
    if not files:
        raise UserError(f"{'、'.join(map(str, paths))} 中没有可读取的文件（.pdf，或 .txt/.md 文本导出文件）")
    kg = open_kg(settings, create=True)
    if not no_embed:
        kg.preload_model()  # ready when the passages are embedded, loaded beside the reading
    with tqdm(total=len(files), unit="个文件", disable=quiet, file=sys.stderr, leave=False) as bar:
        page_bar = None  # under the files bar while a PDF is read
        read = (None, 0)  # the file the page bar follows (a disclosure's files are read one after another)

        def pages(path, done, total):
            nonlocal page_bar, read
            if page_bar is not None and (read != (path, total) or done < page_bar.n):  # the next file
                page_bar.close()
                page_bar = None
            read = (path, total)
            if page_bar is None:
                page_bar = tqdm(total=total, unit="页", desc=path.name, disable=quiet, file=sys.stderr,
                                leave=False, position=1)
            page_bar.n = done
            page_bar.refresh()

        def progress(result):
            nonlocal page_bar
            if page_bar is not None:
                page_bar.close()
                page_bar = None
            bar.update(len(result.files) or 1)
            if result.note:
                bar.write(f"提示：{result.note}", file=sys.stderr)
            elif len(result.files) > 1:
                bar.write(f"提示：作为同一份公开材料读取：{'、'.join(f.name for f in result.files)}", file=sys.stderr)
            if not result.ok:
                bar.write(f"错误：{result.message}", file=sys.stderr)
            for line in result.warnings:
                bar.write(f"警告：{line}", file=sys.stderr)

        results = kg.ingest(files, progress=progress, password=password, pages=pages, together=together,
                            cluster=cluster)
    good = [r for r in results if r.ok]
    read = sum(len(r.files) or 1 for r in results)
    what = "个文件" if read == len(results) else f"份公开材料（共 {read} 个文件）"
    click.echo(f"已导入 {len(good)} / {len(results)} {what}（{sum(r.triples for r in good)} 个三元组），"
               f"存入 {settings.location}")
    if not no_embed:
        embed_with_bar(kg, quiet)
    if len(good) < len(results):
        ctx.exit(1)

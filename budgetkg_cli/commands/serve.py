"""``budgetkg serve``: a store directory over SPARQL (Oxigraph behind budgetkg's checking front), for the app and
any number of commands."""

from __future__ import annotations

from pathlib import Path

import click

from kg.api import BudgetKG
from kg.types import DEFAULT_STORE, DEFAULT_TIMEOUT_S, StoreError, error_message, resolve_settings

from ..options import UserError


@click.command()
@click.option("--store", default=None, metavar="DIR", help=f"Store directory (env BUDGETKG_STORE; default {DEFAULT_STORE}).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (beyond this machine: --read-only only).")
@click.option("--port", type=int, default=7878, show_default=True, help="Port to listen on.")
@click.option("--read-only", is_flag=True, help="Refuse every update (SPARQL clients may only read).")
@click.option("--timeout", type=float, default=DEFAULT_TIMEOUT_S, show_default=True,
              help="Seconds the server gives one query (a user query's own default: the server stops with it).")
def serve(store, host, port, read_only, timeout):
    """Serve a store directory over SPARQL 1.1 (/query, /update, /store): Oxigraph's server behind a front
    that refuses SERVICE and LOAD (and every write with --read-only) and bounds each query.

    The app and any number of commands then work on the store at once with --store http://HOST:PORT
    (and --index-dir DIR, the store directory, to share its search indexes).  The directory is made a
    budgetkg store first; Ctrl+C stops the server.

    \b
    Example:
        budgetkg serve --store ./kg --port 7878
        budgetkg search 医疗救助 --store http://127.0.0.1:7878 --index-dir ./kg
        budgetkg serve --store ./kg --port 7879 --read-only
    """
    settings = resolve_settings(store=store)
    if settings.endpoint is not None:
        raise UserError(f"budgetkg serve 需要知识库目录，而不是网址：{settings.location}")
    folder = Path(settings.store_dir).resolve()

    def ready(url: str) -> None:
        mode = "只读，拒绝更新" if read_only else "可读写"
        click.echo(f"SPARQL 服务（{mode}）：{url}/query；其他命令请用 --store {url} --index-dir {folder}"
                   "（Ctrl+C 停止）", err=True)

    try:
        status = BudgetKG.serve(folder, host, port, read_only=read_only, base=settings.base, timeout=timeout,
                                ready=ready)
    except StoreError as exc:
        raise UserError(error_message(exc)) from None
    if status:
        raise UserError(f"SPARQL 服务已退出（状态 {status}）")

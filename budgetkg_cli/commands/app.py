"""``budgetkg app``: this process becomes the Streamlit server of ``search_app``, its settings on its command line."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import click

from kg.types import Settings

from ..options import model_option, store_option, with_settings


def app_script() -> Path:
    """``search_app/app.py``, found without importing the app."""
    spec = importlib.util.find_spec("search_app")
    return Path(next(iter(spec.submodule_search_locations))).resolve() / "app.py"


def app_command(host: str, port: int, headless: bool, settings: Settings) -> list[str]:
    """The ``streamlit run`` command line of the app; the settings follow ``--`` as the app's own arguments
    (``--store DIR [--model M] --base B``; a server store: ``--store URL --index-dir DIR`` and its endpoints, the
    URL's credentials back in it: the app's own settings take them out again).  Streamlit's own settings are in
    ``search_app/.streamlit/config.toml``, which it reads next to the script, however the app is started."""
    local = str(Path(settings.store_dir).resolve())
    server = settings.endpoint
    app_args = ["--store", local] if server is None else [
        "--store", server.url_with_credentials(server.url), "--index-dir", local, "--query-url", server.query,
        "--update-url", server.update, "--gsp-url", server.store]
    if settings.model:
        app_args += ["--model", settings.model]
    app_args += ["--base", settings.base]
    return [sys.executable, "-m", "streamlit", "run", str(app_script()), "--server.address", host,
            "--server.port", str(port), "--server.headless", "true" if headless else "false", "--", *app_args]


@click.command()
@store_option
@model_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8501, show_default=True, help="Port to listen on.")
@click.option("--headless", is_flag=True, help="Do not open a browser.")
@with_settings
def app(settings, host, port, headless):
    """Open the Streamlit app on the store (search, entities, charts, SPARQL, export, documents).

    On an empty store the bundled samples/ are ingested first, with a progress bar.

    \b
    Example:
        budgetkg app
        budgetkg app --store ./kg --port 8600 --headless
    """
    cmd = app_command(host, port, headless, settings)
    where = settings.endpoint.url if settings.endpoint else Path(settings.store_dir).resolve()
    click.echo(f"budgetkg app on http://{host}:{port} (store {where}); "
               "Ctrl+C stops it", err=True)
    os.execv(cmd[0], cmd)  # this process becomes the server: signals reach it directly

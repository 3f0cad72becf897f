"""Oxigraph's own SPARQL server (the PyPI package ``oxigraph``) on a store directory (``budgetkg serve``).

The server speaks the SPARQL 1.1 Query, Update and Graph Store protocols at ``/query``, ``/update`` and
``/store`` (what :mod:`kg.settings` expects of a base URL), so the app and any number of CLI commands can
work on one store at once (``--store http://host:port``).  Before serving, the directory is opened once
in this process and closed (a budgetkg store: ontology loaded, default graph and links settled, what a
killed writer left removed); ``serve-read-only`` refuses every update.  The server is started without
``--union-default-graph``: the store keeps its default graph the set union of the documents' graphs itself.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from .endpoint import EndpointEngine
from .errors import StoreError
from .namespaces import DEFAULT_BASE
from .settings import endpoint
from .store import Store

SERVER_TIMEOUT_S = 60.0  # the server's own limit on a query (user queries have theirs, budgetkg's, below it)


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def server_binary() -> str:
    """The ``oxigraph`` program beside this Python (the venv's), else on ``PATH``."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise StoreError("the oxigraph server is not installed: pip install oxigraph==0.5.13", path="oxigraph")
    return found


def server_command(store_dir: Path | str, host: str = "127.0.0.1", port: int = 7878, read_only: bool = False,
                   timeout: float = SERVER_TIMEOUT_S, base: str = DEFAULT_BASE) -> list[str]:
    """The command line serving ``store_dir`` on ``host:port``, the directory made a budgetkg store first
    (a read-only server needs one already there)."""
    folder = Path(store_dir)
    if host not in LOOPBACK:  # Oxigraph itself runs SERVICE and LOAD for any client: never beyond this machine
        raise StoreError(f"budgetkg serve binds to this machine only ({', '.join(sorted(LOOPBACK))}), not {host}: "
                         "Oxigraph's server would fetch any URL a client's SERVICE or LOAD names", path=str(folder))
    if read_only and not folder.is_dir():
        raise StoreError(f"no store {folder} to serve read-only", path=str(folder))
    Store(folder, base=base).close()  # raises StoreError (one line) when another process has it
    mode = "serve-read-only" if read_only else "serve"
    return [server_binary(), mode, "--location", str(folder), "--bind", f"{host}:{port}",
            "--timeout-s", f"{max(int(timeout), 1)}"]


def wait_until_serving(url: str, alive: Callable[[], bool], timeout: float = 30.0) -> None:
    """Return once the server at ``url`` answers a query; ``StoreError`` when it stops first or takes longer."""
    probe = EndpointEngine(endpoint(url), timeout=2)
    deadline = time.monotonic() + timeout
    while True:
        try:
            probe.query("ASK {}")
            return
        except StoreError as exc:
            if exc.code != "store_unreachable":
                raise
            if not alive():
                raise StoreError(f"the oxigraph server for {url} stopped before it answered", path=url) from None
            if time.monotonic() > deadline:
                raise StoreError(f"the oxigraph server for {url} did not answer within {timeout:g} s",
                                 path=url) from None
            time.sleep(0.1)


def run_server(command: list[str], url: str, ready: Callable[[], None]) -> int:
    """Run the server of ``command``, call ``ready()`` once it answers at ``url``, and wait for it; Ctrl+C
    (or SIGTERM to this process) stops it.  Returns its exit status (0 when stopped by us)."""
    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    try:
        wait_until_serving(url, lambda: process.poll() is None)
        ready()
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

"""``budgetkg serve``: Oxigraph's SPARQL server (the PyPI package ``oxigraph``) on a store directory,
behind budgetkg's checking front.

The front (:mod:`kg.sparql_front`) listens on the advertised ``host:port`` and speaks the SPARQL 1.1 Query,
Update and Graph Store protocols at ``/query``, ``/update`` and ``/store`` (what :mod:`kg.settings` expects of
a base URL), so the app and any number of CLI commands can work on one store at once (``--store
http://host:port``).  It refuses ``SERVICE``, ``LOAD`` and, read-only, every write; it bounds each query's
time and answer.  Oxigraph listens on a private loopback port of its own, chosen free at start, and runs
under :func:`kg.sandbox.no_connect`: even a request that reached it directly could not make it open a
connection.  Its ``--timeout-s`` is the front's, so a query whose client gave up stops there too.

Before serving, the directory is opened once in this process and closed (a budgetkg store: ontology
loaded, default graph and links settled, what a killed writer left removed); ``serve-read-only`` refuses
every update.  Oxigraph is started without ``--union-default-graph``: the store keeps its default graph
the set union of the documents' graphs itself.  Beyond this machine (``--host`` not loopback) only a
read-only server is started: the front checks what a query may do, not who sends it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .endpoint import EndpointEngine
from .errors import StoreError
from .namespaces import DEFAULT_BASE
from .query_limits import DEFAULT_TIMEOUT_S
from .settings import endpoint
from .sparql_front import MAX_ANSWER, SparqlFront
from .store import Store

# the server's own limit on a query: a user query's (budgetkg's named queries have the same), so that a
# query its client gave up on does not keep the server computing beyond it
SERVER_TIMEOUT_S = DEFAULT_TIMEOUT_S
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def server_binary() -> str:
    """The ``oxigraph`` program beside this Python (the venv's), else on ``PATH``."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise StoreError("the oxigraph server is not installed: pip install oxigraph==0.5.13", path="oxigraph")
    return found


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (Oxigraph's private one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check_host(host: str, read_only: bool, where: str) -> None:
    """Refuse to serve a writable store beyond this machine (one line naming ``where``)."""
    if host not in LOOPBACK and not read_only:
        raise StoreError(f"budgetkg serve binds a writable store to this machine only ({', '.join(sorted(LOOPBACK))}),"
                         f" not {host}: add --read-only to serve it beyond ({where})", "serve_host", host=host)


def server_command(store_dir: Path | str, port: int, read_only: bool = False, timeout: float = SERVER_TIMEOUT_S,
                   base: str = DEFAULT_BASE) -> list[str]:
    """The command line serving ``store_dir`` with Oxigraph on the private ``127.0.0.1:port``, without
    ``connect()`` (:func:`kg.sandbox.exec_without_connect`); the directory is made a budgetkg store first (a
    read-only server needs one already there)."""
    folder = Path(store_dir)
    if read_only and not folder.is_dir():
        raise StoreError(f"no store {folder} to serve read-only", path=str(folder))
    Store(folder, base=base).close()  # raises StoreError (one line) when another process has it
    mode = "serve-read-only" if read_only else "serve"
    oxigraph = [server_binary(), mode, "--location", str(folder), "--bind", f"127.0.0.1:{port}",
                "--timeout-s", f"{max(round(timeout), 1)}"]
    return [sys.executable, "-c", f"import sys; from kg.sandbox import exec_without_connect; "
            f"exec_without_connect(sys.argv[1:])", *oxigraph]


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


def _pass_messages(stream) -> None:
    """Oxigraph's messages on to ours, but the line naming its private port (not the one to use)."""
    for line in iter(stream.readline, b""):
        if not line.startswith(b"Listening for requests at"):
            sys.stderr.write(line.decode("utf-8", "replace"))
            sys.stderr.flush()
    stream.close()


@dataclass
class Served:
    """A running ``budgetkg serve``: the front's ``url`` and Oxigraph's ``process``."""

    url: str
    process: subprocess.Popen


@contextmanager
def started(command: list[str], private: int, front: tuple[str, int], read_only: bool, timeout: float,
            max_bytes: int = MAX_ANSWER) -> Iterator[Served]:
    """Oxigraph's ``command`` (listening on 127.0.0.1:``private``), then the front on ``front`` (host, port;
    port 0: any free one) in a thread of this process, both answering; both stopped when the block ends."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}  # kg, for the sandbox
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    threading.Thread(target=_pass_messages, args=(process.stderr,), name="budgetkg-oxigraph-stderr",
                     daemon=True).start()
    server = None
    try:
        wait_until_serving(f"http://127.0.0.1:{private}", lambda: process.poll() is None)
        try:
            server = SparqlFront(front, ("127.0.0.1", private), read_only, timeout, max_bytes)
        except OSError as exc:
            raise StoreError(f"cannot listen on {front[0]}:{front[1]}: {exc.strerror or exc}",
                             "serve_port", path=f"{front[0]}:{front[1]}") from None
        threading.Thread(target=server.serve_forever, name="budgetkg-front", daemon=True).start()
        host = f"[{front[0]}]" if ":" in front[0] else front[0]
        url = f"http://{host}:{server.server_address[1]}"
        wait_until_serving(url, lambda: process.poll() is None)
        yield Served(url, process)
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def run_server(command: list[str], private: int, front: tuple[str, int], read_only: bool, timeout: float,
               ready: Callable[[str], None], max_bytes: int = MAX_ANSWER) -> int:
    """:func:`started`, ``ready(url)`` once the front answers, and serving until Ctrl+C (or SIGTERM to this
    process) or until Oxigraph stops.  Returns Oxigraph's exit status (0 when stopped by us)."""
    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with started(command, private, front, read_only, timeout, max_bytes) as served:
            ready(served.url)
            return served.process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)

"""User SPARQL in a child process that is killed at its deadline: a warm pool of one child.

Oxigraph cannot be interrupted from Python, so a user's query runs in a child process that has
no network (:func:`kg.sandbox.no_network`) and a bounded address space
(:func:`kg.sandbox.limit_memory`).  For each query the parent takes a snapshot of the store (a
RocksDB checkpoint of hard links, about a millisecond, in ``<store>/query-snapshot-*``: Oxigraph
leaves a read-only view of a store another handle writes to undefined) and the child checks the
text (:func:`kg.sparql_check.check_read_only`: the shape check counts against the query's clock),
opens the snapshot read-only, collects at most ``limit`` rows and sends them back pickled.  Past the
deadline the parent kills the child, which returns all its memory, and starts the next one at once.

A store on a SPARQL server (:mod:`kg.endpoint`) has no snapshot to give a child: the parent checks the
text the same way (nothing refused is sent) and sends it to the server's query endpoint, reading the
answer as it arrives, at most ``limit`` rows, within ``timeout`` (:func:`kg.query_limits.rows_in_time`:
the caller gets ``query_timeout`` at the deadline; each read's wait is bounded by the time left, which ends
the reading thread), at most :attr:`kg.endpoint.EndpointEngine.max_bytes` of answer; the server's memory
is its own (``budgetkg serve`` gives it the same timeout and bounds what its front streams).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from . import sandbox
from .errors import QueryError
from .query_limits import DEFAULT_MEMORY_LIMIT, rows_in_time, timeout_error
from .sparql_check import check_read_only, expand_escapes
from .store import Store, _py

SNAPSHOT_PREFIX = "query-snapshot-"


@dataclass
class QueryResult:
    """Rows of a SELECT (``vars`` + ``rows``), the answer of an ASK, or the triples of CONSTRUCT/DESCRIBE."""

    kind: str  # "select" | "ask" | "graph"
    vars: list[str] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False


def plain(term) -> object:
    """An engine term as a row value: literals as Python values, IRIs and blank nodes as their text."""
    return _py(term) if isinstance(term, ox.Literal) else (term.value if hasattr(term, "value") else str(term))


def _collect(res, limit: int) -> QueryResult:
    """At most ``limit`` rows of an engine's answer (``truncated`` when there were more)."""
    if isinstance(res, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(res))
    if getattr(res, "variables", None) is not None:  # solutions, the engine's or read from a server
        out = QueryResult("select", vars=[v.value for v in res.variables])
        row = lambda sol: {v: None if sol[v] is None else plain(sol[v]) for v in out.vars}  # noqa: E731
    else:
        out = QueryResult("graph", vars=["subject", "predicate", "object"])
        row = lambda t: {"subject": plain(t.subject), "predicate": t.predicate.value, "object": plain(t.object)}  # noqa: E731
    for item in res:
        if len(out.rows) >= limit:
            out.truncated = True
            break
        out.rows.append(row(item))
    return out


def answer(path: str, prologue: str, query: str, limit: int) -> QueryResult:
    """Check ``query`` and run it on the store (snapshot) at ``path`` opened read-only (what the child does)."""
    check_read_only(query, prologue)
    text = prologue + expand_escapes(query)
    store = ox.Store.read_only(path)
    try:
        return _collect(store.query(text), limit)  # the default graph: each fact of every document once (kg.store)
    finally:
        del store


def _collect_streamed(store: Store, text: str, deadline: float, timeout: float, limit: int) -> QueryResult:
    with store.engine.streaming(text, deadline, timeout) as res:
        return _collect(res, limit)


def answer_remote(store: Store, prologue: str, query: str, timeout: float, limit: int) -> QueryResult:
    """Check ``query`` and run it on the server of ``store``, within ``timeout`` seconds (the check included)."""

    def work() -> list[QueryResult]:
        check_read_only(query, prologue)
        try:
            return [_collect_streamed(store, prologue + expand_escapes(query), deadline, timeout, limit)]
        except BaseException as exc:
            failure = exc
        # the failure's frames hold pyoxigraph objects, which may only be dropped in the thread that made them
        failure.__traceback__ = failure.__context__ = None
        raise failure

    deadline = time.monotonic() + timeout
    return rows_in_time(work, timeout)[0]


def _out_of_memory(memory_limit: int) -> str:
    return f"query stopped: it needs more than {memory_limit / 2**30:g} GiB of memory"


def serve_fd(fd: int, memory_limit: int) -> None:
    """The child's entry point: serve on the socket at ``fd``."""
    _serve(Connection(fd), memory_limit)


def _serve(conn: Connection, memory_limit: int) -> None:
    """The child's loop: one ``(path, prologue, query, limit)`` in, one reply out, until the pipe closes."""
    sandbox.no_network()
    check_read_only("ASK {}")  # rdflib builds its parser once, before the first query's clock
    sandbox.limit_memory(memory_limit)
    while True:
        try:
            path, prologue, query, limit = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", answer(path, prologue, query, limit)))
        except QueryError as exc:
            conn.send(("error", str(exc), exc.code, exc.details))
        except MemoryError:
            conn.send(("error", _out_of_memory(memory_limit), "query_failed", {}))
        except Exception as exc:  # the engine's own failure, in one line
            conn.send(("error", f"query failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
                       "query_failed", {}))


class _Child:
    """A fresh ``python -c`` process running :func:`_serve`, its end of a socket pair at ``conn``
    (not ``multiprocessing``'s spawn, which would run the parent's main script again)."""

    def __init__(self, memory_limit: int):
        self.conn, theirs = multiprocessing.Pipe()
        code = f"from kg.query_runner import serve_fd; serve_fd({theirs.fileno()}, {int(memory_limit)})"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.process = subprocess.Popen([sys.executable, "-c", code], pass_fds=[theirs.fileno()], env=env,
                                        stdin=subprocess.DEVNULL)
        theirs.close()

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.conn.close()


class QueryRunner:
    """One warm child for user queries; a query waits for the one before it (both on their own clock)."""

    def __init__(self, memory_limit: int = DEFAULT_MEMORY_LIMIT):
        self.memory_limit = memory_limit
        self._lock = threading.Lock()
        self._child: _Child | None = None

    @property
    def pid(self) -> int | None:
        """The warm child's process id (None before the first query)."""
        return None if self._child is None else self._child.pid

    def run(self, store: Store, prologue: str, query: str, timeout: float, limit: int) -> QueryResult:
        """``query`` (prefixed by ``prologue``) on a snapshot of ``store``, stopped after ``timeout`` seconds
        (a server store: on the server, :func:`answer_remote`)."""
        if store.engine.remote:
            return answer_remote(store, prologue, query, timeout, limit)
        deadline = time.monotonic() + timeout
        if not self._lock.acquire(timeout=max(timeout, 0)):
            raise timeout_error(timeout)
        try:
            with _snapshot(store) as path:
                reply = self._ask(path, prologue, query, limit, deadline, timeout)
        finally:
            self._lock.release()
        if reply[0] == "error":
            raise QueryError(reply[1], reply[2], **reply[3])
        return reply[1]

    def _ask(self, path: Path, prologue: str, query: str, limit: int, deadline: float, timeout: float) -> tuple:
        child = self._child or self._replace()
        try:
            child.conn.send((str(path), prologue, query, limit))
        except (BrokenPipeError, OSError):  # died while idle: a fresh one
            child = self._replace()
            child.conn.send((str(path), prologue, query, limit))
        if not child.conn.poll(max(deadline - time.monotonic(), 0)):
            self._replace()
            raise timeout_error(timeout)
        try:
            return child.conn.recv()
        except (EOFError, OSError):
            self._replace()
            raise QueryError(_out_of_memory(self.memory_limit) + " (or the engine failed)", "query_failed") from None

    def _replace(self) -> _Child:
        if self._child is not None:
            self._child.kill()
        self._child = _Child(self.memory_limit)
        return self._child

    def close(self) -> None:
        """Stop the child (a new one starts with the next query)."""
        with self._lock:
            if self._child is not None:
                self._child.kill()
                self._child = None


@contextmanager
def _snapshot(store: Store):
    """A checkpoint of ``store`` for one query, removed after it (with any a killed process left)."""
    for stale in store.path.glob(SNAPSHOT_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    home = Path(tempfile.mkdtemp(prefix=SNAPSHOT_PREFIX, dir=store.path))
    try:
        store.engine.backup(home / "db")
        yield home / "db"
    finally:
        shutil.rmtree(home, ignore_errors=True)


_runners: dict[int, QueryRunner] = {}
_runners_lock = threading.Lock()


def runner(memory_limit: int = DEFAULT_MEMORY_LIMIT) -> QueryRunner:
    """The process's runner for children of that memory limit."""
    with _runners_lock:
        return _runners.setdefault(memory_limit, QueryRunner(memory_limit))

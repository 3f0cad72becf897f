"""How long and how much a query may take: the defaults, and the deadline of a query run in-process.

User SPARQL runs in a child process that is killed at its deadline (:mod:`kg.query_runner`).  The
named queries (the builders' own text, every value entered through :mod:`kg.sparql_terms`) run on
the store's handle in this process, under :func:`rows_in_time`: the caller gets ``query_timeout``
at the deadline and the engine's row stream is abandoned at its next row.
"""

from __future__ import annotations

import threading
from typing import Callable, Iterable, TypeVar

from .errors import QueryError

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_ROW_LIMIT = 10_000
DEFAULT_MEMORY_LIMIT = 2 << 30  # bytes of address space for the query child

T = TypeVar("T")


def timeout_error(timeout: float) -> QueryError:
    """The one error of a query past its time."""
    return QueryError(f"query stopped after {timeout:g} s; narrow it (LIMIT, more specific patterns)", "query_timeout",
                      seconds=timeout)


def rows_in_time(rows: Callable[[], Iterable[T]], timeout: float) -> list[T]:
    """``list(rows())`` computed in a worker thread; ``query_timeout`` when it is not done within ``timeout``."""
    box: dict[str, object] = {}
    stop = threading.Event()

    def work() -> None:
        try:
            out = []
            for row in rows():
                if stop.is_set():
                    return
                out.append(row)
            box["rows"] = out
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=work, name="budgetkg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        stop.set()
        raise timeout_error(timeout)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["rows"]  # type: ignore[return-value]

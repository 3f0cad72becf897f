"""Threads, in one place: pinning a library to one thread for the length of a call, and a value computed
in a thread of its own.

One query gains little from a thread pool, and on a busy 2-core machine the threads wait on each
other: measured with ``benchmarks/search.py``, query embedding went from 490 to 37 ms and a flat FAISS
scan over 100k vectors from 44 to 14 ms on one thread.  Loading a model, on the other hand, is worth
starting early in a thread of its own (ONNX Runtime lets go of the GIL while it builds its session).
"""

from __future__ import annotations

import contextlib
import threading
from typing import Callable


@contextlib.contextmanager
def single_thread(get: Callable[[], int], set_: Callable[[int], None]):
    """Run the block with ``set_(1)``, then put back what ``get()`` said before."""
    before = get()
    set_(1)
    try:
        yield
    finally:
        set_(before)


class Result:
    """``fn()`` run in a daemon thread of its own (``name``: the thread's); :meth:`get` waits for its value
    (or raises its error)."""

    def __init__(self, fn: Callable[[], object], name: str | None = None):
        self._value = self._error = None
        self._thread = threading.Thread(target=self._run, args=(fn,), name=name, daemon=True)
        self._thread.start()

    def _run(self, fn) -> None:
        try:
            self._value = fn()
        except BaseException as exc:  # handed to get()
            self._error = exc

    def get(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value

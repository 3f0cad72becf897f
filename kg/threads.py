"""Pinning a library to one thread for the length of a call.

One query gains little from a thread pool, and on a busy 2-core machine the threads wait on each
other: measured with ``benchmarks/search.py``, query embedding went from 490 to 37 ms and a flat FAISS
scan over 100k vectors from 44 to 14 ms on one thread.
"""

from __future__ import annotations

import contextlib
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

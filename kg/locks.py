"""The write lock and the version stamp of a store's local directory, shared by every process using it.

An embedded store is one process's (RocksDB's lock), but the local part of a server store (its search
indexes, the copies of ingested files) is shared by every budgetkg process working on that server: the
app and any number of CLI commands.  A writer holds :class:`FolderLock` (``flock`` on ``budgetkg.lock``)
while it changes the graph and the indexes together, and then writes a new ``version`` stamp; a process
whose in-memory indexes were read at another version reads them again before it searches or writes.
"""

from __future__ import annotations

import fcntl
import os
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .atomic import write_text

LOCK_FILE, VERSION_FILE = "budgetkg.lock", "version"


class FolderLock:
    """An exclusive lock on ``folder`` across processes and threads; re-entrant in the thread holding it."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._thread = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._thread:
            if self._depth == 0:
                self.folder.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)  # waits for the process writing now
                except BaseException:
                    os.close(fd)
                    raise
                self._fd = fd
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                    os.close(self._fd)
                    self._fd = None


def read_version(folder: Path) -> str:
    """The stamp of the last write to the store of ``folder`` by any process ("" before the first)."""
    try:
        return (Path(folder) / VERSION_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def new_version(folder: Path) -> str:
    """A fresh stamp written (atomically) after a write; returns it."""
    stamp = uuid.uuid4().hex
    write_text(Path(folder) / VERSION_FILE, stamp)
    return stamp

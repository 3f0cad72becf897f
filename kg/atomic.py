"""Atomic writes of the files in a store folder: a temp file beside the target, fsynced, renamed in.

A process killed at any moment leaves the previous complete file (or none), never a part of one:
the data goes to ``{name}.{pid}.tmp`` in the same folder, is flushed and fsynced, replaces the target
with ``os.replace`` and the folder is fsynced so that the rename itself survives a power cut.
:func:`written` does the same for a library that writes to a path (``faiss.write_index``, a bm25s
folder); :func:`clean_temp` removes what a killed writer left.
"""

from __future__ import annotations

import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .killpoints import kill_point

TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r".+\.\d+(\.old)?\.tmp$")  # what temp_path and written() name, nothing else


def temp_path(path: Path) -> Path:
    """Where a writer of ``path`` puts its data first (the same folder, so the rename is atomic)."""
    return path.with_name(f"{path.name}.{os.getpid()}{TEMP_SUFFIX}")


def fsync_tree(path: Path) -> None:
    """fsync a file, or every file of a folder and the folder itself."""
    if path.is_dir():
        for child in path.iterdir():
            fsync_tree(child)
        _fsync_folder(path)
        return
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace(src: Path, dst: Path) -> None:
    """``os.replace(src, dst)`` made durable (the folder fsynced)."""
    os.replace(src, dst)
    _fsync_folder(dst.parent)


def write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` atomically."""
    path = Path(path)
    tmp = temp_path(path)
    try:
        with open(tmp, "wb") as f:
            f.write(data[:len(data) // 2])
            f.flush()
            kill_point(f"write:{path.name}")  # crash tests: killed halfway through the data
            f.write(data[len(data) // 2:])
            f.flush()
            os.fsync(f.fileno())
        replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` (UTF-8) atomically."""
    write_bytes(path, text.encode("utf-8"))


@contextmanager
def written(path: Path) -> Iterator[Path]:
    """A temp path for the block to write ``path``'s new content to (a file or a folder); moved in
    atomically when the block ends (a folder is swapped: old one aside, new one in, old one removed —
    a kill between the two renames leaves no folder, which readers must take as "rebuild")."""
    path = Path(path)
    tmp = temp_path(path)
    try:
        yield tmp
        kill_point(f"write:{path.name}")  # crash tests: written but not yet in place
        fsync_tree(tmp)
        if tmp.is_dir() and path.is_dir():
            old = path.with_name(f"{path.name}.{os.getpid()}.old{TEMP_SUFFIX}")
            os.replace(path, old)
            replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            replace(tmp, path)
    except BaseException:
        remove(tmp)
        raise


def remove(path: Path) -> None:
    """A file or folder removed (nothing if it is not there)."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def clean_temp(folder: Path) -> list[Path]:
    """Remove the temp files and folders of killed writers anywhere under ``folder``; returns them.
    Only for a folder no other process writes (the store's lock says so)."""
    found = sorted(p for p in Path(folder).rglob(f"*{TEMP_SUFFIX}") if _TEMP_NAME.fullmatch(p.name))
    for p in found:
        if p.exists():  # not inside a folder removed before
            remove(p)
    return found

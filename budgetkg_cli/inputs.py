"""Which files of the paths given to ``ingest`` are documents.

A file named on the command line is always read (a bad one is then reported with its reason).  A folder
contributes only its documents: its PDFs and its text exports.  A text export is recognised by what makes
it one: a ``.txt``/``.md`` file whose tables are lines of tab-separated cells (``ingest.reader_text``); a
text file without a single tab (a README, a SOURCES.md, notes) holds no table and is skipped, as is every
file of another type.
"""

from __future__ import annotations

from pathlib import Path

from kg.api import BudgetKG

CHUNK = 1 << 20


def has_cells(path: Path) -> bool:
    """Whether the file holds a tab (a table cell boundary of the text export), read a chunk at a time."""
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            if b"\t" in chunk:
                return True
    return False


def is_document(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix not in BudgetKG.supported_suffixes():
        return False
    return suffix == ".pdf" or has_cells(path)


def documents_in(paths: list[Path], store_dir: Path) -> tuple[list[Path], list[Path]]:
    """The files to read, in order, and the files inside the folders named that are not documents.
    A store inside a folder named is not looked into (its ``sources/`` holds copies of ingested files)."""
    store = store_dir.resolve()
    files: list[Path] = []
    skipped: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        found = (p for p in path.rglob("*") if p.is_file() and not p.resolve().is_relative_to(store))
        for f in sorted(found):
            (files if is_document(f) else skipped).append(f)
    return files, skipped


def skipped_line(skipped: list[Path], named: int = 10) -> str:
    """One line naming the files skipped (the first ``named`` of them)."""
    names = "、".join(f.name for f in skipped[:named])
    more = f" 等（另有 {len(skipped) - named} 个）" if len(skipped) > named else ""
    return f"已跳过 {len(skipped)} 个不是公开文件的文件：{names}{more}"

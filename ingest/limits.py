"""Bounds on what one document may make us hold: file size, line and cell length (DESIGN §3, issue 11).

Real disclosures print no table cell longer than a few hundred characters and no paragraph of many
thousands; a longer one is an error of the export or an attack.  It is cut, and a warning names the
file's line, so the cost of a document stays linear in what a person could read.  A file larger than
any real disclosure is refused before it is read at all.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

from .errors import IngestError
from .layout import Line
from .normalise import shorten
from .records import Rule

MIB = 1 << 20
MAX_TEXT_BYTES = 64 * MIB  # a text export (the largest real one is well under 1 MiB)
MAX_PDF_BYTES = 256 * MIB  # a PDF (scanned pages and embedded fonts make these larger)
MAX_LINE_CHARS = 5_000  # one line (a paragraph of the export, or a PDF's rebuilt row)
MAX_CELL_CHARS = 1_000  # one cell of a table row

RULES = (Rule("line_too_long", "reading", "warning", "过长的{what}（{length} 个字符）已截断为 {limit} 个字符"),)


def max_file_bytes(path: Path) -> int:
    """The size limit of a file of ``path``'s type."""
    return MAX_PDF_BYTES if path.suffix.lower() == ".pdf" else MAX_TEXT_BYTES


def refuse_oversized(path: Path) -> None:
    """Raise :class:`IngestError` naming the file and the limit when ``path`` is larger than its type allows."""
    size, limit = path.stat().st_size, max_file_bytes(path)
    if size > limit:
        raise IngestError(path, "oversized", size=f"{size:,}", limit=limit // MIB)


def bound_lines(lines: list[Line], warn: Callable[[Line, dict[str, str]], None]) -> list[Line]:
    """``lines`` with over-long lines and cells cut; ``warn(line, params)`` once for each line cut (the
    ``line_too_long`` template's fields: what was cut, its length and the limit)."""
    out = []
    for ln in lines:
        long_cell = ln.is_row and any(len(c) > MAX_CELL_CHARS for c in ln.cells)
        if len(ln.text) <= MAX_LINE_CHARS and not long_cell:
            out.append(ln)
            continue
        cells = [shorten(c, MAX_CELL_CHARS if ln.is_row else MAX_LINE_CHARS) for c in ln.cells]
        if long_cell:
            warn(ln, {"what": "单元格", "length": f"{max(len(c) for c in ln.cells):,}", "limit": f"{MAX_CELL_CHARS:,}"})
        else:
            warn(ln, {"what": "行", "length": f"{len(ln.text):,}", "limit": f"{MAX_LINE_CHARS:,}"})
        out.append(replace(ln, text="\t".join(cells) if ln.is_row else shorten(ln.text, MAX_LINE_CHARS), cells=cells))
    return out

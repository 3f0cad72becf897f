"""Read the text/markdown export format: one line per source line, tabs between cells."""

from __future__ import annotations

from pathlib import Path

from .errors import IngestError
from .layout import Line
from .limits import refuse_oversized


def read_text(path: Path) -> list[Line]:
    """Lines of a ``.txt``/``.md`` export; raises :class:`IngestError` for empty, binary or oversized files."""
    refuse_oversized(path)
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(path, "empty_file")
    if b"\x00" in data[:4096]:
        raise IngestError(path, "binary_file")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly anything
        raise IngestError(path, "undecodable")
    if _control_ratio(text) > 0.05:
        raise IngestError(path, "corrupt_text")
    lines = []
    for no, raw in enumerate(text.splitlines(), start=1):
        cells = raw.split("\t") if "\t" in raw else [raw]
        lines.append(Line(no=no, text=raw, cells=cells))
    return lines


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    return bad / max(1, len(sample))

"""One file in, one :class:`~ingest.records.Extraction` out.

read (by file type) → split into blocks → each block to its registered table
parser → narrative, document metadata, alias merge → records.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

from . import tables
from .aliases import merge_projects
from .context import Context
from .document import read_document
from .errors import IngestError
from .layout import Line
from .limits import bound_lines, refuse_oversized
from .narrative import read_narrative
from .reader_text import read_text
from .reconcile.readings import choose_readings
from .reconcile.run import reconcile
from .reconcile.similar_columns import choose_columns_by_similarity
from .records import Extraction, Finding, Provenance
from .sections import FORMS, NARRATIVE, WRITEUP, role_findings, split_blocks
from .tables.grid import grid_findings
from .vocabulary.table_roles import Similarity

SUFFIXES = (".txt", ".md", ".pdf")
Progress = Callable[[int, int], None]  # (pages done, pages in all)
Warn = Callable[[str, str, int], None]  # (rule, message, page)


def doc_id_for(path: Path) -> str:
    """First 16 hex digits of the file's sha256: the same bytes give the same id."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def read_lines(path: Path, password: str | None = None, progress: Progress | None = None,
               warn: Warn | None = None) -> list[Line]:
    """Lines of any supported file; :class:`IngestError` for unsupported or unreadable ones.

    ``progress(pages done, pages)`` is called after each page of a PDF; ``warn(rule, message, page)``
    hears of pages that cannot be read (image-only)."""
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        return read_text(path)
    if suffix == ".pdf":
        try:
            from .reader_pdf import read_pdf
        except ImportError as exc:  # pragma: no cover - until the PDF reader lands
            raise IngestError(path, f"PDF reading is not available ({exc})") from exc
        return read_pdf(path, password=password, progress=progress, warn=warn)
    raise IngestError(path, f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}")


def extract(path: Path | str, password: str | None = None, progress: Progress | None = None,
            similarity: Similarity | None = None) -> Extraction:
    """Read one disclosure into records.  Raises :class:`IngestError` with a one-line reason.

    ``password`` opens an encrypted PDF; ``progress(pages done, pages)`` follows the reading of a PDF;
    ``similarity`` matches table titles and amount columns' header labels no known wording names
    (:mod:`ingest.vocabulary.table_roles`, :mod:`ingest.reconcile.similar_columns`)."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(path, "no such file")
    refuse_oversized(path)  # before the bytes are hashed
    doc_id = doc_id_for(path)
    findings: list[Finding] = []

    def warn(rule: str, message: str, page: int) -> None:
        findings.append(Finding(rule, "warning", message, (), Provenance(doc_id, page=page)))

    def too_long(line: Line, what: str) -> None:
        findings.append(Finding("line_too_long", "warning", what, (), Provenance(doc_id, page=line.page, line=line.no)))

    lines = bound_lines(read_lines(path, password, progress, warn=warn), too_long)
    blocks = split_blocks(lines, similarity)
    findings.extend(role_findings(blocks, doc_id))
    ctx = Context(doc_id=doc_id, path=path, blocks=blocks, lines=lines, findings=findings, similarity=similarity)
    if not any(b.role != "narrative" for b in ctx.blocks):
        raise IngestError(path, "no budget tables found: not a recognisable budget disclosure")
    choose_columns_by_similarity(ctx)  # header labels no wording names, by similarity where the checks agree
    choose_readings(ctx)  # where a table reads more than one way, the parsers take the reading that reconciles
    for block in ctx.blocks:
        parser = tables.get(block.role)
        if parser is not None:
            parser(block, ctx)
        if block.role not in (NARRATIVE, WRITEUP, *FORMS):
            findings.extend(grid_findings(block, doc_id))
    document = read_document(ctx)
    checks = reconcile(ctx)  # after the narrative's totals are read: they are checked against the tables
    read_narrative(ctx)
    projects = merge_projects(ctx)
    return Extraction(
        document=document,
        units=tuple(ctx.units),
        offices=tuple(ctx.offices),
        staffing=ctx.staffing,
        totals=tuple(ctx.totals.values()),
        line_items=tuple(ctx.line_items),
        three_public=tuple(ctx.three_public),
        procurement=tuple(ctx.procurement),
        projects=tuple(projects),
        department_indicators=tuple(ctx.department_indicators),
        chunks=tuple(ctx.chunks),
        findings=tuple(ctx.findings),
        checks=tuple(checks),
    )


def iter_files(paths: list[Path]) -> list[Path]:
    """Files named, and the supported files inside folders named, sorted."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES))
        else:
            out.append(p)
    return out


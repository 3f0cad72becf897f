"""One disclosure in (one file, or several published together), one :class:`~ingest.records.Extraction` out.

read (by file type) → split into blocks → each block to its registered table
parser → narrative, document metadata, alias merge → records.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Mapping, Sequence

from . import tables
from .audit import audit
from .audit.growth import stated_figures
from .aliases import merge_projects
from .context import Context
from .document import read_document
from .errors import IngestError
from .layout import Block, Line
from .limits import bound_lines, refuse_oversized
from .narrative import read_narrative
from .reader_text import read_text
from .reconcile.readings import choose_readings
from .reconcile.run import reconcile
from .reconcile.similar_columns import choose_columns_by_similarity
from .records import Extraction, Finding, Provenance
from .rules import finding
from .sections import FORMS, NARRATIVE, WRITEUP, role_findings, split_blocks
from .tables.grid import grid_findings
from .vocabulary.table_roles import Similarity

SUFFIXES = (".txt", ".md", ".pdf")
Progress = Callable[[int, int], None]  # (pages done, pages in all)
Warn = Callable[[str, int, dict[str, str]], None]  # (rule, page, template params)


def doc_id_for(path: Path) -> str:
    """First 16 hex digits of the file's sha256: the same bytes give the same id."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def disclosure_id(paths: Sequence[Path]) -> str:
    """The id of a disclosure: :func:`doc_id_for` its one file, or for several files the hash of their
    hashes in sorted order (the same files give the same id, in any order)."""
    if len(paths) == 1:
        return doc_id_for(paths[0])
    digests = sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in paths)
    return hashlib.sha256("\n".join(digests).encode()).hexdigest()[:16]


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
            raise IngestError(path, "pdf_unavailable", detail=exc) from exc
        return read_pdf(path, password=password, progress=progress, warn=warn)
    raise IngestError(path, "unsupported_type", suffix=suffix or "（无）", expected="、".join(SUFFIXES))


@dataclass(frozen=True)
class FileReading:
    """One file as its reader gave it: its lines, and the problems the reader warned of (rule, page, params)."""

    lines: list[Line]
    problems: list[tuple[str, int, dict[str, str]]]


def read_file(path: Path, password: str | None = None, progress: Progress | None = None) -> FileReading:
    """:func:`read_lines` of ``path`` with its warnings kept (:class:`IngestError` as there)."""
    problems: list[tuple[str, int, dict[str, str]]] = []

    def warn(rule: str, page: int, params: dict[str, str]) -> None:
        problems.append((rule, page, params))

    return FileReading(read_lines(path, password, progress, warn=warn), problems)


def source_names(paths: Sequence[Path]) -> list[str | None]:
    """What each file's provenance names it: ``None`` for a disclosure of one file, else its file name
    (:class:`IngestError` when two files of one disclosure share a name)."""
    if len(paths) == 1:
        return [None]
    names = [p.name for p in paths]
    for name in names:
        if names.count(name) > 1:
            raise IngestError(paths[0], "duplicate_part_name", name=name)
    return names


def read_blocks(paths: Sequence[Path], doc_id: str, findings: list[Finding], password: str | None = None,
                progress: Progress | None = None, similarity: Similarity | None = None,
                readings: Mapping[Path, FileReading] | None = None) -> tuple[list[Line], list[Block]]:
    """The lines and blocks of a disclosure's files, in the order given.  Each file keeps its own page
    and line numbers and is cut into blocks on its own (a file's end ends its last block); every line
    names its file (:func:`source_names`).  Reading problems are added to ``findings``.  ``readings``:
    files already read (:func:`read_file`), not read again."""
    lines: list[Line] = []
    blocks: list[Block] = []
    for path, source in zip(paths, source_names(paths)):
        def too_long(line: Line, params: dict[str, str], source=source) -> None:
            findings.append(finding("line_too_long", Provenance(doc_id, page=line.page, line=line.no, source=source),
                                    **params))

        reading = (readings or {}).get(path) or read_file(path, password, progress)
        findings.extend(finding(rule, Provenance(doc_id, page=page, source=source), **params)
                        for rule, page, params in reading.problems)
        own = bound_lines(reading.lines, too_long)
        own_blocks = split_blocks(own, similarity)
        for line in (*own, *(ln for b in own_blocks for ln in b.lines)):  # a block may hold re-cut lines
            line.source = source
        lines.extend(own)
        blocks.extend(own_blocks)
    findings.extend(role_findings(blocks, doc_id))
    return lines, blocks


def extract(path: Path | str, password: str | None = None, progress: Progress | None = None,
            similarity: Similarity | None = None) -> Extraction:
    """Read one disclosure of one file into records.  Raises :class:`IngestError` with a one-line reason.

    ``password`` opens an encrypted PDF; ``progress(pages done, pages)`` follows the reading of a PDF;
    ``similarity`` matches table titles and amount columns' header labels no known wording names
    (:mod:`ingest.vocabulary.table_roles`, :mod:`ingest.reconcile.similar_columns`)."""
    return extract_disclosure([Path(path)], password, progress, similarity)


def extract_disclosure(paths: Sequence[Path | str], password: str | None = None,
                       progress: Progress | None = None, similarity: Similarity | None = None,
                       readings: Mapping[Path, FileReading] | None = None) -> Extraction:
    """Read one disclosure published as one or several files (narrative, tables, performance forms) into
    one :class:`Extraction`: one document, its checks run over all its files (:func:`read_blocks`;
    ``readings``: files already read).  The document's ``path`` is the first file's."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise ValueError("a disclosure needs at least one file")
    for path in paths:
        if not path.is_file():
            raise IngestError(path, "no_such_file")
        refuse_oversized(path)  # before the bytes are hashed
    doc_id = disclosure_id(paths)
    findings: list[Finding] = []
    lines, blocks = read_blocks(paths, doc_id, findings, password, progress, similarity, readings)
    ctx = Context(doc_id=doc_id, path=paths[0], blocks=blocks, lines=lines, findings=findings,
                  similarity=similarity)
    if not any(b.role != "narrative" for b in ctx.blocks):
        raise IngestError(paths[0], "no_budget_tables")
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
    ex = audit(ctx, Extraction(
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
    ))
    return replace(ex, stated=tuple(stated_figures(ctx, ex)))


def iter_files(paths: list[Path]) -> list[Path]:
    """Files named, and the supported files inside folders named, sorted."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES))
        else:
            out.append(p)
    return out


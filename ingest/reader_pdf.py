"""Read a PDF disclosure into the same :class:`~ingest.layout.Line` objects as a text export.

Per page, in small steps that can each be looked at (:func:`read_page` returns the trace):

1. ruled tables are found from the page's ruling edges (lines and rect borders);
   each row becomes a :class:`Line` whose cells are the table cells (merged cells
   ``''``, text wrapped inside a cell joined without the line break);
2. the characters outside the tables are rebuilt into lines by vertical overlap
   measured against each character's own height, not a fixed tolerance: some
   producers set the digits of a sentence several points below its text;
3. on a page without ruling edges, a run of lines split by wide, aligned gaps is
   read as a table by pdfplumber's ``text`` strategy.

Over the document, running headers/footers and page numbers are dropped, and a
table that continues on the next page loses its repeated title, preamble and
header rows, so that its rows stay in one block; a continued row with fewer cells
than the table (a merged label cell) is placed in the table's columns by x
position (see :func:`join_pages`).  Pages may differ in size: every measure is
taken on the page's own height and the table's own frame.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import sys
import threading
import time
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Callable

from .errors import IngestError
from .layout import Line, is_page_number
from .limits import refuse_oversized
from .normalise import fold_width, squash
from .numbers import try_amount
from .records import Rule
from .rules import message
from .sections import is_table_title, names_a_table

log = logging.getLogger(__name__)

MAX_PAGES = 2000
OVERLAP = 0.35  # share of the smaller height two boxes must share vertically to sit on one line
CELL_GAP = 2.0  # a gap of this many character widths separates the cells of an unruled row
WORKERS_ENV = "BUDGETKG_WORKERS"  # processes reading pages (default: the CPUs available)
MIN_PARALLEL_PAGES = 8  # shorter files are read in this process: starting workers costs more
PAGES_PER_WORKER = 4
REPEAT_ROWS = 8  # at most this many leading rows of a table are looked for again on its continuation pages

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’]")
_CONTINUED = re.compile(r"[（(]?续(?:表)?[)）]?$")
_CODE = re.compile(r"^\d{2,}$")

Box = tuple[float, float, float, float]
Progress = Callable[[int, int], None]  # (pages done, pages in all)
Warn = Callable[[str, int, dict[str, str]], None]  # (rule, first page it concerns, its template's params)

RULES = (
    Rule("pdf_no_text_layer", "reading", "warning", "第 {pages} 页没有文字层（仅有图像，不支持 OCR），未读入"),
    Rule("pdf_split_number_joined", "reading", "warning", "第 {page} 页：{repair}"),
    Rule("pdf_row_placed_by_position", "reading", "warning",
         "第 {page} 页：续表中一行只有 {cells} 个单元格（“{text}”），按横向位置放入表格的 {columns} 栏"),
)


@dataclass
class Item:
    """One thing a page shows: a text line (one cell) or a table row (several cells)."""

    top: float
    x0: float
    cells: list[str]
    bbox: Box
    table: int | None = None  # index of the table on its page; None for text
    spans: list[tuple[float, float] | None] = field(default_factory=list)  # x0, x1 of each cell (None: merged)
    continues: bool = False  # the first row of a table joined to the table of the page before

    @property
    def text(self) -> str:
        return "\t".join(self.cells)


@dataclass
class PageTrace:
    """What :func:`read_page` found on one page."""

    number: int
    height: float
    items: list[Item] = field(default_factory=list)
    tables: list[Box] = field(default_factory=list)
    strategy: str = "none"  # lines | text | none
    chars: int = 0
    images: int = 0
    repairs: list[str] = field(default_factory=list)  # what was mended in the page's cells, in words


# --- characters → lines ---------------------------------------------------------------


def _overlap(a_top: float, a_bottom: float, b_top: float, b_bottom: float) -> float:
    """Vertical overlap as a share of the smaller height."""
    inter = min(a_bottom, b_bottom) - max(a_top, b_top)
    return inter / max(1e-6, min(a_bottom - a_top, b_bottom - b_top))


def char_lines(chars: list[dict]) -> list[list[dict]]:
    """Group characters into lines: a character joins the line it overlaps most (≥ ``OVERLAP``).

    Each line is sorted left to right; lines come top to bottom.
    """
    lines: list[list] = []  # [top, bottom, chars]
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        best, best_ov = None, OVERLAP
        for ln in reversed(lines[-6:]):
            if ln[1] <= ch["top"] - 1e-6 and ch["top"] - ln[1] > (ch["bottom"] - ch["top"]):
                break
            ov = _overlap(ln[0], ln[1], ch["top"], ch["bottom"])
            if ov >= best_ov:
                best, best_ov = ln, ov
        if best is None:
            lines.append([ch["top"], ch["bottom"], [ch]])
        else:
            best[0], best[1] = min(best[0], ch["top"]), max(best[1], ch["bottom"])
            best[2].append(ch)
    out = [sorted(ln[2], key=lambda c: c["x0"]) for ln in lines]
    return sorted(out, key=lambda cs: (min(c["top"] for c in cs), cs[0]["x0"]))


def _width(ch: dict) -> float:
    return max(1.0, ch.get("size") or (ch["bottom"] - ch["top"]))


def split_gaps(chars: list[dict], factor: float) -> list[list[dict]]:
    """Split a sorted line where the gap between characters exceeds ``factor`` × their size."""
    parts: list[list[dict]] = []
    for ch in chars:
        if parts and ch["x0"] - parts[-1][-1]["x1"] > factor * min(_width(ch), _width(parts[-1][-1])):
            parts.append([ch])
        elif parts:
            parts[-1].append(ch)
        else:
            parts.append([ch])
    return parts


def letter_spacing(chars: list[dict]) -> float:
    """The usual gap between two CJK characters of a sorted line (a justified line spreads them);
    0 for a line with fewer than three such pairs."""
    gaps = [b["x0"] - a["x1"] for a, b in zip(chars, chars[1:])
            if _CJK.match(a["text"]) and _CJK.match(b["text"])]
    return max(0.0, median(gaps)) if len(gaps) >= 3 else 0.0


def chars_text(chars: list[dict]) -> str:
    """The text of one sorted line: a space where the gap exceeds the line's letter spacing by a quarter
    of a character or more."""
    out: list[str] = []
    prev = None
    spacing = letter_spacing(chars)
    for ch in chars:
        if prev is not None and ch["x0"] - prev["x1"] > spacing + 0.25 * min(_width(ch), _width(prev)):
            out.append(" ")
        out.append(ch["text"])
        prev = ch
    return re.sub(r"\s+", " ", "".join(out)).strip()


def join_wrapped(parts: list[str]) -> str:
    """Lines of one cell joined: no separator where CJK meets CJK (``本年收入合`` + ``计``), else a space."""
    out = ""
    for part in (p for p in parts if p):
        if out and not (_CJK.match(out[-1]) or _CJK.match(part[0])):
            out += " "
        out += part
    return out


def _box(chars: list[dict]) -> Box:
    return (min(c["x0"] for c in chars), min(c["top"] for c in chars),
            max(c["x1"] for c in chars), max(c["bottom"] for c in chars))


def _inside(ch: dict, box: Box) -> bool:
    x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


# --- tables ------------------------------------------------------------------------------


def _cell_text(chars: list[dict]) -> str:
    return join_wrapped([chars_text(ln) for ln in char_lines(chars)])


def table_items(table, chars: list[dict], index: int) -> list[Item]:
    """The rows of a pdfplumber table as items: cell text from our own line rebuilding.

    Rows with no text are dropped; a row that is one cell merged across the whole
    table (a title or a note inside the frame) becomes a one-cell text line.
    """
    rows = [r for r in table.rows if any(c is not None for c in r.cells)]
    tops = [r.bbox[1] for r in rows]
    frame = table.bbox  # a property computed over all cells at each call
    per_cell: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for ch in chars:
        if not _inside(ch, frame) or not ch["text"].strip():
            continue
        cy, cx = (ch["top"] + ch["bottom"]) / 2, (ch["x0"] + ch["x1"]) / 2
        r = bisect_right(tops, cy) - 1
        for k in range(r, -1, -1):  # a merged cell reaches into the rows below its own
            hit = next((j for j, c in enumerate(rows[k].cells)
                        if c and c[0] <= cx <= c[2] and c[1] <= cy <= c[3]), None)
            if hit is not None:
                per_cell[(k, hit)].append(ch)
                break
    items = []
    for r, row in enumerate(rows):
        cells = [_cell_text(per_cell.get((r, j), [])) if c else "" for j, c in enumerate(row.cells)]
        if not any(cells):
            continue
        first = row.cells[0]
        spans = [(c[0], c[2]) if c else None for c in row.cells]
        if len(cells) == 1 or first and first[2] >= frame[2] - 1:  # one cell across the frame
            cells, spans = [cells[0]], [(frame[0], frame[2])]
        items.append(Item(row.bbox[1], row.bbox[0], cells, tuple(row.bbox), index, spans))
    return items


_NUMBER_HEAD = re.compile(r"-?\d{1,3}")
_NUMBER_REST = re.compile(r"(?:,\d{3})+(?:\.\d+)?")


def join_split_numbers(cells: list[str]) -> list[str]:
    """Join, in place, an amount printed over a column rule (``293 | ,810,000.00``): the cell after holds
    the rest of a thousands-separated number, which no amount starts with.  The number goes to the cell of
    its rest (amounts are right-aligned and overflow leftwards); the repairs made, in words."""
    done = []
    for j in range(len(cells) - 1):
        head, rest = cells[j].replace(" ", ""), cells[j + 1].replace(" ", "")
        if _NUMBER_HEAD.fullmatch(head) and _NUMBER_REST.fullmatch(rest):
            done.append(f"跨两个单元格印出的金额已合并：“{cells[j]}”+“{cells[j + 1]}”")
            cells[j], cells[j + 1] = "", head + rest
    return done


def _ruled_tables(page, edges: list[dict] | None = None) -> list:
    """Tables framed by ruling edges, at least two columns wide (a framed list of one column is text).

    ``edges`` (already turned upright) replace the page's own, for pages whose text runs sideways.
    """
    if edges is None:
        if not page.edges:
            return []
        settings = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    else:
        if not edges:
            return []
        settings = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                    "explicit_vertical_lines": [e for e in edges if e["orientation"] == "v"],
                    "explicit_horizontal_lines": [e for e in edges if e["orientation"] == "h"]}
    tables = page.find_tables(settings)
    return [t for t in tables if len(t.rows) >= 1 and max(len(r.cells) for r in t.rows) >= 2]


def text_angle(chars: list[dict]) -> int:
    """How far the page's text is turned (0, 90, 180, 270), by the majority of the characters' matrices."""
    votes: dict[int, int] = defaultdict(int)
    for ch in chars:
        a, b = ch["matrix"][0], ch["matrix"][1]
        votes[(0 if a > 0 else 180) if abs(a) >= abs(b) else (90 if b < 0 else 270)] += 1
    return max(votes, key=votes.get) if votes else 0


def turn_upright(objs: list[dict], angle: int, width: float, height: float) -> list[dict]:
    """Copies of ``objs`` in the frame where text at ``angle`` reads left to right, top to bottom."""
    out = []
    for o in objs:
        x0, top, x1, bottom = o["x0"], o["top"], o["x1"], o["bottom"]
        if angle == 90:
            box = (top, width - x1, bottom, width - x0)
        elif angle == 270:
            box = (height - bottom, x0, height - top, x1)
        else:  # 180
            box = (width - x1, height - bottom, width - x0, height - top)
        n = dict(o, x0=box[0], top=box[1], x1=box[2], bottom=box[3])
        if "orientation" in o and angle in (90, 270):
            n["orientation"] = "v" if o["orientation"] == "h" else "h"
        n["width"], n["height"] = box[2] - box[0], box[3] - box[1]
        out.append(n)
    return out


def _text_table_region(lines: list[list[dict]]) -> Box | None:
    """The box of the longest run (≥ 3) of lines split into ≥ 2 parts by wide gaps, one of them an amount."""
    best: list[list[dict]] = []
    run: list[list[dict]] = []
    for ln in lines + [[]]:
        parts = split_gaps(ln, CELL_GAP) if ln else []
        if len(parts) >= 2:
            run.append(ln)
            continue
        if len(run) >= 3 and len(run) > len(best) and any(
            try_amount(chars_text(p)) is not None for r in run for p in split_gaps(r, CELL_GAP)
        ):
            best = run
        run = []
    if not best:
        return None
    chars = [c for ln in best for c in ln]
    return _box(chars)


def _text_tables(page, lines: list[list[dict]], sizes: list[float]) -> list:
    """Tables of a page without ruling: columns found by text alignment inside the tabular region."""
    region = _text_table_region(lines)
    if region is None:
        return []
    tol = max(1.0, 0.45 * median(sizes))
    box = (max(0, region[0] - 1), max(0, region[1] - 1), min(page.width, region[2] + 1),
           min(page.height, region[3] + 1))
    settings = {"vertical_strategy": "text", "horizontal_strategy": "text",
                "text_y_tolerance": tol, "text_x_tolerance": tol, "min_words_vertical": 3}
    tables = page.crop(box).find_tables(settings)
    return [t for t in tables if max(len(r.cells) for r in t.rows) >= 2]


# --- one page ------------------------------------------------------------------------------


def read_page(page) -> PageTrace:
    """Tables and text lines of one page, in reading order (top to bottom, left to right)."""
    chars = [c for c in page.chars if c["text"].strip()]
    trace = PageTrace(page.page_number, float(page.height), chars=len(chars), images=len(page.images))
    if not chars:
        return trace
    angle = text_angle(chars)
    if angle:  # text set sideways or upside down: read it in its own frame
        w, h = float(page.width), float(page.height)
        chars = turn_upright(chars, angle, w, h)
        edges = turn_upright(page.edges, angle, w, h)
        trace.height = w if angle in (90, 270) else h
        tables = _ruled_tables(page, edges)
    else:
        tables = _ruled_tables(page)
    trace.strategy = "lines" if tables else "none"
    if not tables and not page.edges and not angle:
        free = char_lines(chars)
        tables = _text_tables(page, free, [_width(c) for c in chars])
        trace.strategy = "text" if tables else "none"
    items: list[Item] = []
    for i, table in enumerate(tables):
        trace.tables.append(tuple(table.bbox))
        found = table_items(table, chars, i)
        for it in found:
            trace.repairs.extend(join_split_numbers(it.cells))
        items.extend(found)
    rest = [c for c in chars if not any(_inside(c, b) for b in trace.tables)]
    for ln in char_lines(rest):
        text = chars_text(ln)
        if text:
            box = _box(ln)
            items.append(Item(box[1], box[0], [text], box))
    order = {}  # a table keeps its rows together, at the place of its top
    for it in items:
        if it.table is not None:
            order.setdefault(it.table, (it.top, it.x0))
    trace.items = sorted(items, key=lambda it: order.get(it.table, (it.top, it.x0)) if it.table is not None
                         else (it.top, it.x0))
    return trace


# --- over the pages ------------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", squash(fold_width(text)).lower())


def _edge_items(trace: PageTrace) -> list[tuple[str, Item]]:
    """Text lines among the first or last two items of a page, lying in its top or bottom sixth."""
    out = [("top", it) for it in trace.items[:2] if it.table is None and it.bbox[3] < trace.height / 6]
    out += [("bottom", it) for it in trace.items[-2:]
            if it.table is None and it.bbox[1] > trace.height * 5 / 6 and ("top", it) not in out]
    return out


def _running(it: Item, key: str) -> bool:
    """Could be a running header/footer: short, no ``label：value`` (单位：元, 编制部门：…), not a table title."""
    return len(key) <= 60 and not re.search(r"[:：]", it.text) and not is_table_title(Line(0, it.text, it.cells))


def drop_running(traces: list[PageTrace]) -> None:
    """Remove page numbers and headers/footers repeated on most pages (digits ignored), in place."""
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    edges = {t.number: _edge_items(t) for t in traces}
    for number, found in edges.items():
        for zone, it in found:
            seen[(zone, _norm(it.text))].add(number)
    need = max(2, 0.4 * len(traces))  # a short file (a 说明 published apart from its tables) has them too
    for trace in traces:
        drop, dropped = set(), set()
        for zone, it in edges[trace.number]:
            key = _norm(it.text)
            if is_page_number(it.text):
                drop.add(id(it))
            elif _running(it, key) and len(seen[(zone, key)]) >= need and (zone, key) not in dropped:
                drop.add(id(it))  # once a page: a cover whose title repeats the running header keeps its title
                dropped.add((zone, key))
        trace.items = [it for it in trace.items if id(it) not in drop]


def _is_data(cells: list[str]) -> bool:
    """A body row: an amount somewhere or a code in its first cells."""
    return any(squash(c) and try_amount(c) is not None for c in cells) or any(
        _CODE.match(squash(c)) for c in cells[:3])


def _header_rows(rows: list[Item]) -> list[Item]:
    """The rows before a table's first body row."""
    out = []
    for row in rows:
        if _is_data(row.cells):
            break
        out.append(row)
    return out


def _key(cells: list[str]) -> tuple[str, ...]:
    return tuple(squash(c) for c in cells)


def _repeated(rows: list[Item], first: list[tuple[str, ...]]) -> int:
    """How many of ``rows``, from the top, repeat the continued table's first rows."""
    n = 0
    while n < min(len(rows), len(first)) and _key(rows[n].cells) == first[n]:
        n += 1
    return n


@dataclass
class _Open:
    """The table last seen: what a continuation page repeats of it."""

    page: int
    title: str | None
    preamble: set[str]
    header: int  # how many header rows it has
    first: list[tuple[str, ...]]  # its header rows, and at least its first REPEAT_ROWS rows (forms repeat those)
    columns: list[tuple[float, float]] = field(default_factory=list)  # x0, x1 of its columns (its widest row)


def table_columns(rows: list[Item]) -> list[tuple[float, float]]:
    """The x extents of a table's columns: the cells of its row with the most cells of their own."""
    best = max(rows, key=lambda r: sum(s is not None for s in r.spans), default=None)
    if best is None or any(s is None for s in best.spans):
        return []
    return list(best.spans)  # type: ignore[arg-type]


def align_by_position(row: Item, columns: list[tuple[float, float]]) -> list[str] | None:
    """A continued table's row with fewer cells than the table (its label cell spans the code and name
    columns) as cells of the table's columns: each cell goes to the first column whose middle lies within
    it.  ``None`` when the row needs no placing, or when two cells would share a column or one meets none."""
    if len(row.cells) >= len(columns) or len(row.spans) != len(row.cells) or None in row.spans:
        return None
    out = [""] * len(columns)
    taken: set[int] = set()
    for text, (x0, x1) in zip(row.cells, row.spans):  # type: ignore[misc]
        col = next((k for k, (c0, c1) in enumerate(columns) if x0 - 1 <= (c0 + c1) / 2 <= x1 + 1), None)
        if col is None or col in taken:
            return None
        taken.add(col)
        out[col] = text
    return out


def join_pages(traces: list[PageTrace], warn: Warn | None = None) -> list[Item]:
    """All items in order; a table continued on the next page loses its repeated title, preamble and header,
    and its rows with fewer cells than the table (a merged label cell) are placed in its columns by their x
    position, when the continuation's frame has the table's left and right edges (reported to ``warn``)."""
    out: list[Item] = []
    last: _Open | None = None
    title: str | None = None
    preamble: set[str] = set()
    for trace in traces:
        continuing = last is not None and last.page == trace.number - 1
        table_seen: set[int] = set()
        rows: dict[int, list[Item]] = defaultdict(list)
        for it in trace.items:
            if it.table is not None:
                rows[it.table].append(it)
        for it in trace.items:
            if it.table is None:
                key = squash(it.text)
                probe = Line(0, it.text, it.cells)
                if continuing and not table_seen and last and (
                    last.title and _CONTINUED.sub("", key) == squash(last.title) or key in last.preamble
                ):
                    continue  # the continued table's title or 单位 line, repeated
                if is_table_title(probe) or names_a_table(probe):  # a new table, whether its role is known or not
                    title, preamble, continuing = it.text, set(), False
                elif title is not None and not table_seen:
                    preamble.add(key)
                out.append(it)
                continue
            if it.table in table_seen:
                continue
            table_seen.add(it.table)
            body = rows[it.table]
            lead = _header_rows(body)
            repeated = _repeated(body, last.first) if last else 0
            if continuing and last and len(table_seen) == 1 and (
                repeated >= len(lead) or 0 < last.header <= repeated  # its header again, or more of its top
            ):
                body = body[repeated:]  # the continued table's header (or more of its first rows), repeated
                last.page = trace.number
                if _same_frame(body, last.columns):
                    body = [_placed(row, last.columns, trace.number, warn) for row in body]
                if body:
                    body[0].continues = True
            else:
                first = [_key(r.cells) for r in body[:max(len(lead), REPEAT_ROWS)]]
                last = _Open(trace.number, title, preamble, len(lead), first, table_columns(body))
            out.extend(body)
            title, preamble = None, set()
    return out


def _same_frame(rows: list[Item], columns: list[tuple[float, float]], tolerance: float = 2.0) -> bool:
    """The rows span the columns' left and right edges (the table continues in the same place)."""
    spans = [s for r in rows for s in r.spans if s is not None]
    if not spans or not columns:
        return False
    return abs(min(s[0] for s in spans) - columns[0][0]) <= tolerance and \
        abs(max(s[1] for s in spans) - columns[-1][1]) <= tolerance


def _placed(row: Item, columns: list[tuple[float, float]], page: int, warn: Warn | None) -> Item:
    """``row`` with its cells placed in ``columns`` where it has fewer (changed in place: pages are known by
    the item)."""
    cells = align_by_position(row, columns)
    if cells is None:
        return row
    if warn is not None:
        warn("pdf_row_placed_by_position", page, {"page": str(page), "cells": str(len(row.cells)),
                                                   "text": " | ".join(row.cells)[:60], "columns": str(len(columns))})
    row.cells, row.spans = cells, [None] * len(cells)
    return row


# --- the file ---------------------------------------------------------------------------------


def _ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` → ``'1–3, 7'``."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(f"{a}–{b}" if a != b else str(a) for a, b in spans)


def _open(path: Path, password: str | None):
    """The opened pdfplumber document; :class:`IngestError` for a file that is not a readable PDF."""
    import pdfplumber

    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise IngestError(path, "not_pdf")
    try:
        return pdfplumber.open(path, password=password or "")
    except Exception as exc:  # pdfplumber wraps every pdfminer error
        raise _error(path, exc, password) from exc


def _error(path: Path, exc: Exception, password: str | None) -> IngestError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    if isinstance(inner, PDFPasswordIncorrect):
        return IngestError(path, "pdf_password_wrong" if password else "pdf_password_needed")
    if isinstance(inner, PDFEncryptionError):
        return IngestError(path, "pdf_encryption_unsupported", detail=inner)
    from pdfminer.psexceptions import PSEOF

    if isinstance(inner, PSEOF):
        return IngestError(path, "pdf_truncated")
    detail = re.sub(r"\s+", " ", str(inner) or type(inner).__name__).strip()[:120]
    return IngestError(path, "pdf_corrupt", detail=detail)


def worker_count(pages: int, workers: int | None = None) -> int:
    """Processes to read ``pages`` pages with: ``workers``, else ``$BUDGETKG_WORKERS``, else the CPUs this
    process may use; at most one per ``PAGES_PER_WORKER`` pages, and 1 (read in this process) below
    ``MIN_PARALLEL_PAGES`` pages."""
    if workers is None:
        env = os.environ.get(WORKERS_ENV, "").strip()
        try:
            workers = int(env) if env else None
        except ValueError:
            log.warning("%s=%r is not a number; using the CPU count", WORKERS_ENV, env)
        if workers is None:
            workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if pages < MIN_PARALLEL_PAGES:
        return 1
    return max(1, min(workers, pages // PAGES_PER_WORKER))


def _read_one(pdf, index: int, path: Path, password: str | None) -> PageTrace:
    """:func:`read_page` for page ``index`` (0-based); a failure becomes an :class:`IngestError` naming the page."""
    page = pdf.pages[index]
    try:
        return read_page(page)
    except Exception as exc:
        err = _error(path, exc, password)
        raise IngestError(path, err.code, page=page.page_number, **err.params) from exc
    finally:
        page.close()


def _read_sequential(pdf, path: Path, password: str | None, progress: Progress | None) -> list[PageTrace]:
    traces = []
    for i in range(len(pdf.pages)):
        traces.append(_read_one(pdf, i, path, password))
        if progress is not None:
            progress(i + 1, len(pdf.pages))
    return traces


_WORKER: dict = {}  # in a worker process: the PDF it opened, with its path and password


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Make this (worker) process end when ``parent`` dies, even by ``kill -9``: on Linux the kernel
    sends SIGKILL (``prctl(PR_SET_PDEATHSIG)``), elsewhere a daemon thread polls the parent pid."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    else:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True, name="parent-watch").start()
    if os.getppid() != parent:  # the parent died before the above took hold
        os._exit(1)


def _worker_open(path: str, password: str | None, parent: int) -> None:
    die_with_parent(parent)
    _WORKER.update(path=Path(path), password=password, pdf=_open(Path(path), password))


def _worker_read(index: int) -> PageTrace | tuple[int | None, str, dict[str, str]]:
    """One page's trace, or ``(page, code, params)`` of its :class:`IngestError` (which does not pickle)."""
    try:
        return _read_one(_WORKER["pdf"], index, _WORKER["path"], _WORKER["password"])
    except IngestError as exc:
        return exc.page, exc.code, exc.params


def _mp_context():
    """``fork`` on Linux (cheap; workers touch nothing but their own PDF), else the platform's default
    (``spawn``: a script calling :func:`read_pdf` then needs the ``if __name__ == "__main__"`` guard)."""
    import multiprocessing
    import sys

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _read_parallel(path: Path, password: str | None, count: int, workers: int,
                   progress: Progress | None) -> list[PageTrace] | None:
    """Pages read by a pool of ``workers`` processes (each opens the file itself), in page order;
    ``None`` when the pool cannot be started or breaks, for the caller to read them itself."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    traces: list[PageTrace | None] = [None] * count
    failed: dict[int, tuple[int | None, str, dict[str, str]]] = {}
    try:
        with ProcessPoolExecutor(workers, mp_context=_mp_context(), initializer=_worker_open,
                                 initargs=(str(path), password, os.getpid())) as pool:
            futures = {pool.submit(_worker_read, i): i for i in range(count)}
            for done, fut in enumerate(as_completed(futures), start=1):
                result = fut.result()
                if isinstance(result, PageTrace):
                    traces[futures[fut]] = result
                else:
                    failed[futures[fut]] = result
                    pool.shutdown(wait=True, cancel_futures=True)
                    break
                if progress is not None:
                    progress(done, count)
    except (BrokenProcessPool, OSError, AssertionError, NotImplementedError) as exc:
        # no semaphores or no fork here, a daemonic caller, a worker killed: read in this process
        log.info("%s: parallel page reading unavailable (%s); reading sequentially", path.name, exc)
        return None
    if failed:
        for fut, i in futures.items():  # the first failing page among those read
            if fut.done() and not fut.cancelled() and not isinstance(fut.result(), PageTrace):
                failed[i] = fut.result()
        page, code, params = failed[min(failed)]
        raise IngestError(path, code, page=page, **params)
    return traces  # type: ignore[return-value]


def _logged(path: Path) -> Warn:
    """A ``warn`` that logs, for callers that pass none."""
    return lambda rule, page, params: log.warning("%s: %s", path.name, message(rule, **params))


def read_pdf(path: Path | str, password: str | None = None, progress: Progress | None = None,
             workers: int | None = None, warn: Warn | None = None) -> list[Line]:
    """Lines of a PDF disclosure (tables as rows of cells); :class:`IngestError` for unreadable files.

    Pages are read by ``workers`` processes (see :func:`worker_count`); the lines are the same
    for any count.  ``progress(done, total)`` is called after each page read.  Pages that show
    images but carry no text (scanned pages among text ones) are reported to ``warn(rule, page, params)``
    (:data:`RULES`), or logged when no ``warn`` is given.
    """
    path = Path(path)
    refuse_oversized(path)
    pdf = _open(path, password)
    try:
        try:
            count = len(pdf.pages)
        except Exception as exc:
            raise _error(path, exc, password) from exc
        if count == 0:
            raise IngestError(path, "pdf_no_pages")
        if count > MAX_PAGES:
            raise IngestError(path, "pdf_too_many_pages", count=count, limit=MAX_PAGES)
        n = worker_count(count, workers)
        traces = _read_parallel(path, password, count, n, progress) if n > 1 else None
        if traces is None:
            traces = _read_sequential(pdf, path, password, progress)
    finally:
        pdf.close()
    empty = [t.number for t in traces if not t.chars]
    if len(empty) == len(traces):
        raise IngestError(path, "pdf_no_text", pages=_ranges(empty))
    scanned = [t.number for t in traces if not t.chars and t.images]
    if scanned:
        (warn or _logged(path))("pdf_no_text_layer", scanned[0], {"pages": _ranges(scanned)})
    if len(scanned) < len(empty):
        log.info("%s: blank pages %s", path.name, _ranges([n for n in empty if n not in scanned]))
    for t in traces:
        for repair in t.repairs:
            (warn or _logged(path))("pdf_split_number_joined", t.number, {"page": str(t.number), "repair": repair})
    drop_running(traces)
    page_of = {}
    for t in traces:
        for it in t.items:
            page_of[id(it)] = t.number
    return [Line(no=i, text=it.text, cells=list(it.cells), page=page_of[id(it)],
                 bbox=tuple(round(v, 2) for v in it.bbox), continues=it.continues)
            for i, it in enumerate(join_pages(traces, warn or _logged(path)), start=1)]

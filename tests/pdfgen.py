"""Render a text-export disclosure (``samples/*.txt``, ``tests/fixtures/docs/*.txt``) as a PDF.

The PDF carries the same content as the text, laid out the way published disclosures are:
narrative lines as paragraphs, each run of tab-separated rows as a ruled table (cells wrap,
long tables split across pages, header rows repeated or not), tables of many columns on
landscape pages, a running header and a page number in the footer.  Text is set in WenQuanYi
Micro Hei, a TrueType CJK font the ``paperang-p2-fonts-cjk`` package ships, embedded as a subset.

Marks that no text export contains let a generator ask for layouts the text cannot show: a cell that
holds only :data:`MERGED` is merged into the cell on its left (a title or a 合计 label spanning the grid's
columns); a cell that holds only :data:`MERGED_UP` is merged into the cell above it (an 一级指标 cell
spanning the rows of its indicators); a line that holds only :data:`PAGE_BREAK` (a form feed) starts a new page, inside a table too
(the rows after it continue the same ruled grid, with the same column widths, on the next page); a line
that holds only :data:`TABLE_END` ends a table: a little space, then the rows after it form a grid of their
own (two tables whose titles are rows of their grids, with nothing else between them).

Page sizes: by default narrative pages are A4 portrait and tables wider than :data:`LANDSCAPE_COLUMNS` go on
A4 landscape pages; ``render(..., landscape_columns=0)`` puts every table on landscape pages, and
``wide_pages=(landscape(A3),)`` makes those pages A3 (one PDF with pages of two sizes, as published files have).

Usage: ``python tests/pdfgen.py IN.txt OUT.pdf [--no-repeat-header]``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from xml.sax.saxutils import escape

FONT = "WenQuanYiMicroHei"
LANDSCAPE_COLUMNS = 9  # tables wider than this go on landscape pages
MARGIN = 36.0
CELL_PAD = 3.0
MERGED = "\x1d"  # a cell merged into its left neighbour
MERGED_UP = "\x1c"  # a cell merged into the cell above it
PAGE_BREAK = "\f"  # a line that starts a new page
TABLE_END = "\x1e"  # a line that ends a table

_TAG = re.compile(r"<[^>]+>")
_AMOUNT = re.compile(r"^-?[\d,]+(?:\.\d+)?%?$")
_TOKEN = re.compile(r"[\x21-\x7e]+")  # what must not wrap inside a cell: numbers, codes, latin words


@lru_cache(maxsize=1)
def register_font() -> str:
    """Register the CJK TrueType font with reportlab once; its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = files("paperang_p2_fonts_cjk") / "fonts" / "wqy-microhei.ttc"
    pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
    return FONT


def plain(text: str) -> str:
    """Markdown heading marks, bold and HTML tags removed, spaces collapsed."""
    s = _TAG.sub(" ", re.sub(r"^\s*#+\s*", "", text)).replace("**", "")
    return re.sub(r"[ \t\u3000]+", " ", s).strip()


@dataclass
class Text:
    """One narrative line; ``level`` > 0 for a markdown heading."""

    text: str
    level: int = 0


@dataclass
class Break:
    """A forced page break between narrative lines or tables."""


@dataclass
class Gap:
    """The end of a table: a little space before what follows (another grid starts there)."""


@dataclass
class Table:
    """A run of tab-separated rows, padded to one width."""

    rows: list[list[str]] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)  # rows that start a new page

    @property
    def columns(self) -> int:
        return max(len(r) for r in self.rows)

    def header_rows(self) -> int:
        """Rows before the first that holds an amount or a code."""
        for i, row in enumerate(self.rows):
            if any(_AMOUNT.match(c.replace(" ", "")) for c in row if c):
                return i
        return 0


def parse(text: str) -> list[Text | Table | Break | Gap]:
    """The export's lines as narrative lines and tables; blank lines only separate."""
    out: list[Text | Table | Break | Gap] = []
    lines = re.split(r"\r\n|\r|\n", text)  # not str.splitlines: it also cuts at PAGE_BREAK and MERGED
    for i, raw in enumerate(lines):
        if raw == TABLE_END:
            out.append(Gap())
        elif raw == PAGE_BREAK:
            if out and isinstance(out[-1], Table) and _next_is_row(lines, i):
                out[-1].breaks.append(len(out[-1].rows))
            else:
                out.append(Break())
        elif "\t" in raw:
            cells = [c if c in (MERGED, MERGED_UP) else plain(c) for c in raw.rstrip("\r").split("\t")]
            if not (out and isinstance(out[-1], Table)):
                out.append(Table())
            out[-1].rows.append(cells)
        elif raw.strip():
            level = len(raw) - len(raw.lstrip("#")) if raw.lstrip().startswith("#") else 0
            if plain(raw):
                out.append(Text(plain(raw), level))
        elif out and isinstance(out[-1], Table) and not _next_is_row(lines, i):
            out.append(Text(""))  # a blank line that ends a table
    for item in out:
        if isinstance(item, Table):
            width = item.columns
            item.rows = [r + [""] * (width - len(r)) for r in item.rows]
    return [it for it in out if not (isinstance(it, Text) and not it.text)]


def _next_is_row(lines: list[str], i: int) -> bool:
    nxt = next((ln for ln in lines[i + 1:] if ln.strip() and ln != PAGE_BREAK), "")
    return "\t" in nxt


# --- layout ----------------------------------------------------------------------------------


def _styles(size: float):
    from reportlab.lib.styles import ParagraphStyle

    font = register_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK", spaceAfter=3)
    heads = {lvl: ParagraphStyle(f"h{lvl}", parent=body, fontSize=fs, leading=fs * 1.4, spaceBefore=6, spaceAfter=4)
             for lvl, fs in ((1, 16), (2, 14), (3, 12), (4, 11))}
    cell = ParagraphStyle("cell", fontName=font, fontSize=size, leading=size * 1.25, wordWrap="CJK")
    num = ParagraphStyle("num", parent=cell, alignment=2)
    return body, heads, cell, num


def _spans(row: list[str]) -> list[tuple[int, int]]:
    """(first, last) column of each cell that :data:`MERGED` cells extend to the right."""
    out = []
    for j, cell in enumerate(row):
        if cell != MERGED and j + 1 < len(row) and row[j + 1] == MERGED:
            last = j + 1
            while last + 1 < len(row) and row[last + 1] == MERGED:
                last += 1
            out.append((j, last))
    return out


def _down_spans(rows: list[list[str]]) -> list[tuple[int, int, int]]:
    """(column, first, last row) of each cell that :data:`MERGED_UP` cells below it extend downwards; a mark
    with no cell above it in this grid (the first row after a page break) stays an empty cell."""
    out = []
    for j in range(max((len(r) for r in rows), default=0)):
        r = 0
        while r < len(rows):
            last = r
            while last + 1 < len(rows) and j < len(rows[last + 1]) and rows[last + 1][j] == MERGED_UP:
                last += 1
            if last > r and rows[r][j] != MERGED_UP:
                out.append((j, r, last))
            r = last + 1
    return out


def _col_widths(table: Table, avail: float, size: float) -> list[float] | None:
    """Widths that fit ``avail``: no number or code split; wider columns for longer text.  ``None`` if the
    unbreakable tokens alone do not fit at this font size.  Merged cells do not widen a column."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font = register_font()
    n = table.columns
    floor, want = [0.0] * n, [0.0] * n
    for row in table.rows:
        spanning = {first for first, _ in _spans(row)}
        for j, cell in enumerate(row):
            if cell in (MERGED, MERGED_UP) or j in spanning:
                continue
            tokens = _TOKEN.findall(cell) + ([cell[:2]] if cell else [])
            floor[j] = max(floor[j], *(stringWidth(t, font, size) for t in tokens)) if tokens else floor[j]
            want[j] = max(want[j], stringWidth(cell, font, size))
    floor = [max(f, 2 * size) + 2 * CELL_PAD for f in floor]
    if sum(floor) > avail:
        return None
    want = [min(max(w + 2 * CELL_PAD, f), 22 * size) for w, f in zip(want, floor)]  # long text wraps
    if sum(want) <= avail:
        return [w * avail / sum(want) for w in want]
    spare = avail - sum(floor)
    extra = [w - f for w, f in zip(want, floor)]
    return [f + spare * e / sum(extra) for f, e in zip(floor, extra)]


def table_flowables(table: Table, avail: float, repeat_header: bool) -> list:
    """A ruled reportlab table: cells are paragraphs (they wrap), amounts right-aligned; where the table has
    forced breaks, its parts with page breaks between them (one grid: the same column widths)."""
    from reportlab.platypus import PageBreak

    size = 9.0
    widths = _col_widths(table, avail, size)
    while widths is None and size > 4.5:
        size -= 0.5
        widths = _col_widths(table, avail, size)
    widths = widths or [avail / table.columns] * table.columns
    out: list = []
    bounds = [0, *table.breaks, len(table.rows)]
    for a, b in zip(bounds, bounds[1:]):
        part = Table(table.rows[a:b])
        if out:
            out.append(PageBreak())
        out.append(_grid(part.rows, widths, size, part.header_rows(), repeat_header))
    return out


def _grid(rows: list[list[str]], widths: list[float], size: float, head: int, repeat_header: bool):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    _, _, cell, num = _styles(size)
    data = [[Paragraph("" if c in (MERGED, MERGED_UP) else escape(c), num if _AMOUNT.match(c.replace(" ", "")) else cell)
             for c in row] for row in rows]
    out = RLTable(data, colWidths=widths, repeatRows=head if repeat_header and 0 < head < len(data) else 0,
                  splitByRow=1)
    spans = [("SPAN", (first, r), (last, r)) for r, row in enumerate(rows) for first, last in _spans(row)]
    spans += [("SPAN", (j, first), (j, last)) for j, first, last in _down_spans(rows)]
    out.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        *spans,
    ]))
    return out


def _lead_in(items: list[Text | Table | Break | Gap], i: int) -> int:
    """Index of the first of the short lines (title, 单位：…) right before table ``i``, at most four."""
    start = i
    while start > 0 and i - start < 4 and isinstance(items[start - 1], Text) and len(items[start - 1].text) <= 40:
        start -= 1
    return start


def render(text: str, out: Path, repeat_header: bool = True, title: str | None = None,
           landscape_columns: int = LANDSCAPE_COLUMNS, wide_pages: tuple[tuple[float, float], ...] = ()) -> Path:
    """Write the PDF of one text export to ``out``; tables wider than ``landscape_columns`` columns (every
    table at 0) go on landscape pages together with the short lines that introduce them.  ``wide_pages``:
    the sizes the runs of landscape pages take in turn (A4 landscape when not given), so that one file mixes sizes."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer

    font = register_font()
    items = parse(text)
    title = title or next((it.text for it in items if isinstance(it, Text)), "")[:30]
    body, heads, _, _ = _styles(9)

    def decorate(canvas, doc):
        w, h = doc.pagesize
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(MARGIN, h - MARGIN + 12, title)
        canvas.drawCentredString(w / 2, MARGIN - 20, f"第 {doc.page} 页")
        canvas.restoreState()

    def template(name: str, size) -> PageTemplate:
        frame = Frame(MARGIN, MARGIN, size[0] - 2 * MARGIN, size[1] - 2 * MARGIN, id=name,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        return PageTemplate(name, [frame], onPage=decorate, pagesize=size)

    sideways = {j for i, it in enumerate(items) if isinstance(it, Table) and it.columns > landscape_columns
                for j in range(_lead_in(items, i), i + 1)}
    wide = wide_pages or (landscape(A4),)
    sizes = {"portrait": A4, **{f"landscape{k}": size for k, size in enumerate(wide)}}
    flow: list = []
    orient, runs = "portrait", 0
    for i, it in enumerate(items):
        want = f"landscape{runs % len(wide)}" if i in sideways else "portrait"
        if want != orient:
            runs += want != "portrait"
            orient = want
            flow += [NextPageTemplate(want), PageBreak()]
        if isinstance(it, Table):
            size = sizes[orient]
            flow += table_flowables(it, size[0] - 2 * MARGIN, repeat_header)
        elif isinstance(it, Break):
            flow.append(PageBreak())
        elif isinstance(it, Gap):
            flow.append(Spacer(1, 8))
        else:
            flow.append(Paragraph(escape(it.text), heads.get(it.level, body)))
    doc = BaseDocTemplate(str(out), pagesize=A4, title=title,
                          pageTemplates=[template(name, size) for name, size in sizes.items()])
    doc.build(flow)
    return out


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    src, dst = Path(argv[0]), Path(argv[1])
    render(src.read_text(encoding="utf-8"), dst, repeat_header="--no-repeat-header" not in argv)
    print(dst)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

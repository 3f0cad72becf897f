"""The objects every reader yields: lines of text with their cells and position.

A text export gives one :class:`Line` per source line, with tab-separated cells.
A PDF reader gives the same objects (rebuilt rows of a page, cells from table
columns) with ``page`` and ``bbox`` filled in, so that everything after the
reader does not know which kind of file it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalise import fold_width, squash, strip_markup
from .records import Provenance

_PAGE_NUMBER = re.compile(
    r"^(?:第\d+页(?:[,，/]?共\d+页)?|[-—–]\d+[-—–]|\d{1,4}|\d+/\d+|(?:page)?\d+(?:of\d+)?)$", re.I
)
_CONTINUED_MARK = re.compile(r"^[(（]?续表?[)）]?$")


def clean_cell(text: str) -> str:
    """A cell as a person reads it: HTML tags and markdown bold removed, spaces collapsed."""
    s = strip_markup(text)
    return re.sub(r"[ \t\u3000]+", " ", s).strip()


def is_page_number(text: str) -> bool:
    """A page number as a page prints it: ``— 3 —``, ``第3页``, ``第3页共12页``, ``3/12``, ``3``."""
    return bool(_PAGE_NUMBER.match(squash(fold_width(text))))


def is_continued_mark(text: str) -> bool:
    """A bare ``续表`` / ``（续）``: what a table or form prints at the top of the page it continues on."""
    return bool(_CONTINUED_MARK.match(squash(text)))


def is_page_break_mark(text: str) -> bool:
    """A line only a page break prints: a page number, or a bare ``续表`` / ``（续）``."""
    return is_page_number(text) or is_continued_mark(text)


@dataclass
class Line:
    """One line of a document: its raw text, its cells, and where it is."""

    no: int  # 1-based line number in the source (text) or reading order (PDF)
    text: str
    cells: list[str] = field(default_factory=list)
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    continues: bool = False  # PDF: the first row of a page's table that the reader joined to the page before's
    source: str | None = None  # the file of a disclosure of several files (Provenance.source); None: one file

    @property
    def is_row(self) -> bool:
        """True for a table row (more than one cell)."""
        return len(self.cells) > 1

    @property
    def plain(self) -> str:
        """The text without markdown heading marks, bold or HTML."""
        return clean_cell(re.sub(r"^\s*#+\s*", "", self.text))

    def values(self) -> list[str]:
        """The cells, cleaned."""
        return [clean_cell(c) for c in self.cells]

    def provenance(self, doc_id: str, table: str | None = None, row: int | None = None) -> Provenance:
        return Provenance(doc_id, page=self.page, table=table, row=row, line=self.no,
                          snippet=self.plain[:200], bbox=self.bbox, source=self.source)


@dataclass
class Block:
    """A run of lines under one title: a table (``role`` set) or narrative."""

    title: str | None
    role: str  # see ingest.sections.TABLE_ROLES; "narrative" for text
    lines: list[Line] = field(default_factory=list)
    notes: list[tuple[str, dict]] = field(default_factory=list)  # (rule, template params) on how it was read
    reading: str | None = None  # the grid reading its parsers take (chosen by reconciliation); None: the first
    # column → the canonical label of the role its printed label took by similarity (ingest.reconcile.similar_columns)
    column_roles: dict[int, str] = field(default_factory=dict)
    # the grid row its title was read from where that title names no known role: reconciliation may read the
    # row, and the rows after it, as rows of the table before instead (ingest.reconcile.title_rows)
    title_row: Line | None = None
    # a table printed in parts (ingest.vocabulary.table_parts): the part this block is (``personnel`` …), and
    # the lines printed once above the parts that every part shares (its title, ``单位：万元``, the header)
    part: str | None = None
    head: list[Line] = field(default_factory=list)
    # the grid's readings as last read, with what they were read from (ingest.tables.grid.grid_readings)
    readings_memo: tuple[tuple, list] | None = field(default=None, repr=False, compare=False)

    @property
    def rows(self) -> list[Line]:
        return [ln for ln in self.lines if ln.is_row]

    @property
    def first_line(self) -> int:
        return self.lines[0].no if self.lines else 0

    @property
    def page(self) -> int | None:
        return self.lines[0].page if self.lines else None

    def text(self) -> str:
        return "\n".join(ln.plain for ln in self.lines if ln.plain)

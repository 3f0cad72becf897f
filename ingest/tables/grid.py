"""A table block as a grid: header paths per column, body rows, wrapped rows joined.

Exports break tables in predictable ways: header cells span several lines and
wrap inside a cell (``工资 福利 支出``), marker rows (``** ** 1 2 3``) sit between
header and body, a long name wraps into the next line with every other cell
blank, and trailing blank cells are dropped.  The functions here undo that and
let parsers find columns by what their header says, never by position.

Typical use::

    grid = read_grid(block)
    name = grid.column(r"名称")
    for row in join_wrapped(grid.body, lambda r: is_continuation(r.cells)):
        ...
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable

from ..context import Context
from ..layout import Block, Line, clean_cell
from ..normalise import fold_brackets, squash
from ..numbers import NumberError, parse_amount, try_amount
from ..records import Finding, Unit
from ..rules import finding
from ..vocabulary.column_roles import (
    COLUMN_ROLES, EXPENDITURE_SIDE, INCOME_SIDE, ROW_NUMBER, column, normal_path, roles_of,
)
from ..vocabulary.table_roles import TWO_SIDED

AS_PRINTED = "按原样"  # the reading of a table that moves no cell
SHORT_FROM_FIRST = "短行从第一个金额栏起排"  # the reading that fills a short row's amounts from the left
SHORT_RIGHT_ALIGNED = "短行右对齐"  # … from the right
SIDES = {"income": "收入", "expenditure": "支出"}  # a two-sided table's sides, as a reading names them
TOTAL_LABELS = {"合计", "总计", "小计", "本年合计", "合计数", "总合计"}

_PREAMBLE = re.compile(
    r"^(单位名称|填报单位|编制单位|编报单位|报送单位|部门名称|部门|单位|金额单位|计量单位)\s*[:：]|^(部门)?公开\s*\d+\s*表$|^表\s*\d+([-－]\d+)?$"
)
_ROW_LABELS = {"栏次", "行次", "序号", "编号"}
_SEPARATOR = re.compile(r"^[-:|=\s]+$")
_COLUMN_NO = re.compile(r"^\d+(?:[=＝]\d+(?:[+＋\-－]\d+)*)?$")
_CODE = re.compile(r"^\d{2,}$")
_CODE_AND_NAME = re.compile(r"^(\d{3,})\s*(\D.*)$")
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十廿]+[、.．]|[（(][一二三四五六七八九十廿\d]+[）)]|\d+[、.．]|其中[:：]?)+"
)
_FUNCTIONAL = re.compile(r"^2\d{2}(?:\d{2}){0,2}$")
_YEAR = re.compile(r"(?:19|20)\d{2}")
_ECONOMIC = re.compile(r"^[35]\d{2}(?:\d{2})?$")
# names of organisations end like this; names of 功能科目 do not
_ORG_NAME = re.compile(
    r"(局|本级|中心|委员会|办公室|院|所|站|队|馆|学校|小学|中学|幼儿园|协会|学会|联合会|政府|厅|公司|集团|"
    r"街道办事处|办事处|机关|监狱|医院|总队|支队|大队|分局|部)$"
)


@dataclass
class Row:
    """One body row: its source line, its position among the body rows, cells padded to the grid width."""

    index: int
    line: Line
    cells: list[str]
    lines: list[Line] = field(default_factory=list)  # every source line joined into this row

    def cell(self, col: int | None) -> str:
        """The cell at ``col`` ('' when out of range or ``None``)."""
        if col is None or col < 0 or col >= len(self.cells):
            return ""
        return self.cells[col]


@dataclass
class Grid:
    """A table: header rows, one header path per column (top label first), body rows."""

    title: str
    header: list[list[str]]
    paths: list[tuple[str, ...]]
    body: list[Row]
    reading: str = AS_PRINTED  # what this reading chose, where several are possible (see grid_readings)
    notes: list[tuple[str, dict, Line]] = field(default_factory=list)  # (rule, template params, line) of each repair
    pairs: tuple[Pair, ...] = ()  # a two-sided table's label/amount pairs of columns (see side_pairs)
    name: str = ""  # a list of a side-by-side table: the header label spanning its columns (see sub_grid)

    @property
    def width(self) -> int:
        return len(self.paths)

    def column(self, pattern: str, exclude: str | None = None, start: int = 0) -> int | None:
        """The first column (from ``start``) whose header path matches ``pattern`` (see :func:`find_columns`)."""
        cols = [c for c in find_columns(self.paths, pattern, exclude) if c >= start]
        return cols[0] if cols else None

    def columns(self, pattern: str, exclude: str | None = None) -> list[int]:
        return find_columns(self.paths, pattern, exclude)


# --- cells and rows -----------------------------------------------------------


def cells_of(line: Line) -> list[str]:
    """A line's cells, cleaned (tags, ``**``, repeated spaces removed)."""
    return [clean_cell(c) for c in line.cells]


def strip_numbering(label: str) -> str:
    """``'五、上年结转'`` → ``'上年结转'``; whitespace removed (labels wrap and are letter-spaced)."""
    return _NUMBERING.sub("", squash(label))


def is_total_label(text: str) -> bool:
    """True for a 合计/总计 label cell (not ``“三公”经费合计``, which names a column)."""
    return strip_numbering(text) in TOTAL_LABELS


def is_marker_row(cells: list[str]) -> bool:
    """``** ** 1 2 3 …`` / ``栏次 1 2 3`` column-number rows, ``5=6+7`` rows and markdown ``---`` separators."""
    values = [squash(c) for c in cells if squash(c)]
    if values and all(_SEPARATOR.match(v) for v in values):
        return True
    values = [v for v in values if v not in _ROW_LABELS]
    if not values:
        return False
    if all(_SEPARATOR.match(v) for v in values):
        return True
    if not all(v.strip("*") == "" or _COLUMN_NO.match(v) for v in values):
        return False
    numbers = [int(re.match(r"\d+", v)[0]) for v in values if v.strip("*")]
    if not numbers:
        return True
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _is_code_level_label(text: str) -> bool:
    """``类`` / ``款`` / ``项`` / ``类 款 项``: the labels over split code columns."""
    return bool(re.fullmatch(r"[类款项]+", squash(text)))


def is_labelled_marker_row(cells: list[str]) -> bool:
    """``类 款 项 | 栏次 | 1 | 2 | 3``: code-level labels beside column numbers (a header row, not data)."""
    labels = [c for c in cells if _is_code_level_label(c)]
    return bool(labels) and is_marker_row([c for c in cells if not _is_code_level_label(c)])


def _header_labels(cells: list[str]) -> list[str]:
    """A header row as the header paths use it: a labelled marker row keeps only its 类/款/项 labels."""
    if is_labelled_marker_row(cells):
        return [c if _is_code_level_label(c) else "" for c in cells]
    return cells


def is_preamble_row(cells: list[str]) -> bool:
    """A row holding only ``单位名称：…`` / ``单位：万元`` / ``公开01表`` cells, above the header."""
    values = [c for c in cells if c.strip()]
    return bool(values) and all(_PREAMBLE.match(v) for v in values)


def has_amount(cells: Iterable[str]) -> bool:
    """True when some cell is a number."""
    return any(squash(c) and try_amount(c) is not None for c in cells)


def is_code(text: str) -> bool:
    """A classification or unit code cell (digits only, at least two)."""
    return bool(_CODE.match(squash(text)))


def split_code(text: str) -> tuple[str, str]:
    """``'2080505 机关事业…'`` → ``('2080505', '机关事业…')``; ``('', text)`` when it starts with no code."""
    m = _CODE_AND_NAME.match(clean_cell(text))
    return (m[1], m[2].strip()) if m else ("", text)


def is_functional_code(code: str) -> bool:
    """A 功能分类 code: 类 (3 digits), 款 (5) or 项 (7), starting with 2."""
    return bool(_FUNCTIONAL.match(code))


def is_economic_code(code: str) -> bool:
    """A 经济分类 code: 类 (3 digits) or 款 (5), starting with 3 (部门) or 5 (政府)."""
    return bool(_ECONOMIC.match(code))


def looks_like_org(name: str) -> bool:
    """True for the name of an organisation (…局, …本级, …中心), not of a 科目."""
    return bool(_ORG_NAME.search(squash(name)))


def is_unit_code(code: str, name: str) -> bool:
    """Decide whether a code cell in a 单位/科目 column names a budget unit.

    Codes with a leading zero or of a shape no 功能科目 has (2, 4, 6 digits; not
    starting with 2) are units; a functional-shaped code is a unit only when
    its name is an organisation's name.
    """
    code = squash(code)
    if not is_code(code):
        return False
    if code.startswith("0") or not is_functional_code(code):
        return True
    return looks_like_org(name)


def is_continuation(cells: list[str], anchor_cols: Iterable[int] = ()) -> bool:
    """A wrapped-text row: some text, no number, nothing in the anchor (code) columns, no 合计 label."""
    if not any(c.strip() for c in cells) or has_amount(cells):
        return False
    if any(0 <= c < len(cells) and cells[c].strip() for c in anchor_cols):
        return False
    return not any(is_total_label(c) for c in cells)


def join_wrapped(rows: list[Row], is_cont: Callable[[Row], bool]) -> list[Row]:
    """Join each continuation row into the row before it, cell by cell (texts joined with a space).

    A continuation before any other row is dropped.  Callers squash names afterwards.
    """
    out: list[Row] = []
    for row in rows:
        if out and is_cont(row):
            prev = out[-1]
            for i, text in enumerate(row.cells):
                if text.strip() and i < len(prev.cells):
                    prev.cells[i] = f"{prev.cells[i]} {text}".strip()
            prev.lines.append(row.line)
            continue
        if is_cont(row) and not out:
            continue
        out.append(Row(row.index, row.line, list(row.cells), [row.line]))
    return out


# --- header ---------------------------------------------------------------------


def is_data_row(cells: list[str]) -> bool:
    """A row that starts the body: a number, or a code in the first cells (a header may say 合计 too);
    not a row whose only numbers are years (``项目 | 2024 | 2025``: column labels)."""
    return (has_amount(cells) or any(is_code(c) for c in cells[:3])) and not _is_year_row(cells)


def _is_year_row(cells: list[str]) -> bool:
    """Every cell that reads as a number is a year (``2024``), and there are two or more (one number alone
    may be an amount in 元 that looks like a year)."""
    numeric = [squash(c) for c in cells if squash(c) and (try_amount(c) is not None or is_code(c))]
    return len(numeric) >= 2 and all(_YEAR.fullmatch(v) for v in numeric)


def header_paths(header: list[list[str]], width: int) -> list[tuple[str, ...]]:
    """For each column, the header labels above it, top first, whitespace removed.

    A label spans rightwards over blank cells of its row, within its parent's span:
    ``基本支出 _ _`` over ``小计 工资福利支出 商品和服务支出`` gives
    ``('基本支出', '小计')``, ``('基本支出', '工资福利支出')`` ….  A label wrapped over rows of the same
    span (``科目`` over ``编码``, ``基本`` over ``支出``) is one label where :func:`is_wrapped_label` says so;
    the first piece of a wrapped label does not span over the blank beside it when the row below fills
    that blank with a label of its own (``科目 _`` over ``编码 合计``: 合计 printed on the second line).
    """
    rows = [[squash(c) for c in row] + [""] * max(0, width - len(row)) for row in header]
    chains: list[list[tuple[str, tuple[int, int]]]] = [[] for _ in range(width)]
    spans = [(0, width - 1)]
    for r, cells in enumerate(rows):
        below = rows[r + 1] if r + 1 < len(rows) else [""] * width
        new_spans = []
        for lo, hi in spans:
            starts = [c for c in range(lo, hi + 1) if cells[c]]
            if not starts:
                new_spans.append((lo, hi))
                continue
            if starts[0] > lo:
                new_spans.append((lo, starts[0] - 1))
            for k, s in enumerate(starts):
                e = starts[k + 1] - 1 if k + 1 < len(starts) else hi
                if e > s and all(below[s:e + 1]) and _joined_says_more(cells[s], below[s]):
                    new_spans.append((s + 1, e))  # blank here: the columns' labels are in the row below
                    e = s
                for c in range(s, e + 1):
                    chains[c].append((cells[s], (s, e)))
                new_spans.append((s, e))
        spans = sorted(new_spans)
    return [tuple(_join_wrapped(chain)) for chain in chains]


def _join_wrapped(chain: list[tuple[str, tuple[int, int]]]) -> list[str]:
    """A column's labels (each with its span), the pieces of one wrapped label joined."""
    out: list[tuple[str, tuple[int, int]]] = []
    for label, span in chain:
        if out and out[-1][1] == span and is_wrapped_label(out[-1][0], label):
            out[-1] = (out[-1][0] + label, span)
        else:
            out.append((label, span))
    return [label for label, _ in out]


def is_wrapped_label(upper: str, lower: str) -> bool:
    """True when ``upper`` over ``lower`` in the same span are one label wrapped, not a group over its part.

    By meaning: the upper piece is no column label on its own, cut inside a word (``基本`` over ``支出``,
    ``功能分`` over ``类科目``) or inside brackets (``上年结转（`` over ``结余）``); or a role's wording only the
    joined text holds, across the cut (``科目`` + ``名称`` = 科目名称, ``项目`` + ``支出`` = 项目支出).  A label
    over a part that joined says nothing more (``项目支出`` over ``小计``, ``项目`` over ``功能分类科目``) is a
    group and its part.
    """
    if is_preamble_row([upper]):
        return False  # ``单位：万元`` printed above a column is no part of its label
    if not roles_of((upper,)) or _open_bracket(upper):
        return True
    return _joined_says_more(upper, lower)


# roles a column's own label says (not the 收入/支出 halves of a 收支总表, which head groups of columns)
_LABEL_ROLES = tuple(r for r in COLUMN_ROLES if r not in (INCOME_SIDE, EXPENDITURE_SIDE))


def _joined_says_more(upper: str, lower: str) -> bool:
    """A role's wording that ``upper + lower`` holds across the cut, and the lower piece does not say alone
    (``项目`` over ``科目``: 科目 names the column by itself, 项目 is a group over it)."""
    joined, cut = normal_path((upper + lower,)), len(normal_path((upper,)))
    return any(m.start() < cut < m.end() and role.matches((joined,))
               and not role.matches((lower,))
               for role in _LABEL_ROLES for m in re.finditer(role.wordings, joined))


def _open_bracket(text: str) -> bool:
    """More opening than closing brackets: the text was cut inside a bracket."""
    s = fold_brackets(text)
    return s.count("(") > s.count(")")


def find_columns(paths: list[tuple[str, ...]], pattern: str, exclude: str | None = None) -> list[int]:
    """Columns whose header path (labels joined by ``/``) matches ``pattern`` and not ``exclude``."""
    rx = re.compile(pattern)
    ex = re.compile(exclude) if exclude else None
    out = []
    for c, path in enumerate(paths):
        joined = "/".join(path)
        if rx.search(joined) and not (ex and ex.search(joined)):
            out.append(c)
    return out


def group_columns(paths: list[tuple[str, ...]], pattern: str) -> list[int]:
    """The columns whose values add up to the header group matching ``pattern`` (e.g. ``^项目支出``).

    A leaf column is itself; a group with its own column or a child heading its total
    (:func:`is_group_total`) gives that column; otherwise the sub-groups' subtotals, recursively
    (``项目支出`` = ``部门项目/小计`` + ``公共项目/小计``).  ``[]`` when no group matches.
    """
    rx = re.compile(pattern)
    for c, path in enumerate(paths):
        for depth, label in enumerate(path):
            if rx.search(label):
                members = [j for j, p in enumerate(paths) if p[: depth + 1] == path[: depth + 1]]
                return _subtotal_columns(paths, members, depth)
    return []


def is_group_total(group: str, label: str) -> bool:
    """``label`` under ``group`` heads the group's own total: ``小计`` / ``合计``, or the group's name with a
    total word (``本年支出合计`` under ``本年支出``, ``基本支出合计`` under ``基本支出``)."""
    label, group = strip_numbering(label), strip_numbering(group)
    return label in TOTAL_LABELS or (label.startswith(group) and label[len(group):] in TOTAL_LABELS)


def _subtotal_columns(paths: list[tuple[str, ...]], members: list[int], depth: int) -> list[int]:
    if len(members) == 1:
        return members
    own = [j for j in members if len(paths[j]) == depth + 1]
    if own:
        return own[:1]
    subtotal = [j for j in members if is_group_total(paths[j][depth], paths[j][depth + 1])]
    if subtotal:
        return subtotal[:1]
    out: list[int] = []
    seen: set[str] = set()
    for j in members:
        label = paths[j][depth + 1]
        if label in seen:
            continue
        seen.add(label)
        sub = [k for k in members if paths[k][depth + 1] == label]
        out.extend(_subtotal_columns(paths, sub, depth + 1))
    return out


# --- the grid -------------------------------------------------------------------


def read_grid(block: Block) -> Grid:
    """The grid of a table block in the reading its parsers take: the one ``block.reading`` names (chosen by
    reconciliation, :mod:`ingest.reconcile.readings`), else the most likely (the first of :func:`grid_readings`)."""
    readings = grid_readings(block)
    return next((g for g in readings if g.reading == block.reading), readings[0])


def grid_readings(block: Block) -> list[Grid]:
    """The readings of a table block, the most likely first; each grid's ``reading`` says what it chose.

    Preamble rows (``单位：万元``), marker rows and separators are dropped.  The header is every row before
    the first data row (a number, a code, a 合计); a body row that repeats a header row (the header printed
    again on the next page) is dropped.  Columns blank in every row (spacers: ``收入总计 | | 11,109.32``) are
    dropped.  A body row with fewer cells than the grid whose amounts would land in columns that hold no
    amounts elsewhere (a 合计 row whose label cell spans the code and name columns) has its amounts placed
    in the amount columns: from the first when it has as many amounts as there are amount columns or fewer
    (the export dropped its trailing blanks), the latter also right-aligned as a second reading.  In a two-sided
    table (收支总表) a short row is fitted to the label/amount pairs instead, one reading per way it fits
    (:func:`_side_readings`: is its one amount the income side's or the expenditure side's?).  Where a
    reading repaired something, ``grid.notes`` says what (:func:`grid_findings` turns them into findings).
    A column whose label took a role by similarity (``block.column_roles``) has that role's label in its path.
    The readings are read once per block (and again only when its title, lines or column roles change); the
    grids are shared, so callers do not change them.
    """
    key = (block.title, len(block.lines), id(block.lines[-1]) if block.lines else None,
           tuple(sorted(block.column_roles.items())))
    if block.readings_memo is None or block.readings_memo[0] != key:
        block.readings_memo = (key, _read_readings(block))
    return block.readings_memo[1]


def _read_readings(block: Block) -> list[Grid]:
    header, body_lines, repeats = _split_header(block)
    width = max([len(h) for h in header] + [len(c) for _, c in body_lines] + [0])
    spacers = [c for c in range(width)
               if not any(c < len(r) and r[c].strip() for r in header + [cells for _, cells in body_lines])]
    if spacers:
        header = [_without(h, spacers) for h in header]
        body_lines = [(ln, _without(cells, spacers)) for ln, cells in body_lines]
        width -= len(spacers)
    paths = _with_roles(header_paths(header, width), block.column_roles)
    pairs = tuple(side_pairs(paths, [cells for _, cells in body_lines], width)) if block.role in TWO_SIDED else ()
    if pairs:
        readings = _side_readings(body_lines, list(pairs), width)
    else:
        readings = _short_row_readings(body_lines, width)
    grids = []
    for what, moved in readings:
        cells_of_row = [cells for _, cells in body_lines]
        notes: list[tuple[str, dict, Line]] = [("grid_repeated_header", {}, ln) for ln in repeats]
        if spacers:
            notes.append(("grid_spacer_columns", {"columns": "、".join(str(c + 1) for c in spacers)}, block.lines[0]))
        for i, cells in moved:
            ln = body_lines[i][0]
            notes.append(("grid_short_row", {"cells": len(cells_of_row[i]), "width": width, "reading": what}, ln))
            cells_of_row[i] = cells
        body = [Row(i, ln, cells + [""] * (width - len(cells)), [ln])
                for i, ((ln, _), cells) in enumerate(zip(body_lines, cells_of_row))]
        grids.append(Grid(block.title or "", header, paths, body, what, notes, pairs))
    return grids


Readings = list[tuple[str, list[tuple[int, list[str]]]]]  # per reading: its name, (body row, cells placed)


def _short_row_readings(body_lines: list[tuple[Line, list[str]]], width: int) -> Readings:
    """A coded or list table's readings: short rows from the first amount column, and right-aligned."""
    placements = _short_row_placements(body_lines, width)
    if not placements:
        return [(AS_PRINTED, [])]
    readings = [(SHORT_FROM_FIRST, [(i, left) for i, left, _ in placements]),
                (SHORT_RIGHT_ALIGNED, [(i, right) for i, _, right in placements])]
    return readings[:1] if all(left == right for _, left, right in placements) else readings


# --- two-sided tables (收支总表) ------------------------------------------------------

MAX_SIDE_READINGS = 16  # readings at most; beyond this many combinations, each ambiguous row is varied alone
MAX_FIT_STEPS = 2000  # a row that takes more steps to fit (or fits more ways than the above) is left as printed


@dataclass(frozen=True)
class Pair:
    """One label/amount pair of columns of a two-sided table (its 行次 column between, if any)."""

    label: int
    amount: int
    row_number: int | None = None
    side: str = "income"  # income | expenditure


def side_pairs(paths: list[tuple[str, ...]], rows: list[list[str]], width: int) -> list[Pair]:
    """The label/amount pairs of a two-sided table, left to right: each amount column (of its full rows) with
    the nearest column to its left that is neither an amount nor a 行次 column; a pair on the expenditure side
    (from the column headed ``支出``, else every pair but the first) says so."""
    amounts = amount_columns(rows, width)
    numbers = {c for c in range(width) if paths[c] and ROW_NUMBER.matches(paths[c][-1:])}
    split = column(paths, EXPENDITURE_SIDE)
    pairs: list[Pair] = []
    for a in amounts:
        c, row_number = a - 1, None
        while c >= 0 and c in numbers:
            row_number, c = c, c - 1
        if c < 0 or c in amounts or (pairs and c <= pairs[-1].amount):
            continue
        side = "expenditure" if (c >= split if split is not None and split > 0 else bool(pairs)) else "income"
        pairs.append(Pair(c, a, row_number, side))
    return pairs if len(pairs) > 1 else []


def _side_options(cells: list[str], pairs: list[Pair], width: int) -> list[tuple[str, list[str]]]:
    """Every way the printed cells of a short row fit the pairs, in order: each label in a pair's label column
    (pairs left to right), the amounts after a label in its pair (a bare number first in its 行次 column where
    it has one), amounts before any label in pairs of their own; each named by the side its amounts (without amounts: its
    labels) were put on.  The leftmost fit first; none for a row that fits too many ways to choose among."""
    tokens = [c for c in cells if squash(c)]
    out: list[tuple[str, list[str]]] = []
    budget = [MAX_FIT_STEPS]

    def fit(i: int, free: int, current: int | None, filled: frozenset, placed: dict[int, str], sides: tuple):
        budget[0] -= 1
        if budget[0] < 0 or len(out) > MAX_SIDE_READINGS:
            return
        if i == len(tokens):
            row = [""] * width
            for col, text in placed.items():
                row[col] = text
            named = [side for kind, side in sides if kind == "amount"] or [side for _, side in sides]
            out.append(("+".join(dict.fromkeys(named)), row))
            return
        text = tokens[i]
        if try_amount(text) is None:  # a label: in any later pair
            for q in range(free, len(pairs)):
                fit(i + 1, q + 1, q, frozenset(), {**placed, pairs[q].label: text}, sides + (("label", pairs[q].side),))
            return
        if current is None:  # an amount before any label: a pair of its own
            for q in range(free, len(pairs)):
                fit(i + 1, q + 1, None, frozenset(), {**placed, pairs[q].amount: text},
                    sides + (("amount", pairs[q].side),))
            return
        pair = pairs[current]
        if pair.row_number is not None and "row_number" not in filled and "amount" not in filled \
                and re.fullmatch(r"\d{1,3}", squash(text)):
            fit(i + 1, free, current, filled | {"row_number"}, {**placed, pair.row_number: text}, sides)
        if "amount" not in filled:
            fit(i + 1, free, current, filled | {"amount"}, {**placed, pair.amount: text},
                sides + (("amount", pair.side),))

    fit(0, 0, None, frozenset(), {}, ())
    if budget[0] < 0 or len(out) > MAX_SIDE_READINGS:
        return []  # too many ways to fit: the row is left as printed
    unique: dict[tuple[str, ...], tuple[str, list[str]]] = {}
    for sides, row in out:
        unique.setdefault(tuple(row), (sides, row))
    return list(unique.values())


def _fits_as_printed(cells: list[str], pairs: list[Pair]) -> bool:
    """Every printed cell of a row sits where its kind belongs: a label in a label column, an amount in an
    amount column (a bare number also in a 行次 column)."""
    labels = {p.label for p in pairs}
    amounts = {p.amount for p in pairs}
    numbers = {p.row_number for p in pairs if p.row_number is not None}
    for c, text in enumerate(cells):
        if not squash(text):
            continue
        if try_amount(text) is None:
            if c in amounts or c in numbers:
                return False
        elif c not in amounts and not (c in numbers and re.fullmatch(r"\d{1,3}", squash(text))):
            return False
    return True


def _side_readings(body_lines: list[tuple[Line, list[str]]], pairs: list[Pair], width: int) -> Readings:
    """A two-sided table's readings.  A row with fewer cells than the grid (blank cells or a merged label cell
    not printed) and an amount in it may fit the pairs more than one way: ``三、住房保障支出 | 120.00`` is the
    income side's line as printed, or the expenditure side's with the income side's blanks not printed.  A row
    whose cells, as printed, do not sit in columns of their kind is fitted from the leftmost fit; one that does
    keeps its print as the first reading.  One reading per combination of fits (beyond
    :data:`MAX_SIDE_READINGS` combinations, each row varied alone), the first the most likely."""
    fixed: list[tuple[int, list[str]]] = []
    ambiguous: list[tuple[int, list[tuple[str, list[str] | None]]]] = []  # None: the row as printed
    for i, (_, cells) in enumerate(body_lines):
        printed = cells[:len(row_key(cells))]
        if len(printed) >= width or not has_amount(printed):
            continue
        options: list[tuple[str, list[str] | None]] = list(_side_options(printed, pairs, width))
        if _fits_as_printed(printed, pairs):
            as_printed = printed + [""] * (width - len(printed))
            options = [("printed", None)] + [o for o in options if o[1] != as_printed]
        if len(options) == 1 and options[0][1] is not None:
            fixed.append((i, options[0][1]))
        elif len(options) > 1:
            ambiguous.append((i, options))
    if not ambiguous:
        return [("短行放入其所属一侧" if fixed else AS_PRINTED, fixed)]
    if math.prod(len(options) for _, options in ambiguous) <= MAX_SIDE_READINGS:
        combos = list(itertools.product(*(range(len(options)) for _, options in ambiguous)))
    else:
        combos = [tuple(0 for _ in ambiguous)] + [tuple(k if j == r else 0 for j in range(len(ambiguous)))
                                                  for r, (_, options) in enumerate(ambiguous)
                                                  for k in range(1, len(options))][:MAX_SIDE_READINGS - 1]
    readings: Readings = []
    for combo in combos:
        moved = list(fixed)
        named = []
        for (i, options), k in zip(ambiguous, combo):
            sides, row = options[k]
            if row is not None:
                named.append(f"第 {body_lines[i][0].no} 行放入{'、'.join(SIDES[s] for s in sides.split('+'))}一侧")
                moved.append((i, row))
        name = "短行分放两侧：" + "，".join(named) if named else AS_PRINTED
        readings.append((name, sorted(moved)))
    return readings


def _with_roles(paths: list[tuple[str, ...]], roles: dict[int, str]) -> list[tuple[str, ...]]:
    """The header paths, each column's last label replaced by the role label similarity gave it (if any)."""
    return [p[:-1] + (roles[c],) if c in roles and p else p for c, p in enumerate(paths)]


def grid_findings(block: Block, doc_id: str) -> list[Finding]:
    """What the reading of a table block its parsers take repaired, as findings at the lines concerned."""
    grid = read_grid(block)
    return [finding(rule, line.provenance(doc_id, table=block.title), (line.plain[:80],), table=block.title, **params)
            for rule, params, line in grid.notes]


def _split_header(block: Block) -> tuple[list[list[str]], list[tuple[Line, list[str]]], list[Line]]:
    """The header rows' labels, the body rows (line, cells) and the header rows printed again among them;
    preamble and marker rows dropped.  A part of a table (``block.head``) that prints no header of its own
    has the header printed above the parts."""
    header: list[list[str]] = []
    body_lines: list[tuple[Line, list[str]]] = []
    repeats: list[Line] = []
    in_body = False
    rows = [ln for ln in block.lines if ln.is_row]
    first = next((cells_of(ln) for ln in rows if not is_preamble_row(cells_of(ln))), None)
    if block.head and first is not None and is_data_row(first):
        rows = [ln for ln in block.head if ln.is_row] + rows
    for ln in rows:
        cells = cells_of(ln)
        if not any(cells) or is_preamble_row(cells) or is_marker_row(cells):
            continue
        if not in_body and (not is_data_row(cells) or is_labelled_marker_row(cells)):
            header.append(_header_labels(cells))
            continue
        if in_body and _repeats_header(cells, header):
            repeats.append(ln)
            continue
        in_body = True
        body_lines.append((ln, cells))
    return header, body_lines, repeats


def row_key(cells: list[str]) -> tuple[str, ...]:
    """A row as compared with another: cells squashed, trailing blanks dropped (exports drop them)."""
    key = [squash(c) for c in cells]
    while key and not key[-1]:
        key.pop()
    return tuple(key)


def _repeats_header(cells: list[str], header: list[list[str]]) -> bool:
    """A row that is one of the header rows again (a continued table's header, reprinted on its next page)."""
    key = row_key(cells)
    return bool(key) and any(key == row_key(h) for h in header)


def _without(cells: list[str], cols: list[int]) -> list[str]:
    return [c for i, c in enumerate(cells) if i not in cols]


def _is_plain_amount(text: str) -> bool:
    """An amount as an amount column prints it (``1,200.00``, ``-3.5``), not a bare code like ``201``."""
    s = squash(text)
    return bool(s) and try_amount(s) is not None and bool(re.search(r"[.,]|^-", s))


def amount_columns(rows: list[list[str]], width: int) -> list[int]:
    """The columns of full-width rows holding amounts, and nothing but amounts or blanks."""
    full = [r for r in rows if len(r) >= width]
    out = []
    for c in range(width):
        values = [squash(r[c]) for r in full if squash(r[c])]
        if values and any(_is_plain_amount(v) for v in values) and all(try_amount(v) is not None for v in values):
            out.append(c)
    return out


def _short_row_placements(body_lines: list[tuple[Line, list[str]]], width: int
                          ) -> list[tuple[int, list[str], list[str]]]:
    """For each short body row (fewer cells than the grid, trailing blanks not counted) whose amounts, as
    printed, fall outside the amount columns: its index and its cells with the amounts placed from the first
    amount column, and right-aligned."""
    rows = [cells for _, cells in body_lines]
    amounts = amount_columns(rows, width)
    out = []
    for i, cells in enumerate(rows):
        cells = cells[:len(row_key(cells))]  # trailing blank cells (a reader's padding) are not printed cells
        if len(cells) >= width or not amounts:
            continue
        first = next((k for k, c in enumerate(cells) if _is_plain_amount(c)), None)
        if first is None:
            continue
        tail = cells[first:]
        if any(squash(c) and try_amount(c) is None for c in tail) or len(tail) > len(amounts):
            continue
        if all(first + k in amounts for k, c in enumerate(tail) if squash(c)):
            continue  # as printed, the amounts sit in amount columns: trailing blanks were dropped
        labels = cells[:first]
        if any(c >= amounts[0] for c in range(len(labels))):
            continue  # its labels would overlap the amount columns
        out.append((i, _place(labels, tail, amounts[:len(tail)], width),
                    _place(labels, tail, amounts[-len(tail):], width)))
    return out


def _place(labels: list[str], values: list[str], cols: list[int], width: int) -> list[str]:
    cells = list(labels) + [""] * (width - len(labels))
    for c, v in zip(cols, values):
        cells[c] = v
    return cells


def sub_grid(grid: Grid, lo: int, hi: int) -> Grid:
    """Columns ``lo`` .. ``hi - 1`` of ``grid`` as a grid of their own (for side-by-side tables).

    A header label spanning every column of the slice (``人员经费`` over its code, name and amount
    columns) names the slice (``name``) and is dropped from the paths.
    """
    paths = [list(p) for p in grid.paths[lo:hi]]
    names = []
    while paths and all(len(p) > 1 for p in paths) and len({p[0] for p in paths}) == 1:
        names.append(paths[0][0])
        paths = [p[1:] for p in paths]
    body = [Row(r.index, r.line, r.cells[lo:hi], list(r.lines)) for r in grid.body]
    return Grid(grid.title, [h[lo:hi] for h in grid.header], [tuple(p) for p in paths], body, grid.reading,
                name="/".join(names))


def amount(ctx: Context, row: Row, col: int | None, unit: str, table: str | None) -> Decimal | None:
    """The amount in ``row`` at ``col`` in 万元; ``None`` for a blank cell; a warning for a malformed one."""
    text = row.cell(col)
    try:
        return parse_amount(text, unit)
    except NumberError:
        ctx.warn("malformed_amount", ctx.prov(row.line, table=table, row=row.index), text,
                 table=table, column=col, text=text)
        return None


def amount_sum(ctx: Context, row: Row, cols: list[int], unit: str, table: str | None) -> Decimal | None:
    """The sum of the amounts in ``cols``; ``None`` when every cell is blank."""
    values = [amount(ctx, row, c, unit, table) for c in cols]
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


# --- budget units -----------------------------------------------------------------


def _bare(code: str | None) -> str:
    return (code or "").lstrip("0")


def add_unit(ctx: Context, code: str, name: str, provenance) -> None:
    """Record a budget unit once per code.  A code that is a proper prefix of another unit's
    code is the department's own aggregate row (``26`` over ``26001``) and is not a unit."""
    code, name = squash(code), squash(name)
    bare = _bare(code)
    if any(_bare(u.code) == bare for u in ctx.units if u.code):
        return
    if any(_bare(u.code).startswith(bare) and _bare(u.code) != bare for u in ctx.units if u.code):
        return
    ctx.units[:] = [u for u in ctx.units if not (u.code and bare.startswith(_bare(u.code)))]
    ctx.units.append(Unit(name=name, code=code, provenance=provenance))

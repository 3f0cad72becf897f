"""Damaged code cells of a coded table, repaired from their parents and children — or left out, never invented.

A 功能分类 code is 类 (3 digits) + 款 (2) + 项 (2); a 经济分类 code 类 (3) + 款 (2).  A cell can come out
damaged: the 类 cell of a row printed as ``7`` instead of ``210``, a 款 cell ``2`` that lost its leading
zero.  A candidate code is taken from what surrounds the row (the 类 in force above it, the code its
children share, the zero a two-digit level lost) and accepted only when the amounts confirm it: the row's
合计 equals the sum of its children, or, for a row without children, its parent's 合计 equals the sum of
the parent's children with the row among them.  A candidate already present, or one the amounts do not
confirm, is rejected: the row is left out with a warning.

Before any repair, rows that print only their own part (``208`` then ``| 05 |`` then ``| | 01``, the
national 类/款/项 layout) get the code of the rows above them; that is a reading, not a repair.  A part
printed as a number (``301`` then ``| 2``, where the column never prints a leading zero) is padded with a
warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Figure
from .figures import tolerance, total_of

# The 类 of the national classifications (2024 edition): a repaired code must start with one of them.
FUNCTIONAL_CLASSES = frozenset(str(c) for c in (*range(201, 224), 227, 229, 230, 231, 232, 233, 234))
ECONOMIC_CLASSES = frozenset(str(c) for c in (301, 302, 303, 307, 309, 310, 311, 312, 313, 399,
                                              *range(501, 515), 599))
LEVEL_WIDTHS = (3, 2, 2)  # 类, 款, 项
LEVEL_STARTS = (0, 3, 5)


@dataclass(frozen=True)
class CodeCells:
    """One row as its code cells print it: ``levels`` (one cell, or the 类 | 款 | 项 cells), the code read
    from them (``''`` when none), the row's 合计 figure."""

    levels: tuple[str, ...]
    code: str
    total: Figure | None


@dataclass(frozen=True)
class Repair:
    """The code a row gets (``''``: left out) and, where its cells were damaged, what was done."""

    code: str
    note: str | None = None


def _digits(text: str) -> bool:
    return bool(re.fullmatch(r"\d+", text))


def _split_damaged(levels: tuple[str, ...]) -> bool:
    """类 | 款 | 项 cells of which one is digits narrower than its level, or blank above a printed level.

    A cell wider than its level holds a whole code (``| 20805 |`` under 款): not damaged."""
    present = [i for i, cell in enumerate(levels) if cell]
    if not present or not all(_digits(levels[i]) for i in present):
        return False
    widths = [(len(levels[i]), LEVEL_WIDTHS[min(i, 2)]) for i in present]
    if any(n > width for n, width in widths):
        return False
    return any(n < width for n, width in widths) or present != list(range(present[-1] + 1))


def is_damaged(cells: CodeCells, valid) -> bool:
    """True when the row's code cells hold digits that make no valid code (``valid(code)``)."""
    if len(cells.levels) > 1:
        return _split_damaged(cells.levels)
    text = cells.levels[0] if cells.levels else ""
    return _digits(text) and not valid(text) and len(text) < 3


def _sum_check(parent: Figure | None, children: list[Figure | None]) -> bool:
    present = [c for c in children if c is not None]
    if parent is None or parent.amount is None or not present:
        return False
    total = total_of(present, "")
    return abs(parent.amount - total.amount) <= tolerance(parent, total)


def _children(rows: list[CodeCells], codes: list[str], i: int, code: str) -> list[Figure | None]:
    """The totals of the rows after ``i`` one level below ``code`` (until the block under ``code`` ends)."""
    out = []
    for j in range(i + 1, len(rows)):
        c = codes[j]
        if not c or not c.startswith(code) or len(c) <= len(code):
            if c and not c.startswith(code):
                break
            continue
        if len(c) == len(code) + 2:
            out.append(rows[j].total)
    return out


def _confirmed(rows: list[CodeCells], codes: list[str], i: int, code: str) -> bool:
    """The amounts confirm ``code`` for row ``i``: as a parent of the rows under it, or as a child of its parent."""
    kids = _children(rows, codes, i, code)
    if kids:
        return _sum_check(rows[i].total, kids)
    if len(code) <= 3:
        return False
    parent = code[:-2]
    k = next((j for j in range(i - 1, -1, -1) if codes[j] == parent), None)
    if k is None:
        return False
    trial = codes[:i] + [code] + codes[i + 1 :]
    return _sum_check(rows[k].total, _children(rows, trial, k, parent))


def _part_columns(rows: list[CodeCells]) -> set[int]:
    """The 款 / 项 columns that print their level's part as a number (``2``, ``10``: a spreadsheet drops the
    leading zero), where a short cell is a part to pad.  Where a column prints full codes (``20805``) or
    parts with their zero (``05``), a short cell is damaged."""
    out = set()
    for k in range(1, max((len(r.levels) for r in rows), default=0)):
        cells = [r.levels[k] for r in rows if len(r.levels) > k and _digits(r.levels[k])]
        width = LEVEL_WIDTHS[min(k, 2)]
        if any(len(c) < width for c in cells) and not any(len(c) > width or c.startswith("0") for c in cells):
            out.add(k)
    return out


def _candidates(rows: list[CodeCells], codes: list[str], i: int, valid, parts: set[int]) -> list[str]:
    """Codes row ``i`` may have been printed for, from the 类 / 款 above it and the code of the row after it."""
    levels = rows[i].levels
    above = next((codes[j] for j in range(i - 1, -1, -1) if codes[j]), "")
    below = next((codes[j] for j in range(i + 1, len(rows)) if codes[j]), "")
    out: list[str] = []
    if len(levels) > 1:
        deepest = max(k for k, cell in enumerate(levels) if cell)
        for source in (above, below):
            code = ""
            for k in range(deepest + 1):
                width, start = LEVEL_WIDTHS[min(k, 2)], LEVEL_STARTS[min(k, 2)]
                cell = levels[k]
                if len(cell) == width:
                    code += cell
                elif cell and len(cell) < width and k in parts:
                    code += cell.zfill(width)  # a level that lost its leading zero
                else:
                    code += source[start : start + width]
            out.append(code)
    else:
        out += [below[:n] for n in (3, 5) if len(below) > n]
    return [c for c in dict.fromkeys(out)
            if valid(c) and c[:3] in FUNCTIONAL_CLASSES | ECONOMIC_CLASSES and c not in codes]


def sparse_level(levels: tuple[str, ...]) -> int | None:
    """The first printed level of 类 | 款 | 项 cells that print only the row's own parts (``| 05 |``,
    ``| | 01``, an economic ``| 2``): blank cells above it, digits no wider than their level from it on;
    ``None`` for any other cells."""
    present = [i for i, cell in enumerate(levels) if cell]
    if not present or present[0] == 0 or present != list(range(present[0], present[-1] + 1)):
        return None
    if not all(_digits(levels[i]) and len(levels[i]) <= LEVEL_WIDTHS[min(i, 2)] for i in present):
        return None
    return present[0]


def _prefix(rows: list[CodeCells], codes: list[str], i: int, first: int, valid) -> str:
    """The code in force above row ``i`` for a row printing levels from ``first`` on: the nearest valid
    code above; ``''`` when a row above at a higher level has no code (its 类 / 款 is unknown)."""
    for j in range(i - 1, -1, -1):
        if codes[j] and valid(codes[j]):
            return codes[j]
        printed = [k for k, cell in enumerate(rows[j].levels) if cell]
        if printed and printed[0] < first:
            return ""
    return ""


def _fill_sparse(rows: list[CodeCells], codes: list[str], valid, pad: set[int] = frozenset()) -> dict[int, str]:
    """Rows printing only their own 款 / 项 part get the code the rows above put them under
    (``208`` then ``| 05 |`` → ``20805``, then ``| | 01`` → ``2080501``); with ``pad`` (the part columns), a
    part printed there without its leading zero (``301`` then ``| 2``) is padded, unless another row has
    that code.  ``codes`` is updated; the padded rows' notes are returned."""
    notes: dict[int, str] = {}
    for i, row in enumerate(rows):
        first = None if codes[i] or len(row.levels) < 2 else sparse_level(row.levels)
        if first is None:
            continue
        short = [k for k in range(first, len(row.levels)) if row.levels[k]
                 and len(row.levels[k]) < LEVEL_WIDTHS[min(k, 2)]]
        if any(k not in pad for k in short):
            continue
        prefix = _prefix(rows, codes, i, first, valid)
        start = LEVEL_STARTS[min(first, 2)]
        if len(prefix) < start:
            continue
        parts = [row.levels[k].zfill(LEVEL_WIDTHS[min(k, 2)]) for k in range(first, len(row.levels)) if row.levels[k]]
        code = prefix[:start] + "".join(parts)
        if not valid(code) or code in codes:
            continue
        codes[i] = code
        if any(len(p) != len(row.levels[k]) for k, p in zip(range(first, len(row.levels)), parts)):
            notes[i] = (f"编码单元格“{' | '.join(row.levels)}”读作 {code}：该部分缺了前导零，按上方各行的编码归入 "
                        f"{prefix[:start]}")
    return notes


def repair_codes(rows: list[CodeCells], valid) -> list[Repair]:
    """Each row's code: parts printed alone completed from the rows above, damaged cells repaired where
    the amounts confirm one candidate, else left out."""
    codes = [r.code if not is_damaged(r, valid) else "" for r in rows]
    parts = _part_columns(rows)
    _fill_sparse(rows, codes, valid)
    notes = _fill_sparse(rows, codes, valid, parts)  # after every full part: a padded one takes no code twice
    _fill_sparse(rows, codes, valid)
    filled = set(i for i, c in enumerate(codes) if c) - {i for i, r in enumerate(rows) if not is_damaged(r, valid)}
    out = [Repair(c, notes.get(i)) for i, c in enumerate(codes)]
    for i, row in enumerate(rows):
        if i in filled or not is_damaged(row, valid):
            continue
        printed = " | ".join(row.levels)
        good = [c for c in _candidates(rows, codes, i, valid, parts) if _confirmed(rows, codes, i, c)]
        if len(good) == 1:
            codes[i] = good[0]
            out[i] = Repair(good[0], f"编码单元格“{printed}”读作 {good[0]}：其上级和下级科目的金额证实了这一编码")
        else:
            out[i] = Repair("", f"编码单元格“{printed}”已损坏，周围的金额不能证实任何编码：该行未读入")
    before = list(codes)
    _fill_sparse(rows, codes, valid, parts)  # parts under a 类 / 款 row repaired above
    for i, (old, new) in enumerate(zip(before, codes)):
        if new != old:
            out[i] = Repair(new, f"编码单元格“{' | '.join(rows[i].levels)}”读作 {new}：按上方各行修复后的编码归入 "
                                 f"{new[:-2]}")
    return out

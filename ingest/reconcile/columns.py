"""Which column is a table's 合计, by arithmetic: the one that equals 基本支出 + 项目支出 row by row.

Header wording can name more than one column 合计 (``本年收入合计 | … | 本年支出合计``, a 小计 under each
source) or none; the candidates are then weighed by the rows: the column on which 合计 = 基本 + 项目 holds for
the most rows wins, and a choice that differs from the wording's first is reported.
"""

from __future__ import annotations

from typing import Callable

from ..records import Figure
from .figures import tolerance, total_of

Cell = Callable[[int, int], Figure | None]  # (row index, column) → the figure printed there


def _agrees(total: Figure | None, parts: list[Figure]) -> bool:
    if total is None or total.amount is None or not parts:
        return False
    whole = total_of(parts, "")
    return abs(total.amount - whole.amount) <= tolerance(total, whole)


def total_column(candidates: list[int], first: int | None, parts: list[int], rows: int, cell: Cell) -> int | None:
    """The candidate on which 合计 = Σ ``parts`` (the 基本/项目 columns) holds for the most rows;
    ``first`` (the wording's choice) on a tie or when no candidate agrees anywhere."""
    if not parts or len(candidates) < 2:
        return first

    def score(col: int) -> int:
        return sum(_agrees(cell(r, col), [f for f in (cell(r, p) for p in parts) if f is not None])
                   for r in range(rows))

    scores = {c: score(c) for c in candidates}
    best = max(candidates, key=lambda c: (scores[c], c == first))
    return best if scores[best] > scores.get(first, 0) else first

"""The document's title and what it says: the budget year, the phase (预算/决算) and the organisation named."""

from __future__ import annotations

import re

from ..context import Context
from ..layout import Line
from ..normalise import fold_width, squash
from ..records import BUDGET, FINAL_ACCOUNT

CJK = re.compile(r"[\u4e00-\u9fff]")


def find_title(ctx: Context) -> Line | None:
    """The first text line near the top that names a budget or final account."""
    first = None
    for line in ctx.lines[:60]:
        text = line.plain
        if not text or line.is_row:
            continue
        first = first or line
        if re.search(r"预算|决算", text) and not re.match(r"\s*(?:[-*+]|\d+[.、])", line.text) and len(text) <= 80:
            return line
    return first


def title_lines(ctx: Context, line: Line | None) -> list[Line]:
    """The title line with the cover lines printed above it on its page (a name wrapped over lines:
    ``上海市普陀区规划和自然`` / ``资源局`` / ``2024 年度部门决算``)."""
    if line is None:
        return []
    lines = [line]
    for prev in reversed(ctx.lines[: ctx.lines.index(line)]):
        text = squash(prev.plain)
        if prev.is_row or prev.page != line.page or not text or len(text) > 30 or not CJK.match(text) \
                or re.search(r"[:：。，]", text):
            break
        lines.insert(0, prev)
    return lines


def title_text(ctx: Context, line: Line | None) -> str:
    """The title the :func:`title_lines` of ``line`` print."""
    lines = title_lines(ctx, line)
    return "".join(squash(ln.plain) for ln in lines[:-1]) + (lines[-1].plain if lines else "")


_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


def year_phase(title: str) -> tuple[int | None, str | None]:
    """``'上海市普陀区财政局2024年度部门决算'`` → ``(2024, 'final_account')``; phase ``None`` if unnamed."""
    s = fold_width(title)
    phase = FINAL_ACCOUNT if "决算" in s else BUDGET if "预算" in s else None
    years = list(_YEAR.finditer(s))
    year = None
    for m in years:  # the year that the 预算/决算 belongs to: "2024年度部门决算", "2023 年部门预算"
        if re.match(r"\s*度?\s*(?:部门|单位)?\s*(?:预算|决算)", s[m.end() :]):
            year = int(m[1])
    if year is None and years:
        year = int(years[0][1])
    return year, phase


DEPARTMENT_SCOPE = "department"  # 部门预算/部门决算: the department with all its units (Document.scope)
UNIT_SCOPE = "unit"  # 单位预算/单位决算: one budget unit
_UNIT_WORDS = re.compile(r"单位\s*(?:预算|决算)")
_DEPARTMENT_WORDS = re.compile(r"部门\s*(?:预算|决算)")


def scope(title: str) -> str:
    """``UNIT_SCOPE`` for a 单位预算/单位决算 title, else ``DEPARTMENT_SCOPE`` (部门预算/决算, or no word for it)."""
    s = fold_width(title)
    return UNIT_SCOPE if _UNIT_WORDS.search(s) and not _DEPARTMENT_WORDS.search(s) else DEPARTMENT_SCOPE


def title_unit(title: str) -> str:
    """The budget unit a 单位预算 title names, its ``（本级）`` kept, also where the title prints it last:
    ``'某局（本级）2025年单位预算'`` and ``'某局2025年单位预算（本级）'`` → ``'某局（本级）'``."""
    s = squash(fold_width(title))
    s = re.sub(r"(?:19|20)\d\d年度?", "", s)
    name, *after = re.split(r"(?:部门|单位)?(?:预算|决算)", s, maxsplit=1)
    name = name.strip("#*：:")
    own = re.match(r"[（(]本级[)）]", after[0]) if after else None
    return f"{name}{own[0]}" if own and not re.search(r"本级[)）]?$", name) else name


def title_name(title: str) -> str:
    """The organisation named in a title: ``'2026年江岸区医保局部门预算公开说明'`` → ``'江岸区医保局'``."""
    s = re.sub(r"(?:省|市|区|县)级$", "", title_unit(title))  # 上海市普陀区2025年区级部门预算: the level, no name
    return re.sub(r"[（(]?本级[)）]?$", "", s)

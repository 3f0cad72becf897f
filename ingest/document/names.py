"""The department's names: its full name voted across the places that give it, its region, its short names.

Labelled lines and cells (``编制部门：…``), the department rows of unit tables, ``…（本级）`` units and the
title each vote for a name; a vote for an abbreviation supports the longer name it abbreviates.
"""

from __future__ import annotations

import re
from collections import Counter

from ..context import Context
from ..normalise import squash
from .title import CJK, find_title, title_name, title_text


_LABEL = (r"(?:单位名称|填报单位|部门名称|部门[（(]单位[)）]名称|单位[（(]部门[)）]名称|编制单位|编制部门|预算单位名称|"
          r"项目主管部门|(?:预算)?主管部门)")
_LABELLED = re.compile(rf"^{_LABEL}[:：]?(?P<name>.*)$")
_LABELLED_INLINE = re.compile(rf"{_LABEL}[:：](?P<name>.*)$")  # mid-line: "2025年… 编制部门：某局 单位：元"
_LEVELS_ONLY = re.compile(r"(?:[\u4e00-\u9fff]{1,9}?(?:省|自治区|市|州|区|县|旗|盟))+")
_NAME_OK = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff（）()]{3,39}$")
_NOT_NAME = re.compile(r"(?:名称|编码|代码|合计|总计|科目|项目)$")


def _clean_name(text: str) -> str | None:
    s = re.split(r"(?:金额)?单位[:：]|[（(]?单位[:：]|[（(](?:万元|元)", squash(text))[0]
    s = re.sub(r"[（(]?本级[)）]?$", "", s)
    if _LEVELS_ONLY.fullmatch(s) and not _NOT_PLACE.search(s):
        return None  # a region only (上海市普陀区), not an organisation
    return s if _NAME_OK.match(s) and not _NOT_NAME.search(s) else None


def _row_name(cells: list[str]) -> str | None:
    """A unit-table row naming the department: ``303 | 武汉市江岸区医疗保障局`` or ``…001 | …本级``."""
    filled = [c for c in cells if c]
    if len(filled) < 2 or not re.fullmatch(r"\d{2,9}", filled[0]):
        return None
    if len(filled[0]) <= 3 or filled[1].endswith("本级"):
        return _clean_name(filled[1])
    return None


def name_votes(ctx: Context) -> Counter:
    """Every place that names the department: labelled lines and cells, unit names, the title."""
    votes: Counter = Counter()
    for block in ctx.blocks:
        if any(re.search(r"单位(?:编码|代码)", squash(c)) for row in block.rows[:6] for c in row.cells):
            for row in block.rows:  # a table by unit: its department-level and 本级 rows
                name = _row_name([squash(c) for c in row.values()])
                if name:
                    votes[name] += 1
    name_col = None  # the 单位名称 column of a unit list: its …（本级） row names the department
    for line in ctx.lines:
        cells = [squash(c) for c in line.values()] if line.is_row else [squash(line.plain)]
        if not line.is_row:
            name_col = None
        elif "单位名称" in cells:
            name_col = cells.index("单位名称")
        elif name_col is not None and name_col < len(cells) and re.search(r"本级[)）]?$", cells[name_col]):
            name = _clean_name(cells[name_col])
            if name:
                votes[name] += 1
        for i, cell in enumerate(cells):
            m = _LABELLED.match(cell) or _LABELLED_INLINE.search(cell)
            if not m:
                continue
            value = m["name"] if m["name"].strip(":：") else next((c for c in cells[i + 1 :] if c), "")
            name = _clean_name(value)
            if name:
                votes[name] += 1
    for unit in ctx.units:
        name = _clean_name(unit.name)
        if name and squash(unit.name).endswith("本级"):
            votes[name] += 1
    title = find_title(ctx)
    if title:
        name = _clean_name(title_name(title_text(ctx, title)))
        if name:
            votes[name] += 1
    return votes


def is_abbreviation(short: str, full: str) -> bool:
    """``short`` reads as a form of ``full``: its characters in order, same last character."""
    if not short or not full or short[-1] != full[-1]:
        return False
    it = iter(full)
    return all(ch in it for ch in short)


def vote_name(votes: Counter) -> str | None:
    """The name most places agree on: each vote supports every longer name it abbreviates."""
    if not votes:
        return None
    def support(name: str) -> int:
        return sum(n for other, n in votes.items() if is_abbreviation(other, name))
    return max(votes, key=lambda name: (support(name), votes[name], len(name)))


def department_name(ctx: Context) -> str:
    """The department's full official name ('' when nothing names it)."""
    return vote_name(name_votes(ctx)) or ""


# --- region and short names -----------------------------------------------------------------

_LEVEL = re.compile(r"[\u4e00-\u9fff]{1,9}?(?P<level>特别行政区|自治区|自治州|自治县|地区|省|市|州|盟|区|县|旗)")
_NOT_PLACE = re.compile(r"城市|社区|园区|小区|校区|辖区|局|委|办|厅|会|院|所|中心|管理|政府|机关|党|部")


def region_parts(name: str) -> list[tuple[str, str]]:
    """``'武汉市东西湖区医疗保障局'`` → ``[('武汉市', '市'), ('东西湖区', '区')]`` (at most 3 levels)."""
    s = re.sub(r"^(?:中共|中国共产党)", "", squash(name))
    parts, pos = [], 0
    while len(parts) < 3:
        m = _LEVEL.match(s, pos)
        if not m or _NOT_PLACE.search(m[0]) or m.end() >= len(s):
            break
        parts.append((m[0], m["level"]))
        pos = m.end()
    return parts


def split_region(name: str) -> tuple[str | None, str]:
    """(region, organisation): ``'武汉市东西湖区医疗保障局'`` → ``('武汉市东西湖区', '医疗保障局')``."""
    parts = region_parts(name)
    region = "".join(p for p, _ in parts)
    s = squash(name)
    start = s.find(region) if region else 0
    return (region or None), s[start + len(region) :]


def region_prefixes(name: str) -> list[str]:
    """The ways a text may name the region before the organisation, longest first (no bare level)."""
    parts = [p for p, _ in region_parts(name)]
    return ["".join(parts[i:]) for i in range(len(parts))]


def cell_texts(ctx: Context) -> list[str]:
    """Every cell of every row and every other line of the document, squashed (blank ones left out)."""
    out = []
    for line in ctx.lines:
        cells = line.values() if line.is_row else [line.plain]
        out.extend(squash(c) for c in cells if c.strip())
    return out


def find_short_names(texts: list[str], full: str) -> tuple[str, ...]:
    """Other names the texts use for ``full`` (region prefix + a form of its organisation), most used first."""
    parts = region_parts(full)
    _, org = split_region(full)
    if not parts or len(org) < 2:
        return ()
    prefixes = region_prefixes(full) + [parts[-1][1]]
    pattern = re.compile("|".join(re.escape(p) for p in prefixes))
    found: Counter = Counter()
    for text in texts:
        for m in pattern.finditer(text):
            bare = m[0] == parts[-1][1]
            if bare and m.start() > 0 and CJK.match(text[m.start() - 1]):
                continue  # 市医保局 / 全区医疗…: another body or not a name
            window = text[m.end() : m.end() + len(org) + 2]
            forms = [window[:k] for k in range(len(window), 1, -1)
                     if window[k - 1] == org[-1] and window[0] == org[0] and is_abbreviation(window[:k], org)]
            if forms:
                name = m[0] + forms[0]
                if name != full:
                    found[name] += 1
    return tuple(name for name, _ in found.most_common())

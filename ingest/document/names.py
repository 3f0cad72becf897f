"""The names a document gives: its department's full name voted across the places that give it, its region,
its short names, and for a 单位预算 the budget unit it is of.

Labelled lines and cells (``编制部门：…``), the department rows of unit tables, ``…（本级）`` units and the
title each vote for a name; a vote for an abbreviation supports the longer name it abbreviates.  A 单位预算
names its unit in its title, its cover (``（主管部门：某局　预算单位：某中心）``) and its tables (``编制单位：…``);
when that unit is not the department's own 本级 but a unit under it, those names are the unit's, not votes
for the department.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ..context import Context
from ..normalise import squash
from .title import CJK, UNIT_SCOPE, find_title, scope, title_name, title_text, title_unit


_LABEL = (r"(?:单位名称|填报单位|部门名称|部门[（(]单位[)）]名称|单位[（(]部门[)）]名称|编制单位|编制部门|预算单位名称|"
          r"项目主管部门|(?:预算)?主管部门)")
# the labels that name the unit a table or a 单位预算 is of (a 部门预算's tables: the department)
_UNIT_LABEL = r"(?:预算单位(?:名称)?|单位名称|填报单位|编制单位|部门[（(]单位[)）]名称|单位[（(]部门[)）]名称)"
# the next label on the line ends a labelled name: 某局　预算单位：…, 某局 单位：万元, 某局（单位编码：…）
_NEXT_LABEL = re.compile(r"[（(]?(?:金额|预算|主管|编制|填报|报送)?(?:单位|部门)(?:名称|编码|代码)?[:：]|"
                         r"(?:联系|咨询)?电话[:：]|(?:单位)?地址[:：]|[（(](?:万元|元)")
_OWN = re.compile(r"[（(]?本级[)）]?$")
_LEVELS_ONLY = re.compile(r"(?:[\u4e00-\u9fff]{1,9}?(?:省|自治区|市|州|区|县|旗|盟))+")
_NAME_OK = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff（）()]{3,39}$")
_NOT_NAME = re.compile(r"(?:名称|编码|代码|合计|总计|科目|项目)$")


def _clean_name(text: str, own: bool = False) -> str | None:
    """An organisation's name as a label or a title gives it, up to the next label; its 本级 removed unless
    ``own``; ``None`` for a region only or what is no name."""
    s = _NEXT_LABEL.split(squash(text))[0]
    if s[-1:] in "）)" and not re.search(r"[（(]", s):
        s = s[:-1]  # the bracket that closes a cover line: （主管部门：某局）
    if not own:
        s = _OWN.sub("", s)
    if _LEVELS_ONLY.fullmatch(s) and not _NOT_PLACE.search(s):
        return None  # a region only (上海市普陀区), not an organisation
    return s if _NAME_OK.match(s) and not _NOT_NAME.search(s) else None


def labelled_names(ctx: Context, label: str, own: bool = False) -> Iterator[str]:
    """The names that lines and cells give after ``label`` (``编制单位：某局``, or the label in a cell and the
    name in the next)."""
    at_start, inline = re.compile(rf"^{label}[:：]?(?P<name>.*)$"), re.compile(rf"{label}[:：](?P<name>.*)$")
    for line in ctx.lines:
        cells = [squash(c) for c in line.values()] if line.is_row else [squash(line.plain)]
        for i, cell in enumerate(cells):
            m = at_start.match(cell) or inline.search(cell)
            if not m:
                continue
            value = m["name"] if m["name"].strip(":：") else next((c for c in cells[i + 1 :] if c), "")
            name = _clean_name(value, own)
            if name:
                yield name


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
    votes.update(labelled_names(ctx, _LABEL))
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


def budget_unit(ctx: Context) -> str | None:
    """The unit a 单位预算/单位决算 is of, as the document prints it (``某局本级``, ``某局（本级）``, ``某中心``);
    ``None`` for a 部门预算 or when nothing names it.

    Its title, its labelled lines (``预算单位：…``, the tables' ``编制单位：…``) and a unit list of one unit each
    vote (a bracketed 本级 is the same name); the name is printed as the labels and lists print it."""
    title = title_text(ctx, find_title(ctx))
    if scope(title) != UNIT_SCOPE:
        return None
    named = Counter(labelled_names(ctx, _UNIT_LABEL, own=True))
    if len(ctx.units) == 1 and _clean_name(ctx.units[0].name, own=True):
        named[squash(ctx.units[0].name)] += 1
    from_title = _clean_name(title_unit(title), own=True)
    same = Counter()
    for name, n in [*named.items(), *([(from_title, 1)] if from_title else [])]:
        same[_unbracketed(name)] += n
    if not same:
        return None
    best = max(same, key=lambda key: (same[key], len(key)))
    printed = [name for name in named if _unbracketed(name) == best]
    return max(printed, key=lambda name: (named[name], len(name))) if printed else from_title


def _unbracketed(name: str) -> str:
    return re.sub(r"[（()）]", "", name)


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
    """The department's full official name ('' when nothing names it).

    In the 单位预算 of a unit under the department, the names of that unit are not votes for it."""
    votes = name_votes(ctx)
    unit = budget_unit(ctx)
    if unit and not _OWN.search(unit):
        own = _clean_name(unit)
        others = Counter({name: n for name, n in votes.items() if not (own and is_abbreviation(name, own))})
        votes = others or votes
    return vote_name(votes) or ""


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

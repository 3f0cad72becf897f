"""Project tables: 项目支出预算表 / 项目支出情况表 / 项目支出决算表.

Columns are found by their header words (项目名称, 项目编码, 单位名称 / 项目单位,
总计 / 合计, 全年执行数 …), so column order and extra columns do not matter.
Unit and category aggregate rows and 合计 rows are skipped, as is a unit's own
row (its name is its unit's, or it reads as a unit and its amount is the sum of
the rows under it); a row with a name but no amount continues the name of the
row above (cells wrapped in the export).  A code printed with the name
(``…配套资金T000000013``) goes to ``code``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from ..context import Context
from ..layout import Block, Line
from ..normalise import clean_name, name_key, squash
from ..numbers import NumberError, parse_amount
from ..records import FUNCTIONAL, FieldSource, Funding, Project, Provenance
from ..reconcile.codes import FUNCTIONAL_CLASSES
from ..sections import table_unit
from .grid import is_functional_code, split_code

# column role → header pattern on the squashed header cell; first match per role wins
COLUMNS: list[tuple[str, re.Pattern]] = [
    ("name", re.compile(r"^(?:支出)?项目名称$")),
    ("code", re.compile(r"^项目(?:编码|代码|编号)$")),
    ("fcode", re.compile(r"^(?:功能)?科目(?:编码|代码)$")),
    ("fname", re.compile(r"^(?:功能)?科目名称$")),
    ("ucode", re.compile(r"^单位(?:编码|代码)$")),
    ("unit", re.compile(r"^(?:单位名称|项目单位|预算单位|单位)$")),
    ("category", re.compile(r"^(?:支出)?项目(?:类别|类型)$")),
    ("executed", re.compile(r"(?:全年)?执行数|决算数|^支出决算")),
    ("budget_initial", re.compile(r"年初预算")),
    ("budget_full_year", re.compile(r"全年预算|调整(?:后)?预算")),
    ("total", re.compile(r"^(?:\d{4}年度?)?(?:总计|合计|金额|预算数|本年预算数?|项目金额|预算金额|项目预算|预算总额)"
                         r"(?:[（(].*)?$")),
]
_YEAR = re.compile(r"^(\d{4})年")
_TOTAL_WORDS = ("合计", "总计", "小计")
_INDEX_CELL = re.compile(r"^(?:\*+|\d{1,2})$")
# a project code printed with the name: ``…配套资金T000000013``, ``…经费 420102-25-001``, ``（2025T001234）``
_CODE_IN_NAME = re.compile(
    r"^(?P<lead>(?=[0-9A-Za-z-]*\d{6})[0-9A-Za-z][0-9A-Za-z-]{5,})\s*(?=[\u4e00-\u9fff])"
    r"|(?<=[\u4e00-\u9fff）)])\s*[（(]?(?P<tail>(?=[0-9A-Za-z-]*\d{6})[0-9A-Za-z][0-9A-Za-z-]{5,})[)）]?$")
_UNIT_LIKE = re.compile(r"(?:局|本级|机关|中心|院|所|站|委|办|部|会|队|馆|校|处|室)$")


@dataclass
class _Row:
    project: Project
    fcode: str | None
    fname: str | None


def header_columns(rows: list[Line]) -> tuple[dict[str, int], dict[int, str], int] | None:
    """Column roles, the label of every column (its most specific header cell), the first data row."""
    name_header = COLUMNS[0][1]
    start = next((i for i, r in enumerate(rows) if any(name_header.match(squash(c)) for c in r.cells)), None)
    if start is None:
        return None
    cols: dict[str, int] = {}
    labels: dict[int, str] = {}
    end = start
    for i in range(start, len(rows)):
        cells = [squash(c) for c in rows[i].values()]
        if i > start and _is_data(cells):
            break
        for j, cell in enumerate(cells):
            if cell and not _INDEX_CELL.match(cell):
                labels[j] = cell
            for role, pattern in COLUMNS:
                if cell and pattern.search(cell) and (role not in cols or _later_year(cell, labels.get(cols[role]))):
                    cols[role] = j
                    break
        end = i + 1
    return cols, labels, end


def _later_year(cell: str, taken: str | None) -> bool:
    """``2025年预算数`` beside ``2024年预算数``: the budget year's column is the later year's."""
    new, old = _YEAR.match(cell), _YEAR.match(taken or "")
    return bool(new and old and int(new[1]) > int(old[1]))


def _is_data(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    if not filled or all(_INDEX_CELL.match(c) for c in filled):
        return False
    numeric = re.compile(r"-?[\d,]+(?:\.\d+)?[^\u4e00-\u9fff]{0,3}")  # an amount, or a malformed one
    return any(numeric.fullmatch(c) and not _INDEX_CELL.match(c) for c in filled) or \
        any(c in _TOTAL_WORDS for c in filled)


def parse_project_table(block: Block, ctx: Context) -> None:
    """One ``table`` mention per project row."""
    rows = block.rows
    found = header_columns(rows)
    if found is None or "name" not in found[0]:
        ctx.warn("projects.no_header", ctx.prov(block.lines[0], table=block.title), table=block.title)
        return
    cols, labels, first = found
    amount_col = cols.get("executed", cols.get("total"))
    if amount_col is None:
        ctx.warn("projects.no_amount", ctx.prov(block.lines[0], table=block.title), table=block.title)
        return
    money = table_unit(block)
    sources = _source_columns(cols, labels, amount_col)
    out: list[_Row] = []
    current_unit = unit_row = None
    unit_at: dict[str, Provenance] = {}  # a unit named on a row of its own → that row
    for i, line in enumerate(rows[first:], start=first):
        cells = line.values()
        cell = lambda role: squash(cells[cols[role]]) if role in cols and cols[role] < len(cells) else ""  # noqa: E731
        if all(_INDEX_CELL.match(squash(c)) or not squash(c) for c in cells):
            continue
        name = clean_name(cell("name")) if cell("name") else ""
        amount = _amount(cells, amount_col, money, ctx, line, block)
        if any(cell(r) in _TOTAL_WORDS for r in ("name", "code", "fcode", "fname", "ucode")) or \
                squash(cells[0]) in _TOTAL_WORDS:
            continue
        if amount is None:
            if name and out and not cell("unit"):
                prev = out[-1]
                joined = clean_name(prev.project.name + name)  # read from the row above on: the name its snippet
                named = FieldSource("name", replace(prev.project.provenance, snippet=joined))
                kept = tuple(fs for fs in prev.project.field_sources if fs.field != "name")
                out[-1] = replace(prev, project=replace(prev.project, name=joined, field_sources=kept + (named,)))
            elif name and cell("unit") and not (amount_col < len(cells) and squash(cells[amount_col])):
                ctx.warn("projects.missing_amount", ctx.prov(line, table=block.title, row=i), name,
                         table=block.title, name=name)
            continue
        if not name:
            # a unit's own row (its name in the unit column): the rows under it without a unit are its projects
            unit_row = cell("unit") or None
            if unit_row:
                unit_at[unit_row] = ctx.prov(line, table=block.title, row=i)
            continue  # 合计 row with its label elsewhere, or a unit row of a 科目-first table
        if _is_aggregate(name, cell("code"), cell("unit"), "unit" in cols, bool(unit_row)):
            if _UNIT_LIKE.search(name):
                current_unit = name
                unit_at[name] = ctx.prov(line, table=block.title, row=i)
            continue
        unit = cell("unit") or unit_row or current_unit
        project = Project(
            name=name,
            code=_code(cell("code")),
            unit=unit,
            category=cell("category") or None,
            amount=amount,
            budget_initial=_amount(cells, cols.get("budget_initial"), money, ctx, line, block),
            budget_full_year=_amount(cells, cols.get("budget_full_year"), money, ctx, line, block),
            funding=tuple(Funding(label, a, ctx.prov(line, table=block.title, row=i)) for j, label in sources
                          if (a := _amount(cells, j, money, ctx, line, block))),
            provenance=ctx.prov(line, table=block.title, row=i),
            field_sources=(FieldSource("unit", unit_at[unit]),) if unit and not cell("unit") and unit in unit_at
            else (),
        )
        out.append(_Row(project, cell("fcode") or None, cell("fname") or None))
    for row in _with_functional_codes(_without_unit_rows(out, ctx, block), ctx, block, "fname" in cols):
        ctx.mention("table", _code_out_of_name(row.project))


def _without_unit_rows(rows: list[_Row], ctx: Context, block: Block) -> list[_Row]:
    """The rows without a unit's own row: a row naming its own unit, or a row without a project code whose
    name reads as a unit (…局机关, a name of the unit column or of a known unit) and whose amount is the sum
    of the rows under it; the rows under it without a unit of their own get its name."""
    unit_names = {name_key(r.project.unit) for r in rows if r.project.unit} | {name_key(u.name) for u in ctx.units}
    def unit_like(r: _Row) -> bool:
        key = name_key(r.project.name)
        return not r.project.code and (key in unit_names or bool(_UNIT_LIKE.search(key)))
    candidates = [k for k, r in enumerate(rows) if unit_like(r)]
    drop: set[int] = set()
    out = list(rows)
    for k in reversed(candidates):
        p = rows[k].project
        if p.unit and name_key(p.unit) == name_key(p.name):
            drop.add(k)
            continue
        for end in [c for c in candidates if c > k + 1] + [len(rows)]:
            under = [j for j in range(k + 1, end) if j not in candidates]
            if under and _adds_up(p.amount, [rows[j].project.amount for j in under]):
                drop.add(k)
                ctx.warn("projects.unit_row", p.provenance, p.name, str(p.amount),
                         table=p.provenance.table if p.provenance else "项目表", name=p.name, amount=p.amount,
                         count=len(under))
                for j in under:
                    if not out[j].project.unit:
                        named = out[j].project.field_sources + (FieldSource("unit", p.provenance),)
                        out[j] = replace(out[j], project=replace(out[j].project, unit=p.name, field_sources=named))
                break
    return [r for k, r in enumerate(out) if k not in drop]


def _adds_up(total: Decimal | None, parts: list[Decimal | None]) -> bool:
    """``total`` is the sum of ``parts`` within the rounding of their printed cents."""
    if total is None or any(a is None for a in parts):
        return False
    return abs(total - sum(parts, Decimal(0))) <= Decimal("0.005") * max(len(parts), 2)


def _code_out_of_name(project: Project) -> Project:
    """The project with the code its name carries moved into ``code`` (the code column wins when both say one)."""
    name, code = name_and_code(project.name)
    return replace(project, name=name, code=project.code or code) if code and name else project


def _source_columns(cols: dict[str, int], labels: dict[int, str], amount_col: int) -> list[tuple[int, str]]:
    """The funding-source columns (预算内资金, 其他资金 …): the unnamed money columns right of the total, not
    another year's figures nor the change (2024年预算数, 增减)."""
    taken = set(cols.values())
    return [(j, label) for j, label in sorted(labels.items())
            if j > amount_col and j not in taken and not re.search(r"率|备注|增减|变动|^\d{4}年|上年预算", label)]


def _is_aggregate(name: str, code: str, unit: str, has_unit_col: bool, under_unit_row: bool) -> bool:
    """A unit or category subtotal row (武汉市…局 / 31 本级支出项目) rather than a project.

    In a table with a unit column, a row with an empty unit cell is a subtotal, unless the unit is printed
    on a row of its own above it (``under_unit_row``): then only a row with a short subtotal code is."""
    short_code = bool(re.fullmatch(r"\d{1,6}", code))
    if has_unit_col and not unit and (short_code or not code and not under_unit_row):
        return True
    return short_code and bool(_UNIT_LIKE.search(name))


def _amount(cells, col, money, ctx, line, block) -> Decimal | None:
    if col is None or col >= len(cells):
        return None
    try:
        return parse_amount(cells[col], money)
    except NumberError:
        ctx.warn("projects.bad_amount", ctx.prov(line, table=block.title), cells[col], table=block.title,
                 text=cells[col])
        return None


def name_and_code(text: str) -> tuple[str, str | None]:
    """A project name without the code printed before or after it, and that code (``None`` when there is none)."""
    name = clean_name(text)
    m = _CODE_IN_NAME.search(name)
    if not m:
        return name, None
    return clean_name(name[: m.start()] + name[m.end():]), (m["lead"] or m["tail"]).upper()


def _code(text: str) -> str | None:
    s = squash(text)
    return s if len(s) >= 8 and re.fullmatch(r"[0-9A-Za-z-]+", s) else None


def _with_functional_codes(rows: list[_Row], ctx: Context, block: Block, named: bool) -> list[_Row]:
    """Each row's 功能科目 where the document confirms it, else none.

    ``named``: the table prints a 科目名称 column beside the 科目编码 one.  Exports shift the 科目编码 column
    against 科目名称 (codes one row off), so a code printed with a name (in its own column, or in the code cell:
    ``2100409 重大公共卫生服务``) is trusted only when the functional tables name it the same way; without those
    tables, only when the project table itself pairs codes and names one-to-one.  A code column with no name
    column beside it cannot be shifted against one: its code is taken where the functional tables list it (with
    the name the first of them gives it, sourced to that line) or, where they list no code of its level (none read
    yet, or a 款-level table), where it is a 功能分类 code of a national 类; the codes the functional tables do not
    list are left out with one warning.
    """
    lines = {li.code: li for li in reversed(ctx.line_items) if li.classification == FUNCTIONAL}  # the first's
    known = {code: squash(li.name) for code, li in lines.items()}
    rows = [_split_code_cell(r) for r in rows]
    pairs = [(r.fcode, r.fname) for r in rows if r.fcode and r.fname]
    one_to_one = len({c for c, _ in pairs}) == len(set(pairs)) == len({n for _, n in pairs})
    out, unknown, shifted = [], [], False
    for r in rows:
        code, name = r.fcode, r.fname
        if code and not name and not named and is_functional_code(code):
            name = known.get(code)
            listed = any(len(c) == len(code) for c in known)  # the tables list codes of its level
            ok = name is not None if listed else code[:3] in FUNCTIONAL_CLASSES
            if not ok and listed:
                unknown.append(r)
            elif name is not None and lines[code].provenance is not None:  # the name where the table prints it
                sourced = r.project.field_sources + (FieldSource("functional_name", lines[code].provenance),)
                r = replace(r, project=replace(r.project, field_sources=sourced))
        else:
            ok = bool(code and name and re.fullmatch(r"\d{3,7}", code))
            if ok and known:
                ok = known.get(code) == name
            elif ok:
                ok = one_to_one
            shifted |= bool(code or name) and not ok
        if ok:
            r = replace(r, project=replace(r.project, functional_code=code, functional_name=name))
        out.append(r)
    if unknown:
        codes = tuple(dict.fromkeys(r.fcode for r in unknown))
        ctx.warn("projects.functional_code_unknown", unknown[0].project.provenance, *codes, table=block.title,
                 codes="、".join(codes), projects="、".join(r.project.name for r in unknown))
    if shifted:
        ctx.warn("projects.functional_code_mismatch", ctx.prov(block.lines[0], table=block.title),
                 table=block.title)
    return out


def _split_code_cell(row: _Row) -> _Row:
    """A 科目编码 cell printing the code with its name (``2100409 重大公共卫生服务``) read as both, where the row
    has no name of its own."""
    if row.fname or not row.fcode:
        return row
    code, name = split_code(row.fcode)
    return replace(row, fcode=code, fname=squash(name)) if code else row

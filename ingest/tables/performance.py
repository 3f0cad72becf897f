"""Department performance tables: 部门整体支出绩效目标申报表 / 整体支出绩效目标表.

Two things are read: the 项目支出情况 list (``dept_form`` project mentions) and
the indicator tables under each goal title (``长期目标1:…`` / ``年度目标2：…``),
which go to ``ctx.department_indicators`` with the goal title as ``goal``.
"""

from __future__ import annotations

import re

from ..context import Context
from ..layout import Block, Line
from ..normalise import squash
from ..numbers import try_amount
from ..records import ANNUAL, LONG_TERM, Project
from ..sections import table_unit
from .indicators import IndicatorTable
from .projects import name_and_code

# a goal title opening its indicator table: 长期目标1:… / 年度目标：… / 年度总体目标 (its text in the next cell)
_GOAL_TITLE = re.compile(r"^(?P<term>中?长期|年度)(?:总体|绩效)?目标(?:\d+|[:：]|$)")
_TABLE_LABEL = re.compile(r"(?:中?长期|年度)绩效指标")
_UNIT_ROW = re.compile(r"^部门(?:[（(]单位[)）])?名称$|^单位名称$")
_PROJECT_LIST = "项目支出情况"
_LIST_END = re.compile(r"^(?:整体绩效|部门整体|绩效目标|中?长期目标|年度目标)")
_LIST_HEADER = re.compile(r"^(?:项目名称|支出项目类别|项目类型|项目类别|项目总预算|项目本年度?预算|项目主要支出方向.*)$")


def goal_title(cells: list[str]) -> str:
    """``长期目标 1: 医疗保障制度更加完善;`` → ``长期目标1:医疗保障制度更加完善``; a bare label
    (``年度总体目标`` | its text) is the title alone."""
    if re.fullmatch(r"(?:中?长期|年度)(?:总体|绩效)?目标", squash(cells[0])):
        return squash(cells[0])
    return re.sub(r"[;；。.,，、\s]+$", "", squash("".join(cells)))


def subject_unit(block: Block) -> str | None:
    """The unit a department table is for: its 部门名称 row, else 单位名称：, else the title."""
    for line in block.rows:
        cells = [squash(c) for c in line.values()]
        for j, cell in enumerate(cells):
            if _UNIT_ROW.match(cell):
                rest = [c for c in cells[j + 1:] if c]
                if rest:
                    return rest[0]
    for line in block.lines[:6]:
        m = re.search(r"(?:单位名称|填报单位)\s*[:：]\s*(\S.*)$", line.plain)
        if m:
            return squash(m[1])
    m = re.match(r"^(.+?)(?:\d{4}\s*年)", squash(block.title or ""))
    return m[1] if m else None


def parse_department_performance(block: Block, ctx: Context) -> None:
    unit = subject_unit(block)
    money = table_unit(block)
    mode, title, table = "preamble", None, None

    def flush():
        if table is not None and title:
            goal_type = LONG_TERM if re.match(r"中?长期", title) else ANNUAL
            ctx.department_indicators.extend(table.indicators(title, goal_type=goal_type, subject_unit=unit))

    for i, line in enumerate(block.lines[1:], start=1):
        cells = line.values() if line.is_row else [line.plain]
        filled = [squash(c) for c in cells if squash(c)]
        if not filled:
            continue
        if _GOAL_TITLE.match(filled[0]):
            flush()
            title = goal_title(filled)
            table = IndicatorTable(annual=title.startswith("年度"))
            mode = "indicators"
        elif filled[0] == _PROJECT_LIST:
            mode = "projects"
            _project_row(filled[1:], line, i, block, ctx, unit, money)
        elif mode == "projects" and _LIST_END.match(filled[0]):
            mode = "overall"
        elif mode == "projects":
            _project_row(filled, line, i, block, ctx, unit, money)
        elif mode != "indicators" and line.is_row and {"一级指标", "二级指标"} <= set(filled):
            flush()  # an indicator table with no goal title above it: the year's, unless its label says long-term
            title = next((c for c in filled if _TABLE_LABEL.fullmatch(c)), "年度绩效指标")
            table = IndicatorTable(annual=not re.match(r"中?长期", title))
            mode = "indicators"
            table.feed(cells, ctx.prov(line, table=block.title, row=i))
        elif mode == "indicators" and line.is_row:
            table.feed(cells, ctx.prov(line, table=block.title, row=i),
                       skip=("长期绩效指标", "年度绩效指标"))
    flush()


def _project_row(filled: list[str], line: Line, i: int, block: Block, ctx: Context,
                 unit: str | None, money: str) -> None:
    """One row of the 项目支出情况 list: name, category, 总预算, 本年预算, purpose."""
    if not filled or all(_LIST_HEADER.match(c) for c in filled[:2]):
        return
    name, code = name_and_code(filled[0])
    if name in ("小计", "合计", "总计") or _LIST_HEADER.match(name):
        return
    amounts = [a for a in (try_amount(c, money) for c in filled[1:]) if a is not None]
    if not amounts:
        ctx.warn("dept_performance.no_amount", ctx.prov(line, table=block.title, row=i), name,
                 table=block.title, name=name)
    amount = amounts[1] if len(amounts) > 1 else amounts[0] if amounts else None
    ctx.mention("dept_form", Project(name=name, code=code, unit=unit, amount=amount,
                                     provenance=ctx.prov(line, table=block.title, row=i)))

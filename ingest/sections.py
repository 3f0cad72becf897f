"""Document → blocks: table titles (表N) and narrative headings split the lines.

A table title is recognised by what it names (收支总表, 项目支出表, 三公 …), not
by its position or number, so tables may come in any order and under any
numbering.  Each block gets a ``role`` from :data:`TABLE_ROLES`; the parsers in
``ingest/tables`` are registered per role.
"""

from __future__ import annotations

import re

from .layout import Block, Line
from .normalise import squash

# (role, pattern on the squashed title); the first match wins, so the specific come first.
TABLE_ROLES: list[tuple[str, re.Pattern]] = [
    ("project_form", re.compile(r"项目申报表|一项一表|项目支出绩效目标|项目绩效目标|绩效目标填报表|项目绩效自评|绩效自评表")),
    ("dept_performance", re.compile(r"整体支出绩效|整体绩效目标|部门绩效目标表")),
    ("three_public", re.compile(r"三公")),
    ("procurement", re.compile(r"政府采购")),
    ("purchased_service", re.compile(r"购买服务")),
    ("gov_fund", re.compile(r"政府性基金")),
    ("state_capital", re.compile(r"国有资本经营")),
    ("projects", re.compile(r"项目支出(预算|情况|决算)?(明细)?表")),
    ("basic_economic", re.compile(r"基本支出(预算|决算)?(明细)?表|经济分类")),
    ("gpb_expenditure", re.compile(r"一般公共预算(财政拨款)?支出(功能分类)?(预算|决算)?(总)?表")),
    ("fiscal_summary", re.compile(r"财政拨款收[入]?支[出]?(预算|决算)?总表")),
    ("income", re.compile(r"收入(预算|决算)?总?表")),
    ("summary", re.compile(r"收支(预算|决算)?总表|收入支出(预算|决算)?总?表")),
    ("expenditure", re.compile(r"支出(预算|决算)?总?表")),
]

NARRATIVE = "narrative"
WRITEUP = "project_writeup"  # a project's 情况说明: 一、项目概述 二、立项依据 … under the project's name

_LIST_ITEM = re.compile(r"^\s*(?:[-*+]\s|\d+\s*[.、．]\s*\S)")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_REFERENCE = re.compile(r"^(?:详见|参见|具体见|请见|见)|详见")  # "详见单位的项目绩效目标表": points at a table
_WRITEUP_FIRST = re.compile(r"^[一1][、.．]\s*项目(?:概述|概况|简介|基本情况|背景)")
_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])"
)


def table_role(title: str) -> str | None:
    """The role of a table title, or ``None`` when it names no table."""
    s = squash(title)
    if "表" not in s:
        return None
    for role, pattern in TABLE_ROLES:
        if pattern.search(s):
            return role
    return None


def is_table_title(line: Line) -> bool:
    """A short single-cell line that names a table (not a contents entry, not a sentence)."""
    if line.is_row:
        return False
    text = line.plain
    if not text or len(squash(text)) > 70 or _LIST_ITEM.match(line.text):
        return False
    if any(p in text for p in "。；;") or "，" in text or "备注" in text or "说明" in text[:4]:
        return False
    if _REFERENCE.search(squash(text)):
        return False
    return table_role(text) is not None


def is_heading(line: Line) -> bool:
    """A narrative heading: a markdown heading or a numbered 一、/（一） line."""
    if line.is_row:
        return False
    text = line.plain
    if not text or len(text) > 40:
        return False
    return line.text.lstrip().startswith("#") or bool(_HEADING.match(text)) and "。" not in text


def is_part_heading(line: Line) -> bool:
    """A 第N部分 heading: it ends any table, since the parts of a disclosure never share one."""
    return not line.is_row and bool(_PART.match(line.plain)) and len(line.plain) <= 60


def is_writeup_title(lines: list[Line], i: int) -> bool:
    """A short text line (``科技创新专项经费情况说明``) whose next text line opens ``一、项目概述``."""
    line = lines[i]
    text = squash(line.plain)
    if line.is_row or not text or len(text) > 40 or _HEADING.match(text) or any(p in text for p in "。；，"):
        return False
    nxt = next((ln for ln in lines[i + 1 : i + 3] if ln.plain), None)
    return nxt is not None and not nxt.is_row and bool(_WRITEUP_FIRST.match(squash(nxt.plain)))


def _ends_table(block: Block, line: Line) -> bool:
    """A numbered narrative heading after a table's rows: the text that follows the table, not part of it."""
    return block.role not in (NARRATIVE, WRITEUP, "project_form", "dept_performance") and bool(block.rows) \
        and is_heading(line) and not line.text.lstrip().startswith("#")


def split_blocks(lines: list[Line]) -> list[Block]:
    """Split lines into table and narrative blocks, in document order."""
    blocks: list[Block] = []
    current = Block(title=None, role=NARRATIVE)
    for i, line in enumerate(lines):
        if is_table_title(line) or is_writeup_title(lines, i):
            blocks.append(current)
            role = table_role(line.plain) or (WRITEUP if is_writeup_title(lines, i) else NARRATIVE)
            current = Block(title=line.plain, role=role, lines=[line])
            continue
        if is_part_heading(line) or current.role == NARRATIVE and is_heading(line) or _ends_table(current, line):
            blocks.append(current)
            current = Block(title=line.plain, role=NARRATIVE, lines=[line])
            continue
        current.lines.append(line)
    blocks.append(current)
    return _contents_entries_to_text([b for b in blocks if b.lines])


def _contents_entries_to_text(blocks: list[Block]) -> list[Block]:
    """A table title with nothing under it before the next title is a 目录 entry, not a table.

    Such a block becomes text: joined to the narrative block before it, else a narrative block of its own.
    """
    out: list[Block] = []
    for block in blocks:
        if block.role not in (NARRATIVE, WRITEUP) and not any(ln.plain for ln in block.lines[1:]):
            if out and out[-1].role == NARRATIVE:
                out[-1].lines.extend(block.lines)
                continue
            block = Block(title=block.title, role=NARRATIVE, lines=block.lines)
        out.append(block)
    return out


def table_unit(block: Block, default: str = "万元") -> str:
    """The money unit a table declares (``单位：万元`` / ``单位：元``)."""
    for line in block.lines[:8]:
        m = re.search(r"单位\s*[:：]\s*(万元|元)", line.plain)
        if m:
            return m[1]
        m = re.search(r"[（(]\s*(万元|元)\s*[）)]", line.plain)
        if m:
            return m[1]
    return default

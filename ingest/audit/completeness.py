"""Completeness: the tables a disclosure must publish are there, an empty one says why, and the contents list
names only tables the document prints.

Tables are found by meaning (the role their title names, :mod:`ingest.vocabulary.table_roles`), in any order and
under any numbering.  Rules:

- ``completeness.required_table``: a table the national template requires of every 部门/单位 预算 or 决算 is
  not printed, and no note says the department has no such budget;
- ``completeness.toc_entry_missing``: the 目录 lists a table the document does not print;
- ``completeness.empty_without_note``: a table with no figure at all carries no note saying why;
- ``completeness.empty_note_over_values``: a note says the table is empty (本表为空表 / 无数据), or that the
  department has no such budget, over a table that prints amounts;
- ``completeness.note_names_other_budget``: the note of a 政府性基金 or 国有资本经营 table says the department has
  none of the *other* budget (a note copied from the table before).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..context import Context
from ..layout import Block, Line
from ..normalise import fold_width, squash
from ..paragraphs import LIST_MARK, all_paragraphs
from ..records import BUDGET, FINAL_ACCOUNT, Extraction, Finding, Rule
from ..rules import finding
from ..sections import FORMS, NARRATIVE, WRITEUP
from ..vocabulary.table_roles import ROLES, UNRECOGNISED, match_known, title_core

FAMILY = "completeness"

RULES: tuple[Rule, ...] = (
    Rule("completeness.required_table", FAMILY, "warning",
         "未见{table_name}：{phase}公开要求公开此表（没有数据的表格也应列出空表并说明）",
         "none: the table's role is printed or it is not"),
    Rule("completeness.toc_entry_missing", FAMILY, "warning", "目录列出“{entry}”，文件中未见该表",
         "none: as many tables of the entry's role as the contents lists of it"),
    Rule("completeness.empty_without_note", FAMILY, "warning",
         "{table_name}“{title}”没有数据，也没有说明原因（没有数据的表格应列出空表并说明）",
         "none: no cell of the table holds a figure other than 0"),
    Rule("completeness.empty_note_over_values", FAMILY, "warning",
         "“{note}”，但{table_name}“{title}”列有数据（{value}）",
         "none: one non-zero amount printed in the table is enough"),
    Rule("completeness.note_names_other_budget", FAMILY, "warning",
         "{table_name}“{title}”的说明“{note}”写的是{named}，不是本表的{own}",
         "none: the note names the other budget and not the table's own"),
)

# The tables every 部门 (and 单位) disclosure must publish, by phase: 财政部《地方预决算公开操作规程》
# (财预〔2016〕143号) requires at least these eight tables of a 部门预算 (部门收支总表、部门收入总表、部门支出总表、
# 财政拨款收支总表、一般公共预算支出表、一般公共预算基本支出表、一般公共预算“三公”经费支出表、政府性基金预算支出表)
# and the eight matching tables of a 部门决算 (收入支出决算总表、收入决算表、支出决算表、财政拨款收入支出决算总表、
# 一般公共预算财政拨款支出决算表、一般公共预算财政拨款基本支出决算表、一般公共预算财政拨款“三公”经费支出决算表、
# 政府性基金预算财政拨款收入支出决算表), and says "没有数据的表格应当列出空表并说明".  The 国有资本经营预算 table, the
# 项目支出表, 政府采购 and 政府购买服务 tables and the 绩效目标 forms are required by some provinces only (Hubei,
# Shanghai …), so their absence is no finding; a contents list that names them is checked all the same.
REQUIRED: dict[str, tuple[str, ...]] = {
    BUDGET: ("summary", "income", "expenditure", "fiscal_summary", "gpb_expenditure", "basic_economic",
             "three_public", "gov_fund"),
    FINAL_ACCOUNT: ("summary", "income", "expenditure", "fiscal_summary", "gpb_expenditure", "basic_economic",
                    "three_public", "gov_fund"),
}
PHASE_ZH = {BUDGET: "部门预算", FINAL_ACCOUNT: "部门决算"}
# a document printing fewer of its phase's required tables than this is not a whole disclosure (one file of
# several, the forms alone): what it lacks is not told
MIN_REQUIRED_PRINTED = 4

_ROLE_NAME = {r.id: r.name for r in ROLES}
# the words a note uses for the budget a table is of: a note over the table may say the department has none
_BUDGET_WORDS = {"gov_fund": "政府性基金", "state_capital": "国有资本经营", "three_public": "三公",
                 "procurement": "政府采购", "purchased_service": "购买服务"}
_OWN_FUND = ("gov_fund", "state_capital")  # tables whose note is checked for naming the other fund
_TABLE_EMPTY = re.compile(r"(?:本|此|该)表(?:为)?(?:空表?|无数据|无内容|数据为空)|(?:为|是)空表|表(?:中)?无数据")
_NONE_OF = r"(?:无|没有|未安排|未使用)"
_CARRYOVER = re.compile(r"结转|结余|上年")
_TOC_HEADING = re.compile(r"^目录$")
_TOC_LEADER = re.compile(r"[.…·．\-—_\s]{3,}\S*$|[.…·．]+\d*$")
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)$")  # printed as an amount (a point or commas)
_INTEGER = re.compile(r"^-?\d+$")


def audit(ctx: Context, ex: Extraction) -> Iterator[Finding]:
    by_role: dict[str, list[Block]] = {}  # every table and form, by its role
    for block in ctx.blocks:
        if block.role not in (NARRATIVE, WRITEUP, UNRECOGNISED):
            by_role.setdefault(block.role, []).append(block)
    narrative = [p.text for p in all_paragraphs(ctx)]
    yield from _notes_against_values(ctx, ex, {r: bs for r, bs in by_role.items() if r not in FORMS}, narrative)
    listed = contents_entries(ctx)
    listed_roles = {e.role for e in listed}
    yield from _missing_entries(ctx, listed, by_role)
    required = REQUIRED.get(ex.document.phase, ())
    if sum(role in by_role for role in required) < MIN_REQUIRED_PRINTED:
        return
    for role in required:
        if role in by_role or role in listed_roles or _says_none_of(role, narrative):
            continue
        yield finding("completeness.required_table", ex.document.provenance, (_ROLE_NAME[role],),
                      table_name=_ROLE_NAME[role], phase=PHASE_ZH.get(ex.document.phase, ""))


# --- empty tables and their notes ------------------------------------------------------------------------

def _cells(line: Line) -> list[str]:
    return [squash(fold_width(c)).replace("−", "-") for c in line.values()]


def _numbering_row(cells: list[str]) -> bool:
    """``1 | 2 | 3 …`` or ``栏次``: the columns' numbers, not figures."""
    filled = [c for c in cells if c]
    return bool(filled) and all(re.fullmatch(r"\d{1,2}|栏次|行次", c) for c in filled)


def first_value(block: Block) -> tuple[str, Line] | None:
    """The first non-zero amount (printed with a decimal point or thousands separators) in the table's rows."""
    for line in block.rows:
        for cell in _cells(line):
            if _AMOUNT.match(cell) and float(cell.replace(",", "")) != 0:
                return cell, line
    return None


def has_content(block: Block) -> bool:
    """Any figure or code other than 0 in the table's rows (a column-numbering row aside)."""
    for line in block.rows:
        cells = _cells(line)
        if _numbering_row(cells):
            continue
        if any((_AMOUNT.match(c) or _INTEGER.match(c)) and float(c.replace(",", "")) != 0 for c in cells):
            return True
    return False


def _block_texts(block: Block) -> list[tuple[str, Line]]:
    """Each line of the block as one text (a note may be printed in a cell of a table row)."""
    out = []
    for line in block.lines:
        text = squash(fold_width(" ".join(c for c in line.values() if c) if line.is_row else line.plain))
        if text:
            out.append((text, line))
    return out


def _none_of(word: str) -> re.Pattern:
    """``本部门无政府性基金预算…`` / ``没有使用政府性基金预算安排的支出``: the department has none of the budget."""
    return re.compile(rf"{_NONE_OF}[^。；;，,]{{0,16}}?{word}")


def _empty_note(block: Block) -> tuple[str, Line] | None:
    """The block's note saying the table is empty or the department has none of the table's budget."""
    word = _BUDGET_WORDS.get(block.role)
    for text, line in _block_texts(block):
        if _TABLE_EMPTY.search(text) or word and _none_of(word).search(text) and not _CARRYOVER.search(text):
            return text, line
    return None


def _says_none_of(role: str, narrative: list[str]) -> str | None:
    """The narrative sentence saying the department (本部门/本单位) has none of the role's budget."""
    word = _BUDGET_WORDS.get(role)
    if word is None:
        return None
    pattern = re.compile(rf"本(?:部门|单位)[^。；;]{{0,12}}?{_NONE_OF}[^。；;，,]{{0,16}}?{word}[^。；;]*")
    for text in narrative:
        for m in pattern.finditer(squash(fold_width(text))):
            if not _CARRYOVER.search(m[0]) and "其中" not in m[0]:
                return m[0]
    return None


def _notes_against_values(ctx: Context, ex: Extraction, by_role: dict[str, list[Block]],
                          narrative: list[str]) -> Iterator[Finding]:
    for role, blocks in by_role.items():
        notes = [(b, n) for b in blocks if (n := _empty_note(b))]
        value = next(((b, v) for b in blocks if (v := first_value(b))), None)
        name = _ROLE_NAME.get(role, role)
        if value is not None:
            block, (amount, line) = value
            said = [(n[0], ctx.prov(n[1], table=b.title)) for b, n in notes]
            if not said and ex.document.phase == BUDGET and (text := _says_none_of(role, narrative)):
                said = [(text, ctx.prov(line, table=block.title))]
            for note, prov in said[:1]:
                yield finding("completeness.empty_note_over_values", prov, (note, amount), note=note[:60],
                              table_name=name, title=block.title or name, value=amount)
        elif not any(has_content(b) for b in blocks):
            if not notes and not _says_none_of(role, narrative):
                block = blocks[0]
                yield finding("completeness.empty_without_note", ctx.prov(block.lines[0], table=block.title),
                              (block.title or name,), table_name=name, title=block.title or name)
        if role in _OWN_FUND:
            yield from _other_budget_named(ctx, role, notes)


def _other_budget_named(ctx: Context, role: str, notes: list[tuple[Block, tuple[str, Line]]]) -> Iterator[Finding]:
    own, (other,) = _BUDGET_WORDS[role], [_BUDGET_WORDS[r] for r in _OWN_FUND if r != role]
    for block, (text, line) in notes:
        if _none_of(other).search(text) and own not in text:
            yield finding("completeness.note_names_other_budget", ctx.prov(line, table=block.title), (text,),
                          table_name=_ROLE_NAME[role], title=block.title or "", note=text[:60],
                          named=f"{other}预算", own=f"{own}预算")


# --- the table of contents -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ContentsEntry:
    """A table the 目录 lists: its text as printed (numbering and page leaders removed), its role, its line."""

    text: str
    role: str
    line: Line


def contents_entries(ctx: Context) -> list[ContentsEntry]:
    """The tables the document's 目录 lists: the short lines after a ``目录`` line, up to the first sentence,
    table row or table, each matched to a role by its title's wording (entries naming no table are left out)."""
    first_table = min((b.first_line for b in ctx.blocks if b.role != NARRATIVE), default=0)
    out: list[ContentsEntry] = []
    start = next((i for i, ln in enumerate(ctx.lines) if _TOC_HEADING.match(squash(ln.plain))), None)
    if start is None:
        return out
    for line in ctx.lines[start + 1:]:
        text = squash(fold_width(line.plain))
        if not text:
            continue
        if line.is_row or "。" in text or len(text) > 60 or (first_table and line.no >= first_table):
            break
        entry = _TOC_LEADER.sub("", LIST_MARK.sub("", text.lstrip("#*- ")))
        role = match_known(entry).role
        if role is not None:
            out.append(ContentsEntry(entry, role, line))
    return out


def _printed_elsewhere(ctx: Context, entry: ContentsEntry) -> bool:
    """A line after the contents names the entry's table (a title the splitter did not take for one)."""
    core = re.sub(r"^.*?\d{4}年度?", "", title_core(entry.text)) or title_core(entry.text)
    return any(ln.no > entry.line.no and not ln.is_row and len(ln.plain) <= 80 and core in squash(ln.plain)
               for ln in ctx.lines)


def _missing_entries(ctx: Context, listed: list[ContentsEntry],
                     by_role: dict[str, list[Block]]) -> Iterator[Finding]:
    """Entries of a role the document prints fewer tables of than its contents lists (the last ones of that
    role, when some are printed)."""
    if not listed or not by_role:
        return
    per_role: dict[str, list[ContentsEntry]] = {}
    for entry in listed:
        per_role.setdefault(entry.role, []).append(entry)
    for role, entries in per_role.items():
        printed = len(by_role.get(role, ()))
        for entry in entries[printed:]:
            if _printed_elsewhere(ctx, entry):
                continue
            yield finding("completeness.toc_entry_missing", ctx.prov(entry.line), (entry.text,), entry=entry.text,
                          table_name=_ROLE_NAME.get(role, role))

"""Names and years: the classification names and the years a disclosure prints, against what it is.

- ``names_years.former_class_name``: a 功能分类 类 under a name the classification no longer uses
  (医疗卫生与计划生育支出 for 210 卫生健康支出), in the narrative or a coded table;
- ``names_years.item_name``: a narrative path ``A（类）B（款）C（项）`` naming a 款 or 项 that neither the
  document's functional tables nor the code list (``ontology/codelists/functional.ttl``) have under its parent;
- ``names_years.title_year``: a table title or a 预算/决算 heading naming one year, not the document's;
- ``names_years.cutoff_year``: a ``截至 …年12月31日`` (年底, 年末) date of what is held (车辆, 资产, 人员) in the
  narrative of the wrong year: the document's own year in a 决算, the previous one in a 预算 (the budget is drawn
  up before its year starts);
- ``names_years.prior_years``: a form's ``近两年`` / ``前两年`` columns or rows naming years other than the two
  before a 预算's year (2023/2024 in a 2026 budget);
- ``names_years.goal_end_year``: the 长期目标 of one document's 部门整体 forms ending (``截止 2031 年``) in
  different years, or before the document's year;
- ``names_years.scope_wording``: ``2025年部门预算`` in a 单位预算 and ``2025年单位预算`` in a 部门预算;
- ``names_years.scope_pronoun``: ``本单位`` in a 部门 document's narrative, ``本部门`` in a 单位 document's.

Comparisons ``比 20xx 年增加`` are the growth family's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from ..context import Context
from ..document.title import year_phase
from ..layout import Line
from ..narrative import heading_level
from ..normalise import fold_width, name_key, shorten, squash
from ..paragraphs import Paragraph, all_paragraphs
from ..records import BUDGET, FINAL_ACCOUNT, FUNCTIONAL, Check, Extraction, Finding, Rule
from ..rules import finding
from .text import excerpt, line_at, passages
from ..sections import NARRATIVE, is_heading

FAMILY = "names_years"

RULES: tuple[Rule, ...] = (
    Rule("names_years.former_class_name", FAMILY, "warning",
         "“{name}”是功能分类 {code} 类的旧名称，现行名称为“{current}”：{snippet}",
         "exact name (widths, brackets and spaces folded)"),
    Rule("names_years.item_name", FAMILY, "warning",
         "文字说明所列“{name}（{level}）”不在“{parent}”之下：功能分类表与科目代码表所列为 {known}",
         "exact name (widths, brackets, spaces and 其它/其他 folded) or one name of four characters or more "
         "beginning the other; only where the tables list the parent's children"),
    Rule("names_years.title_year", FAMILY, "warning", "标题年份为 {year} 年，而本文件为 {own} 年{phase}：{snippet}",
         "a title naming one year only; a 预算's title looking back at the year before (决算, 自评, 执行) is not one"),
    Rule("names_years.cutoff_year", FAMILY, "warning",
         "“截至 {year} 年”的年末日期与本文件不符：{own} 年{phase}应截至 {expected} 年年末：{snippet}",
         "year-end dates (12月31日, 年底, 年末) of what is held (共有, 车辆, 资产 …); other dates say nothing"),
    Rule("names_years.prior_years", FAMILY, "warning",
         "{table}的“{label}”列示 {years} 年，而 {own} 年预算的前两年为 {expected} 年",
         "cells that are a year and nothing else, on the label's row and the rows after it; 预算 only"),
    Rule("names_years.goal_end_year", FAMILY, "warning",
         "长期目标截止 {year} 年（{table}），而{other}",
         "the years as printed"),
    Rule("names_years.scope_wording", FAMILY, "warning",
         "本文件为{own}，文中却称“{words}”：{snippet}",
         "a year, then 部门 or 单位, then 预算 or 决算"),
    Rule("names_years.scope_pronoun", FAMILY, "warning",
         "本文件为{own}，文中却称“{words}”（应为“{expected}”）：{snippet}",
         "the word itself; in a 部门 document not where the 部门 has one unit (it is that unit), nor in a "
         "paragraph that names one of its units or under a heading that does (that unit's own section)"),
)

PHASE_ZH = {BUDGET: "预算", FINAL_ACCOUNT: "决算"}
SCOPE_ZH = {"department": "部门", "unit": "单位"}

# 类 names of earlier editions of the national classification → (code, name of the current edition)
FORMER_CLASS_NAMES: dict[str, tuple[str, str]] = {
    "医疗卫生与计划生育支出": ("210", "卫生健康支出"),  # 2014–2018
    "医疗卫生支出": ("210", "卫生健康支出"),  # 2007–2013
    "文化体育与传媒支出": ("207", "文化旅游体育与传媒支出"),  # until 2018
    "国土海洋气象等支出": ("220", "自然资源海洋气象等支出"),  # 2012–2018
    "国土资源气象等支出": ("220", "自然资源海洋气象等支出"),  # until 2011
    "资源勘探信息等支出": ("215", "资源勘探工业信息等支出"),
    "资源勘探电力信息等支出": ("215", "资源勘探工业信息等支出"),
}
_FORMER = re.compile("|".join(sorted(map(re.escape, FORMER_CLASS_NAMES), key=len, reverse=True)))

CODELISTS = Path(__file__).resolve().parents[2] / "ontology" / "codelists"


def _year_of(text: str) -> list[int]:
    return [int(y) for y in re.findall(r"((?:19|20)\d\d)\s*年", fold_width(text))]


# --- class names ---------------------------------------------------------------------------------

def _former_names(ctx: Context, ex: Extraction) -> Iterator[Finding]:
    for para in passages(ctx):
        for m in _FORMER.finditer(para.text):
            code, current = FORMER_CLASS_NAMES[m[0]]
            snippet = excerpt(para.text, m.start(), m.end())
            yield finding("names_years.former_class_name", ctx.prov(line_at(para, m.start()), table=para.heading),
                          (m[0], snippet), name=m[0], code=code, current=current, snippet=snippet)
    for item in ex.line_items:
        hit = FORMER_CLASS_NAMES.get(squash(item.name))
        if item.classification == FUNCTIONAL and hit and item.code == hit[0]:
            yield finding("names_years.former_class_name", item.provenance, (item.name, f"{item.code} {item.name}"),
                          name=item.name, code=item.code, current=hit[1], snippet=f"{item.code} {item.name}")


@cache
def codelist_names(scheme: str = "functional") -> dict[str, str]:
    """Code → name of the 功能分类 (``functional``) or 经济分类 (``economic``) code list
    (``ontology/codelists/<scheme>.ttl``, read as text: ingest holds no RDF)."""
    out = {}
    for concept in (CODELISTS / f"{scheme}.ttl").read_text(encoding="utf-8").split(" .\n"):
        code = re.search(r'skos:notation "(\d+)"', concept)
        name = re.search(r'skos:prefLabel "([^"]+)"@zh', concept)
        if code and name:
            out[code[1]] = name[1]
    return out


def _key(name: str) -> str:
    return name_key(name).replace("其它", "其他")


_PATH = re.compile(r"(?P<cls>[\u4e00-\u9fff]+)\s*[（(]\s*类\s*[）)]\s*(?:(?P<kuan>[^（()）]+?)\s*[（(]\s*款\s*[）)]\s*"
                   r"(?:(?P<xiang>[^（()）]+?)\s*[（(]\s*项\s*[）)])?)?")


def _children(names: dict[str, str], code: str) -> dict[str, str]:
    """name key → code of the children of ``code`` (类 → 款, 款 → 项) in ``names``."""
    return {_key(n): c for c, n in names.items() if len(c) == len(code) + 2 and c.startswith(code)}


def _wrapped(known: dict[str, str], key: str) -> str | None:
    """The code of the one known name that begins with ``key`` or that ``key`` begins with (a cell or a line
    that cut a long name short)."""
    hits = {c for k, c in known.items() if len(k) >= 4 and len(key) >= 4 and (k.startswith(key) or key.startswith(k))}
    return hits.pop() if len(hits) == 1 else None


def _class_code(text: str, table: dict[str, str]) -> str | None:
    """The 类 whose name ends ``text`` (the words before ``（类）``, with what leads into them)."""
    key = _key(text)
    for names in (table, codelist_names()):
        hits = [c for c, n in names.items() if len(c) == 3 and key.endswith(_key(n))]
        if hits:
            return max(hits, key=lambda c: len(names[c]))
    return None


def _item_names(ctx: Context, ex: Extraction) -> Iterator[Finding]:
    table = {li.code: li.name for li in ex.line_items if li.classification == FUNCTIONAL and li.name}
    if not table:
        return  # no functional table read: nothing to check the narrative against
    listed = codelist_names()
    for para in all_paragraphs(ctx):
        for m in _PATH.finditer(para.text):
            code = _class_code(m["cls"], table)
            parent = m["cls"]
            for level, group in (("款", "kuan"), ("项", "xiang")):
                name = m[group]
                if code is None or not name:
                    break
                printed = _children(table, code)
                if not printed:
                    break  # the tables list nothing under it: they cannot say the name is wrong
                known = {**_children(listed, code), **printed}
                child = known.get(_key(name)) or _wrapped(known, _key(name))
                if child is None:
                    names = "、".join(dict.fromkeys(table[c] for c in printed.values()))
                    snippet = excerpt(para.text, m.start(), m.end(), 0)
                    yield finding("names_years.item_name", ctx.prov(line_at(para, m.start()), table=para.heading),
                                  (squash(name), snippet), name=squash(name), level=level, parent=parent,
                                  known=names, snippet=snippet)
                    break
                code, parent = child, squash(name)


# --- years -------------------------------------------------------------------------------------

_LOOK_BACK = re.compile(r"决算|自评|评价|执行")


def _title_years(ctx: Context, ex: Extraction) -> Iterator[Finding]:
    own, phase = ex.document.year, ex.document.phase
    if own is None:
        return
    titled: list[tuple[str, Line, str | None]] = []
    for block in ctx.blocks:
        first = block.lines[0] if block.lines else None
        if block.role != NARRATIVE and block.title and first is not None:
            titled.append((block.title, first, block.title))
    for para in passages(ctx):
        if is_heading(para.first) and re.search(r"预算|决算", para.text):
            titled.append((para.text, para.first, para.heading))
    for title, line, table in titled:
        years = set(_year_of(title))
        if len(years) != 1 or (year := years.pop()) == own:
            continue
        if phase == BUDGET and year == own - 1 and _LOOK_BACK.search(title):
            continue  # 2024年度项目绩效自评表, 2024年预算执行情况 in a 2025 budget
        yield finding("names_years.title_year", ctx.prov(line, table=table), (str(year), title),
                      year=year, own=own, phase=PHASE_ZH.get(phase, ""), snippet=shorten(title, 60))


# a year-end date of what the department holds (车辆, 资产, 人员): not a target (截至2025年底完成…)
_CUTOFF = re.compile(r"截[至止]\s*((?:19|20)\d\d)\s*年\s*(?:12\s*月\s*31\s*日|年?底|年?末)(?=[^。；]{0,60}"
                     r"(?:共有|拥有|占有|保有|实有|在职|车辆|资产))")


def _cutoff_years(ctx: Context, ex: Extraction) -> Iterator[Finding]:
    own, phase = ex.document.year, ex.document.phase
    if own is None or phase not in PHASE_ZH:
        return
    expected = own if phase == FINAL_ACCOUNT else own - 1
    for para in all_paragraphs(ctx):
        text = fold_width(para.text)
        for m in _CUTOFF.finditer(text):
            year = int(m[1])
            if year != expected:
                snippet = excerpt(text, m.start(), m.end())
                yield finding("names_years.cutoff_year", ctx.prov(line_at(para, m.start()), table=para.heading),
                              (m[0], snippet), year=year, own=own, phase=PHASE_ZH[phase], expected=expected,
                              snippet=snippet)


_PRIOR_LABEL = re.compile(r"[近前上]两年")
_YEAR_CELL = re.compile(r"^((?:19|20)\d\d)\s*年?度?$")


def _year_cells(line: Line, start: int = 0) -> list[int]:
    return [int(m[1]) for cell in line.values()[start:] if (m := _YEAR_CELL.match(squash(fold_width(cell))))]


def _prior_years(ctx: Context, ex: Extraction) -> Iterator[Finding]:
    own = ex.document.year
    if own is None or ex.document.phase != BUDGET:
        return  # a 决算's 近两年 is not settled by its year alone
    expected = {own - 2, own - 1}
    for block in ctx.blocks:
        rows = block.lines
        for i, line in enumerate(rows):
            cells = line.values()
            at = next((c for c, cell in enumerate(cells) if _PRIOR_LABEL.search(cell)), None)
            if not line.is_row or at is None:
                continue
            years, first = _year_cells(line, at + 1), line
            for nxt in rows[i + 1:i + 4]:
                found = _year_cells(nxt)
                if not found:
                    if years:
                        break
                    continue
                first = first if years else nxt
                years += found
            printed = sorted(set(years) - {own})
            if printed and not set(printed) <= expected:
                label = squash(cells[at])
                yield finding("names_years.prior_years", ctx.prov(first, table=block.title),
                              tuple(str(y) for y in printed), table=block.title or "表", label=label,
                              years="、".join(map(str, printed)), own=own,
                              expected="、".join(map(str, sorted(expected))))


_GOAL_END = re.compile(r"长期(?:绩效)?目标\s*[（(]?\s*截[止至]\s*((?:19|20)\d\d)\s*年")


def _goal_end_years(ctx: Context, ex: Extraction) -> Iterator[Finding]:
    own = ex.document.year
    ends: list[tuple[int, Line, str | None]] = []
    for block in ctx.blocks_with_role("dept_performance"):  # a project's goal ends with the project
        for line in block.lines:
            for m in _GOAL_END.finditer(squash(fold_width(line.plain))):
                ends.append((int(m[1]), line, block.title))
    if not ends:
        return
    first_year, first_line, first_table = ends[0]
    for year, line, table in ends:
        if own is not None and year < own:
            other = f"本文件为 {own} 年，长期目标不应在当年之前截止"
        elif year != first_year:
            other = f"{first_table or '表'}的长期目标截止 {first_year} 年（第 {first_line.no} 行）"
        else:
            continue
        yield finding("names_years.goal_end_year", ctx.prov(line, table=table), (str(year), shorten(line.plain, 60)),
                      year=year, table=table or "表", other=other)


_SCOPE_WORDS = re.compile(r"((?:19|20)\d\d)\s*年\s*度?\s*(部门|单位)\s*(预算|决算)")


def _scope_wording(ctx: Context, ex: Extraction) -> Iterator[Finding]:
    doc = ex.document
    own_word = SCOPE_ZH.get(doc.scope)
    if doc.year is None or own_word is None:
        return
    texts = [*passages(ctx), *(Paragraph(b.title, [b.lines[0]], b.title) for b in ctx.blocks
                               if b.role != NARRATIVE and b.title and b.lines)]
    for para in texts:
        for m in _SCOPE_WORDS.finditer(fold_width(para.text)):
            if int(m[1]) == doc.year and m[2] != own_word:
                snippet = excerpt(para.text, m.start(), m.end())
                yield finding("names_years.scope_wording", ctx.prov(line_at(para, m.start()), table=para.heading),
                              (squash(m[0]), snippet), own=f"{own_word}{PHASE_ZH.get(doc.phase, '预算')}",
                              words=squash(m[0]), snippet=snippet)


_PRONOUN = {"department": "本单位", "unit": "本部门"}  # the pronoun of the other scope
_REGION = re.compile(r"^(?:[^省市区县]{1,8}?[省市])?(?:[^省市区县]{1,8}?[区县市])?")


def _unit_keys(ex: Extraction) -> set[str]:
    """The document's units by name as a heading or a sentence may print it: in full, without the region
    (``武汉市江岸区医疗保障服务中心`` → ``医疗保障服务中心``), and a 本级 unit by the 部门's short names
    (``江岸区医保局本级``)."""
    keys = set()
    for unit in ex.units:
        name = name_key(unit.name)
        keys |= {name, _REGION.sub("", name)}
        if name.endswith(("本级", "本部", "机关")):
            keys |= {name_key(short) + name[-2:] for short in (ex.document.department, *ex.document.short_names)}
    return {k for k in keys if len(k) >= 4}


def _scope_pronouns(ctx: Context, ex: Extraction) -> Iterator[Finding]:
    """``本单位`` in a 部门 document (of more than one unit) outside a unit's own section, ``本部门`` in a 单位
    document."""
    doc = ex.document
    word = _PRONOUN.get(doc.scope)
    if word is None or doc.scope == "department" and len(ex.units) <= 1:
        return
    units = _unit_keys(ex) if doc.scope == "department" else set()
    stack: list[tuple[int, str]] = []
    for para in passages(ctx):
        if para.text == para.heading and len(para.lines) == 1:
            level = heading_level(para.text)
            stack = [(lv, t) for lv, t in stack if lv < level] + [(level, para.text)]
        framed = [name_key(t) for _, t in stack] + [name_key(para.text)]
        if any(k in t for k in units for t in framed):
            continue
        for m in re.finditer(word, para.text):
            snippet = excerpt(para.text, m.start(), m.end())
            yield finding("names_years.scope_pronoun", ctx.prov(line_at(para, m.start()), table=para.heading),
                          (word, snippet), own=f"{SCOPE_ZH[doc.scope]}{PHASE_ZH.get(doc.phase, '预算')}", words=word,
                          expected=_PRONOUN["unit" if doc.scope == "department" else "department"], snippet=snippet)


def audit(ctx: Context, ex: Extraction) -> Iterable[Check | Finding]:
    """The names-and-years findings of the document."""
    yield from _former_names(ctx, ex)
    yield from _item_names(ctx, ex)
    yield from _title_years(ctx, ex)
    yield from _cutoff_years(ctx, ex)
    yield from _prior_years(ctx, ex)
    yield from _goal_end_years(ctx, ex)
    yield from _scope_wording(ctx, ex)
    yield from _scope_pronouns(ctx, ex)

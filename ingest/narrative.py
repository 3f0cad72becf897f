"""Narrative text → search chunks, and the narrative list of projects.

:func:`read_narrative` turns the narrative blocks (their paragraphs from :mod:`ingest.paragraphs`) into
:class:`~ingest.records.Chunk` records (≤ ~400 characters, split at sentence
ends, never across headings), adds chunks for the texts of project forms, and
records the projects the 项目支出 explanation lists (``1. 往来资金 300 万元；``)
as ``narrative`` mentions for the alias merger.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from .context import Context
from .document.names import department_name, region_prefixes, split_region
from .layout import Line
from .normalise import fold_width, squash
from .numbers import to_wan
from .paragraphs import LIST_MARK, Paragraph, all_paragraphs, narrative_blocks, paragraphs
from .records import ANNUAL, GOAL_FIELDS, LONG_TERM, Chunk, FieldSource, Indicator, Project, Provenance, field_source

CHUNK_LIMIT = 400


# --- splitting text into chunks ----------------------------------------------------


def split_text(text: str, limit: int = CHUNK_LIMIT) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at sentence ends (then at commas, then hard)."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    pieces: list[str] = []
    for sentence in re.split(r"(?<=[。！？!?；;])", text):
        if len(sentence) > limit:
            parts = re.split(r"(?<=[，,、])", sentence)
            if max(len(p) for p in parts) > limit:
                parts = [sentence[i : i + limit] for i in range(0, len(sentence), limit)]
        else:
            parts = [sentence]
        for part in parts:
            if pieces and len(pieces[-1]) + len(part) <= limit:
                pieces[-1] += part
            elif part.strip():
                pieces.append(part)
    return [p.strip() for p in pieces if p.strip()]


# --- heading kinds ------------------------------------------------------------------

_KINDS: list[tuple[str, re.Pattern]] = [
    ("glossary", re.compile(r"名词解释|名称解释|术语解释|专业名词|名词说明")),
    ("other", re.compile(r"单位构成|机构设置|机构情况|单位组成|人员情况|人员构成|编制情况|基本情况$|概况$")),
    ("function", re.compile(r"职能|职责")),
    ("task", re.compile(r"工作目标|主要任务|工作任务|工作计划|重点工作|工作思路|年度目标")),
    ("explanation", re.compile(r"收支|收入|支出|经费|三公|采购|资产|绩效|拨款|预算|决算|结转|结余")),
]


def heading_level(title: str) -> int:
    """0 for 第N部分, 1 for 一、, 2 for （一）, 3 for anything else."""
    s = squash(title).lstrip("#*")
    if re.match(r"第[一二三四五六七八九十]+部分", s):
        return 0
    if re.match(r"[一二三四五六七八九十]+、", s):
        return 1
    if re.match(r"[（(][一二三四五六七八九十]+[)）]", s):
        return 2
    return 3


def kind_of(headings: list[str]) -> str:
    """Chunk kind from the heading path (outermost first): glossary anywhere wins, else the innermost match."""
    if any(_KINDS[0][1].search(squash(h)) for h in headings):
        return "glossary"
    for h in reversed(headings):
        for kind, pattern in _KINDS[1:]:
            if pattern.search(squash(h)):
                return kind
    return "other"


# --- chunks ---------------------------------------------------------------------------


def _is_prose(paras: list[Paragraph]) -> bool:
    """A block of sentences, not a table of contents or a list of labels."""
    return any(re.search(r"[。！？；]", p.text) or len(p.text) >= 60 for p in paras)


def _unit_subject(text: str, units: list[tuple[str, list[str]]]) -> str | None:
    body = LIST_MARK.sub("", text, count=1).lstrip()
    for name, forms in units:
        if any(body.startswith(f) for f in forms):
            return name
    return None


def _unit_forms(ctx: Context, department: str) -> list[tuple[str, list[str]]]:
    """(unit name, the forms a paragraph may start with) for units other than the department itself."""
    out = []
    for unit in ctx.units:
        name = squash(unit.name)
        if not name or name.endswith("本级") or name == department:
            continue
        _, org = split_region(name)
        forms = {name} | {p + org for p in region_prefixes(name)} | ({org} if len(org) >= 4 else set())
        out.append((name, sorted(forms, key=len, reverse=True)))
    return out


def _chunk(ctx: Context, text: str, kind: str, subject_type: str, subject: str, prov: Provenance | None,
           project: Project | None = None, printed: bool = True, lines: tuple[Line, ...] | list[Line] = ()) -> None:
    """Split ``text`` into chunks; a ``project`` subject passes its unit and code so that a name two
    units share still links to the right project.  A ``printed`` text is its snippet, placed on the one of
    its ``lines`` where it starts; a text composed from a record (a goal with its label, an indicator row's
    fields) keeps the snippet of the place."""
    unit, code = (project.unit, project.code) if project else (None, None)
    for piece in split_text(text):
        if prov is None:
            p = Provenance(ctx.doc_id, snippet=piece[:200])
        else:
            start = next((ln for ln in lines if squash(piece)[:8] in squash(ln.plain)), None)
            at = ctx.prov(start, table=prov.table) if start is not None else prov
            p = replace(at, snippet=piece[:200]) if printed else prov
        ctx.chunks.append(Chunk(piece, kind, subject_type, subject, p, subject_unit=unit, subject_code=code))


def narrative_chunks(ctx: Context, department: str) -> None:
    """Chunks for every prose narrative block; paragraphs are packed up to the limit under one heading."""
    units = _unit_forms(ctx, department)
    stack: list[tuple[int, str]] = []
    for block in narrative_blocks(ctx):
        if block.title:
            level = heading_level(block.title)
            stack = [(lv, t) for lv, t in stack if lv < level] + [(level, block.title)]
        paras = paragraphs(block)
        if not _is_prose(paras):
            continue
        kind = kind_of([t for _, t in stack])
        group: list[Paragraph] = []
        group_subject: str | None = None

        def flush() -> None:
            if group:
                text = "\n".join(p.text for p in group)
                subject_type, subject = ("unit", group_subject) if group_subject else ("department", department)
                _chunk(ctx, text, kind, subject_type, subject, ctx.prov(group[0].first, table=block.title),
                       lines=[ln for p in group for ln in p.lines])
                group.clear()

        for para in paras:
            subject = _unit_subject(para.text, units)
            size = sum(len(p.text) + 1 for p in group) + len(para.text)
            if group and (subject != group_subject or size > CHUNK_LIMIT):
                flush()
            group_subject = subject
            group.append(para)
        flush()


def _kind_label(goal: str) -> str:
    return {LONG_TERM: "长期目标", ANNUAL: "年度目标"}.get(goal, goal)


def indicator_text(ind: Indicator) -> str:
    """``年度目标 产出指标/数量指标/电话接入量：>10 万次（历史数据）``."""
    levels = "/".join(x for x in (ind.level1, ind.level2, ind.level3) if x)
    text = f"{_kind_label(ind.goal)} {levels}：{ind.value_raw or ''}"
    return text + (f"（{ind.basis}）" if ind.basis else "")


def _field_place(record: Project | Indicator, field: str, value: str | None = None) -> Provenance | None:
    """Where the record's field (its value, for a goal) is printed: its own lines, else the record's."""
    named = field_source(record, field, value)
    return named.provenance if named else record.provenance


def project_chunks(ctx: Context) -> None:
    """Chunks for project forms: legal basis, implementation, goals, one per indicator row."""
    for mention in ctx.mentions:
        if mention.source not in ("form", "writeup"):
            continue
        p = mention.project
        for kind, field in (("legal_basis", "legal_basis_text"), ("implementation", "implementation_text")):
            if getattr(p, field):
                _chunk(ctx, getattr(p, field), kind, "project", p.name, _field_place(p, field), p)
        for goal, text in p.goals:
            if text:
                _chunk(ctx, f"{_kind_label(goal)}：{text}", "goal", "project", p.name,
                       _field_place(p, GOAL_FIELDS[goal], text), p, printed=False)
        for ind in p.indicators:
            _chunk(ctx, indicator_text(ind), "indicator", "project", p.name,
                   _field_place(ind, "level3") or p.provenance, p, printed=False)


# --- the narrative list of projects ------------------------------------------------------

_NUM = r"(?P<amt>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|万|元)"
_NAME = r"(?P<name>[\u4e00-\u9fffA-Za-z（）()\-—“”\"]{2,40}?)"
# "1. 往来资金 300 万元；" — anywhere in a paragraph, after a separator
_ITEM = re.compile(rf"(?:^|(?<=[：:；;。，,\s]))(?:\d{{1,2}}\s*[.、．]|[（(]\d{{1,2}}[)）])\s*{_NAME}\s*{_NUM}")
# "购买医保经办服务经费324.09万元，主要用于…" — a paragraph that opens with a name, an amount and its use
_LEAD = re.compile(rf"^{_NAME}\s*{_NUM}\s*[，,。；;]?\s*(?:主要)?用于")
_PROJECT_PART = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.、．])?\s*项目支出")
_NOT_PROJECTS = {"基本支出", "项目支出", "人员经费", "公用经费", "合计", "总计", "其中"}


def _items(text: str) -> list[re.Match]:
    text = fold_width(text)
    found = [m for m in _ITEM.finditer(text)]
    if not found:
        m = _LEAD.match(LIST_MARK.sub("", text, count=1).strip())
        found = [m] if m else []
    return [m for m in found if squash(m["name"]) not in _NOT_PROJECTS]


def narrative_projects(ctx: Context) -> None:
    """``ctx.mention('narrative', Project(name, amount))`` for each item listed under the 项目支出 explanation.

    The list starts at a paragraph (or heading) that opens with 项目支出, may follow up to two lines of
    introduction (``其中 2023 年安排主要用于：``) and ends at the first paragraph after it that lists nothing.
    """
    for block in narrative_blocks(ctx):
        active = bool(block.title and _PROJECT_PART.match(squash(block.title)))
        listed, intro = False, 0
        for para in paragraphs(block):
            text = squash(para.text)
            opening = not active and _PROJECT_PART.match(text) and re.search(r"\d", text)
            if opening:
                active, listed, intro = True, False, 0
                text = text[text.index("项目支出") + 4 :]  # inline items may follow the total
            if not active:
                continue
            items = _items(text)
            if not items:
                if not opening:
                    intro += 1
                    active = not listed and intro <= 2
                continue
            listed = True
            prov = ctx.prov(para.first, table=block.title)
            for m in items:
                amount = to_wan(Decimal(m["amt"].replace(",", "")), m["unit"])
                ctx.mention("narrative", Project(name=squash(m["name"]), amount=amount, provenance=prov,
                                                 field_sources=_item_sources(ctx, para, m[0], block.title)))


# "编报绩效目标的项目共4个，涉及项目预算资金598.46万元。其中：中介机构服务费418.80万元，财政业务费10.00万元…"
_COUNTED = re.compile(r"项目共(?P<n>\d+)个[^。]*?(?P<total>\d[\d,]*(?:\.\d+)?)(?P<tunit>万元|元)[^。]*。其中[:：](?P<list>[^。]*)")
_LISTED = re.compile(rf"(?:^|(?<=[，,；;、]))\s*{_NAME}\s*{_NUM}")


def counted_projects(ctx: Context) -> None:
    """``ctx.mention('counted', …)`` for the projects a sentence counts and then lists with their amounts,
    when the list holds as many items as counted or its amounts add up to the stated total."""
    for para in all_paragraphs(ctx):
        m = _COUNTED.search(fold_width(squash(para.text)))
        if not m:
            continue
        items = [i for i in _LISTED.finditer(m["list"]) if squash(i["name"]) not in _NOT_PROJECTS]
        amounts = [to_wan(Decimal(i["amt"].replace(",", "")), i["unit"]) for i in items]
        total = to_wan(Decimal(m["total"].replace(",", "")), m["tunit"])
        if items and (len(items) == int(m["n"]) or sum(amounts) == total):
            prov = ctx.prov(para.first)
            for item, amount in zip(items, amounts):
                ctx.mention("counted", Project(name=squash(item["name"]), amount=amount, provenance=prov,
                                               field_sources=_item_sources(ctx, para, item[0])))


def _item_sources(ctx: Context, para: Paragraph, item: str, table: str | None = None) -> tuple[FieldSource, ...]:
    """Where a listed project's name and amount are read: the paragraph's line that prints the item (or its
    start), with the item as the snippet."""
    want = squash(item).lstrip("，,；;、")
    line = next((ln for ln in para.lines if want in fold_width(squash(ln.plain))),
                next((ln for ln in para.lines if want[:4] in fold_width(squash(ln.plain))), para.first))
    where = replace(ctx.prov(line, table=table), snippet=want)
    return FieldSource("name", where), FieldSource("amount", where)


def read_narrative(ctx: Context) -> None:
    """Narrative chunks, project-form chunks and the narrative project list, into ``ctx``."""
    department = department_name(ctx)
    narrative_chunks(ctx, department)
    project_chunks(ctx)
    narrative_projects(ctx)
    counted_projects(ctx)

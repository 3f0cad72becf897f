"""Units and offices the narrative names under its 单位构成 / 机构设置 heading.

Numbered lines, rows of a ``序号 | 单位名称`` table, ``内设机构：A、B`` and ``内设A、B等6个科室`` lists;
offices go to ``ctx.offices``, affiliated institutions to ``ctx.units`` under their full name.
"""

from __future__ import annotations

import re

from ..context import Context
from ..normalise import squash
from ..paragraphs import Paragraph, narrative_blocks, paragraphs
from ..records import Unit
from .names import cell_texts, is_abbreviation, region_prefixes


_COMPOSITION = re.compile(r"单位构成|机构设置|单位组成|预算单位|内设机构|机构情况|单位情况")
_ITEM_LINE = re.compile(r"^\s*(?:\d{1,2}\s*[.、．]|[（(]\d{1,2}[)）]|[-*+])\s*(?P<name>[^，。；;,:：]{2,30}?)\s*[。；;，,]?\s*$")
# "内设机构：A、B" / "下属单位：A、B" / "预算单位共3个，包括：A、B、C" / "二级预算单位2个，分别是：A、B"
_INLINE = re.compile(r"(?P<kind>内设机构|内设|科室|事业单位|下属单位|二级单位|所属单位|预算单位)[^：:。；]{0,12}[：:]"
                     r"(?P<list>[^。；;]+)")
_OFFICE = re.compile(r"(?:办公室|科|股|处|室|办)$")
# "内设办公室、财务科等6个内设科室" / "设有A、B两个科室" / "内设A、B共7个股室": a list closed by its count
_COUNTED = re.compile(
    r"(?P<verb>内设|设有|下设|设立|设置|设)(?:机构)?(?P<list>[^：:。；;，,、\d]{2,30}(?:、[^：:。；;，,、\d]{2,30})+?)"
    r"[等共]?(?:\d+|[一二两三四五六七八九十]+)个(?P<what>(?:内设|职能|业务|行政)?(?:科室|处室|股室|机构|部门|科|处|室))"
)
# the words that say a list names offices (内设机构, N个科室), or units (下属单位, 事业单位)
_OFFICE_LIST = re.compile(r"^内设|科室|处室|股室|^[科处室]$")
_UNIT_LIST = re.compile(r"单位")
_BRACKETED = re.compile(r"[（(][^（）()]*[)）]$")
_CODE_REMARK = re.compile(r"[（(][^（）()]*?(?:编码|代码)[:：]?(\d{2,})[^（）()]*[)）]$")


def _listed_names(text: str) -> list[str]:
    """The names of ``A、B和C``, numbering, 等 and a trailing remark in brackets removed."""
    out = []
    for name in re.split(r"[、，,]|(?<=[科室处股办局心院所站队馆校会部组])(?:和|及)", text):  # not 建设和…科
        name = re.sub(r"^(?:\d+[.、]|等)|[等共]$", "", _BRACKETED.sub("", name))
        if 2 <= len(name) <= 30 and not re.search(r"\d", name):
            out.append(name)
    return out


_ITEM_HEAD = re.compile(
    r"^\s*(?:\d{1,2}\s*[.、．]|[（(]\d{1,2}[)）])\s*(?P<name>[^，。；;,:：]{2,40}?)\s*(?:[。；;，,](?P<rest>.*))?$")
_OWN_BRACKET = re.compile(r"[（(](?:本级|本部|机关)[)）]$")  # part of the name, not a remark


# a unit named inside its sentence: "下属事业单位上海市普陀区交流服务中心不单列预算"
_IN_SENTENCE = re.compile(
    r"(?:下属|所属|下设|直属)的?(?:二级)?(?:事业|行政)?单位(?:还有|有|为)?"
    r"(?P<name>[\u4e00-\u9fff（）()]{2,30}?(?:中心|局|所|站|院|馆|队|校|委员会|委|办公室|会|处|部|室|园|场))"
    r"(?=[不未]?(?:单列|单独|纳入|列入|编制)|[。；;，,]|$)")


def _unit_name(text: str) -> str:
    """A listed unit's name: the words of its sentence and a trailing remark in brackets dropped,
    ``（本级）`` / ``（本部）`` kept."""
    s = squash(text)
    named = _IN_SENTENCE.search(s)
    s = named["name"] if named else s
    return s if _OWN_BRACKET.search(s) else _BRACKETED.sub("", s)


def _is_subheading(para: Paragraph) -> bool:
    """A short unnumbered line standing alone (``上海市普陀区商务委员会机构设置``, ``名词解释``)."""
    text = squash(para.text)
    return len(text) <= 30 and not _LIST_MARK_RE.match(para.text) and not re.search(r"[。；;，,:：\d]", text)


# a composition heading printed on one line with the sentence after it
_GLUED_HEADING = re.compile(r"^[^。；;，,:：\d]{2,40}?(?:机构设置|单位构成|单位组成|机构情况)(?P<rest>[^）)、和及与].*[。；;：:].*)$")
_LIST_MARK_RE = re.compile(r"^\s*(?:\d{1,2}\s*[.、．]|[（(][\d一二三四五六七八九十]{1,3}[)）]|[-*+]\s)")


def _composition_entries(ctx: Context) -> list[Paragraph]:
    """Paragraphs and table rows under a 单位构成 / 机构设置 heading (block title or a line of its own)."""
    out = []
    for block in narrative_blocks(ctx):
        active = bool(block.title and _COMPOSITION.search(squash(block.title)))
        rows = [Paragraph(ln.plain, [ln], block.title) for ln in block.lines if ln.is_row]
        entries = sorted(paragraphs(block) + rows, key=lambda p: p.first.no)
        for para in entries:
            if not para.first.is_row and _is_subheading(para):
                active = bool(_COMPOSITION.search(squash(para.text)))
                continue
            glued = None if para.first.is_row else _GLUED_HEADING.match(squash(para.text))
            if glued:  # "…（部门）机构设置上海市…下属单位包括：": the heading, then its first sentence
                active = True
                para = Paragraph(glued["rest"], para.lines, para.heading)
            if active:
                out.append(para)
    return out


OFFICE, UNIT = "office", "unit"


def _list_kind(*words: str) -> str | None:
    """What the words introducing or closing a list say it names: offices, units, or (``None``) neither."""
    if any(_OFFICE_LIST.search(w) for w in words):
        return OFFICE
    if any(_UNIT_LIST.search(w) for w in words):
        return UNIT
    return None


def composition_items(ctx: Context) -> list[tuple[str, str | None, Paragraph, str | None]]:
    """(name, code, paragraph, kind) of each name listed under the 部门预算单位构成 heading: numbered lines
    (``1. 某局本级（单位编码160001）``, ``2. 某中心，不单列预算。``), rows of a ``序号 | 单位名称 | 备注``
    table, ``内设机构：A、B`` and ``内设A、B、C等6个科室``.  ``kind`` is :data:`OFFICE` or :data:`UNIT` where
    the list's own words say which (内设…科室, 下属单位：…), else ``None``."""
    out = []
    name_col = None
    for para in _composition_entries(ctx):
        if para.first.is_row:
            cells = [squash(c) for c in para.first.values()]
            if "单位名称" in cells:
                name_col = cells.index("单位名称")
            elif name_col is not None and name_col < len(cells) and cells[name_col]:
                out.append((_unit_name(cells[name_col]), None, para, UNIT))
            continue
        name_col = None
        m = _ITEM_LINE.match(para.text) or _ITEM_HEAD.match(para.text)
        rest = ""
        if m:
            name = squash(m["name"])
            code = _CODE_REMARK.search(name)
            out.append((_unit_name(name), code[1] if code else None, para, None))
            rest = squash(m.groupdict().get("rest") or "")
            if not rest:
                continue
        text = rest or squash(para.text)
        lists = [(m["list"], _list_kind(m["kind"])) for m in _INLINE.finditer(text)] + \
            [(m["list"], _list_kind(m["verb"], m["what"])) for m in _COUNTED.finditer(text)]
        for listed, kind in lists:
            out.extend((name, None, para, kind) for name in _listed_names(listed))
        out.extend((m["name"], None, para, UNIT) for m in _IN_SENTENCE.finditer(text))
    return out


def full_unit_name(texts: list[str], name: str, prefixes: list[str]) -> str:
    """The longest name in the texts that ends with ``name`` and starts with the region (else ``name``)."""
    best = name
    for text in texts:
        for m in re.finditer(rf"[\u4e00-\u9fff]{{0,24}}{re.escape(name)}", text):
            for prefix in prefixes:
                at = m[0].find(prefix)
                if at < 0:
                    continue
                gap = m[0][at + len(prefix) : len(m[0]) - len(name)]
                candidate = m[0][at:]
                if len(gap) <= 6 and not re.search(r"的|成立|设立|由|和|及|与", gap) and len(candidate) > len(best):
                    best = candidate
                break
    return best


def _known(units: list[Unit], name: str) -> bool:
    return any(name in squash(u.name) or (is_abbreviation(name, squash(u.name)) and squash(u.name).endswith(name[-2:]))
               for u in units)


def add_composition(ctx: Context, department: str) -> None:
    """Offices to ``ctx.offices``; affiliated institutions to ``ctx.units`` (code ``None``) unless known."""
    texts = cell_texts(ctx)
    prefixes = region_prefixes(department)
    for name, code, para, kind in composition_items(ctx):
        if code and any(u.code and u.code.lstrip("0") == code.lstrip("0") for u in ctx.units):
            continue
        if name.endswith("本级"):
            if not any(squash(u.name).endswith("本级") for u in ctx.units):
                ctx.units.append(Unit(department + "本级", None, ctx.prov(para.first, table=para.heading)))
            continue
        if kind == OFFICE or kind is None and _reads_as_office(name, prefixes):
            if name not in ctx.offices:
                ctx.offices.append(name)
            continue
        full = full_unit_name(texts, name, prefixes) if prefixes else name
        if not (_known(ctx.units, name) or _known(ctx.units, full)):
            ctx.units.append(Unit(full, None, ctx.prov(para.first, table=para.heading)))


def _reads_as_office(name: str, prefixes: list[str]) -> bool:
    """An internal office by its name: …科 / …股 / …办公室, and not named with its region (洛阳市公证处 is a unit)."""
    if any(name.startswith(p) for p in prefixes):
        return False
    return bool(_OFFICE.search(name)) and not re.search(r"中心|所|站|队|院|馆", name)

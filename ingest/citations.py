"""Legal-basis citations: 文号 (``武政规〔2016〕32号``) and 《titles》.

Normalisation (DESIGN §5): brackets around the year in any form become ``〔〕``,
all whitespace goes, full-width digits become ASCII, the trailing 号 is kept.
A 《title》 immediately followed by its （文号） is one citation with both keys.
Procurement or contract numbers (``HBT-16222016-220332``) are not 文号.
"""

from __future__ import annotations

import re

from .normalise import fold_width, squash
from .records import Citation, Provenance

OPEN_BRACKETS = "[［【（(〔｛{〖"
CLOSE_BRACKETS = "]］】）)〕｝}〗"

# 2–12 CJK characters (the issuer's abbreviation), a bracketed year, a number, 号
_DOCNUM = re.compile(
    rf"(?P<prefix>[\u4e00-\u9fff]{{1,14}})\s*[{re.escape(OPEN_BRACKETS)}]\s*(?P<year>(?:19|20)\d\d)\s*"
    rf"[{re.escape(CLOSE_BRACKETS)}]\s*(?:第\s*)?(?P<num>\d{{1,5}})\s*号"
)
# 国务院令第649号, 财政部令第102号 (no year bracket)
_DECREE = re.compile(r"(?P<prefix>[\u4e00-\u9fff]{1,12}令)\s*第\s*(?P<num>\d{1,5})\s*号")

# words that precede an issuer abbreviation in running text and are not part of it
_LEADING_WORDS = (
    "根据", "依据", "按照", "参照", "依照", "遵照", "执行", "落实", "贯彻", "结合", "对照", "通过", "关于",
    "文件", "通知", "规定", "精神", "要求", "印发", "转发", "批复", "意见", "办法", "以及", "及", "和", "与", "或", "的", "等", "见",
    "其中", "标准", "是", "为", "于", "由", "在", "按", "依", "据", "照", "了", "中", "号",
)

# inside the run of CJK before a 文号, a word after which the issuer begins (not 中: 中办发 is an issuer)
_INNER_WORD = re.compile("|".join(sorted((w for w in _LEADING_WORDS if w not in ("中", "及", "和", "与", "或", "的")),
                                         key=len, reverse=True)))
# the Party centre's issuers (中发, 中办发, 中组发 …): their 中 is no running-text word
_CENTRAL = re.compile(r"中(?:办|发|组|宣|纪|编|央)")
# the first character of a provincial or national issuer's abbreviation (鄂财教, 沪府办发, 国办发)
_ISSUER_HEADS = frozenset("京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川蜀贵黔云滇陕甘陇青蒙桂藏宁新港澳国中")
_ISSUER_MAX = 6  # characters of the longest abbreviation (鄂卫生计生发, 武医保改办文)
# how an issuer's abbreviation ends: the kind of document (发, 规, 办, 函, 字, 通, 文) or an organ (财预, 卫计)
_ISSUER_TAIL = re.compile(r"(?:发|规|办|函|字|通|文|令|预|教|社|计|政|委|财)[\u4e00-\u9fff]{0,2}$")

# the organ named in words before its own abbreviation (区财政局樊财预发): the issuer starts after it
_ORGAN = re.compile(r"(?:局|委员会|政府|办公室|办公厅|厅)")

_TITLE_OPEN, _TITLE_CLOSE = "《", "》"


def normalize_doc_number(text: str) -> str:
    """Any bracket/spacing/width variant of a 文号 → its canonical form."""
    s = squash(fold_width(text))
    for ch in OPEN_BRACKETS:
        s = s.replace(ch, "〔")
    for ch in CLOSE_BRACKETS:
        s = s.replace(ch, "〕")
    if s and not s.endswith("号") and re.search(r"\d$", s):
        s += "号"
    return s


def normalize_title(text: str) -> str:
    """Title text inside the outer 《》 (every pair of them: ``《《办法》》`` → ``办法``), whitespace removed,
    inner 〈〉 kept.  A key normalises to itself."""
    s = squash(text)
    while s.startswith(_TITLE_OPEN) and s.endswith(_TITLE_CLOSE) and len(s) > 1:
        s = s[1:-1]
    return s


def normalize_ref(text: str) -> tuple[str, str]:
    """A user's reference (a 文号 in any variant, or a title) → ``(kind, key)``."""
    s = text.strip()
    if looks_like_doc_number(s):
        return "doc_number", normalize_doc_number(s)
    return "title", normalize_title(s)


def looks_like_doc_number(text: str) -> bool:
    s = squash(fold_width(text))
    return bool(_DOCNUM.fullmatch(s + ("" if s.endswith("号") else "号")) or _DECREE.fullmatch(s))


def _trim_prefix(prefix: str) -> str:
    """The issuer's abbreviation: words of the running text before it are cut off.

    Running text ends at a conjunction, at a word that introduces a basis (``扶助标准按鄂卫生计生发``: after
    按), after the organ named in words (``区财政局樊财预发``: after 局) and, failing those, before a province or
    national head (``补助标准鄂财教``: from 鄂)."""
    prefix = re.split(r"[和及与或的、]", prefix)[-1] or prefix
    changed = True
    while changed and prefix:
        changed = False
        for word in _LEADING_WORDS:
            if prefix.startswith(word) and len(prefix) > len(word) and not _CENTRAL.match(prefix):
                prefix = prefix[len(word):]
                changed = True
    cut = max((m.end() for m in _INNER_WORD.finditer(prefix) if len(prefix) - m.end() >= 2), default=0)
    prefix = prefix[cut:]
    organ = [m.end() for m in _ORGAN.finditer(prefix) if 2 <= len(prefix) - m.end() <= _ISSUER_MAX]
    if organ and _ISSUER_TAIL.search(prefix[organ[-1]:]):
        prefix = prefix[organ[-1]:]
    if len(prefix) > _ISSUER_MAX and prefix[0] not in _ISSUER_HEADS:  # longer than an abbreviation: text glued
        head = next((i for i, ch in enumerate(prefix) if ch in _ISSUER_HEADS and 2 <= len(prefix) - i <= _ISSUER_MAX),
                    None)
        if head is not None and _ISSUER_TAIL.search(prefix[head:]):
            prefix = prefix[head:]
    return prefix


def _titles(text: str) -> list[tuple[int, int, str]]:
    """Outermost 《…》 spans (start, end, inner text), tolerant of unbalanced brackets."""
    spans = []
    depth, start = 0, -1
    for i, ch in enumerate(text):
        if ch == _TITLE_OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch == _TITLE_CLOSE and depth > 0:
            depth -= 1
            if depth == 0:
                inner = text[start + 1 : i]
                if inner.strip():
                    spans.append((start, i + 1, inner))
        elif ch in "\n" and depth:
            depth, start = 0, -1  # an unclosed title never spans a line break
    return spans


def doc_numbers(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, raw, key) of every 文号 in ``text``."""
    folded = fold_width(text)
    found = []
    for m in _DOCNUM.finditer(folded):
        prefix = _trim_prefix(m["prefix"])
        start = m.end("prefix") - len(prefix)
        raw = text[start : m.end()]
        key = f"{prefix}〔{m['year']}〕{int(m['num'])}号"
        found.append((start, m.end(), raw, key))
    for m in _DECREE.finditer(folded):
        prefix = _trim_prefix(m["prefix"])
        start = m.end("prefix") - len(prefix)
        found.append((start, m.end(), text[start : m.end()], f"{prefix}第{int(m['num'])}号"))
    return sorted(found)


def find_citations(text: str, field: str | None = None, provenance: Provenance | None = None) -> list[Citation]:
    """Every citation in ``text``; titles directly followed by their 文号 carry both keys."""
    if not text:
        return []
    out: list[Citation] = []
    numbers = doc_numbers(text)
    for start, end, inner in _titles(text):
        title = normalize_title(inner)
        attached = None
        for nstart, nend, nraw, key in numbers:
            gap = text[end:nstart]
            if nstart >= end and re.fullmatch(r"\s*[（(\[【]?\s*", gap):
                attached = key
                break
        out.append(Citation("title", title, text[start:end], doc_number=attached, field=field, provenance=provenance))
    for _, _, raw, key in numbers:
        out.append(Citation("doc_number", key, raw, field=field, provenance=provenance))
    return dedupe(out)


def dedupe(citations: list[Citation]) -> list[Citation]:
    """Keep the first citation per (kind, key, field)."""
    seen, out = set(), []
    for c in citations:
        k = (c.kind, c.key, c.field)
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out


# --- 《》 that the source mis-nests ----------------------------------------------------

_DOCNUM_START = re.compile(r"[（(]\s*[\u4e00-\u9fff]{1,12}\s*[\[［【（(〔]\s*(?:19|20)\d\d")


def repair_titles(text: str) -> str:
    """Close 《titles》 the source left open or closed with the wrong bracket.

    Nested titles are printed with 〈〉, so a 《 inside an open 《 means the first was
    never closed: it is closed before its trailing （文号） or connector.  A 》 that
    closes an open 〈 while another 》 follows is read as 〉.
    """
    out: list[str] = []
    stack: list[tuple[str, int]] = []  # (bracket, index in out)
    for i, ch in enumerate(text):
        if ch == "《" and stack and stack[-1][0] == "《":
            _close_open_title(out, stack.pop()[1])
        elif ch == "》" and stack and stack[-1][0] == "〈":
            if "》" in _until_next_title(text, i + 1):
                stack.pop()
                out.append("〉")
                continue
        elif ch == "\n":
            stack.clear()
        if ch in "《〈":
            stack.append((ch, len(out)))
        elif ch == "〉" and stack and stack[-1][0] == "〈" or ch == "》" and stack and stack[-1][0] == "《":
            stack.pop()
        out.append(ch)
    return "".join(out)


def _until_next_title(text: str, start: int) -> str:
    end = len(text)
    for stop in ("《", "\n"):
        j = text.find(stop, start)
        if j != -1:
            end = min(end, j)
    return text[start:end]


def _close_open_title(out: list[str], start: int) -> None:
    """Insert the missing 》 for the title opened at ``out[start]``."""
    body = "".join(out[start:])
    m = _DOCNUM_START.search(body)
    cut = m.start() if m else None
    if cut is None:
        m = re.search(r"(?:和|及|与|、|，|,)\s*$", body)
        cut = m.start() if m else len(body)
    out.insert(start + cut, "》")

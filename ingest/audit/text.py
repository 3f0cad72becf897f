"""Template leftovers and text hygiene in the narrative: what an editor forgot to fill in or tidy up.

Only the narrative is read (its paragraphs, :mod:`ingest.paragraphs`, and the headings its blocks open
with); table rows, headers and form cells are not prose and are never checked here.  Each rule looks for a
shape that prose never takes when it is finished:

- ``text.template_alternative``: both directions of a template left in (``增加（减少）``, ``下降（增长）27.78%``,
  ``增加或减少 0 万元``) before the figure they should describe;
- ``text.empty_reason``: a reason announced and not given (``主要原因是。``);
- ``text.placeholder``: ``XX`` / ``××`` / ``（略）`` where a figure or a name belongs;
- ``text.doubled_punctuation``: ``。。`` ``，，`` ``、、`` ``；；`` ``：：``;
- ``text.missing_full_stop``: a numbered item without its full stop where its siblings have one and the next
  item follows it (so the item did end there: a paragraph split over pages is not one);
- ``text.paragraph_without_full_stop``: a paragraph that is a sentence ending without its full stop where a
  numbered heading follows it at once on the same page (so the paragraph did end there);
- ``text.unmatched_bracket``: a “ ” 《 》 （ ） left open or closed without opening within a paragraph;
- ``text.missing_amount``: ``万元`` with no number before it (``本年收入万元``);
- ``text.yuan_for_wan``: a figure the narrative gives in 元 that the tables give, with the same digits, in 万元.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..context import Context
from ..layout import Line
from ..narrative import heading_level
from ..normalise import fold_width, shorten
from ..paragraphs import LIST_MARK, Paragraph, all_paragraphs, narrative_blocks, paragraphs
from ..records import Check, Extraction, Figure, Finding, Rule
from ..reconcile.figures import printed_step
from ..rules import finding

FAMILY = "text"

RULES: tuple[Rule, ...] = (
    Rule("text.template_alternative", FAMILY, "error",
         "文字说明留有模板的两种写法“{words}”，未按实际增减选定：{snippet}",
         "exact wording: two opposite direction words joined by （）, / or 或 before a figure"),
    Rule("text.empty_reason", FAMILY, "error", "文字说明写了“{words}”却没有说明原因：{snippet}",
         "exact wording: 原因是 / 原因为 / 原因： followed at once by 。 or ；"),
    Rule("text.placeholder", FAMILY, "error", "文字说明留有占位符“{words}”：{snippet}",
         "exact wording: XX, ××, （略）"),
    Rule("text.doubled_punctuation", FAMILY, "info", "文字说明标点重复“{words}”：{snippet}",
         "exact wording: the same full-width mark twice in a row (…… and —— are marks of their own)"),
    Rule("text.missing_full_stop", FAMILY, "info",
         "第 {item} 项末尾缺少句号，而同一列表的其他 {siblings} 项均以句号结尾：{snippet}",
         "the item ends in a character, its next sibling follows it, two or more siblings and most of them end "
         "with 。"),
    Rule("text.paragraph_without_full_stop", FAMILY, "info",
         "段落末尾缺少句号（其后即为标题“{next}”）：{snippet}",
         "the paragraph's last line is followed at once, on the same page, by a numbered heading (第N部分, 一、, "
         "（一）); not a numbered item, a heading or a caption; its last sentence ends in a count or an amount "
         "(5 人, 3.20 万元, 12%) or runs over two clauses (，) with a verb"),
    Rule("text.unmatched_bracket", FAMILY, "warning", "文字说明中的“{mark}”没有配对：{snippet}",
         "within one paragraph (a heading the paragraph runs on from included), or one left open at a paragraph's "
         "end and closed at the start of the next; （ and ( count as one mark"),
    Rule("text.missing_amount", FAMILY, "error", "文字说明“{words}”前缺少金额：{snippet}",
         "万元 after a character that is neither a digit nor the word that names a unit (单位 …)"),
    Rule("text.yuan_for_wan", FAMILY, "error",
         "文字说明写作 {left_amount}（{left}），而{right_table}所列同一数字为 {right_amount} 万元：单位应为万元",
         "the same printed digits (four or more significant) as a table figure in 万元; 元/人, 元/平方米 … "
         "are rates, not amounts"),
)

_DIRECTIONS = "增加|减少|增长|下降|降低|上升|提高"
_ALTERNATIVE = re.compile(
    rf"(?:{_DIRECTIONS})\s*(?:[（(]\s*(?:{_DIRECTIONS})\s*[）)]|(?:/|／|或)\s*(?:{_DIRECTIONS}))(?=\s*[\d.]|\s*[（(]?[%％]|\s*万元)")
# 原因是。 / 原因：； — but not 分析原因。 (prose) nor 主要原因，一是… (the reason follows)
_EMPTY_REASON = re.compile(r"(?:主要)?原因(?:(?:是|为|在于)\s*[：:]?|\s*[：:])\s*(?=[。；;])")
_PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:[XxＸｘ]{2,}|×{2,})(?![A-Za-z])|[（(]\s*略\s*[）)]")
_DOUBLED = re.compile(r"([。，、；：！？])\1")
# 万元 after no number: a unit the text declares (单位：万元, 以万元计) is not an amount left out
_NO_AMOUNT = re.compile(r"(?<![\d.,，０-９零一二三四五六七八九十百千两亿余多几数上近每XxＸｘ×\s])(\s*)万元")  # XX: a placeholder
_UNIT_WORDS = re.compile(r"(?:单位\s*[为是]?|计量|以|按|折合|人民币|[（(：:、/])\s*$")
# an amount in 元: not 万元 / 亿元 / 千元, not a rate (元/人, 元每月), not 元旦 / 单元
_YUAN = re.compile(r"(?<![\d.,])(\d[\d,]*\.?\d*)\s*元(?![/／每旦])")
_BEFORE_YUAN = re.compile(r"[万亿千百]\s*$")


def line_at(para: Paragraph, offset: int) -> Line:
    """The source line of ``para`` that its text's character ``offset`` was read from."""
    pos = 0
    for line in para.lines:
        start = para.text.find(line.plain, pos)
        if start < 0:
            continue
        pos = start + len(line.plain)
        if offset < pos:
            return line
    return para.lines[-1]


def excerpt(text: str, start: int, end: int, around: int = 24) -> str:
    """The words of ``text`` around ``text[start:end]``."""
    return shorten(text[max(0, start - around):end + around].strip(), 2 * around + (end - start) + 2)


def _headings(ctx: Context) -> list[Paragraph]:
    """The heading each narrative block opens with, as a one-line paragraph."""
    out = []
    for block in narrative_blocks(ctx):
        first = block.lines[0] if block.lines else None
        if block.title and first is not None and not first.is_row and first.plain == block.title:
            out.append(Paragraph(block.title, [first], block.title))
    return out


def passages(ctx: Context) -> list[Paragraph]:
    """The narrative's headings and paragraphs, in document order."""
    return sorted([*_headings(ctx), *all_paragraphs(ctx)], key=lambda p: (p.first.source or "", p.first.no))


def _match_findings(ctx: Context, passages: list[Paragraph]):
    patterns = (("text.template_alternative", _ALTERNATIVE), ("text.empty_reason", _EMPTY_REASON),
                ("text.placeholder", _PLACEHOLDER), ("text.doubled_punctuation", _DOUBLED))
    for para in passages:
        for rule, pattern in patterns:
            for m in pattern.finditer(para.text):
                snippet = excerpt(para.text, m.start(), m.end())
                yield finding(rule, ctx.prov(line_at(para, m.start()), table=para.heading),
                              (m[0].strip(), snippet), words=m[0].strip(), snippet=snippet)


def _phrase_before(text: str, end: int, limit: int = 20) -> str:
    """The words of ``text`` before ``end`` back to the last mark of punctuation (at most ``limit``)."""
    head = text[max(0, end - limit):end]
    cut = max(head.rfind(mark) for mark in "。，、；：,;:（(")
    return head[cut + 1:].strip()


def _missing_amounts(ctx: Context, passages: list[Paragraph]):
    for para in passages:
        for m in _NO_AMOUNT.finditer(para.text):
            before = para.text[:m.start()]
            if not before or _UNIT_WORDS.search(before):
                continue
            words = _phrase_before(para.text, m.end())
            snippet = excerpt(para.text, m.start(), m.end())
            yield finding("text.missing_amount", ctx.prov(line_at(para, m.start()), table=para.heading),
                          (words, snippet), words=words, snippet=snippet)


# --- numbered items that lost their full stop --------------------------------------------------

_NUMERALS = "一二三四五六七八九十"
_ITEM = re.compile(r"^\s*(?:(?P<arabic>\d{1,2})\s*(?P<sep>[.、．])|[（(]\s*(?P<paren>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）]"
                   r"|(?P<han>[一二三四五六七八九十]{1,3})、)")
_ENDS_UNPUNCTUATED = re.compile(r"[\w\u4e00-\u9fff%％]$")


def _numeral(text: str) -> int:
    """``3`` / ``三`` / ``十二`` → 3 / 3 / 12."""
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    tens, _, ones = text.rpartition("十")
    value = _NUMERALS.index(ones) + 1 if ones else 0
    return value + (10 * (_NUMERALS.index(tens) + 1 if tens else 1) if "十" in text else 0)


def _item(para: Paragraph) -> tuple[str, int] | None:
    """``(style, number)`` of a numbered list item (``1.`` ``1、`` ``（1）`` ``（一）`` ``一、``), else ``None``."""
    m = _ITEM.match(para.text)
    if not m or not LIST_MARK.match(para.text):
        return None
    if m["arabic"]:
        return "arabic" + m["sep"].replace("．", "."), int(m["arabic"])
    if m["paren"]:
        return ("paren-arabic" if m["paren"].isdigit() else "paren-han"), _numeral(m["paren"])
    return "han", _numeral(m["han"])


def _runs(paras: list[Paragraph]) -> Iterator[list[tuple[int, Paragraph]]]:
    """Runs of consecutive sibling items (same style, numbers 1, 2, 3 … in order) as ``(number, paragraph)``;
    paragraphs between two siblings (their sub-items, a wrapped line) do not break a run."""
    open_runs: dict[str, list[tuple[int, Paragraph]]] = {}
    for para in paras:
        item = _item(para)
        if item is None:
            continue
        style, number = item
        run = open_runs.get(style)
        if run and number == run[-1][0] + 1:
            run.append((number, para))
            continue
        if run:
            yield run
        open_runs[style] = [(number, para)]
    yield from open_runs.values()


def _missing_full_stops(ctx: Context):
    for block in narrative_blocks(ctx):
        paras = paragraphs(block)
        after = {id(p): q for p, q in zip(paras, paras[1:])}
        for run in _runs(paras):
            stops = sum(1 for _, p in run if p.text.rstrip().endswith("。"))
            if len(run) < 3 or stops < 2 or stops * 3 < (len(run) - 1) * 2:
                continue
            for (number, para), (_, sibling) in zip(run, run[1:]):
                text = para.text.rstrip()
                if after.get(id(para)) is not sibling or not _ENDS_UNPUNCTUATED.search(text) \
                        or "，" not in text and "。" not in text:
                    continue
                snippet = shorten(text[-40:], 40)
                yield finding("text.missing_full_stop", ctx.prov(para.lines[-1], table=para.heading),
                              (snippet,), item=number, siblings=stops, snippet=snippet)


# the end of a sentence that states something: a count or an amount, or two clauses with a verb
_COUNT_END = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:人|名|个|家|辆|项|次|户|所|台|套|处|万元|亿元|元|%|％)$")
_VERB = re.compile(r"是|为|有|负责|承担|包括|用于|主要|实现|完成|开展|安排|增加|减少|增长|下降|纳入|设有|组成")
_CAPTION = re.compile(r"(?:表|情况|说明|目录)(?:[（(][^（()）]*[)）])?$")


def _states(text: str) -> bool:
    """The paragraph's last sentence is one: it ends in a count or an amount, or runs over two clauses with a
    verb (not a heading, a caption, a label, a list of names)."""
    last = re.split(r"[。！？；;]", text)[-1]
    if _CAPTION.search(last) or LIST_MARK.match(text):
        return False
    return bool(_COUNT_END.search(last)) or "，" in last and len(last) >= 12 and bool(_VERB.search(last))


def _paragraph_full_stops(ctx: Context):
    """The last paragraph of a narrative block without its full stop, the next block's numbered heading on the
    line after it, on the same page."""
    index = {id(line): i for i, line in enumerate(ctx.lines)}
    following: dict[int, Line] = {}
    for block in narrative_blocks(ctx):
        if block.lines:
            following[id(block.lines[0])] = block.lines[0]
    for block in narrative_blocks(ctx):
        paras = paragraphs(block)
        if not paras:
            continue
        para, text = paras[-1], paras[-1].text.rstrip()
        last = para.lines[-1]
        at = index.get(id(last))
        nxt = next((ln for ln in ctx.lines[at + 1:] if ln.text.strip()), None) if at is not None else None
        if nxt is None or id(nxt) not in following or nxt.page != last.page or nxt.source != last.source \
                or heading_level(nxt.plain) > 2 or not _ENDS_UNPUNCTUATED.search(text) or not _states(text):
            continue
        snippet = shorten(text[-40:], 40)
        yield finding("text.paragraph_without_full_stop", ctx.prov(last, table=para.heading), (snippet,),
                      next=shorten(nxt.plain, 30), snippet=snippet)


# --- brackets and quotes ------------------------------------------------------------------------

_OPENERS = {"（": "（", "(": "（", "“": "“", "《": "《"}
_CLOSERS = {"）": "（", ")": "（", "”": "“", "》": "《"}
_SENTENCE_END = "。！？；：:;!?"


@dataclass(frozen=True)
class _Mark:
    """A bracket or quote without its pair: its kind (the opening mark), as printed, where, which side."""

    kind: str
    printed: str
    offset: int
    opens: bool


def _unmatched(text: str) -> list[_Mark]:
    """Every bracket or quote in ``text`` that is not paired, in order."""
    stack: list[_Mark] = []
    out = []
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            stack.append(_Mark(_OPENERS[ch], ch, i, True))
        elif ch in _CLOSERS:
            kind = _CLOSERS[ch]
            if stack and stack[-1].kind == kind:
                stack.pop()
            elif any(m.kind == kind for m in stack):  # an inner mark left open: report it, close the outer
                while stack[-1].kind != kind:
                    out.append(stack.pop())
                stack.pop()
            else:
                out.append(_Mark(kind, ch, i, False))
    return sorted(out + stack, key=lambda m: m.offset)


def _with_heading(ctx: Context) -> Iterator[Paragraph]:
    """Each paragraph; the first of a block joined to the heading it runs on from (a long first line that
    was taken for the block's heading: ``四、其他收入：指…“事业收`` then ``入”、…``)."""
    for block in narrative_blocks(ctx):
        paras = paragraphs(block)
        first = block.lines[0] if block.lines else None
        for i, para in enumerate(paras):
            if (i == 0 and first is not None and block.title and first.plain == block.title
                    and first.plain[-1:] not in _SENTENCE_END and para.first is not first):
                yield Paragraph(first.plain + para.text, [first, *para.lines], para.heading)
            else:
                yield para


def _unmatched_brackets(ctx: Context):
    paras = list(_with_heading(ctx))
    marks = [_unmatched(p.text) for p in paras]
    for here, after in zip(marks, marks[1:]):  # a bracket a page break (a sentence's end) split in two
        if here and after and here[-1].opens and not after[0].opens and here[-1].kind == after[0].kind:
            here.pop()
            after.pop(0)
    for para, unpaired in zip(paras, marks):
        for mark in unpaired:
            snippet = excerpt(para.text, mark.offset, mark.offset + 1)
            yield finding("text.unmatched_bracket", ctx.prov(line_at(para, mark.offset), table=para.heading),
                          (mark.printed, snippet), mark=mark.printed, snippet=snippet)


# --- 元 where the tables say 万元 ------------------------------------------------------------------

def _significant(digits: str) -> int:
    return len(digits.replace(",", "").replace(".", "").lstrip("0"))


def _table_figures(ctx: Context, ex: Extraction) -> dict[Decimal, Figure]:
    """Every amount the tables print (totals, coded lines, 三公 lines, projects), in 万元, by amount."""
    out: dict[Decimal, Figure] = {}
    narrative = {(ln.source, ln.no) for b in narrative_blocks(ctx) for ln in b.lines}

    def add(amount: Decimal | None, label: str, prov) -> None:
        if amount is None or prov is None or (prov.source, prov.line) in narrative:
            return
        out.setdefault(amount.normalize(), Figure(amount, Decimal("0.01"), label, prov))

    for t in ex.totals:
        add(t.amount, t.key, t.provenance)
    for item in ex.line_items:
        for part, amount in (("合计", item.total), ("基本支出", item.basic), ("项目支出", item.project)):
            add(amount, f"{item.code} {item.name} {part}", item.provenance)
    for line in ex.three_public:
        add(line.amount, line.item, line.provenance)
    for project in ex.projects:
        add(project.amount, project.name, project.provenance)
    return out


def _yuan_for_wan(ctx: Context, ex: Extraction):
    figures = _table_figures(ctx, ex)
    if not figures:
        return
    for para in all_paragraphs(ctx):
        text = fold_width(para.text)
        for m in _YUAN.finditer(text):
            digits = m[1].rstrip(".,")
            if _BEFORE_YUAN.search(text[:m.end(1)]) or _significant(digits) < 4:
                continue
            value = Decimal(digits.replace(",", ""))
            table = figures.get(value.normalize())
            if table is None:
                continue
            line = line_at(para, m.start())
            left = Figure(value, printed_step(digits, "万元"), shorten(para.text[max(0, m.start() - 16):m.end()], 40),
                          ctx.prov(line, table=para.heading), unit="元")
            yield Check("text.yuan_for_wan", False, left, table, Decimal(0),
                        f"narrative gives {digits} 元 at line {line.no}; the tables give {table.amount} 万元 "
                        f"({table.label})", (("snippet", excerpt(para.text, m.start(), m.end())),))


def audit(ctx: Context, ex: Extraction) -> Iterable[Check | Finding]:
    """The text-hygiene findings of the document's narrative."""
    narrative = passages(ctx)
    yield from _match_findings(ctx, narrative)
    yield from _missing_amounts(ctx, narrative)
    yield from _missing_full_stops(ctx)
    yield from _paragraph_full_stops(ctx)
    yield from _unmatched_brackets(ctx)
    yield from _yuan_for_wan(ctx, ex)

"""The narrative as paragraphs: which blocks are narrative, and their lines joined back into paragraphs.

Text exports break paragraphs across blank lines mid-sentence; :func:`paragraphs` joins them back.
The document metadata (staffing, units, prose totals) and the narrative chunks both read these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .context import Context
from .layout import Block, Line
from .normalise import squash
from .sections import NARRATIVE, is_heading, split_blocks

_SENTENCE_END = "。！？!?；;：:"
# a list item's mark: "- ", "1.", "（一）", "一、"
LIST_MARK = re.compile(r"^\s*(?:[-*+]\s|\d{1,2}\s*[.、．]|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]|[一二三四五六七八九十]+、)")
_PART = re.compile(r"^\s*#*\s*\**\s*第[一二三四五六七八九十]+部分")


@dataclass
class Paragraph:
    """A paragraph of narrative text rebuilt from one or more source lines."""

    text: str
    lines: list[Line]
    heading: str | None  # the title of the block it sits in

    @property
    def first(self) -> Line:
        return self.lines[0]


# a heading names a topic of the disclosure; however long, the line after it starts a paragraph
_TOPIC_HEADING = re.compile(
    r"^[^。！？!?；;：:，,]{0,40}(?:机构设置|单位构成|单位组成|机构情况|单位情况|主要职能|部门职能|职能职责|主要职责|"
    r"基本情况|人员情况|人员构成|名词解释|情况说明|其他说明)(?:情况)?$")


def _continues(prev: str, nxt: str) -> bool:
    """True when ``nxt`` carries on the sentence that ``prev`` broke off."""
    if not prev or prev[-1] in _SENTENCE_END or LIST_MARK.match(nxt) or is_heading(Line(0, nxt)) \
            or _TOPIC_HEADING.match(squash(prev)):
        return False
    if nxt[0] in "，,、）)”》":
        return True
    return len(squash(prev)) >= 20  # a wrapped line is a long one; short ones are labels or list items


def _glue(a: str, b: str) -> str:
    return a + (" " if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum() else "") + b


def paragraphs(block: Block) -> list[Paragraph]:
    """The block's text lines as paragraphs; lines broken mid-sentence are joined (table rows are skipped)."""
    out: list[Paragraph] = []
    body = block.lines[1:] if block.title and block.lines and block.lines[0].plain == block.title else block.lines
    for line in body:
        text = line.plain
        if line.is_row or not text:
            continue
        if out and _continues(out[-1].text, text):
            out[-1].text = _glue(out[-1].text, text)
            out[-1].lines.append(line)
        else:
            out.append(Paragraph(text, [line], block.title))
    return out


def narrative_blocks(ctx: Context) -> list[Block]:
    """Narrative blocks in document order, including narrative that follows a table without a table title.

    :func:`ingest.sections.split_blocks` keeps every line after a table title in that table's block, so a
    ``第三部分 …情况说明`` part after the last form would be lost; such tails are re-split here.
    """
    out: list[Block] = []
    for block in ctx.blocks:
        if block.role == NARRATIVE:
            out.append(block)
            continue
        for i, line in enumerate(block.lines[1:], start=1):
            if not line.is_row and _PART.match(line.text):
                out.extend(b for b in split_blocks(block.lines[i:]) if b.role == NARRATIVE)
                break
    return out


def all_paragraphs(ctx: Context) -> list[Paragraph]:
    """Every paragraph of every narrative block, in document order."""
    return [p for b in narrative_blocks(ctx) for p in paragraphs(b)]

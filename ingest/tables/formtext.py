"""Text helpers for project forms: long-text normalisation, names, citation bracket repair."""

from __future__ import annotations

import re

from ..layout import squash
from ..numbers import fold

_TAGS = re.compile(r"<[^>]+>")
_NON_ASCII = r"[^\x00-\x7f]"


def norm_text(text: str | None) -> str:
    """A long text as stored: HTML removed, no whitespace next to non-ASCII, other runs → one space."""
    s = _TAGS.sub(" ", text or "").replace("**", "")
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(rf"\s+(?={_NON_ASCII})|(?<={_NON_ASCII})\s+", "", s)


def clean_name(text: str | None) -> str:
    """A project name: all whitespace removed, a trailing '.' dropped (PDF table artefact)."""
    return squash(text).rstrip(".．")


def name_key(text: str | None) -> str:
    """A name for comparison: full-width folded, brackets and dashes unified."""
    s = fold(clean_name(text))
    return s.translate(str.maketrans({"（": "(", "）": ")", "—": "-", "－": "-", "–": "-", "【": "(", "】": ")"}))


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

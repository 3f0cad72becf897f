"""Text for Streamlit markdown, made safe: escaping, highlighted query terms, short snippets.

Pure functions (no Streamlit), so they are tested on their own.  Streamlit's markdown reads
``$`` as LaTeX, ``:name:`` as an emoji and ``:color[…]`` as a directive besides CommonMark, so
every ASCII punctuation character of document text is backslash-escaped (CommonMark allows
that for all of them) and ``<``/``>``/``&`` become entities.  Escapes do not stop GFM's literal
autolinks (found in the text after escapes are read), so a word joiner (U+2060, invisible) is put
inside ``://``, after ``www`` and after ``@``: a URL or an e-mail address in a name stays text.
"""

from __future__ import annotations

import html
import re
import unicodedata

from kg.types import wan as format_wan

_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_SPACE = re.compile(r"\s+")
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)  # where GFM would start a link
JOINER = "\u2060"
CHOOSE = "请选择…"  # the placeholder of every select box (Streamlit's own is "Choose an option")
HIGHLIGHT = ":red[{}]"  # search engines in Chinese mark query words in red


def md_escape(text: object) -> str:
    """``text`` as literal markdown: no emphasis, links (also bare URLs), LaTeX, emoji, HTML or line breaks."""
    s = _SPACE.sub(" ", "" if text is None else str(text))
    s = _AUTOLINK.sub(JOINER, s)
    s = _PUNCT.sub(r"\\\1", s)
    return s.replace("\\<", "&lt;").replace("\\>", "&gt;").replace("\\&", "&amp;")


def html_text(text: object) -> str:
    """``text`` for HTML (an element's text or a quoted attribute): ``<``, ``>``, ``&`` and quotes as entities."""
    return html.escape("" if text is None else str(text), quote=True)


def md_code(text: object) -> str:
    """``text`` as an inline code span (an IRI, a query term): shown verbatim, without escapes, copied as is.
    The fence is longer than any run of backticks inside, and line breaks become spaces."""
    s = _SPACE.sub(" ", "" if text is None else str(text))
    fence = "`" * (max((len(r) for r in re.findall(r"`+", s)), default=0) + 1)
    return f"{fence} {s} {fence}"


def _normalised(text: str) -> tuple[str, list[int]]:
    """``text`` NFKC'd and lower-cased, with the index in ``text`` of each character of the result."""
    out, where = [], []
    for i, ch in enumerate(text):
        n = unicodedata.normalize("NFKC", ch).lower()
        out.append(n)
        where.extend([i] * len(n))
    return "".join(out), where


def term_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping ``(start, end)`` spans of ``terms`` in ``text`` (longest first, after NFKC and case)."""
    norm, where = _normalised(text)
    keys = sorted({unicodedata.normalize("NFKC", t).lower().strip() for t in terms if t and t.strip()},
                  key=len, reverse=True)
    if not keys or not norm:
        return []
    spans = []
    for m in re.finditer("|".join(map(re.escape, keys)), norm):
        start, end = where[m.start()], where[m.end() - 1] + 1
        if not spans or start >= spans[-1][1]:
            spans.append((start, end))
    return spans


def window(text: str, terms: list[str], width: int = 220) -> str:
    """At most ``width`` characters of ``text``, around the first term found, with ``…`` where cut."""
    text = _SPACE.sub(" ", text or "").strip()
    if len(text) <= width:
        return text
    spans = term_spans(text, terms)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 4, len(text) - width))
    return ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")


def highlight(text: str, terms: list[str]) -> str:
    """Escaped ``text`` with each occurrence of ``terms`` marked (Streamlit's orange background)."""
    out, pos = [], 0
    for start, end in term_spans(text, terms):
        out.append(md_escape(text[pos:start]))
        out.append(HIGHLIGHT.format(md_escape(text[start:end])))
        pos = end
    out.append(md_escape(text[pos:]))
    return "".join(out)


def wan(amount: object) -> str:
    """An amount of 万元 as published, with thousands separators (``1,234.50 万元``)."""
    return format_wan(amount, unit=True)

"""Text normalisation, the one place that says how ingest and kg clean and compare names and keys.

Steps: :func:`squash` (all whitespace removed), :func:`fold_width` (full-width ASCII → half-width, CJK
punctuation kept), :func:`fold_brackets` (``（）【】`` → ``()``, dashes → ``-``), :func:`nfkc`,
:func:`strip_markup` (HTML tags and markdown bold).  The rules below are built from them; where two callers
need different outputs each has its rule, named for what it does:

- :func:`clean_name`: a name as read (squashed, a trailing ``.`` or ``．`` dropped);
- :func:`squash_ascii_dot`: squashed, a trailing ASCII ``.`` dropped (the scorer's project names);
- :func:`name_key`: names compared while reading (clean_name, widths and brackets folded);
- :func:`nfkc_squash`: names compared in search filters (NFKC, squashed);
- :func:`nfkc_key`: a key of an IRI (NFKC, squashed, a trailing ``.`` or ``。`` dropped);
- :func:`norm_text`: a long text as stored (markup removed, no whitespace beside non-ASCII).
"""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")
_TAGS = re.compile(r"<[^>]+>")
_NON_ASCII = r"[^\x00-\x7f]"
_AROUND_NON_ASCII = re.compile(rf"\s+(?={_NON_ASCII})|(?<={_NON_ASCII})\s+")
_KEPT_FULL_WIDTH = "（）【】《》〔〕｛｝［］：；，"  # CJK punctuation fold_width leaves alone
_BRACKETS = str.maketrans({"（": "(", "）": ")", "—": "-", "－": "-", "–": "-", "【": "(", "】": ")"})


# --- steps -------------------------------------------------------------------------------------


def squash(value: object) -> str:
    """The text of ``value`` with all whitespace removed (``''`` for ``None``): names wrap across lines and cells."""
    return _WHITESPACE.sub("", "" if value is None else str(value))


def fold_width(text: str) -> str:
    """Full-width ASCII (digits, letters, ``，．％``) → half-width; NFKC without touching CJK punctuation."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E and ch not in _KEPT_FULL_WIDTH:
            out.append(chr(code - 0xFEE0))
        elif ch == "\u3000":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def fold_brackets(text: str) -> str:
    """``（）`` and ``【】`` → ``()``, the dashes ``—－–`` → ``-``."""
    return text.translate(_BRACKETS)


def nfkc(text: str | None) -> str:
    """Unicode NFKC (full-width forms → ASCII, compatibility characters → their plain forms); ``''`` for ``None``."""
    return unicodedata.normalize("NFKC", text or "")


def shorten(text: str, limit: int) -> str:
    """``text`` itself, or its first ``limit - 1`` characters and ``…``: at most ``limit`` characters."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def strip_markup(text: str | None) -> str:
    """HTML tags replaced by a space and markdown bold (``**``) removed."""
    return _TAGS.sub(" ", text or "").replace("**", "")


# --- rules ---------------------------------------------------------------------------------------


def clean_name(text: str | None) -> str:
    """A name as read: all whitespace removed, a trailing ``.`` or ``．`` dropped (PDF table artefact)."""
    return squash(text).rstrip(".．")


def squash_ascii_dot(value: object) -> str:
    """All whitespace removed and a trailing ASCII ``.`` dropped (a ``．`` stays): the scorer's project names."""
    return squash(value).rstrip(".")


def name_key(text: str | None) -> str:
    """A name for comparison: :func:`clean_name`, full-width folded, brackets and dashes unified."""
    return fold_brackets(fold_width(clean_name(text)))


def nfkc_squash(text: str | None) -> str:
    """NFKC with all whitespace removed: how search filters compare names."""
    return squash(nfkc(text))


def nfkc_key(text: str | None) -> str:
    """A name as an IRI key: NFKC (full-width → half-width), whitespace removed, trailing ``.``/``。`` dropped."""
    return nfkc_squash(text).rstrip(".。")


def norm_text(text: str | None) -> str:
    """A long text as stored: markup removed, no whitespace next to non-ASCII, other runs → one space."""
    s = _WHITESPACE.sub(" ", strip_markup(text)).strip()
    return _AROUND_NON_ASCII.sub("", s)

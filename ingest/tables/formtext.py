"""Text helpers for project forms: long-text normalisation and names."""

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

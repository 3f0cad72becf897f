"""IRI minting from normalised keys (DESIGN §4).

Re-ingesting yields the same IRIs, and documents link up by themselves: the same
department across years and phases, the same law in any document.  Keys are
normalised (NFKC, whitespace removed), then each path segment is written as an RFC 3987 IRI segment:
letters of any script stay readable (``…/org/上海市普陀区财政局``), and what an IRI cannot hold as is — ASCII
other than ``A–Z a–z 0–9 - . _ ~``, controls, format and separator characters, private use, non-characters — is
percent-encoded as UTF-8.  That one form is what the store holds, what every front-end shows and what a SPARQL
query names; :func:`normalize_iri` turns any other spelling of the same IRI (percent-encoded Chinese, raw
Chinese) into it.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
import unicodedata
from functools import lru_cache
from urllib.parse import quote, unquote

from rdflib import URIRef

from ingest.citations import normalize_doc_number, normalize_title
from ingest.normalise import nfkc_key
from ingest.records import Citation, Project

from .namespaces import DEFAULT_BASE

# ASCII kept as it is inside a segment (RFC 3986 unreserved); other ASCII is %XX-encoded.
_SAFE = "-._~"
# RFC 3987 ``ucschar``: the non-ASCII characters an IRI may hold unencoded.
_UCSCHAR = ((0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF),
            *((plane, plane + 0xFFFD) for plane in range(0x10000, 0xE0000, 0x10000)), (0xE1000, 0xEFFFD))


def norm_key(text: str) -> str:
    """A name as a key: NFKC (full-width → half-width), whitespace removed, trailing dots dropped."""
    return nfkc_key(text)


MAX_KEY_CHARS = 100  # a key past this (a sentence read as a name) is cut and hashed into its IRI segment


def bounded(key: str) -> str:
    """``key`` itself, or for a key longer than :data:`MAX_KEY_CHARS` its head and a hash of the whole, so that
    a hostile name cannot make every IRI that holds it megabytes long (the label keeps the full name)."""
    if len(key) <= MAX_KEY_CHARS:
        return key
    return f"{key[:MAX_KEY_CHARS - 17]}…{digest(key)}"


def _readable(ch: str) -> bool:
    """A non-ASCII character an IRI shows as itself: a ``ucschar`` that is no control, format (bidi, zero
    width), separator or unassigned code point."""
    cp = ord(ch)
    return (any(lo <= cp <= hi for lo, hi in _UCSCHAR)
            and unicodedata.category(ch)[0] not in "CZ")


@lru_cache(maxsize=1 << 14)
def _in_segment(ch: str) -> str:
    """One character as a segment holds it (remembered: mapping a document writes ~400k characters)."""
    return ch if ord(ch) > 0x7F and _readable(ch) else quote(ch, safe=_SAFE)


def segment(text: str) -> str:
    """One IRI path segment: readable characters as they are, the rest percent-encoded as UTF-8."""
    return "".join(map(_in_segment, text))


def digest(*parts: object) -> str:
    """A short stable hash (not Python's salted ``hash``) for doc-scoped nodes."""
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:12]


def normalize_iri(iri: str) -> str:
    """Any spelling of an IRI (raw Chinese, percent-encoded Chinese, or the minted form) → the minted form:
    each path segment and the fragment decoded, then written by :func:`segment`."""
    head, sep, path = iri.partition("://")
    if not sep:
        return iri
    host, slash, rest = path.partition("/")
    frag = ""
    if "#" in rest:
        rest, frag = rest.split("#", 1)
        frag = "#" + segment(unquote(frag))
    return f"{head}://{host}{slash}" + "/".join(segment(unquote(p)) for p in rest.split("/")) + frag


class Minter:
    """Mints every IRI of the graph under one configurable base."""

    def __init__(self, base: str = DEFAULT_BASE):
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def _iri(self, *segments: object) -> URIRef:
        return URIRef(self.base + "/".join(segment(bounded(str(s))) for s in segments))

    def resolve(self, text: str) -> URIRef:
        """A full IRI, or a path relative to the base (``law/武政规〔2016〕32号``), as a minted IRI."""
        if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.I):
            return URIRef(normalize_iri(text))
        return URIRef(normalize_iri(self.base + text.lstrip("/")))

    # --- shared entities: the same key in any document gives the same IRI ---
    def department(self, name: str) -> URIRef:
        return self._iri("org", norm_key(name) or "unknown")

    def unit(self, department: str, name: str, code: str | None = None) -> URIRef:
        """``unit/{department}/{code or name}``: unit codes are local to a department, so scoped by it."""
        return self._iri("unit", norm_key(department) or "unknown", norm_key(code or "") or norm_key(name))

    def office(self, department: str, name: str) -> URIRef:
        return self._iri("office", norm_key(department) or "unknown", norm_key(name))

    def budget(self, department: str, year: int | None, phase: str, unit: str | None = None) -> URIRef:
        """``budget/{department}/{year}/{phase}`` for a 部门预算/决算 (the IRI it always had); a 单位预算/决算 is
        another budget entity, ``…/{phase}/unit/{unit}``."""
        tail = ("unit", norm_key(unit) or "unknown") if unit is not None else ()
        return self._iri("budget", norm_key(department) or "unknown", year or "unknown", phase, *tail)

    def project(self, department: str, year: int | None, key: str) -> URIRef:
        return self._iri("project", norm_key(department) or "unknown", year or "unknown", key)

    def law_number(self, doc_number: str) -> URIRef:
        return self._iri("law", normalize_doc_number(doc_number))

    def law_title(self, title: str) -> URIRef:
        return self._iri("law", "title", normalize_title(title))

    def law(self, citation: Citation) -> URIRef:
        """A 文号 wins over a title: a title+文号 pair is the 文号's law node."""
        if citation.kind == "doc_number":
            return self.law_number(citation.key)
        if citation.doc_number:
            return self.law_number(citation.doc_number)
        return self.law_title(citation.key)

    def functional(self, code: str) -> URIRef:
        return self._iri("fn", norm_key(code))

    def economic(self, code: str) -> URIRef:
        return self._iri("econ", norm_key(code))

    def fund(self, source: str) -> URIRef:
        return self._iri("fund", norm_key(source))

    def document(self, doc_id: str) -> URIRef:
        return self._iri("doc", doc_id)

    # --- nodes that belong to one document only ---
    def in_doc(self, doc_id: str, kind: str, *key: object) -> URIRef:
        """``doc/{doc_id}/{kind}/{key…}`` for rows, indicators, chunks, locations…"""
        return self._iri("doc", doc_id, kind, *key)


def budget_unit(iri: str) -> str:
    """The unit segment of a 单位预算/决算's budget IRI (:meth:`Minter.budget`: ``…/{phase}/unit/{unit}``), or
    ``""`` for a 部门预算/决算's: the one place a budget's scope is read off its IRI."""
    head, sep, unit = str(iri).rpartition("/unit/")
    return unit if sep and "/budget/" in head else ""


def project_keys(projects: tuple[Project, ...] | list[Project]) -> list[str]:
    """The IRI key of each project in one document.

    Its code when no other project in the document has that code (duplicate codes
    happen), else its normalised name; a name that is still shared gets ``~code``,
    and a counter as the last resort.
    """
    codes = [norm_key(p.code or "") for p in projects]
    code_count = Counter(c for c in codes if c)
    keys = [c if c and code_count[c] == 1 else norm_key(p.name) for p, c in zip(projects, codes)]
    key_count = Counter(keys)
    keys = [f"{k}~{c}" if key_count[k] > 1 and c else k for k, c in zip(keys, codes)]
    key_count, seen = Counter(keys), Counter()
    out = []
    for k in keys:
        if key_count[k] > 1:
            seen[k] += 1
            k = f"{k}~{seen[k]}"
        out.append(k)
    return out

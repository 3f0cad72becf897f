"""Where each field of the :class:`~ingest.records.Document` is printed (its FieldSources).

The title states the year, the phase and the scope; the department (and its region), the unit of a 单位预算,
the contact phone and each short name are placed on the first line that prints them — the title's, when
the title does.
"""

from __future__ import annotations

from dataclasses import replace

from ..context import Context
from ..layout import Line
from ..normalise import fold_brackets, fold_width, squash
from ..records import BUDGET, FINAL_ACCOUNT, Document, FieldSource, Provenance
from .title import UNIT_SCOPE

PHASE_WORDS = {BUDGET: "预算", FINAL_ACCOUNT: "决算"}  # the word a title prints for each phase


def _norm(text: object) -> str:
    return fold_brackets(fold_width(squash(text))).replace(",", "")


def _printed(ctx: Context, text: str, first: list[Line]) -> Provenance | None:
    """The first of ``first`` (the title), else of the document's lines, that prints ``text``."""
    want = _norm(text)
    if not want:
        return None
    if want in _norm("".join(ln.plain for ln in first)):
        return _title_prov(ctx, first)
    line = next((ln for ln in ctx.lines if want in _norm(ln.plain)), None)
    return ctx.prov(line) if line is not None else None


def _title_prov(ctx: Context, lines: list[Line]) -> Provenance:
    """The title's place: its first line, the snippet every line of it."""
    return replace(ctx.prov(lines[0]), snippet="".join(squash(ln.plain) for ln in lines)[:200])


def document_sources(ctx: Context, doc: Document, title: list[Line]) -> tuple[FieldSource, ...]:
    """A FieldSource per filled field of ``doc`` (per short name) that some line prints."""
    printed: dict[str, tuple[str | None, str]] = {  # field → (its value, the words that print it)
        "title": (doc.title, doc.title), "department": (doc.department, doc.department),
        "region": (doc.region, doc.region or ""), "budget_unit": (doc.budget_unit, doc.budget_unit or ""),
        "contact_phone": (doc.contact_phone, doc.contact_phone or ""),
    }
    out = []
    for field, (value, words) in printed.items():
        pv = _printed(ctx, words, title) if value else None
        if pv is not None:
            out.append(FieldSource(field, pv))
    if title:
        stated = {"year": str(doc.year) if doc.year else "", "phase": PHASE_WORDS.get(doc.phase, ""),
                  "scope": "单位" if doc.scope == UNIT_SCOPE else "部门"}
        heading = _norm("".join(ln.plain for ln in title))
        out += [FieldSource(f, _title_prov(ctx, title)) for f, words in stated.items() if words and words in heading]
    for short in doc.short_names:
        pv = _printed(ctx, short, title)
        if pv is not None:
            out.append(FieldSource("short_names", pv, short))
    return tuple(out)

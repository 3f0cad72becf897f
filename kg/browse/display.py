"""How a node and a value read on an entity page: a node's name, a value's text (money in 万元)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import unquote

from rdflib.namespace import DCTERMS, RDFS, SKOS

from ..labels import local_name, value_label
from ..money import wan
from ..vocab import BGT, ELI
from .reads import Triple

MONEY = {str(BGT[n]) for n in ("amount", "totalAmount", "basicAmount", "projectAmount", "budgetInitial",
                               "budgetFullYear", "formTotalBudget", "formCurrentYearBudget")}
LONG_TEXT = {str(BGT.text), str(BGT.legalBasisText), str(BGT.implementationText), str(BGT.description),
             str(BGT.basis), str(BGT.rawText), str(BGT.message)}
LABEL_PROPS = [str(RDFS.label), str(SKOS.prefLabel), str(DCTERMS.title), str(ELI.title), str(ELI.id_local),
               str(BGT.item), str(BGT.level3), str(BGT.rawText), str(BGT.message)]


def _first(triples: list[Triple], props: list[str]) -> str | None:
    for p in props:
        vals = sorted(str(o) for q, o, is_iri, _ in triples if q == p and not is_iri)
        if vals:
            return vals[0]
    return None


def label_of(iri: str, triples: list[Triple]) -> str:
    """A node's display name: its label, title, 文号 or printed name; its IRI's last segment if none."""
    return own_label(triples) or unquote(local_name(iri))


def own_label(triples: list[Triple]) -> str | None:
    """The name a node's own triples give it (code and printed name, label, total key, start of its text)."""
    code = _first(triples, [str(BGT.code), str(SKOS.notation)])
    printed = _first(triples, [str(BGT.printedName)])
    if printed:
        return f"{code} {printed}" if code else printed
    name = _first(triples, LABEL_PROPS)
    if name:
        return f"{code} {name}" if code and not name.startswith(code) else name
    key = _first(triples, [str(BGT.totalKey)])
    if key:
        return value_label(str(BGT.totalKey), key)
    text = _first(triples, [str(BGT.text)])
    if text:
        return text[:60] + ("…" if len(text) > 60 else "")
    return None


def display(prop: str, value: object) -> str:
    """A literal value of ``prop`` as text: money in 万元, decimals without trailing zeros, codes spelled out."""
    if value is None:
        return ""
    if prop in MONEY:
        try:
            return wan(value, places="exact")
        except Exception:
            return str(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return value_label(prop, str(value))


def shorten(prop: str, text: str) -> str:
    """Long text (a legal basis, a chunk) cut to 120 characters for a table cell."""
    return text[:120] + "…" if prop in LONG_TEXT and len(text) > 120 else text

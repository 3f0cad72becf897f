"""Prefixes, defined once (STYLE 2.4).  Every graph and query binds these."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, QB, RDF, RDFS, SKOS, XSD

from . import sparql_terms as terms
from .vocab import BGT, ELI

DEFAULT_BASE = "https://w3id.org/budgetkg/"

PREFIXES: dict[str, Namespace | type] = {
    "bgt": BGT,
    "org": ORG,
    "qb": QB,
    "skos": SKOS,
    "prov": PROV,
    "eli": ELI,
    "dcterms": DCTERMS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
}


def ns_iri(ns) -> str:
    """The namespace IRI of a ``Namespace`` or ``DefinedNamespace``."""
    return str(getattr(ns, "_NS", ns))


def bind_all(g: Graph, base: str = DEFAULT_BASE) -> Graph:
    """Bind our prefixes (and the data base as ``kg``) on ``g``; returns ``g``."""
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns_iri(ns), override=True, replace=True)
    g.bind("kg", base, override=True, replace=True)
    return g


def sparql_prologue(base: str = DEFAULT_BASE) -> str:
    """``PREFIX`` lines for every binding, for queries built as text."""
    lines = [f"PREFIX {p}: {terms.iri(ns_iri(ns))}" for p, ns in PREFIXES.items()]
    lines.append(f"PREFIX kg: {terms.iri(base)}")
    return "\n".join(lines) + "\n"

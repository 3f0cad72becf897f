"""What a node is: its kind slug and Chinese type name, from its rdf:types (and SKOS schemes)."""

from __future__ import annotations

from rdflib.namespace import RDF, SKOS

from ..labels import term_label
from ..vocab import BGT, ELI
from .reads import Triple, objects

# rdf:type → kind slug, most specific first
KINDS: list[tuple[str, str]] = [
    (str(BGT.Project), "project"), (str(BGT.BudgetUnit), "unit"), (str(BGT.Office), "office"),
    (str(BGT.Department), "department"), (str(ELI.LegalResource), "law"), (str(BGT.FundingSource), "fund"),
    (str(BGT.Budget), "budget"), (str(BGT.Disclosure), "document"), (str(BGT.BudgetLine), "line"),
    (str(BGT.TableDataSet), "table"), (str(BGT.Funding), "funding"), (str(BGT.Activity), "activity"),
    (str(BGT.Indicator), "indicator"), (str(BGT.Citation), "citation"), (str(BGT.Procurement), "procurement"),
    (str(BGT.Total), "total"), (str(BGT.ThreePublic), "three_public"), (str(BGT.Staffing), "staffing"),
    (str(BGT.Chunk), "chunk"), (str(BGT.Finding), "finding"), (str(BGT.SourceLocation), "location"),
    (str(BGT.Phase), "phase"), (str(SKOS.Concept), "concept"),
]
CROSS_DOCUMENT_KINDS = {"law", "concept", "fund", "department", "unit", "office"}


def kind_of(types: list[str], schemes: list[str] = ()) -> tuple[str, str]:
    """``(kind, Chinese type name)`` from a node's rdf:types (and SKOS schemes for concepts)."""
    for cls, kind in KINDS:
        if cls in types:
            if kind == "concept":
                if str(BGT.economicScheme) in schemes:
                    return kind, "经济分类科目"
                if str(BGT.functionalScheme) in schemes:
                    return kind, "功能分类科目"
            return kind, term_label(cls)
    return "", term_label(types[0]) if types else ""


def node_kind(triples: list[Triple], types: list[str] = ()) -> tuple[str, str]:
    """:func:`kind_of` a node from its outgoing triples (``types`` when they name none)."""
    return kind_of(objects(triples, RDF.type) or list(types), objects(triples, SKOS.inScheme))


def is_vocabulary(iri: str) -> bool:
    """A term of the ontology (a phase, a scheme), shown as text rather than as a link."""
    return iri.startswith(str(BGT._NS))

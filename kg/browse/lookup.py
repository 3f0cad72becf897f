"""Finding entities to browse: by name, 文号 or code (:func:`lookup`), and starting points (:func:`landmarks`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib.namespace import SKOS

from ingest.citations import normalize_doc_number

from .. import sparql_terms as terms
from ..iri import norm_key
from ..labels import term_label
from ..store import Store
from ..vocab import BGT, ELI
from .display import label_of
from .kinds import node_kind
from .reads import node_triples

LOOKUP_CLASSES = [BGT.Department, BGT.BudgetUnit, BGT.Office, BGT.Project, ELI.LegalResource, BGT.FundingSource,
                  BGT.Budget, SKOS.Concept]


@dataclass(frozen=True)
class Match:
    """An entity found by name: its IRI, display name, kind slug and Chinese type name."""

    iri: str
    label: str
    kind: str
    type_label: str


def lookup(store: Store, text: str, limit: int = 30) -> list[Match]:
    """Entities whose name, 文号 or code contains ``text`` (departments, units, projects, laws, funds,
    budgets, classification codes), shortest name first."""
    keys = {k for k in (norm_key(text), normalize_doc_number(text)) if k}
    if not keys:
        return []
    contains = " || ".join(f'CONTAINS(REPLACE(STR(?name), "\\\\s", ""), {terms.literal(k)})' for k in sorted(keys))
    rows = store.select(f"""SELECT DISTINCT ?s ?t ?name WHERE {{
      ?s rdfs:label|skos:altLabel|eli:id_local|skos:notation ?name ; a ?t .
      FILTER(?t IN ({terms.iri_list(LOOKUP_CLASSES)})) FILTER({contains}) }} LIMIT {terms.integer(limit * 20)}""")
    found: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        found[r["s"]].append(r["t"])
    triples = node_triples(store, set(found))
    matches = []
    for iri, types in found.items():
        t = triples.get(iri, [])
        kind, type_label = node_kind(t, types)
        matches.append(Match(iri, label_of(iri, t), kind, type_label))
    matches.sort(key=lambda h: (len(h.label), h.label))
    return matches[:limit]


def landmarks(store: Store, limit: int = 12) -> dict[str, list[Match]]:
    """Starting points for browsing: the departments, and the laws cited by the most projects."""
    depts = store.select("""SELECT DISTINCT ?d ?name WHERE { ?d a bgt:Department ; rdfs:label ?name } ORDER BY ?name""")
    laws = store.select(f"""SELECT ?law (SAMPLE(?l) AS ?name) (COUNT(DISTINCT ?p) AS ?n) WHERE {{
      ?p bgt:cites ?law . ?law rdfs:label ?l }} GROUP BY ?law ORDER BY DESC(?n) ?name LIMIT {terms.integer(limit)}""")
    return {
        "部门": [Match(r["d"], r["name"], "department", term_label(str(BGT.Department))) for r in depts],
        "常被引用的政策文件": [Match(r["law"], f"{r['name']}（{r['n']} 个项目）", "law", term_label(str(ELI.LegalResource)))
                       for r in laws],
    }

"""The SPARQL reads behind an entity page: document contexts, nodes' triples, source locations, citations.

Facts and links live in document graphs; every row knows its document, so a law page can say
which department, year and phase each citing project belongs to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from .. import sparql_terms as terms
from ..labels import local_name, term_label, value_label
from ..store import Store
from ..vocab import BGT
from .views import Source, parse_bbox, source_order


class Triple(NamedTuple):
    """An outgoing statement of a node: predicate, object, whether the object is an IRI, graph."""

    p: str
    o: object
    is_iri: bool
    g: str


def objects(triples: list[Triple], prop) -> list[str]:
    """The objects of ``prop`` in ``triples``, as text."""
    return [str(o) for p, o, k, _ in triples if p == str(prop)]


@dataclass(frozen=True)
class DocContext:
    """A document graph and the department-year-phase it discloses."""

    graph: str
    doc_id: str
    title: str | None
    source_file: str | None
    budget: str | None
    department: str | None
    department_iri: str | None
    year: int | None
    phase: str | None  # 预算 | 决算


def documents(store: Store) -> dict[str, DocContext]:
    """Every document graph → its context."""
    rows = store.select("""SELECT ?g ?id ?title ?file ?b ?d ?dept ?year ?ph WHERE {
      GRAPH ?g { ?g dcterms:identifier ?id .
        OPTIONAL { ?g dcterms:title ?title } OPTIONAL { ?g bgt:sourceFile ?file }
        OPTIONAL { ?b bgt:disclosedIn ?g ; bgt:department ?d . ?d rdfs:label ?dept .
                   OPTIONAL { ?b bgt:fiscalYear ?year } OPTIONAL { ?b bgt:phase ?ph } } } }""")
    out = {}
    for r in rows:
        phase = term_label(r["ph"]) if r["ph"] else None
        out[r["g"]] = DocContext(r["g"], r["id"], r["title"], r["file"], r["b"], r["dept"], r["d"],
                                 r["year"], phase)
    return out


def node_triples(store: Store, iris: set[str]) -> dict[str, list[Triple]]:
    """Outgoing triples of each node, in every graph."""
    out: dict[str, list[Triple]] = defaultdict(list)
    if not iris:
        return out
    rows = store.select(f"""SELECT ?s ?p ?o ?g (isIRI(?o) AS ?k) WHERE {{
      {terms.values("?s", sorted(iris))} GRAPH ?g {{ ?s ?p ?o }} }}""")
    for r in rows:
        out[r["s"]].append(Triple(r["p"], r["o"], r["k"] == "true", r["g"]))
    return out


def incoming(store: Store, target: str, hidden: set[str]) -> list[dict]:
    """``{s, p, g}`` of every statement whose object is ``target``, but for the properties in ``hidden``."""
    return store.select(f"""SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p {terms.iri(target)} }}
          FILTER(?p NOT IN ({terms.iri_list(sorted(hidden))})) }}""")


PropertyKey = tuple[str, str | None]  # (property, the value a location names for a property of several)


def _locations(store: Store, iris: set[str],
               docs: dict[str, DocContext]) -> list[tuple[str, PropertyKey | None, Source]]:
    """(node, the property value it gave or None for the node itself, source) of every source location."""
    if not iris:
        return []
    rows = store.select(f"""SELECT ?n ?g ?for ?value ?page ?line ?row ?table ?snippet ?bbox ?file WHERE {{
      {terms.values("?n", sorted(iris))}
      GRAPH ?g {{ ?n prov:qualifiedDerivation ?loc .
        OPTIONAL {{ ?loc bgt:forProperty ?for }} OPTIONAL {{ ?loc bgt:forValue ?value }}
        OPTIONAL {{ ?loc bgt:page ?page }} OPTIONAL {{ ?loc bgt:line ?line }} OPTIONAL {{ ?loc bgt:row ?row }}
        OPTIONAL {{ ?loc bgt:sourceTable ?table }} OPTIONAL {{ ?loc bgt:snippet ?snippet }}
        OPTIONAL {{ ?loc bgt:bbox ?bbox }} OPTIONAL {{ ?loc bgt:sourceFile ?file }} }} }}
      ORDER BY ?n ?g ?file ?page ?line""")
    out = []
    for r in rows:
        d = docs.get(r["g"])
        source = Source(d.doc_id if d else local_name(r["g"]), d and d.title, r["file"] or (d and d.source_file),
                        r["page"], r["line"], r["row"], r["table"], r["snippet"] or "", parse_bbox(r["bbox"]))
        out.append((r["n"], (r["for"], r["value"]) if r["for"] else None, source))
    return out


def node_sources(store: Store, iris: set[str], docs: dict[str, DocContext]) -> dict[str, list[Source]]:
    """Where each node itself was read (not the places of single property values), in page and line order."""
    out: dict[str, list[Source]] = defaultdict(list)
    for node, key, source in _locations(store, iris, docs):
        if key is None:
            out[node].append(source)
    return out


def value_sources(store: Store, iris: set[str], docs: dict[str, DocContext], prop: str) -> dict[str, list[Source]]:
    """Where each node's value of ``prop`` was read (a node with no such place: where the node was read)."""
    of_value: dict[str, list[Source]] = defaultdict(list)
    of_node: dict[str, list[Source]] = defaultdict(list)
    for node, key, source in _locations(store, iris, docs):
        target = of_node if key is None else of_value if key[0] == prop else None
        if target is not None and source not in target[node]:
            target[node].append(source)
    return {n: sorted(of_value.get(n) or of_node.get(n) or [], key=source_order) for n in iris}


def property_sources(store: Store, iri: str, docs: dict[str, DocContext]) -> dict[PropertyKey, list[Source]]:
    """Where each property value of ``iri`` was read, by (property, value — ``None`` for a property of one)."""
    out: dict[PropertyKey, list[Source]] = defaultdict(list)
    for _, key, source in _locations(store, {iri}, docs):
        if key is not None and source not in out[key]:
            out[key].append(source)
    return out


@dataclass
class Cited:
    """What the citation nodes of one (project, law) pair say: where, in which field, in which words."""

    sources: list[Source] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    raws: list[str] = field(default_factory=list)


def citations(store: Store, pairs: set[tuple[str, str]], docs: dict[str, DocContext]) -> dict[tuple[str, str], Cited]:
    """Each (project, law) citation: the locations, fields and raw text of its citation nodes."""
    if not pairs:
        return {}
    projects = {p for p, _ in pairs}
    rows = store.select(f"""SELECT ?p ?law ?c ?field ?raw WHERE {{ {terms.values("?p", sorted(projects))}
      ?p bgt:citation ?c . ?c bgt:citedLaw ?law . OPTIONAL {{ ?c bgt:field ?field }} OPTIONAL {{ ?c bgt:rawText ?raw }}
    }} ORDER BY ?c""")
    rows = [r for r in rows if (r["p"], r["law"]) in pairs]
    locs = node_sources(store, {r["c"] for r in rows}, docs)
    out: dict[tuple[str, str], Cited] = defaultdict(Cited)
    for r in rows:
        cited = out[(r["p"], r["law"])]
        cited.sources = sorted(set(cited.sources) | set(locs.get(r["c"], [])), key=source_order)
        for bucket, value in ((cited.fields, value_label(str(BGT.field), r["field"] or "")), (cited.raws, r["raw"])):
            if value and value not in bucket:
                bucket.append(value)
    return out

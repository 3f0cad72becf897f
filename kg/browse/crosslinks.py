"""The links of an entity page to the same thing in other documents (:mod:`kg.links`): 上年度 and 下年度 of a
budget, project or line, a 预算's 决算 and a 决算's 预算, a 单位 budget's 部门 budget and back, each with
its evidence; and a project's 预算 and 决算 where both print it (one IRI for both)."""

from __future__ import annotations

from collections import defaultdict

from .. import sparql_terms as terms
from ..labels import value_label
from ..store import Store
from ..vocab import BGT
from .reads import DocContext
from .views import CrossLink

# (property, direction) → the relation as the page names it
RELATIONS = {(str(BGT.previousYear), "out"): "上年度", (str(BGT.previousYear), "in"): "下年度",
             (str(BGT.finalAccount), "out"): "决算", (str(BGT.finalAccount), "in"): "预算",
             (str(BGT.partOfBudget), "out"): "所属部门预决算", (str(BGT.partOfBudget), "in"): "单位预决算"}
ORDER = ("上年度", "下年度", "预算", "决算", "所属部门预决算", "单位预决算")


def _title(docs: dict[str, DocContext], doc: str) -> str:
    d = docs.get(doc)
    return (d.title or d.doc_id) if d else doc


def cross_links(store: Store, iri: str, docs: dict[str, DocContext]) -> list[CrossLink]:
    """Every link of ``iri`` to another document's entity, with its evidence, in :data:`ORDER`."""
    node = terms.iri(iri)
    rows = store.select(f"""SELECT ?l ?p ?other ?dir ?by ?key ?label WHERE {{
        {{ ?l rdf:subject {node} ; rdf:predicate ?p ; rdf:object ?other . BIND("out" AS ?dir) }}
        UNION {{ ?l rdf:object {node} ; rdf:predicate ?p ; rdf:subject ?other . BIND("in" AS ?dir) }}
        ?l a bgt:Link ; bgt:linkedBy ?by . OPTIONAL {{ ?l bgt:linkKey ?key }}
        OPTIONAL {{ ?other rdfs:label ?label }} }}""")
    details = defaultdict(lambda: defaultdict(set))
    for r in store.select(f"""SELECT ?l ?q ?v WHERE {{
        {{ ?l rdf:subject {node} }} UNION {{ ?l rdf:object {node} }} ?l a bgt:Link ; ?q ?v .
        FILTER(?q IN ({terms.iri_list([BGT.fromName, BGT.toName, BGT.fromDocument, BGT.toDocument])})) }}"""):
        details[r["l"]][r["q"]].add(r["v"])
    out: dict[tuple, CrossLink] = {}
    for r in rows:
        relation = RELATIONS.get((r["p"], r["dir"]))
        if relation is None:
            continue
        d = details[r["l"]]
        mine, theirs = (BGT.fromName, BGT.toName) if r["dir"] == "out" else (BGT.toName, BGT.fromName)
        documents = sorted({_title(docs, x) for q in (BGT.fromDocument, BGT.toDocument) for x in d[str(q)]})
        key = (relation, r["other"])
        label = min(x["label"] for x in rows if x["other"] == r["other"] and x["label"]) if any(
            x["other"] == r["other"] and x["label"] for x in rows) else r["other"]
        out.setdefault(key, CrossLink(relation, r["other"], label, value_label(str(BGT.linkedBy), r["by"]),
                                      r["key"] or "", tuple(sorted(d[str(mine)])), tuple(sorted(d[str(theirs)])),
                                      tuple(documents)))
    return sorted(out.values(), key=lambda c: (ORDER.index(c.relation), c.label)) + _phases(store, iri, docs)


def _phases(store: Store, iri: str, docs: dict[str, DocContext]) -> list[CrossLink]:
    """A project both a 预算 and its 决算 print (one IRI): the 预算 and the 决算 it is in."""
    rows = store.select(f"""SELECT ?b ?ph ?label ?g WHERE {{ GRAPH ?g {{ {terms.iri(iri)} a bgt:Project ;
        bgt:inBudget ?b . ?b bgt:phase ?ph . OPTIONAL {{ ?b rdfs:label ?label }} }} }} ORDER BY ?b""")
    phases = {r["ph"] for r in rows}
    if len(phases) < 2:
        return []
    return [CrossLink("决算" if r["ph"] == str(BGT.finalAccountPhase) else "预算", r["b"], r["label"] or r["b"],
                      value_label(str(BGT.linkedBy), "same_entity"), "", (), (), (_title(docs, r["g"]),))
            for r in rows]

"""Exports of the whole store, one document or one entity.  Every format is one entry of ``FORMATS`` (STYLE 1.3).

Triple formats (ttl, nt) of the whole store give the union of all graphs (the default graph, each fact
once); quad formats (nq, trig, jsonld) keep each document's named graph.  An entity's description is its
concise bounded description (:func:`describe`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from . import sparql_terms as terms
from .errors import EntityNotFound
from .namespaces import bind_all
from .store import Store, rdf_term


@dataclass(frozen=True)
class Format:
    rdflib_name: str  # the rdflib serializer/parser plugin
    extension: str
    media_type: str
    quads: bool  # keeps named graphs


FORMATS: dict[str, Format] = {
    "ttl": Format("turtle", ".ttl", "text/turtle", quads=False),
    "nt": Format("nt", ".nt", "application/n-triples", quads=False),
    "nq": Format("nquads", ".nq", "application/n-quads", quads=True),
    "trig": Format("trig", ".trig", "application/trig", quads=True),
    "jsonld": Format("json-ld", ".jsonld", "application/ld+json", quads=True),
}


def _format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown export format {name!r}; choose one of {', '.join(sorted(FORMATS))}") from None


def collect(store: Store, doc_id: str | None, quads: bool) -> Graph | Dataset:
    """The data to export, copied into memory: a Dataset (named graphs) or a Graph (their union)."""
    if doc_id is not None and not quads:
        return store.graph(doc_id)
    graph_name = store.doc_graph(doc_id) if doc_id is not None else None
    if doc_id is not None:
        store.graph(doc_id)  # raises DocumentNotFound
    if quads:
        found = store.named_quads(graph=terms.node(graph_name) if graph_name else None)
    else:  # the whole store as triples: its default graph, each fact once
        found = store.engine.quads_for_pattern(None, None, None, ox.DefaultGraph())
    target: Graph | Dataset = Dataset() if quads else Graph()
    bind_all(target, store.base)
    for q in found:
        triple = (rdf_term(q.subject), rdf_term(q.predicate), rdf_term(q.object))
        if quads:
            target.graph(URIRef(q.graph_name.value)).add(triple)
        else:
            target.add(triple)
    return target


def _quad_target(store: Store, quads: bool) -> Graph | Dataset:
    return bind_all(Dataset() if quads else Graph(), store.base)


def describe(store: Store, iri: str, quads: bool = False, depth: int = 3) -> Graph | Dataset:
    """The concise bounded description of ``iri``, in memory.

    Its statements in every document, followed (like blank nodes in a CBD, ``depth`` levels) into
    the nodes of a document that it owns: citations, indicators, funding rows, source locations
    (IRIs under ``doc/{id}/``).  The labels of everything it links to come along, so the
    export reads on its own.  :class:`EntityNotFound` when the store says nothing about it.
    """
    subject = asked = terms.node(store.minter.resolve(iri))
    owned_prefix = store.base + "doc/"
    labels = [ox.NamedNode(str(p)) for p in (RDFS.label, SKOS.prefLabel)]
    target = _quad_target(store, quads)
    added = 0

    def add(q) -> None:
        nonlocal added
        added += 1
        triple = (rdf_term(q.subject), rdf_term(q.predicate), rdf_term(q.object))
        if quads:
            target.graph(URIRef(q.graph_name.value)).add(triple)
        else:
            target.add(triple)

    seen, frontier, linked = {subject.value}, [subject], set()
    for _ in range(depth + 1):
        nxt = []
        for subject in frontier:
            for q in store.named_quads(subject):
                add(q)
                obj = q.object
                if isinstance(obj, ox.NamedNode) and obj.value not in seen:
                    if obj.value.startswith(owned_prefix) and obj.value.count("/") > owned_prefix.count("/"):
                        seen.add(obj.value)
                        nxt.append(obj)
                    else:
                        linked.add(obj.value)
        frontier = nxt
    if not added:
        raise EntityNotFound(f"nothing is known about {asked.value}", iri=asked.value)
    for value in sorted(linked - seen):
        for label in labels:
            for q in store.named_quads(ox.NamedNode(value), label):
                add(q)
    return target


def export(store: Store, fmt: str, out: IO[bytes], doc_id: str | None = None, entity: str | None = None) -> None:
    """Write the store, one document or one entity's description (:func:`describe`) to the binary
    stream ``out`` in format ``fmt``."""
    f = _format(fmt)
    if doc_id is not None and entity is not None:
        raise ValueError("export one document or one entity, not both")
    data = describe(store, entity, f.quads) if entity is not None else collect(store, doc_id, f.quads)
    out.write(data.serialize(format=f.rdflib_name, encoding="utf-8"))


def parse(data: bytes, fmt: str) -> Dataset:
    """Read an export back (for round-trip checks and re-import)."""
    ds = Dataset()
    ds.parse(data=data, format=_format(fmt).rdflib_name)
    return ds

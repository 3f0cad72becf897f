"""Exports of the whole store or one document.  Every format is one entry of ``FORMATS`` (STYLE 1.3).

Triple formats (ttl, nt) of the whole store give the union of all graphs; quad formats
(nq, trig, jsonld) keep each document's named graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from rdflib import Dataset, Graph, URIRef

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
    import pyoxigraph as ox

    pattern = ox.NamedNode(graph_name) if graph_name else None
    target: Graph | Dataset = Dataset() if quads else Graph()
    bind_all(target, store.base)
    for q in store.ox.quads_for_pattern(None, None, None, pattern):
        triple = (rdf_term(q.subject), rdf_term(q.predicate), rdf_term(q.object))
        if quads:
            name = None if isinstance(q.graph_name, ox.DefaultGraph) else URIRef(q.graph_name.value)
            target.graph(name).add(triple) if name else target.default_graph.add(triple)
        else:
            target.add(triple)
    return target


def export(store: Store, fmt: str, out: IO[bytes], doc_id: str | None = None) -> None:
    """Write the store (or one document) to the binary stream ``out`` in format ``fmt``."""
    f = _format(fmt)
    data = collect(store, doc_id, f.quads)
    out.write(data.serialize(format=f.rdflib_name, encoding="utf-8"))


def parse(data: bytes, fmt: str) -> Dataset:
    """Read an export back (for round-trip checks and re-import)."""
    ds = Dataset()
    ds.parse(data=data, format=_format(fmt).rdflib_name)
    return ds

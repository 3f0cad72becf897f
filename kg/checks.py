"""SHACL validation of a document graph against ``ontology/shapes.ttl``."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph

from .vocab import ONTOLOGY_DIR


@lru_cache(maxsize=1)
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl")


@lru_cache(maxsize=1)
def ontology() -> Graph:
    g = Graph().parse(ONTOLOGY_DIR / "budget.ttl")
    for f in sorted((ONTOLOGY_DIR / "codelists").glob("*.ttl")):
        g.parse(f)
    return g


def validate(graph: Graph, inference: bool = False) -> tuple[bool, str]:
    """``(conforms, report text)`` for one document's graph.

    Classes are checked as asserted (the mapping types each node explicitly);
    pass ``inference=True`` to let pyshacl apply RDFS over the ontology first.
    """
    from pyshacl import validate as shacl_validate

    if not graph.store.context_aware:  # a mapped graph (rdflib's SimpleMemory): pyshacl needs contexts
        copy = Graph(identifier=graph.identifier)
        copy += graph
        graph = copy
    conforms, _, text = shacl_validate(
        graph, shacl_graph=shapes(), ont_graph=ontology() if inference else None,
        inference="rdfs" if inference else "none", allow_warnings=True,
    )
    return bool(conforms), text

"""Triples as N-Triples text, the form every graph takes on its way into the store (a SPARQL ``INSERT DATA``
block, the bulk loader's N-Quads).

Each term is written once as rdflib's N-Triples serializer writes it (``_quoteLiteral`` for literals, ``n3()``
for the rest: their own escaping of every term, so no literal holds a raw line break and every line ends with
``" .\\n"``) and reused: twice the speed of ``Graph.serialize("nt")``.
"""

from __future__ import annotations

from typing import Iterable

from rdflib import Literal
from rdflib.plugins.serializers.nt import _quoteLiteral

LINE_END = " .\n"  # how every line ends, and nowhere else within a line


def ntriples(triples: Iterable[tuple]) -> str:
    """``triples`` (rdflib terms; a ``Graph`` or any iterable of triples) as N-Triples, one line each."""
    written: dict = {}

    def nt(term) -> str:
        text = written.get(term)
        if text is None:
            text = written[term] = _quoteLiteral(term) if isinstance(term, Literal) else term.n3()
        return text

    return "".join(f"{nt(s)} {nt(p)} {nt(o)}{LINE_END}" for s, p, o in triples)


def in_graph(body: str, graph: str) -> str:
    """The N-Triples ``body`` as N-Quads of the named graph ``graph`` (an IRI written as N-Triples writes it)."""
    return body.replace(LINE_END, f" {graph}{LINE_END}")

"""Every export format round-trips (parametrised over the registry itself)."""

from __future__ import annotations

import io

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from kg.export import FORMATS, parse
from kg.mapping import map_extraction
from kg_fixtures import jiangan


def canonical(g: Graph) -> Graph:
    """Decimals by value: Turtle writes 12 as 12.0, Oxigraph returns 12.00 as 12."""
    out = Graph()
    for s, p, o in g:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(o.toPython().normalize(), "f"), datatype=XSD.decimal)
        out.add((s, p, o))
    return out


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_whole_store_round_trips(kg_small, fmt):
    buf = io.BytesIO()
    kg_small.export(fmt, buf)
    data = buf.getvalue()
    assert "医疗救助".encode() in data or b"%E5%8C%BB" in data
    ds = parse(data, fmt)
    quads = len(list(ds.quads()))
    if FORMATS[fmt].quads:
        assert quads == kg_small.store.count()
        assert {str(g.identifier) for g in ds.graphs() if len(g)} >= {
            str(kg_small.store.doc_graph("aaaaaaaaaaaaaaaa")), str(kg_small.store.doc_graph("bbbbbbbbbbbbbbbb"))}
    else:
        assert 0 < quads <= kg_small.store.count()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_one_document_round_trips_isomorphically(kg_small, fmt):
    buf = io.BytesIO()
    kg_small.export(fmt, buf, doc_id="bbbbbbbbbbbbbbbb")
    ds = parse(buf.getvalue(), fmt)
    back = Graph()
    for s, p, o, _ in ds.quads():
        back.add((s, p, o))
    assert isomorphic(canonical(back), canonical(kg_small.graph("bbbbbbbbbbbbbbbb")))
    assert len(back) == len(map_extraction(jiangan()))


def test_unknown_format_is_a_clear_error(kg_small):
    with pytest.raises(ValueError, match="choose one of"):
        kg_small.export("xml", io.BytesIO())

"""The closed namespace matches ontology/budget.ttl; codelists are well-formed SKOS."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.vocab import ONTOLOGY_DIR
from kg.namespaces import PREFIXES, bind_all
from kg.vocab import BGT, ELI

NS = str(BGT._NS)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "budget.ttl")


def ttl_terms(g: Graph) -> set[str]:
    return {str(s)[len(NS):] for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}


def test_every_bgt_term_is_defined_in_the_ttl_and_vice_versa(onto):
    assert set(BGT.__annotations__) == ttl_terms(onto)


def test_every_term_has_a_chinese_and_an_english_label(onto):
    for name in ttl_terms(onto):
        langs = {lit.language for lit in onto.objects(URIRef(NS + name), RDFS.label) if isinstance(lit, Literal)}
        assert {"zh", "en"} <= langs, name


def test_unknown_terms_fail_loudly():
    with pytest.raises(AttributeError):
        BGT.Projekt  # noqa: B018
    with pytest.raises(AttributeError):
        ELI.titel  # noqa: B018
    assert BGT.Project == URIRef(NS + "Project")


def test_bind_all_binds_every_prefix():
    g = bind_all(Graph())
    bound = {p for p, _ in g.namespaces()}
    assert set(PREFIXES) | {"kg"} <= bound


@pytest.mark.parametrize("scheme,levels", [("functional", {3, 5, 7}), ("economic", {3, 5})])
def test_codelists_link_each_code_to_its_parent(scheme, levels):
    g = Graph().parse(ONTOLOGY_DIR / "codelists" / f"{scheme}.ttl")
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert concepts
    for c in concepts:
        code = str(g.value(c, SKOS.notation))
        assert len(code) in levels
        assert g.value(c, SKOS.prefLabel).language == "zh"
        broader = g.value(c, SKOS.broader)
        if len(code) == 3:
            assert broader is None
        else:
            assert str(g.value(broader, SKOS.notation)) == code[:-2]


def test_seed_codes_are_named_as_in_the_national_classification():
    g = Graph().parse(ONTOLOGY_DIR / "codelists" / "functional.ttl")
    names = {str(g.value(c, SKOS.notation)): str(g.value(c, SKOS.prefLabel)) for c in g.subjects(RDF.type, SKOS.Concept)}
    assert names["210"] == "卫生健康支出"
    assert names["21013"] == "医疗救助"
    assert names["2101301"] == "城乡医疗救助"
    assert names["2080505"] == "机关事业单位基本养老保险缴费支出"

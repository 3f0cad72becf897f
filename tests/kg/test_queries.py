"""Named queries and read-only user SPARQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.errors import QueryError
from kg.sparql_check import check_read_only


@pytest.mark.parametrize("ref", ["武政规[2016]32号", "武政规〔2016〕32 号", "武政规【2016】32号", " 武政规（2016）32号 "])
def test_cites_finds_projects_in_both_documents_for_any_variant(kg_small, ref):
    hits = kg_small.cites(ref)
    assert sorted((h.doc_id, h.name) for h in hits) == [
        ("aaaaaaaaaaaaaaaa", "城乡医疗救助"), ("bbbbbbbbbbbbbbbb", "统筹和组织实施医疗救助工作经费")]
    rescue = next(h for h in hits if h.doc_id == "aaaaaaaaaaaaaaaa")
    assert rescue.department == "武汉市东西湖区医疗保障局"
    assert (rescue.year, rescue.phase, rescue.amount) == (2023, "budget", Decimal("260"))
    assert rescue.unit == "武汉市东西湖区医疗保障局本级"
    assert [(x.page, x.line) for x in rescue.locations] == [(40, 812)]


def test_cites_by_title_with_or_without_brackets(kg_small):
    for ref in ("市人民政府关于印发武汉市医疗救助实施办法的通知", "《市人民政府关于印发武汉市医疗救助实施办法的通知》"):
        assert [h.name for h in kg_small.cites(ref)] == ["城乡医疗救助"]
    assert [h.name for h in kg_small.cites("中华人民共和国社会保险法")] == ["医保服务中心工作经费"]
    assert kg_small.cites("国务院令第1号") == []


def test_cites_sparql_can_be_printed(kg_small):
    text = kg_small.cites_sparql("武政规[2016]32号")
    assert '"武政规〔2016〕32号"' in text and text.startswith("PREFIX")


@pytest.mark.parametrize("query,word", [
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT DATA"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
    ("LOAD <http://example.org/x.ttl>", "LOAD"),
    ("CLEAR ALL", "CLEAR"),
    ("DROP GRAPH <http://a>", "DROP"),
    ("CREATE GRAPH <http://a>", "CREATE"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE { ?s ?p ?o . { SELECT ?s WHERE { SERVICE <http://x> { ?s ?q ?r } } } }", "SERVICE"),
])
def test_user_sparql_is_read_only(kg_small, query, word):
    n = kg_small.store.count()
    with pytest.raises(QueryError, match=word):
        kg_small.sparql(query)
    assert kg_small.store.count() == n


def test_malformed_sparql_is_one_line():
    with pytest.raises(QueryError) as err:
        check_read_only("SELEC ?x WHERE {}")
    assert "\n" not in str(err.value) and "malformed" in str(err.value)


def test_select_ask_construct(kg_small):
    res = kg_small.sparql("SELECT ?name WHERE { ?p a bgt:Project ; rdfs:label ?name } ORDER BY ?name")
    assert res.vars == ["name"] and len(res.rows) == 4
    assert kg_small.sparql("ASK { ?p a bgt:Project }").boolean is True
    res = kg_small.sparql("CONSTRUCT { ?p a bgt:Project } WHERE { ?p a bgt:Project }")
    assert res.kind == "graph" and len(res.rows) == 4


def test_row_limit_and_timeout(kg_small):
    res = kg_small.sparql("SELECT * WHERE { ?s ?p ?o }", limit=5)
    assert len(res.rows) == 5 and res.truncated
    with pytest.raises(QueryError, match="stopped after"):
        kg_small.sparql("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", timeout=0.05, limit=10**9)


def test_entity_shows_outgoing_and_inverse_links(kg_small):
    e = kg_small.entity("law/武政规〔2016〕32号")
    assert e.found
    graphs = {g for _, _, g in e.outgoing}
    assert {g.rsplit("/", 1)[-1] for g in graphs} == {"aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"}
    cites = [s for s, p, _ in e.incoming if p.endswith("#cites")]
    assert len(cites) == 2
    assert not kg_small.entity("law/nothing").found


def test_entity_is_remembered_until_the_next_write(kg):
    from kg_fixtures import dongxihu, jiangan

    kg.ingest_extraction(jiangan())
    first = kg.entity("law/武政规〔2016〕32号")
    first.incoming.clear()  # the caller's own lists: the remembered answer keeps its links
    again = kg.entity("law/武政规〔2016〕32号")
    assert len([p for _, p, _ in again.incoming if p.endswith("#cites")]) == 1
    assert again.outgoing is not first.outgoing
    kg.ingest_extraction(dongxihu())  # a write: read again, the second document's citation with it
    assert len([p for _, p, _ in kg.entity("law/武政规〔2016〕32号").incoming if p.endswith("#cites")]) == 2


def test_user_prefixes_may_repeat_the_predefined_ones(kg_small):
    res = kg_small.sparql("PREFIX bgt: <https://w3id.org/budgetkg/def#> SELECT (COUNT(*) AS ?n) WHERE { ?p a bgt:Project }")
    assert res.rows == [{"n": 4}]

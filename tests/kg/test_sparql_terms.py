"""kg.sparql_terms, the one door into SPARQL text: IRIs checked by the engine, literals escaped by it."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from kg import sparql_terms as terms
from kg.errors import QueryError

# Strings a URL, a form or a document may carry, each of which would change a query spliced as text
INJECTIONS = [
    "x:a> ?p ?o }",
    "http://x/a> } ; DROP GRAPH <http://y",
    'http://x/a" } #',
    "http://x/a\n} SELECT * WHERE {",
    "http://x/\\u0022",
    'http://x/\u0022',
    "http://x/a b",
    "http://x>y/a",
    "http://x y/a",
    "http://x/a#b#c",
    "http://x/%zz",
    "law/a",  # relative: not absolute
    "",
]
LEGITIMATE = [
    "https://w3id.org/budgetkg/law/%E6%AD%A6%E6%94%BF%E8%A7%84%E3%80%942016%E3%80%9532%E5%8F%B7",
    "https://w3id.org/budgetkg/law/武政规〔2016〕32号",
    "https://w3id.org/budgetkg/def#Project",
    "urn:isbn:0451450523",
    "http://[::1]:8080/a?b=c",
]
TEXTS = ['a"b', "a\\b", "a\nb\r\tc", "\\u0022", "\\U00000022", '"""', "'''", "x\\", '\\"', "中文\u2028段",
         '") } ; DROP ALL ; #', "}" * 3]


def ask(query: str):
    return list(ox.Store().query(query))


@pytest.mark.parametrize("value", INJECTIONS)
def test_malformed_or_relative_iris_are_refused(value):
    with pytest.raises(QueryError) as err:
        terms.iri(value)
    assert err.value.code == "query_input"
    with pytest.raises(QueryError):
        terms.node(value)


@pytest.mark.parametrize("value", LEGITIMATE)
def test_well_formed_iris_pass_unchanged(value):
    assert terms.iri(value) == f"<{value}>"
    assert terms.node(value).value == value
    [row] = ask(f"SELECT ?x WHERE {{ BIND({terms.iri(value)} AS ?x) }}")
    assert row["x"].value == value


@pytest.mark.parametrize("text", TEXTS)
def test_literals_round_trip_through_the_engine(text):
    [row] = ask(f"SELECT ?x WHERE {{ BIND({terms.literal(text)} AS ?x) }}")
    assert row["x"].value == text
    assert "\n" not in terms.literal(text)


def test_values_blocks_keep_order_once_each_and_check_every_item():
    assert terms.values("?s", ["http://x/b", "http://x/a", "http://x/b"]) == "VALUES ?s { <http://x/b> <http://x/a> }"
    assert terms.values("?k", ['a"b'], terms.literal) == 'VALUES ?k { "a\\"b" }'
    assert terms.values("?s", []) == "VALUES ?s {  }"
    with pytest.raises(QueryError):
        terms.values("?s", ["http://x/a", "x:a> ?p ?o }"])
    with pytest.raises(QueryError):
        terms.values("?s } DROP ALL", ["http://x/a"])
    assert terms.iri_list(["http://x/b", "http://x/a"]) == "<http://x/b>, <http://x/a>"


@pytest.mark.parametrize("value,text", [(Decimal("1E+5"), "100000"), ("260.5", "260.5"), (12, "12"), ("-3", "-3")])
def test_numbers(value, text):
    assert terms.number(value) == text


@pytest.mark.parametrize("value", [1.5, True, "NaN", "Infinity", "1 } ; DROP ALL", "", None])
def test_what_is_not_a_finite_number_is_refused(value):
    with pytest.raises(QueryError) as err:
        terms.number(value)
    assert err.value.code == "query_input"


def test_integers():
    assert terms.integer(2023) == terms.integer(" 2023 ") == "2023"
    for bad in ("2023 } ; DROP ALL", "20.5", True, None):
        with pytest.raises(QueryError):
            terms.integer(bad)


def test_a_comment_stays_on_one_line():
    note = terms.comment("x }\n} ; SELECT * WHERE { ?s ?p ?o\r")
    query = f"SELECT ?x WHERE {{\n  {note}\n  BIND(1 AS ?x) }}"
    assert [r["x"].value for r in ask(query)] == ["1"]

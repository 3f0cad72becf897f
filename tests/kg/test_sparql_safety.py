"""No query makes the process open a connection (issue 11, failure 1): one text for both parsers,
and a query child without network."""

from __future__ import annotations

import subprocess
import sys
import time

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.sparql_check import check_read_only, expand_escapes
from tests.net_listener import hostile_queries, hostile_values, listening


def test_the_listener_hears_oxigraph_when_nothing_stops_it():
    """The control: pyoxigraph performs SERVICE over HTTP in a process without the sandbox."""
    with listening(30) as ear:
        with pytest.raises(OSError):
            list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{ear.url}> {{ ?s ?p ?o }} }}"))
        time.sleep(0.2)
        assert len(ear.connections) == 1


@pytest.mark.parametrize("name", sorted(hostile_queries("http://127.0.0.1:1/x")))
def test_no_hostile_query_reaches_the_listener_through_the_library(kg_small, name):
    with listening(60) as ear:
        query = hostile_queries(ear.url)[name]
        try:
            result = kg_small.sparql(query, timeout=5)
        except QueryError as exc:
            assert exc.code in {"query_service", "query_update", "query_syntax", "query_failed"}, exc
        else:  # what ran is what both parsers read: the SERVICE was inside a string
            assert result.kind == "select"
        time.sleep(0.2)
        assert ear.connections == []


@pytest.mark.parametrize("name,code", [
    ("keyword", "query_service"), ("keyword_lower", "query_service"), ("iri", "query_service"),
    ("comment", "query_service"), ("service", "query_service"), ("silent", "query_service"),
    ("nested", "query_service"), ("load", "query_update"), ("load_escaped", "query_update"),
    ("bypass_case", "query_syntax"),
])
def test_escaped_service_and_load_are_refused_by_the_check(name, code):
    with pytest.raises(QueryError) as err:
        check_read_only(hostile_queries("http://127.0.0.1:1/x")[name])
    assert err.value.code == code


def test_the_bypass_reads_as_strings_once_escapes_are_expanded():
    text = expand_escapes(hostile_queries("http://127.0.0.1:1/x")["bypass_lines"])
    assert text.startswith('SELECT * WHERE { BIND("" AS ?a) BIND(" AS ?a) SERVICE')
    assert "\\" not in text


@pytest.mark.parametrize("escaped,plain", [
    ("\\u0022", '"'), ("\\U00000022", '"'), ("\\u004a\\u004A", "JJ"), ("\\U0001F600", "\U0001F600"),
    ("\\u0001F600", "\x01F600"),  # four digits after \u, as SPARQL 1.1 §19.2 says (rdflib took eight)
    ("\\\\u0041", "\\A"),  # the whole text, before parsing: an escaped backslash is no exception
    ("\\\\n", "\\\\n"), ("C:\\\\users", "C:\\\\users"),
])
def test_escapes_expand_once_as_sparql_says(escaped, plain):
    assert expand_escapes(escaped) == plain


@pytest.mark.parametrize("text", ["\\uD83D\\uDE00", "\\U00110000", "\\u005Cu0041", "\\u005C\\u00750041"])
def test_escapes_that_name_no_character_or_leave_an_escape_are_malformed(text):
    with pytest.raises(QueryError) as err:
        expand_escapes(text)
    assert err.value.code == "query_syntax"


def test_both_engines_read_the_length_of_an_escape_alike(kg_small):
    res = kg_small.sparql('SELECT (STRLEN("\\u0001F600") AS ?n) (STRLEN("\\U0001F600") AS ?m) WHERE {}')
    assert res.rows == [{"n": 5, "m": 1}]


def test_the_query_child_has_no_network_even_for_a_service_the_check_missed():
    """SERVICE impossible at the engine: under kg.sandbox.no_network pyoxigraph cannot connect."""
    with listening(60) as ear:
        code = ("import pyoxigraph as ox; from kg.sandbox import no_network; assert no_network()\n"
                f"try: list(ox.Store().query('SELECT * WHERE {{ SERVICE <{ear.url}> {{ ?s ?p ?o }} }}'))\n"
                "except PermissionError: print('refused')")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                             env={"PYTHONPATH": ":".join(p for p in sys.path if p)})
        time.sleep(0.2)
        assert out.stdout.strip() == "refused", out.stderr
        assert ear.connections == []


def test_named_queries_reach_no_listener(kg_small):
    with listening(60) as ear:
        for text in (*hostile_values(ear.url), *hostile_queries(ear.url).values()):
            for call in (kg_small.cites, kg_small.entity, kg_small.entity_view):
                try:
                    call(text)
                except Exception as exc:  # refused input is fine; a connection is not
                    assert type(exc).__name__ in {"QueryError", "EntityNotFound"}, exc
        time.sleep(0.2)
        assert ear.connections == []


def test_a_malformed_query_says_where_it_stopped_in_the_text_as_typed(kg_small):
    """The line and column come back from the query child (``details``), counted in the user's text, not
    in the prefixes kg puts before it, so that a front-end can point at them."""
    with pytest.raises(QueryError) as err:
        kg_small.sparql("SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER(?o = )\n}")
    assert err.value.code == "query_syntax"
    assert err.value.details == {"line": 4, "column": 3}

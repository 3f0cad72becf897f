"""The app opens no connection for any hostile query parameter, and a URL's query runs within the
same limits as a typed one (issue 11, failures 1 and 3)."""

from __future__ import annotations

import time

import pytest
from apptest_helpers import page_test, texts

import search_app.views.sparql as sparql_view
from kg import query_runner
from tests.net_listener import hostile_queries, hostile_values, listening

PAGE_PARAMS = {
    "entity": ["iri"],
    "search": ["q", "cites", "dept", "unit", "fund", "code"],
    "charts": ["dept", "year", "phase", "level"],
    "export": ["scope", "fmt", "doc", "iri"],
}


@pytest.fixture(scope="module")
def ear():
    with listening(600) as ear:
        yield ear


def test_the_sparql_page_from_a_link_reaches_no_listener(run_page, ear):
    for name, query in hostile_queries(ear.url).items():
        at = run_page("sparql", query=query)
        assert at.text_area(key="sparql_query").value == query, name
    time.sleep(0.2)
    assert ear.connections == []


@pytest.mark.parametrize("page", sorted(PAGE_PARAMS))
def test_every_page_with_every_parameter_reaches_no_listener(run_page, ear, page):
    for param in PAGE_PARAMS[page]:
        for value in hostile_values(ear.url):
            run_page(page, **{param: value})
    time.sleep(0.2)
    assert ear.connections == []


def test_a_query_from_a_link_is_stopped_like_a_typed_one(app_store, monkeypatch):
    monkeypatch.setattr(sparql_view, "DEFAULT_TIMEOUT_S", 2.0)
    at = page_test("sparql")
    at.query_params["query"] = "ASK {}"
    at.run()  # a warm child
    pid = query_runner.runner().pid
    at = page_test("sparql")
    # counted as it streams: endless, in constant memory (so the clock, not the memory limit, stops it)
    at.query_params["query"] = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    t = time.monotonic()
    at.run()
    assert not at.exception and time.monotonic() - t < 5
    assert "查询超过 2 秒，已停止。" in texts(at, "error")  # the time it was given, from the error's details
    assert query_runner.runner().pid != pid  # the child that ran it was killed

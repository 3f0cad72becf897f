"""Issue 13, problem 4 in the app: the IRI an entity page shows is the one its SPARQL page finds.

The caption ``IRI：`…`'' holds the stored IRI verbatim (a code span: no markdown escapes); pasted into a
query on the SPARQL page it names the entity.  The percent-encoded spelling opens the same page, and a
not-found message shows the IRI as typed-and-normalised, without backslashes.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from apptest_helpers import texts

DEPT = "武汉市东西湖区医疗保障局"
DEPT_IRI = f"https://w3id.org/budgetkg/org/{DEPT}"


def _shown_iri(at) -> str:
    [caption] = [c for c in texts(at, "caption") if c.startswith("IRI：")]
    return re.fullmatch(r"IRI：(`+) (.*) \1", caption).group(2)


def test_the_shown_iri_pasted_into_sparql_finds_the_entity(run_page):
    at = run_page("entity", iri="org/" + DEPT)
    shown = _shown_iri(at)
    assert shown == DEPT_IRI
    sparql = run_page("sparql", query=f"SELECT ?label WHERE {{ <{shown}> rdfs:label ?label }}")
    assert list(sparql.dataframe[0].value["label"]) == [DEPT]


def test_a_project_iri_shown_by_a_link_is_the_stored_one(run_page):
    law = run_page("entity", iri="law/武政规〔2016〕32号")
    table = next(m.value for m in law.markdown if "城乡医疗救助" in m.value and "entity?iri=" in m.value)
    row = next(r for r in table.splitlines() if "城乡医疗救助" in r)
    project = run_page("entity", iri=unquote(row.split("entity?iri=")[1].split(")")[0]))  # the row's link
    shown = _shown_iri(project)
    assert shown.startswith("https://w3id.org/budgetkg/project/武汉市") and "%E" not in shown
    sparql = run_page("sparql", query=f"SELECT ?name WHERE {{ <{shown}> rdfs:label ?name }}")
    assert list(sparql.dataframe[0].value["name"]) == ["城乡医疗救助"]


def test_the_percent_encoded_spelling_opens_the_same_page(run_page):
    at = run_page("entity", iri="https://w3id.org/budgetkg/org/" + quote(DEPT))
    assert at.header[0].value == DEPT and _shown_iri(at) == DEPT_IRI


def test_a_missing_entity_is_named_without_escapes(run_page):
    at = run_page("entity", iri="org/没有这个部门")
    message = at.warning[0].value
    assert "` https://w3id.org/budgetkg/org/没有这个部门 `" in message and "\\" not in message


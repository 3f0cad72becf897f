"""The SPARQL page (search_app/views/sparql.py): examples, results, downloads, refusals."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from apptest_helpers import page_test, texts

from kg.api import BudgetKG
from kg.types import ERROR_CODES, ERROR_MESSAGES, UNKNOWN, QueryError, error_message
from search_app.views.sparql import rows_as

PROJECTS = "SELECT ?name ?amount WHERE { ?p a bgt:Project ; rdfs:label ?name ; bgt:amount ?amount } ORDER BY ?name"


def test_editor_starts_with_the_cites_example_and_runs_it(app_store):
    at = page_test("sparql").run()
    assert not at.exception
    assert "VALUES ?key" in at.text_area(key="sparql_query").value
    titles = at.selectbox(key="sparql_example").options
    assert any("引用某文件的项目" in t and "武政规〔2016〕32号" in t for t in titles)
    assert not at.dataframe and at.query_params == {}
    at.button[0].click().run()  # 运行
    assert not at.exception
    rows = at.dataframe[0].value
    assert {"城乡医疗救助", "统筹和组织实施医疗救助工作经费"} <= set(rows["name"])
    assert rows["project"].str.startswith("https://w3id.org/budgetkg/project/武汉市").all()  # IRIs whole, readable
    assert [b.label for b in at.get("download_button")] == ["下载 CSV", "下载 JSON"]
    assert "VALUES ?key" in at.query_params["query"]


def test_picking_an_example_fills_the_editor(app_store):
    at = page_test("sparql").run()
    at.selectbox(key="sparql_example").select("被引用最多的文件").run()
    assert "COUNT(DISTINCT ?project)" in at.text_area(key="sparql_query").value
    at.button[0].click().run()
    rows = at.dataframe[0].value
    assert list(rows.columns) == ["law", "docNumber", "lawTitle", "projects"]
    assert rows["projects"].iloc[0] >= rows["projects"].iloc[-1] >= 1


def test_every_example_runs(app_store):
    with BudgetKG.open(app_store) as kg:
        for title, query in kg.example_queries().items():
            result = kg.sparql(query)
            assert result.kind == "select" and result.rows, title


def test_the_url_query_runs_at_once(app_store):
    at = page_test("sparql")
    at.query_params["query"] = PROJECTS
    at.run()
    assert not at.exception
    assert at.text_area(key="sparql_query").value == PROJECTS
    assert len(at.dataframe[0].value) == 24 and "共 24 行" in texts(at, "caption")


def test_updates_are_refused_with_a_clear_message(app_store):
    at = page_test("sparql").run()
    at.text_area(key="sparql_query").input('INSERT DATA { <urn:x> <urn:y> "z" }')
    at.button[0].click().run()
    assert not at.exception and not at.dataframe
    assert at.error[0].value == ERROR_MESSAGES["query_update"] + "。"  # Chinese only: no English detail line
    for query, code, where in [
            ("LOAD <http://example.org/data.ttl>", "query_update", ""),
            ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "query_service", ""),
            ("SELECT ?s WHERE { ?s ?p }", "query_syntax", "（第 1 行第 19 列附近）"),
            # the place is counted in the query as typed, not after the prefixes the app puts before it
            ("SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER(?o = )\n}", "query_syntax", "（第 4 行第 3 列附近）")]:
        at.text_area(key="sparql_query").input(query)
        at.button[0].click().run()
        assert at.error[0].value == ERROR_MESSAGES[code] + where + "。"
        assert not re.search("[A-Za-z]+ [A-Za-z]+", at.error[0].value.replace("LOAD、CLEAR", ""))


def test_row_limit_and_ask(app_store):
    at = page_test("sparql").run()
    at.selectbox(key="sparql_limit").select(100)
    at.text_area(key="sparql_query").input("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    at.button[0].click().run()
    assert len(at.dataframe[0].value) == 100 and "只显示前 100 行" in at.warning[0].value
    at.text_area(key="sparql_query").input("ASK { ?p a bgt:Project }")
    at.button[0].click().run()
    assert "true" in at.success[0].value


def test_downloads_are_csv_and_json_with_chinese_kept(app_store):
    with BudgetKG.open(app_store) as kg:
        result = kg.sparql(PROJECTS)
        base = kg.base
    rows = list(csv.DictReader(io.StringIO(rows_as("csv", result, base).decode("utf-8"))))
    assert len(rows) == 24 and rows[0].keys() == {"name", "amount"} and any(r["name"] == "城乡医疗救助" for r in rows)
    assert {"name": "城乡医疗救助", "amount": "260"} in json.loads(rows_as("json", result, base))



@pytest.mark.parametrize("code", ERROR_CODES)
def test_each_error_is_told_by_its_code_not_its_message(code):
    assert error_message(QueryError("any English text", code)) == ERROR_MESSAGES[code]
    assert error_message(QueryError("read-only store: DROP is not allowed", code)) == ERROR_MESSAGES[code]
    assert not re.search("[A-Za-z]{3,} [A-Za-z]{3,}", ERROR_MESSAGES[code])  # Chinese, no English phrase


def test_messages_name_every_kg_code_and_an_unknown_code_has_a_chinese_message():
    assert set(ERROR_MESSAGES) == set(ERROR_CODES)
    assert error_message(QueryError("read-only store", "no_such_code")) == UNKNOWN

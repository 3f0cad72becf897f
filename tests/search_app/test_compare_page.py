"""The comparison page (search_app/views/compare.py) under AppTest on the multi-year fixtures: the permalink
chooses everything and is read back validated; the tables show the gold's figures, escaped, with sources."""

from __future__ import annotations

import html
import re
import shutil

import pytest
import streamlit as st
from apptest_helpers import run_with

from helpers import MULTIYEAR, load_json

GOLD = load_json(MULTIYEAR / "gold.json")
CG, YL = "武汉市江夏区城市管理执法局", "武汉市江夏区园林和林业局"


@pytest.fixture
def run(multiyear_store_template, tmp_path, monkeypatch):
    store = shutil.copytree(multiyear_store_template, tmp_path / "store")
    monkeypatch.setenv("BUDGETKG_STORE", str(store))

    def run(**params):
        return run_with("compare", **params)

    yield run
    st.cache_data.clear()
    st.cache_resource.clear()


def tables(at) -> dict[str, list[list[tuple[str, str, str]]]]:
    """Each table shown, by its key: rows of (text, title, style) cells, unescaped."""
    out = {}
    for element in at.get("html"):
        body = element.proto.body
        key = re.search(r'data-key="([^"]+)"', body)
        if not key:
            continue
        rows = []
        for tr in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1]):
            rows.append([(html.unescape(text), html.unescape(title or ""), style or "") for style, title, text in
                         re.findall(r'<td(?: style="([^"]*)")?(?: title="([^"]*)")?>(.*?)</td>', tr)])
        out[key.group(1)] = rows
    return out


def by_name(rows) -> dict[str, list]:
    return {r[1][0]: r for r in rows}


def test_years_by_permalink_show_the_gold_with_sources(run):
    at = run(view="years", dept="区城管执法局", years="2023-2025", phase="预算")
    assert at.radio[0].value == "years" and at.selectbox[0].value == CG
    assert at.multiselect[0].value == [2023, 2024, 2025]
    assert dict(at.query_params) == {"view": "years", "dept": CG, "years": "2023,2024,2025", "phase": "预算"}
    shown = tables(at)
    gold = GOLD["comparisons"]["years"]
    basic = by_name(shown["split"])["基本支出"]
    assert [c[0] for c in basic[2:]] == [f"{float(gold['2023']['basic']):,.2f}", "898.11", "+20.23", "+2.30",
                                         "916.63", "+18.52", "+2.06"]
    assert all("text-align:right" in c[2] for c in basic[2:])
    assert "jiangxia" not in basic[2][1] and re.search(r"第 \d+ 行", basic[2][1])  # the document and its line
    assert basic[2][1].startswith("武汉市江夏区城市管理执法局 2023 年部门预算公开")
    for code, amount in gold["2025"]["functional"].items():
        table = shown["functional_类" if len(code) == 3 else "functional_款"]
        row = next(r for r in table if r[0][0] == code)
        assert row[6][0] == f"{float(amount):,.2f}", code
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")  # the chart


def test_execution_and_side_by_side_by_permalink(run):
    at = run(view="execution", dept=CG, year="2024")
    split = by_name(tables(at)["split"])
    gold = GOLD["execution"]
    assert [c[0].replace(",", "") for c in split["本年支出合计"][2:5]] == [
        gold["total"]["budget"], gold["total"]["final"], gold["total"]["rate"]]
    assert dict(at.query_params) == {"view": "execution", "dept": CG, "year": "2024"}
    at = run(view="departments", dept=CG, **{"with": "区园林局"}, year="2025")
    split = by_name(tables(at)["split"])
    assert [c[0].replace(",", "") for c in split["基本支出"][2:]] == [
        GOLD["side_by_side"]["departments"][d]["basic"] for d in (CG, YL)]
    assert at.query_params["with"] == YL


HOSTILE = '<img src=x onerror=alert(1)>**粗**$x$'


@pytest.mark.parametrize("params, warning", [
    ({"dept": HOSTILE}, "部门"), ({"dept": CG, "years": HOSTILE}, "年度"), ({"view": HOSTILE}, "比较"),
    ({"dept": CG, "phase": HOSTILE}, "阶段"), ({"view": "departments", "dept": CG, "with": HOSTILE}, "并列部门"),
])
def test_hostile_links_are_refused_with_an_escaped_message(run, params, warning):
    at = run(**params)
    assert at.warning, params
    text = at.warning[0].value
    assert warning in text
    assert "&lt;img" in text and "<img" not in text  # named, as text
    assert "\\*\\*粗\\*\\*" in text and "\\$x\\$" in text  # no emphasis, no LaTeX
    assert tables(at)  # the page still shows a comparison it can
    for element in at.get("html"):
        assert "<img" not in element.proto.body and "onerror" not in element.proto.body


def test_a_documents_text_is_escaped_in_the_table():
    from decimal import Decimal

    from kg.compare import Cell, Table
    from search_app.views.compare import table_html

    evil = '"><script>alert(1)</script>'
    shown = table_html(Table("x", "t", ("编码", "名称", "2025年（万元）"),
                             ((Cell(evil), Cell(evil, note=evil), Cell("1.00", Decimal("1.00"), note=evil)),)))
    assert "<script>" not in shown and shown.count("&lt;script&gt;") == 4 and shown.count("&quot;&gt;") == 4


def test_a_hostile_department_name_is_escaped_in_the_title(tmp_path, monkeypatch):
    """The comparison's title is the department's label as its document prints it."""
    from dataclasses import replace

    from multiyear_docs import DOCS
    from kg.mapping import map_extraction
    from kg.store import Store

    name = "**某**区<b>局</b>$x$"
    with Store(tmp_path / "store") as s:
        for doc_id in ("a" * 16, "b" * 16):
            ex = DOCS[doc_id]
            ex = replace(ex, document=replace(ex.document, department=name))
            s.replace_document(ex, map_extraction(ex, s.base))
    monkeypatch.setenv("BUDGETKG_STORE", str(tmp_path / "store"))
    try:
        at = run_with("compare", view="years", dept=name)
        titles = [h.value for h in at.subheader]
        assert any("\\*\\*某\\*\\*区" in t and "&lt;b&gt;" in t and "\\$x\\$" in t for t in titles), titles
        assert not any("<b>" in t for t in titles)
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()

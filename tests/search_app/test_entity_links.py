"""The entity page shows a project's and a budget's links to other years and phases, with their evidence."""

from __future__ import annotations

import pytest
import streamlit as st
from apptest_helpers import page_test

from kg.store import Store
from multiyear_docs import DOCS, put

P = "project/上海市某某区测试局/"


@pytest.fixture(scope="module")
def links_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("links-app") / "store"
    with Store(path) as s:
        for doc_id in DOCS:
            put(s, doc_id)
    return path


def _run(store, monkeypatch, iri: str) -> str:
    monkeypatch.setenv("BUDGETKG_STORE", str(store))
    at = page_test("entity")
    at.query_params["iri"] = iri
    at.run()
    assert not at.exception, at.exception
    st.cache_data.clear()
    st.cache_resource.clear()
    return at


def test_a_project_page_shows_last_and_next_year_and_its_final_account(links_store, monkeypatch):
    at = _run(links_store, monkeypatch, P + "2024/P001")
    assert "跨年度与预决算关联（4）" in [s.value for s in at.subheader]
    table = next(m.value for m in at.markdown if "| 关系 |" in m.value).replace("\\", "")
    rows = table.splitlines()[2:]
    assert rows[0].startswith("| 上年度 | [信息化运维](") and "项目编码相同：P001；本方名称“信息系统运维费”，对方名称“信息化运维”" in rows[0]
    assert rows[1].startswith("| 下年度 | [信息系统运维费](") and "2025%2FP001" in rows[1]
    assert any(r.startswith("| 决算 |") and "预算与决算列为同一项目" in r for r in rows)

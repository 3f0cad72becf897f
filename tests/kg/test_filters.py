"""Structured filters (kg.filters): names resolved to IRIs from cached tables, the SPARQL that runs, what it allows."""

from __future__ import annotations

import pytest

from kg.filters import Filters, allowed, department_names, filter_query, named, unit_names
from kg_fixtures import dongxihu, jiangan

DONGXIHU, JIANGAN = "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"


def test_filters_resolve_and_reject(kg):
    assert Filters.resolve({"amount_min": 1000, "year": 2023}) == Filters(year=2023, min_amount=1000)
    assert not Filters() and Filters(year=2023)
    assert Filters(unit="本级").on_subject() and not Filters(department="x", year=1).on_subject()
    with pytest.raises(ValueError, match="unknown filter"):
        Filters.resolve({"colour": "red"})
    with pytest.raises(ValueError, match="phase"):
        filter_query(Filters(phase="midyear"), kg.store)
    with pytest.raises(ValueError, match="amount"):
        filter_query(Filters(min_amount="lots"), kg.store)


def test_department_names_are_read_with_the_region(kg_small):
    table = department_names(kg_small.store)
    dongxihu_iri = next(iri for iri, name in table if name == "武汉市东西湖区医疗保障局")
    # the document calls itself 区医保局: with its region in front, 东西湖区医保局 finds it too
    assert named(table, "东西湖区医保局") == [dongxihu_iri]
    assert named(table, " 区医保局 ") == [dongxihu_iri]
    assert len(named(table, "医疗保障局")) == 2  # a name both end with names both
    assert named(table, "江汉区医保局") == [] and named(table, "") == []


def test_filter_query_holds_the_resolved_iris_and_the_cited_number(kg_small):
    q = filter_query(Filters(cites="武政规【2016】32 号", department=" 江岸区 医疗保障局 "), kg_small.store)
    [iri] = named(department_names(kg_small.store), "江岸区医疗保障局")
    assert f"VALUES ?dept {{ <{iri}> }}" in q and "# 江岸区医疗保障局" in q
    assert '"武政规〔2016〕32号"' in q and "SELECT DISTINCT ?g ?subject" in q
    allow = allowed(kg_small.store, Filters(cites="武政规【2016】32 号", department="江岸区医疗保障局"))
    assert allow.documents == {JIANGAN} and len(allow.subjects) == 1


def test_unknown_names_allow_nothing(kg_small):
    assert allowed(kg_small.store, Filters(department="江汉区医保局")).documents == frozenset()
    assert allowed(kg_small.store, Filters(unit="不存在的单位")).subjects == frozenset()
    assert allowed(kg_small.store, Filters()) is None


def test_unit_filter_allows_the_unit_and_its_projects(kg_small):
    [unit] = named(unit_names(kg_small.store), "武汉市东西湖区医疗保障局本级")
    allow = allowed(kg_small.store, Filters(unit="东西湖区医疗保障局本级"))
    assert allow.documents == {DONGXIHU}
    projects = {r["p"] for r in kg_small.store.select(f"SELECT ?p WHERE {{ ?p bgt:budgetUnit <{unit}> }}")}
    assert unit in allow.subjects and projects and projects <= allow.subjects


def test_name_tables_follow_writes(kg):
    kg.ingest_extraction(jiangan())
    assert allowed(kg.store, Filters(department="东西湖区医保局")).documents == frozenset()
    kg.ingest_extraction(dongxihu())  # a write: the cached tables are read again
    assert allowed(kg.store, Filters(department="东西湖区医保局")).documents == {DONGXIHU}
    kg.delete(DONGXIHU)
    assert allowed(kg.store, Filters(department="东西湖区医保局")).documents == frozenset()
    assert department_names(kg.store) is department_names(kg.store)  # no write between: one read


def test_strict_bounds_are_strict_in_the_query(kg):
    q = filter_query(Filters(min_amount="85", min_exclusive=True, max_amount=200), kg.store)
    assert "?amount > 85 && ?amount <= 200" in q
    assert "?amount >= 85" in filter_query(Filters(min_amount="85"), kg.store)  # inclusive, as before
    assert "?amount < 0.5" in filter_query(Filters.resolve({"amount_max": "0.5", "max_exclusive": "1"}), kg.store)
    with pytest.raises(ValueError, match="amount"):  # the amount still goes through sparql_terms.number
        filter_query(Filters(min_amount="85 || true", min_exclusive=True), kg.store)
    with pytest.raises(ValueError, match="strictness"):
        Filters.resolve({"min_amount": 1, "min_exclusive": "sometimes"})
    # a flag alone is no condition; a given bound replaces the question's with its strictness
    assert Filters(min_exclusive=True).active() == {} and not Filters(max_exclusive=True)
    question = Filters(year=2024, min_amount=85, min_exclusive=True)
    assert Filters(min_amount=50).over(question).active() == {"year": 2024, "min_amount": 50}
    assert Filters(year=2025).over(question).active() == {"year": 2025, "min_amount": 85, "min_exclusive": True}

"""Filter values (kg.facets), example queries (kg.examples) and highlight words, on the hand-built store."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.search.lexical import new_tokenizer, query_words
from kg.filters import Filters
from kg.search import allowed_passages


def test_facets_list_the_values_of_the_store(kg_small):
    f = kg_small.facets()
    assert f.departments == ["武汉市东西湖区医疗保障局", "武汉市江岸区医疗保障局"]
    assert f.years == [2023, 2026] and f.phases == ["budget"]
    assert "武汉市东西湖区医疗保障局本级" in f.units and f.funds == ["一般公共预算财政拨款"]
    assert f.codes == [("210", "卫生健康支出"), ("21013", "医疗救助"), ("2101301", "城乡医疗救助")]
    assert (f.min_amount, f.max_amount) == (Decimal("12"), Decimal("260"))


def test_every_facet_value_is_a_filter_that_finds_passages(kg_small):
    f = kg_small.facets()
    filters = [Filters(department=d) for d in f.departments] + [Filters(year=y) for y in f.years]
    filters += [Filters(phase=p) for p in f.phases] + [Filters(unit=u) for u in f.units]
    filters += [Filters(fund=x) for x in f.funds] + [Filters(code=c) for c, _ in f.codes]
    filters += [Filters(min_amount=f.max_amount), Filters(max_amount=f.min_amount)]
    for flt in filters:
        assert allowed_passages(kg_small.search_index, flt), flt


def test_empty_store_has_no_facets(kg):
    f = kg.facets()
    assert not (f.departments or f.years or f.codes) and f.min_amount is None


def test_example_queries_name_what_is_in_the_store_and_run(kg_small):
    examples = kg_small.example_queries()
    assert any("武政规〔2016〕32号" in title for title in examples)
    assert any("武汉市东西湖区医疗保障局" in title for title in examples)
    for title, query in examples.items():
        result = kg_small.sparql(query)
        assert result.kind == "select", title
    cites = next(q for t, q in examples.items() if t.startswith("引用"))
    assert {r["name"] for r in kg_small.sparql(cites).rows} == {"城乡医疗救助", "统筹和组织实施医疗救助工作经费"}


@pytest.mark.parametrize("query, words", [
    ("城乡医疗救助", ["城乡医疗救助", "城乡", "医疗", "救助"]),
    ("武政规[2016]32号 的", ["2016", "武政规", "32"]),  # no 号, no stop word
    ("号", ["号"]),
])
def test_query_words_for_highlighting(query, words):
    assert query_words(query, new_tokenizer(["城乡医疗救助"])) == words

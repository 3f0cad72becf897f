"""The one money formatter and the coded errors front-ends translate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.errors import (
    ERROR_CODES, ERROR_MESSAGES, BudgetKGError, DocumentNotFound, ModelError, QueryError, StoreError, error_message,
)
from ingest.numbers import count_text
from ingest.records import Figure
from ingest.rules import quantity as message_quantity
from kg.money import cents, wan
from kg.money import quantity as page_quantity


@pytest.mark.parametrize("value, shown", [
    (Decimal("6.3"), "6.30"), ("2304.44", "2,304.44"), (Decimal("1234567.5"), "1,234,567.50"),
    (0, "0.00"), (Decimal("-12.345"), "-12.35"),
])
def test_wan_reads_as_published(value, shown):
    assert wan(value) == shown
    assert wan(value, unit=True) == shown + " 万元"


def test_wan_exact_keeps_printed_decimals():
    assert wan(Decimal("3121.42058"), places="exact") == "3,121.42058"
    assert wan(Decimal("6.3"), places="exact") == "6.30"


def test_wan_of_nothing_and_of_text():
    assert wan(None) == "" and wan("") == ""
    assert wan("约10") == "约10"  # not a number: shown as given, never invented


def test_money_is_never_a_float():
    with pytest.raises(TypeError):
        wan(6.3)
    with pytest.raises(TypeError):
        cents(1.0)


def test_cents():
    assert cents("6.3") == Decimal("6.30") and cents(None) is None


def test_errors_carry_codes():
    exc = QueryError("SERVICE is not allowed", "query_service")
    assert exc.code == "query_service" and str(exc) == "SERVICE is not allowed"
    assert QueryError("x").code == "query_failed"
    assert isinstance(exc, ValueError) and isinstance(exc, BudgetKGError)
    missing = DocumentNotFound("no document abc in /tmp/s")
    assert isinstance(missing, StoreError) and missing.code == "document_not_found"
    assert str(missing) == "no document abc in /tmp/s"
    for cls in (QueryError, StoreError, DocumentNotFound):
        assert cls.code in ERROR_CODES


def test_a_translation_names_the_details_it_has_and_falls_back_to_the_codes_meaning():
    assert error_message(QueryError("query stopped after 2.5 s", "query_timeout", seconds=2.5)) == "查询超过 2.5 秒，已停止"
    assert error_message(QueryError("query stopped", "query_timeout")) == ERROR_MESSAGES["query_timeout"]
    # a user-named model: where, and what to do instead; the default model's own folder: only where
    named = ModelError("embedding model '/m' not found", model="/m", default="multilingual-e5-small")
    assert error_message(named) == ("无法加载检索模型 /m：请指定本地的 sentence-transformers 模型文件夹（不会从模型库下载模型），"
                                    "或不设置 BUDGETKG_MODEL 以使用默认模型 multilingual-e5-small")
    assert error_message(ModelError("cannot load embedding model /c", model="/c")) == "无法加载检索模型 /c"
    mismatch = ModelError("index holds vectors of model 'a', not 'b'", "model_mismatch", index_model="a", model="b")
    assert error_message(mismatch) == "检索索引中的向量来自模型 a，与当前模型 b 不一致，需要重建索引"


def test_a_refused_query_input_is_named_with_what_was_expected():
    from kg import sparql_terms

    with pytest.raises(QueryError) as caught:
        sparql_terms.integer("二〇二五")
    assert error_message(caught.value) == "查询的输入有误：“二〇二五”不是整数"
    with pytest.raises(QueryError) as caught:
        sparql_terms.node("org/没有协议")
    assert error_message(caught.value) == "查询的输入有误：“org/没有协议”不是可用的 IRI"


def test_an_amount_of_any_size_prints_without_error():
    """A fuzzed table gave a 27-digit amount; quantizing it in the default 28-digit context raised."""
    from decimal import Decimal

    from ingest.numbers import amount_text
    from kg.money import wan

    huge = Decimal("100000000000000000000000000")
    assert amount_text(huge) == wan(huge) == "100,000,000,000,000,000,000,000,000.00"
    assert (amount_text(Decimal("3121.42058")), amount_text(Decimal("1.005"), exact=False)) == ("3,121.42058", "1.01")


@pytest.mark.parametrize("amount, unit, text", [("74.540", "%", "74.54%"), ("7", "人", "7 人"), ("12.0", "个", "12 个")])
def test_a_share_or_count_reads_the_same_in_a_message_and_on_a_page(amount, unit, text):
    assert count_text(Decimal(amount), unit) == text
    assert message_quantity(Figure(Decimal(amount), Decimal("0.01"), "x", None, unit=unit)) == text
    assert page_quantity(amount, unit) == text

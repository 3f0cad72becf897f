"""The one money formatter and the coded errors front-ends translate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.errors import ERROR_CODES, BudgetKGError, DocumentNotFound, QueryError, StoreError
from kg.money import cents, wan


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

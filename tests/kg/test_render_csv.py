"""CSV output (kg.render) is safe to open in a spreadsheet: no cell runs as a formula."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from kg.render import ROW_FORMATS, csv_cell


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil.example\",\"点此\")", "+1+cmd|' /C calc'!A0", "-2+3",
                                  "@SUM(A1:A9)", "\t=1", "\r=1"])
def test_text_that_a_spreadsheet_would_run_is_quoted(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value, shown", [(Decimal("-12.50"), "-12.50"), (-3, "-3"), ("-12.50", "-12.50"),
                                          ("武政规〔2016〕32号", "武政规〔2016〕32号"), (None, ""),
                                          (["=a", "b"], "'=a; b")])
def test_numbers_and_plain_text_are_kept(value, shown):
    assert csv_cell(value) == shown


def test_csv_rows_read_back_with_hostile_names_neutralised():
    rows = [{"name": "=cmd()", "amount": Decimal("-1.5")}, {"name": "城乡医疗救助", "amount": Decimal("260.00")}]
    out = io.StringIO()
    ROW_FORMATS["csv"](rows, ["name", "amount"], out)
    assert list(csv.DictReader(io.StringIO(out.getvalue()))) == [
        {"name": "'=cmd()", "amount": "-1.5"}, {"name": "城乡医疗救助", "amount": "260.00"}]

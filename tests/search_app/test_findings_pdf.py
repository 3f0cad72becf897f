"""Issue 14, item 3 on a real PDF: a finding's values show the page each was printed on, its place outlined.

The shared PDF has no inconsistency today, so a rule family of this test (registered the way every family is,
in ``ingest.audit.FAMILIES``, with its rule in the catalogue) compares two 功能科目 rows of one table as if they
had to agree: the finding it raises carries each row's real page, line and box.  The findings page lists it
under the family the catalogue gives, and with the toggle on draws each value's page.
"""

from __future__ import annotations

from decimal import Decimal
from types import ModuleType

import pytest
import streamlit as st
from apptest_helpers import page_test, plain

from helpers import SHARED_PDFS
from ingest import audit as ingest_audit
from ingest.records import Check, Figure, Rule
from ingest.rules import catalogue
from kg.api import BudgetKG
from kg.types import FAMILY_ZH, place_text

PDF = SHARED_PDFS / "putuo_czj_2025_yusuan_dept.pdf"
RULE = Rule("cross_table.test_rows", "cross_table", "warning", "{left} {left_amount} 万元，与{right} {right_amount} 万元不一致")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not PDF.exists(), reason="the shared PDFs are not here")]


def _two_rows(ctx, ex):
    """A failed check between the first two coded rows of one table that were read with a box."""
    rows = [li for li in ex.line_items if li.total is not None and li.provenance and li.provenance.bbox]
    first = rows[0]
    second = next(li for li in rows if li.table == first.table and li.total != first.total)
    figure = lambda li: Figure(li.total, Decimal("0.01"), f"{li.code} {li.name}", li.provenance)  # noqa: E731
    yield Check(RULE.id, False, figure(first), figure(second), Decimal("0.005"), "rows differ")


@pytest.fixture(scope="module")
def pdf_store(tmp_path_factory):
    family = ModuleType("test_rows_family")
    family.RULES, family.audit = (RULE,), _two_rows
    patch = pytest.MonkeyPatch()
    patch.setattr(ingest_audit, "FAMILIES", (family,))
    catalogue.cache_clear()
    try:
        path = tmp_path_factory.mktemp("findings_pdf") / "store"
        with BudgetKG.open(path) as kg:
            [result] = kg.ingest([PDF])
            assert result.ok, result.message
            [finding] = kg.findings(rule_prefix=RULE.id)
        yield path, finding
    finally:
        patch.undo()
        catalogue.cache_clear()


def test_each_value_of_a_pdf_finding_shows_its_page_with_its_place_outlined(pdf_store, monkeypatch):
    path, finding = pdf_store
    assert finding.family == "cross_table" and len(finding.values) == 2
    assert all(v.page and v.bbox and v.snippet for v in finding.values)
    monkeypatch.setenv("BUDGETKG_STORE", str(path))
    try:
        at = page_test("findings")
        at.query_params["family"] = "cross_table"
        at.run()
        assert not at.exception, at.exception
        caption = plain(next(c.value for c in at.caption if f"` {RULE.id} `" in c.value))
        assert FAMILY_ZH["cross_table"] in caption and f" · {place_text(finding.page)} · " in caption
        places = {plain(c.value).removeprefix("出处：") for c in at.caption if c.value.startswith("出处：")}
        assert places == {place_text(v.page, v.line, v.table, v.row, pdf=True) for v in finding.values}
        assert not at.get("image")  # drawn when asked
        at.toggle[0].set_value(True).run()
        assert not at.exception, at.exception
        captions = [c for image in at.get("image") for c in image.captions]
        assert captions == [f"{PDF.name} 第 {v.page} 页（红框为来源行）" for v in finding.values]
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()

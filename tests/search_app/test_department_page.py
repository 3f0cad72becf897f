"""The department page (search_app/views/entity.py on an org IRI): its budgets by year, phase and scope,
each linking to the budget's page, with the totals of the gold file (issue 13.5)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import unquote

import pytest
from helpers import SAMPLES, gold

from kg.types import wan


@pytest.mark.parametrize("sample", [p.stem for p in SAMPLES])
def test_the_department_page_lists_each_budget_with_its_totals(run_page, sample):
    truth = gold(sample)
    doc, totals = truth["document"], truth["totals"]
    at = run_page("entity", iri=f"org/{doc['department']}")
    assert "预决算（1）" in [s.value for s in at.subheader]
    table = next(m.value for m in at.markdown if m.value.startswith("| 预决算 |")).replace("\\", "")
    head, _, row = table.splitlines()
    assert head.split(" | ")[1:4] == ["年度", "阶段", "范围"]
    cells = dict(zip((h.strip("| ") for h in head.split(" | ")), (c.strip("| ") for c in row.split(" | "))))
    assert cells["年度"] == f"{doc['year']} 年" and cells["阶段"] == "预算" and cells["范围"] == "部门"
    assert cells["收入合计（万元）"] == wan(Decimal(str(totals["income_total"])))
    assert cells["支出合计（万元）"] == wan(Decimal(str(totals["expenditure_total"])))
    assert cells["财政拨款合计（万元）"] == wan(Decimal(str(totals["fiscal_appropriation_total"])))
    link = unquote(cells["预决算"].split("entity?iri=")[1].rstrip(")"))
    assert link.endswith(f"/budget/{doc['department']}/{doc['year']}/{doc['phase']}")

"""A department's budgets (kg.charts, the department page): each budget by year, phase and scope with
the totals its document printed; a 部门预算 and a 单位预算 of one department-year are two budgets, apart
in the budget list, the charts' comparison and the department page (issue 13.5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import SAMPLES, budget_disclosure, gold

from kg import charts
from kg.browse import entity_view

SHOWN = ("income_total", "expenditure_total", "fiscal_appropriation_total")


@pytest.mark.parametrize("sample", [p.stem for p in SAMPLES])
def test_a_departments_page_lists_its_budget_with_the_gold_totals(samples_graph, sample):
    truth = gold(sample)
    doc = truth["document"]
    dept = samples_graph.minter.department(doc["department"])
    view = entity_view(samples_graph, str(dept))
    assert [(b.budget.year, b.budget.phase, b.budget.scope) for b in view.budgets] == [
        (doc["year"], doc["phase"], "department")]
    totals = view.budgets[0].totals
    assert totals == {k: Decimal(str(truth["totals"][k])) for k in SHOWN if k in truth["totals"]}
    assert view.budgets[0].budget.iri == str(samples_graph.minter.budget(doc["department"], doc["year"], doc["phase"]))


def test_a_department_and_a_unit_budget_of_one_year_stay_two(kg, tmp_path):
    dept = tmp_path / "dept.txt"
    dept.write_text(budget_disclosure("武汉市某区民政局2025年部门预算", "武汉市某区民政局", "1,200.00"), encoding="utf-8")
    unit = tmp_path / "unit.txt"
    unit.write_text(budget_disclosure("武汉市某区民政局（本级）2025年单位预算", "武汉市某区民政局", "800.00"), encoding="utf-8")
    assert all(r.ok for r in kg.ingest([dept, unit]))
    refs = kg.budgets()
    assert [(b.department, b.year, b.phase, b.scope) for b in refs] == [
        ("武汉市某区民政局", 2025, "budget", "department"), ("武汉市某区民政局", 2025, "budget", "unit")]
    whole, part = refs
    assert whole.title == "武汉市某区民政局 2025年预算" and "单位预算" in part.title and whole.title != part.title
    assert kg.find_budget_in(refs, "武汉市某区民政局", 2025, "budget") == whole  # the 部门预算 first
    assert kg.find_budget_in(refs, budget=part.iri) == part
    compared = kg.budgets_compared().set_index(charts.BUDGET)
    assert compared.loc[whole.title, charts.TOTAL] == Decimal("1200.00")
    assert compared.loc[part.title, charts.TOTAL] == Decimal("800.00")
    view = kg.entity_view(whole.department_iri)
    assert [(b.budget.iri, b.totals["income_total"]) for b in view.budgets] == [
        (whole.iri, Decimal("1200.00")), (part.iri, Decimal("800.00"))]
    assert kg.budget_charts(part.iri).total == Decimal("800.00")

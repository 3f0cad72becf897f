"""Records in the gold schema (``shared/eval/gold/README.md``): what the scorer compares and ``extract --json`` prints."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..records import (
    ECONOMIC, FUNCTIONAL, Check, Citation, Extraction, Figure, Indicator, LineItem, Project, Provenance,
)

# Gold keys that are annotators' remarks or cross-table figures, not produced by the extractor.
ANNOTATION_ONLY_KEYS: dict[str, frozenset[str]] = {
    "top": frozenset({"non_project_items"}),
    "document": frozenset({"contact_phone_variants", "contact_phone_note"}),
    "units": frozenset({"note", "gpb_total", "basic", "project"}),
    "functional_lines": frozenset({"note"}),
    "functional_lines_other": frozenset({"note"}),
    "economic_lines": frozenset({"note"}),
    "projects": frozenset({"notes", "form", "prior_years", "form_total_budget", "form_current_year_budget"}),
    "indicators": frozenset({"note"}),
    "department_indicators": frozenset({"note"}),
}

# Keys the extractor adds that no shared gold file holds (the reconciliation checks, the budget's scope and unit);
# the scorer ignores them, but ``document.budget_unit`` where a gold file holds it (DOCUMENT_FIELDS_WHERE_GIVEN).
EXTRACTOR_ONLY_KEYS: dict[str, frozenset[str]] = {"top": frozenset({"checks"}), "document": frozenset({"budget_scope", "budget_unit"})}


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _citation_keys(c: Citation) -> list[str]:
    """Gold-map keys of one citation: ``《title》`` and/or the 文号 (a title may carry both)."""
    if c.kind == "title":
        return [f"《{c.key}》"] + ([c.doc_number] if c.doc_number else [])
    return [c.key]


def _line(li: LineItem) -> dict:
    return {
        "table": li.table, "code": li.code, "name": li.name,
        "total": _money(li.total), "basic": _money(li.basic), "project": _money(li.project),
    }


def _indicator(ind: Indicator) -> dict:
    return {
        "goal": ind.goal, "level1": ind.level1, "level2": ind.level2, "level3": ind.level3,
        "value": ind.value_raw, "basis": ind.basis,
    }


def _project(p: Project) -> dict:
    locations: dict[str, list[str]] = {}
    for c in p.citations:
        for key in _citation_keys(c):
            fields_ = locations.setdefault(key, [])
            if c.field and c.field not in fields_:
                fields_.append(c.field)
    keys = list(locations)
    return {
        "name": p.name,
        "aliases": list(p.aliases),
        "code": p.code,
        "amount": _money(p.amount),
        "unit": p.unit,
        "executing_unit": p.executing_unit,
        "attribute": p.attribute,
        "category": p.category,
        "start_year": p.start_year,
        "end_year": p.end_year,
        "legal_basis_text": p.legal_basis_text,
        "implementation_text": p.implementation_text,
        "cited_doc_numbers": [k for k in keys if not k.startswith("《")],
        "cited_titles": [k[1:-1] for k in keys if k.startswith("《")],
        "citation_locations": locations,
        "funding": [{"source": f.source, "amount": _money(f.amount)} for f in p.funding],
        "activities": [
            {"name": a.name, "description": a.description, "economic_class": a.economic_class,
             "amount": _money(a.amount)}
            for a in p.activities
        ],
        "procurement_items": [
            {"item": r.item, "quantity": r.quantity, "amount": _money(r.amount)} for r in p.procurement
        ],
        "indicators": [_indicator(i) for i in p.indicators],
        "functional_code": p.functional_code,
        "functional_name": p.functional_name,
    }


def _economic_lines(items: tuple[LineItem, ...]) -> list[dict]:
    """Rows by economic class; the basic-expenditure table's rows when the document has one."""
    economic = [li for li in items if li.classification == ECONOMIC]
    basic = [li for li in economic if li.role == "basic_economic"]
    return [{"code": li.code, "name": li.name, "amount": _money(li.total)} for li in basic or economic]


def _where(p: Provenance | None) -> dict | None:
    return None if p is None else {"page": p.page, "table": p.table, "row": p.row, "line": p.line}


def _figure(f: Figure) -> dict:
    out = {"label": f.label, "amount": _money(f.amount), "where": _where(f.provenance)}
    if f.terms:
        out["terms"] = [_figure(t) for t in f.terms]
    return out


def _check(c: Check) -> dict:
    return {"rule": c.rule, "passed": c.passed, "left": _figure(c.left), "right": _figure(c.right),
            "tolerance": _money(c.tolerance), "message": c.message}


def extraction_to_gold(ex: Extraction) -> dict:
    """One extraction in the gold JSON schema (money as float 万元); keys in gold order."""
    doc = ex.document
    staffing = ex.staffing
    projects = [_project(p) for p in ex.projects]
    citations: dict[str, list[str]] = {}
    for p in projects:
        for key in p["citation_locations"]:
            names = citations.setdefault(key, [])
            if p["name"] not in names:
                names.append(p["name"])
    return {
        "source": Path(doc.path).name,
        "document": {
            "department": doc.department,
            "short_names": list(doc.short_names),
            "region": doc.region,
            "year": doc.year,
            "phase": doc.phase,
            "budget_scope": doc.scope,
            "budget_unit": doc.budget_unit,
            "contact_phone": doc.contact_phone,
        },
        "units": [{"code": u.code, "name": u.name} for u in ex.units],
        "offices": list(ex.offices),
        "staffing": {
            k: getattr(staffing, k) if staffing else None
            for k in ("authorized_total", "authorized_admin", "authorized_institution", "actual_total",
                      "actual_admin", "actual_institution", "retired_total")
        },
        "totals": {t.key: _money(t.amount) for t in ex.totals},
        "functional_lines": [
            _line(li) for li in ex.line_items if li.classification == FUNCTIONAL and li.role == "expenditure"
        ],
        "functional_lines_other": [
            _line(li) for li in ex.line_items if li.classification == FUNCTIONAL and li.role in ("gpb_expenditure", "gov_fund", "state_capital")
        ],
        "economic_lines": _economic_lines(ex.line_items),
        "projects": projects,
        "department_indicators": [
            {**_indicator(i), "goal_type": i.goal_type, "unit": i.subject_unit} for i in ex.department_indicators
        ],
        "citations": citations,
        "inconsistencies": [f.message for f in ex.findings],
        "checks": [_check(c) for c in ex.checks],
    }

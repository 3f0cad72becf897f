"""Every 出处 on an entity page is the shown fact's own source, and every source location has its text.

The first sample is ingested; for each entity of each kind (department, budget, unit, project, budget line,
indicator, staffing) the page's facts are compared with the record the entity was mapped from: each fact's
sources lie on that record's lines, and a fact whose field the record placed on lines of its own (a form
field, the department's full name, a head count, a wrapped 三级指标) cites exactly those lines.
"""

from __future__ import annotations

import pytest

from helpers import SAMPLES
from ingest.pipeline import extract
from ingest.records import Extraction
from kg.api import BudgetKG
from kg.mapping import (
    BUDGET_FIELD_PROPERTIES, DEPARTMENT_FIELD_PROPERTIES, INDICATOR_FIELD_PROPERTIES, PROJECT_FIELD_PROPERTIES,
    STAFFING_FIELD_PROPERTIES,
)

SAMPLE = SAMPLES[0]
KINDS = {  # the entity class → the field properties of the record it is mapped from
    "Department": DEPARTMENT_FIELD_PROPERTIES, "Budget": BUDGET_FIELD_PROPERTIES, "BudgetUnit": {},
    "Project": PROJECT_FIELD_PROPERTIES, "BudgetLine": {}, "Indicator": INDICATOR_FIELD_PROPERTIES,
    "Staffing": STAFFING_FIELD_PROPERTIES,
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    path = tmp_path_factory.mktemp("facts") / "store"
    with BudgetKG.open(path) as kg:
        assert all(r.ok for r in kg.ingest([SAMPLE]))
    return path, extract(SAMPLE)


def _records(ex: Extraction, kind: str) -> list:
    return {
        "Department": [ex.document], "Budget": [ex.document], "BudgetUnit": list(ex.units),
        "Project": list(ex.projects), "BudgetLine": list(ex.line_items),
        "Indicator": [*ex.department_indicators, *(i for p in ex.projects for i in p.indicators)],
        "Staffing": [ex.staffing] if ex.staffing else [],
    }[kind]


def _lines(record) -> set[int]:
    places = [record.provenance, *getattr(record, "sources", ()), *(fs.provenance for fs in
                                                                    getattr(record, "field_sources", ()))]
    return {pv.line for pv in places if pv is not None}


def _record_of(view, records: list):
    """The record mapped to the entity: read on one of the entity's lines, under its name."""
    at = {s.line for s in view.sources}
    named = [r for r in records if r.provenance and r.provenance.line in at]
    for name in ("name", "level3", "code", "department"):
        hits = [r for r in named if getattr(r, name, None) and str(getattr(r, name)) in view.label]
        if hits:
            return hits[0]
    return named[0] if len(named) == 1 else None


def test_every_source_location_with_a_place_has_its_text(loaded):
    path, _ = loaded
    with BudgetKG.open(path) as kg:
        located = kg.sparql("""SELECT (COUNT(DISTINCT ?loc) AS ?n) WHERE { ?loc a bgt:SourceLocation ; bgt:line ?l }""")
        bare = kg.sparql("""SELECT DISTINCT ?loc WHERE { ?loc a bgt:SourceLocation .
          { ?loc bgt:line ?x } UNION { ?loc bgt:page ?x }
          FILTER NOT EXISTS { ?loc bgt:snippet ?s FILTER(STRLEN(?s) > 0) } }""")
    assert int(located.rows[0]["n"]) > 500
    assert not bare.rows, f"{len(bare.rows)} source locations without a snippet: {bare.rows[:3]}"


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_fact_on_an_entity_page_cites_its_own_source(loaded, kind):
    path, ex = loaded
    properties = {f: p if isinstance(p, tuple) else (p,) for f, p in KINDS[kind].items()}
    records = _records(ex, kind)
    checked = exact = 0
    with BudgetKG.open(path) as kg:
        iris = [r["s"] for r in kg.sparql(f"SELECT DISTINCT ?s WHERE {{ ?s a bgt:{kind} }} ORDER BY ?s").rows]
        assert iris, f"no {kind} in the store"
        for iri in iris[:40]:
            view = kg.entity_view(iri)
            record = _record_of(view, records)
            assert record is not None, f"{kind} {view.label}: no record on its lines {[s.line for s in view.sources]}"
            lines = _lines(record)
            for fact in view.facts:
                shown = {s.line for s in fact.sources}
                assert shown and all(s.snippet for s in fact.sources), f"{view.label}: {fact.label} has no source"
                assert shown <= lines, f"{view.label}: {fact.label} cites {shown}, not the record's lines {lines}"
                own = {fs.provenance.line for fs in getattr(record, "field_sources", ())
                       if any(str(p) == fact.prop for p in properties.get(fs.field, ()))
                       and (fs.value is None or fs.value == fact.value.text)}
                if own:
                    assert shown == own, f"{view.label}: {fact.label} cites {shown}, its field is at {own}"
                    exact += 1
                checked += 1
    assert checked
    assert exact or not properties, f"no {kind} fact has a source of its own"

"""Hand-written fixture disclosures agree with their gold files.

Each fixture in tests/fixtures/docs has a gold file of the same stem in tests/fixtures/gold, written in the
schema of the seed gold (/work/shared/eval/gold/README.md). These tests check the gold against itself (the sums
a disclosure must satisfy) and against the document (every name, amount, citation and indicator occurs in it),
so the fixtures can be trusted when they are used to test that the parsers generalise.
"""

import json
import re
from collections import defaultdict
from decimal import Decimal

import pytest

from ingest.normalise import squash

from helpers import FIXTURES, SHARED_GOLD_FILES

STEMS = ["100_hanyang_civil_2024_final", "101_qiaokou_edu_2025_budget", "102_fancheng_health_2025_unit_budget",
         "103_luoyang_justice_2023_final", "104_nankang_agri_2026_budget",
         "105_lusong_medsec_2024_budget"]
GOLD_KEYS = {
    "source", "document", "units", "offices", "staffing", "totals", "functional_lines", "functional_lines_other",
    "economic_lines", "projects", "non_project_items", "department_indicators", "citations", "inconsistencies",
}
PROJECT_KEYS = {
    "name", "aliases", "code", "amount", "unit", "executing_unit", "attribute", "category", "start_year", "end_year",
    "legal_basis_text", "implementation_text", "cited_doc_numbers", "cited_titles", "citation_locations", "funding",
    "activities", "procurement_items", "indicators", "notes", "functional_code", "functional_name",
}
INDICATOR_KEYS = {"goal", "level1", "level2", "level3", "value", "basis"}
YEAR_BRACKETS = re.compile(r"[\[［【（(〔{｛]\s*(\d{4})\s*[\]］】）)〕}｝]")


def dec(x) -> Decimal:
    """Gold float -> exact 2-place Decimal (None counts as 0)."""
    return Decimal(str(x or 0)).quantize(Decimal("0.01"))


def long_text(text: str) -> str:
    """The README's long-text normalisation: drop tags, whitespace next to non-ASCII, collapse the rest."""
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def normalize_doc_number(raw: str) -> str:
    return YEAR_BRACKETS.sub(r"〔\1〕", squash(raw))


class Doc:
    """A fixture's text with the two lookups the checks need: flat substring and wrapped-cell join."""

    def __init__(self, text: str):
        self.flat = squash(text)
        self.long = long_text(text)
        rows = [[squash(c) for c in line.split("\t")] for line in text.splitlines()]
        self.wrapped = set()
        for i, row in enumerate(rows):
            for nxt in rows[i + 1:i + 3]:  # a cell continued on one of the next two lines
                self.wrapped.update(a + b for a in row if a for b in nxt if b)

    def has(self, value: str) -> bool:
        value = squash(value)
        return value in self.flat or value in self.wrapped


def amount_forms(amount) -> set[str]:
    """How a 万元 amount can be printed: plain, with separators, or in 元 with separators."""
    wan = dec(amount)
    yuan = (wan * 10000).quantize(Decimal("0.01"))
    return {f"{wan:.2f}", f"{wan:,.2f}", f"{yuan:,.2f}"}


@pytest.fixture(scope="module", params=STEMS)
def case(request):
    gold = json.loads((FIXTURES / "gold" / f"{request.param}.json").read_text(encoding="utf-8"))
    text = (FIXTURES / "docs" / gold["source"]).read_text(encoding="utf-8")
    return gold, Doc(text)


def test_gold_keys_match_the_seed_schema(case):
    gold, _ = case
    assert set(gold) == GOLD_KEYS
    assert gold["document"]["phase"] in {"budget", "final_account"}
    for p in gold["projects"]:
        assert PROJECT_KEYS <= set(p), p["name"]
        for i in p["indicators"]:
            assert INDICATOR_KEYS <= set(i), (p["name"], i)
    for i in gold["department_indicators"]:
        assert INDICATOR_KEYS | {"goal_type", "unit"} <= set(i)


@pytest.mark.skipif(not SHARED_GOLD_FILES, reason="seed gold not available")
def test_schema_constant_is_the_seed_gold_schema():
    for path in SHARED_GOLD_FILES:
        seed = json.loads(path.read_text(encoding="utf-8"))
        assert set(seed) == GOLD_KEYS, path.name
        for p in seed["projects"]:
            assert PROJECT_KEYS <= set(p), (path.name, p["name"])


def test_totals_balance(case):
    gold, _ = case
    t = gold["totals"]
    spent = t.get("current_year_expenditure", t["expenditure_total"])
    assert dec(t["income_total"]) == dec(t["expenditure_total"])
    assert dec(t["basic_expenditure"]) + dec(t["project_expenditure"]) == dec(spent)
    assert sum(dec(p["amount"]) for p in gold["projects"]) == dec(t["project_expenditure"])
    if "carryover_to_next_year" in t:  # 决算: closing balance closes the account
        assert dec(spent) + dec(t["carryover_to_next_year"]) == dec(t["expenditure_total"])
        assert dec(t["current_year_income"]) + dec(t["carryover_from_last_year"]) == dec(t["income_total"])


def _check_hierarchy(lines):
    by_code = {line["code"]: line for line in lines}
    assert len(by_code) == len(lines), "duplicate codes"
    for parent_len, child_len in ((3, 5), (5, 7)):
        children = defaultdict(list)
        for line in lines:
            if len(line["code"]) == child_len:
                children[line["code"][:parent_len]].append(line)
        for code, kids in children.items():
            parent = by_code[code]
            for col in ("total", "basic", "project"):
                assert dec(parent[col]) == sum(dec(k[col]) for k in kids), (code, col)
    for line in lines:
        assert dec(line["total"]) == dec(line["basic"]) + dec(line["project"]), line["code"]


def test_functional_lines_add_up(case):
    gold, _ = case
    t = gold["totals"]
    main = gold["functional_lines"]
    _check_hierarchy(main)
    top = [line for line in main if len(line["code"]) == 3]
    assert sum(dec(line["total"]) for line in top) == dec(t.get("current_year_expenditure", t["expenditure_total"]))
    assert sum(dec(line["basic"]) for line in top) == dec(t["basic_expenditure"])
    assert sum(dec(line["project"]) for line in top) == dec(t["project_expenditure"])
    for table in {line["table"] for line in gold["functional_lines_other"]}:
        _check_hierarchy([line for line in gold["functional_lines_other"] if line["table"] == table])


def test_projects_fill_their_functional_lines(case):
    gold, _ = case
    per_code = defaultdict(Decimal)
    for p in gold["projects"]:
        per_code[p["functional_code"]] += dec(p["amount"])
    items = {line["code"]: line for line in gold["functional_lines"] if len(line["code"]) == 7}
    assert {code for code, line in items.items() if line["project"]} == set(per_code)
    for code, amount in per_code.items():
        assert dec(items[code]["project"]) == amount, code
    for p in gold["projects"]:
        assert items[p["functional_code"]]["name"] == p["functional_name"]


def test_economic_lines_add_up(case):
    gold, _ = case
    t = gold["totals"]
    lines = {line["code"]: dec(line["amount"]) for line in gold["economic_lines"]}
    classes = [code for code in lines if len(code) == 3]
    for code in classes:
        assert lines[code] == sum(v for k, v in lines.items() if len(k) == 5 and k.startswith(code)), code
    assert sum(lines[c] for c in classes) == dec(t["gpb_basic_expenditure"])
    assert lines["301"] + lines.get("303", 0) == dec(t["personnel_expenditure"])
    assert lines["302"] == dec(t["public_expenditure"])


def test_project_parts_add_up(case):
    gold, _ = case
    for p in gold["projects"]:
        if p["funding"]:
            assert sum(dec(f["amount"]) for f in p["funding"]) == dec(p["amount"]), p["name"]
        if p["activities"]:
            assert sum(dec(a["amount"]) for a in p["activities"]) == dec(p["amount"]), p["name"]
        if "full_year_budget" in p:
            assert dec(p["amount"]) <= dec(p["full_year_budget"]), p["name"]
            rate = dec(p["amount"]) / dec(p["full_year_budget"]) * 100
            assert f"{rate:.2f}%" == p["execution_rate"], p["name"]


def test_citation_map_is_derived_from_projects(case):
    gold, _ = case
    derived = defaultdict(list)
    for p in gold["projects"]:
        assert set(p["citation_locations"]) == set(p["cited_doc_numbers"]) | {f"《{t}》" for t in p["cited_titles"]}
        for key in p["citation_locations"]:
            derived[key].append(p["name"])
    assert gold["citations"] == dict(derived)


def test_citations_occur_as_printed(case):
    gold, doc = case
    for p in gold["projects"]:
        assert {normalize_doc_number(raw) for raw in p["citations_raw"]} == set(p["cited_doc_numbers"]), p["name"]
        for raw in p["citations_raw"]:
            assert doc.has(raw), raw
        for title in p["cited_titles"]:
            assert doc.has(f"《{title}》"), title
    assert "HBT-16222016-220332" not in gold["citations"]


def test_project_values_occur_in_document(case):
    gold, doc = case
    for p in gold["projects"]:
        for name in [p["name"], *p["aliases"]]:
            assert doc.has(name), name
        assert any(form in doc.flat for form in amount_forms(p["amount"])), (p["name"], p["amount"])
        if p["code"]:
            assert doc.has(p["code"]), p["code"]
        for field in ("legal_basis_text", "implementation_text"):
            if p[field]:
                assert p[field] in doc.long, (p["name"], field)
        for i in p["indicators"]:
            assert doc.has(i["level3"]), (p["name"], i["level3"])
            assert doc.has(i["value"]), (p["name"], i["value"])
        for part in [*p["activities"], *p["procurement_items"]]:
            assert any(form in doc.flat for form in amount_forms(part["amount"])), (p["name"], part)


def test_tables_and_narrative_values_occur_in_document(case):
    gold, doc = case
    for line in gold["functional_lines"] + gold["functional_lines_other"]:
        assert doc.has(line["name"]), line["name"]
        assert any(form in doc.flat for form in amount_forms(line["total"])), line
    for line in gold["economic_lines"]:
        assert doc.has(line["code"] + line["name"]) or doc.has(line["name"]), line["name"]
        assert any(form in doc.flat for form in amount_forms(line["amount"])), line
    for key, value in gold["totals"].items():
        if value is not None:
            assert any(form in doc.flat for form in amount_forms(value)), key
    for i in gold["department_indicators"]:
        assert doc.has(i["goal"]) and doc.has(i["level3"]) and doc.has(i["value"]), i
    for item in gold["non_project_items"]:
        assert doc.has(item["name"]), item["name"]
    for unit in gold["units"]:
        assert doc.has(unit["code"]) and doc.has(unit["name"]), unit
    for office in gold["offices"]:
        assert doc.has(office), office
    d = gold["document"]
    for value in [d["department"], d["contact_phone"], *d["short_names"], *d["contact_phone_variants"]]:
        assert doc.has(value), value


def test_staffing_is_stated_and_consistent(case):
    gold, doc = case
    s = gold["staffing"]
    assert s["authorized_total"] == s["authorized_admin"] + s["authorized_institution"]
    assert s["actual_total"] == s["actual_admin"] + s["actual_institution"]
    for key, value in s.items():
        assert re.search(rf"(?<!\d){value}(?:名|人)", doc.flat), key


def test_similar_names_stay_distinct():
    gold = json.loads((FIXTURES / "gold" / f"{STEMS[1]}.json").read_text(encoding="utf-8"))
    names = {p["name"]: p for p in gold["projects"]}
    aid, preschool = names["学生资助补助经费"], names["学前教育资助补助经费"]
    assert aid["code"] != preschool["code"] and aid["amount"] != preschool["amount"]
    alias_owner = {a: p["name"] for p in gold["projects"] for a in [p["name"], *p["aliases"]]}
    assert len(alias_owner) == sum(1 + len(p["aliases"]) for p in gold["projects"])

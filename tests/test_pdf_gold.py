"""Internal consistency of the hand-made gold files for the five real PDFs (tests/fixtures/gold_pdfs/).

Each gold file must keep the seed gold schema, add up (income = expenditure, basic + project = the
department table's 合计, classes = their 款/项 rows, projects within 项目支出), and every project name,
alias, 文号 and title it names must occur in its PDF's text (whitespace removed). The PDFs' text is read
once per module, text layer only (about 5 s for all five).
"""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.normalise import squash

from helpers import PDF_GOLD as GOLD, SHARED, SHARED_PDFS as PDFS, needs_pdfs

FILES = sorted(GOLD.glob("*.json"))
SEED = SHARED / "eval" / "gold" / "000_dc10eef729309141.json" if SHARED else Path("/nonexistent")

PROJECT_KEYS = {"name", "aliases", "code", "amount", "unit", "cited_doc_numbers", "cited_titles", "indicators"}
SCORED_TOTALS = ("income_total", "expenditure_total", "fiscal_appropriation_total", "basic_expenditure",
                 "project_expenditure", "carryover_from_last_year", "three_public_total")
CENT = Decimal("0.01")
# 决算 tables are rounded per cell; a class may differ from the sum of its rows by a cent or two.
ROUNDING = Decimal("0.02")

# Names that wrap inside a table cell around another cell's text: gold name → what the text layer holds.
WRAPPED = {"上海市普陀区规划和自然资源管理事务中心": "上海市普陀区规划和自然资源管理事务中5心"}



def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _d(value) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


def _fold_year_brackets(text: str) -> str:
    """``沪商规（2024）2号`` / ``沪府规【2016】168号`` → ``〔2024〕``: the README's 文号 normalisation."""
    return re.sub(r"[\[［【（(〔](\d{4})[\]］】）)〕]", r"〔\1〕", text)


@pytest.fixture(scope="module")
def pdf_text() -> dict[str, str]:
    """Whitespace-free text of each PDF named by a gold file, read once."""
    import pdfplumber

    out = {}
    for path in FILES:
        source = _load(path)["source"]
        with pdfplumber.open(PDFS / source) as pdf:
            out[source] = squash("".join(page.extract_text() or "" for page in pdf.pages))
    return out


def test_there_is_one_gold_file_per_pdf():
    assert [p.stem for p in FILES] == sorted(p.stem for p in PDFS.glob("*.pdf")) if PDFS.is_dir() else FILES


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_keeps_the_seed_schema(path):
    gold = _load(path)
    assert gold["source"] == path.stem + ".pdf"
    if SEED.is_file():
        assert set(_load(SEED)) <= set(gold), "every top-level key of the seed gold is present"
    assert gold["annotation_scope"]
    assert {"department", "short_names", "region", "year", "phase"} <= set(gold["document"])
    assert gold["document"]["phase"] in ("budget", "final_account")
    assert gold["document"]["region"] == "上海市普陀区" and gold["document"]["department"].startswith("上海市普陀区")
    assert set(SCORED_TOTALS) <= set(gold["totals"])
    for project in gold["projects"]:
        assert PROJECT_KEYS <= set(project), project["name"]
    assert all(tag in ("[numeric]", "[code]", "[layout]", "[text]") for tag in
               (item.split(" ", 1)[0] for item in gold["inconsistencies"]))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_totals_add_up(path):
    totals = _load(path)["totals"]
    assert _d(totals["income_total"]) == _d(totals["expenditure_total"])
    assert _d(totals["fiscal_appropriation_total"]) <= _d(totals["income_total"])
    spent = _d(totals["basic_expenditure"]) + _d(totals["project_expenditure"])
    carry_in, carry_out = _d(totals["carryover_from_last_year"]), _d(totals.get("year_end_carryover"))
    assert spent == _d(totals["expenditure_total"]) - carry_out
    assert _d(totals["income_total"]) - carry_in == _d(totals.get("income_this_year", totals["income_total"]))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_department_table_matches_totals(path):
    gold = _load(path)
    lines, totals = gold["functional_lines"], gold["totals"]
    assert lines, "every file has a coded department expenditure table"
    classes = [line for line in lines if len(line["code"]) == 3]
    for key, column in (("basic_expenditure", "basic"), ("project_expenditure", "project")):
        assert abs(sum(_d(line[column]) for line in classes) - _d(totals[key])) <= ROUNDING, key
    for line in lines:
        assert abs(_d(line["basic"]) + _d(line["project"]) - _d(line["total"])) <= CENT, line["code"]
        children = [c for c in lines if c["code"].startswith(line["code"]) and len(c["code"]) == len(line["code"]) + 2]
        if children:
            assert abs(sum(_d(c["total"]) for c in children) - _d(line["total"])) <= ROUNDING, line["code"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_economic_classes_add_up(path):
    lines = _load(path)["economic_lines"]
    for line in (line for line in lines if len(line["code"]) == 3):
        items = [i for i in lines if len(i["code"]) == 5 and i["code"].startswith(line["code"])]
        assert abs(sum(_d(i["amount"]) for i in items) - _d(line["amount"])) <= ROUNDING, line["code"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_projects_are_plausible(path):
    gold = _load(path)
    projects = gold["projects"]
    assert all(_d(p["amount"]) > 0 for p in projects)
    assert sum(_d(p["amount"]) for p in projects) <= _d(gold["totals"]["project_expenditure"])
    names = [p["name"] for p in projects]
    assert len(names) == len(set(names))
    for p in projects:
        assert sorted(p["cited_doc_numbers"] + [f"《{t}》" for t in p["cited_titles"]]) == sorted(p["citation_locations"])
        assert all("〔" in d and not re.search(r"\s", d) for d in p["cited_doc_numbers"])
        assert all("《" not in t and "》" not in t for t in p["cited_titles"])
        activities = [a["amount"] for a in p["activities"] if a["amount"] is not None]
        if activities:
            assert sum(_d(a) for a in activities) == _d(p["amount"]), p["name"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_citation_map_is_derived_from_projects(path):
    gold = _load(path)
    derived: dict[str, list[str]] = {}
    for p in gold["projects"]:
        for key in p["citation_locations"]:
            derived.setdefault(key, []).append(p["name"])
    assert gold["citations"] == derived


@needs_pdfs
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_names_and_references_occur_in_the_pdf(path, pdf_text):
    gold = _load(path)
    text = pdf_text[gold["source"]]
    folded = _fold_year_brackets(text)
    assert squash(gold["document"]["department"]) in text
    for name in gold["document"]["short_names"]:
        assert squash(name) in text, name
    for unit in gold["units"]:
        assert WRAPPED.get(unit["name"], squash(unit["name"])) in text, unit["name"]
    for project in gold["projects"]:
        for name in [project["name"], *project["aliases"]]:
            assert squash(name) in text, name
        for number in project["cited_doc_numbers"]:
            assert number in folded, number
        for title in project["cited_titles"]:
            assert f"《{squash(title)}》" in text, title

"""The multi-year fixtures (tests/fixtures/multiyear, written blind with their gold): project and line links
and the claims checked across documents, in two orders of ingest, after delete and re-ingest."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helpers import FIXTURES, SHARED_PDFS, extracted, load_json, needs_pdfs
from kg.api import BudgetKG
from kg.findings import read_findings
from kg.mapping import map_extraction

FOLDER = FIXTURES / "multiyear"
GOLD = load_json(FOLDER / "gold.json")
EXS = {d["file"]: extracted(FOLDER / d["file"]) for d in GOLD["documents"]}
IDS = {f: ex.document.doc_id for f, ex in EXS.items()}

PROJECT_LINKS = """SELECT ?p ?from ?to ?fd ?td ?by WHERE { ?l a bgt:Link ; rdf:predicate ?p ; bgt:linkedBy ?by ;
    bgt:fromName ?from ; bgt:toName ?to ; bgt:fromDocument ?fd ; bgt:toDocument ?td ; rdf:subject ?s .
    ?s a bgt:Project }"""


SAME_ENTITY = """SELECT ?b ?f ?name WHERE { GRAPH ?b { ?p a bgt:Project ; rdfs:label ?name ; bgt:inBudget ?x .
    ?x bgt:phase bgt:budgetPhase } GRAPH ?f { ?p bgt:inBudget ?y . ?y bgt:phase bgt:finalAccountPhase } }"""


def _links(kg: BudgetKG) -> set[tuple]:
    """(earlier file, its name, later file, its name, by) of every project link, as the gold lists them."""
    files = {v: k for k, v in IDS.items()}
    out = set()
    for r in kg.store.select(PROJECT_LINKS):
        this, that = (files[r["fd"][-16:]], r["from"]), (files[r["td"][-16:]], r["to"])
        first, second = (that, this) if r["p"].endswith("previousYear") else (this, that)  # 预算 → 决算
        out.add((*first, *second, {"project_code": "code", "project_name": "name"}[r["by"]]))
    # a project its 预算 and 决算 print under one name is one entity (one IRI): linked by being the same
    for r in kg.store.select(SAME_ENTITY):
        out.add((files[r["b"][-16:]], r["name"], files[r["f"][-16:]], r["name"], "name"))
    return out


def _claims(kg: BudgetKG) -> set[tuple]:
    return {(f.doc_id, f.rule, tuple(v.amount for v in f.values)) for f in kg.findings(family="cross_document")}


def _ingest(kg: BudgetKG, files) -> None:
    for f in files:
        kg.ingest_extraction(EXS[f])


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    with BudgetKG.open(tmp_path_factory.mktemp("multiyear") / "store") as kg:
        _ingest(kg, EXS)
        yield kg


def test_every_gold_project_link_is_found_by_what_the_gold_says(kg):
    got = _links(kg)
    gold = {(g["from"]["file"], g["from"]["name"], g["to"]["file"], g["to"]["name"], g["by"])
            for g in GOLD["project_links"]}
    assert gold <= got
    # the rest are those links again, seen from another document printing one side (the 决算, the 单位预算)
    names = {(a_name, b_name) for _, a_name, _, b_name, _ in gold}
    assert all((a_name, b_name) in names for _, a_name, _, b_name, _ in got - gold)


def test_no_link_joins_projects_the_gold_says_are_distinct(kg):
    pairs = {frozenset({(a, b), (c, d)}) for a, b, c, d, _ in _links(kg)}
    for g in GOLD["must_not_link"]:
        assert frozenset({(g["from"]["file"], g["from"]["name"]), (g["to"]["file"], g["to"]["name"])}) not in pairs


def test_lines_of_one_code_link_to_the_year_before(kg):
    rows = kg.sparql("""SELECT ?fd ?td ?key WHERE { ?l a bgt:Link ; rdf:predicate bgt:previousYear ;
        bgt:linkedBy "functional_code" ; bgt:linkKey ?key ; bgt:fromDocument ?fd ; bgt:toDocument ?td }""").rows
    files = {v: k for k, v in IDS.items()}
    got = {(files[str(r["fd"])[-16:]], files[str(r["td"])[-16:]], str(r["key"])) for r in rows}
    for line in GOLD["line_links"]:
        budgets = [f"jiangxia_cgzf_{y}_budget.txt" for y in (2023, 2024, 2025)]
        present = [f for f in budgets if f in line["files"]]
        for later, earlier in zip(present[1:], present):
            if budgets.index(later) == budgets.index(earlier) + 1:
                assert (later, earlier, line["code"]) in got, line


def _gold_findings() -> set[tuple]:
    out = set()
    for c in GOLD["claims"]:
        if not c["consistent"]:
            rule = "cross_document.initial_budget" if c["kind"] == "initial_budget" else "cross_document.previous_year"
            out.add((IDS[c["file"]], rule, c))
    return out


def test_the_seeded_claim_errors_are_found_with_both_values_and_the_right_ones_are_not(kg):
    found = kg.findings(family="cross_document")
    assert len(found) == len([c for c in GOLD["claims"] if not c["consistent"]]) == 2
    by_doc = {f.doc_id: f for f in found}
    basic = by_doc[IDS["jiangxia_cgzf_2025_budget.txt"]]  # 916.63 − 31.12 = 885.51, the 2024 预算 says 898.11
    assert basic.rule == "cross_document.previous_year" and basic.line == 80
    assert [(v.amount, v.line) for v in basic.values] == [(Decimal("885.51"), 80), (Decimal("898.11"), 152)]
    assert "885.51 万元" in basic.message and "898.11 万元" in basic.message
    assert {s.iri for s in basic.subjects} >= {str(kg.store.minter.document(IDS[f])) for f in (
        "jiangxia_cgzf_2025_budget.txt", "jiangxia_cgzf_2024_budget.txt")}
    initial = by_doc[IDS["jiangxia_cgzf_2024_final.txt"]]  # 年初预算 123.00, the 2024 预算's 2120104 is 118.00
    assert initial.rule == "cross_document.initial_budget" and initial.line == 84
    assert [v.amount for v in initial.values] == [Decimal("123.00"), Decimal("118.00")]
    assert "2120104" in initial.values[1].label
    for c in GOLD["claims"]:
        if not c["consistent"]:
            assert Decimal(c["stated"]) != Decimal(c["actual"])


def test_claim_findings_go_with_the_other_document_and_come_back(tmp_path, kg):
    expected = _claims(kg)
    with BudgetKG.open(tmp_path / "store") as other:
        _ingest(other, reversed(list(EXS)))  # another order: the same links and findings
        assert _claims(other) == expected and _links(other) == _links(kg)
        other.delete(IDS["jiangxia_cgzf_2024_budget.txt"])
        # without the 2024 预算, the 决算's 年初预算 is compared with what the 2025 预算 says of 2024: still 118.00
        assert _claims(other) == {(IDS["jiangxia_cgzf_2024_final.txt"], "cross_document.initial_budget",
                                   (Decimal("123.00"), Decimal("118.00")))}
        _ingest(other, ["jiangxia_cgzf_2024_budget.txt"])
        assert _claims(other) == expected
        other.delete(IDS["jiangxia_cgzf_2024_final.txt"])
        assert {c[1] for c in _claims(other)} == {"cross_document.previous_year"}


@needs_pdfs
def test_the_shared_pair_states_figures_of_budgets_the_store_lacks_and_makes_no_finding(tmp_path):
    """上海市普陀区财政局 2024 决算 and 2025 预算: the 决算 states the 2024 年初预算 of its 项 lines and the 预算 the
    2024 预算's 三公 lines; the 2024 预算 is not stored, and no two documents state one figure differently."""
    from kg.store import Store

    final = extracted(SHARED_PDFS / "putuo_czj_2024_juesuan_dept.pdf")
    budget = extracted(SHARED_PDFS / "putuo_czj_2025_yusuan_dept.pdf")
    stated = {(f.key, f.year, f.phase, f.kind): f.amount for f in final.stated}
    assert stated[("fn:2010601", 2024, "budget", "initial_budget")] == Decimal("1560.05")  # 行政运行（项）
    assert stated[("total:org_running_cost", 2023, "final_account", "previous_year")] == Decimal("182.10")
    assert {(f.key, f.amount) for f in budget.stated} >= {("three:公务接待费", Decimal("0.95"))}
    with Store(tmp_path / "store") as s:
        for ex in (final, budget):
            s.replace_document(ex, map_extraction(ex, s.base))
        rows = s.select("""SELECT ?a WHERE { ?doc bgt:statedFigure ?f . ?f bgt:figureKey "fn:2010601" ;
                           bgt:amount ?a ; prov:qualifiedDerivation/bgt:page ?page }""")
        assert [r["a"] for r in rows] == [Decimal("1560.05")]
        assert read_findings(s, family="cross_document") == []
        assert s.select("SELECT (COUNT(*) AS ?n) WHERE { ?l a bgt:Link }")[0]["n"] == 0  # no year or phase in common

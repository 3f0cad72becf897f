"""Issue 13, problem 1: a SPARQL SUM or COUNT over all documents counts each fact once.

Two documents of one department both state the department, its units and (a 预算 and a 决算 of one year)
its projects; user queries run over the default graph, the set union of the documents' graphs, so a
fact two documents state is one row.  Deleting a document removes exactly the facts no other document
states; re-ingesting it gives the same counts again.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from budgetkg_cli.main import cli
from helpers import SHARED_PDFS, needs_pdfs
from kg.api import BudgetKG
from kg_fixtures import dongxihu

DEPT = "武汉市东西湖区医疗保障局"
BUDGET, FINAL = "aaaaaaaaaaaaaaaa", "cccccccccccccccc"
ALSO_CALLED = "东西湖医保局"  # a short name only the 决算 uses


def final_account():
    """The 决算 of the same department and year: the same projects and units, one more short name."""
    ex = dongxihu(FINAL)
    return replace(ex, document=replace(ex.document, phase="final_account",
                                        short_names=(*ex.document.short_names, ALSO_CALLED)))


def project_sum(dept: str, year: int, phase: str) -> str:
    return f"""SELECT (SUM(?a) AS ?sum) (COUNT(*) AS ?rows) WHERE {{
      ?d rdfs:label "{dept}"@zh . ?p a bgt:Project ; bgt:department ?d ; bgt:inBudget ?b ; bgt:amount ?a .
      ?b bgt:fiscalYear {year} ; bgt:phase {phase} }}"""


BUDGET_SUM = project_sum(DEPT, 2023, "bgt:budgetPhase")
FINAL_SUM = project_sum(DEPT, 2023, "bgt:finalAccountPhase")
ALL_FACTS = "SELECT (COUNT(*) AS ?rows) WHERE { ?s ?p ?o }"
DISTINCT_FACTS = "SELECT (COUNT(*) AS ?facts) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
TRUE_SUM = sum(p.amount for p in dongxihu().projects)  # 355.50 over three projects


def one(kg: BudgetKG, query: str) -> dict:
    rows = kg.sparql(query).rows
    assert len(rows) == 1, rows
    return rows[0]


def named_facts(store) -> set:
    """Every (s, p, o) some named graph states: what the default graph must hold, each once."""
    return {(q.subject, q.predicate, q.object) for q in store.engine.quads_for_pattern() if not isinstance(q.graph_name, ox.DefaultGraph)}


def default_facts(store) -> set:
    return {(q.subject, q.predicate, q.object) for q in store.engine.quads_for_pattern(None, None, None, ox.DefaultGraph())}


@pytest.fixture
def both(store_dir):
    with BudgetKG.open(store_dir) as kg:
        kg.ingest_extraction(dongxihu(BUDGET))
        kg.ingest_extraction(final_account())
        yield kg


def test_a_department_sum_over_two_documents_counts_each_project_once(both):
    assert len(dongxihu().projects) == 3
    for query in (BUDGET_SUM, FINAL_SUM):
        assert one(both, query) == {"sum": TRUE_SUM, "rows": 3}


def test_count_of_rows_equals_count_of_distinct_facts(both):
    rows = one(both, ALL_FACTS)["rows"]
    assert rows == one(both, DISTINCT_FACTS)["facts"] == len(named_facts(both.store))
    assert both.store.facts() == rows
    # the two documents share facts (department, units, projects) and each still states them in its graph
    shared = f"""SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{both.store.doc_graph(BUDGET)}> {{ ?s ?p ?o }}
                 GRAPH <{both.store.doc_graph(FINAL)}> {{ ?s ?p ?o }} }}"""
    assert one(both, shared)["n"] > 50
    assert rows < both.store.count()


def test_which_documents_state_a_fact_is_still_answered_per_graph(both):
    rows = both.sparql(f"""SELECT ?g WHERE {{ GRAPH ?g {{ ?d a bgt:Department ; rdfs:label "{DEPT}"@zh }} }}
                           ORDER BY ?g""").rows
    assert [r["g"].rsplit("/", 1)[-1] for r in rows] == [BUDGET, FINAL]


def test_delete_keeps_the_other_document_and_leaves_nothing_of_the_deleted(both):
    store = both.store
    before = one(both, BUDGET_SUM), store.count(store.doc_graph(BUDGET))
    final_budget = both.sparql("SELECT ?b WHERE { ?b bgt:phase bgt:finalAccountPhase }").rows[0]["b"]
    alias = f'ASK {{ ?d skos:altLabel "{ALSO_CALLED}"@zh }}'
    assert both.sparql(alias).boolean
    facts_with_both = one(both, ALL_FACTS)["rows"]

    both.delete(FINAL)
    assert (one(both, BUDGET_SUM), store.count(store.doc_graph(BUDGET))) == before
    assert one(both, FINAL_SUM) == {"sum": 0, "rows": 0}
    assert not both.sparql(alias).boolean  # a fact of a shared entity that only the deleted document stated
    gone = ox.NamedNode(final_budget)
    assert not list(store.engine.quads_for_pattern(gone, None, None)) + list(store.engine.quads_for_pattern(None, None, gone))
    assert default_facts(store) == named_facts(store)  # nothing more, nothing less
    assert both.sparql(f'ASK {{ ?d a bgt:Department ; rdfs:label "{DEPT}"@zh }}').boolean  # the budget still says it

    both.ingest_extraction(final_account())
    assert one(both, FINAL_SUM) == one(both, BUDGET_SUM) == {"sum": TRUE_SUM, "rows": 3}
    assert one(both, ALL_FACTS)["rows"] == facts_with_both

    both.delete(BUDGET)
    both.delete(FINAL)
    assert default_facts(store) == named_facts(store)  # the ontology and codelists only
    assert not both.sparql(f'ASK {{ ?d rdfs:label "{DEPT}"@zh }}').boolean


def test_a_store_without_the_union_gets_it_on_open(store_dir):
    with BudgetKG.open(store_dir) as kg:
        kg.ingest_extraction(dongxihu(BUDGET))
        kg.ingest_extraction(final_account())
        facts = one(kg, ALL_FACTS)["rows"]
        kg.store.engine.update("CLEAR DEFAULT")  # as a store written before the default graph was kept
    with BudgetKG.open(store_dir) as kg:
        assert one(kg, ALL_FACTS)["rows"] == facts == len(named_facts(kg.store))
        assert one(kg, BUDGET_SUM) == {"sum": TRUE_SUM, "rows": 3}


def test_the_cli_sparql_command_sums_once(both, store_dir):
    both.close()
    out = CliRunner().invoke(cli, ["sparql", BUDGET_SUM, "--format", "json", "--store", str(store_dir)],
                             catch_exceptions=False).output
    rows = json.loads(out)
    assert len(rows) == 1 and Decimal(str(rows[0]["sum"])) == TRUE_SUM and int(rows[0]["rows"]) == 3


CZJ = "上海市普陀区财政局"
CZJ_PDFS = ("putuo_czj_2024_juesuan_dept.pdf", "putuo_czj_2025_yusuan_dept.pdf")


@needs_pdfs
def test_the_two_documents_of_one_real_department(store_dir):
    """The query of the issue: 财政局's 2025 project amounts, its 2024 决算 and 2025 预算 ingested."""
    with BudgetKG.open(store_dir) as kg:
        results = kg.ingest([SHARED_PDFS / name for name in CZJ_PDFS])
        assert all(r.ok for r in results), [r.error for r in results]
        total = f"""SELECT (SUM(?a) AS ?sum) (COUNT(*) AS ?rows) WHERE {{
          ?d rdfs:label "{CZJ}"@zh . ?p a bgt:Project ; bgt:department ?d ; bgt:inBudget ?b ; bgt:amount ?a .
          ?b bgt:fiscalYear 2025 }}"""
        assert one(kg, total) == {"sum": Decimal("598.46"), "rows": 4}
        # the same as the 2025 document alone says
        doc = next(d.doc_id for d in kg.documents() if d.year == 2025)
        alone = total.replace("WHERE {", f"WHERE {{ GRAPH <{kg.store.doc_graph(doc)}> {{", 1).replace("2025 }", "2025 } }")
        assert one(kg, alone) == one(kg, total)
        assert one(kg, ALL_FACTS)["rows"] == one(kg, DISTINCT_FACTS)["facts"]
        kg.delete(doc)
        assert one(kg, total) == {"sum": 0, "rows": 0}
        assert default_facts(kg.store) == named_facts(kg.store)

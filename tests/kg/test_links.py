"""Links across documents (kg.links): budgets, projects and lines of one department across years, phases
and levels, with their evidence, in every order of ingest, after re-ingest and delete, in SPARQL."""

from __future__ import annotations

from itertools import permutations

import pytest

from kg.links import links_graph, project_name_key
from kg.store import Store, _graph_update
from multiyear_docs import DEPT, DOCS, put as _put

LINKS = """SELECT ?s ?p ?o ?by ?key WHERE { ?l a bgt:Link ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
             bgt:linkedBy ?by . OPTIONAL { ?l bgt:linkKey ?key } ?s ?p ?o }"""


def _links(store: Store) -> set[tuple]:
    base = store.base
    short = lambda x: x.split("#")[-1] if "#" in x else x[len(base):]  # noqa: E731
    return {(short(r["s"]), short(r["p"]), short(r["o"]), r["by"], r["key"]) for r in store.select(LINKS)}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with Store(tmp_path_factory.mktemp("links") / "store") as s:
        for doc_id in DOCS:
            _put(s, doc_id)
        yield s


P = "project/上海市某某区测试局/"
B = "budget/上海市某某区测试局/"


def test_projects_link_by_code_and_by_name_and_never_two_distinct_ones(store):
    got = {x for x in _links(store) if x[0].startswith("project/")}
    assert (P + "2024/P001", "previousYear", P + "2023/P001", "project_code", "P001") in got  # renamed
    assert (P + "2025/P001", "previousYear", P + "2024/P001", "project_code", "P001") in got
    assert (P + "2024/课题研究经费", "previousYear", P + "2023/课题研究经费", "project_name", "课题研究经费") in got
    assert (P + "2024/2024年宣传经费", "previousYear", P + "2023/2023年宣传经费", "project_name", "宣传经费") in got
    assert not any("培训费" in s or "培训费" in o for s, _, o, _, _ in got)  # two 培训费 in 2024
    # P900 names two 2025 projects: no link by code; 甲经费 is one project of that name in each year
    assert (P + "2026/P900", "previousYear", P + "2025/甲经费", "project_name", "甲经费") in got
    assert not any("乙经费" in o for s, _, o, _, _ in got)
    assert len(got) == 5


def test_budgets_link_across_years_phases_and_levels(store):
    got = {x[:4] for x in _links(store) if x[0].startswith("budget/")}
    assert got == {
        (B + "2024/budget", "previousYear", B + "2023/budget", "same_department"),
        (B + "2025/budget", "previousYear", B + "2024/budget", "same_department"),
        (B + "2026/budget", "previousYear", B + "2025/budget", "same_department"),
        (B + "2024/budget", "finalAccount", B + "2024/final_account", "same_department"),
        (B + "2024/budget/unit/某某区测试局本级", "partOfBudget", B + "2024/budget", "same_department")}


def test_lines_link_to_the_previous_years_line_of_the_same_code(store):
    got = [x for x in _links(store) if x[0].startswith("doc/")]
    # 3 coded lines × (2024←2023, 2025←2024, 2026←2025) in the 部门预算s
    assert len(got) == 9
    assert ("doc/" + "b" * 16 + "/line/0", "previousYear", "doc/" + "a" * 16 + "/line/0", "functional_code",
            "2010101") in got
    assert ("doc/" + "b" * 16 + "/line/2", "previousYear", "doc/" + "a" * 16 + "/line/2", "economic_code",
            "30101") in got


def test_the_evidence_names_both_sides_and_their_documents(store):
    rows = store.select(f"""SELECT ?from ?to ?fd ?td WHERE {{ ?l rdf:subject <{store.base}{P}2024/P001> ;
        rdf:predicate bgt:previousYear ; bgt:fromName ?from ; bgt:toName ?to ; bgt:fromDocument ?fd ;
        bgt:toDocument ?td }}""")
    assert {(r["from"], r["to"]) for r in rows} == {("信息系统运维费", "信息化运维")}
    assert {r["fd"][-16:] for r in rows} == {"b" * 16, "c" * 16}  # the 2024 预算 and 决算 print it
    assert {r["td"][-16:] for r in rows} == {"a" * 16}


def test_the_links_graph_is_one_per_department_and_holds_the_links(store):
    g = links_graph(store, store.base + "org/" + DEPT)
    n = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s bgt:previousYear ?o }} }}")[0]["n"]
    assert n == 5 + 3 + 9  # projects, budgets (not 决算 or 单位 links), lines
    docs = {r["d"][-16:] for r in store.select(f"SELECT ?d WHERE {{ GRAPH <{g}> {{ <{g}> bgt:reflects ?d }} }}")}
    assert docs == set(DOCS)


def test_any_order_of_ingest_gives_the_same_links(tmp_path, store):
    expected = _links(store)
    orders = [list(reversed(DOCS)), next(o for i, o in enumerate(permutations(DOCS)) if i == 137)]
    for i, order in enumerate(orders):
        with Store(tmp_path / f"s{i}") as s:
            for doc_id in order:
                _put(s, doc_id)
            assert _links(s) == expected


def test_delete_and_reingest_remove_and_bring_back_the_links(tmp_path, store):
    expected = _links(store)
    with Store(tmp_path / "s") as s:
        for doc_id in DOCS:
            _put(s, doc_id)
        s.delete_document("b" * 16)  # the 2024 预算: every link to or from it goes
        left = _links(s)
        gone = expected - left
        assert (B + "2025/budget", "previousYear", B + "2024/budget", "same_department", None) in gone
        assert (P + "2024/课题研究经费", "previousYear", P + "2023/课题研究经费", "project_name", "课题研究经费") in gone
        assert not any(x[0].startswith("doc/" + "b" * 16) or x[2].startswith("doc/" + "b" * 16) for x in left)
        assert (P + "2025/P001", "previousYear", P + "2024/P001", "project_code", "P001") in left  # the 决算 has it
        assert left < expected
        _put(s, "b" * 16)
        _put(s, "b" * 16)  # re-ingest
        assert _links(s) == expected
        for doc_id in DOCS:
            s.delete_document(doc_id)
        assert _links(s) == set()
        assert s.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g a bgt:LinkGraph } }")[0]["n"] == 0


def test_a_store_without_links_graphs_gets_them_on_open(tmp_path, store):
    expected = _links(store)
    path = tmp_path / "s"
    with Store(path) as s:
        for doc_id in DOCS:
            _put(s, doc_id)
        s.engine.update(_graph_update(links_graph(s, s.base + "org/" + DEPT), None))  # as a store of before links
        assert _links(s) == set()
    with Store(path) as s:
        assert _links(s) == expected


def test_project_names_lose_their_year():
    assert project_name_key("2024年 宣传经费") == project_name_key("2025年度宣传经费") == "宣传经费"
    assert project_name_key("宣传经费（2024年）") == "宣传经费"
    assert project_name_key("20245号工程") == "20245号工程"


def test_entity_pages_show_the_links_with_their_evidence(store):
    from kg.browse import entity_view

    view = entity_view(store, P + "2024/P001")
    got = {(c.relation, c.iri[len(store.base):], c.evidence) for c in view.links}
    assert ("上年度", P + "2023/P001", "项目编码相同：P001；本方名称“信息系统运维费”，对方名称“信息化运维”") in got
    assert ("下年度", P + "2025/P001", "项目编码相同：P001") in got
    assert ("决算", B + "2024/final_account", "预算与决算列为同一项目") in got
    assert ("预算", B + "2024/budget", "预算与决算列为同一项目") in got
    last = next(c for c in view.links if c.relation == "上年度")
    assert last.label == "信息化运维"
    assert last.documents == tuple(sorted(f"{DEPT}{x}" for x in ("2023年预算", "2024年预算", "2024年决算")))
    assert not any(g.prop.endswith(("#subject", "#object", "previousYear")) for g in view.incoming + view.outgoing)
    budget = entity_view(store, B + "2024/budget")
    got = {(c.relation, c.iri[len(store.base):], c.linked_by) for c in budget.links}
    assert got == {("上年度", B + "2023/budget", "同一部门的预决算"), ("下年度", B + "2025/budget", "同一部门的预决算"),
                   ("决算", B + "2024/final_account", "同一部门的预决算"),
                   ("单位预决算", B + "2024/budget/unit/某某区测试局本级", "同一部门的预决算")}
    final = entity_view(store, B + "2024/final_account")
    assert [(c.relation, c.iri[len(store.base):]) for c in final.links] == [("预算", B + "2024/budget")]

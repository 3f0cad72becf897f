"""Mapping: deterministic, blank-node free, SHACL-conformant graphs with the expected shape."""

from __future__ import annotations

import dataclasses
import logging
from decimal import Decimal
from urllib.parse import quote

import pytest
from helpers import budget_disclosure
from rdflib import BNode, Graph, Literal
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ingest import records
from kg import mapping
from kg.checks import validate
from kg.iri import Minter
from kg.mapping import map_extraction
from kg.vocab import ONTOLOGY_DIR
from kg.vocab import BGT, ELI

m = Minter()
VOCABULARY = {str(s) for s in Graph().parse(ONTOLOGY_DIR / "budget.ttl").subjects()} | {
    str(DCTERMS.identifier), str(DCTERMS.title)}


def assert_same(g1, g2):
    if not isomorphic(g1, g2):
        _, only1, only2 = graph_diff(to_isomorphic(g1), to_isomorphic(g2))
        logging.debug("only first:\n%s\nonly second:\n%s", only1.serialize(format="nt"), only2.serialize(format="nt"))
        raise AssertionError("graphs differ")


def test_remapping_gives_an_isomorphic_graph_with_identical_count(dongxihu_ex, jiangan_ex):
    for ex in (dongxihu_ex, jiangan_ex):
        g1, g2 = map_extraction(ex), map_extraction(ex)
        assert len(g1) == len(g2) > 0
        assert_same(g1, g2)
        assert set(g1) == set(g2)  # no blank nodes, so even the triples are equal


def test_no_blank_nodes(dongxihu_ex):
    g = map_extraction(dongxihu_ex)
    assert not any(isinstance(t, BNode) for triple in g for t in triple)


def test_mapped_graphs_conform_to_the_shapes(dongxihu_ex, jiangan_ex):
    for ex in (dongxihu_ex, jiangan_ex):
        conforms, report = validate(map_extraction(ex))
        assert conforms, report


def test_shapes_catch_broken_graphs(dongxihu_ex):
    g = map_extraction(dongxihu_ex)
    project = next(g.subjects(RDF.type, BGT.Project))
    g.add((project, RDFS.label, Literal("second label", lang="zh")))
    g.set((project, BGT.amount, Literal("260.00")))  # a string, not xsd:decimal
    law = next(g.subjects(RDF.type, ELI.LegalResource))
    g.remove((law, ELI.id_local, None))
    g.remove((law, ELI.title, None))
    g.remove((next(g.subjects(RDF.type, BGT.Chunk)), PROV.wasDerivedFrom, None))
    conforms, report = validate(g)
    assert not conforms
    for expected in ("exactly one label", "DatatypeConstraintComponent", "OrConstraintComponent", "prov:wasDerivedFrom"):
        assert expected in report


def test_project_carries_its_fields(dongxihu_ex):
    g = map_extraction(dongxihu_ex)
    p = m.project("武汉市东西湖区医疗保障局", 2023, "42011222026T000000100")
    assert g.value(p, RDFS.label) == Literal("城乡医疗救助", lang="zh")
    assert set(g.objects(p, SKOS.altLabel)) == {Literal("医疗救助款", lang="zh"), Literal("城乡居民医疗救助资金", lang="zh")}
    amount = g.value(p, BGT.amount)
    assert amount.datatype == XSD.decimal and amount.toPython() == Decimal("260.00")
    assert g.value(p, BGT.executingUnit) == m.unit("武汉市东西湖区医疗保障局", "医疗保障服务中心")
    assert g.value(p, BGT.functionalClass) == m.functional("2101301")
    assert len(list(g.objects(p, BGT.indicator))) == 2
    assert len(list(g.objects(p, BGT.funding))) == 1
    assert (p, PROV.wasDerivedFrom, m.document(dongxihu_ex.document.doc_id)) in g
    pages = {g.value(loc, BGT.page).toPython() for loc in g.objects(p, PROV.qualifiedDerivation)}
    assert pages == {30, 40}


def test_title_and_doc_number_make_one_law_node(dongxihu_ex):
    g = map_extraction(dongxihu_ex)
    law = m.law_number("武政规〔2016〕32号")
    assert g.value(law, ELI.id_local) == Literal("武政规〔2016〕32号")
    assert g.value(law, ELI.title) == Literal("市人民政府关于印发武汉市医疗救助实施办法的通知")
    p = m.project("武汉市东西湖区医疗保障局", 2023, "42011222026T000000100")
    assert set(g.objects(p, BGT.cites)) == {law}


def test_duplicate_codes_give_distinct_projects(dongxihu_ex):
    g = map_extraction(dongxihu_ex)
    names = {str(g.value(p, RDFS.label)) for p in g.subjects(RDF.type, BGT.Project)}
    assert names == {"城乡医疗救助", "医保服务中心工作经费", "医保业务科工作经费"}


def test_budget_lines_are_observations_in_a_data_set_per_table(dongxihu_ex):
    from rdflib.namespace import QB

    g = map_extraction(dongxihu_ex)
    assert len(list(g.subjects(RDF.type, QB.Observation))) == 3
    assert len(list(g.subjects(RDF.type, QB.DataSet))) == 2
    line = next(s for s in g.subjects(BGT.code, Literal("30101")))
    assert g.value(line, BGT.economicClass) == m.economic("30101")


def test_chunks_link_to_their_subject(dongxihu_ex):
    g = map_extraction(dongxihu_ex)
    subjects = set(g.objects(None, BGT.subject))
    assert m.department("武汉市东西湖区医疗保障局") in subjects
    assert m.project("武汉市东西湖区医疗保障局", 2023, "42011222026T000000100") in subjects


def test_units_named_by_the_department_resolve_to_its_own_level(dongxihu_ex):
    from dataclasses import replace

    own = m.unit("武汉市东西湖区医疗保障局", "武汉市东西湖区医疗保障局本级", "26001")
    g = map_extraction(dongxihu_ex)
    budget = m.budget("武汉市东西湖区医疗保障局", 2023, "budget")
    dept_indicator = next(g.objects(budget, BGT.indicator))  # subject_unit is the department's full name
    assert g.value(dept_indicator, BGT.budgetUnit) == own
    p = replace(dongxihu_ex.projects[1], executing_unit="区医保局本级")  # a short name + 本级
    g = map_extraction(replace(dongxihu_ex, projects=(dongxihu_ex.projects[0], p)))
    assert g.value(m.project("武汉市东西湖区医疗保障局", 2023, "42011222026T000000106"), BGT.executingUnit) == own


def test_chunks_of_a_name_two_units_share_link_to_their_own_unit_project():
    """Seed 001 has 在职人员体检费 under 本级 (…101) and under 服务中心 (…109): each form's texts go to its own."""
    from pathlib import Path

    from ingest.pipeline import extract

    ex = extract(Path(__file__).resolve().parents[2] / "samples" / "001_c082f6ab8c9dd51c.txt")
    g = map_extraction(ex)
    owner = {}
    for chunk in g.subjects(BGT.subjectName, Literal("在职人员体检费")):
        text = str(g.value(chunk, BGT.text))
        owner.setdefault(text, set()).add(str(g.value(chunk, BGT.subject)).rsplit("/", 1)[-1])
    assert owner["年度目标：按体检标准安排在职人员年度体检工作，保障职工身体健康权益。"] == {"42010226303T000000101"}
    assert owner["年度目标：保障职工身体健康权益。"] == {"42010226303T000000109"}
    assert owner["年度目标 产出指标/数量指标/保障职工体检人数：6人（计划数据）"] == {
        "42010226303T000000101", "42010226303T000000109"}  # both forms list it


@pytest.mark.parametrize("table,record", [
    (mapping.DOCUMENT, records.Document), (mapping.SOURCE_LOCATION, records.Provenance),
    (mapping.STAFFING, records.Staffing), (mapping.TOTAL, records.Total), (mapping.THREE_PUBLIC, records.ThreePublic),
    (mapping.TABLE, records.LineItem), (mapping.LINE_ITEM, records.LineItem),
    (mapping.PROCUREMENT, records.ProcurementRow), (mapping.INDICATOR, records.Indicator),
    (mapping.PROJECT, records.Project), (mapping.CITATION, records.Citation), (mapping.FUNDING, records.Funding),
    (mapping.ACTIVITY, records.Activity), (mapping.CHUNK, records.Chunk),
])
def test_every_field_table_names_fields_of_its_record_and_terms_of_the_vocabulary(table, record):
    names = {f.name for f in dataclasses.fields(record)}
    assert {f.attr for f in table} <= names
    assert all(str(f.pred) in VOCABULARY for f in table)
    assert len({f.pred for f in table}) == len(table)  # no predicate filled twice


def test_department_and_unit_budget_of_one_year_are_two_budgets_each_with_its_totals(kg, tmp_path):
    dept = tmp_path / "dept.txt"
    dept.write_text(budget_disclosure("武汉市某区民政局2025年部门预算", "武汉市某区民政局", "1,200.00"), encoding="utf-8")
    unit = tmp_path / "unit.txt"
    unit.write_text(budget_disclosure("武汉市某区民政局（本级）2025年单位预算", "武汉市某区民政局", "800.00"), encoding="utf-8")
    results = kg.ingest([dept, unit])
    assert all(r.ok for r in results)
    rows = kg.sparql("""SELECT ?b ?amount WHERE { ?b a bgt:Budget ; bgt:total ?t .
                                              ?t bgt:totalKey "income_total" ; bgt:amount ?amount }""").rows
    got = sorted((str(r["b"]).split("/budget/", 1)[1], str(r["amount"])) for r in rows)
    dept_key = "武汉市某区民政局/2025/budget"  # readable IRIs; ASCII punctuation stays encoded
    assert [k for k, _ in got] == [dept_key, dept_key + "/unit/武汉市某区民政局%28本级%29"]
    assert [Decimal(a) for _, a in got] == [Decimal(1200), Decimal(800)]  # one income_total each


def test_the_store_s_n_triples_and_the_rdflib_graph_are_one_mapping(dongxihu_ex):
    """``mapped``: the N-Triples the store writes and the ``Graph`` of ``map_extraction`` hold the same triples."""
    nt = mapping.map_ntriples(dongxihu_ex)
    graph = map_extraction(dongxihu_ex)
    assert nt.count("\n") == len(graph) > 100
    assert set(Graph().parse(data=nt, format="nt")) == set(graph)

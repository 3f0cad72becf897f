"""Findings in the graph (issue 14, item 2): every failed reconciliation check is a ``bgt:Finding`` with a
Chinese message, its tolerance and its compared values, each value printed where its source location says
and linked to the record read there; ``BudgetKG.findings`` and ``budgetkg check`` read them back, SPARQL finds
them, and they go with their document."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.namespace import RDF

from budgetkg_cli.main import cli
from helpers import FIXTURE_DOCS, ROOT, SHARED, needs_shared
from ingest.reconcile.figures import total_of
from ingest.reconcile.checks import compare
from ingest.reconcile.stated import FISCAL_SOURCES
from ingest.records import Figure
from ingest.rules import catalogue, check_finding
from kg.api import BudgetKG
from kg.checks import validate
from kg.mapping import map_extraction
from kg.vocab import BGT

SEED = ROOT / "samples" / "000_dc10eef729309141.txt"
SEED_ID = "e89d211dea500184"
NARRATIVE_FIXTURE = next(p for p in FIXTURE_DOCS if p.name.startswith("105_"))
# failed checks per document: the seed's 8 are all in its gold inconsistencies, 105's one is its narrative 项目支出
EXPECTED = {SEED.stem: 8, **{p.stem: (1 if p == NARRATIVE_FIXTURE else 0) for p in FIXTURE_DOCS}}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """The seed and our fixture documents ingested (not embedded: findings need no search index)."""
    path = tmp_path_factory.mktemp("findings") / "store"
    with BudgetKG.open(path) as kg:
        results = kg.ingest([SEED, *FIXTURE_DOCS])
        assert all(r.ok for r in results), [r.message for r in results]
    return path


@pytest.fixture(scope="module")
def doc_ids(store) -> dict[str, str]:
    """File stem → document id."""
    with BudgetKG.open(store) as kg:
        return {Path(d.source_file).stem: d.doc_id for d in kg.documents()}


def printed_forms(amount: D) -> set[str]:
    """The ways a document prints an amount of 万元: in 万元 or in 元, with or without thousands separators."""
    yuan = amount * 10000
    return {f"{amount:,.2f}", f"{amount:.2f}", f"{amount.normalize():f}", f"{yuan:,.2f}", f"{yuan:.2f}",
            f"{yuan:,.0f}", f"{yuan:.0f}"}


def printed_values(values: list[dict]):
    """Every value that was printed somewhere: the values that are not sums, and the terms of the sums."""
    for v in values:
        yield from printed_values(v["terms"]) if v.get("terms") else [v]


def test_every_rule_the_checks_use_has_a_chinese_template():
    """The rule ids compared in ingest/reconcile (and the per-source fiscal rules) each have a template."""
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "ingest" / "reconcile").glob("*.py"))
    rules = set(re.findall(r'compare\("(\w+)"', source)) | {f"{short}_vs_fiscal_summary"
                                                            for short, _, _ in FISCAL_SOURCES.values()}
    reconcile = {r.id.removeprefix("reconcile."): r for r in catalogue().values() if r.id.startswith("reconcile.")}
    assert rules and rules <= set(reconcile), sorted(rules - set(reconcile))
    assert all(re.search(r"[\u4e00-\u9fff]", r.template) for r in reconcile.values())


def test_a_failed_check_is_a_finding_with_its_values_linked_to_the_lines_they_were_read_from(dongxihu_ex):
    ex = dongxihu_ex
    whole, part, other = ex.line_items  # 210 2500.00, 2101301 260.00, 30101 基本工资
    figure = lambda li: Figure(li.total, D("0.01"), f"{li.code} 合计", li.provenance)  # noqa: E731
    failed = compare("level_sum", figure(whole), total_of([figure(part)], "Σ 项 of 210"), f"{whole.table}: 210")
    passed = compare("table_total", figure(other), figure(other), "基本支出表")
    ex = replace(ex, checks=(failed, passed), findings=(*ex.findings, check_finding(failed)))
    g = map_extraction(ex)
    findings = [f for f in g.subjects(RDF.type, BGT.Finding) if str(g.value(f, BGT.rule)).startswith("reconcile.")]
    assert len(findings) == 1  # the passed check stays out; ingest's own copy of the failed one is not mapped twice
    f = findings[0]
    assert str(g.value(f, BGT.rule)) == "reconcile.level_sum" and g.value(f, BGT.tolerance).toPython() == D("0.01")
    assert str(g.value(f, BGT.message)).startswith(f"{whole.table}：210 合计 2,500.00 万元，不等于其下一级科目之和 260.00")
    values = {g.value(v, BGT.position).toPython(): v for v in g.objects(f, BGT.comparedValue)}
    lines = {li.code: s for s in g.subjects(RDF.type, BGT.BudgetLine) for li in ex.line_items
             if str(g.value(s, BGT.code)) == li.code}
    assert set(g.objects(values[1], BGT.concerns)) == {lines["210"]}
    (term,) = g.objects(values[2], BGT.term)  # the sum was printed nowhere; its term was
    assert set(g.objects(term, BGT.concerns)) == {lines["2101301"]}
    assert {lines["210"], lines["2101301"]} <= set(g.objects(f, BGT.concerns))
    conforms, report = validate(g)
    assert conforms, report


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_check_lists_each_documents_failed_checks_with_printed_evidence(store, doc_ids, stem):
    result = run("check", doc_ids[stem], "--rule", "reconcile.", "--severity", "warning", "--format", "json",
                 "--store", store)  # reconcile.reading notes (info) say how a table was read
    assert result.exit_code == 0, result.output
    found = [f for f in json.loads(result.stdout) if f["tolerance"] is not None]  # a check's (not a repair note)
    assert len(found) == EXPECTED[stem]
    for f in found:
        assert set(f) >= {"rule", "severity", "message", "page", "values", "subjects"}
        assert re.search(r"[\u4e00-\u9fff]", f["message"]) and len(f["values"]) == 2
        for v in printed_values(f["values"]):
            assert v["snippet"] and any(form in v["snippet"] for form in printed_forms(D(v["amount"]))), v
        assert any(s["iri"].endswith(doc_ids[stem]) for s in f["subjects"])
    with BudgetKG.open(store) as kg:  # the API gives the same findings
        checks = [f for f in kg.findings([doc_ids[stem]], "warning", "reconcile.") if f.tolerance is not None]
        assert len(checks) == EXPECTED[stem]


@needs_shared
def test_the_seeds_findings_are_in_its_gold_inconsistencies(store, doc_ids):
    gold = json.loads((SHARED / "eval" / "gold" / f"{SEED.stem}.json").read_text(encoding="utf-8"))
    text = " ".join(gold["inconsistencies"]).replace(",", "")
    with BudgetKG.open(store) as kg:
        found = [f for f in kg.findings([SEED_ID], severity="warning", rule_prefix="reconcile.")
                 if f.tolerance is not None]
    assert len(found) == 8
    for f in found:
        printed = [v for v in f.values if not v.terms]
        assert any(f"{v.amount:.2f}" in text for v in printed), f.message


def test_sparql_finds_the_narrative_contradiction_of_fixture_105(store, doc_ids):
    """Narrative 项目支出 1,096.50 vs the tables' 1,069.50: both values, their lines and snippets, by SPARQL."""
    with BudgetKG.open(store) as kg:
        rows = kg.sparql("""SELECT ?amount ?line ?snippet WHERE {
          ?f a bgt:Finding ; bgt:rule "reconcile.narrative_vs_table" ; bgt:comparedValue ?v .
          ?v bgt:amount ?amount ; prov:qualifiedDerivation ?loc .
          ?loc bgt:line ?line ; bgt:snippet ?snippet } ORDER BY ?amount""").rows
    assert [D(str(r["amount"])) for r in rows] == [D("1069.50"), D("1096.50")]
    assert "1,069.50" in rows[0]["snippet"] and "项目支出1,096.50万元" in rows[1]["snippet"]
    assert all(int(r["line"]) > 0 for r in rows)


def test_findings_export_with_their_document(store, doc_ids):
    out = io.BytesIO()
    with BudgetKG.open(store) as kg:
        kg.export("ttl", out, doc_ids[NARRATIVE_FIXTURE.stem])
    text = out.getvalue().decode("utf-8")
    assert "bgt:ComparedValue" in text and "文字说明所述 1,096.50 万元" in text


def test_table_and_csv_of_check_are_chinese(store, doc_ids):
    for fmt in ("table", "csv"):
        out = run("check", doc_ids[NARRATIVE_FIXTURE.stem], "--rule", "reconcile.", "--format", fmt,
                  "--store", store).stdout
        header = out.splitlines()[0]
        assert header.replace(",", " ").split() == ["文档编号", "规则", "严重程度", "页", "说明", "比较值", "涉及对象"]
        assert "警告" in out and "1,096.50 万元" in out and "warning" not in out


def test_check_of_an_unknown_document_says_so(store):
    result = run("check", "0000000000000000", "--store", store)
    assert result.exit_code == 1 and "错误：知识库中没有文档 0000000000000000" in result.output


def test_deleting_a_document_removes_its_findings(store, doc_ids, tmp_path):
    import shutil

    copy = shutil.copytree(store, tmp_path / "store")
    with BudgetKG.open(copy) as kg:
        assert kg.findings([SEED_ID])
        kg.delete(SEED_ID)
        assert kg.findings([SEED_ID]) == []
        assert [f.doc_id for f in kg.findings(rule_prefix="reconcile.narrative")] == [doc_ids[NARRATIVE_FIXTURE.stem]]

"""End to end on the bundled samples and our fixture documents: ingest, SHACL, cross-document cites, re-ingest."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from decimal import Decimal

from budgetkg_cli.main import cli
from kg.api import BudgetKG

from helpers import FIXTURES, ROOT, load_json

SEEDS = ROOT / "samples"  # the two published seed disclosures, bundled
DOCS = FIXTURES / "docs"  # documents of our own in other layouts


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    with BudgetKG.open(tmp_path_factory.mktemp("seeds") / "store") as kg:
        results = kg.ingest([SEEDS, DOCS])
        yield kg, results


def test_both_seeds_ingest_without_error(seeded):
    kg, results = seeded
    fixtures = sorted(DOCS.glob("*.txt"))
    assert len(results) == 2 + len(fixtures)
    assert all(r.ok for r in results), [r.message for r in results]
    fixture_departments = {load_json(FIXTURES / "gold" / f"{p.stem}.json")["document"]["department"] for p in fixtures}
    assert {d.department for d in kg.documents()} == {"武汉市东西湖区医疗保障局", "武汉市江岸区医疗保障局"} | fixture_departments


def test_cites_finds_both_projects(seeded):
    kg, _ = seeded
    hits = kg.cites("武政规[2016]32号")
    assert {(h.department, h.name, h.amount) for h in hits} == {
        ("武汉市东西湖区医疗保障局", "城乡医疗救助", Decimal("260.00")),
        ("武汉市江岸区医疗保障局", "统筹和组织实施医疗救助工作经费", Decimal("6.30"))}
    assert all(h.locations and h.locations[0].line for h in hits)


def test_seed_graphs_conform(seeded):
    kg, _ = seeded
    for d in kg.documents():
        conforms, report = kg.validate(d.doc_id)
        assert conforms, report[:2000]


def test_reingest_keeps_the_triple_count(seeded):
    kg, results = seeded
    again = kg.ingest([SEEDS, DOCS])
    assert [r.triples for r in again] == [r.triples for r in results]
    assert sum(d.triples for d in kg.documents()) == sum(r.triples for r in results)


def test_cli_ingest_and_cites(tmp_path):
    store = str(tmp_path / "store")
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(SEEDS), "--store", store, "--no-embed"])  # cites needs no vectors
    assert result.exit_code == 0, result.output + result.stderr
    result = runner.invoke(cli, ["cites", "武政规〔2016〕32 号", "--store", store])
    assert "城乡医疗救助" in result.output and "统筹和组织实施医疗救助工作经费" in result.output

"""Hybrid search (kg.search) over the two bundled samples, embedded once per run with the real model."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetkg_cli.main import cli
from kg.api import BudgetKG
from kg.filters import Filters
from kg.search import first_per_subject, rrf

from helpers import FIXTURE_DOCS, OWN_QUERIES, SAMPLES, SHARED_QUERIES

QUERIES = SHARED_QUERIES
JIANGAN, DONGXIHU = "武汉市江岸区医疗保障局", "武汉市东西湖区医疗保障局"


class Seeded:
    """The samples ingested and embedded once; ``kg`` reopens the store after a CLI run closed it."""

    def __init__(self, path: Path):
        self.path, self._kg = path, None

    @property
    def kg(self) -> BudgetKG:
        if self._kg is None:
            self._kg = BudgetKG.open(self.path)
        return self._kg

    def close(self) -> None:
        if self._kg is not None:
            self._kg.close()
            self._kg = None


@pytest.fixture(scope="module")
def seeded(samples_store_template, tmp_path_factory):
    """A private copy of the run's embedded samples store, shared by this module's tests."""
    s = Seeded(Path(shutil.copytree(samples_store_template, tmp_path_factory.mktemp("search") / "store")))
    yield s
    s.close()


@pytest.fixture(scope="module")
def four_docs(seeded, tmp_path_factory):
    """A copy of the seeded store with the two fixture documents added (only those are embedded)."""
    seeded.close()
    s = Seeded(tmp_path_factory.mktemp("search4") / "store")
    shutil.copytree(seeded.path, s.path)
    results = s.kg.ingest(FIXTURE_DOCS)
    assert all(r.ok for r in results), [r.message for r in results]
    s.kg.embed()
    yield s
    s.close()


def assert_hybrid_leads(report) -> None:
    m = report.metrics
    assert not report.unresolved
    assert m["hybrid"]["recall@5"] >= 0.9
    # one query may swap its first two hits: near-tied dense scores vary in the last float digits with the
    # batch a passage was embedded in, and fusion then ranks the runner-up first (seen on x03)
    slack = 0.5 / len(report.per_query) + 1e-9
    for single in ("dense", "lexical"):
        assert m["hybrid"]["recall@5"] >= m[single]["recall@5"]
        assert m["hybrid"]["MRR"] >= m[single]["MRR"] - slack


# --- fusion logic (no model) ---------------------------------------------------------------------

def test_rrf_adds_reciprocal_ranks_with_weights():
    fused = rrf({"dense": ["a", "b", "c"], "lexical": ["b", "d"]}, k=10)
    assert [key for key, _ in fused] == ["b", "a", "d", "c"]
    assert fused[0][1] == pytest.approx(1 / 12 + 1 / 11)
    heavy = rrf({"dense": ["a", "b"], "lexical": ["b", "a"]}, weights={"dense": 1, "lexical": 3}, k=10)
    assert heavy[0][0] == "b"
    assert rrf({"dense": [], "lexical": []}) == []


def test_first_passage_per_subject_is_kept():
    subject = {"p1": "A", "p2": "A", "p3": "B", "p4": "C"}.get
    kept = first_per_subject([("p2", 0.9), ("p3", 0.8), ("p1", 0.7), ("p4", 0.6)], subject)
    assert [subject(k) for k, _ in kept] == ["A", "B", "C"]
    assert kept == [("p2", 0.9), ("p3", 0.8), ("p4", 0.6)]


# --- over the samples ----------------------------------------------------------------------------

def test_every_passage_is_indexed_both_ways(seeded):
    index = seeded.kg.search_index
    assert index.pending() == 0
    assert len(index.dense) == index.dense.count_rows() == len(index.lexical) > 100
    assert set(index.dense.all_iris()) == set(index.lexical.iris())


def test_department_short_name_filter_ranks_jiangan_medical_aid_first(seeded):
    hits = seeded.kg.search("医疗救助", Filters(department="江岸区医疗保障局"), top_k=5)
    assert {h.subject.label for h in hits[:3]} == {
        "统筹和组织实施医疗救助工作经费", "保民生-医疗救助经费(医后救助)", "保民生-医疗救助经费(医中救助)"}
    for h in hits[:3]:
        assert h.subject.type == "project" and h.document.source == "001_c082f6ab8c9dd51c.txt"
        assert h.line and h.text and h.score > 0
    assert all(h.document.source == "001_c082f6ab8c9dd51c.txt" for h in hits)
    alias = seeded.kg.search("医疗救助", Filters(department="江岸区医保局"), top_k=5)
    assert [h.passage for h in alias] == [h.passage for h in hits]


def test_year_filter(seeded):
    hits = seeded.kg.search("医疗救助", Filters(year=2023), top_k=10)
    assert hits and all(h.document.source == "000_dc10eef729309141.txt" for h in hits)
    assert hits[0].subject.label == "城乡医疗救助"
    assert seeded.kg.search("医疗救助", Filters(year=1999)) == []


def test_amount_range_keeps_projects_inside(seeded):
    hits = seeded.kg.search("医疗费用保障", Filters(min_amount=100, max_amount=300), top_k=20)
    amounts = {h.subject.label: seeded.kg.entity(h.subject.iri) for h in hits}
    assert hits and all(h.subject.type == "project" for h in hits)
    for label, e in amounts.items():
        value = next(Decimal(str(o)) for p, o, _ in e.outgoing if p.endswith("#amount"))
        assert Decimal(100) <= value <= Decimal(300), label
    assert "城乡医疗救助" in amounts and "2022保优离医疗经费" not in amounts


def test_cites_filter_any_bracket(seeded):
    for ref in ("武政规[2016]32号", "武政规〔2016〕32 号"):
        hits = seeded.kg.search("医疗救助", Filters(cites=ref))
        assert {h.subject.label for h in hits} == {"城乡医疗救助", "统筹和组织实施医疗救助工作经费"}


def test_unit_and_fund_filters(seeded):
    hits = seeded.kg.search("后勤保障", Filters(unit="江岸区医疗保障服务中心", fund="一般公共预算"), top_k=5)
    assert {h.subject.label for h in hits[:3]} == {
        "后勤服务支出（食堂支出）", "后勤服务支出（办公楼租金）", "后勤服务支出（物业费）"}
    own = seeded.kg.search("体检", Filters(unit="武汉市江岸区医疗保障局本级"), top_k=20)
    assert "后勤服务支出（物业费）" not in {h.subject.label for h in own}


@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
def test_modes_find_the_paraphrased_project(seeded, mode):
    hits = seeded.kg.search("残疾军人医疗费用", top_k=5, mode=mode)
    assert "伤残军人医疗经费" in {h.subject.label for h in hits}


def test_relevance_on_shared_queries(seeded):
    if not QUERIES.is_file():
        pytest.skip("shared/eval/queries.jsonl not here")
    report = seeded.kg.evaluate_search(QUERIES)
    print("\n" + report.format_table())
    assert_hybrid_leads(report)


def test_department_alias_read_with_the_region(seeded):
    """000 calls itself 区医保局: 东西湖区医保局 and 武汉市东西湖区医保局 find it, and only it."""
    for name in ("东西湖区医保局", "武汉市东西湖区医保局"):
        hits = seeded.kg.search("医保基金监管", Filters(department=name), top_k=20)
        assert hits and {h.document.source for h in hits} == {"000_dc10eef729309141.txt"}, name


def test_texts_of_a_name_two_units_share_stay_with_their_unit(seeded):
    """The 服务中心's 在职人员体检费 form texts are found under the 服务中心, not under 本级."""
    hits = seeded.kg.search("职工体检", Filters(unit="武汉市江岸区医疗保障服务中心"), top_k=50, by_subject=False)
    checkup = [h for h in hits if h.subject.label == "在职人员体检费"]
    assert {h.subject.iri.rsplit("/", 1)[-1] for h in checkup} == {"42010226303T000000109"}
    assert {"goal", "legal_basis"} <= {h.kind for h in checkup}
    assert not any("按体检标准安排" in h.text for h in checkup)  # 本级's own wording


def test_relevance_on_own_queries(four_docs):
    """Paraphrases, colloquial wording, filters (year, phase, short names), indicators and 决算 wording
    over the seeds and the fixture documents."""
    report = four_docs.kg.evaluate_search(OWN_QUERIES)
    print("\n" + report.format_table())
    assert len(report.per_query) >= 15
    assert_hybrid_leads(report)


# --- the CLI on the same store (closes the library handle first) ----------------------------------

def test_cli_search_json_and_sparql(seeded):
    seeded.close()
    runner = CliRunner()
    out = runner.invoke(cli, ["search", "医疗救助", "--dept", "江岸区医保局", "--top-k", "3", "--format", "json",
                              "--store", str(seeded.path)])
    assert out.exit_code == 0, out.output
    hits = json.loads(out.stdout)  # flat rows; the model's loading line is on stderr
    assert len(hits) == 3 and set(hits[0]) == {"rank", "score", "subject_label", "subject_type", "subject", "doc_id",
                                               "source_file", "page", "line", "text", "department", "year", "phase",
                                               "amount", "unit", "title"}
    assert "医疗救助" in hits[0]["subject_label"] and hits[0]["subject_type"] == "project"
    assert {(h["department"], h["year"], h["phase"]) for h in hits} == {("武汉市江岸区医疗保障局", 2026, "budget")}
    out = runner.invoke(cli, ["search", "x", "--cites", "武政规[2016]32号", "--min-amount", "5", "--sparql",
                              "--store", str(seeded.path)])
    assert out.exit_code == 0 and "武政规〔2016〕32号" in out.output and "?amount >= 5" in out.output
    out = runner.invoke(cli, ["search", "x", "--phase", "sometime", "--store", str(seeded.path)])
    assert out.exit_code == 1
    assert out.stderr.splitlines()[-1] == "错误：查询的输入有误：“sometime”不是预算（budget）或决算（final_account）"


def test_cli_search_lists_jiangan_medical_aid_first_with_provenance(seeded):
    seeded.close()
    out = CliRunner().invoke(cli, ["search", "医疗救助", "--dept", "江岸区医疗保障局", "--format", "csv",
                                   "--store", str(seeded.path)])
    assert out.exit_code == 0, out.output
    firsts = list(csv.DictReader(io.StringIO(out.stdout)))[:3]
    assert all(r["对象类型"] == "项目" and r["文件"] == "001_c082f6ab8c9dd51c.txt" and r["行"].isdigit()
               for r in firsts), out.stdout
    assert {r["对象"] for r in firsts} == {
        "统筹和组织实施医疗救助工作经费", "保民生-医疗救助经费(医后救助)", "保民生-医疗救助经费(医中救助)"}


def test_cli_eval_search_prints_one_table_per_query_file(four_docs):
    if not QUERIES.is_file():
        pytest.skip("shared/eval/queries.jsonl not here")
    four_docs.close()
    out = CliRunner().invoke(cli, ["eval-search", str(QUERIES), str(OWN_QUERIES), "--store", str(four_docs.path)])
    assert out.exit_code == 0, out.output
    assert out.output.count("recall@5") == 2 and str(OWN_QUERIES) in out.output
    assert "(40 queries" in out.output and "unresolved" not in out.output


# --- upkeep: re-ingest and delete keep both indexes in step with the graph (run last) -------------

def test_reingest_keeps_counts_and_vectors(seeded):
    kg = seeded.kg
    index = kg.search_index
    before = (len(index.dense), len(index.lexical), set(index.dense.all_iris()))
    kg.ingest(SAMPLES)
    assert index.pending() == 0  # unchanged passages keep their vectors
    assert (len(index.dense), len(index.lexical), set(index.dense.all_iris())) == before


def test_delete_leaves_no_orphans(seeded):
    kg = seeded.kg
    index = kg.search_index
    gone = next(d.doc_id for d in kg.documents() if d.department == DONGXIHU)
    kg.delete(gone)
    assert gone not in index.dense.documents() and gone not in index.lexical.documents()
    assert set(index.dense.ids().tolist()) == set(index.dense.all_iris().values())
    assert set(index.lexical.iris()) == set(index.dense.all_iris())
    assert all(h.document.id != gone for h in kg.search("医疗救助", top_k=20))
    seeded.close()  # persisted: the reopened store says the same
    index = seeded.kg.search_index
    assert gone not in index.dense.documents() and len(index.dense) == index.dense.count_rows()
    assert set(index.lexical.iris()) == set(index.dense.all_iris())


def test_a_passage_table_keeps_every_lexical_row_when_an_iri_repeats():
    """A project's card has the project's IRI in its 预算 and its 决算 of one year: the lexical index holds
    both rows, and a filter's mask must cover every one of them (else BM25 refuses the mask)."""
    from kg.filters import Allowed
    from kg.search import PassageTable

    table = PassageTable(["p/1", "card", "q/1", "card"], {"p/1": (0, "a", "s"), "card": (1, "b", "t"),
                                                          "q/1": (2, "b", "u"), "only-dense": (3, "a", "s")})
    assert table.lexical_rows == 4 and table.iris == ["p/1", "card", "q/1", "card", "only-dense"]
    assert table.row["only-dense"] == 4 and table.row_of_id[3] == 4
    mask = table.mask(Allowed(frozenset({"a"}), None))
    assert mask.shape == (5,) and mask.tolist() == [True, False, False, False, True]

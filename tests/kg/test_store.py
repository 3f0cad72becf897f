"""The store: persistence, replace in one transaction, delete one document only."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import store as store_module
from kg.api import BudgetKG
from kg.mapping import map_extraction
from kg.errors import error_message
from kg.store import DocumentNotFound, Store, StoreError
from kg_fixtures import dongxihu


def test_documents_survive_reopening(store_dir):
    with BudgetKG.open(store_dir) as kg:
        n = kg.ingest_extraction(dongxihu())
    with BudgetKG.open(store_dir) as kg:
        docs = kg.documents()
        assert [(d.doc_id, d.triples, d.year, d.phase) for d in docs] == [("aaaaaaaaaaaaaaaa", n, 2023, "budget")]
        assert docs[0].source_file == "aaaaaaaaaaaaaaaa.txt"
        assert docs[0].department == "武汉市东西湖区医疗保障局"


def test_stored_graph_is_the_mapped_graph(kg):
    ex = dongxihu()
    g = map_extraction(ex)
    kg.ingest_extraction(ex)
    stored = kg.graph(ex.document.doc_id)
    assert len(stored) == len(g)
    assert len(set(stored) ^ set(g)) <= sum(1 for _, _, o in g if getattr(o, "datatype", None))  # only decimal lexical forms


def test_reingest_gives_the_identical_triple_count(kg):
    first = kg.ingest_extraction(dongxihu())
    total = kg.store.count()
    second = kg.ingest_extraction(dongxihu())
    assert first == second == kg.store.count(kg.store.doc_graph("aaaaaaaaaaaaaaaa"))
    assert kg.store.count() == total


def test_delete_removes_only_that_document(kg_small):
    before_other = kg_small.store.count(kg_small.store.doc_graph("bbbbbbbbbbbbbbbb"))
    kg_small.delete("aaaaaaaaaaaaaaaa")
    assert [d.doc_id for d in kg_small.documents()] == ["bbbbbbbbbbbbbbbb"]
    assert kg_small.store.count(kg_small.store.doc_graph("bbbbbbbbbbbbbbbb")) == before_other
    # the shared law node keeps the other document's statements
    assert [h.doc_id for h in kg_small.cites("武政规〔2016〕32号")] == ["bbbbbbbbbbbbbbbb"]
    with pytest.raises(DocumentNotFound):
        kg_small.delete("aaaaaaaaaaaaaaaa")


def test_a_failed_swap_leaves_the_previous_version(kg, monkeypatch):
    n = kg.ingest_extraction(dongxihu())
    monkeypatch.setattr(store_module, "_graph_update", lambda name, body: "<broken")
    with pytest.raises(SyntaxError):
        kg.ingest_extraction(dongxihu())
    assert kg.store.count(kg.store.doc_graph("aaaaaaaaaaaaaaaa")) == n


def test_a_failing_mapping_writes_nothing(kg, monkeypatch, tmp_path):
    import kg.mapping as mapping

    def boom(*args, **kwargs):
        raise RuntimeError("mapping exploded\nsecond line")

    monkeypatch.setattr("ingest.pipeline.extract_disclosure", lambda paths, **options: dongxihu())
    monkeypatch.setattr(mapping, "map_ntriples", boom)
    f = tmp_path / "doc.txt"
    f.write_text("x", encoding="utf-8")
    result = kg.ingest_file(f)
    assert not result.ok
    assert (result.error, result.error_code) == ("doc.txt：处理时出错（RuntimeError: mapping exploded）", "internal")
    assert kg.documents() == []


def test_ontology_and_codelists_have_their_own_graphs(kg):
    assert kg.store.count(kg.store.ontology_graph) > 100
    assert kg.store.count(kg.store.codelist_graph) > 100
    assert kg.documents() == []


def test_configured_base_rebases_codelists(tmp_path):
    with Store(tmp_path / "s", base="http://example.org/kg/") as s:
        rows = s.select('SELECT ?c WHERE { ?c skos:notation "2101301" }')
        assert [r["c"] for r in rows] == ["http://example.org/kg/fn/2101301"]
        rows = s.select('SELECT ?s WHERE { <http://example.org/kg/fn/2101301> skos:inScheme ?s }')
        assert [r["s"] for r in rows] == ["https://w3id.org/budgetkg/def#functionalScheme"]


def test_ontology_is_loaded_once(store_dir):
    with Store(store_dir) as s:
        n = s.count()
    with Store(store_dir) as s:
        assert s.count() == n


def test_a_locked_store_is_a_clear_error(store_dir):
    with Store(store_dir):
        with pytest.raises(StoreError, match="cannot open store") as caught:
            Store(store_dir)
    assert caught.value.details == {"path": str(store_dir)}
    assert error_message(caught.value) == f"无法打开知识库 {store_dir}（可能另有 budgetkg 进程正在使用）"


def test_a_missing_document_is_named_by_its_id(kg_small):
    for call in (kg_small.store.delete_document, kg_small.store.graph):
        with pytest.raises(DocumentNotFound) as caught:
            call("0000000000000000")
        assert str(caught.value).startswith("no document 0000000000000000")  # English for the log
        assert error_message(caught.value) == "知识库中没有文档 0000000000000000"


def test_a_failed_swap_keeps_no_copy_of_the_file(kg, monkeypatch):
    sample = Path(__file__).resolve().parents[2] / "samples" / "001_c082f6ab8c9dd51c.txt"
    monkeypatch.setattr(store_module, "_graph_update", lambda name, body: "<broken")
    result = kg.ingest_file(sample)
    assert not result.ok and "001_c082f6ab8c9dd51c.txt" in result.error
    assert kg.documents() == [] and not any(kg.store.sources.glob("*"))

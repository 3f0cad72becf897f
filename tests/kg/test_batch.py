"""Ingest writes in batches (``kg.batch``): one ``Store.add_documents`` for many documents read, with the store,
results, lines and order of one write per document; a document that fails to read, to write or to index fails
alone and leaves nothing of itself."""

import sys
from collections import Counter

import pyoxigraph as ox
import pytest

from helpers import ROOT
from kg import batch
from kg.api import BudgetKG
from kg.mapping import map_ntriples
from kg.search import SearchIndex
from kg.store import Store

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Four synthetic documents (one department's 预算 and 决算 of two years) and a broken PDF among them."""
    folder = tmp_path_factory.mktemp("docs")
    paths = []
    for spec in synth.specs(4):
        path = folder / f"{spec.name}.txt"
        path.write_text(synth.text(spec), encoding="utf-8")
        paths.append(path)
    broken = folder / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n")
    return [*paths[:2], broken, *paths[2:]]


@pytest.fixture(scope="module")
def extractions(files):
    return list(synth.extractions([f for f in files if f.suffix == ".txt"]))


def _quads(kg: BudgetKG) -> Counter:
    return Counter(str(q) for q in kg.store.engine.quads_for_pattern()
                   if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object)))


def _ingest(store_dir, files, monkeypatch, seconds: float):
    """Results, progress lines, the documents of each write, and the store's quads."""
    writes: list[list[str]] = []
    add = Store.add_documents
    monkeypatch.setattr(Store, "add_documents",
                        lambda self, docs: (writes.append([ex.document.doc_id for ex, _, _ in docs]), add(self, docs))[1])
    monkeypatch.setattr(batch, "BATCH_SECONDS", seconds)
    lines: list[str] = []
    with BudgetKG(store_dir) as kg:
        results = kg.ingest(files, progress=lambda r: lines.append(r.message))
        quads, documents = _quads(kg), kg.documents()
        changing = (kg.store.path / "search" / "changing.json").exists()
    monkeypatch.undo()
    return results, lines, writes, quads, documents, changing


def test_a_batch_is_one_write_with_the_store_and_lines_of_one_write_each(files, tmp_path, monkeypatch):
    each = _ingest(tmp_path / "each", files, monkeypatch, seconds=0)  # every document written as it is read
    once = _ingest(tmp_path / "once", files, monkeypatch, seconds=1e9)  # all in one batch
    results, lines, writes, quads, documents, changing = once
    assert [r.ok for r in results] == [True, True, False, True, True] and results[2].error_code == "pdf_corrupt"
    assert [r.path for r in results] == files and lines == [r.message for r in results]
    assert len(writes) == 1 and len(writes[0]) == 4  # one write of the four documents read
    assert len(each[2]) == 4  # one write each
    assert once[0] == each[0] and once[1] == each[1]  # the same results and lines, in the same order
    assert once[3] == each[3] and once[4] == each[4]  # the same quads (links graph included) and documents
    assert len(documents) == 4 and not changing


def test_the_same_document_twice_is_written_twice_in_order(files, tmp_path, monkeypatch):
    """A batch holds a document once: the second reading of it (a copy) waits for the first's write."""
    again = tmp_path / "again.txt"
    again.write_bytes(files[0].read_bytes())
    results, _, writes, _, documents, _ = _ingest(tmp_path / "s", [files[0], files[1], again], monkeypatch, 1e9)
    assert [r.ok for r in results] == [True, True, True] and results[0].doc_id == results[2].doc_id
    assert [len(w) for w in writes] == [2, 1]
    assert len(documents) == 2


@pytest.mark.parametrize("bulk_min", [0, None], ids=["bulk loader", "update"])
def test_a_document_whose_write_fails_fails_alone(extractions, tmp_path, bulk_min):
    with BudgetKG(tmp_path / "s") as kg:
        if bulk_min is not None:
            kg.store.bulk_min = bulk_min
        items = [batch.Item((), ex, map_ntriples(ex, kg.store.base)) for ex in extractions[:3]]
        items[1] = batch.Item((), extractions[1], "<broken .\n")  # no IRI: the batch's write is refused
        outcomes = kg._write(items)
        assert isinstance(outcomes[1], SyntaxError) and all(isinstance(outcomes[i], int) and outcomes[i] > 1000
                                                            for i in (0, 2))
        assert {d.doc_id for d in kg.documents()} == {extractions[0].document.doc_id, extractions[2].document.doc_id}
        index = kg.search_index
        assert index.dense.documents() == index.lexical.documents() == {d.doc_id for d in kg.documents()}
        assert not (kg.store.path / "search" / "changing.json").exists()
        named = {ox.Triple(q.subject, q.predicate, q.object) for q in kg.store.named_quads()}
        default = {ox.Triple(q.subject, q.predicate, q.object)
                   for q in kg.store.engine.quads_for_pattern(None, None, None, ox.DefaultGraph())}
        assert named == default  # the default graph still the union


def test_a_document_whose_indexing_fails_gets_its_previous_graph_back(extractions, tmp_path, monkeypatch):
    victim = extractions[1].document.doc_id
    update = SearchIndex.update_documents

    def broken(self, doc_ids):
        if victim in doc_ids:
            raise OSError("disk full")
        return update(self, doc_ids)

    with BudgetKG(tmp_path / "s") as kg:
        full = map_ntriples(extractions[1], kg.store.base)
        older = "".join(full.splitlines(keepends=True)[:-10])  # another version of it, stored before
        assert kg._write([batch.Item((), extractions[1], older)]) == [older.count("\n")]
        before = kg.store.snapshot(victim)
        monkeypatch.setattr(SearchIndex, "update_documents", broken)
        outcomes = kg._write([batch.Item((), ex, map_ntriples(ex, kg.store.base)) for ex in extractions])
        monkeypatch.undo()
        assert isinstance(outcomes[1], OSError) and all(isinstance(n, int) for i, n in enumerate(outcomes) if i != 1)
        assert kg.store.snapshot(victim) == before and kg.store.count(kg.store.doc_graph(victim)) == older.count("\n")
        assert len(kg.documents()) == 4
        assert victim in kg.search_index.lexical.documents()  # the previous graph's passages, read again

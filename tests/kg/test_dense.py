"""Dense vectors (kg.search.dense): FAISS ids ↔ passage IRIs, queued embedding, delete, re-add, HNSW, persistence.

Uses the real default encoder (kg.embed) on a handful of passages."""

from __future__ import annotations

import numpy as np
import pytest

from kg.embed import load_encoder
from kg.search.dense import DenseIndex, PassageRow

DOC_A = [PassageRow("a/1", "a", "城乡医疗救助：对重点救助对象实施重特大疾病医疗救助", {"subject": "p1"}),
         PassageRow("a/2", "a", "后勤服务支出（物业费）：办公楼物业管理费", {"subject": "p2"})]
DOC_B = [PassageRow("b/1", "b", "在职人员体检费：按体检标准安排在职人员年度体检", {"subject": "p3"})]


@pytest.fixture(scope="module")
def encoder():
    return load_encoder()


def _iris(index: DenseIndex, found) -> list[str]:
    rows = index.rows(i for i, _ in found)
    return [rows[i][0] for i, _ in found]


def test_queue_embed_search(tmp_path, encoder):
    index = DenseIndex(tmp_path)
    assert index.set_document("a", DOC_A) == (0, 2)
    assert index.set_document("b", DOC_B) == (0, 1)
    assert index.pending() == 3 and len(index) == 0
    assert index.embed_pending(encoder) == 3
    assert index.pending() == 0 and len(index) == 3
    q = encoder.encode_queries(["员工一年一次的健康检查"])[0]
    assert _iris(index, index.search(q, 3))[0] == "b/1"
    allowed = index.iri_ids(["a/1", "a/2"]).values()
    assert set(_iris(index, index.search(q, 3, allowed))) == {"a/1", "a/2"}
    assert index.search(q, 3, []) == []


def test_reset_keeps_unchanged_vectors_and_delete_leaves_none(tmp_path, encoder):
    index = DenseIndex(tmp_path)
    index.set_document("a", DOC_A)
    index.set_document("b", DOC_B)
    index.embed_pending(encoder)
    ids_before = set(index.ids().tolist())
    changed = [DOC_A[0], PassageRow("a/2", "a", "后勤服务支出（食堂支出）：伙食费", {"subject": "p2"})]
    assert index.set_document("a", changed) == (1, 1)  # a/1 kept, a/2 re-queued
    assert len(index) == 2 and index.pending() == 1
    index.embed_pending(encoder)
    assert len(index) == 3 and index.count_rows() == 3
    assert index.delete_document("a") == 2
    assert len(index) == 1 and index.count_rows() == 1
    assert set(index.ids().tolist()) <= ids_before | set(index.all_iris().values())
    assert set(index.ids().tolist()) == set(index.all_iris().values())
    index.close()
    again = DenseIndex(tmp_path)  # from disk
    assert len(again) == 1 and list(again.all_iris()) == ["b/1"]


def test_a_documents_vectors_are_added_together(tmp_path, encoder):
    """Queued passages of several documents, of lengths that interleave across them, are added document by
    document: each document's vectors hold consecutive positions (what a filtered search scores as runs)."""
    index = DenseIndex(tmp_path)
    for doc, lengths in (("b", (3, 40, 12)), ("a", (30, 5, 20)), ("c", (8, 25))):
        index.set_document(doc, [PassageRow(f"{doc}/{k}", doc, "预算支出" * n, {}) for k, n in enumerate(lengths)])
    index.embed_pending(encoder, batch_size=2)  # batches that span documents
    rows = index.rows(index.ids().tolist())
    docs_by_position = [rows[int(i)][1] for i in index.ids()]
    assert docs_by_position == sorted(docs_by_position)
    assert len(docs_by_position) == 8


def test_a_batch_of_changed_documents_rebuilds_hnsw_once(tmp_path, monkeypatch):
    """Documents set again in one batch (``save=False``), each losing a passage: HNSW cannot remove ids, and the
    vectors gone are removed together at the save, one rebuild for the batch (not one per document)."""
    rng = np.random.default_rng(5)
    index = DenseIndex(tmp_path, hnsw_threshold=20)
    docs = {d: [PassageRow(f"{d}/{k}", d, f"{d} 第{k}段", {}) for k in range(8)] for d in "abcdef"}
    for d, rows in docs.items():
        index.set_document(d, rows, save=False)
    index.add_vectors([p.iri for rows in docs.values() for p in rows], rng.normal(size=(48, 384)).astype(np.float32))
    assert index.is_hnsw and len(index) == 48
    rebuilds = []
    rebuild = DenseIndex._rebuild
    monkeypatch.setattr(DenseIndex, "_rebuild", lambda self, *a, **k: (rebuilds.append(1), rebuild(self, *a, **k))[1])
    for d, rows in docs.items():
        index.set_document(d, rows[1:], save=False)  # each document loses its first passage
    assert rebuilds == []
    index.save()
    assert len(rebuilds) == 1 and len(index) == 42 and index.is_hnsw
    assert set(index.ids().tolist()) == set(index.all_iris().values())
    again = DenseIndex(tmp_path, hnsw_threshold=20)
    assert len(again) == 42 and sorted(again.all_iris()) == sorted(p.iri for rows in docs.values() for p in rows[1:])


def test_hnsw_past_the_threshold_and_delete_rebuilds(tmp_path, encoder):
    index = DenseIndex(tmp_path, hnsw_threshold=2)
    index.set_document("a", DOC_A)
    index.set_document("b", DOC_B)
    index.embed_pending(encoder)
    assert index.is_hnsw and len(index) == 3
    q = encoder.encode_queries(["办公楼物业费"])[0]
    assert _iris(index, index.search(q, 1))[0] == "a/2"
    index.delete_document("b")  # HNSW cannot remove ids: rebuilt (flat again at or below the threshold)
    assert len(index) == 2 and not index.is_hnsw
    assert set(index.ids().tolist()) == set(index.all_iris().values())


@pytest.mark.parametrize("n_allowed", [20, 200, "runs"])  # fewer than 1/GATHER_BELOW of the vectors (gathered),
def test_filtered_search_over_hnsw_is_exact(tmp_path, n_allowed):  # more (scanned), documents' runs (by views)
    """A filter allowing few vectors: HNSW's graph walk would stop on few of them; the allowed ones are scored."""
    rng = np.random.default_rng(3)
    vecs = rng.normal(size=(1500, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    index = DenseIndex(tmp_path, hnsw_threshold=1000)
    index.add(list(range(1, 1501)), vecs)
    assert index.is_hnsw
    q = vecs[7] + 0.5 * vecs[900]
    q /= np.linalg.norm(q)
    allowed = np.concatenate([np.arange(a, a + 100) for a in (1, 450, 1390)]) if n_allowed == "runs" else \
        rng.choice(np.arange(1, 1501), n_allowed, replace=False)
    expected = sorted(allowed.tolist(), key=lambda i: -float(vecs[i - 1] @ q))[:10]
    found = index.search(q, 10, allowed)
    assert [i for i, _ in found] == expected
    assert [s for _, s in found] == pytest.approx([float(vecs[i - 1] @ q) for i in expected], abs=1e-5)
    assert index.search(q, 10, [99_999]) == []  # an id without a vector
    index.add([1501], vecs[:1])  # the index grows: the scored vectors follow
    assert index.search(q, 1, [1501, allowed[0]])[0][0] == (1501 if vecs[0] @ q > vecs[allowed[0] - 1] @ q
                                                            else allowed[0])


def test_interrupted_run_is_reconciled(tmp_path, encoder):
    index = DenseIndex(tmp_path)
    index.set_document("a", DOC_A)
    index.embed_pending(encoder)
    index.save()
    # the sidecar loses a row while the vector file still has it (a crash between the two writes)
    index.db.execute("DELETE FROM passage WHERE iri = 'a/2'")
    index.db.commit()
    again = DenseIndex(tmp_path)
    assert len(again) == 1 and list(again.all_iris()) == ["a/1"]
    assert np.isclose(np.linalg.norm(again.index.reconstruct(int(again.ids()[0]))), 1.0, atol=1e-3)


def test_vectors_of_another_model_are_refused_until_the_index_is_empty(tmp_path, encoder):
    from kg.embed import ModelError

    index = DenseIndex(tmp_path)
    index.use_model(encoder.path.name)
    index.set_document("a", DOC_A)
    index.embed_pending(encoder)
    index.use_model(encoder.path.name)  # the same model again is fine
    with pytest.raises(ModelError, match=r"holds vectors of model .*, not 'other-model'.*budgetkg reindex"):
        index.use_model("other-model")
    index.delete_document("a")
    index.use_model("other-model")  # nothing left to mix with

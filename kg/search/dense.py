"""Dense passage vectors (DESIGN §7): FAISS ``IndexIDMap2`` over ``IndexFlatIP``, persisted beside the store.

Vectors are the encoder's normalised float32 embeddings, so inner product is cosine.  Each passage
gets an int64 id; ``passages.sqlite`` maps ids to passage IRIs, documents, a hash of the embedded
text and what a hit shows (subject, label, page, line).  Past ``hnsw_threshold`` vectors the flat
index becomes HNSW; HNSW cannot remove ids, so a delete there rebuilds it from the kept vectors.
A filtered search over HNSW scores the allowed vectors exactly instead of walking the graph.

Embedding is the slow part (~20 passages/s on 2 cores), so adding a document only queues its
passages (``embedded = 0``); :meth:`DenseIndex.embed_pending` encodes everything queued in one
batched pass.  A re-ingested passage whose IRI and text are unchanged keeps its vector.

``dense.faiss`` is written atomically (:mod:`kg.atomic`) after the SQLite transaction commits; on
open, vectors without a row are dropped and rows without a vector queued again.  The ``document``
table lists the documents the index holds (one with no passages too).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from ..atomic import written
from ..errors import ModelError
from ..threads import single_thread

HNSW_THRESHOLD = 130_000  # benchmarks/search.py: flat p95 19 ms at 100k on 2 cores, 25 ms near 130k
HNSW_M = 32
# benchmarks/search.py at 100k: recall@10 against flat .57 at efSearch 64, .82 at 256, .91 at 512 (p95 4 ms)
HNSW_EF_SEARCH = 512
# a filtered search over HNSW allowing fewer than 1/GATHER_BELOW of the vectors gathers them (0.2 ms for 300 of
# 1M) instead of scanning the storage with a selector (17 ms at 1M whatever the filter; benchmarks/dense_scale.py)
GATHER_BELOW = 50
# allowed positions in runs of RUN_ROWS or more on average (a filter's documents: each added in one go) are
# scored run by run over views of HNSW's storage: 83k of 1M allowed took the selector scan 30-65 ms
RUN_ROWS = 32


PASSAGES_KEY = "passages"  # the info row of DenseIndex.passages_format


def stored_passages_format(folder: Path | str) -> str | None:
    """:attr:`DenseIndex.passages_format` of the index in ``folder``, read without loading its vectors."""
    path = Path(folder) / "passages.sqlite"
    if not path.is_file():
        return None
    db = sqlite3.connect(path)
    try:
        row = db.execute("SELECT value FROM info WHERE key = ?", (PASSAGES_KEY,)).fetchone()
    except sqlite3.Error:  # no info table yet
        row = None
    finally:
        db.close()
    return row[0] if row else None


@dataclass(frozen=True)
class PassageRow:
    """One indexed passage: what is embedded (``text``) and what a hit shows (``meta``)."""

    iri: str
    doc_id: str
    text: str
    meta: dict


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class DenseIndex:
    """FAISS vectors plus the SQLite id sidecar, in ``folder``."""

    supports_delete = True

    def __init__(self, folder: Path | str, dim: int = 384, hnsw_threshold: int = HNSW_THRESHOLD):
        import faiss

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.hnsw_threshold = hnsw_threshold
        # one index serves every thread of a front-end (Streamlit runs each rerun in its own thread);
        # sqlite3 is built serialized (threadsafety 3) and writers are serialised by the caller
        self.db = sqlite3.connect(self.folder / "passages.sqlite", check_same_thread=False)
        self.db.execute("""CREATE TABLE IF NOT EXISTS passage (
            id INTEGER PRIMARY KEY, iri TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL, hash TEXT NOT NULL,
            text TEXT NOT NULL, meta TEXT NOT NULL, embedded INTEGER NOT NULL DEFAULT 0)""")
        self.db.execute("CREATE INDEX IF NOT EXISTS passage_doc ON passage(doc_id)")
        self.db.execute("CREATE INDEX IF NOT EXISTS passage_pending ON passage(embedded)")
        self.db.execute("CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT)")
        self.db.execute("CREATE TABLE IF NOT EXISTS document (doc_id TEXT PRIMARY KEY)")
        self.db.commit()
        self._catalog: dict[str, tuple[int, str, str | None]] | None = None
        self.version = 0  # counts changes to the passages, for tables derived from them
        self._stored = None  # HNSW's ids by position, for exact filtered search (see _exact)
        self._dropped: list[int] = []  # ids whose rows are gone, their vectors removed at the next save
        path = self.folder / "dense.faiss"
        if path.is_file():
            self.index = faiss.read_index(str(path))
            self.dim = self.index.d
        else:
            self.dim = int(self._info("dim") or dim)
            self.index = self._flat()
        self._reconcile()

    def _reconcile(self) -> None:
        """After an interrupted run: drop vectors without a row, queue rows without a vector."""
        rows = {r[0] for r in self.db.execute("SELECT id FROM passage WHERE embedded = 1")}
        have = set(int(i) for i in self.ids()) if self.index.ntotal else set()
        orphans = sorted(have - rows)
        if orphans:
            self._remove_ids(orphans)
        missing = rows - have
        if missing:
            self.db.executemany("UPDATE passage SET embedded = 0 WHERE id = ?", [(i,) for i in missing])
            self.db.commit()

    # --- small helpers ---
    def _info(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM info WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_info(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO info VALUES (?, ?)", (key, value))

    @property
    def passages_format(self) -> str | None:
        """The stamp of how the passages held were named and made (``kg.search.passages.PASSAGES_FORMAT``)."""
        return self._info(PASSAGES_KEY)

    @passages_format.setter
    def passages_format(self, value: str) -> None:
        self._set_info(PASSAGES_KEY, value)
        self.db.commit()

    def use_model(self, name: str) -> None:
        """Remember the embedding model of the vectors; a different one over existing vectors is an error
        (vectors of two models are not comparable)."""
        stored = self._info("model")
        if stored is None or not self.count_rows():
            self._set_info("model", name)
            self.db.commit()
        elif stored != name:
            raise ModelError(f"the search index in {self.folder} holds vectors of model {stored!r}, not {name!r}: "
                             f"use that model, or delete {self.folder} and run `budgetkg reindex` with the new one",
                             "model_mismatch", index_model=stored, model=name)

    def _flat(self):
        import faiss

        return faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))

    def _hnsw(self):
        import faiss

        return faiss.IndexIDMap2(faiss.IndexHNSWFlat(self.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT))

    @property
    def is_hnsw(self) -> bool:
        import faiss

        return isinstance(faiss.downcast_index(self.index.index), faiss.IndexHNSW)

    def convert(self, hnsw: bool) -> None:
        """Rebuild as HNSW (or flat) now, whatever the threshold says (the search benchmark compares both)."""
        if hnsw != self.is_hnsw:
            self._rebuild(self._hnsw() if hnsw else self._flat())

    def save(self) -> None:
        import faiss

        if self._dropped:  # at once: HNSW cannot remove ids, each removal rebuilds it
            dropped, self._dropped = self._dropped, []
            self._remove_ids(dropped)
        self._set_info("dim", str(self.dim))
        self.db.commit()
        with written(self.folder / "dense.faiss") as tmp:
            faiss.write_index(self.index, str(tmp))

    def close(self) -> None:
        self.save()
        self.db.close()

    def _changed(self) -> None:
        self._catalog = None
        self.version += 1

    # --- documents ---
    def documents(self) -> set[str]:
        """The documents indexed (listed in ``document``, or with passages: a store of an older version)."""
        return {r[0] for r in self.db.execute("SELECT doc_id FROM document UNION SELECT doc_id FROM passage")}

    def set_document(self, doc_id: str, passages: Iterable[PassageRow], save: bool = True) -> tuple[int, int]:
        """Make ``doc_id``'s passages exactly ``passages``: unchanged ones keep their vectors, changed
        and new ones are queued for :meth:`embed_pending`, vanished ones are removed.  Returns
        (kept, queued).  ``save=False`` leaves writing to disk, and removing the vectors of passages gone
        (a rebuild of HNSW each time), to a later :meth:`save` (a batch of documents)."""
        passages = list(passages)
        self._changed()
        self.db.execute("INSERT OR IGNORE INTO document VALUES (?)", (doc_id,))
        old = {iri: (pid, h) for pid, iri, h in
               self.db.execute("SELECT id, iri, hash FROM passage WHERE doc_id = ?", (doc_id,))}
        keep, queued, gone = 0, 0, []
        wanted = {p.iri for p in passages}
        gone = [pid for iri, (pid, _) in old.items() if iri not in wanted]
        for p in passages:
            h = text_hash(p.text)
            meta = json.dumps(p.meta, ensure_ascii=False)
            if p.iri in old and old[p.iri][1] == h:
                self.db.execute("UPDATE passage SET meta = ? WHERE id = ?", (meta, old[p.iri][0]))
                keep += 1
                continue
            if p.iri in old:
                gone.append(old[p.iri][0])
                self.db.execute("DELETE FROM passage WHERE id = ?", (old[p.iri][0],))
            else:  # the IRI may sit under another document (it should not): it moves here
                self.db.execute("DELETE FROM passage WHERE iri = ?", (p.iri,))
            self.db.execute("INSERT INTO passage (iri, doc_id, hash, text, meta) VALUES (?, ?, ?, ?, ?)",
                            (p.iri, doc_id, h, p.text, meta))
            queued += 1
        self._dropped += gone  # their vectors go at the next save: once for a batch of documents
        self.db.executemany("DELETE FROM passage WHERE id = ?", [(i,) for i in gone])
        if save:
            self.save()
        return keep, queued

    def delete_document(self, doc_id: str) -> int:
        self._changed()
        ids = [r[0] for r in self.db.execute("SELECT id FROM passage WHERE doc_id = ?", (doc_id,))]
        self._remove_ids(ids)
        self.db.execute("DELETE FROM passage WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM document WHERE doc_id = ?", (doc_id,))
        self.save()
        return len(ids)

    def pending(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM passage WHERE embedded = 0").fetchone()[0]

    def embed_pending(self, encoder, batch_size: int = 32,
                      progress: Callable[[int], None] | None = None) -> int:
        """Encode every queued passage (batched) and add the vectors document by document, so that a
        document's vectors are consecutive in the index (a filtered search over HNSW scores such runs over
        views of the storage, :meth:`_exact`); longest first within a document, for less padding where a
        batch is padded (sentence-transformers).  Returns how many."""
        rows = [(pid, text) for _, _, pid, text in sorted(
            (doc, -len(text), pid, text) for pid, doc, text in
            self.db.execute("SELECT id, doc_id, text FROM passage WHERE embedded = 0"))]
        if rows and encoder.dim != self.dim and self.index.ntotal == 0:
            self.dim, self.index = encoder.dim, None
            self.index = self._flat()
        for start in range(0, len(rows), batch_size):
            part = rows[start:start + batch_size]
            vecs = encoder.encode_documents([t for _, t in part], batch_size=batch_size)
            self.add([i for i, _ in part], vecs)
            self.db.executemany("UPDATE passage SET embedded = 1 WHERE id = ?", [(i,) for i, _ in part])
            if progress is not None:
                progress(len(part))
        self.db.commit()
        if rows:
            self.save()
        return len(rows)

    def add_vectors(self, iris: list[str], vecs: np.ndarray) -> None:
        """Vectors made elsewhere (a precomputed corpus, the search benchmark) for queued passages."""
        ids = self.iri_ids(iris)
        missing = [iri for iri in iris if iri not in ids]
        if missing:
            raise KeyError(f"{len(missing)} passages are not in the index, e.g. {missing[0]}")
        part = [ids[iri] for iri in iris]
        self.add(part, vecs)
        self.db.executemany("UPDATE passage SET embedded = 1 WHERE id = ?", [(i,) for i in part])
        self.save()

    # --- vectors ---
    def add(self, ids: list[int], vecs: np.ndarray) -> None:
        self._stored = None
        ids64 = np.asarray(ids, dtype=np.int64)
        self.index.remove_ids(ids64) if not self.is_hnsw else None  # a re-added id replaces its vector
        self.index.add_with_ids(np.ascontiguousarray(vecs, dtype=np.float32), ids64)
        if not self.is_hnsw and self.index.ntotal > self.hnsw_threshold:
            self._rebuild(self._hnsw())

    def _remove_ids(self, ids: list[int]) -> None:
        if not ids or self.index.ntotal == 0:
            return
        if self.is_hnsw:
            drop = set(ids)
            self._rebuild(self._hnsw() if self.index.ntotal - len(drop) > self.hnsw_threshold else self._flat(), drop)
        else:
            self.index.remove_ids(np.asarray(ids, dtype=np.int64))

    def _rebuild(self, target, drop: set[int] = frozenset()) -> None:
        """Move every vector (less ``drop``) into ``target`` (flat ↔ HNSW)."""
        import faiss

        self._stored = None
        all_ids = faiss.vector_to_array(self.index.id_map).astype(np.int64)
        keep = np.array([i for i in all_ids if int(i) not in drop], dtype=np.int64)
        if len(keep):
            vecs = np.vstack([self.index.reconstruct(int(i)) for i in keep]).astype(np.float32)
            target.add_with_ids(vecs, keep)
        self.index = target

    def ids(self) -> np.ndarray:
        import faiss

        return faiss.vector_to_array(self.index.id_map).astype(np.int64)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def count_rows(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM passage").fetchone()[0]

    def iri_ids(self, iris: Iterable[str]) -> dict[str, int]:
        out = {}
        iris = list(iris)
        for start in range(0, len(iris), 900):
            part = iris[start:start + 900]
            q = f"SELECT iri, id FROM passage WHERE iri IN ({','.join('?' * len(part))})"
            out.update(dict(self.db.execute(q, part)))
        return out

    def rows(self, ids: Iterable[int]) -> dict[int, tuple[str, str, dict]]:
        """id -> (iri, doc_id, meta)."""
        out = {}
        ids = [int(i) for i in ids]
        for start in range(0, len(ids), 900):
            part = ids[start:start + 900]
            q = f"SELECT id, iri, doc_id, meta FROM passage WHERE id IN ({','.join('?' * len(part))})"
            out.update({r[0]: (r[1], r[2], json.loads(r[3])) for r in self.db.execute(q, part)})
        return out

    def all_iris(self) -> dict[str, int]:
        return {iri: pid for pid, iri in self.db.execute("SELECT id, iri FROM passage")}

    def catalog(self) -> dict[str, tuple[int, str, str | None]]:
        """iri → (id, doc_id, subject IRI) of every passage; read once, kept until the passages change
        (a search at 100k passages cannot afford to read them each time)."""
        if self._catalog is None:
            self._catalog = {iri: (pid, doc, subject) for pid, iri, doc, subject in self.db.execute(
                "SELECT id, iri, doc_id, json_extract(meta, '$.subject') FROM passage")}
        return self._catalog

    def search(self, qvec: np.ndarray, k: int = 50, allowed: Iterable[int] | None = None) -> list[tuple[int, float]]:
        """Ids by inner product with ``qvec`` (one unit vector), limited to ``allowed`` ids when given
        (an array of distinct ids, or any iterable)."""
        import faiss

        n = self.index.ntotal
        if n == 0:
            return []
        q = np.ascontiguousarray(qvec, dtype=np.float32).reshape(1, -1)
        params = None
        if allowed is not None:
            allowed = np.ascontiguousarray(allowed, dtype=np.int64) if isinstance(allowed, np.ndarray) \
                else np.unique(np.fromiter(allowed, dtype=np.int64))
            if len(allowed) == 0:
                return []
            if self.is_hnsw:  # a graph walk that may only stop on a few allowed nodes misses most of them
                return self._exact(q[0], k, allowed)
            n = min(n, len(allowed))
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))
        elif self.is_hnsw:
            params = faiss.SearchParametersHNSW(efSearch=max(HNSW_EF_SEARCH, k))
        with one_thread():
            scores, ids = self.index.search(q, min(k, n), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def _exact(self, q: np.ndarray, k: int, ids: np.ndarray) -> list[tuple[int, float]]:
        """Exact inner products with the vectors of ``ids`` (those that have one), best ``k``: a flat
        scan of HNSW's own vector storage, limited to the positions of ``ids``."""
        import faiss

        if self._stored is None:  # ids by position, and sorted (dropped whenever the index changes)
            by_position = self.ids()
            order = np.argsort(by_position)
            self._stored = (by_position, by_position[order], order)
        by_position, sorted_ids, order = self._stored
        at = np.clip(np.searchsorted(sorted_ids, ids), 0, len(sorted_ids) - 1)
        positions = order[at[sorted_ids[at] == ids]].astype(np.int64)
        if len(positions) == 0:
            return []
        storage = faiss.downcast_index(faiss.downcast_index(self.index.index).storage)
        positions.sort()
        cuts = np.flatnonzero(np.diff(positions) != 1) + 1  # where a run of consecutive positions breaks
        runs = len(cuts) * RUN_ROWS < len(positions)
        if runs or len(positions) * GATHER_BELOW < storage.ntotal:
            stored = faiss.rev_swig_ptr(storage.codes.data(), storage.codes.size()).view(np.float32)
            stored = stored.reshape(storage.ntotal, storage.d)
            scores = np.empty(len(positions), dtype=np.float32)
            if runs:  # a document's vectors were added together: each run a view of the storage, no copy
                for a, b in zip(np.concatenate(([0], cuts)), np.concatenate((cuts, [len(positions)]))):
                    _products(scores[a:b], stored[positions[a]:positions[b - 1] + 1], q)
            else:  # a few: their vectors gathered, one product
                _products(scores, np.ascontiguousarray(stored[positions]), q)
            best = np.argsort(-scores, kind="stable")[:k] if len(scores) <= k else \
                (lambda top: top[np.argsort(-scores[top], kind="stable")])(np.argpartition(-scores, k - 1)[:k])
            return [(int(by_position[positions[i]]), float(scores[i])) for i in best]
        params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(positions))
        with one_thread():
            scores, found = storage.search(q.reshape(1, -1), min(k, len(positions)), params=params)
        return [(int(by_position[p]), float(s)) for p, s in zip(found[0], scores[0]) if p >= 0]


def _products(out: np.ndarray, rows: np.ndarray, q: np.ndarray) -> None:
    """``out[i] = rows[i] @ q`` (C-contiguous float32) by FAISS's one-thread kernel: numpy's BLAS threads
    vary tenfold beside the encoder's (15–180 ms for 83k vectors)."""
    import faiss

    faiss.fvec_inner_products_ny(faiss.swig_ptr(out), faiss.swig_ptr(q), faiss.swig_ptr(rows), int(rows.shape[1]),
                                 int(rows.shape[0]))


def one_thread():
    """FAISS on one OpenMP thread meanwhile (see :mod:`kg.threads`)."""
    import faiss

    return single_thread(faiss.omp_get_max_threads, faiss.omp_set_num_threads)

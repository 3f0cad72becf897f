"""The dense and lexical indexes of one store, kept in step with its document graphs.

:class:`SearchIndex` keeps the FAISS and BM25 indexes in ``{store}/search/``: a document's passages
are re-read from its graph on ingest, dropped on delete, and embedded in batches afterwards
(:meth:`SearchIndex.embed_pending`).  :func:`allowed_rows` turns a filter into a row mask of its
:class:`~kg.search.table.PassageTable`.

Crash consistency: each index records the documents it holds (the dense ``document`` table, the
lexical ``tokens.json``), and ``changing.json`` lists the documents whose graph a writer is changing
(:meth:`SearchIndex.begin`) until both indexes have followed.  Opening the index
(:meth:`SearchIndex.reconcile`) drops documents no longer stored and re-reads those missing from an
index or left changing, before anything is searched (the store's own open removed temp files).

Several processes may share the indexes (a server store's local directory, :mod:`kg.locks`): every write
here runs under the store's write lock, on indexes read again first when another process wrote since
they were read (:meth:`SearchIndex.refresh`), and gives the store a new version; a search refreshes too.
"""

from __future__ import annotations

import json
from functools import wraps
from pathlib import Path
from typing import Callable

import numpy as np

from ..atomic import write_text
from ..embed import load_encoder
from ..filters import Filters, allowed
from ..killpoints import kill_point
from .dense import DenseIndex
from .lexical import LexicalIndex
from .passages import PASSAGES_FORMAT, dictionary_names, document_passages
from .table import PassageTable


CHANGING = "changing.json"  # the documents whose graph is being changed, until both indexes follow


def _writes(method):
    """A write of the indexes: under the store's write lock, on indexes as the last writer left them."""

    @wraps(method)
    def wrapper(self, *args, **kwargs):
        with self.store.writing():
            self.refresh()
            return method(self, *args, **kwargs)

    return wrapper


class SearchIndex:
    """The dense and lexical indexes of one store, in ``{store}/search/``; kept in step with its graphs
    (reconciled with them on open)."""

    def __init__(self, store, hnsw_threshold: int | None = None):
        self.store = store
        self.folder = Path(store.path) / "search"
        self._kwargs = {} if hnsw_threshold is None else {"hnsw_threshold": hnsw_threshold}
        self._encoder = None
        self.model: str | None = None
        self.seen = None  # the store version the indexes in memory were read at
        with store.writing():
            self._load()

    def _load(self) -> None:
        """Read both indexes from their folder and reconcile them with the graphs (under the write lock)."""
        self.seen = self.store.version()
        self.dense = DenseIndex(self.folder, **self._kwargs)
        self.lexical = LexicalIndex(self.folder / "lexical")
        self._table: tuple[tuple[int, int], PassageTable] | None = None
        if not self.lexical.words:
            self.lexical.add_words(dictionary_names(self.store))
        self._changing = self._read_changing()
        self.repaired = self.reconcile()  # what opening found out of step, for sync()'s count
        if self._encoder is not None:
            self.dense.use_model(self._encoder.path.name)

    def _stale(self) -> bool:
        """Another process wrote the store since the indexes in memory were read."""
        now = self.store.version()
        return now not in (self.seen, self.store.written)

    def refresh(self) -> None:
        """Read the indexes again when another process wrote the store since they were read."""
        if self._stale():
            with self.store.writing():
                if self._stale():
                    self._load()

    @property
    def encoder(self):
        if self._encoder is None:
            encoder = load_encoder(self.model)
            self.dense.use_model(encoder.path.name)
            self._encoder = encoder
        return self._encoder

    def close(self) -> None:
        with self.store.writing():
            if self._stale():  # another process's vectors are on disk: ours are not written over them
                self.dense.db.close()
            else:
                self.dense.close()

    def table(self) -> PassageTable:
        """The passages of both indexes as one :class:`PassageTable`, rebuilt after either changes."""
        key = (self.dense.version, self.lexical.version)
        if self._table is None or self._table[0] != key:
            self._table = (key, PassageTable(self.lexical.iris(), self.dense.catalog()))
        return self._table[1]

    # --- keeping step with the graphs ---
    def _read_changing(self) -> set[str]:
        path = self.folder / CHANGING
        return set(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else set()

    def _set_changing(self, docs: set[str]) -> None:
        if docs == self._changing:
            return
        self.store.changed()
        if docs:
            write_text(self.folder / CHANGING, json.dumps(sorted(docs)))
        else:
            (self.folder / CHANGING).unlink(missing_ok=True)
        self._changing = docs

    @_writes
    def begin(self, *doc_ids: str) -> None:
        """Note that the graphs of ``doc_ids`` are about to change (one write of ``changing.json``): until
        :meth:`update_document` or :meth:`delete_document` has run for each, opening the store re-reads it."""
        self._set_changing(self._changing | set(doc_ids))

    def update_document(self, doc_id: str) -> tuple[int, int]:
        """Re-read one document's passages from the graph into both indexes; returns (kept, to embed)."""
        return self.update_documents([doc_id])[doc_id]

    @_writes
    def update_documents(self, doc_ids: list[str]) -> dict[str, tuple[int, int]]:
        """Re-read documents' passages from the graph into both indexes, each index rebuilt and saved once for
        all (BM25 is rebuilt whole: once per document, a batch's ingest was quadratic); returns each one's
        (kept, to embed)."""
        self.store.changed()
        passages = {doc_id: document_passages(self.store, doc_id) for doc_id in doc_ids}
        self.lexical.add_words([n for doc_id in doc_ids for n in dictionary_names(self.store, doc_id)])
        self.lexical.add_documents({doc_id: [(p.iri, p.text) for p in rows] for doc_id, rows in passages.items()})
        kill_point("ingest:lexical")
        done = {doc_id: self.dense.set_document(doc_id, rows, save=False) for doc_id, rows in passages.items()}
        self.dense.save()
        kill_point("ingest:indexed")
        self._set_changing(self._changing - set(doc_ids))
        return done

    @_writes
    def delete_document(self, doc_id: str) -> None:
        self.store.changed()
        self.lexical.delete_document(doc_id)
        kill_point("delete:lexical")
        self.dense.delete_document(doc_id)
        self._set_changing(self._changing - {doc_id})

    @_writes
    def reconcile(self) -> dict:
        """Both indexes brought in line with the stored documents: those gone are dropped, those
        missing from an index or left changing by a killed writer are re-read, and all of them when the
        passages were made another way (:data:`~kg.search.passages.PASSAGES_FORMAT`).  Returns
        ``{"removed": n, "added": n}``."""
        stored = self.store.document_ids()
        dense, lexical = self.dense.documents(), self.lexical.documents()
        gone = sorted((dense | lexical | self._changing) - stored)
        remade = self.dense.passages_format != PASSAGES_FORMAT
        stale = sorted(stored if remade else (stored - dense) | (stored - lexical) | (self._changing & stored))
        for doc_id in gone:
            self.delete_document(doc_id)
        if stale:
            self.update_documents(stale)
        if remade:
            self.dense.passages_format = PASSAGES_FORMAT
        return {"removed": len(set(gone) & (dense | lexical)), "added": len(stale)}

    def pending(self) -> int:
        return self.dense.pending()

    @_writes
    def embed_pending(self, progress: Callable[[int], None] | None = None) -> int:
        if not self.dense.pending():
            return 0
        self.store.changed()
        return self.dense.embed_pending(self.encoder, progress=progress)

    def sync(self, progress: Callable[[int], None] | None = None) -> dict:
        """Bring both indexes in line with the store's documents (counting what opening repaired), then
        embed what is queued."""
        done = self.reconcile()
        counts = {k: done[k] + self.repaired.get(k, 0) for k in ("removed", "added")}
        self.repaired = {}
        return {**counts, "embedded": self.embed_pending(progress)}


def allowed_rows(index: SearchIndex, filters: Filters | dict | None) -> np.ndarray | None:
    """The rows of :meth:`SearchIndex.table` that ``filters`` allow, as a boolean mask; ``None`` when
    there is no filter."""
    allow = allowed(index.store, filters)
    return None if allow is None else index.table().mask(allow)


def allowed_passages(index: SearchIndex, filters: Filters | dict | None) -> list[str] | None:
    """The IRIs of the passages ``filters`` allow; ``None`` when there is no filter."""
    mask = allowed_rows(index, filters)
    return None if mask is None else [index.table().iris[i] for i in np.flatnonzero(mask)]

"""The dense and lexical indexes of one store, kept in step with its document graphs.

:class:`SearchIndex` keeps the FAISS and BM25 indexes in ``{store}/search/``: a document's passages
are re-read from its graph on ingest, dropped on delete, and embedded in batches afterwards
(:meth:`SearchIndex.embed_pending`).  :func:`allowed_rows` turns a filter into a row mask of its
:class:`~kg.search.table.PassageTable`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from ..embed import load_encoder
from ..filters import Filters, allowed
from .dense import DenseIndex
from .lexical import LexicalIndex
from .passages import dictionary_names, document_passages
from .table import PassageTable


class SearchIndex:
    """The dense and lexical indexes of one store, in ``{store}/search/``; kept in step with its graphs."""

    def __init__(self, store, hnsw_threshold: int | None = None):
        self.store = store
        self.folder = Path(store.path) / "search"
        kwargs = {} if hnsw_threshold is None else {"hnsw_threshold": hnsw_threshold}
        self.dense = DenseIndex(self.folder, **kwargs)
        self.lexical = LexicalIndex(self.folder / "lexical")
        self._encoder = None
        self._table: tuple[tuple[int, int], PassageTable] | None = None
        self.model: str | None = None
        if not self.lexical.words:
            self.lexical.add_words(dictionary_names(store))

    @property
    def encoder(self):
        if self._encoder is None:
            encoder = load_encoder(self.model)
            self.dense.use_model(encoder.path.name)
            self._encoder = encoder
        return self._encoder

    def close(self) -> None:
        self.dense.close()

    def table(self) -> PassageTable:
        """The passages of both indexes as one :class:`PassageTable`, rebuilt after either changes."""
        key = (self.dense.version, self.lexical.version)
        if self._table is None or self._table[0] != key:
            self._table = (key, PassageTable(self.lexical.iris(), self.dense.catalog()))
        return self._table[1]

    def update_document(self, doc_id: str) -> tuple[int, int]:
        """Re-read one document's passages from the graph into both indexes; returns (kept, to embed)."""
        passages = document_passages(self.store, doc_id)
        self.lexical.add_words(dictionary_names(self.store, doc_id))
        self.lexical.add_document(doc_id, [(p.iri, p.text) for p in passages])
        return self.dense.set_document(doc_id, passages)

    def delete_document(self, doc_id: str) -> None:
        self.lexical.delete_document(doc_id)
        self.dense.delete_document(doc_id)

    def pending(self) -> int:
        return self.dense.pending()

    def embed_pending(self, progress: Callable[[int], None] | None = None) -> int:
        if not self.dense.pending():
            return 0
        return self.dense.embed_pending(self.encoder, progress=progress)

    def sync(self, progress: Callable[[int], None] | None = None) -> dict:
        """Bring both indexes in line with the store's documents, then embed what is queued."""
        stored = {d.doc_id for d in self.store.list_documents()}
        indexed = self.dense.documents() | self.lexical.documents()
        for doc_id in sorted(indexed - stored):
            self.delete_document(doc_id)
        added = sorted(stored - self.dense.documents() | (stored - self.lexical.documents()))
        for doc_id in added:
            self.update_document(doc_id)
        return {"removed": len(indexed - stored), "added": len(added), "embedded": self.embed_pending(progress)}


def allowed_rows(index: SearchIndex, filters: Filters | dict | None) -> np.ndarray | None:
    """The rows of :meth:`SearchIndex.table` that ``filters`` allow, as a boolean mask; ``None`` when
    there is no filter."""
    allow = allowed(index.store, filters)
    return None if allow is None else index.table().mask(allow)


def allowed_passages(index: SearchIndex, filters: Filters | dict | None) -> list[str] | None:
    """The IRIs of the passages ``filters`` allow; ``None`` when there is no filter."""
    mask = allowed_rows(index, filters)
    return None if mask is None else [index.table().iris[i] for i in np.flatnonzero(mask)]

"""``BudgetKG``: the one kg object that the CLI and the app use (STYLE 1.1).

Each method does the work and returns plain values; front-ends only translate.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterable

from . import export as _export
from . import queries
from .mapping import map_extraction
from .namespaces import DEFAULT_BASE
from .store import DocumentInfo, Store


@dataclass(frozen=True)
class IngestResult:
    """The outcome for one file: ``ok`` with the document id and triple count, or a one-line ``error``."""

    path: Path
    ok: bool
    doc_id: str | None = None
    triples: int = 0
    warnings: tuple[str, ...] = ()  # one line each: file, place, what
    error: str | None = None

    @property
    def message(self) -> str:
        if self.ok:
            return f"{self.path.name}: {self.doc_id}, {self.triples} triples, {len(self.warnings)} warnings"
        return self.error or f"{self.path.name}: failed"


def _warning_line(path: Path, finding) -> str:
    """``file (page 3, line 120): message`` for one finding."""
    p = finding.provenance
    where = ", ".join(x for x in (p and p.page and f"page {p.page}", p and p.line and f"line {p.line}") if x)
    return f"{path.name}{f' ({where})' if where else ''}: {finding.message}"


def _one_line(path: Path, exc: BaseException) -> str:
    from ingest.errors import IngestError

    if isinstance(exc, IngestError):
        return str(exc).splitlines()[0]
    text = str(exc).strip().splitlines()
    return f"{path.name}: {type(exc).__name__}: {text[0]}" if text else f"{path.name}: {type(exc).__name__}"


class BudgetKG:
    """A budgetkg store opened for ingest and queries.  Use as a context manager or call :meth:`close`."""

    def __init__(self, store_dir: Path | str | None = None, base: str = DEFAULT_BASE, model: str | None = None):
        self.store = Store(store_dir, base=base)
        self.model = model  # embedding model (kg.embed.resolve_model); None: $BUDGETKG_MODEL or the default
        self._index = None

    @classmethod
    def open(cls, store_dir: Path | str | None = None, base: str = DEFAULT_BASE) -> BudgetKG:
        return cls(store_dir, base=base)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        self.store.close()

    def __enter__(self) -> BudgetKG:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- ingest ---
    @staticmethod
    def files(paths: Iterable[Path | str]) -> list[Path]:
        """The files named and the supported files inside the folders named, in order."""
        from ingest.pipeline import iter_files

        return iter_files([Path(p) for p in paths])

    def ingest_file(self, path: Path | str, password: str | None = None,
                    progress: Callable[[int, int], None] | None = None) -> IngestResult:
        """Extract, map and store one file.  Nothing of a failing file is written.

        ``password`` opens an encrypted PDF; ``progress(pages done, pages)`` follows a PDF's pages."""
        from ingest.pipeline import extract

        path = Path(path)
        try:
            ex = extract(path, password=password, progress=progress)
            graph = map_extraction(ex, self.store.base)  # built fully in memory before the swap
            n = self.store.replace_document(ex, graph)
        except Exception as exc:  # one bad file must not stop a batch
            return IngestResult(path, False, error=_one_line(path, exc))
        self.search_index.update_document(ex.document.doc_id)
        return IngestResult(path, True, ex.document.doc_id, n, tuple(_warning_line(path, f) for f in ex.findings))

    def ingest(self, paths: Iterable[Path | str],
               progress: Callable[[IngestResult], None] | None = None, password: str | None = None,
               pages: Callable[[Path, int, int], None] | None = None) -> list[IngestResult]:
        """Ingest files and folders; ``progress`` is called after each file, ``pages(path, done, total)``
        after each page of a PDF; ``password`` is tried on encrypted PDFs."""
        results = []
        for path in self.files(paths):
            on_page = None if pages is None else (lambda done, total, path=path: pages(path, done, total))
            result = self.ingest_file(path, password=password, progress=on_page)
            results.append(result)
            if progress is not None:
                progress(result)
        return results

    def ingest_extraction(self, extraction) -> int:
        """Store an already extracted document (tests, other front-ends); returns its triple count."""
        n = self.store.replace_document(extraction, map_extraction(extraction, self.store.base))
        self.search_index.update_document(extraction.document.doc_id)
        return n

    # --- reading ---
    def documents(self) -> list[DocumentInfo]:
        return self.store.list_documents()

    def delete(self, doc_id: str) -> int:
        """Remove one document's graph; :class:`~kg.store.DocumentNotFound` if absent."""
        n = self.store.delete_document(doc_id)
        self.search_index.delete_document(doc_id)
        return n

    # --- search (DESIGN §7) ---
    @property
    def search_index(self):
        """The dense + lexical indexes in ``{store}/search/`` (opened on first use)."""
        if self._index is None:
            from .search import SearchIndex

            self._index = SearchIndex(self.store)
            self._index.model = self.model
        return self._index

    def pending_embeddings(self) -> int:
        """Passages ingested but not embedded yet (ingest queues them; search embeds them first)."""
        return self.search_index.pending()

    def embed(self, progress: Callable[[int], None] | None = None) -> int:
        """Embed every queued passage in batches; ``progress(n)`` after each batch.  Returns how many."""
        return self.search_index.embed_pending(progress)

    def reindex(self, progress: Callable[[int], None] | None = None) -> dict:
        """Bring the search indexes in line with the stored documents (after an upgrade or a crash)."""
        return self.search_index.sync(progress)

    def search(self, query: str, filters=None, top_k: int = 10, weights: dict[str, float] | None = None,
               mode: str = "hybrid", by_subject: bool = True):
        """Hybrid search: ``filters`` (:class:`kg.filters.Filters` or a dict) restrict the passages in SPARQL
        first, then dense and lexical ranks are fused (``weights``: ``{"dense": 1, "lexical": 1}``)."""
        from .search import search

        return search(self.search_index, query, filters, top_k=top_k, weights=weights, mode=mode,
                      by_subject=by_subject)

    def search_sparql(self, filters) -> str:
        """The filter query :meth:`search` runs first, for printing."""
        from .filters import filter_query
        from .namespaces import sparql_prologue

        return sparql_prologue(self.store.base) + filter_query(filters, self.store)

    def evaluate_search(self, queries, weights: dict[str, float] | None = None):
        """recall@5, MRR and nDCG@10 of dense, lexical and hybrid over judged queries (a path or dicts)."""
        from .search import evaluate, read_queries

        if isinstance(queries, (str, Path)):
            queries = read_queries(queries)
        return evaluate(self.search_index, queries, weights=weights)

    def facets(self):
        """The values each search filter can take in this store (:class:`kg.facets.Facets`)."""
        from .facets import facets

        return facets(self.store)

    def query_terms(self, query: str) -> list[str]:
        """The words lexical search looks for in ``query`` (jieba with the budget dictionary), for highlighting."""
        from .search.lexical import query_words

        return query_words(query, self.search_index.lexical.tk)

    def cites(self, ref: str) -> list[queries.CitesHit]:
        return queries.cites(self.store, ref)

    def cites_sparql(self, ref: str) -> str:
        """The query :meth:`cites` runs, for printing."""
        from .namespaces import sparql_prologue

        return sparql_prologue(self.store.base) + queries.cites_sparql(ref)

    def sparql(self, query: str, timeout: float = queries.DEFAULT_TIMEOUT_S,
               limit: int = queries.DEFAULT_ROW_LIMIT) -> queries.QueryResult:
        return queries.run_sparql(self.store, query, timeout=timeout, limit=limit)

    def example_queries(self) -> dict[str, str]:
        """``{title: SPARQL}`` to start from, naming a law and a department of this store."""
        from .examples import example_queries

        return example_queries(self.store)

    def entity(self, iri: str) -> queries.Entity:
        return queries.entity(self.store, iri)

    def export(self, fmt: str, out: IO[bytes], doc_id: str | None = None, entity: str | None = None) -> None:
        """The store, one document (``doc_id``) or one entity's description (``entity``, an IRI) as RDF."""
        _export.export(self.store, fmt, out, doc_id, entity=entity)

    def graph(self, doc_id: str):
        """One document's graph in memory (rdflib)."""
        return self.store.graph(doc_id)

    def validate(self, doc_id: str) -> tuple[bool, str]:
        """SHACL conformance of one stored document."""
        from .checks import validate

        return validate(self.store.graph(doc_id))

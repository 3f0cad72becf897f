"""``BudgetKG``: the one kg object that front-ends use (STYLE 1.1), with :mod:`kg.types` for what it returns.

Each method does the work and returns plain values or the typed records of :mod:`kg.types`;
front-ends only translate.  Nothing outside kg needs the store behind it.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING, Callable, Iterable

from . import export as _export
from . import queries
from .namespaces import DEFAULT_BASE
from .outcome import INTERNAL, error_line, failed, stored  # noqa: F401  INTERNAL: the code front-ends compare
from .settings import Cluster, Endpoint, Settings
from .store import DocumentInfo, Store
from .types import BudgetCharts, Extracted, IngestResult

if TYPE_CHECKING:
    from pandas import DataFrame

    from .findings import StoredFinding
    from .types import BudgetRef, EntityView, Match

EXTRACTED_KINDS = ("units", "line_items", "projects", "department_indicators", "chunks", "findings")  # counted


class BudgetKG:
    """A budgetkg store opened for ingest and queries.  Use as a context manager or call :meth:`close`."""

    def __init__(self, store_dir: Path | str, base: str = DEFAULT_BASE, model: str | None = None,
                 endpoint: Endpoint | None = None):
        self.store = Store(store_dir, base=base, endpoint=endpoint)
        self.model = model  # embedding model (a local sentence-transformers folder); None: the default model
        self._index = None

    @classmethod
    def open(cls, settings: Settings | Path | str, base: str = DEFAULT_BASE, model: str | None = None) -> BudgetKG:
        """The store of ``settings`` (:func:`kg.settings.resolve`: a directory or a SPARQL server), or the store
        directory given with ``base`` and ``model``."""
        if isinstance(settings, Settings):
            return cls(settings.store_dir, base=settings.base, model=settings.model, endpoint=settings.endpoint)
        return cls(settings, base=base, model=model)

    @property
    def store_dir(self) -> Path:
        """The store's local directory, absolute (a server store's: its search indexes and file copies)."""
        return Path(self.store.path).resolve()

    @property
    def version(self) -> str:
        """A stamp that every budgetkg write to this store renews, in any process sharing its directory (a
        server store's other clients): results computed at one version hold until it changes."""
        return self.store.version()

    @property
    def location(self) -> str:
        """Where the graphs are: the store directory, or the URL of its SPARQL server."""
        return str(self.store_dir) if not self.store.engine.remote else self.store.location

    @property
    def base(self) -> str:
        """The IRI base of the store's entities (``kg:`` in displays)."""
        return self.store.base

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        self.store.close()

    def __enter__(self) -> BudgetKG:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @staticmethod
    def value_label(kind: str, code: str) -> str:
        """A coded value spelled out in Chinese (``kind``: ``field``, ``subjectType``… of
        :data:`kg.labels.VALUES`); an unknown code as it is."""
        from .labels import VALUES

        return VALUES.get(kind, {}).get(code, code)

    # --- ingest ---
    @staticmethod
    def supported_suffixes() -> tuple[str, ...]:
        """The file types ingest reads (``.txt``, ``.md``, ``.pdf``)."""
        from ingest.pipeline import SUFFIXES

        return SUFFIXES

    @staticmethod
    def files(paths: Iterable[Path | str]) -> list[Path]:
        """The files named and the supported files inside the folders named, in order."""
        from ingest.pipeline import iter_files

        return iter_files([Path(p) for p in paths])

    def ingest_file(self, path: Path | str, password: str | None = None,
                    progress: Callable[[int, int], None] | None = None) -> IngestResult:
        """Extract, map and store one file.  Nothing of a failing file is written: a failure after the
        graph was committed puts the previous graph back (see :meth:`_store`).

        ``password`` opens an encrypted PDF; ``progress(pages done, pages)`` follows a PDF's pages."""
        return self.ingest_together([path], password=password, progress=progress)

    def ingest_together(self, paths: Iterable[Path | str], password: str | None = None,
                        progress: Callable[[int, int], None] | None = None) -> IngestResult:
        """Extract, map and store files that are one disclosure (narrative, tables and forms published
        apart) as one document, as :meth:`ingest_file` does one file; the store keeps a copy of each."""
        files = tuple(Path(p) for p in paths)
        if not files:
            raise ValueError("a disclosure needs at least one file")
        return self._ingest(files, password, progress)

    def _ingest(self, files: tuple[Path, ...], password: str | None, progress: Callable[[int, int], None] | None,
                note: str | None = None, readings=None) -> IngestResult:
        """One disclosure's files extracted (``readings``: those already read) and stored; ``note`` says
        why they were joined."""
        batches = self._batches()
        return (batches.add(self._read(files, password, progress, note, readings)) + batches.flush())[0]

    def _read(self, files: tuple[Path, ...], password: str | None, progress: Callable[[int, int], None] | None,
              note: str | None = None, readings=None):
        """One disclosure's files extracted and mapped (:class:`kg.batch.Item`, built fully in memory before
        its write), or the result of its failure (one bad file must not stop a batch)."""
        from ingest.pipeline import extract_disclosure

        from . import mapping
        from .batch import Item
        from .embed.similarity import text_similarity

        try:
            ex = extract_disclosure(files, password=password, progress=progress,
                                    similarity=text_similarity(self.model), readings=readings)
            graph = mapping.map_ntriples(ex, self.store.base)
        except Exception as exc:  # one bad file must not stop a batch
            return failed(files, *error_line(files[0], exc), note)
        return Item(files, ex, graph, note)

    def _batches(self):
        """Writes of what ingest read, a batch at a time (:class:`kg.batch.Batches`)."""
        from .batch import Batches

        return Batches(self._write)

    def _write(self, items) -> list:
        """Store and index read documents in one write, all or nothing per document (:func:`kg.batch.write`):
        each one's triple count or the error that failed it."""
        from .batch import write

        with self.store.writing():  # the index opened (and reconciled) under the lock the write holds
            return write(self.store, self.search_index, items)

    def ingest(self, paths: Iterable[Path | str],
               progress: Callable[[IngestResult], None] | None = None, password: str | None = None,
               pages: Callable[[Path, int, int], None] | None = None, together: bool = False,
               cluster: Cluster | None = None) -> list[IngestResult]:
        """Ingest files and folders, the parts of a disclosure published as several files joined into one
        document (:mod:`ingest.disclosure`: only where what they print says so; ``together``: all the files
        are one disclosure).  ``progress`` is called after each disclosure is written (the documents read go
        to the store in batches, :mod:`kg.batch`: a line comes within seconds of a document's reading),
        ``pages(path, done, total)`` after each page of a PDF; ``password`` is tried on encrypted PDFs.
        ``cluster`` (:func:`kg.settings.resolve_cluster`) reads a batch of several files on Dask
        (:mod:`kg.parallel`; no page progress there), each disclosure written in the batch's order as the
        sequential path does."""
        from ingest.disclosure import Disclosure, group_files

        from .embed.similarity import text_similarity

        files = self.files(paths)
        if cluster is not None and len(files) > 1 and not together:
            return self._ingest_on(cluster, files, password, progress)
        if together and files:
            groups = [Disclosure(tuple(files))]
        elif len(files) > 1:
            groups = group_files(files, text_similarity(self.model), password, pages)
        else:
            groups = [Disclosure((f,)) for f in files]
        results: list[IngestResult] = []
        batches = self._batches()
        for group in groups:
            path = group.paths[0]
            on_page = None if pages is None else (lambda done, total, path=path: pages(path, done, total))
            _told(results, batches.add(self._read(group.paths, password, on_page, group.reason, group.readings)),
                  progress)
        _told(results, batches.flush(), progress)
        return results

    def _ingest_on(self, cluster: Cluster, files: list[Path], password: str | None,
                   progress: Callable[[IngestResult], None] | None) -> list[IngestResult]:
        """:meth:`ingest` of a batch read on ``cluster``: the disclosures stored here as their readings come
        back, in the batch's order (the cluster is shut down at the end, also on an error or Ctrl-C)."""
        from . import parallel
        from .batch import Item

        results: list[IngestResult] = []
        batches = self._batches()
        with parallel.connect(cluster) as client:
            for disclosure, read in parallel.read_batch(client, files, self.model, password, self.store.base):
                entry = failed(disclosure.paths, read.error, read.code, disclosure.reason) if read.error is not None \
                    else Item(disclosure.paths, read.extraction, read.graph, disclosure.reason)
                _told(results, batches.add(entry), progress)
            _told(results, batches.flush(), progress)
        return results

    def ingest_extraction(self, extraction) -> int:
        """Store an already extracted document (tests, other front-ends); returns its triple count (the
        error that failed it is raised)."""
        from . import mapping
        from .batch import Item

        [outcome] = self._write([Item((), extraction, mapping.map_ntriples(extraction, self.store.base))])
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    # --- serving ---
    @staticmethod
    def serve(store_dir: Path | str, host: str = "127.0.0.1", port: int = 7878, read_only: bool = False,
              base: str = DEFAULT_BASE, timeout: float | None = None,
              ready: Callable[[str], None] | None = None) -> int:
        """Serve the store directory over SPARQL on ``host:port`` (Oxigraph behind budgetkg's checking front,
        :mod:`kg.serve`) until stopped (Ctrl+C); ``ready(url)`` once it answers at ``url`` (what ``--store``
        takes).  ``read_only``: writes refused (required beyond loopback); ``timeout``: the server's own limit
        on a query, in seconds (:data:`kg.serve.SERVER_TIMEOUT_S`).  Returns the server's exit status;
        :class:`~kg.errors.StoreError` when it cannot start."""
        from .serve import SERVER_TIMEOUT_S, check_host, free_port, run_server, server_command

        check_host(host, read_only, str(store_dir))
        seconds = SERVER_TIMEOUT_S if timeout is None else timeout
        private = free_port()
        command = server_command(store_dir, private, read_only=read_only, base=base, timeout=seconds)
        return run_server(command, private, (host, port), read_only, seconds, ready or (lambda url: None))

    # --- reading ---
    def documents(self) -> list[DocumentInfo]:
        return self.store.list_documents()

    def delete(self, doc_id: str) -> int:
        """Remove one document's graph; :class:`~kg.store.DocumentNotFound` if absent."""
        with self.store.writing():
            index = self.search_index  # opened (and reconciled) before the graph goes
            n = self.store.delete_document(doc_id)
            index.delete_document(doc_id)
        return n

    # --- search (DESIGN §7) ---
    @property
    def search_index(self):
        """The dense + lexical indexes in ``{store}/search/`` (opened on first use; read again when another
        process sharing the directory wrote since)."""
        if self._index is None:
            from .search import SearchIndex

            self._index = SearchIndex(self.store)
            self._index.model = self.model
        else:
            self._index.refresh()
        return self._index

    def preload_model(self) -> None:
        """Start loading the embedding model in the background, so that the first passage or query finds it
        ready: for a command that will embed or search (not for one that only reads, ingests or deletes)."""
        from .embed import preload_encoder

        preload_encoder(self.model)

    def pending_embeddings(self) -> int:
        """Passages ingested but not embedded yet (ingest queues them; search embeds them first)."""
        return self.search_index.pending()

    def embed(self, progress: Callable[[int], None] | None = None) -> int:
        """Embed every queued passage in batches; ``progress(n)`` after each batch.  Returns how many."""
        return self.search_index.embed_pending(progress)

    def reindex(self, progress: Callable[[int], None] | None = None) -> dict:
        """Bring the search indexes in line with the stored documents (after an upgrade or a crash)."""
        return self.search_index.sync(progress)

    def outdated(self) -> list[str]:
        """The stored documents read by an older version of budgetkg (:meth:`refresh_outdated` renews them)."""
        return self.store.outdated_documents()

    def refresh_outdated(self, progress: Callable[[IngestResult], None] | None = None) -> list[IngestResult]:
        """Read every outdated document again from the copy of its files the store keeps, under the names
        they were ingested with, and replace its graph (all or nothing per document, as ingest does).
        A document whose files are gone (or that needs a password) keeps its graph and gets an error."""
        import tempfile

        names = {d.doc_id: d.source_files for d in self.store.list_documents()}
        results = []
        for doc_id in self.outdated():
            kept = self.store.source_files(doc_id)
            with tempfile.TemporaryDirectory(prefix="budgetkg-refresh-") as tmp:
                files = _under_names(kept, names.get(doc_id, ()), Path(tmp))
                if not files:
                    result = IngestResult(Path(doc_id), False, doc_id,
                                          error=f"{doc_id}: the store keeps no copy of its files; ingest them again")
                else:
                    result = self._ingest(files, None, None)
                    if result.ok and result.doc_id != doc_id:  # read anew, it is another document: the old goes
                        self.delete(doc_id)
            results.append(result)
            if progress is not None:
                progress(result)
        return results

    def search(self, query: str, filters=None, top_k: int = 10, weights: dict[str, float] | None = None,
               mode: str = "hybrid", by_subject: bool = True):
        """Hybrid search: ``filters`` (:class:`kg.filters.Filters` or a dict) restrict the passages in SPARQL
        first, then dense and lexical ranks are fused (``weights``: ``{"dense": 1, "lexical": 1}``)."""
        from .search import search

        return search(self.search_index, query, filters, top_k=top_k, weights=weights, mode=mode,
                      by_subject=by_subject)

    def understand(self, query: str):
        """A plain-word question read as filters, the words left to search and the spans each came from
        (:class:`kg.search.understand.Understood`), by the names this store's documents give."""
        from .search.understand import lookups, understand

        return understand(query, lookups(self.store))

    def ask(self, query: str, drop: Iterable[str] = (), filters=None, top_k: int = 10, hits: bool = True):
        """A question in plain words: :meth:`understand`, the recognised filters but ``drop`` (their words
        go back to the text) under the explicit ``filters`` (which win), the answer card
        (:class:`kg.search.answer.Answer`, ``None`` when nothing is asked) and, with ``hits``, the search
        of the words left (the whole query when none is left)."""
        from .filters import Filters
        from .search.answer import answer
        from .types import Asked

        understood = self.understand(query).without(drop)
        merged = Filters.resolve(filters).over(understood.filters)  # a given bound replaces the question's whole
        card = answer(self.store, understood, merged)
        found = self.search(understood.text or query, merged, top_k=top_k) if hits and query.strip() else []
        return Asked(understood, merged, card, found)

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

    def evaluate_questions(self, questions, file_of: dict[str, str] | None = None):
        """Exact-filter and correct-answer rates over judged plain-word questions (a path or dicts);
        ``file_of``: document id → the file name the questions give (default: the ingested names)."""
        from .search.questions import evaluate_questions, read_questions

        if isinstance(questions, (str, Path)):
            questions = read_questions(questions)
        return evaluate_questions(self, questions, file_of)

    @staticmethod
    def question_files(questions: Path | str) -> set[str]:
        """The document file names a judged question set answers from."""
        from .search.questions import question_files, read_questions

        return question_files(read_questions(questions))

    def facets(self):
        """The values each search filter can take in this store (:class:`kg.facets.Facets`)."""
        from .facets import facets

        return facets(self.store)

    def query_terms(self, query: str) -> list[str]:
        """The words lexical search looks for in ``query`` (jieba with the budget dictionary), for highlighting."""
        return self.search_index.lexical.query_words(query)

    def cites(self, ref: str) -> list[queries.CitesHit]:
        """The projects citing a law, by 文号 (any bracket or spacing variant) or title."""
        return queries.cites(self.store, ref)

    @staticmethod
    def ref_keys(ref: str) -> list[str]:
        """The normalised 文号 or title keys :meth:`cites` looks for."""
        return queries.ref_keys(ref)

    def cites_sparql(self, ref: str) -> str:
        """The query :meth:`cites` runs, for printing."""
        from .namespaces import sparql_prologue

        return sparql_prologue(self.store.base) + queries.cites_sparql(ref)

    def findings(self, doc_ids: Iterable[str] | None = None, severity: str | None = None,
                 rule_prefix: str | None = None, concerning: str | None = None,
                 family: str | None = None) -> list[StoredFinding]:
        """The findings of the stored documents ``doc_ids`` (all: None), of one ``severity``
        (``warning``…), whose rule starts with ``rule_prefix`` (``reconcile.``), that concern the entity
        ``concerning`` (an IRI, raw Chinese or relative to the base), of one rule ``family`` (a key of
        :data:`kg.types.FAMILY_ZH`): each with its message, page, family, compared values (label, amount,
        page, snippet) and the entities it concerns."""
        from .findings import read_findings

        return read_findings(self.store, doc_ids, severity, rule_prefix, concerning, family)

    def finding_counts(self, subjects: Iterable[str]) -> dict[str, int]:
        """How many findings concern each of ``subjects`` (IRIs; each a key, as given): the badge of a
        document, budget or project page."""
        from .findings import count_findings

        return count_findings(self.store, subjects)

    def sparql(self, query: str, timeout: float = queries.DEFAULT_TIMEOUT_S,
               limit: int = queries.DEFAULT_ROW_LIMIT) -> queries.QueryResult:
        """A read-only query (prefixes predefined); :class:`~kg.errors.QueryError` with a code when refused."""
        return queries.run_sparql(self.store, query, timeout=timeout, limit=limit)

    def example_queries(self) -> dict[str, str]:
        """``{title: SPARQL}`` to start from, naming a law and a department of this store."""
        from .examples import example_queries

        return example_queries(self.store)

    def entity(self, iri: str) -> queries.Entity:
        """The statements about one IRI (raw Chinese or relative to the base) and the links to it."""
        return queries.entity(self.store, iri)

    def export(self, fmt: str, out: IO[bytes], doc_id: str | None = None, entity: str | None = None) -> None:
        """The store, one document (``doc_id``) or one entity's description (``entity``, an IRI) as RDF."""
        _export.export(self.store, fmt, out, doc_id, entity=entity)

    # --- entity pages (DESIGN §8) ---
    def entity_view(self, iri: str) -> EntityView:
        """One entity's page as data: label, type, facts, links in and out, sources, neighbourhood."""
        from .browse import entity_view

        return entity_view(self.store, iri)

    @staticmethod
    def neighbourhood_dot(view: EntityView, url_for: Callable[[str], str] | None = None) -> str:
        """The neighbourhood of an entity view as Graphviz DOT; ``url_for(iri)`` makes nodes links."""
        from .browse import neighbourhood_dot

        return neighbourhood_dot(view, url_for)

    def lookup(self, text: str, limit: int = 30) -> list[Match]:
        """Entities whose name, 文号 or code contains ``text``, shortest name first."""
        from .browse import lookup

        return lookup(self.store, text, limit=limit)

    def landmarks(self, limit: int = 12) -> dict[str, list[Match]]:
        """Starting points for browsing: the departments, and the laws cited by the most projects."""
        from .browse import landmarks

        return landmarks(self.store, limit=limit)

    def page_image(self, doc_id: str, page: int, bbox: tuple[float, float, float, float] | None = None,
                   source: str | None = None) -> bytes:
        """A page of a document's source PDF as PNG, ``bbox`` outlined; ``source``: which file of a disclosure
        read from several (a :class:`~kg.types.Source`'s ``source_file``).  :class:`~kg.errors.PageImageError`
        when it cannot be drawn."""
        from .page_image import page_image

        return page_image(self.store, doc_id, page, bbox, source=source)

    # --- charts ---
    def budgets(self) -> list[BudgetRef]:
        """Every budget in the store (a 部门预算 and a 单位预算 of one department-year-phase are two)."""
        from . import charts

        return charts.budgets(self.store)

    @staticmethod
    def find_budget_in(refs: list[BudgetRef], department: str | None = None, year: int | str | None = None,
                       phase: str | None = None, budget: str | None = None) -> BudgetRef | None:
        """The budget of ``refs`` for a department, year and phase (or its IRI, ``budget``); unset parts
        pick the latest, a 部门预算 before a 单位预算."""
        from . import charts

        return charts.find_budget_in(refs, department, year, phase, budget)

    def budget_charts(self, budget: str, level: str = "类", top: int = 15) -> BudgetCharts:
        """The chart data of one budget (its IRI) at functional/economic ``level`` (类/款), ``top`` projects."""
        from . import charts

        return BudgetCharts(
            functional=charts.functional(self.store, budget, level),
            economic=charts.economic(self.store, budget, level),
            split=charts.basic_vs_project(self.store, budget),
            projects=charts.top_projects(self.store, budget, top),
            total=charts.expenditure_total(self.store, budget))

    def budgets_compared(self) -> DataFrame:
        """One row per department-year-phase: department, year, phase, total, basic, project."""
        from . import charts

        return charts.across(self.store)

    def functional_by_year(self, department: str, level: str = "类") -> DataFrame:
        """One department's functional classes in each of its budgets."""
        from . import charts

        return charts.functional_by_year(self.store, department, level)

    def compare(self, department: str | None = None, years: str | Iterable[int] | None = None,
                phase: str | None = None, vs_final: int | str | None = None,
                with_departments: Iterable[str] = (), year: int | str | None = None, top: int = 15):
        """A comparison (:class:`kg.compare.Comparison`) of ``department`` (any name it goes by): with
        ``with_departments``, the departments side by side in ``year`` (else the latest of ``years``, else
        the latest year they all have); with ``vs_final``, the 预算 vs the 决算 of that year; else its budgets
        (``phase``: 预算/决算) over ``years`` (``2023-2025``, ``2023,2024`` or ints; None: all)."""
        from . import compare as c

        if not department:
            raise c.CompareError("no department", "department_not_found", name="")
        chosen = tuple(int(y) for y in years) if years is not None and not isinstance(years, str) else \
            c.parse_years(years)
        ph = c.parse_phase(phase)
        if vs_final not in (None, ""):
            return c.execution(self.store, department, int(c.parse_years(str(vs_final))[0]))
        others = [d for d in with_departments if d]
        if others:
            when = c.parse_years(str(year))[0] if year not in (None, "") else chosen[-1] if chosen else None
            return c.side_by_side(self.store, [department, *others], when, ph)
        return c.by_year(self.store, department, chosen, ph, top)

    def department_named(self, name: str) -> str:
        """The full name of the department ``name`` names (full, short or region-prefixed, or its IRI);
        :class:`~kg.errors.CompareError` when none or several do."""
        from .compare import resolve_department

        return resolve_department(self.store, name)[1]

    @staticmethod
    def compare_years(text: str | None) -> tuple[int, ...] | None:
        """``2023-2025`` / ``2023,2024`` as years (None: every year); a ``QueryError`` for anything else."""
        from .compare import parse_years

        return parse_years(text)

    # --- one document ---
    def graph(self, doc_id: str):
        """One document's graph in memory (rdflib)."""
        return self.store.graph(doc_id)

    def validate(self, doc_id: str) -> tuple[bool, str]:
        """SHACL conformance of one stored document."""
        from .checks import validate

        return validate(self.store.graph(doc_id))

    # --- extraction and its scores (no store needed) ---
    @staticmethod
    def extract(path: Path | str, password: str | None = None, model: str | None = None) -> Extracted:
        """Read one file without storing it: its document, record counts and records in the gold schema.

        Table titles no known wording names are matched by the embedding ``model`` (None: the default).
        A file that cannot be read raises :class:`ingest.errors.IngestError` (one line)."""
        from ingest.pipeline import extract

        from .embed.similarity import text_similarity

        ex = extract(Path(path), password=password, similarity=text_similarity(model))
        d = ex.document
        counts = {kind: len(getattr(ex, kind)) for kind in EXTRACTED_KINDS}
        return Extracted(d.doc_id, d.department, d.year, d.phase, counts, _scorer().extraction_to_gold(ex))

    @staticmethod
    def evaluate_extraction(gold: Iterable[Path | str], docs: Iterable[Path | str] | None = None):
        """Score extraction against gold files (documents found beside or near them unless given): a report
        with ``format_table()`` and ``ok``."""
        docs = [Path(p) for p in docs or ()]
        return _scorer().evaluate_files([Path(p) for p in gold], docs or None)

    @staticmethod
    def shared_folder() -> Path | None:
        """The shared data folder (``seeds/``, ``pdfs/``, ``eval/``), if found."""
        return _scorer().find_shared()

    @staticmethod
    def default_search_queries() -> Path | None:
        """The judged search queries of the shared data folder (``shared/eval/queries.jsonl``), if found."""
        shared = _scorer().find_shared()
        path = shared / "eval" / "queries.jsonl" if shared else None
        return path if path is not None and path.is_file() else None


def _told(results: list[IngestResult], ready: list[IngestResult],
          progress: Callable[[IngestResult], None] | None) -> None:
    """Results written: kept, and each told to ``progress``."""
    for result in ready:
        results.append(result)
        if progress is not None:
            progress(result)


def _scorer():
    """The extraction scorer (gold schema, scores, the shared data folder); imported here only."""
    from ingest import scoring

    return scoring


def _under_names(kept: list[Path], names: tuple[str, ...], folder: Path) -> tuple[Path, ...]:
    """The store's copies of a document's files copied into ``folder`` under the names the document
    was read from (a one-file copy is kept as ``{doc_id}{suffix}``); ``()`` if none is kept."""
    import shutil

    if not kept:
        return ()
    if len(kept) == 1 and len(names) == 1:
        pairs = [(kept[0], names[0])]
    else:  # a folder of parts keeps each file under its own name
        pairs = [(k, k.name) for k in kept]
    out = []
    for source, name in pairs:
        target = folder / Path(name).name
        shutil.copyfile(source, target)
        out.append(target)
    return tuple(out)

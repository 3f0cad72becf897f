"""The persistent store: a SPARQL engine holding the graphs, and a local directory (DESIGN §6).

One named graph per document (``doc/{doc_id}``); the ontology and codelists live in
graphs of their own.  The engine (:mod:`kg.engine`) is an Oxigraph directory opened in this process or
a SPARQL 1.1 server (:mod:`kg.endpoint`, ``--store http://host:port``); everything of kg reads and writes
through this class, so both behave the same.  The local directory holds the search indexes and the copies
of ingested files (for an embedded store, the Oxigraph database too); several processes on one server
share it under :class:`kg.locks.FolderLock`.

The default graph is the *set* union of every named graph, kept in step by each write: a fact that
two documents state (a department's label, a codelist concept) is there once, so a query without
``GRAPH`` (user SPARQL, the named queries) counts each fact once, while ``GRAPH ?g`` still says which
documents state it.  (Oxigraph's union default graph is a multiset: one row per graph.)  Removing a
graph removes from the default graph exactly the facts no other named graph states: the named graphs
are the reference counts.

Every write of documents is one batch (:meth:`Store.add_documents`; ingest batches them, :mod:`kg.batch`).
Replacing documents is one SPARQL update (per graph: its facts no other graph states leave the default graph,
``DROP GRAPH``, ``INSERT DATA``, the new facts added to the default graph), which Oxigraph applies as a
single transaction: the graphs are built completely in memory first, and a failure leaves the previous
versions untouched.  A large batch's new graphs go through the bulk loader instead, and the rest of the
batch (graphs it replaces) follows as the one update that commits it; a write that fails or is killed before
that update is undone (:meth:`Store._bulk_load`).  A store written before the default graph was kept is
filled once on open.

A copy of each document's source file is kept in ``sources/`` so that the store stands on its own:
page images can be drawn after the original has moved, and uploads need no other home.  A disclosure of
one file is kept as ``{doc_id}{suffix}``; one published as several files (tables and narrative apart) as
a folder ``{doc_id}/`` holding each file under its name (the name its facts' provenance gives).  The copy
is staged as ``{doc_id}{suffix}.part`` or ``{doc_id}.part/`` (fsynced) before the graph is swapped in and
renamed after.  Opening a store removes the temp files of killed writers (:mod:`kg.atomic`) and settles
the source copies (:meth:`Store.settle_sources`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence, TypeVar

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, XSD

from . import links
from . import sparql_terms as terms
from .atomic import TEMP_SUFFIX, clean_temp, fsync_tree, remove, replace, write_text
from .engine import EmbeddedEngine, Engine
from .errors import DocumentNotFound, StoreError
from .iri import Minter
from .killpoints import kill_point
from .locks import FolderLock, new_version, read_version
from .namespaces import DEFAULT_BASE, bind_all, sparql_prologue
from .ntriples import in_graph, ntriples
from .query_limits import DEFAULT_TIMEOUT_S, rows_in_time
from .settings import DEFAULT_STORE, Endpoint
from .vocab import BGT, ONTOLOGY_DIR

T = TypeVar("T")
PART = ".part"  # a source copy staged for a graph not yet committed
BULK = "bulk.json"  # the graphs a bulk load is writing; left by a killed writer, they are undone on open
BULK_MIN = 20_000  # triples of a write below which it stays one SPARQL update (a transaction) even where all is new:
# the bulk loader pays for files of its own each call, and a document or two take a fraction of a second either way
COUNT_TIMEOUT_S = 120.0  # the documents' triple counts scan every triple (5 s at 1M under load); asked once per write

@dataclass(frozen=True)
class DocumentInfo:
    """One ingested document as listed by :meth:`Store.list_documents`."""

    doc_id: str
    graph: str
    source_file: str | None
    title: str | None
    department: str | None
    year: int | None
    phase: str | None
    triples: int
    source_files: tuple[str, ...] = ()  # every file of the disclosure (one, or its parts published apart)


class Store:
    """A budgetkg store: the local directory ``path`` and the engine (``endpoint``: a SPARQL server; None:
    the Oxigraph database in ``path``).  Use as a context manager or call :meth:`close`."""

    bulk_min = BULK_MIN  # the least triples of a write through the bulk loader (tests lower it)

    def __init__(self, path: Path | str | None = None, base: str = DEFAULT_BASE, endpoint: Endpoint | None = None):
        self.path = Path(DEFAULT_STORE if path is None else path)
        self.minter = Minter(base)
        self.base = self.minter.base
        if endpoint is not None:
            from .endpoint import EndpointEngine

            self.engine: Engine = EndpointEngine(endpoint)
            self.engine.query("ASK {}")  # a server that does not answer leaves no local directory behind
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot open store {self.path}: {exc.strerror or exc}", path=str(self.path)) from exc
        if endpoint is None:
            self.engine = EmbeddedEngine(self.path)
        self.location = self.engine.location  # for messages: the directory or the server's URL
        self.lock = FolderLock(self.path)  # writers of this directory's graph and indexes, one at a time
        self.generation = 0  # counts writes; :meth:`cached` tables are good for one generation
        self.written: str | None = None  # the version this process's last write gave the store
        self._depth = 0  # of nested writing() blocks
        self._cache: dict[str, tuple[tuple[int, str], object]] = {}
        self.ontology_graph = URIRef(self.base + "graph/ontology")
        self.bulk_graph = URIRef(self.base + "graph/bulk")  # a committed bulk write's token, until it is settled
        self.codelist_graph = URIRef(self.base + "graph/codelists")
        try:
            with self.writing():
                self._settle_bulk()
                self._settle_union()
                self._load_ontology()
                self._settle_links()
                clean_temp(self.path)  # what a killed writer left (we hold the lock: no other writer is at work)
                self.settle_sources()
        except BaseException:
            self.engine.close()
            raise

    # --- lifecycle ---
    def close(self) -> None:
        if getattr(self, "engine", None) is not None:
            self.engine.close()
            self.engine = None

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the directory's write lock for a write (re-entrant); a write of the graph inside gives the
        store a new :meth:`version`."""
        with self.lock.hold():
            generation = self.generation
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self.generation != generation:
                    self.written = new_version(self.path)

    def changed(self) -> None:
        """Note a write (of the graph or the indexes): cached tables go, and the store gets a new version."""
        self.generation += 1

    def version(self) -> str:
        """The stamp of the last write to this store by any budgetkg process sharing its directory."""
        return read_version(self.path)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writing ---
    def _replace_graph(self, name: URIRef, graph: Graph | str) -> None:
        """``name`` dropped and filled with ``graph`` (or its N-Triples) in one write (:meth:`_write_graphs`)."""
        self._write_graphs({str(name): graph if isinstance(graph, str) else ntriples(graph)})

    def _drop_graph(self, name: URIRef) -> None:
        """``name`` dropped, the facts only it stated gone from the default graph, and the links graphs of its
        departments rebuilt without it, in one transaction."""
        self._write_graphs({str(name): None})

    def _settle_links(self) -> None:
        """Rebuild the links graphs that do not reflect their department's documents (a store written before
        links were kept, or by another :data:`kg.links.LINKS_FORMAT`), in one transaction."""
        update = links.settle_update(self, _graph_update)
        if update:
            self.generation += 1
            self.engine.update(update)

    def _settle_union(self) -> None:
        """Fill the default graph from the named graphs when it lacks the ontology's stamp (a store
        written before it was kept, or one whose default graph was cleared)."""
        onto = terms.iri(self.ontology_graph)
        missing = f"""ASK {{ GRAPH {onto} {{ {onto} {terms.iri(OWL.versionInfo)} ?v }}
                         FILTER NOT EXISTS {{ {onto} {terms.iri(OWL.versionInfo)} ?v }} }}"""
        if self.engine.query(missing):
            self.generation += 1
            self.engine.update("CLEAR DEFAULT ;\nINSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")

    def _load_ontology(self) -> None:
        """Load the vocabulary and codelists into their own graphs when they changed (a content hash)."""
        files = [ONTOLOGY_DIR / "budget.ttl", *sorted((ONTOLOGY_DIR / "codelists").glob("*.ttl"))]
        stamp = hashlib.sha256(b"".join(f.read_bytes() for f in files) + self.base.encode()).hexdigest()
        graph = terms.iri(self.ontology_graph)
        if self.engine.query(f"ASK {{ GRAPH {graph} {{ {graph} {terms.iri(OWL.versionInfo)} {terms.literal(stamp)} }} }}"):
            return
        onto = Graph().parse(files[0])
        onto.add((self.ontology_graph, OWL.versionInfo, Literal(stamp)))
        codes = Graph()
        for f in files[1:]:
            codes.parse(f)
        if self.base != DEFAULT_BASE:
            codes = _rebase(codes, DEFAULT_BASE, self.base)
        self._replace_graph(self.ontology_graph, onto)
        self._replace_graph(self.codelist_graph, codes)

    def doc_graph(self, doc_id: str) -> URIRef:
        return self.minter.document(doc_id)

    def replace_document(self, extraction, graph, files: Sequence[Path] = ()) -> int:
        """Swap in ``graph`` as the named graph of ``extraction``'s document; returns its triple count: one
        document of :meth:`add_documents`."""
        return self.add_documents([(extraction, graph, files)])[0]

    def add_documents(self, batch: Sequence[tuple[object, object, Sequence[Path]]]) -> list[int]:
        """Store documents in one write, each ``(extraction, graph, files)``: the graph of the extraction's
        document (a :class:`kg.mapping.Mapped`, an rdflib ``Graph``, or its N-Triples, as a Dask worker maps
        it: :mod:`kg.parallel`) replacing any stored one, and ``files``, the disclosure's files, of which the
        store keeps a copy (none given: the document's path).  The links graph of each department the batch
        touches is rebuilt once for the whole batch (not once per document: a department's links graph is
        read and written whole).  Returns the triple counts.

        All or nothing: one SPARQL update (one transaction), or, where the new graphs hold at least
        :data:`BULK_MIN` triples, Oxigraph's bulk loader for them and one update for the rest that commits
        the write (:meth:`_bulk_load`: undone when it fails or is killed before that)."""
        bodies: dict[str, str] = {}
        for extraction, graph, _ in batch:
            name = str(self.doc_graph(extraction.document.doc_id))
            given = getattr(graph, "name", getattr(graph, "identifier", None))
            if given is not None and str(given) != name:
                raise StoreError(f"graph {given} is not the graph of document {extraction.document.doc_id}",
                                 "store_write")
            if name in bodies:
                raise StoreError("a batch holds one document twice", "store_write")
            bodies[name] = graph if isinstance(graph, str) else \
                graph.ntriples() if hasattr(graph, "ntriples") else ntriples(graph)
        kept: list[Path] = []
        try:
            for extraction, _, files in batch:
                if (staged := self._stage_sources(extraction.document, files)) is not None:
                    kept.append(staged)
            kill_point("ingest:staged")
            self._write_graphs(bodies)
        except BaseException:
            for staged in kept:
                remove(staged)
            raise
        kill_point("ingest:committed")
        for staged in kept:
            self._settle(staged, staged.with_suffix(""))
        return [body.count("\n") for body in bodies.values()]  # one line a triple

    def _write_graphs(self, bodies: dict[str, str | None]) -> None:
        """Graphs (name → N-Triples; ``None``: dropped) and the links graphs they change written at once, the
        default graph kept the union: the new graphs through the bulk loader when they hold at least
        :data:`BULK_MIN` triples and the rest (graphs replaced or dropped: a stored department's links graph, a
        document ingested again) as one SPARQL update after it (:meth:`_bulk_load`), else all as one SPARQL
        update (one transaction)."""
        with self.writing():
            self.generation += 1
            graphs = {**bodies, **links.rebuilt_graphs(self, bodies)}
            new = {name: body for name, body in graphs.items() if body is not None
                   and not self.engine.contains_named_graph(ox.NamedNode(name))} if self.engine.bulk else {}
            if new and sum(body.count("\n") for body in new.values()) >= self.bulk_min:
                self._bulk_load(new, {name: body for name, body in graphs.items() if name not in new})
            else:
                self.engine.update(_graphs_update(graphs))

    def _bulk_load(self, bodies: dict[str, str], rest: dict[str, str | None]) -> None:
        """New graphs (name → N-Triples), and their facts into the default graph, through Oxigraph's bulk
        loader (2–3× the rate of a SPARQL update, but no transaction), then the ``rest`` of the write and a
        token naming this load as one SPARQL update, which commits the whole write.  The new graphs are named
        in :data:`BULK` first (written atomically, with the token); a write that fails, or is killed, before
        that update committed is undone: here, or on the next open (:meth:`_settle_bulk`), which keeps the
        write instead when it finds the token in the store.  So the batch is all or nothing."""
        marker, token = self.path / BULK, os.urandom(8).hex()
        write_text(marker, json.dumps({"graphs": sorted(bodies), "token": token}))
        kill_point("bulk:marked")
        committed = False
        try:
            self.engine.bulk_load(_nquads(bodies))
            kill_point("bulk:loaded")
            self.engine.update(" ;\n".join([*([_graphs_update(rest)] if rest else []), self._commit_token(token)]))
            committed = True
            kill_point("bulk:updated")
        except BaseException:
            if not committed:
                self._undo_bulk(sorted(bodies))
                remove(marker)
            raise
        finally:
            if committed:
                self._end_bulk(token)

    def _token(self, token: str) -> str:
        """A bulk write's token as a triple pattern of :attr:`bulk_graph` (data, or an ``ASK`` pattern)."""
        g = terms.iri(self.bulk_graph)
        return f"{g} {terms.iri(self.bulk_graph + '#committed')} {terms.literal(token)} ."

    def _commit_token(self, token: str) -> str:
        """The update writing a bulk write's token, in its graph and the default graph (the union holds)."""
        return f"INSERT DATA {{ {self._token(token)} GRAPH {terms.iri(self.bulk_graph)} {{ {self._token(token)} }} }}"

    def _end_bulk(self, token: str) -> None:
        """A committed bulk write's token and marker removed (a kill between the two leaves the marker, and the
        token that says to keep the write); the token's graph is dropped, an empty named graph stays in Oxigraph."""
        self.engine.update(f"DELETE DATA {{ {self._token(token)} }} ;\nDROP SILENT GRAPH {terms.iri(self.bulk_graph)}")
        remove(self.path / BULK)

    def _settle_bulk(self) -> None:
        """Settle a bulk write a killed writer left (:data:`BULK` names its graphs and token): kept when its
        token is in the store (its last update committed), else undone.  A marker of an older version is a
        list of graphs, undone."""
        marker = self.path / BULK
        if marker.is_file():
            data = json.loads(marker.read_text(encoding="utf-8"))
            graphs, token = (data, None) if isinstance(data, list) else (data["graphs"], data.get("token"))
            if token and self.engine.query(f"ASK {{ GRAPH {terms.iri(self.bulk_graph)} {{ {self._token(token)} }} }}"):
                self._end_bulk(token)
            else:
                self._undo_bulk(graphs)
                remove(marker)

    def _undo_bulk(self, graphs: list[str]) -> None:
        """One transaction: the graphs of an unfinished bulk load dropped and the default graph rebuilt as the
        union of the named graphs (the load may have written some of its default-graph facts and not others)."""
        self.generation += 1
        self.engine.update(" ;\n".join([*(f"DROP SILENT GRAPH {terms.iri(g)}" for g in graphs), "CLEAR DEFAULT",
                                     "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"]))

    def snapshot(self, doc_id: str) -> str | None:
        """A document's graph as N-Triples (``None`` when not stored), for :meth:`restore_document`."""
        if not self.has_document(doc_id):
            return None
        return self.engine.graph_ntriples(terms.node(self.doc_graph(doc_id)))

    def restore_document(self, doc_id: str, snapshot: str | None) -> None:
        """Put a document's graph back as :meth:`snapshot` saw it (``None``: remove it and its source copy),
        to roll back an ingest that failed after its graph was committed."""
        if snapshot is None:
            if self.has_document(doc_id):
                self.delete_document(doc_id)
            return
        self._replace_graph(self.doc_graph(doc_id), snapshot)

    @property
    def sources(self) -> Path:
        return self.path / "sources"

    def _stage_sources(self, document, files: Sequence[Path]) -> Path | None:
        """A temporary copy of the document's file (or folder of its files) beside its final place, moved
        in once the graph is in."""
        if len(files) > 1:
            self.sources.mkdir(exist_ok=True)
            staged = self.sources / f"{document.doc_id}{PART}"
            remove(staged)  # a copy left by a writer killed before this one
            staged.mkdir()
            for src in files:
                shutil.copyfile(src, staged / Path(src).name)
            fsync_tree(staged)  # complete on disk before the graph that needs it is committed
            return staged
        src = Path(files[0]) if files else Path(document.path) if document.path else None
        if src is None or not src.is_file():
            return None
        self.sources.mkdir(exist_ok=True)
        staged = self.sources / f"{document.doc_id}{src.suffix.lower()}{PART}"
        shutil.copyfile(src, staged)
        fsync_tree(staged)  # complete on disk before the graph that needs it is committed
        return staged

    def _settle(self, staged: Path, final: Path) -> None:
        """Move a staged copy in: a folder replaces the folder of an earlier ingest (set aside first, under
        a temp name :func:`kg.atomic.clean_temp` removes if a kill comes between the renames)."""
        if staged.is_dir() and final.exists():
            old = final.with_name(f"{final.name}.{os.getpid()}.old{TEMP_SUFFIX}")
            os.replace(final, old)
            replace(staged, final)
            remove(old)
        else:
            replace(staged, final)

    def settle_sources(self) -> list[Path]:
        """After a killed ingest or delete: a staged copy (``.part``) whose document is stored and whose
        bytes are that document's (the id is their hash) is moved in, other staged copies are removed,
        and so are kept copies of documents no longer stored.  Returns the files removed."""
        if not self.sources.is_dir():
            return []
        stored = self.document_ids()
        removed = []
        for part in sorted(self.sources.glob(f"*{PART}")):
            final = part.with_suffix("")
            doc_id = final.name.split(".")[0]
            files = sorted(part.iterdir()) if part.is_dir() else [part]
            if doc_id in stored and not final.exists() and files and _disclosure_id(files) == doc_id:
                replace(part, final)
            else:
                remove(part)
                removed.append(part)
        for kept in sorted(self.sources.iterdir()):
            if kept.name.split(".")[0] not in stored:
                remove(kept)
                removed.append(kept)
        return removed

    def source_files(self, doc_id: str) -> list[Path]:
        """The kept copies of a document's source files (its one file, or each file of its folder)."""
        if not self.sources.is_dir():
            return []
        folder = self.sources / doc_id
        if folder.is_dir():
            return sorted(folder.iterdir())
        return sorted(p for p in self.sources.glob(f"{doc_id}.*") if p.is_file() and not p.name.endswith(PART))

    def source_file(self, doc_id: str, source: str | None = None) -> Path | None:
        """The kept copy of a document's file ``source`` (the name a provenance gives), or of its one file
        (a disclosure of one file keeps one copy, whatever the name)."""
        folder = self.sources / doc_id
        if folder.is_dir():
            kept = folder / source if source else None
            return kept if kept is not None and kept.parent == folder and kept.is_file() else None
        return next(iter(self.source_files(doc_id)), None)

    def delete_document(self, doc_id: str) -> int:
        """Remove one document's graph (and nothing else); returns how many triples went."""
        name = self.doc_graph(doc_id)
        if not self.engine.contains_named_graph(terms.node(name)):
            raise DocumentNotFound(f"no document {doc_id} in {self.location}", doc_id=doc_id)
        n = self.count(name)
        self._drop_graph(name)
        kill_point("delete:dropped")
        folder = self.sources / doc_id
        for kept in [folder] if folder.is_dir() else self.source_files(doc_id):
            remove(kept)
        kill_point("delete:source-removed")
        return n

    # --- reading ---
    def count(self, graph: URIRef | None = None) -> int:
        """Triples in one named graph, or quads in all named graphs (the default graph, their union, aside)."""
        q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {'?g' if graph is None else terms.iri(graph)} {{ ?s ?p ?o }} }}"
        return int(next(iter(self.engine.query(q)))["n"].value)

    def facts(self) -> int:
        """Distinct triples of the store: the default graph, the union of the named graphs."""
        return int(next(iter(self.engine.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)

    def named_quads(self, subject=None, predicate=None, obj=None, graph=None):
        """The quads of the named graphs matching the pattern (Oxigraph terms; ``None`` matches any), each
        with the graph that states it: the default graph, their union, is not repeated."""
        return (q for q in self.engine.quads_for_pattern(subject, predicate, obj, graph)
                if not isinstance(q.graph_name, ox.DefaultGraph))

    def document_ids(self) -> set[str]:
        """The ids of the stored documents (one lookup per document graph, no counting)."""
        prefix = terms.literal(self.base + "doc/")
        q = f"""SELECT ?id WHERE {{ GRAPH ?g {{ ?g {terms.iri(DCTERMS.identifier)} ?id }}
                                  FILTER(STRSTARTS(STR(?g), {prefix})) }}"""
        return {s["id"].value for s in self.engine.query(q)}

    def outdated_documents(self) -> list[str]:
        """The ids of the stored documents whose graph was made by another version of the reading and
        mapping (:data:`kg.mapping.GRAPH_FORMAT`; or before graphs were stamped), in id order."""
        from .mapping import GRAPH_FORMAT

        prefix = terms.literal(self.base + "doc/")
        q = f"""SELECT ?id WHERE {{ GRAPH ?g {{ ?g {terms.iri(DCTERMS.identifier)} ?id
                      OPTIONAL {{ ?g {terms.iri(BGT.graphFormat)} ?format }} }}
                  FILTER(STRSTARTS(STR(?g), {prefix}) && (!BOUND(?format) || ?format != {terms.integer(GRAPH_FORMAT)})) }}"""
        return sorted({s["id"].value for s in self.engine.query(q)})

    def has_document(self, doc_id: str) -> bool:
        return self.engine.contains_named_graph(terms.node(self.doc_graph(doc_id)))

    def graph(self, doc_id: str) -> Graph:
        """A document's graph copied into memory (rdflib), prefixes bound."""
        name = self.doc_graph(doc_id)
        if not self.has_document(doc_id):
            raise DocumentNotFound(f"no document {doc_id} in {self.location}", doc_id=doc_id)
        g = bind_all(Graph(identifier=name), self.base)
        for q in self.engine.quads_for_pattern(None, None, None, terms.node(name)):
            g.add((rdf_term(q.subject), rdf_term(q.predicate), rdf_term(q.object)))
        return g

    def select(self, query: str, timeout: float | None = None) -> list[dict]:
        """Run a SELECT on the default graph (each fact of every graph once) and the named graphs; rows as
        ``{var: python value or str}``.

        ``QueryError`` (``query_timeout``) when the rows are not all there within ``timeout`` seconds
        (:data:`~kg.query_limits.DEFAULT_TIMEOUT_S` unless given)."""

        def rows():
            sols = self.engine.query(sparql_prologue(self.base) + query)
            names = [v.value for v in sols.variables]
            return ({n: _py(s[n]) for n in names} for s in sols)

        return rows_in_time(rows, DEFAULT_TIMEOUT_S if timeout is None else timeout)

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, remembered until the store is next written (small tables a search reads every time)."""
        hit = self._cache.get(key)
        now = (self.generation, self.version() if self.engine.remote else "")  # a server: others write too
        if hit is None or hit[0] != now:
            hit = (now, compute())
            self._cache[key] = hit
        return hit[1]

    def list_documents(self) -> list[DocumentInfo]:
        """The stored documents, in file order; remembered until the store is next written (:meth:`cached`).

        Three queries: what each document is, its triple count, the files of a disclosure read from several.
        As one query (the metadata joined to every triple and grouped) or filtered on ``STR(?g)`` per triple,
        they run past the query timeout at a million triples (each triple's graph decoded)."""
        return list(self.cached("documents", self._read_documents))

    def _read_documents(self) -> list[DocumentInfo]:
        prefix = self.base + "doc/"
        rows = self.select(f"""
            SELECT DISTINCT ?g ?id ?file ?title ?dept ?year ?phase WHERE {{
              GRAPH ?g {{ ?g dcterms:identifier ?id .
                OPTIONAL {{ ?g bgt:sourceFile ?file }}
                OPTIONAL {{ ?g dcterms:title ?title }}
                OPTIONAL {{ ?b bgt:disclosedIn ?g ; bgt:department/rdfs:label ?dept ; bgt:phase ?ph .
                           OPTIONAL {{ ?b bgt:fiscalYear ?year }}
                           OPTIONAL {{ GRAPH {terms.iri(self.ontology_graph)} {{ ?ph skos:notation ?phase }} }} }}
              }}
              FILTER(STRSTARTS(STR(?g), {terms.literal(prefix)}))
            }} ORDER BY ?file ?id""")
        counts = {r["g"]: r["n"] for r in self.select(  # every graph (few); a scan of every triple: 5 s at 1M
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", timeout=COUNT_TIMEOUT_S)}
        parts = self._source_parts()
        return [DocumentInfo(r["id"], r["g"], r["file"], r["title"], r["dept"], r["year"], r["phase"],
                             counts.get(r["g"], 0), parts.get(r["g"]) or ((r["file"],) if r["file"] else ()))
                for r in rows]

    def _source_parts(self) -> dict[str, tuple[str, ...]]:
        """graph → the files its facts were read from, for the disclosures read from several files."""
        rows = self.select("""SELECT DISTINCT ?g ?file WHERE { GRAPH ?g {
              ?loc bgt:sourceFile ?file ; a bgt:SourceLocation } } ORDER BY ?g ?file""")
        out: dict[str, tuple[str, ...]] = {}
        for r in rows:
            if r["g"].startswith(self.base + "doc/"):
                out[r["g"]] = (*out.get(r["g"], ()), r["file"])
        return out


def _disclosure_id(files: list[Path]) -> str:
    from ingest.pipeline import disclosure_id  # the reading's modules, loaded only after a killed writer

    return disclosure_id(files)


def _nquads(bodies: dict[str, str]) -> bytes:
    """N-Quads of graphs given as N-Triples (name → body): each triple in its graph and in the default graph
    (an N-Triples line is an N-Quads line of the default graph)."""
    return "".join(in_graph(body, terms.iri(name)) + body for name, body in bodies.items()).encode("utf-8")


def _graphs_update(graphs: dict[str, str | None]) -> str:
    """One SPARQL update writing ``graphs`` (name → N-Triples; ``None``: dropped), the default graph the union."""
    return " ;\n".join(_graph_update(name, body) for name, body in graphs.items())


def _graph_update(name: str, body: str | None) -> str:
    """The update replacing named graph ``name`` by the N-Triples ``body`` (``None``: dropping it), the
    default graph kept the union: its facts no other graph states leave the default graph first."""
    g = terms.iri(name)  # the body is N-Triples (rdflib's or Oxigraph's): their own escaping of every term
    if body is None:
        return f"{_unshared(g)} ;\nDROP SILENT GRAPH {g}"
    return f"""{_unshared(g)} ;\nDROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}}} }} ;
        INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}"""


def _unshared(g: str) -> str:
    """The update removing from the default graph the facts of graph ``g`` (an IRI in SPARQL) that no
    other named graph states."""
    return f"""DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }}
        FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g}) }} }}"""


def _py(term):
    """An Oxigraph term as a plain Python value (ints and decimals kept exact)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt.endswith("#integer") or dt.endswith("#int") or dt.endswith("#long"):
            return int(term.value)
        if dt.endswith("#decimal"):
            from decimal import Decimal

            return Decimal(term.value)
        return term.value
    return term.value


def rdf_term(term):
    """An Oxigraph term as an rdflib term; ``xsd:string`` literals become plain literals, as mapped."""
    from oxrdflib._converter import from_ox

    t = from_ox(term)
    if isinstance(t, Literal) and t.datatype == XSD.string:
        return Literal(str(t))
    return t


def _rebase(g: Graph, old: str, new: str) -> Graph:
    """Codelist concepts (``fn/…``, ``econ/…``) moved from the default base to the configured one."""
    heads = tuple(old + kind for kind in ("fn/", "econ/"))

    def fix(t):
        return URIRef(new + t[len(old):]) if isinstance(t, URIRef) and str(t).startswith(heads) else t

    out = Graph()
    for s, p, o in g:
        out.add((fix(s), fix(p), fix(o)))
    return out

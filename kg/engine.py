"""The SPARQL engine behind a :class:`kg.store.Store`: a small interface, and the embedded Oxigraph directory.

The store asks an engine for six things only: a query, an update (one transaction), the quads of a
pattern, whether a named graph exists, one graph as N-Triples, and closing.  The names and the result
objects are pyoxigraph's (``QuerySolutions``, ``QueryBoolean``, ``Quad``…), so callers read the answers
of either engine the same way.  :class:`EmbeddedEngine` is a ``pyoxigraph.Store`` in this process (a
RocksDB directory, one process at a time); :class:`kg.endpoint.EndpointEngine` speaks the SPARQL 1.1
protocols to a server (``budgetkg serve``, or any endpoint), so that many processes share one store.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from .errors import StoreError


class Engine:
    """What a store needs of a SPARQL engine (STYLE 2.2: a small contract, capability flags).

    ``remote``: the engine is a server other processes write to as well (no snapshots, no lock of our own);
    ``bulk``: it has a bulk loader (:meth:`bulk_load`: fast, but no transaction);
    ``location``: where it is, for messages (a directory or a URL)."""

    remote = False
    bulk = False
    location = ""

    def query(self, text: str):
        """A SPARQL query: ``QuerySolutions``, ``QueryBoolean`` or the triples of CONSTRUCT/DESCRIBE."""
        raise NotImplementedError

    @contextmanager
    def streaming(self, text: str, deadline: float, seconds: float) -> Iterator[object]:
        """:meth:`query`, its answer read as it is iterated; the engine stops when the block ends
        (``deadline``: a ``time.monotonic()`` past which reading fails with ``query_timeout`` naming
        ``seconds``)."""
        yield self.query(text)

    def update(self, text: str) -> None:
        """A SPARQL update, applied as one transaction."""
        raise NotImplementedError

    def quads_for_pattern(self, subject=None, predicate=None, obj=None, graph=None) -> Iterable[ox.Quad]:
        """The quads matching the pattern (pyoxigraph terms; ``None`` matches any, the default graph included)."""
        raise NotImplementedError

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return bool(self.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))  # a checked NamedNode writes itself

    def graph_ntriples(self, graph: ox.NamedNode) -> str:
        """One named graph as N-Triples."""
        raise NotImplementedError

    def bulk_load(self, nquads: bytes) -> None:
        """N-Quads written by the bulk loader and flushed (only where :attr:`bulk`)."""
        raise NotImplementedError

    def close(self) -> None:
        """Let go of the engine (its files, its connections)."""


class EmbeddedEngine(Engine):
    """An Oxigraph directory opened in this process (``path``; ``None``: in memory).  RocksDB locks the
    directory: a second process cannot open it while this one has it."""

    bulk = True

    def __init__(self, path: Path | None = None):
        self.location = "" if path is None else str(path)
        try:
            self.ox = ox.Store() if path is None else ox.Store(str(path))
        except OSError as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise StoreError(f"cannot open store {path}: {first} (is another budgetkg process using it?)",
                             path=str(path)) from exc

    def query(self, text: str):
        return self.ox.query(text)

    def update(self, text: str) -> None:
        self.ox.update(text)

    def quads_for_pattern(self, subject=None, predicate=None, obj=None, graph=None) -> Iterable[ox.Quad]:
        return self.ox.quads_for_pattern(subject, predicate, obj, graph)

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return self.ox.contains_named_graph(graph)

    def graph_ntriples(self, graph: ox.NamedNode) -> str:
        return self.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).decode("utf-8")

    def load_ntriples(self, body: str, graph: ox.NamedNode) -> None:
        """N-Triples into one named graph (an in-memory engine's way in; the store writes by update)."""
        self.ox.load(body.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)

    def bulk_load(self, nquads: bytes) -> None:
        self.ox.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        self.ox.flush()

    def backup(self, target: Path) -> None:
        """A consistent checkpoint of the directory at ``target`` (hard links; for user queries)."""
        self.ox.backup(str(target))

    def close(self) -> None:
        if getattr(self, "ox", None) is not None:
            self.ox.flush()
            self.ox = None
            gc.collect()  # the RocksDB lock goes only when every reference to the store is gone

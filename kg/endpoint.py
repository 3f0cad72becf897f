"""A SPARQL 1.1 server as the engine of a store: the Query, Update and Graph Store protocols over HTTP.

Queries are POSTed to the query endpoint (``application/sparql-query``) and their answers parsed by
pyoxigraph (``parse_query_results`` for SELECT/ASK, ``parse`` for the N-Triples of CONSTRUCT), so callers
get the objects an embedded store gives.  An update is one POST (``application/sparql-update``), which
Oxigraph's server applies as one transaction: a document replace stays all or nothing.  Whole graphs
are read from the graph store endpoint (N-Triples, N-Quads).  Every request has a timeout; a user query
is read as it arrives, row by row, and abandoned at its row limit, its deadline (each wait for bytes is
bounded by the time left, so a server sending slowly cannot hold the reader past it) or ``max_bytes`` of
answer (:meth:`streaming`).  Failures are the coded errors of :mod:`kg.errors` with one line naming the
URL (never its credentials: :class:`kg.settings.Endpoint` keeps them apart, sent as Basic authentication),
classified by the HTTP status and our own deadline, never by the words of a server's message.
"""

from __future__ import annotations

import base64
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from typing import Iterable, Iterator
from urllib.parse import quote

import pyoxigraph as ox

from . import sparql_terms as terms
from .engine import Engine
from .errors import QueryError, StoreError
from .query_limits import timeout_error
from .settings import Endpoint

HTTP_TIMEOUT_S = 300.0  # one request of ours (a large document's update); user queries have their own deadline
MAX_ANSWER_BYTES = 64 << 20  # of a user query's answer (its rows stop at their limit before, unless huge)
CHUNK = 1 << 16
RESULTS_JSON, NTRIPLES, NQUADS = "application/sparql-results+json", "application/n-triples", "application/n-quads"
_PATTERN = ("?s", "?p", "?o")


def _first_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[0][:300] if lines else ""


class EndpointEngine(Engine):
    """The server at ``endpoint`` (:class:`kg.settings.Endpoint`); nothing is opened until the first request."""

    remote = True

    def __init__(self, endpoint: Endpoint, timeout: float = HTTP_TIMEOUT_S, max_bytes: int = MAX_ANSWER_BYTES):
        self.endpoint = endpoint
        self.location = endpoint.url
        self.timeout = timeout
        self.max_bytes = max_bytes

    # --- HTTP ---
    def _open(self, url: str, data: bytes | None = None, headers: dict | None = None,
              timeout: float | None = None, write: bool = False):
        """The response to one request; errors as one line (``write``: a refused request is a write failure)."""
        headers = dict(headers or {})
        if self.endpoint.credentials:
            headers["Authorization"] = "Basic " + base64.b64encode(self.endpoint.credentials.encode()).decode("ascii")
        request = urllib.request.Request(url, data=data, headers=headers, method="GET" if data is None else "POST")
        try:
            return urllib.request.urlopen(request, timeout=self.timeout if timeout is None else timeout)
        except urllib.error.HTTPError as exc:
            why = _first_line(exc.read(4000).decode("utf-8", "replace")) or exc.reason
            exc.close()
            if write:
                raise StoreError(f"SPARQL endpoint {url} refused the update: HTTP {exc.code} {why}", "store_refused",
                                 path=url) from None
            if exc.code == 404 and url.startswith(self.endpoint.store):
                raise KeyError(url) from None  # a graph that is not there
            if exc.code == 504 and timeout is not None:  # the server's own limit (budgetkg serve's front)
                raise timeout_error(timeout) from None
            raise QueryError(f"SPARQL endpoint {url} failed: HTTP {exc.code} {why}", "query_failed") from None
        except TimeoutError:
            if timeout is not None:
                raise timeout_error(timeout) from None
            raise StoreError(f"SPARQL endpoint {url} did not answer within {self.timeout:g} s", "store_unreachable",
                             path=url) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError) and timeout is not None:
                raise timeout_error(timeout) from None
            text = getattr(reason, "strerror", None) or str(reason)
            raise StoreError(f"cannot reach SPARQL endpoint {url}: {str(text).lower()}", "store_unreachable",
                             path=url) from None

    def _post_query(self, text: str, accept: str, timeout: float | None = None):
        return self._open(self.endpoint.query, text.encode("utf-8"),
                          {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept}, timeout)

    @staticmethod
    def _parse(response):
        """A query response (or a :class:`_Bounded` reader of one) as pyoxigraph's objects, read from the stream
        as they are iterated."""
        kind = (response.headers.get_content_type() or "").lower()
        if kind == RESULTS_JSON:
            return ox.parse_query_results(response, format=ox.QueryResultsFormat.JSON)
        if kind in (NTRIPLES, "text/turtle"):
            return ox.parse(response, format=ox.RdfFormat.N_TRIPLES if kind == NTRIPLES else ox.RdfFormat.TURTLE)
        if kind == "application/sparql-results+xml":
            return ox.parse_query_results(response, format=ox.QueryResultsFormat.XML)
        raise QueryError(f"SPARQL endpoint answered in {kind or 'no media type'}, which budgetkg does not read",
                         "query_failed")

    # --- the engine ---
    def query(self, text: str):
        response = self._post_query(text, f"{RESULTS_JSON}, {NTRIPLES};q=0.9")
        with response:
            result = self._parse(response)
            if isinstance(result, ox.QueryBoolean):
                return result
            return _Rows(result)

    @contextmanager
    def streaming(self, text: str, deadline: float, seconds: float) -> Iterator[object]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise timeout_error(seconds)
        try:
            response = self._post_query(text, f"{RESULTS_JSON}, {NTRIPLES};q=0.9", timeout=remaining)
        except QueryError as exc:
            raise timeout_error(seconds) if exc.code == "query_timeout" else exc from None
        reader = _Bounded(response, deadline, seconds, self.max_bytes)
        try:
            try:
                result = self._parse(reader)
            except Exception as exc:  # the first bytes: past the deadline, too many, or not an answer
                raise reader.failure(exc) from None
            yield result if isinstance(result, ox.QueryBoolean) else _Deadline(result, reader)
        finally:
            response.close()  # the rest of the answer is never read

    def update(self, text: str) -> None:
        with self._open(self.endpoint.update, text.encode("utf-8"),
                        {"Content-Type": "application/sparql-update; charset=utf-8"}, write=True) as response:
            response.read()

    def _graph(self, graph) -> list[ox.Quad]:
        """A whole graph (``None``: the dataset, as N-Quads) from the graph store endpoint."""
        if graph is None:
            url, accept = self.endpoint.store, NQUADS
        elif isinstance(graph, ox.DefaultGraph):
            url, accept = f"{self.endpoint.store}?default", NTRIPLES
        else:
            url, accept = f"{self.endpoint.store}?graph={quote(terms.node(graph.value).value, safe='')}", NTRIPLES
        try:
            with self._open(url, headers={"Accept": accept}) as response:
                data = response.read()
        except KeyError:
            return []
        if graph is None:
            return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]

    def quads_for_pattern(self, subject=None, predicate=None, obj=None, graph=None) -> Iterable[ox.Quad]:
        given = (subject, predicate, obj)
        if given == (None, None, None):
            return self._graph(graph)
        pattern = " ".join(_PATTERN[i] if t is None else terms.term(t) for i, t in enumerate(given))
        if graph is None:
            where = f"{{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }}"
        elif isinstance(graph, ox.DefaultGraph):
            where = pattern
        else:
            where = f"GRAPH {terms.term(graph)} {{ {pattern} }}"
        found = []
        for row in self.query(f"SELECT * WHERE {{ {where} }}"):
            s, p, o = (t if t is not None else row[_PATTERN[i][1:]] for i, t in enumerate(given))
            g = graph if graph is not None else row["g"]
            found.append(ox.Quad(s, p, o, ox.DefaultGraph() if g is None else g))
        return found

    def graph_ntriples(self, graph: ox.NamedNode) -> str:
        return "".join(f"{ox.Triple(q.subject, q.predicate, q.object)} .\n" for q in self._graph(graph))


class _Rows:
    """The solutions of one SELECT read to the end (``variables`` and the rows, as ``QuerySolutions``)."""

    def __init__(self, solutions):
        self.variables = getattr(solutions, "variables", None)
        self.rows = list(solutions)

    def __iter__(self):
        return iter(self.rows)


class _Bounded:
    """The body of ``response`` as a file for pyoxigraph, each read waiting at most the time left before
    ``deadline`` and the whole at most ``max_bytes``; :meth:`failure` says which limit a failed read met."""

    def __init__(self, response, deadline: float, seconds: float, max_bytes: int):
        self.response, self.headers = response, response.headers
        self.deadline, self.seconds, self.max_bytes = deadline, seconds, max_bytes
        self.read_bytes = 0
        raw = getattr(getattr(response, "fp", None), "raw", None)
        self.socket = getattr(raw, "_sock", None)  # http.client's socket file (CPython's SocketIO)

    def read(self, size: int = -1) -> bytes:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise timeout_error(self.seconds)
        if self.read_bytes > self.max_bytes:
            raise self.too_large()
        if self.response.isclosed():  # read to its end (http.client lets go of the socket then)
            return b""
        if self.socket is not None:
            self.socket.settimeout(left)
        data = self.response.read1(CHUNK if size is None or size < 0 else min(size, CHUNK))
        self.read_bytes += len(data)
        return data

    def too_large(self) -> QueryError:
        return QueryError(f"query stopped: its answer is over {self.max_bytes:,} bytes; narrow it (LIMIT, fewer "
                          "or shorter values)", "query_failed")

    def failure(self, exc: BaseException) -> QueryError:
        """The error of a read or parse that failed with ``exc``: our deadline, our size, else the server's."""
        if time.monotonic() >= self.deadline:
            return timeout_error(self.seconds)
        if self.read_bytes > self.max_bytes:
            return self.too_large()
        if isinstance(exc, QueryError):
            return exc
        return QueryError(f"SPARQL endpoint answer broke off: {_first_line(str(exc)) or type(exc).__name__}",
                          "query_failed")


class _Deadline:
    """An answer read from the server as it is iterated (through ``reader``, a :class:`_Bounded`), failing
    with ``query_timeout`` once its deadline passes, or when the answer grows past the reader's size."""

    def __init__(self, result, reader: _Bounded):
        self.result, self.reader = result, reader
        self.variables = getattr(result, "variables", None)

    def __bool__(self) -> bool:
        return bool(self.result)

    def __iter__(self):
        items = iter(self.result)
        while True:
            try:
                item = next(items)
            except StopIteration:
                return
            except Exception as exc:  # a read past a limit, a socket's timeout, or a broken answer
                raise self.reader.failure(exc) from None
            if time.monotonic() >= self.reader.deadline:
                raise timeout_error(self.reader.seconds)
            yield item

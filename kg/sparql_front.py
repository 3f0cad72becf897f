"""The checking front of ``budgetkg serve``: our HTTP server on the public port, Oxigraph's behind it.

Oxigraph's server runs whatever a client sends, ``SERVICE`` and ``LOAD`` included (it would open a
connection to any URL named).  So ``budgetkg serve`` starts Oxigraph on a private loopback port and puts
this front on the advertised one.  The front speaks the same three protocols at the same paths:

* ``/query`` (GET ``?query=``, POST ``application/sparql-query`` or a form): a text that may name
  ``SERVICE`` is checked by the app's own checker (:func:`kg.sparql_check.check_query`, then
  ``check_read_only``: read-only, no ``SERVICE``), and every text is forwarded escape-expanded; the answer
  is streamed back within the server's time (``timeout``) and size
  (``max_bytes``): past either the front closes both connections;
* ``/update`` (POST ``application/sparql-update`` or a form): refused in read-only mode, otherwise checked
  by :func:`kg.sparql_check.check_update` (no ``LOAD``, no ``SERVICE``) and forwarded;
* ``/store`` (the Graph Store protocol, which names graphs of the store and opens no connection): reads
  forwarded, writes forwarded unless read-only.

A refused request gets one line of ``text/plain`` and a status: 400 malformed, 403 refused (update on a
read-only server, ``SERVICE``, ``LOAD``), 404 unknown path, 413 too large, 504 past the server's time,
502 Oxigraph not answering.  Oxigraph also gets ``--timeout-s``, so a query whose client gave up stops
computing there too (:mod:`kg.serve`).
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

from .errors import QueryError
from .sparql_check import check_query, check_read_only, check_update

MAX_BODY = 128 << 20  # bytes of a query or an update (Oxigraph's own limit)
MAX_ANSWER = 1 << 30  # bytes of a query's answer
CHUNK = 1 << 16
CLIENT_WAIT_S = 60.0  # seconds a client may leave its connection idle (each read or write of it)
UPDATE_TIMEOUT_S = 300.0  # an update (a large document) is not limited by the query timeout
_DATASET = ("default-graph-uri", "named-graph-uri", "union-default-graph",  # Oxigraph's own parameters
            "using-graph-uri", "using-named-graph-uri", "using-union-graph")
_STATUS = {"query_syntax": 400, "query_update": 403, "query_service": 403}
_check_lock = threading.Lock()  # rdflib's parser (pyparsing, packrat) is not safe across threads


class Refused(Exception):
    """A request the front answers itself: ``status`` and one line."""

    def __init__(self, status: int, line: str):
        super().__init__(line)
        self.status = status


class SparqlFront(ThreadingHTTPServer):
    """The front on ``(host, port)`` for Oxigraph at ``upstream`` (``(host, port)``)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], upstream: tuple[str, int], read_only: bool, timeout: float,
                 max_bytes: int = MAX_ANSWER):
        self.upstream, self.read_only, self.timeout, self.max_bytes = upstream, read_only, timeout, max_bytes
        if ":" in address[0]:
            self.address_family = socket.AF_INET6  # an instance's own: ``::1``
        with _check_lock:
            check_read_only("ASK {}")  # rdflib builds its grammar once, before the first client waits
        super().__init__(address, _Handler)


def _form(handler: "_Handler") -> list[tuple[str, str]]:
    """The parameters of a request: the URL's, and a form body's."""
    params = parse_qsl(urlsplit(handler.path).query, keep_blank_values=True)
    if handler.command == "POST" and handler.content_type() == "application/x-www-form-urlencoded":
        params += parse_qsl(handler.body().decode("utf-8", "replace"), keep_blank_values=True)
    return params


def _one(params: list[tuple[str, str]], name: str) -> str:
    values = [v for k, v in params if k == name]
    if len(values) != 1:
        raise Refused(400, f"give exactly one {name} parameter")
    return values[0]


class _Handler(BaseHTTPRequestHandler):
    server: SparqlFront
    server_version = "budgetkg-serve"
    protocol_version = "HTTP/1.0"  # one request per connection: an answer streams until the connection closes
    timeout = CLIENT_WAIT_S  # a client that neither sends nor reads does not hold its thread

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # requests are not logged (a query's text may be private); refusals reach the client

    # --- what the client sent ---
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def body(self) -> bytes:
        if not hasattr(self, "_body"):
            if self.headers.get("Transfer-Encoding"):
                raise Refused(411, "send the body with a Content-Length")
            size = int(self.headers.get("Content-Length") or 0)
            if size > MAX_BODY:
                raise Refused(413, f"a request body of {size} bytes is over the {MAX_BODY} allowed")
            self._body = self.rfile.read(size)
        return self._body

    # --- the methods ---
    def do_GET(self):
        self._route({"/query": self._query, "/store": self._store})

    def do_HEAD(self):
        self._route({"/store": self._store})

    def do_POST(self):
        self._route({"/query": self._query, "/update": self._update, "/store": self._store})

    def do_PUT(self):
        self._route({"/store": self._store})

    def do_DELETE(self):
        self._route({"/store": self._store})

    def _route(self, routes) -> None:
        path = urlsplit(self.path).path.rstrip("/")
        try:
            if path not in routes:
                raise Refused(404 if path not in ("/query", "/update", "/store") else 405,
                              f"{self.command} {path or '/'} is not served here (/query, /update, /store)")
            routes[path]()
        except Refused as refused:
            self._refuse(refused.status, str(refused))
        except QueryError as exc:
            self._refuse(_STATUS.get(exc.code, 400), str(exc))
        except OSError:  # writing to the client: it went away, or stopped reading
            self.close_connection = True

    def _refuse(self, status: int, line: str) -> None:
        data = (line.splitlines()[0] if line else "refused").encode("utf-8") + b"\n"
        try:
            self.body()  # read what the client sends first: a client still sending would not see the answer
        except (Refused, OSError):
            pass  # too large to read, or gone: answered all the same
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client is gone: nobody to tell

    # --- the protocols ---
    def _query(self) -> None:
        if self.command == "POST" and self.content_type() == "application/sparql-query":
            params = parse_qsl(urlsplit(self.path).query, keep_blank_values=True)
            text = self.body().decode("utf-8", "replace")
        else:
            params = _form(self)
            text = _one(params, "query")
        with _check_lock:
            text = check_query(text)
        dataset = [(k, v) for k, v in params if k in _DATASET]
        self._forward("POST", "/query" + (f"?{urlencode(dataset)}" if dataset else ""), text.encode(),
                      {"Content-Type": "application/sparql-query; charset=utf-8"}, self.server.timeout,
                      self.server.max_bytes)

    def _update(self) -> None:
        if self.server.read_only:
            raise Refused(403, "read-only server: updates are refused")
        if self.content_type() == "application/sparql-update":
            params = parse_qsl(urlsplit(self.path).query, keep_blank_values=True)
            text = self.body().decode("utf-8", "replace")
        else:
            params = _form(self)
            text = _one(params, "update")
        dataset = [(k, v) for k, v in params if k in _DATASET]
        self._forward("POST", "/update" + (f"?{urlencode(dataset)}" if dataset else ""), check_update(text).encode(),
                      {"Content-Type": "application/sparql-update; charset=utf-8"}, UPDATE_TIMEOUT_S, None)

    def _store(self) -> None:
        if self.command not in ("GET", "HEAD") and self.server.read_only:
            raise Refused(403, "read-only server: graph store writes are refused")
        query = urlsplit(self.path).query
        body = self.body() if self.command in ("PUT", "POST") else None
        headers = {"Content-Type": self.headers["Content-Type"]} if self.headers.get("Content-Type") else {}
        self._forward(self.command, "/store" + (f"?{query}" if query else ""), body, headers, UPDATE_TIMEOUT_S, None)

    def _forward(self, method: str, target: str, body: bytes | None, headers: dict, seconds: float,
                 max_bytes: int | None) -> None:
        """Send the request to Oxigraph and stream its answer back, all within ``seconds`` (past it: 504
        before the answer starts, the connection closed after) and ``max_bytes`` of answer."""
        deadline = time.monotonic() + seconds
        # the client's Host: Oxigraph resolves relative IRIs (and names new graphs) against the URL it was sent
        headers = {**headers, **{k: self.headers[k] for k in ("Accept", "Host") if self.headers.get(k)}}
        upstream = http.client.HTTPConnection(*self.server.upstream, timeout=seconds)
        try:
            try:
                upstream.request(method, target, body=body, headers=headers)
                answer = upstream.getresponse()
            except socket.timeout:
                raise Refused(504, f"query stopped after {seconds:g} s (the server's limit)") from None
            except OSError as exc:
                raise Refused(502, f"the store's server does not answer: {exc}") from None
            self.send_response(answer.status)
            for name in ("Content-Type", "Content-Location", "Location"):
                if answer.getheader(name):
                    self.send_header(name, answer.getheader(name))
            if max_bytes is None and answer.getheader("Content-Length"):
                self.send_header("Content-Length", answer.getheader("Content-Length"))
            self.end_headers()
            sent = 0
            while self.command != "HEAD":
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (max_bytes is not None and sent >= max_bytes):
                    break  # closing both ends: the client sees an answer cut short, Oxigraph stops writing
                upstream.sock.settimeout(remaining)
                try:
                    chunk = answer.read1(CHUNK if max_bytes is None else min(CHUNK, max_bytes - sent))
                except socket.timeout:
                    break
                if not chunk:
                    break
                self.wfile.write(chunk)
                sent += len(chunk)
            self.close_connection = True
        finally:
            upstream.close()

"""A listener on 127.0.0.1 that records every connection, for tests that must cause none.

``with listening() as ear:`` serves an ephemeral port (``ear.port``, ``ear.url``) from a thread that
stops by itself after ``lifetime`` seconds at the latest, and when the block ends.
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager


class Listener:
    def __init__(self, lifetime: float):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/x"
        self.connections: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._until = time.monotonic() + lifetime
        self._thread = threading.Thread(target=self._serve, name="test-listener", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set() and time.monotonic() < self._until:
            try:
                conn, peer = self.server.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            self.connections.append(peer)
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.server.close()


@contextmanager
def listening(lifetime: float = 300.0):
    ear = Listener(lifetime)
    try:
        yield ear
    finally:
        ear.close()


def hostile_queries(url: str) -> dict[str, str]:
    """SPARQL that tries to reach ``url``: the escape bypass of issue 11 and its variants, SERVICE, LOAD."""
    host_escaped = "\\u0068" + url[1:]  # the IRI's first letter as an escape
    return {
        "bypass": 'SELECT * WHERE { BIND("\\u0022 AS ?a) BIND(" AS ?a) SERVICE <%s> { ?s ?p ?o } #" AS ?b) }' % url,
        "bypass_lines": 'SELECT * WHERE { BIND("\\u0022 AS ?a) BIND(" AS ?a) SERVICE <%s> { ?s ?p ?o } #" AS ?b)\n}' % url,
        "bypass_U": 'SELECT * WHERE { BIND("\\U00000022 AS ?a) SERVICE <%s> { ?s ?p ?o } #" AS ?b)\n}' % url,
        "bypass_case": 'SELECT * WHERE { BIND("\\u005cu0022 AS ?a) SERVICE <%s> { ?s ?p ?o } #" AS ?b)\n}' % url,
        "bypass_long": 'SELECT * WHERE { BIND("""\\u0022\\u0022\\u0022 AS ?a) SERVICE <%s> { ?s ?p ?o } #""" AS ?b)\n}' % url,
        "bypass_length": 'SELECT * WHERE { BIND("\\u0001F600\\u0022 AS ?a) SERVICE <%s> { ?s ?p ?o } #" AS ?b)\n}' % url,
        "keyword": "SELECT * WHERE { \\u0053ERVICE <%s> { ?s ?p ?o } }" % url,
        "keyword_lower": "SELECT * WHERE { \\u0073\\u0065rvice <%s> { ?s ?p ?o } }" % url,
        "iri": "SELECT * WHERE { SERVICE <%s> { ?s ?p ?o } }" % host_escaped,
        "comment": "SELECT * WHERE { ?s ?p ?o # \\u000A SERVICE <%s> { ?s ?p ?o }\n}" % url,
        "service": "SELECT * WHERE { SERVICE <%s> { ?s ?p ?o } }" % url,
        "silent": "SELECT * WHERE { SERVICE SILENT <%s> { ?s ?p ?o } }" % url,
        "nested": "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <%s> { ?s ?p ?o } } } }" % url,
        "load": "LOAD <%s>" % url,
        "load_escaped": "\\u004cOAD <%s>" % url,
    }


def hostile_values(url: str) -> list[str]:
    """Values for named queries and page parameters that try to reach ``url``: the URL itself, IRI and
    literal injections of a SERVICE, the escape bypass."""
    return [url, f"{url}> }} SERVICE <{url}> {{ ?s ?p ?o }} #", f'x" }} SERVICE <{url}> {{ ?s ?p ?o }} #',
            hostile_queries(url)["bypass"], hostile_queries(url)["keyword"]]

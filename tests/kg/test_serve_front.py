"""``budgetkg serve`` made safe (issue 16, item 4): the checking front, the server's limits, our client's.

Against a real server (``served.serving``: the CLI's ``budgetkg serve``): no request makes the server open a
connection (the front refuses ``SERVICE`` and ``LOAD``; Oxigraph behind it cannot ``connect()`` at all), a
read-only server refuses every write, an outside client (SPARQLWrapper) still queries and updates, a query
stops at the server's time and a user query at its row limit and byte limit.  Against a small stdlib server
that misbehaves on purpose: a server sending slowly cannot hold our reader past the deadline, an error's
words are not taken for our timeout, and credentials in a URL are sent but never shown.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.api import BudgetKG
from kg.endpoint import EndpointEngine
from kg.settings import endpoint, resolve
from kg.sparql_check import check_update
from kg.types import QueryError
from served import ROOT, budgetkg, free_port, serving
from tests.net_listener import hostile_queries, listening

CROSS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # some 10^7 rows on a fresh store
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
INSERT = "INSERT DATA { <http://a.example/s> <http://a.example/p> 1 }"
ASK_INSERTED = "ASK { <http://a.example/s> <http://a.example/p> 1 }"


def post(url: str, text: str, kind: str, timeout: float = 30) -> tuple[int, bytes]:
    """POST ``text`` as ``application/sparql-{kind}``: the status and the body."""
    request = urllib.request.Request(url, data=text.encode(), headers={"Content-Type": f"application/sparql-{kind}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.mark.parametrize("update", [
    "LOAD <http://127.0.0.1:9/x>", "load<http://127.0.0.1:9/x>", "CLEAR ALL ; \\u004cOAD <http://127.0.0.1:9/x>",
    "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
    "INSERT { ?s ?p ?o } WHERE { ?s ?p ?o .SERVICE <http://127.0.0.1:9/x> { } }",  # a keyword after a dot
    "INSERT { ?s ?p ?o } WHERE { FILTER(?a<?b) SERVICE:x { ?s ?p ?o } }",  # a stray < is not an IRI
    "PREFIX ex: <http://e/> INSERT DATA { ex:a\\# SERVICE <http://127.0.0.1:9/x> { } }",  # \# is not a comment
    "INSERT { ?s ?p ?o } WHERE { \u017fERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",  # a long s folds to S
])
def test_check_update_refuses_what_would_connect(update):
    with pytest.raises(QueryError) as caught:
        check_update(update)
    assert caught.value.code == "query_service"


@pytest.mark.parametrize("update", [
    'INSERT DATA { <http://x/SERVICE> <http://x/p> "LOAD me", """a " SERVICE""", \'load\' . } # LOAD <x>',
    "PREFIX ex: <http://e/> DELETE WHERE { ?service ex:load-factor $load }",
    'INSERT DATA { <http://x/s> <http://x/p> "医疗救助 资金" }',
])
def test_check_update_lets_the_words_pass_where_they_are_not_keywords(update):
    assert check_update(update) == update


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A fresh store (ontology and code lists only) served writable: its URL."""
    with serving(tmp_path_factory.mktemp("front") / "kg") as url:
        yield url


@pytest.fixture(scope="module")
def served_read_only(tmp_path_factory):
    folder = tmp_path_factory.mktemp("front-ro") / "kg"
    BudgetKG.open(folder).close()
    with serving(folder, read_only=True) as url:
        yield url


def as_update(query: str) -> str:
    return query.replace("SELECT * WHERE", "INSERT { <http://a.example/s> <http://a.example/p> ?o } WHERE", 1)


@pytest.mark.parametrize("name", sorted(hostile_queries("http://127.0.0.1:1/x")))
def test_no_request_makes_the_server_connect(served, name):
    with listening(60) as ear:
        text = hostile_queries(ear.url)[name]
        sent = [post(f"{served}/query", text, "query"), post(f"{served}/update", as_update(text), "update")]
        for status, body in sent:
            if status != 200 and status != 204:  # what ran is what the checker read: SERVICE inside a string
                assert status in (400, 403) and len(body.decode().strip().splitlines()) == 1, (status, body)
        time.sleep(0.2)
        assert ear.connections == []
    assert post(f"{served}/query", ASK_INSERTED, "query")[1].find(b"false") > 0  # no hostile update was applied


def test_the_front_says_why_in_one_line(served):
    assert post(f"{served}/query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", "query") == (
        403, b"SERVICE is not allowed: queries run on the local store only\n")
    assert post(f"{served}/update", "LOAD <http://127.0.0.1:9/x.ttl>", "update") == (
        403, b"LOAD not allowed: updates run on the local store only\n")
    assert post(f"{served}/query", INSERT, "query")[0] == 400  # an update is not a query (Oxigraph's parser says)
    assert b"false" in post(f"{served}/query", ASK_INSERTED, "query")[1]
    status, body = post(f"{served}/query", "SELECT ?x WHERE { ?x ?y }", "query")
    assert status == 400 and body.strip()
    status, body = post(f"{served}/query", "SELECT ?x WHERE { SERVICE ?x }", "query")  # our checker's words
    assert status == 400 and body.startswith(b"malformed SPARQL at line 1")
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{served}/elsewhere", timeout=10)
    assert missing.value.code == 404


def test_relative_iris_resolve_against_the_advertised_url(served):
    status, body = post(f"{served}/query", "SELECT (STR(<x>) AS ?iri) WHERE {}", "query")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["iri"]["value"] == f"{served}/x"


def test_sparqlwrapper_queries_and_updates_through_the_front(served):
    outside = SPARQLWrapper(f"{served}/query", updateEndpoint=f"{served}/update")
    outside.setMethod(POST)  # an update: a form POST
    outside.setQuery(INSERT)
    outside.query()
    for method in ("GET", POST):  # a query: ?query= on the URL, then a form POST
        reader = SPARQLWrapper(f"{served}/query")
        reader.setMethod(method)
        reader.setQuery("SELECT ?o WHERE { <http://a.example/s> <http://a.example/p> ?o }")
        reader.setReturnFormat(JSON)
        assert [r["o"]["value"] for r in reader.query().convert()["results"]["bindings"]] == ["1"]
    outside.setQuery("DELETE DATA { <http://a.example/s> <http://a.example/p> 1 }")
    outside.query()
    assert b"false" in post(f"{served}/query", ASK_INSERTED, "query")[1]


def test_a_read_only_server_refuses_every_write(served_read_only):
    url = served_read_only
    assert post(f"{url}/update", INSERT, "update") == (403, b"read-only server: updates are refused\n")
    put = urllib.request.Request(f"{url}/store?default", data=b"<http://a.example/s> <http://a.example/p> 1 .\n",
                                 method="PUT", headers={"Content-Type": "application/n-triples"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(put, timeout=10)
    assert refused.value.code == 403 and refused.value.read() == b"read-only server: graph store writes are refused\n"
    outside = SPARQLWrapper(f"{url}/query", updateEndpoint=f"{url}/update")
    outside.setMethod(POST)
    outside.setQuery(INSERT)
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        outside.query()
    with urllib.request.urlopen(f"{url}/store?default", timeout=30) as graph:  # what our store reads: passes
        assert graph.status == 200 and graph.read().count(b"\n") > 100
    assert b"false" in post(f"{url}/query", ASK_INSERTED, "query")[1]


def test_oxigraph_behind_the_front_cannot_connect(tmp_path):
    """Even a request that reached Oxigraph's private port directly cannot make it connect; the control:
    the same binary without the filter does."""
    from kg.serve import server_binary, server_command, wait_until_serving

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for command, heard in ((lambda port: [server_binary(), "serve", "--bind", f"127.0.0.1:{port}"], 1),
                           (lambda port: server_command(tmp_path / "kg", port), 0)):
        port = free_port()
        process = subprocess.Popen(command(port), env=env, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until_serving(f"http://127.0.0.1:{port}", lambda: process.poll() is None)
            with listening(30) as ear:
                post(f"http://127.0.0.1:{port}/query", f"SELECT * WHERE {{ SERVICE <{ear.url}> {{ ?s ?p ?o }} }}",
                     "query")  # Oxigraph's answer starts 200 and breaks off with its error
                time.sleep(0.3)
                assert len(ear.connections) == heard
        finally:
            process.terminate()
            process.wait(10)


def test_a_query_stops_at_the_servers_time(served):
    """The server gives a query 5 s (served.serving): an outside client waiting longer gets 504 then."""
    start = time.monotonic()
    status, body = post(f"{served}/query", SLOW, "query", timeout=60)
    assert (status, body) == (504, b"query stopped after 5 s (the server's limit)\n")
    assert time.monotonic() - start < 7
    assert post(f"{served}/query", "ASK { ?s ?p ?o }", "query")[0] == 200


@contextmanager
def front_with_limits(folder: Path, timeout: float, max_bytes: int):
    """Oxigraph as ``budgetkg serve`` starts it, and a front of ``timeout`` and ``max_bytes`` in this process:
    the front's URL."""
    from kg.serve import free_port, server_command, started

    private = free_port()
    with started(server_command(folder, private), private, ("127.0.0.1", 0), False, timeout, max_bytes) as served:
        yield served.url


def read_all(url: str, query: str) -> tuple[bytes, float]:
    """The body an outside client gets for ``query`` (as much as arrives before the server closes), and the
    seconds it took."""
    start = time.monotonic()
    request = urllib.request.Request(f"{url}/query", data=query.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        chunks = []
        while chunk := answer.read1(1 << 16):
            chunks.append(chunk)
    return b"".join(chunks), time.monotonic() - start


def test_an_answer_stops_at_the_fronts_size_and_time(tmp_path):
    """Some 10^7 rows asked for (hundreds of MB): the front sends 200 kB, or what arrives within 1 s."""
    with front_with_limits(tmp_path / "kg", timeout=30, max_bytes=200_000) as url:
        body, _ = read_all(url, CROSS)
        assert 100_000 < len(body) <= 200_000
    with front_with_limits(tmp_path / "kg", timeout=1, max_bytes=1 << 40) as url:
        body, seconds = read_all(url, CROSS)
        assert len(body) > 1000 and seconds < 2.0


def server_cpu_seconds(url: str) -> float:
    """The CPU time so far of the Oxigraph process behind ``url``'s front (found by its private port's
    process: the one ``oxigraph serve`` whose parent is ``budgetkg serve``)."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if cmdline[0].endswith(b"oxigraph") and b"serve" in cmdline and _parent_serves(int(stat[1]), url):
            return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    raise AssertionError(f"no oxigraph process behind {url}")


def _parent_serves(pid: int, url: str) -> bool:
    port = url.rsplit(":", 1)[1].encode()
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    return b"serve" in cmdline and port in cmdline


def test_a_query_given_up_on_stops_on_the_server_by_its_time(served, tmp_path):
    """Our client stops at 1 s; Oxigraph, whose query time is the server's (5 s here), stops by then too."""
    with BudgetKG.open(resolve(store=served, index_dir=tmp_path / "index", environ={})) as kg:
        start = time.monotonic()
        with pytest.raises(QueryError) as caught:
            kg.sparql(SLOW, timeout=1.0)
        assert caught.value.code == "query_timeout"
    time.sleep(max(0.0, start + 5 + 2 - time.monotonic()))  # its time, and Oxigraph's next cancellation check
    before = server_cpu_seconds(served)
    time.sleep(1)
    assert server_cpu_seconds(served) - before < 0.2


def test_a_user_query_stops_at_its_row_and_byte_limits(served, tmp_path):
    with BudgetKG.open(resolve(store=served, index_dir=tmp_path / "index", environ={})) as kg:
        start = time.monotonic()
        result = kg.sparql(CROSS, limit=5)
        assert len(result.rows) == 5 and result.truncated and time.monotonic() - start < 3
        kg.store.engine.max_bytes = 20_000  # rows of some 300 bytes: the answer is over it long before 10 000
        with pytest.raises(QueryError) as caught:
            kg.sparql(CROSS, limit=10_000)
        assert caught.value.code == "query_failed" and "over 20,000 bytes" in str(caught.value)
        assert kg.sparql("ASK { ?s ?p ?o }").boolean  # the server is not held


# --- our client against a server that misbehaves on purpose -----------------------------------------

@contextmanager
def fake_server(answer):
    """A stdlib HTTP server on 127.0.0.1 whose every POST ``answer(handler)`` writes; the requests' headers in
    ``.seen``.  Yields (its base URL, the list)."""
    seen: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(dict(self.headers))
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                answer(self)
            except OSError:
                pass  # our client closed its end

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def dripping(handler):
    """An answer that starts, then sends one byte every 0.2 s for a minute."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.end_headers()
    handler.wfile.write(b'{"head":{"vars":["x"]},"results":{"bindings":[')
    handler.wfile.flush()
    for _ in range(300):
        time.sleep(0.2)
        handler.wfile.write(b" ")
        handler.wfile.flush()


def failing(status: int, text: str):
    def answer(handler):
        data = text.encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    return answer


def streamed(engine: EndpointEngine, seconds: float):
    with engine.streaming("SELECT * WHERE { ?x ?y ?z }", time.monotonic() + seconds, seconds) as rows:
        return list(rows)


def test_a_server_sending_slowly_cannot_hold_the_reader_past_the_deadline():
    with fake_server(dripping) as (url, _):
        start = time.monotonic()
        with pytest.raises(QueryError) as caught:
            streamed(EndpointEngine(endpoint(url)), 1.0)
        assert caught.value.code == "query_timeout" and caught.value.details == {"seconds": 1.0}
        assert time.monotonic() - start < 1.6


def test_an_error_mentioning_timeout_is_not_our_timeout():
    with fake_server(failing(500, "Query timeout exceeded in the planner")) as (url, _):
        engine = EndpointEngine(endpoint(url))
        for run in (lambda: engine.query("ASK {}"), lambda: streamed(engine, 5.0)):
            with pytest.raises(QueryError) as caught:
                run()
            assert caught.value.code == "query_failed" and "HTTP 500 Query timeout exceeded" in str(caught.value)
    with fake_server(failing(504, "query stopped after 5 s (the server's limit)")) as (url, _):
        with pytest.raises(QueryError) as caught:  # the front's status for its own limit: a timeout
            streamed(EndpointEngine(endpoint(url)), 5.0)
        assert caught.value.code == "query_timeout" and caught.value.details == {"seconds": 5.0}


def test_credentials_in_the_url_are_sent_and_never_shown(tmp_path):
    with fake_server(failing(500, "no such dataset")) as (url, seen):
        secret = url.replace("http://", "http://alice:s%3Acret@")
        settings = resolve(store=secret, environ={})
        assert settings.location == url and "cret" not in repr(settings)
        with pytest.raises(QueryError) as caught:
            EndpointEngine(settings.endpoint).query("ASK {}")
        assert "cret" not in str(caught.value) and url in str(caught.value)
        assert seen[0]["Authorization"] == "Basic " + base64.b64encode(b"alice:s:cret").decode()
    port = free_port()
    done = budgetkg("documents", "--store", f"http://alice:s3cret@127.0.0.1:{port}", "--index-dir",
                    str(tmp_path / "index"), timeout=120)
    assert done.returncode == 1 and "s3cret" not in done.stderr + done.stdout
    assert done.stderr.strip() == f"错误：无法连接 SPARQL 服务 http://127.0.0.1:{port}/query"


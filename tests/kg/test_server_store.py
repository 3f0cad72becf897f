"""A store on a real SPARQL server (issue 16, item 4): ``budgetkg serve`` on 127.0.0.1, ``--store http://…``.

The same integration tests run on both engines (``any_kg``: the embedded Oxigraph directory and the
served one, each a copy of the samples store), and the two must answer alike.  Then what only a server
store does: ingest and delete over HTTP, a read-only server refusing our ingest (nothing half-written), an
unreachable server in one line, and SPARQLWrapper querying the server as an outside user would.  The app and
a CLI process on one served store at once: ``tests/search_app/test_server_app.py``.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from helpers import FIXTURE_DOCS, SAMPLES, extracted
from kg.api import BudgetKG
from kg.export import parse
from kg.settings import resolve
from kg.types import QueryError
from served import free_port, serving

ENGINES = ("embedded", "server")
CITED = "武政规〔2016〕32号"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # some 10^13 rows on the samples
NEW_DOC = next(p for p in FIXTURE_DOCS if p.name.startswith("100_hanyang"))


def on_server(url: str, folder: Path) -> BudgetKG:
    return BudgetKG.open(resolve(store=url, index_dir=folder, environ={}))


@pytest.fixture(scope="module")
def engines(samples_store_template, tmp_path_factory):
    """The samples store opened embedded and served (two copies), ``{"embedded": kg, "server": kg}``;
    ``served`` holds the server's URL and folder."""
    base = tmp_path_factory.mktemp("engines")
    local = shutil.copytree(samples_store_template, base / "embedded")
    folder = Path(shutil.copytree(samples_store_template, base / "served"))
    with serving(folder) as url, BudgetKG.open(local) as embedded, on_server(url, folder) as remote:
        yield {"embedded": embedded, "server": remote, "served": (url, folder)}


@pytest.fixture(params=ENGINES)
def any_kg(request, engines) -> BudgetKG:
    return engines[request.param]


# --- the same tests on both engines -------------------------------------------------------------------

def test_the_samples_are_there(any_kg):
    assert sorted(d.source_file for d in any_kg.documents()) == [p.name for p in SAMPLES]
    assert any_kg.store.engine.remote == (any_kg.location.startswith("http://"))


def test_cites(any_kg):
    names = {h.name for h in any_kg.cites("武政规[2016]32 号")}
    assert {"城乡医疗救助", "统筹和组织实施医疗救助工作经费"} <= names


@pytest.mark.parametrize("query, code", [
    ("INSERT DATA { <http://a.example/s> <http://a.example/p> 1 }", "query_update"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "query_service"),
    ("LOAD <http://127.0.0.1:9/data.ttl>", "query_update"),
    ("SELECT ?x WHERE { ?x ?y }", "query_syntax"),
])
def test_sparql_refusals(any_kg, query, code):
    with pytest.raises(QueryError) as caught:
        any_kg.sparql(query)
    assert caught.value.code == code
    assert not any_kg.sparql("ASK { <http://a.example/s> ?p ?o }").boolean  # nothing was written


def test_sparql_row_limit_holds(any_kg):
    result = any_kg.sparql("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", limit=7)
    assert result.vars == ["s", "p", "o"] and len(result.rows) == 7 and result.truncated


def test_sparql_time_limit_holds(any_kg):
    start = time.monotonic()
    with pytest.raises(QueryError) as caught:
        any_kg.sparql(SLOW, timeout=1.0)
    assert caught.value.code == "query_timeout" and caught.value.details == {"seconds": 1.0}
    assert time.monotonic() - start < 2.5
    assert any_kg.sparql("ASK { ?s ?p ?o }").boolean  # the next query is answered at once


def test_construct_and_ask(any_kg):
    graph = any_kg.sparql("CONSTRUCT { ?law ?p ?o } WHERE { ?law eli:id_local ?id ; ?p ?o } LIMIT 5")
    assert graph.kind == "graph" and len(graph.rows) == 5 and graph.vars == ["subject", "predicate", "object"]
    assert any_kg.sparql(f'ASK {{ ?law eli:id_local "{CITED}" }}').boolean is True


def test_search_with_filters(any_kg):
    hits = any_kg.search("医疗救助", {"year": 2026}, top_k=5)
    assert hits and {h.document.title for h in hits} == {"2026年江岸区医保局部门预算公开说明"}
    cited = any_kg.search("医疗救助", {"cites": CITED}, top_k=5)
    assert cited and {h.subject.label for h in cited} <= {h.name for h in any_kg.cites(CITED)}


def test_findings(any_kg):
    found = any_kg.findings(severity="warning")
    assert found and {f.doc_id for f in found} <= {d.doc_id for d in any_kg.documents()}


def test_export(any_kg):
    from io import BytesIO

    law = BytesIO()
    any_kg.export("nq", law, entity=f"law/{CITED}")  # its statements in each document's graph
    graphs = {str(g.identifier) for g in parse(law.getvalue(), "nq").graphs() if len(g)}
    assert graphs == {d.graph for d in any_kg.documents()}
    doc = min(any_kg.documents(), key=lambda d: d.triples)
    one = BytesIO()
    any_kg.export("nt", one, doc_id=doc.doc_id)
    assert len([ln for ln in one.getvalue().splitlines() if ln.strip()]) == doc.triples


def test_both_engines_answer_alike(engines):
    embedded, remote = engines["embedded"], engines["server"]
    for ask in (lambda kg: [vars(d) for d in kg.documents()],
                lambda kg: [h.as_dict() for h in kg.cites(CITED)],
                lambda kg: kg.findings(),
                lambda kg: kg.entity(f"law/{CITED}"),
                lambda kg: kg.facets(),
                lambda kg: kg.budgets_compared().to_dict("records"),
                lambda kg: [(h.passage, round(h.score, 5)) for h in kg.search("医疗救助 资金", {"year": 2023})],
                lambda kg: sorted(map(str, kg.sparql("SELECT ?p ?name WHERE { ?p a bgt:Project ; rdfs:label ?name }")
                                      .rows))):
        assert ask(embedded) == ask(remote)


# --- what only a server store does ----------------------------------------------------------------------

def test_ingest_and_delete_over_http(tmp_path):
    folder = tmp_path / "served"
    with serving(folder) as url, on_server(url, folder) as kg:
        assert kg.documents() == []
        assert kg.ingest_extraction(extracted(SAMPLES[0])) > 1000  # the CLI's ingest: the next test
        (doc,) = kg.documents()
        assert doc.triples > 1000 and kg.store.source_files(doc.doc_id)
        assert kg.pending_embeddings() > 50 and kg.search_index.lexical.search("医疗救助", k=3)
        assert kg.delete(doc.doc_id) == doc.triples
        assert kg.documents() == [] and kg.store.source_files(doc.doc_id) == []
        assert kg.search_index.dense.documents() == set() == kg.search_index.lexical.documents()
        assert kg.store.count() == kg.store.count(kg.store.ontology_graph) + kg.store.count(kg.store.codelist_graph)


def test_a_read_only_server_refuses_ingest_in_one_line(samples_store_template, tmp_path):
    folder = Path(shutil.copytree(samples_store_template, tmp_path / "served"))
    kept = sorted(p.name for p in (folder / "sources").iterdir())
    with serving(folder, read_only=True) as url, on_server(url, folder) as kg:
        (refused,) = kg.ingest([NEW_DOC])  # what `budgetkg ingest` prints after 错误：
        assert not refused.ok and refused.error_code == "store_refused"
        assert refused.message == f"{NEW_DOC.name}：SPARQL 服务 {url}/update 拒绝写入（可能是只读服务）"
        assert sorted(d.source_file for d in kg.documents()) == [p.name for p in SAMPLES]
        assert kg.search_index.lexical.documents() == {d.doc_id for d in kg.documents()}
        assert sorted(p.name for p in (folder / "sources").iterdir()) == kept  # no copy of the refused file
        assert not (folder / "search" / "changing.json").exists()
        outside = SPARQLWrapper(f"{url}/query", updateEndpoint=f"{url}/update")
        outside.setMethod(POST)
        outside.setQuery("INSERT DATA { <http://a.example/s> <http://a.example/p> 1 }")
        with pytest.raises((SPARQLWrapperException, OSError)):
            outside.query()


def test_an_unreachable_server_is_one_line(tmp_path):
    from click.testing import CliRunner

    from budgetkg_cli.main import cli

    url = f"http://127.0.0.1:{free_port()}"
    done = CliRunner().invoke(cli, ["documents", "--store", url, "--index-dir", str(tmp_path / "index")])
    assert done.exit_code == 1
    assert done.stderr.strip() == f"错误：无法连接 SPARQL 服务 {url}/query"
    assert not (tmp_path / "index").exists()  # nothing left behind


def test_sparqlwrapper_queries_the_server_as_an_outside_user(engines):
    url, _ = engines["served"]
    remote = engines["server"]
    outside = SPARQLWrapper(f"{url}/query")
    outside.setQuery(remote.cites_sparql(CITED))
    outside.setReturnFormat(JSON)
    rows = outside.query().convert()["results"]["bindings"]
    assert {r["project"]["value"] for r in rows} == {h.project for h in remote.cites(CITED)}
    assert {h.project for h in remote.cites(CITED)} == {h.project for h in engines["embedded"].cites(CITED)}


def test_serve_refuses_a_store_in_use_and_a_url_in_one_line(tmp_path):
    from click.testing import CliRunner

    from budgetkg_cli.main import cli

    folder = tmp_path / "kg"
    with BudgetKG.open(folder):  # as the app holds an embedded store
        held = CliRunner().invoke(cli, ["serve", "--store", str(folder), "--port", str(free_port())])
    assert held.exit_code == 1
    assert held.stderr.strip() == f"错误：无法打开知识库 {folder}（可能另有 budgetkg 进程正在使用）"
    url = CliRunner().invoke(cli, ["serve", "--store", "http://127.0.0.1:7878"])
    assert url.exit_code == 1 and url.stderr.strip() == "错误：budgetkg serve 需要知识库目录，而不是网址：http://127.0.0.1:7878"


def test_serve_binds_a_writable_store_to_this_machine_only(tmp_path):
    """Beyond loopback only a read-only server: the front checks what a request does, not who sends it."""
    from click.testing import CliRunner

    from budgetkg_cli.main import cli
    from kg.serve import server_command

    done = CliRunner().invoke(cli, ["serve", "--store", str(tmp_path / "kg"), "--host", "0.0.0.0",
                                    "--port", str(free_port())])
    assert done.exit_code == 1 and not (tmp_path / "kg").exists()  # refused before anything is made
    assert done.stderr.strip() == "错误：可写的知识库只在本机提供服务，不能绑定 0.0.0.0；对外提供请加 --read-only"
    command = server_command(tmp_path / "kg", 7999)  # Oxigraph itself: the private loopback port, no connect()
    assert command[command.index("--bind") + 1] == "127.0.0.1:7999" and "exec_without_connect" in command[2]


def test_two_datasets_of_one_server_get_index_directories_of_their_own(tmp_path, monkeypatch):
    from kg.settings import resolve

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    one, two = (resolve(store=f"http://h:3030/{ds}", environ={}).store_dir for ds in ("ds1", "ds2"))
    assert one != two and one.parent == two.parent == tmp_path / "data" / "budgetkg" / "indexes"
    monkeypatch.chdir(tmp_path)
    assert resolve(store="http://h:3030/ds1/", environ={}).store_dir == one  # from any folder, trailing / or not

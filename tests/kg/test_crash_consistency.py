"""Crash consistency (issue 11, failures 4–6): ingest and delete killed with SIGKILL at every stage
boundary (:mod:`kg.killpoints`), in a child process; afterwards the store opens, the earlier document
is intact, the killed one is absent or complete in the graph and in both indexes, no leftover remains,
and a re-ingest gives the counts of an ingest that was never interrupted."""

from __future__ import annotations

import json
import os
import shutil
import signal
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
import pytest

from kg.api import BudgetKG
from kg.killpoints import KILL_ENV
from kg.search import SearchIndex

ROOT = Path(__file__).resolve().parents[2]
EARLIER, KILLED = sorted((ROOT / "samples").glob("*.txt"))

INGEST_POINTS = ["write:changing.json", "ingest:staged", "ingest:committed", "ingest:source-kept",
                 "write:userdict.txt", "write:tokens.json", "write:bm25", "ingest:lexical", "write:dense.faiss",
                 "ingest:indexed"]
DELETE_POINTS = ["delete:dropped", "delete:source-removed", "write:tokens.json", "write:bm25", "delete:lexical",
                 "write:dense.faiss"]


def ingesting(path: Path | str) -> Callable[[BudgetKG], None]:
    def act(kg: BudgetKG) -> None:
        assert kg.ingest_file(path).ok
    return act


def deleting(doc_id: str) -> Callable[[BudgetKG], None]:
    return lambda kg: kg.delete(doc_id)


def run_killed(store: Path, act: Callable[[BudgetKG], None], point: str) -> None:
    """Run ``act`` (an ingest, a delete) on the store in a child process that is killed at ``point``; the
    kill must happen (the point is reached).  The child is forked, so it starts with this process's imports
    and jieba dictionary loaded (a fresh interpreter would add ~2 s per point)."""
    pid = os.fork()
    if pid == 0:  # the child: no pytest machinery from here on, only the operation and an exit
        code = 3
        try:
            os.environ[KILL_ENV] = point
            with BudgetKG.open(store) as kg:
                act(kg)
            code = 0  # not killed: the point was not reached
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (point, status)


def doc_state(kg: BudgetKG, doc_id: str) -> dict:
    """What the store holds of one document: graph triples, passages in each index, its source copy."""
    index, store = kg.search_index, kg.store
    return {
        "triples": store.count(store.doc_graph(doc_id)) if store.has_document(doc_id) else 0,
        "dense": sorted(iri for iri, (_, doc, _) in index.dense.catalog().items() if doc == doc_id),
        "lexical": sorted(row[0] for row in index.lexical.docs.get(doc_id, [])),
        "listed": (doc_id in index.dense.documents(), doc_id in index.lexical.documents()),
        "source": kg.store.source_file(doc_id) is not None,
    }


ABSENT = {"triples": 0, "dense": [], "lexical": [], "listed": (False, False), "source": False}


def leftovers(store: Path) -> list[str]:
    return sorted(str(p.relative_to(store)) for p in store.rglob("*") if p.name.endswith((".part", ".tmp")))


def doc_id(path: Path) -> str:
    from ingest.pipeline import doc_id_for

    return doc_id_for(path)


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """Two closed stores (``one``: the earlier sample; ``both``: both samples, not embedded) and the
    state of each document in ``both``."""
    base = tmp_path_factory.mktemp("crash")
    with BudgetKG.open(base / "one") as kg:
        assert kg.ingest_file(EARLIER).ok
    shutil.copytree(base / "one", base / "both")
    with BudgetKG.open(base / "both") as kg:
        assert kg.ingest_file(KILLED).ok
        states = {p: doc_state(kg, doc_id(p)) for p in (EARLIER, KILLED)}
    for p in (EARLIER, KILLED):
        s = states[p]
        assert s["triples"] > 1000 and len(s["dense"]) > 50 and s["dense"] == s["lexical"] and s["source"]
    return base, states


def union_is_exact(kg: BudgetKG) -> bool:
    """The default graph holds each fact of the named graphs once and nothing else (:mod:`kg.store`)."""
    default, named = set(), set()
    for q in kg.store.engine.quads_for_pattern():
        (default if isinstance(q.graph_name, ox.DefaultGraph) else named).add((q.subject, q.predicate, q.object))
    return default == named


def check_after_kill(store: Path, states: dict, killed: Path) -> str:
    """The checks after a kill; returns whether the killed document was found ``absent`` or ``complete``."""
    with BudgetKG.open(store) as kg:
        assert leftovers(store) == []  # opening cleaned what the killed writer left
        assert union_is_exact(kg)
        assert doc_state(kg, doc_id(EARLIER)) == states[EARLIER]
        found = doc_state(kg, doc_id(killed))
        assert found in (ABSENT, states[killed]), found
        if found == ABSENT:  # and no search reaches it: no passage of it in either index
            index = kg.search_index
            words = "城乡社区 预算 项目支出 一般公共预算"
            assert not any(doc_id(killed) in iri for iri, _ in index.lexical.search(words, k=1000))
            assert not any(doc_id(killed) in iri for iri in index.dense.all_iris())
        state = "absent" if found == ABSENT else "complete"
        assert kg.ingest_file(killed).ok  # a re-ingest: the counts of an uninterrupted one
        assert doc_state(kg, doc_id(killed)) == states[killed]
        assert doc_state(kg, doc_id(EARLIER)) == states[EARLIER]
        assert union_is_exact(kg)
    return state


@pytest.mark.parametrize("point", INGEST_POINTS)
def test_ingest_killed(templates, tmp_path, point):
    base, states = templates
    store = Path(shutil.copytree(base / "one", tmp_path / "store"))
    run_killed(store, ingesting(KILLED), point)
    state = check_after_kill(store, states, KILLED)
    # before the graph commit the document is absent; after it, opening completes the indexes
    committed = INGEST_POINTS.index(point) > INGEST_POINTS.index("ingest:staged")
    assert state == ("complete" if committed else "absent")


@pytest.mark.parametrize("point", DELETE_POINTS)
def test_delete_killed(templates, tmp_path, point):
    base, states = templates
    store = Path(shutil.copytree(base / "both", tmp_path / "store"))
    run_killed(store, deleting(doc_id(KILLED)), point)
    assert check_after_kill(store, states, KILLED) == "absent"  # the DROP GRAPH came first


def test_a_truncated_tokens_file_no_longer_bricks_the_store(templates, tmp_path):
    """Failure 4 as an older version left it: ``tokens.json`` empty after a kill mid-write."""
    base, states = templates
    store = Path(shutil.copytree(base / "both", tmp_path / "store"))
    (store / "search" / "lexical" / "tokens.json").write_text("")
    with BudgetKG.open(store) as kg:
        for p in (EARLIER, KILLED):
            assert doc_state(kg, doc_id(p)) == states[p]  # refilled from the graphs on open
        assert kg.search_index.lexical.search("城乡社区", k=5)
        assert kg.search_index.reconcile() == {"removed": 0, "added": 0}
        assert kg.ingest_file(KILLED).ok


def test_a_document_left_changing_is_read_again_on_open(templates, tmp_path):
    """A re-ingest killed after its graph commit: the indexes still hold the old version's passages,
    so only the changing-journal tells that they must be read again."""
    base, states = templates
    store = Path(shutil.copytree(base / "both", tmp_path / "store"))
    killed = doc_id(KILLED)
    with BudgetKG.open(store) as kg:
        kg.search_index.begin(killed)
        g = kg.store.doc_graph(killed)
        kg.store.restore_document(killed, f'<{g}> <http://purl.org/dc/terms/identifier> "{killed}" .\n')
    assert json.loads((store / "search" / "changing.json").read_text()) == [killed]
    with BudgetKG.open(store) as kg:
        found = doc_state(kg, killed)
        assert found["triples"] == 1 and found["dense"] == found["lexical"] == [] and found["listed"] == (True, True)
    assert not (store / "search" / "changing.json").exists()


def test_an_ingest_failing_after_its_graph_commit_is_rolled_back(templates, tmp_path, monkeypatch):
    base, states = templates

    def broken(self, docs):
        raise OSError("disk full")

    store = Path(shutil.copytree(base / "one", tmp_path / "new"))
    with BudgetKG.open(store) as kg:
        monkeypatch.setattr(SearchIndex, "update_documents", broken)
        result = kg.ingest_file(KILLED)
        assert not result.ok and "disk full" in result.error
        monkeypatch.undo()
        assert doc_state(kg, doc_id(KILLED)) == ABSENT  # a new document: its graph is gone again
        assert doc_state(kg, doc_id(EARLIER)) == states[EARLIER]
    store = Path(shutil.copytree(base / "both", tmp_path / "again"))
    with BudgetKG.open(store) as kg:
        monkeypatch.setattr(SearchIndex, "update_documents", broken)
        assert not kg.ingest_file(KILLED).ok
        monkeypatch.undo()
        assert doc_state(kg, doc_id(KILLED)) == states[KILLED]  # a re-ingest: the previous graph is back
    assert leftovers(store) == []


def test_search_after_a_killed_delete_returns_nothing_of_the_deleted_document(samples_store):
    """Failure 5 through the search itself (embedded store, the real model): a delete killed after its
    lexical entries went but before its vectors did; hybrid and dense search reach none of its passages."""
    gone = doc_id(KILLED)
    with BudgetKG.open(samples_store) as kg:
        before = kg.search("城乡社区支出 项目", top_k=50, by_subject=False)
        assert {h.document.id for h in before} == {doc_id(EARLIER), gone}
    run_killed(samples_store, deleting(gone), "delete:lexical")
    with BudgetKG.open(samples_store) as kg:
        assert kg.pending_embeddings() == 0
        for mode in ("hybrid", "dense", "lexical"):
            hits = kg.search("城乡社区支出 项目", top_k=50, mode=mode, by_subject=False)
            assert hits and {h.document.id for h in hits} == {doc_id(EARLIER)}, mode

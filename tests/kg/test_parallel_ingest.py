"""Parallel ingest on Dask (issue 16): a local cluster of two workers ingests a batch into the same store,
with the same results and lines, in the same order, as the sequential path; a broken file or a killed
worker fails that file alone."""

from __future__ import annotations

import shutil

from collections import Counter

import pytest
from pyoxigraph import BlankNode

from disclosure_parts import SOURCE, split
from helpers import FIXTURE_DOCS, SAMPLES, plain_main
from kg.api import BudgetKG
from kg.killpoints import KILL_ENV
from kg.outcome import WORKER_LOST
from kg.settings import Cluster, cpu_count, resolve_cluster
from kg.store import Store

TWO = Cluster(workers=2)


@pytest.fixture(scope="module", autouse=True)
def _plain_main():
    """Workers spawned here re-run no page script an AppTest left as ``__main__`` (:func:`helpers.plain_main`)."""
    with plain_main():
        yield


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """A folder of parts of one disclosure (joined), a sample (its titles need the embedding model, on the
    workers), a broken PDF in the middle, two fixtures and a copy of one under another name (the same
    document again)."""
    folder = tmp_path_factory.mktemp("batch")
    parts = folder / "parts"
    parts.mkdir()
    split(SOURCE.read_text(encoding="utf-8"), parts)
    broken = folder / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n")
    copy = folder / "copy_of_100.txt"
    shutil.copyfile(FIXTURE_DOCS[0], copy)
    return [parts, SAMPLES[0], broken, FIXTURE_DOCS[0], FIXTURE_DOCS[1], copy]


def _ingest(store_dir, paths, monkeypatch, cluster=None):
    """The results, the progress lines, the order of the graph writes and the store's quads and findings."""
    writes: list[str] = []
    add = Store.add_documents

    def recorded(self, batch):
        writes.extend(extraction.document.doc_id for extraction, _, _ in batch)
        return add(self, batch)

    monkeypatch.setattr(Store, "add_documents", recorded)
    lines: list[str] = []
    with BudgetKG(store_dir) as kg:
        results = kg.ingest(paths, progress=lambda r: lines.append(r.message), cluster=cluster)
        quads = Counter(str(q) if not any(isinstance(t, BlankNode) for t in (q.subject, q.object)) else "blank"
                        for q in kg.store.engine.quads_for_pattern())  # the ontology's blank nodes are named anew in every store
        findings = sorted(map(repr, kg.findings()))
        documents = kg.documents()
    monkeypatch.undo()
    return results, lines, writes, quads, findings, documents


@pytest.fixture(scope="module")
def victim(tmp_path_factory):
    """A file whose reading kills its worker (a kill point in the Dask task only)."""
    path = tmp_path_factory.mktemp("victim") / "killer.txt"
    shutil.copyfile(FIXTURE_DOCS[2], path)
    return path


@pytest.fixture(scope="module")
def both(batch, victim, tmp_path_factory):
    """The batch read here, and read on two workers with the victim after the broken file."""
    with pytest.MonkeyPatch.context() as mp:
        sequential = _ingest(tmp_path_factory.mktemp("sequential"), batch, mp)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(KILL_ENV, f"dask-read:{victim.name}")  # the workers inherit it; only their task kills
        parallel = _ingest(tmp_path_factory.mktemp("parallel"), [*batch[:3], victim, *batch[3:]], mp, TWO)
    return sequential, parallel


def _without(got, index):
    """The parallel run's results and lines without the victim's."""
    results, lines, *rest = got
    return (results[:index] + results[index + 1:], lines[:index] + lines[index + 1:], *rest)


def test_two_workers_give_the_store_and_results_of_the_sequential_path(both):
    (results, lines, writes, quads, findings, documents), parallel = both
    assert [r.path.name for r in results] == ["赣州市南康区农业农村局2026年部门预算公开说明.txt", SAMPLES[0].name,
                                              "broken.pdf", FIXTURE_DOCS[0].name, FIXTURE_DOCS[1].name,
                                              "copy_of_100.txt"]
    assert len(results[0].files) == 3 and results[0].note  # the parts joined, on Dask as here
    parallel = _without(parallel, 3)
    assert parallel[0] == results  # every IngestResult: ids, triples, warnings, errors, notes
    assert parallel[1] == lines  # the progress lines, in the same order
    assert parallel[2] == writes  # the graphs written in the batch's order
    assert parallel[3] == quads  # every quad: the documents, the default graph, the links graphs
    assert parallel[4] == findings
    assert parallel[5] == documents
    assert len(documents) == 4 and len(findings) > 0


def test_a_broken_file_in_the_middle_fails_alone_and_names_itself(both):
    _, (results, lines, writes, *_) = both
    broken = results[2]
    assert not broken.ok and broken.error_code == "pdf_corrupt"
    assert lines[2].startswith("broken.pdf：") and "\n" not in lines[2]
    assert all(r.ok for i, r in enumerate(results) if i not in (2, 3))  # the files after it are read and written
    assert len(writes) == 5  # the copy of 100 is written again (its graph replaced), the broken file never


def test_a_worker_killed_while_reading_fails_that_file_and_the_rest_goes_on(both, victim):
    _, (results, lines, writes, quads, findings, documents) = both
    killed = results[3]
    assert killed.path == victim and not killed.ok and killed.error_code == WORKER_LOST
    assert lines[3].startswith(f"{victim.name}：") and "工作进程中途退出" in lines[3]
    assert all(r.ok for r in results[4:])  # the batch went on, on the worker started again
    assert victim.name not in {f for d in documents for f in d.source_files}  # nothing of it written


def test_a_scheduler_by_its_address_reads_the_batch(tmp_path):
    """``Cluster(scheduler=…)``: a running cluster (here one started on 127.0.0.1) reads the batch; the
    client leaves it running."""
    from distributed import Client, LocalCluster

    files = FIXTURE_DOCS[:2]  # two that need no embedding model
    with BudgetKG(tmp_path / "seq") as kg:
        sequential = kg.ingest(files)
    with LocalCluster(n_workers=1, threads_per_worker=2, dashboard_address="127.0.0.1:0") as cluster:
        with BudgetKG(tmp_path / "remote") as kg:
            remote = kg.ingest(files, cluster=Cluster(scheduler=cluster.scheduler_address))
        with Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 1  # still there
    assert remote == sequential and all(r.ok for r in remote)


def test_a_scheduler_that_cannot_be_reached_is_one_clear_error(tmp_path, monkeypatch):
    from kg import parallel
    from kg.types import ClusterError, error_message

    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT_S", 1)
    with BudgetKG(tmp_path / "store") as kg, pytest.raises(ClusterError) as err:
        kg.ingest(SAMPLES, cluster=Cluster(scheduler="tcp://127.0.0.1:9"))
    assert error_message(err.value) == "无法连接 Dask 调度器 tcp://127.0.0.1:9（请检查地址和端口，以及调度器是否在运行）"


def test_the_cluster_settings_resolve_once():
    assert resolve_cluster() is None
    assert resolve_cluster(parallel=True) == Cluster(workers=cpu_count())
    assert resolve_cluster(workers=3) == Cluster(workers=3)
    assert resolve_cluster(scheduler="tcp://10.0.0.5:8786") == Cluster(scheduler="tcp://10.0.0.5:8786")
    with pytest.raises(ValueError, match="调度器地址无效"):
        resolve_cluster(scheduler="10.0.0.5")
    with pytest.raises(ValueError, match="至少为 1"):
        resolve_cluster(workers=0)


def test_ctrl_c_shuts_the_local_cluster_down(tmp_path, monkeypatch):
    """A KeyboardInterrupt while the batch runs (here in the progress callback) ends the ingest, and the
    local cluster's worker processes are gone with it; what was written stays whole."""
    import multiprocessing

    from kg import batch

    monkeypatch.setattr(batch, "BATCH_SECONDS", 0)  # each disclosure written as it comes back

    running = []

    def interrupt(result):
        running.extend(multiprocessing.active_children())
        raise KeyboardInterrupt

    with BudgetKG(tmp_path / "store") as kg:
        with pytest.raises(KeyboardInterrupt):
            kg.ingest(FIXTURE_DOCS[:2], progress=interrupt, cluster=TWO)  # two that need no embedding model
        assert len(running) >= 2  # the workers, while the batch ran
        assert multiprocessing.active_children() == [] and not any(p.is_alive() for p in running)
        assert [d.source_file for d in kg.documents()] == [FIXTURE_DOCS[0].name]  # the first, written before

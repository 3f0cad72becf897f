"""A batch read in parallel on Dask (issue 16): the work of a disclosure that needs no store runs as tasks on
a cluster's workers, and the client writes the results to the store one by one, in the batch's order.

Two steps, as the sequential path (:meth:`kg.api.BudgetKG.ingest`) takes them, the client writing what comes
back in batches as it does (:mod:`kg.batch`):

1. every file is read for what it says it is (:func:`read_part`), one task a file; the parts come back and
   the client groups the files into disclosures (:func:`ingest.disclosure.group_parts`).  Grouping needs
   every file's part, so the first write waits for this step, and the client holds the files' readings until
   each goes out with its disclosure (as the sequential path holds them all at this point);
2. each disclosure is extracted over its readings (parsing, reconciling, audit) and mapped to its graph's
   N-Triples (:func:`read_disclosure`), at most :data:`AHEAD` tasks per worker thread ahead of the one being
   written, so the client holds at most that many results and writes each as soon as it is its turn.

A task gives a failure as its one line (:mod:`kg.outcome`: an :class:`~ingest.errors.IngestError` does not
pickle); a worker that dies while reading a file (killed, out of memory) fails that disclosure alone and the
batch goes on: every task is pinned to a worker thread no other task of ours holds (:class:`Pinned`; Dask
would queue several on one worker, and a death fails all it holds), and on a local cluster a task whose
worker died is not run again (:data:`LOCAL`).  The embedding similarity for titles
(:func:`kg.embed.similarity.text_similarity`) is loaded once per worker process, on its first use.
"""

from __future__ import annotations

import logging
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from .errors import ClusterError
from .killpoints import kill_point
from .outcome import error_line, lost_line
from .settings import Cluster

if TYPE_CHECKING:
    from distributed import Client

    from ingest.disclosure import Disclosure, Part

AHEAD = 2  # disclosures read ahead per worker: one running, one waiting for the writer
WORKER_ENV = {"BUDGETKG_WORKERS": "1"}  # a worker reads a PDF's pages itself: the cluster is the parallelism
CONNECT_TIMEOUT_S = 10  # to reach a scheduler
WORKERS_TIMEOUT_S = 60  # for a worker to come back when all have died
QUIET = logging.CRITICAL  # Dask's own log level while a batch runs: its lines are no progress lines, and each
# failure it logs (a worker that died) is the line of the disclosure it failed
LOCAL_HTTP = "127.0.0.1:0"  # the scheduler's HTTP endpoint (always started): a free port of this host only, not
# the shared 8787 (taken by another cluster, Dask warns on the terminal)
CLIENT = {"distributed.admin.large-graph-warning-threshold": "4GB"}  # a disclosure's readings go with its task
LOCAL = {"distributed.scheduler.allowed-failures": 0}  # a task whose worker died fails: it is what killed it


@dataclass(frozen=True)
class Read:
    """One disclosure as a worker read it: its extraction and graph (N-Triples), or its failure's line and code."""

    extraction: object = None
    graph: str | None = None
    error: str | None = None
    code: str | None = None


@contextmanager
def connect(cluster: Cluster) -> Iterator[Client]:
    """A Dask client of ``cluster``: its scheduler, or a local cluster of processes (one thread each) that
    is shut down when the block ends, also on an error or Ctrl-C (:class:`~kg.errors.ClusterError` when
    neither can be had).  Dask's own log lines (below CRITICAL) are kept off the terminal meanwhile."""
    import dask
    import distributed  # noqa: F401  its config defaults in place before the settings below are set

    log = logging.getLogger("distributed")
    level = log.level
    log.setLevel(QUIET)
    try:
        with dask.config.set(CLIENT), _client(cluster) as client:
            yield client
    finally:
        log.setLevel(level)


@contextmanager
def _client(cluster: Cluster) -> Iterator[Client]:
    import dask
    from distributed import Client, LocalCluster

    if cluster.scheduler is not None:
        try:
            client = Client(cluster.scheduler, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot connect to the Dask scheduler {cluster.scheduler}: {exc}",
                               address=cluster.scheduler) from exc
        with client:
            yield client
        return
    try:
        with dask.config.set(LOCAL):
            local = LocalCluster(n_workers=cluster.workers, threads_per_worker=1, processes=True,
                                 dashboard_address=LOCAL_HTTP, silence_logs=QUIET, env=WORKER_ENV)
    except (OSError, TimeoutError, RuntimeError) as exc:
        raise ClusterError(f"cannot start a local Dask cluster of {cluster.workers} workers: {exc}",
                           workers=cluster.workers) from exc
    with local, Client(local) as client:
        yield client


def read_part(path: Path, model: str | None, password: str | None) -> Part | None:
    """Task: what ``path`` says it is, or ``None`` when it cannot be read (its extraction will say why)."""
    from ingest.disclosure import read_part as read
    from ingest.errors import IngestError

    from .embed.similarity import text_similarity

    try:
        return read(path, text_similarity(model), password)
    except (IngestError, OSError):  # as ingest.disclosure.group_files
        return None


def read_disclosure(paths: tuple[Path, ...], readings: dict, model: str | None, password: str | None,
                    base: str) -> Read:
    """Task: one disclosure extracted (``readings``: its files already read) and mapped to N-Triples."""
    from ingest.pipeline import extract_disclosure

    from .embed.similarity import text_similarity
    from .mapping import map_ntriples

    kill_point(f"dask-read:{paths[0].name}")
    try:
        ex = extract_disclosure(paths, password=password, similarity=text_similarity(model), readings=readings)
        graph = map_ntriples(ex, base)
    except Exception as exc:  # one bad file must not stop a batch: its line goes back to the client
        return Read(None, None, *error_line(paths[0], exc))
    return Read(ex, graph)


class Pinned:
    """Our tasks on a cluster, each pinned to a worker with a thread no other task of ours holds: a
    worker that dies takes only the task that killed it (no task waits behind it, no input of another
    lives there), which :data:`LOCAL` does not run again."""

    def __init__(self, client: Client):
        self.client = client
        self.held: dict[str, list] = {}  # worker address → our unfinished tasks there

    def _free(self) -> str | None:
        workers = self.client.scheduler_info()["workers"]
        if not workers:  # every worker died at once: a nanny starts it again
            try:
                self.client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
            except TimeoutError as exc:
                raise ClusterError(f"no Dask worker came back within {WORKERS_TIMEOUT_S} s") from exc
            workers = self.client.scheduler_info()["workers"]
        self.held = {addr: [f for f in self.held.get(addr, []) if not f.done()] for addr in workers}
        return next((addr for addr, w in sorted(workers.items())
                     if len(self.held[addr]) < w.get("nthreads", 1)), None)

    def submit(self, fn, *args):
        """``fn(*args)`` on a free worker thread (another worker should that one be gone by then)."""
        from distributed import wait

        while (addr := self._free()) is None:
            wait([f for futures in self.held.values() for f in futures], return_when="FIRST_COMPLETED")
        future = self.client.submit(fn, *args, workers=[addr], allow_other_workers=True, pure=False)
        self.held[addr].append(future)
        return future

    def slots(self) -> int:
        return sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values()) or 1


def _outcome(future):
    """A task's result, or the exception that says its worker did not finish it."""
    try:
        return future.result()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # KilledWorker, a lost connection, a cancelled task (CancelledError)
        return exc
    finally:
        future.release()


def _in_order(pinned: Pinned, calls: Iterator[tuple]) -> Iterator:
    """The outcome of each call (``(fn, *args)``, :meth:`Pinned.submit`), in order, at most :data:`AHEAD`
    per worker thread submitted ahead of the one given back."""
    ahead = AHEAD * pinned.slots()
    running: deque = deque()
    for call in calls:
        running.append(pinned.submit(*call))
        if len(running) >= ahead:
            yield _outcome(running.popleft())
    while running:
        yield _outcome(running.popleft())


def read_batch(client: Client, files: Sequence[Path], model: str | None, password: str | None,
               base: str) -> Iterator[tuple[Disclosure, Read]]:
    """Each disclosure of ``files`` with its :class:`Read`, in the batch's order, as each becomes ready."""
    from ingest.disclosure import group_parts

    pinned = Pinned(client)
    parts = dict(zip(files, _in_order(pinned, ((read_part, path, model, password) for path in files))))
    read = {path: part for path, part in parts.items() if part is not None and not isinstance(part, BaseException)}
    disclosures = group_parts(list(files), read)  # a file not read (or whose worker died) is read again alone
    del parts, read
    told = [replace(d, readings={}) for d in disclosures]  # the readings go with their task, not kept here

    def calls():
        for i, disclosure in enumerate(disclosures):
            disclosures[i] = None
            yield read_disclosure, disclosure.paths, disclosure.readings, model, password, base

    for disclosure, result in zip(told, _in_order(pinned, calls())):
        if isinstance(result, BaseException):
            result = Read(None, None, *lost_line(disclosure.paths[0], result))
        yield disclosure, result

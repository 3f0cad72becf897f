"""Documents written in batches (issue 16): ingest reads documents one at a time, or on Dask, and writes them
here, many at once, through the store's one batch write (:meth:`kg.store.Store.add_documents`).

One write per document rebuilt the links graph of its department at every document (a department's graph is
read and written whole: ~1.7k triples/s through ``BudgetKG.ingest`` on synthetic departments); a batch
rebuilds it once, and a large first load goes through the bulk loader.  :class:`Batches` holds what was
read until the batch is large (:data:`BATCH_TRIPLES`) or its first document has waited
:data:`BATCH_SECONDS`, and writes at once after a reading that took that long (a PDF: batching saves little
beside its reading), so that progress lines keep coming during a long ingest; the results come back in the
order the documents came in, the failures of reading in their place.

All or nothing per document, as one write per document was (:func:`write`): the search index notes every
document of the batch as changing first (a kill is repaired on the next open); a batch whose write fails
leaves nothing in the store (one transaction, or a bulk load undone), and its documents are then written one
at a time, so that the one at fault fails alone; a document whose indexing fails after the commit gets its
previous graph back.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from .killpoints import kill_point
from .outcome import error_line, failed, stored
from .types import IngestResult

log = logging.getLogger(__name__)

BATCH_TRIPLES = 200_000  # a write's triples: its SPARQL update or N-Quads are held in memory (~40 MB)
BATCH_SECONDS = 2.0  # the longest a document read waits for its write (and its progress line)


@dataclass(frozen=True)
class Item:
    """One disclosure read and mapped, waiting for its write: its files, extraction and graph's N-Triples."""

    paths: tuple[Path, ...]
    extraction: object
    graph: str
    note: str | None = None

    @property
    def doc_id(self) -> str:
        return self.extraction.document.doc_id


def write(store, index, items: Sequence[Item]) -> list[int | Exception]:
    """Store and index ``items`` (distinct documents) in one write; each one's triple count, or the error that
    failed it (nothing of that document written).  ``index``: the store's :class:`kg.search.SearchIndex`."""
    if not items:
        return []
    ids = [item.doc_id for item in items]
    with store.writing():  # other processes on the same server store wait (kg.locks)
        previous = {doc_id: store.snapshot(doc_id) for doc_id in ids}
        index.begin(*ids)
        try:
            counts = store.add_documents([(item.extraction, item.graph, item.paths) for item in items])
        except Exception as exc:  # nothing of the batch was written
            if len(items) > 1:  # each alone: the one at fault fails by itself
                return [out for item in items for out in write(store, index, [item])]
            _reconcile(index)
            return [exc]
        except BaseException:
            _reconcile(index)
            raise
        kill_point("ingest:source-kept")
        try:
            index.update_documents(ids)
            return list(counts)
        except Exception:  # one at a time below, so that the document at fault fails alone
            pass
        except BaseException:
            _undo(store, index, ids, previous)
            raise
        out: list[int | Exception] = []
        for i, (doc_id, n) in enumerate(zip(ids, counts)):
            try:
                index.update_document(doc_id)
            except Exception as exc:  # committed but not indexed: the previous graph back
                _undo(store, index, [doc_id], previous)
                out.append(exc)
            except BaseException:
                _undo(store, index, ids[i:], previous)
                raise
            else:
                out.append(n)
        return out


def _undo(store, index, doc_ids: list[str], previous: dict[str, str | None]) -> None:
    """Documents committed but not indexed: their previous graphs back, the index in line with them."""
    for doc_id in doc_ids:
        store.restore_document(doc_id, previous[doc_id])
    _reconcile(index)


def _reconcile(index) -> None:
    """The index brought back in line with the graphs after a failure (the first error is the one to report;
    the next open repairs what this cannot: said in the log, not raised)."""
    try:
        index.reconcile()
    except Exception as exc:
        log.warning("search index not brought back in line after a failed write (repaired on the next open): %s",
                    exc)


class Batches:
    """What ingest read, in order (an :class:`Item` to write, or an :class:`~kg.types.IngestResult` already
    decided: a file that could not be read), written a batch at a time by ``write_items`` (:func:`write` on
    the store).  :meth:`add` and :meth:`flush` give the results ready, in the order their documents came."""

    def __init__(self, write_items: Callable[[list[Item]], list[int | Exception]]):
        self.write_items, self.triples, self.seconds = write_items, BATCH_TRIPLES, BATCH_SECONDS
        self.entries: list[Item | IngestResult] = []
        self.held = 0  # triples waiting
        self.since: float | None = None  # when the first item waiting came
        self.last = time.monotonic()  # when the last entry came

    def add(self, entry: Item | IngestResult) -> list[IngestResult]:
        """Hold ``entry``; the batch is written when it is large, when its first document has waited long
        enough, or when this entry took that long to come (a slow reading, a PDF: the next will likely be
        slow too, so what waits is written now rather than after it)."""
        ready = []
        now = time.monotonic()
        slow, self.last = now - self.last >= self.seconds, now
        if isinstance(entry, Item):
            if any(isinstance(e, Item) and e.doc_id == entry.doc_id for e in self.entries):
                ready = self.flush()  # the same document again: the first is written before it is replaced
            self.held += entry.graph.count("\n")
            self.since = now if self.since is None else self.since
        self.entries.append(entry)
        if self.since is None or slow or self.held >= self.triples or now - self.since >= self.seconds:
            ready += self.flush()
        return ready

    def flush(self) -> list[IngestResult]:
        """Write what waits; every result held, in order."""
        entries, self.entries, self.held, self.since = self.entries, [], 0, None
        outcomes = iter(self.write_items([e for e in entries if isinstance(e, Item)]))
        return [_result(e, next(outcomes)) if isinstance(e, Item) else e for e in entries]


def _result(item: Item, outcome: int | Exception) -> IngestResult:
    if isinstance(outcome, Exception):
        return failed(item.paths, *error_line(item.paths[0], outcome), item.note)
    return stored(item.paths, item.extraction, outcome, item.note)

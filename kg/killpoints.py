"""Named points where the crash tests kill a writer: ``BUDGETKG_TEST_KILL_AT=<point>`` (tests only).

Each point is one :func:`kill_point` line in the write path; the process dies there with SIGKILL, as
under ``kill -9``, so no ``finally`` or ``atexit`` runs.  The points (tests/kg/test_crash_consistency.py
kills at each):

* ``ingest:staged``, ``ingest:committed``, ``ingest:source-kept``, ``ingest:lexical``, ``ingest:indexed``
  (:meth:`kg.api.BudgetKG.ingest_file` and :meth:`kg.search.index.SearchIndex.update_document`);
* ``bulk:marked``, ``bulk:loaded``, ``bulk:updated`` (:meth:`kg.store.Store.add_documents` on its bulk path:
  before the load, after it, after the update of the graphs it replaces; killed in tests/kg/test_bulk_write.py);
* ``delete:dropped``, ``delete:source-removed``, ``delete:lexical`` (:meth:`kg.api.BudgetKG.delete`);
* ``write:<file name>``: halfway through writing that file of the store (:mod:`kg.atomic`), e.g.
  ``write:tokens.json``, ``write:userdict.txt``, ``write:bm25``, ``write:dense.faiss``, ``write:changing.json``;
* ``dask-read:<file name>``: a Dask worker reading the disclosure of that (first) file (:mod:`kg.parallel`;
  tests/kg/test_parallel_ingest.py kills a worker there, the client goes on).
"""

from __future__ import annotations

import os
import signal

KILL_ENV = "BUDGETKG_TEST_KILL_AT"


def kill_point(name: str) -> None:
    """Die here (SIGKILL) when ``$BUDGETKG_TEST_KILL_AT`` names this point; nothing otherwise."""
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)

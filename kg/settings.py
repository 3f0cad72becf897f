"""Where a budgetkg process works: its store directory, embedding model and IRI base, resolved once; and
where an ingest reads a batch (:class:`Cluster`: a local Dask cluster or a scheduler's address).

Each value comes from the front-end's option, else its environment variable (``BUDGETKG_STORE``,
``BUDGETKG_MODEL``, ``BUDGETKG_BASE``), else the default.  Front-ends call :func:`resolve` once and pass
the :class:`Settings` on as arguments; nothing below this module reads these variables.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .namespaces import DEFAULT_BASE

DEFAULT_STORE = "./budgetkg-data"
ENV_STORE, ENV_MODEL, ENV_BASE = "BUDGETKG_STORE", "BUDGETKG_MODEL", "BUDGETKG_BASE"


@dataclass(frozen=True)
class Settings:
    """The store directory, the embedding model (None: the default model) and the IRI base."""

    store_dir: Path
    model: str | None
    base: str


def resolve(store: Path | str | None = None, model: str | None = None, base: str | None = None,
            environ: Mapping[str, str] = os.environ) -> Settings:
    """Option, else environment, else default, for each setting (an empty value counts as unset)."""
    return Settings(store_dir=Path(store or environ.get(ENV_STORE) or DEFAULT_STORE),
                    model=model or environ.get(ENV_MODEL) or None,
                    base=base or environ.get(ENV_BASE) or DEFAULT_BASE)


SCHEDULER = re.compile(r"(tcp|tls)://[^\s/:]+:\d{1,5}")  # a Dask scheduler's address


def cpu_count() -> int:
    """The CPUs this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class Cluster:
    """Where an ingest reads a batch in parallel (:mod:`kg.parallel`): the Dask scheduler at ``scheduler``,
    else a local cluster of ``workers`` processes of one thread each."""

    workers: int = 1
    scheduler: str | None = None


def resolve_cluster(parallel: bool = False, workers: int | None = None,
                    scheduler: str | None = None) -> Cluster | None:
    """The cluster an ingest asked for: ``scheduler`` (``tcp://host:port``), else a local cluster of
    ``workers`` (``parallel`` without a count: one per CPU); ``None``: read in this process.
    :class:`ValueError` (one Chinese line) for a malformed address or fewer than one worker."""
    if scheduler:
        if not SCHEDULER.fullmatch(scheduler):
            raise ValueError(f"Dask 调度器地址无效：{scheduler}（应为 tcp://主机:端口）")
        return Cluster(workers=workers or 1, scheduler=scheduler)
    if workers is not None and workers < 1:
        raise ValueError(f"工作进程数须至少为 1：{workers}")
    if workers is None and not parallel:
        return None
    return Cluster(workers=workers or cpu_count())

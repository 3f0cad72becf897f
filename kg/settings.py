"""Where a budgetkg process works: its store (a directory or a SPARQL server), embedding model and IRI
base, resolved once; and where an ingest reads a batch (:class:`Cluster`: a local Dask cluster or a scheduler's address).

Each value comes from the front-end's option, else its environment variable (``BUDGETKG_STORE``,
``BUDGETKG_MODEL``, ``BUDGETKG_BASE``, ``BUDGETKG_INDEX_DIR``, ``BUDGETKG_QUERY_URL``,
``BUDGETKG_UPDATE_URL``, ``BUDGETKG_GSP_URL``), else the default.  Front-ends call :func:`resolve` once and
pass the :class:`Settings` on as arguments; nothing below this module reads these variables.

The store is a directory (an Oxigraph store opened in this process) or the base URL of a SPARQL 1.1
server (``http://127.0.0.1:7878``): its query, update and graph store endpoints are Oxigraph's paths
under it (``/query``, ``/update``, ``/store``) unless given.  A server store keeps its local part (the
search indexes, the copies of ingested files) in the index directory, by default
``$XDG_DATA_HOME/budgetkg/indexes/{host}-{port}-{hash of the URL}`` (one per dataset).  A URL's credentials
(``http://user:password@host``) are taken out of it at once: the endpoints' URLs, which every message and
the app show, never hold them (:attr:`Endpoint.credentials`, sent by :mod:`kg.endpoint`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from .namespaces import DEFAULT_BASE

DEFAULT_STORE = "./budgetkg-data"
DEFAULT_INDEX_ROOT = "indexes"  # a server store's local part: $XDG_DATA_HOME/budgetkg/indexes/{host}-{port}-{hash}
ENV_STORE, ENV_MODEL, ENV_BASE = "BUDGETKG_STORE", "BUDGETKG_MODEL", "BUDGETKG_BASE"
ENV_INDEX_DIR = "BUDGETKG_INDEX_DIR"
ENV_QUERY_URL, ENV_UPDATE_URL, ENV_GSP_URL = "BUDGETKG_QUERY_URL", "BUDGETKG_UPDATE_URL", "BUDGETKG_GSP_URL"
ENDPOINT_PATHS = {"query": "/query", "update": "/update", "store": "/store"}  # Oxigraph's, under the base URL


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 server: its base URL and its query, update and graph store protocol endpoints, none with
    credentials; ``credentials``: ``user:password`` for Basic authentication, from the URLs given (never shown)."""

    url: str
    query: str
    update: str
    store: str
    credentials: str | None = field(default=None, repr=False)

    def url_with_credentials(self, url: str) -> str:
        """``url`` (one of this server's) with the credentials put back, for a child process's command line."""
        if not self.credentials:
            return url
        parts = urlsplit(url)
        user, _, password = self.credentials.partition(":")
        login = f"{quote(user, safe='')}:{quote(password, safe='')}@"
        return urlunsplit(parts._replace(netloc=login + parts.netloc))


@dataclass(frozen=True)
class Settings:
    """The store's local directory, the embedding model (None: the default model), the IRI base and the
    server (None: the directory is the store itself, opened in this process).

    ``store_dir`` holds everything of the store that lives on this machine: for an embedded store the
    Oxigraph database, its search indexes and the copies of ingested files; for a server store
    (``endpoint``) the indexes and the copies only."""

    store_dir: Path
    model: str | None
    base: str
    endpoint: Endpoint | None = None

    @property
    def location(self) -> str:
        """Where the store is, for messages: its URL or its directory."""
        return self.endpoint.url if self.endpoint else str(self.store_dir)


def is_url(store: object) -> bool:
    """A store given as the URL of a server (``http://`` or ``https://``)."""
    return urlsplit(str(store)).scheme in ("http", "https")


def default_index_dir(url: str) -> Path:
    """The default local directory of the server store at ``url``: one per server and dataset path (two
    datasets of one server never share indexes), under the user's data directory, so that processes started in
    different folders share it."""
    import hashlib

    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    key = hashlib.sha256(f"{parts.scheme}://{parts.hostname}:{port}{parts.path.rstrip('/')}".encode()).hexdigest()[:12]
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data / "budgetkg" / DEFAULT_INDEX_ROOT / f"{parts.hostname}-{port}-{key}"


def without_credentials(url: str) -> tuple[str, str | None]:
    """``url`` without its ``user:password@`` part, and that part (``None`` when there is none)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=host)), f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"


def endpoint(url: str, query: str | None = None, update: str | None = None, store: str | None = None) -> Endpoint:
    """The endpoints of the server at ``url``: those given, else Oxigraph's paths under it; credentials in
    any of the URLs are taken out of all (the base URL's first) into :attr:`Endpoint.credentials`."""
    base, credentials = without_credentials(url.rstrip("/"))
    urls = {}
    for name, given in {"query": query, "update": update, "store": store}.items():
        urls[name], theirs = without_credentials(given) if given else (base + ENDPOINT_PATHS[name], None)
        credentials = credentials or theirs
    return Endpoint(base, **urls, credentials=credentials)


def resolve(store: Path | str | None = None, model: str | None = None, base: str | None = None,
            index_dir: Path | str | None = None, query_url: str | None = None, update_url: str | None = None,
            gsp_url: str | None = None, environ: Mapping[str, str] = os.environ) -> Settings:
    """Option, else environment, else default, for each setting (an empty value counts as unset)."""
    where = str(store or environ.get(ENV_STORE) or DEFAULT_STORE)
    server = None
    if is_url(where):
        server = endpoint(where, query_url or environ.get(ENV_QUERY_URL), update_url or environ.get(ENV_UPDATE_URL),
                          gsp_url or environ.get(ENV_GSP_URL))
        local = Path(index_dir or environ.get(ENV_INDEX_DIR) or default_index_dir(server.url))
    else:
        local = Path(where)
    return Settings(store_dir=local, model=model or environ.get(ENV_MODEL) or None,
                    base=base or environ.get(ENV_BASE) or DEFAULT_BASE, endpoint=server)


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

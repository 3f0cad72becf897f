"""What every page shares: the settings, the one :class:`~kg.api.BudgetKG`, links to entity pages, the first-run ingest.

The app is launched as ``streamlit run search_app/app.py -- --store DIR [--model M] [--base B]``
(a server store: ``--store URL --index-dir DIR`` and ``--query-url``/``--update-url``/``--gsp-url``;
``budgetkg app`` does that); those arguments are read once per process, with the environment and
the defaults behind them (:func:`kg.types.resolve_settings`).  The store is opened once per process
and shared by every session.  Writes (ingest, delete) take :func:`write_lock` and then
:func:`bump_revision`, which is the key that cached results (``st.cache_data``) are stored under:
the store is fixed per process, so the revision alone tells results apart (on a server store other
processes write too: the revision includes the store's version, which every budgetkg writer renews).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

import streamlit as st

from kg.api import BudgetKG
from kg.types import PHASE_ZH, Settings, resolve_settings

from .markup import md_escape

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "samples"  # the bundled sample disclosures
NO_BUDGETS = "知识库中还没有预决算文件。请先在“文档”页导入。"  # a page that needs budgets, on an empty store


def app_settings(argv: list[str], environ: Mapping[str, str] = os.environ) -> Settings:
    """The settings given by the app's arguments (``--store``, ``--model``, ``--base``, ``--index-dir`` and the
    endpoints of a server store), else ``environ``, else the defaults.  Other arguments are left alone (under
    AppTest, argv is the test runner's)."""
    parser = argparse.ArgumentParser(prog="search_app", add_help=False, allow_abbrev=False)
    for name in ("--store", "--model", "--base", "--index-dir", "--query-url", "--update-url", "--gsp-url"):
        parser.add_argument(name)
    args, _ = parser.parse_known_args(argv)
    return resolve_settings(store=args.store, model=args.model, base=args.base, index_dir=args.index_dir,
                            query_url=args.query_url, update_url=args.update_url, gsp_url=args.gsp_url,
                            environ=environ)


@st.cache_resource
def settings() -> Settings:
    """The settings of this process, from its command line (read once)."""
    return app_settings(sys.argv[1:])


def store_dir() -> str:
    """The store's local directory of this process, absolute (the key of what sessions share)."""
    return str(settings().store_dir.resolve())


def store_location() -> str:
    """Where this process's store is, for people: its directory, or the URL of its SPARQL server."""
    return settings().endpoint.url if settings().endpoint else store_dir()


@st.cache_resource(show_spinner="正在打开知识库…", on_release=lambda kg: kg.close())
def _open() -> BudgetKG:
    kg = BudgetKG.open(settings())
    kg.preload_model()  # every page may search: the model is ready when the first query comes
    return kg


def get_kg() -> BudgetKG:
    """The store of this process (:func:`settings`), opened once."""
    return _open()


@st.cache_resource
def _shared(path: str) -> dict:
    """Per store: the write lock, the revision counter, whether the samples were checked."""
    return {"lock": threading.Lock(), "revision": 0, "samples_checked": False}


def write_lock() -> threading.Lock:
    """Held while a page writes to the store (one writer at a time across sessions)."""
    return _shared(store_dir())["lock"]


def revision() -> tuple[int, str]:
    """A key that changes after every write through the app, and after a write by another process sharing
    a server store (:attr:`kg.api.BudgetKG.version`): the cache key of derived data."""
    return _shared(store_dir())["revision"], get_kg().version


def bump_revision() -> None:
    _shared(store_dir())["revision"] += 1


# --- links ----------------------------------------------------------------------------------------

def entity_url(iri: str) -> str:
    """The entity page of ``iri``, relative to the app (``entity?iri=…``)."""
    return "entity?iri=" + quote(str(iri), safe="")


def entity_link(label: str, iri: str) -> str:
    """A markdown link to the entity page of ``iri`` showing ``label`` (escaped)."""
    return f"[{md_escape(label or iri)}]({entity_url(iri)})"


def entity_page_link(label: str, iri: str, icon: str | None = None, where=st) -> None:
    """A link to the entity page of ``iri`` that stays in the app (``st.page_link``, same tab), in bold."""
    from .nav import page

    where.page_link(page("entity"), label=f"**{md_escape(label or iri)}**", icon=icon, query_params={"iri": iri})


@st.cache_data(show_spinner=False, max_entries=8)
def _documents(rev: tuple[int, str]) -> dict[str, dict]:
    return {d.doc_id: vars(d) for d in get_kg().documents()}


def documents() -> dict[str, dict]:
    """``{doc_id: DocumentInfo fields}`` of the store, cached until the next write."""
    return _documents(revision())


def document_label(doc_id: str) -> str:
    """``武汉市江岸区医疗保障局 2026 预算（001_….txt）`` for a stored document, else its id."""
    d = documents().get(doc_id)
    if not d:
        return doc_id
    head = " ".join(str(x) for x in (d["department"], d["year"], PHASE_ZH.get(d["phase"], d["phase"])) if x)
    return f"{head}（{d['source_file']}）" if head and d["source_file"] else head or d["source_file"] or doc_id


def set_params(params: dict[str, object]) -> None:
    """Make the URL hold exactly ``params`` (empty values left out), so that it reproduces the page."""
    want = {k: str(v) for k, v in params.items() if v not in (None, "")}
    if st.query_params.to_dict() != want:
        st.query_params.from_dict(want)


# --- first run ------------------------------------------------------------------------------------

def embed_pending(kg: BudgetKG, label: str = "正在建立语义索引…") -> int:
    """Embed the passages waiting for search, with a progress bar; returns how many."""
    todo = kg.pending_embeddings()
    if not todo:
        return 0
    bar = st.progress(0.0, text=f"{label}（加载语义模型）")
    done = 0

    def progress(n: int) -> None:
        nonlocal done
        done += n
        bar.progress(min(done / todo, 1.0), text=f"{label} {done}/{todo} 段")

    n = kg.embed(progress=progress)
    bar.empty()
    return n


def ensure_samples(kg: BudgetKG, folder: Path | None = None) -> None:
    """If the store holds no document, ingest ``folder`` (the bundled ``samples/``) and embed it, showing progress.

    Checked once per store and process; a second session waits for the first one's ingest."""
    folder = Path(folder or SAMPLES_DIR)
    shared = _shared(str(kg.store_dir))
    if shared["samples_checked"]:
        return
    with shared["lock"]:
        if shared["samples_checked"] or kg.documents():
            shared["samples_checked"] = True
            return
        files = kg.files([folder]) if folder.is_dir() else []
        if not files:
            shared["samples_checked"] = True
            return
        with st.status("首次启动：正在导入示例文档…", expanded=True) as status:
            bar = st.progress(0.0, text=f"0/{len(files)} 个文件")
            results = []

            def progress(result) -> None:
                results.append(result)
                bar.progress(len(results) / len(files), text=f"{len(results)}/{len(files)} 个文件")
                if result.ok:
                    st.markdown(f":green[:material/check_circle:] {md_escape(result.path.name)}："
                                f"{result.triples} 个三元组，{len(result.warnings)} 条提示")
                else:
                    st.markdown(f":red[:material/error:] {md_escape(result.message)}")

            kg.ingest(files, progress=progress)
            embed_pending(kg)
            shared["revision"] += 1
            shared["samples_checked"] = True
            good = sum(r.ok for r in results)
            status.update(label=f"已导入 {good} 份示例文档", state="complete" if good else "error", expanded=False)

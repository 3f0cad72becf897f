"""The app's pages, declared once: ``app.py`` navigates over them, views link to them (``st.page_link``).

Each page is a ``page()`` function in ``search_app/views/``, imported when it is first shown.  Every path
the app links to exists: the start page ``/`` is the search page, and ``/search`` is it too (Streamlit
ignores the URL path of its default page, so ``search`` is also declared as a page of its own, and the
menu — :func:`menu` — is drawn by the app instead of Streamlit's, which would list it twice).  Icons are
emoji: a ``:material/…:`` page icon becomes a favicon fetched from Google's font CDN.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    title: str
    icon: str
    module: str

    def run(self) -> None:
        importlib.import_module(self.module).page()


PAGES = [
    PageSpec("search", "检索", "🔍", "search_app.views.search"),
    PageSpec("entity", "实体", "🏷️", "search_app.views.entity"),
    PageSpec("charts", "图表", "📊", "search_app.views.charts"),
    PageSpec("sparql", "SPARQL 查询", "⌨️", "search_app.views.sparql"),
    PageSpec("export", "导出", "📥", "search_app.views.export"),
    PageSpec("documents", "文档", "📄", "search_app.views.documents"),
]
DEFAULT = "search"
HOME = ""  # the start page (``/``, its own path ``start`` unused by Streamlit), showing :data:`DEFAULT`
BY_PATH = {p.url_path: p for p in PAGES}


def page(url_path: str) -> st.Page:
    """The ``st.Page`` of one of :data:`PAGES` (the same page whenever it is built: keyed by URL path);
    ``page(HOME)`` is the start page, showing :data:`DEFAULT`."""
    spec = BY_PATH[url_path or DEFAULT]
    return st.Page(spec.run, title=spec.title, icon=spec.icon, url_path=url_path or "start",
                   default=url_path == HOME)


def pages() -> list[st.Page]:
    return [page(HOME), *(page(p.url_path) for p in PAGES)]


def menu() -> None:
    """The app's menu: one link per page (the start page is the search page, listed once)."""
    for column, spec in zip(st.columns(len(PAGES)), PAGES):
        column.page_link(page(spec.url_path), label=spec.title, icon=spec.icon)

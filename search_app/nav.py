"""The app's pages, declared once: ``app.py`` navigates over them, views link to them (``st.page_link``).

Each page is a ``page()`` function in ``search_app/views/``, imported when it is first shown.  Every path
the app links to exists: the start page ``/`` is the search page, and ``/search`` is it too (Streamlit
ignores the URL path of its default page, so ``search`` is also declared as a page of its own, and the
menu — :func:`menu` — is drawn by the app instead of Streamlit's, which would list it twice).  The menu's
icons are Streamlit's bundled font; an ``st.Page`` gets none, for a ``:material/…:`` page icon becomes a favicon
fetched from Google's font CDN (the favicon is the app's own icon.svg).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import streamlit as st

from search_app.markup import md_code


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    title: str
    icon: str
    module: str

    def run(self) -> None:
        importlib.import_module(self.module).page()


PAGES = [
    PageSpec("search", "检索", ":material/search:", "search_app.views.search"),
    PageSpec("entity", "实体", ":material/account_tree:", "search_app.views.entity"),
    PageSpec("charts", "图表", ":material/bar_chart:", "search_app.views.charts"),
    PageSpec("compare", "比较", ":material/compare_arrows:", "search_app.views.compare"),
    PageSpec("sparql", "SPARQL 查询", ":material/terminal:", "search_app.views.sparql"),
    PageSpec("export", "导出", ":material/download:", "search_app.views.export"),
    PageSpec("findings", "一致性检查", ":material/fact_check:", "search_app.views.findings"),
    PageSpec("documents", "文档", ":material/description:", "search_app.views.documents"),
]
DEFAULT = "search"
HOME = ""  # the start page (``/``, its own path ``start`` unused by Streamlit), showing :data:`DEFAULT`
BY_PATH = {p.url_path: p for p in PAGES}


def page(url_path: str) -> st.Page:
    """The ``st.Page`` of one of :data:`PAGES` (the same page whenever it is built: keyed by URL path);
    ``page(HOME)`` is the start page, showing :data:`DEFAULT`."""
    spec = BY_PATH[url_path or DEFAULT]
    return st.Page(spec.run, title=spec.title, url_path=url_path or "start",
                   default=url_path == HOME)


def pages() -> list[st.Page]:
    return [page(HOME), *(page(p.url_path) for p in PAGES)]


def unknown_path() -> str | None:
    """The last segment of the browser's URL path when it names no page (Streamlit then runs the start page)."""
    last = urlsplit(st.context.url or "").path.rstrip("/").rsplit("/", 1)[-1]
    return last if last and last not in BY_PATH and last != "start" else None


def menu() -> None:
    """The app's menu: one link per page (the start page is the search page, listed once)."""
    for column, spec in zip(st.columns(len(PAGES)), PAGES):
        column.page_link(page(spec.url_path), label=spec.title, icon=spec.icon)
    if missing := unknown_path():
        st.warning(f"没有「{md_code(unquote(missing))}」这个页面，已打开检索页。")

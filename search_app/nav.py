"""The app's pages, declared once: ``app.py`` navigates over them, views link to them (``st.page_link``).

Each page is a ``page()`` function in ``search_app/views/``, imported when it is first shown.
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
    PageSpec("search", "检索", ":material/search:", "search_app.views.search"),
    PageSpec("entity", "实体", ":material/account_tree:", "search_app.views.entity"),
    PageSpec("charts", "图表", ":material/bar_chart:", "search_app.views.charts"),
    PageSpec("sparql", "SPARQL 查询", ":material/terminal:", "search_app.views.sparql"),
    PageSpec("export", "导出", ":material/download:", "search_app.views.export"),
    PageSpec("documents", "文档", ":material/description:", "search_app.views.documents"),
]
DEFAULT = "search"
BY_PATH = {p.url_path: p for p in PAGES}


def page(url_path: str) -> st.Page:
    """The ``st.Page`` of one of :data:`PAGES` (the same page whenever it is built: keyed by URL path)."""
    spec = BY_PATH[url_path]
    return st.Page(spec.run, title=spec.title, icon=spec.icon, url_path=spec.url_path,
                   default=spec.url_path == DEFAULT)


def pages() -> list[st.Page]:
    return [page(p.url_path) for p in PAGES]

"""Running one page of the app under AppTest, and reading what it shows."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

TIMEOUT = 120  # seconds: the first search in a process loads the embedding model


def page_test(name: str) -> AppTest:
    """One page of the app (``search_app/views/{name}.py``) as its own script."""
    return AppTest.from_string(f"from search_app.views.{name} import page\npage()\n", default_timeout=TIMEOUT)


def run_with(name: str, **params) -> AppTest:
    """One run of page ``name`` with ``params`` in its URL, checked to raise nothing."""
    at = page_test(name)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    """The values of every element of one kind (``markdown``, ``caption``, ``error``…)."""
    return [str(e.value) for e in getattr(at, kind)]


def plain(markdown: str) -> str:
    """Escaped markdown (``**1\\. 名称\\(甲\\)**``) back to its text."""
    return re.sub(r"\\(.)", r"\1", markdown.strip("*"))


def page_links(at: AppTest) -> list[tuple[str, str, str]]:
    """``(label as text, page, query string)`` of every ``st.page_link``."""
    return [(plain(e.proto.label), e.proto.page, e.proto.query_string) for e in at.get("page_link")]

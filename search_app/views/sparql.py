"""SPARQL 查询: an editor with example queries, read-only runs through ``BudgetKG.sparql``.

The query is in the URL (``?query=…``), which reproduces the page and runs the query again, within
the limits of a typed one: kg runs it in a child process without network that is killed at the
timeout (rows and memory bounded too).  UPDATE, SERVICE and LOAD are refused by kg; each refusal is
explained in Chinese by its error ``code`` (:func:`kg.errors.error_message`), without kg's English message.
Results past the row limit are cut with a note.
"""

from __future__ import annotations

import io
from decimal import Decimal

import streamlit as st

from kg.types import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_S, ROW_FORMATS, QueryError, display, error_message
from search_app.markup import CHOOSE, md_escape
from search_app.state import get_kg, revision, set_params

KEY, EXAMPLE_KEY, RAN_KEY = "sparql_query", "sparql_example", "sparql_ran"
LIMITS = (100, 1000, DEFAULT_ROW_LIMIT)


@st.cache_data(show_spinner=False, max_entries=4)
def _examples(rev: tuple[int, str]) -> dict[str, str]:
    return get_kg().example_queries()


def rows_as(fmt: str, result, base: str) -> bytes:
    """The rows of a result as CSV or JSON (kg.render's writers, Chinese kept as is, IRIs whole)."""
    buf = io.StringIO()
    ROW_FORMATS[fmt](result.rows, result.vars, buf, base=base)
    return buf.getvalue().encode("utf-8")


def _cell(value, base: str):
    """A value for the table: numbers stay numbers, an IRI is the stored string (it pastes into a query)."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return display(value, base)


def _pick_example() -> None:
    title = st.session_state[EXAMPLE_KEY]
    if title:
        st.session_state[KEY] = _examples(revision())[title]
        st.session_state[RAN_KEY] = None


def _run() -> None:
    st.session_state[RAN_KEY] = st.session_state[KEY]


def _show(query: str, limit: int) -> None:
    try:
        with st.spinner("正在查询…"):
            result = get_kg().sparql(query, timeout=DEFAULT_TIMEOUT_S, limit=limit)
    except QueryError as exc:
        st.error(f"{md_escape(error_message(exc))}。")
        return
    if result.kind == "ask":
        st.success("ASK 结果：是（true）") if result.boolean else st.info("ASK 结果：否（false）")
        return
    note = f"（已达上限 {limit} 行，后面的结果未显示；可在查询中加 LIMIT 或提高上限）" if result.truncated else ""
    st.caption(f"共 {len(result.rows)} 行{note}")
    if result.truncated:
        st.warning(f"结果超过 {limit} 行，只显示前 {limit} 行。")
    base = get_kg().base
    st.dataframe([{k: _cell(v, base) for k, v in row.items()} for row in result.rows],
                 column_order=result.vars, hide_index=True, width="stretch")
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button("下载 CSV", rows_as("csv", result, base), file_name="budgetkg-query.csv", mime="text/csv",
                       icon=":material/download:", on_click="ignore")
    c2.download_button("下载 JSON", rows_as("json", result, base), file_name="budgetkg-query.json",
                       mime="application/json", icon=":material/download:", on_click="ignore")


def page() -> None:
    st.title("SPARQL 查询")
    st.caption(f"只读：可用 SELECT、ASK、CONSTRUCT、DESCRIBE；UPDATE（INSERT/DELETE 等）、SERVICE、LOAD 一律拒绝。"
               f"超过 {DEFAULT_TIMEOUT_S:g} 秒的查询会被停止。前缀 bgt、org、qb、skos、prov、eli、dcterms、rdfs、xsd、kg 已预先定义。")
    examples = _examples(revision())
    url_query = st.query_params.get("query", "")
    if KEY not in st.session_state:  # first view of the page: the URL's query, run at once, else an example
        st.session_state[KEY] = url_query or next(iter(examples.values()))
        st.session_state[RAN_KEY] = url_query or None
    st.selectbox("示例查询", ["", *examples], key=EXAMPLE_KEY, on_change=_pick_example,
                 format_func=lambda t: t or "选择一个示例，填入下方编辑框…", placeholder=CHOOSE)
    st.html(f"<style>.st-key-{KEY} textarea {{ font-family: ui-monospace, 'DejaVu Sans Mono', monospace; }}</style>")
    st.text_area("查询", key=KEY, height=260)
    c1, c2, _ = st.columns([1, 2, 5], vertical_alignment="bottom")
    c1.button("运行", type="primary", on_click=_run, icon=":material/play_arrow:", width="stretch")
    limit = c2.selectbox("最多返回行数", LIMITS, index=len(LIMITS) - 1, key="sparql_limit", placeholder=CHOOSE)
    ran = st.session_state.get(RAN_KEY)
    set_params({"query": ran})
    if ran and ran.strip():
        _show(ran, limit)

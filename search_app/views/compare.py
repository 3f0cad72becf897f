"""比较: one department year by year, its 预算 against the 决算 of a year, or departments side by side.

The URL holds every choice (``compare?view=years&dept=…&years=2023,2024,2025&phase=预算``,
``view=execution&year=2024``, ``view=departments&with=…,…&year=2025``); what it holds is read back through
the store (a name no department goes by, years or a phase that are none, are refused with a message, and
the page falls back to a choice it can show).  Tables come from ``BudgetKG.compare``: every cell escaped,
amounts right-aligned, each with its source on hover (and listed under the table); one chart per comparison.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from kg.types import PHASE_WORDS, PHASE_ZH, BudgetKGError, BudgetRef, Comparison, error_message
from search_app.markup import CHOOSE, html_text, md_escape
from search_app.state import NO_BUDGETS, get_kg, revision, set_params
from search_app.views.charts import AXIS, plotted

VIEWS = {"years": "逐年比较", "execution": "预算与决算", "departments": "部门并列"}
WITH_SEPARATOR = ","
AMOUNT_HEADER = "（万元）"


@st.cache_data(show_spinner=False, max_entries=8)
def _budgets(rev: tuple[int, str]) -> list[BudgetRef]:
    return [b for b in get_kg().budgets() if b.scope == "department"]


@st.cache_data(show_spinner="正在比较…", max_entries=32)
def _compare(rev: tuple[int, str], view: str, dept: str, years: str, phase: str, year: str, others: tuple[str, ...]) -> Comparison:
    kg = get_kg()
    if view == "execution":
        return kg.compare(dept, vs_final=year)
    if view == "departments":
        return kg.compare(dept, with_departments=others, year=year, phase=phase)
    return kg.compare(dept, years=years or None, phase=phase)


def _refused(exc: BaseException, what: str) -> None:
    st.warning(f"链接中的{what}无法使用：{md_escape(error_message(exc))}。已改为可显示的选择。")


def _department(asked: str | None, depts: list[str]) -> str:
    """The department the URL names (any name it goes by), else the first."""
    if asked:
        try:
            return get_kg().department_named(asked)
        except BudgetKGError as exc:
            _refused(exc, "部门")
    return depts[0]


def _years(asked: str | None, offered: list[int]) -> list[int]:
    """The years the URL names that the department has, else all of them."""
    if asked:
        try:
            chosen = [y for y in get_kg().compare_years(asked) or () if y in offered]
            if chosen:
                return chosen
            st.warning("链接中的年度在知识库中没有该部门的预决算，已改为全部年度。")
        except BudgetKGError as exc:
            _refused(exc, "年度")
    return offered


def page() -> None:
    st.header("预决算比较")
    refs = _budgets(revision())
    if not refs:
        st.info(NO_BUDGETS)
        return
    params = st.query_params
    depts = sorted({b.department for b in refs})
    asked_view = params.get("view") or "years"
    if asked_view not in VIEWS:
        st.warning(f"没有「{md_escape(asked_view)}」这种比较，已改为逐年比较。")
        asked_view = "years"
    phase = PHASE_WORDS.get((params.get("phase") or "预算").strip().lower())
    if phase is None:
        st.warning(f"链接中的阶段「{md_escape(params.get('phase'))}」不是预算或决算，已改为预算。")
        phase = "budget"
    dept = _department(params.get("dept"), depts)

    c1, c2, c3 = st.columns([2, 3, 1])
    view = c1.radio("比较", list(VIEWS), format_func=VIEWS.get, index=list(VIEWS).index(asked_view), horizontal=True)
    dept = c2.selectbox("部门", depts, index=depts.index(dept) if dept in depts else 0, placeholder=CHOOSE)
    mine = [b for b in refs if b.department == dept]
    years_text, year, others = "", "", ()
    if view == "execution":
        finals = sorted({b.year for b in mine if b.phase == "final_account" and b.year}, reverse=True)
        if not finals:
            st.info(f"知识库中没有{md_escape(dept)}的决算，无法比较预算与决算。")
            return
        asked = params.get("year")
        if asked and asked not in {str(y) for y in finals}:
            st.warning(f"链接中的年度「{md_escape(asked)}」没有该部门的决算，已改为最近的决算年度。")
        year = c3.selectbox("年度", finals, index=[str(y) for y in finals].index(asked) if asked in
                            {str(y) for y in finals} else 0, format_func=lambda y: f"{y} 年")
        phase = "final_account"
    else:
        phase = PHASE_WORDS[c3.radio("阶段", ["预算", "决算"], index=int(phase == "final_account"), horizontal=True)]
        offered = sorted({b.year for b in mine if b.phase == phase and b.year})
        if not offered:
            st.info(f"知识库中没有{md_escape(dept)}的{PHASE_ZH[phase]}。")
            return
        if view == "years":
            chosen = st.multiselect("年度", offered, default=_years(params.get("years"), offered),
                                    format_func=lambda y: f"{y} 年", placeholder=CHOOSE)
            years_text = WITH_SEPARATOR.join(str(y) for y in sorted(chosen or offered))
        else:
            asked_with = [d for d in (params.get("with") or "").split(WITH_SEPARATOR) if d.strip()]
            named_with = []
            for name in asked_with:
                try:
                    named_with.append(get_kg().department_named(name))
                except BudgetKGError as exc:
                    _refused(exc, "并列部门")
            left, right = st.columns([3, 1])
            choices = [d for d in depts if d != dept]
            others = tuple(left.multiselect("并列的部门", choices, default=[d for d in named_with if d in choices],
                                            placeholder=CHOOSE))
            asked = params.get("year")
            year = right.selectbox("年度", offered[::-1], index=offered[::-1].index(int(asked)) if asked and
                                   asked.isdigit() and int(asked) in offered else 0, format_func=lambda y: f"{y} 年")
    set_params({"view": view, "dept": dept, "years": years_text if view == "years" else "",
                "phase": "" if view == "execution" else PHASE_ZH[phase], "year": year,
                "with": WITH_SEPARATOR.join(others)})
    try:
        shown = _compare(revision(), view, dept, years_text, phase, str(year), others)
    except BudgetKGError as exc:
        st.error(f"{md_escape(error_message(exc))}。")
        return
    st.subheader(md_escape(shown.title))
    _chart(shown)
    for table in shown.tables:
        st.markdown(f"##### {md_escape(table.title)}")
        st.html(table_html(table))
        with st.expander("各数出处"):
            st.markdown("\n".join(sources_lines(table)) or "（无）")


def amount_columns(table) -> list[int]:
    """The columns of amounts read from documents (not changes or rates)."""
    return [i for i, c in enumerate(table.columns) if AMOUNT_HEADER in c and "增减" not in c]


def table_html(table) -> str:
    """One comparison table as escaped HTML: labels left, numbers right, each amount's source as its title."""
    head = "".join(f"<th>{html_text(c)}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for i, cell in enumerate(row):
            numeric = i >= 2 and (cell.value is not None or cell.text == "—")
            hover = cell.source_text
            title = f' title="{html_text(hover)}"' if hover else ""
            align = ' style="text-align:right;white-space:nowrap"' if numeric else ""
            cells.append(f"<td{align}{title}>{html_text(cell.text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<table class="bk-compare" data-key="{html_text(table.key)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def sources_lines(table) -> list[str]:
    """``- 名称 · 列：1,234.56 — 文档 第 n 行（表）`` for every amount with a source (markdown, escaped)."""
    out = []
    for row in table.rows:
        for i in amount_columns(table):
            cell = row[i]
            if cell.sources:
                out.append(f"- {md_escape(row[1].text)} · {md_escape(table.columns[i])}：{md_escape(cell.text)} — "
                           f"{md_escape(cell.source_text)}")
    return out


def _chart(shown: Comparison) -> None:
    """Bars of the comparison's first table of amounts: years or departments side by side, or 年初预算 and 决算."""
    table = shown.table("split") or (shown.tables[0] if shown.tables else None)
    if table is None:
        return
    columns = amount_columns(table)
    long = pd.DataFrame([{"名称": row[1].text, "列": table.columns[i], "金额（万元）": row[i].value,
                          "数额": row[i].text} for row in table.rows for i in columns if row[i].value is not None])
    if long.empty:
        return
    chart = alt.Chart(plotted(long)).mark_bar().encode(
        x=alt.X("名称:N", title=None, axis=AXIS, sort=None), xOffset=alt.XOffset("列:N", sort=None),
        y=alt.Y("金额（万元）:Q", title="金额（万元）"), color=alt.Color("列:N", title=None, sort=None),
        tooltip=["名称", "列", alt.Tooltip("数额", title="金额（万元）")])
    st.altair_chart(chart, width="stretch")

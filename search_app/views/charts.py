"""图表: where a department's money goes in one year and phase, and how budgets compare.

The URL holds the choice (``charts?dept=…&year=2026&phase=budget``).  The numbers come from
:mod:`kg.charts`; each chart has its table beside it, in 万元 as published.
"""

from __future__ import annotations

from decimal import Decimal

import altair as alt
import pandas as pd
import streamlit as st

from kg import charts as kc
from kg.labels import PHASE_ZH
from kg.filters import PHASE_WORDS
from search_app.markup import md_escape
from search_app.state import entity_link, get_kg, revision, set_params, store_dir

TOP_N = 15
AXIS = alt.Axis(labelLimit=260)


def _plot_values(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with its ``Decimal`` amounts (kg.charts) as floats, for Altair and the data grid only."""
    money = [c for c in df.columns if df[c].map(lambda v: isinstance(v, Decimal)).any()]
    return df.assign(**{c: df[c].astype(float) for c in money})


def _height(df: pd.DataFrame) -> int:
    return max(120, 26 * len(df))


@st.cache_data(show_spinner=False, max_entries=8)
def _budgets(path: str, rev: int) -> list[kc.BudgetRef]:
    return kc.budgets(get_kg().store)


@st.cache_data(show_spinner="正在汇总…", max_entries=64)
def _frames(path: str, rev: int, budget: str, level: str) -> dict[str, pd.DataFrame | float]:
    store = get_kg().store
    return {"functional": kc.functional(store, budget, level), "economic": kc.economic(store, budget, level),
            "split": kc.basic_vs_project(store, budget), "projects": kc.top_projects(store, budget, TOP_N),
            "total": kc.expenditure_total(store, budget)}


@st.cache_data(show_spinner="正在汇总…", max_entries=16)
def _across(path: str, rev: int, department: str, level: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    store = get_kg().store
    return kc.across(store), kc.functional_by_year(store, department, level)


def _phase_key(text: str) -> str:
    """``budget`` / ``final_account`` from either spelling in a URL (``预算``, ``决算``, …)."""
    return PHASE_WORDS.get(text.strip().lower(), text)


def page() -> None:
    st.header("支出结构图表")
    refs = _budgets(store_dir(), revision())
    if not refs:
        st.info("知识库中还没有预决算文件。请先在“文档”页导入。")
        return
    params = st.query_params
    asked = kc.find_budget_in(refs, params.get("dept"), params.get("year"), _phase_key(params.get("phase") or ""))
    if asked is None and any(params.get(k) for k in ("dept", "year", "phase")):
        st.warning("链接中的部门、年度或阶段在知识库中没有对应的预决算，已改为显示最近的一份。")
    asked = asked or kc.find_budget_in(refs, params.get("dept")) or kc.find_budget_in(refs)

    depts = sorted({b.department for b in refs})
    c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
    dept = c1.selectbox("部门", depts, index=depts.index(asked.department))
    mine = [b for b in refs if b.department == dept]
    years = sorted({b.year for b in mine}, key=lambda y: -(y or 0))
    year = c2.selectbox("年度", years, index=years.index(asked.year) if asked.year in years else 0,
                        format_func=lambda y: f"{y} 年" if y else "未注明")
    phases = [b.phase for b in mine if b.year == year]
    phase = c3.selectbox("阶段", phases, index=phases.index(asked.phase) if asked.phase in phases else 0,
                         format_func=lambda p: PHASE_ZH.get(p, p))
    level = c4.radio("科目层级", ["类", "款"], horizontal=True,
                     index=1 if params.get("level") == "款" else 0)
    budget = next(b for b in mine if b.year == year and b.phase == phase)
    set_params({"dept": dept, "year": year, "phase": phase, "level": "" if level == "类" else level})

    frames = _frames(store_dir(), revision(), budget.iri, level)
    split = frames["split"].set_index(kc.NAME)[kc.AMOUNT]
    st.markdown(f"#### {md_escape(budget.title)} · {entity_link('预算页', budget.iri)} · "
                f"{entity_link('部门页', budget.department_iri)}")
    m1, m2, m3 = st.columns(3)
    m1.metric("支出合计（万元）", f"{frames['total']:,.2f}")
    m2.metric("基本支出（万元）", f"{split[kc.BASIC]:,.2f}")
    m3.metric("项目支出（万元）", f"{split[kc.PROJECT]:,.2f}")

    left, right = st.columns(2, gap="large")
    with left:
        _bar_section(f"按支出功能分类（{level}）", frames["functional"], kc.NAME, kc.AMOUNT,
                     "该文件没有按功能分类的支出表。", stack=True)
    with right:
        _bar_section(f"基本支出按经济分类（{level}）", frames["economic"], kc.NAME, kc.AMOUNT,
                     "该文件没有按经济分类的基本支出表。")
    left, right = st.columns([1, 2], gap="large")
    with left:
        st.subheader("基本支出与项目支出")
        st.altair_chart(_pie(frames["split"]), width="stretch")
    with right:
        _projects(frames["projects"])
    _comparison(dept, level)


def _bar_section(title: str, df: pd.DataFrame, label: str, value: str, empty: str, stack: bool = False) -> None:
    st.subheader(title)
    if df.empty:
        st.info(empty)
        return
    df = _plot_values(df)
    shown = df.copy()
    shown[label] = shown[kc.CODE] + " " + shown[label]
    if stack and (shown[kc.BASIC].sum() or shown[kc.PROJECT].sum()):
        long = shown[[label, kc.BASIC, kc.PROJECT]].melt(id_vars=[label], var_name="支出类型", value_name=value)
        chart = alt.Chart(long, height=_height(shown)).mark_bar().encode(
            y=alt.Y(f"{label}:N", sort=alt.EncodingSortField(value, op="sum", order="descending"), title=None,
                    axis=AXIS),
            x=alt.X(f"{value}:Q", title=value), color=alt.Color("支出类型:N", title=None),
            tooltip=[label, "支出类型", alt.Tooltip(value, format=",.2f")])
    else:
        chart = alt.Chart(shown, height=_height(shown)).mark_bar().encode(
            y=alt.Y(f"{label}:N", sort="-x", title=None, axis=AXIS), x=alt.X(f"{value}:Q", title=value),
            tooltip=[label, alt.Tooltip(value, format=",.2f")])
    st.altair_chart(chart, width="stretch")
    with st.expander("数据"):
        st.dataframe(df, hide_index=True, column_config=_money_columns(df))


def _pie(split: pd.DataFrame) -> alt.Chart:
    return alt.Chart(_plot_values(split)).mark_arc(innerRadius=50).encode(
        theta=alt.Theta(f"{kc.AMOUNT}:Q"), color=alt.Color(f"{kc.NAME}:N", title=None),
        tooltip=[kc.NAME, alt.Tooltip(kc.AMOUNT, format=",.2f")])


def _projects(df: pd.DataFrame) -> None:
    st.subheader(f"金额最大的项目（前 {TOP_N} 个）")
    if df.empty:
        st.info("该文件没有列出项目金额。")
        return
    df = _plot_values(df)
    chart = alt.Chart(df, height=_height(df)).mark_bar().encode(
        y=alt.Y("项目:N", sort="-x", title=None, axis=AXIS), x=alt.X(f"{kc.AMOUNT}:Q", title=kc.AMOUNT),
        tooltip=["项目", "预算单位", alt.Tooltip(kc.AMOUNT, format=",.2f")])
    st.altair_chart(chart, width="stretch")
    with st.expander("项目列表"):
        rows = ["| 项目 | 预算单位 | 金额（万元） |", "|---|---|---:|"]
        rows += [f"| {entity_link(r['项目'], r['iri'])} | {md_escape(r['预算单位'])} | {r[kc.AMOUNT]:,.2f} |"
                 for _, r in df.iterrows()]
        st.markdown("\n".join(rows))


def _comparison(dept: str, level: str) -> None:
    across, by_year = map(_plot_values, _across(store_dir(), revision(), dept, level))
    if by_year[kc.PERIOD].nunique() > 1:
        st.subheader(f"{dept}：各年度功能分类支出（{level}）")
        shown = by_year.assign(**{kc.NAME: by_year[kc.CODE] + " " + by_year[kc.NAME]})
        chart = alt.Chart(shown).mark_bar().encode(
            x=alt.X(f"{kc.PERIOD}:N", title=None), y=alt.Y(f"{kc.AMOUNT}:Q", title=kc.AMOUNT),
            color=alt.Color(f"{kc.NAME}:N", title="科目"),
            tooltip=[kc.PERIOD, kc.NAME, alt.Tooltip(kc.AMOUNT, format=",.2f")])
        st.altair_chart(chart, width="stretch")
    if len(across) > 1:
        st.subheader("各部门、各年度支出对比")
        shown = across.assign(**{kc.PERIOD: across[kc.DEPARTMENT] + " " + across[kc.YEAR].astype(str) + " "
                                 + across[kc.PHASE]})
        long = shown[[kc.PERIOD, kc.BASIC, kc.PROJECT]].melt(id_vars=[kc.PERIOD], var_name="支出类型",
                                                             value_name=kc.AMOUNT)
        chart = alt.Chart(long, height=_height(shown)).mark_bar().encode(
            y=alt.Y(f"{kc.PERIOD}:N", title=None, axis=AXIS), x=alt.X(f"{kc.AMOUNT}:Q", title=kc.AMOUNT),
            color=alt.Color("支出类型:N", title=None),
            tooltip=[kc.PERIOD, "支出类型", alt.Tooltip(kc.AMOUNT, format=",.2f")])
        st.altair_chart(chart, width="stretch")
        with st.expander("数据"):
            st.dataframe(across, hide_index=True, column_config=_money_columns(across))


def _money_columns(df: pd.DataFrame) -> dict:
    return {c: st.column_config.NumberColumn(c, format="%.2f") for c in df.columns
            if pd.api.types.is_float_dtype(df[c])}

"""图表: where a department's money goes in one year and phase, and how budgets compare.

The URL holds the choice (``charts?dept=…&year=2026&phase=budget``).  The numbers come from
``BudgetKG.budget_charts`` and its siblings as ``Decimal`` 万元; they are shown with ``wan`` and turned
into floats only to be drawn (:func:`plotted`).  Each chart has its table beside it.
"""

from __future__ import annotations

from decimal import Decimal

import altair as alt
import pandas as pd
import streamlit as st

from kg.api import BudgetKG
from kg.types import CHART_COLUMNS as col
from kg.types import PHASE_WORDS, PHASE_ZH, BudgetCharts, BudgetRef, wan
from search_app.markup import CHOOSE, md_escape
from search_app.state import NO_BUDGETS, entity_link, get_kg, revision, set_params

TOP_N = 15
BAND = 28  # pixels per bar: every category label has room
LABEL_CHARS = 400  # pixels a category label may take before it is cut (with …)
AXIS = alt.Axis(labelLimit=LABEL_CHARS, labelOverlap=False, labelFlush=False)
SHOWN, SHARE_TEXT = "数额", "占比"  # text columns: an amount as printed (万元 to the cent), a share in percent


STEP = alt.Step(BAND)  # a bar chart's height: BAND pixels for each category


def plotted(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its ``Decimal`` amounts as floats, for charts and number columns (never for text)."""
    out = df.copy()
    for column in out.columns:
        if any(isinstance(v, Decimal) for v in out[column]):
            out[column] = out[column].astype(float)
    return out


@st.cache_data(show_spinner=False, max_entries=8)
def _budgets(rev: tuple[int, str]) -> list[BudgetRef]:
    return get_kg().budgets()


@st.cache_data(show_spinner="正在汇总…", max_entries=64)
def _frames(rev: tuple[int, str], budget: str, level: str) -> BudgetCharts:
    return get_kg().budget_charts(budget, level, TOP_N)


@st.cache_data(show_spinner="正在汇总…", max_entries=16)
def _across(rev: tuple[int, str], department: str, level: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    kg = get_kg()
    return kg.budgets_compared(), kg.functional_by_year(department, level)


def _phase_key(text: str) -> str:
    """``budget`` / ``final_account`` from either spelling in a URL (``预算``, ``决算``, …)."""
    return PHASE_WORDS.get(text.strip().lower(), text)


def page() -> None:
    st.header("支出结构图表")
    refs = _budgets(revision())
    if not refs:
        st.info(NO_BUDGETS)
        return
    params = st.query_params
    asked = BudgetKG.find_budget_in(refs, params.get("dept"), params.get("year"),
                                    _phase_key(params.get("phase") or ""), params.get("budget"))
    if asked is None and any(params.get(k) for k in ("dept", "year", "phase")):
        st.warning("链接中的部门、年度或阶段在知识库中没有对应的预决算，已改为显示最近的一份。")
    asked = asked or BudgetKG.find_budget_in(refs, params.get("dept")) or BudgetKG.find_budget_in(refs)

    depts = sorted({b.department for b in refs})
    c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
    dept = c1.selectbox("部门", depts, index=depts.index(asked.department), placeholder=CHOOSE)
    mine = [b for b in refs if b.department == dept]
    years = sorted({b.year for b in mine}, key=lambda y: -(y or 0))
    year = c2.selectbox("年度", years, index=years.index(asked.year) if asked.year in years else 0,
                        format_func=lambda y: f"{y} 年" if y else "未注明", placeholder=CHOOSE)
    of_year = {b.iri: b for b in mine if b.year == year}  # a 部门预算 and its 单位预算s are choices of their own
    keys = list(of_year)
    budget = of_year[c3.selectbox("阶段", keys, index=keys.index(asked.iri) if asked.iri in of_year else 0,
                                  format_func=lambda iri: _budget_choice(of_year[iri]), placeholder=CHOOSE)]
    level = c4.radio("科目层级", ["类", "款"], horizontal=True,
                     index=1 if params.get("level") == "款" else 0)
    set_params({"dept": dept, "year": year, "phase": budget.phase, "level": "" if level == "类" else level,
                "budget": budget.iri if budget.scope != "department" else ""})

    frames = _frames(revision(), budget.iri, level)
    split = frames.split.set_index(col.name)[col.amount]
    st.markdown(f"#### {md_escape(budget.title)} · {entity_link('预算页', budget.iri)} · "
                f"{entity_link('部门页', budget.department_iri)}")
    m1, m2, m3 = st.columns(3)
    m1.metric("支出合计（万元）", wan(frames.total))
    m2.metric("基本支出（万元）", wan(split[col.basic]))
    m3.metric("项目支出（万元）", wan(split[col.project]))

    left, right = st.columns(2, gap="large")
    with left:
        _bar_section(f"按支出功能分类（{level}）", frames.functional, col.name, col.amount,
                     "该文件没有按功能分类的支出表。", stack=True)
    with right:
        _bar_section(f"基本支出按经济分类（{level}）", frames.economic, col.name, col.amount,
                     "该文件没有按经济分类的基本支出表。")
    left, right = st.columns([1, 2], gap="large")
    with left:
        st.subheader("基本支出与项目支出")
        st.altair_chart(_pie(frames.split), width="stretch")
        _table(frames.split)
    with right:
        _projects(frames.projects)
    _comparison(dept, level)


def _budget_choice(b: BudgetRef) -> str:
    """``预算``; a 单位预算 with its own name (``单位预算：…本级 2025年单位预算``)."""
    return PHASE_ZH.get(b.phase, b.phase) if b.scope == "department" else f"{b.scope_label}{b.phase_label}：{b.title}"


def _bar_section(title: str, df: pd.DataFrame, label: str, value: str, empty: str, stack: bool = False) -> None:
    """A bar per class (``编码 名称``: every label drawn, none cut or dropped), its amount as printed in
    the tooltip, and the table below."""
    st.subheader(title)
    if df.empty:
        st.info(empty)
        return
    named = df.assign(**{label: df[col.code] + " " + df[label]})
    if stack and (plotted(df)[col.basic].sum() or plotted(df)[col.project].sum()):
        long = named[[label, col.basic, col.project]].melt(id_vars=[label], var_name="支出类型", value_name=value)
        chart = alt.Chart(_shown(long, value), height=STEP).mark_bar().encode(
            y=alt.Y(f"{label}:N", sort=alt.EncodingSortField(value, op="sum", order="descending"), title=None,
                    axis=AXIS),
            x=alt.X(f"{value}:Q", title=value), color=alt.Color("支出类型:N", title=None),
            tooltip=[label, "支出类型", alt.Tooltip(SHOWN, title=value)])
    else:
        chart = alt.Chart(_shown(named, value), height=STEP).mark_bar().encode(
            y=alt.Y(f"{label}:N", sort="-x", title=None, axis=AXIS), x=alt.X(f"{value}:Q", title=value),
            tooltip=[label, alt.Tooltip(SHOWN, title=value)])
    st.altair_chart(chart, width="stretch")
    with st.expander("数据"):
        _table(df)


def _shown(df: pd.DataFrame, value: str) -> pd.DataFrame:
    """``df`` to draw, with :data:`SHOWN`: its ``value`` as printed (万元 to the cent)."""
    return plotted(df).assign(**{SHOWN: [wan(a) for a in df[value]]})


def _pie(split: pd.DataFrame) -> alt.LayerChart:
    """The donut of 基本支出 and 项目支出, each arc labelled with its amount and share (text marks and
    tooltip, as printed: the amount to the cent, the share to 0.01%)."""
    shown = plotted(split).assign(**{SHOWN: [f"{wan(a)} 万元" for a in split[col.amount]],
                                      SHARE_TEXT: [f"{s}%" for s in split[col.share]]})
    base = alt.Chart(shown).encode(theta=alt.Theta(f"{col.amount}:Q", stack=True),
                                   color=alt.Color(f"{col.name}:N", title=None),
                                   tooltip=[col.name, SHOWN, SHARE_TEXT])
    arcs = base.mark_arc(innerRadius=50, outerRadius=110)
    values = base.mark_text(radius=140, size=12).encode(text=f"{SHOWN}:N")
    share = base.mark_text(radius=80, size=12, fontWeight="bold").encode(text=f"{SHARE_TEXT}:N")
    return alt.layer(arcs, values, share).properties(height=320)


def _projects(df: pd.DataFrame) -> None:
    st.subheader(f"金额最大的项目（前 {TOP_N} 个）")
    if df.empty:
        st.info("该文件没有列出项目金额。")
        return
    chart = alt.Chart(_shown(df, col.amount), height=STEP).mark_bar().encode(
        y=alt.Y(f"{col.label}:N", sort="-x", title=None, axis=AXIS), x=alt.X(f"{col.amount}:Q", title=col.amount),
        tooltip=["项目", "预算单位", alt.Tooltip(SHOWN, title=col.amount)])  # one bar per project (its label)
    st.altair_chart(chart, width="stretch")
    with st.expander("项目列表"):
        rows = ["| 项目 | 预算单位 | 金额（万元） |", "|---|---|---:|"]
        rows += [f"| {entity_link(r[col.label], r['iri'])} | {md_escape(r['预算单位'])} | {wan(r[col.amount])} |"
                 for _, r in df.iterrows()]
        st.markdown("\n".join(rows))


def _comparison(dept: str, level: str) -> None:
    across, by_year = _across(revision(), dept, level)
    if by_year[col.period].nunique() > 1:
        st.subheader(f"{dept}：各年度功能分类支出（{level}）")
        named = by_year.assign(**{col.name: by_year[col.code] + " " + by_year[col.name]})
        chart = alt.Chart(_shown(named, col.amount)).mark_bar().encode(
            x=alt.X(f"{col.period}:N", title=None, axis=AXIS), y=alt.Y(f"{col.amount}:Q", title=col.amount),
            color=alt.Color(f"{col.name}:N", title="科目"),
            tooltip=[col.period, col.name, alt.Tooltip(SHOWN, title=col.amount)])
        st.altair_chart(chart, width="stretch")
    if len(across) > 1:
        st.subheader("各部门、各年度支出对比")
        long = across.rename(columns={col.budget: col.period})[[col.period, col.basic, col.project]].melt(
            id_vars=[col.period], var_name="支出类型", value_name=col.amount)  # one bar per budget, by its title
        chart = alt.Chart(_shown(long, col.amount), height=STEP).mark_bar().encode(
            y=alt.Y(f"{col.period}:N", title=None, axis=AXIS), x=alt.X(f"{col.amount}:Q", title=col.amount),
            color=alt.Color("支出类型:N", title=None),
            tooltip=[col.period, "支出类型", alt.Tooltip(SHOWN, title=col.amount)])
        st.altair_chart(chart, width="stretch")
        with st.expander("数据"):
            _table(across)


def _table(df: pd.DataFrame) -> None:
    """The data of a chart, amounts as numbers to the cent."""
    shown = plotted(df)
    st.dataframe(shown, hide_index=True, column_config={
        c: st.column_config.NumberColumn(c, format="%.2f") for c in shown.columns
        if pd.api.types.is_float_dtype(shown[c])})

"""实体: one entity's page — its facts, links in and out, where each fact was read, and its neighbourhood.

The URL (``entity?iri=…``; a path under the base such as ``law/武政规〔2016〕32号`` works too) reproduces
the page.  Everything shown comes from ``BudgetKG.entity_view``; PDF sources show their page with
the row each fact was read from outlined (``BudgetKG.page_image``): a fact's 出处 is its own value's source.
"""

from __future__ import annotations


import streamlit as st

from kg.api import BudgetKG
from kg.types import EntityView, LinkGroup, PageImageError, QueryError, Source, error_message, place_text, wan
from search_app.markup import md_code, md_escape
from search_app.state import entity_link, entity_url, get_kg, revision

SHORT = 80  # longer values are shown as paragraphs under the table
MAX_ROWS = 200  # rows of a link table shown at once
MAX_SOURCE_ITEMS = 50  # items whose sources a link table's expander lists
AUTO_IMAGES = 2  # PDF page images shown without asking when an entity has at most this many sources
BUDGET_KINDS = ("budget", "department")


@st.cache_data(show_spinner="正在读取…", max_entries=64)
def _view(rev: tuple[int, str], iri: str) -> EntityView:
    return get_kg().entity_view(iri)


@st.cache_data(show_spinner="正在渲染原页…", max_entries=32)
def _page_png(rev: tuple[int, str], doc_id: str, page: int, bbox: tuple | None, source: str | None) -> bytes:
    return get_kg().page_image(doc_id, page, bbox, source=source)


def page() -> None:
    iri = (st.query_params.get("iri") or "").strip()
    if not iri:
        st.header("实体浏览")
        _finder()
        _landmarks()
        return
    try:
        view = _view(revision(), iri)
    except QueryError as exc:
        if exc.code != "query_input":
            raise
        st.header("无效的实体地址")
        st.warning(f"{md_code(iri)} 不是有效的 IRI。可按名称、文号或科目编码查找：")
        _finder()
        return
    if not view.found:
        st.header("未找到该实体")
        st.warning(f"知识库中没有关于 {md_code(view.iri)} 的记录。可按名称、文号或科目编码查找：")
        _finder()
        return
    _title(view)
    left, right = st.columns([3, 2], gap="large")
    with left:
        _facts(view)
    with right:
        st.markdown("**关系图**")
        st.graphviz_chart(get_kg().neighbourhood_dot(view, url_for=entity_url), width="stretch")
    if view.links:
        _cross_links(view)
    if view.budgets:
        _budgets(view)
    for group in view.outgoing + view.incoming:
        _group(group)
    if view.sources:
        st.subheader(f"出处（{len(view.sources)} 处）")
        _sources(view.sources, "own", auto=sum(s.is_pdf for s in view.sources) <= AUTO_IMAGES)


def _finder() -> None:
    text = st.text_input("按名称、文号或科目编码查找", placeholder="例如：医疗救助、武政规〔2016〕32号、2101301")
    if not text.strip():
        return
    hits = get_kg().lookup(text)
    if not hits:
        st.info("没有找到匹配的实体。")
    for h in hits:
        st.markdown(f"- {entity_link(h.label, h.iri)} · {md_escape(h.type_label)}")


def _landmarks() -> None:
    for title, hits in get_kg().landmarks().items():
        if hits:
            st.subheader(title)
            st.markdown("\n".join(f"- {entity_link(h.label, h.iri)}" for h in hits))


def _title(view: EntityView) -> None:
    st.header(md_escape(view.label))  # a name from a document: never markdown
    also = f" · 又称：{md_escape('、'.join(view.alt_labels))}" if view.alt_labels else ""
    st.caption(f"{md_escape(view.type_label or '实体')}{also}")
    st.caption(f"IRI：{md_code(view.iri)}")
    if view.kind in BUDGET_KINDS:
        from search_app.nav import page as nav_page

        params = {"dept": view.label} if view.kind == "department" else _budget_params(view)
        st.page_link(nav_page("charts"), label="查看支出结构图表", icon=":material/bar_chart:", query_params=params)
    from search_app.views.findings import BADGE_KINDS, badge  # here: that module imports this one

    if view.kind in BADGE_KINDS:
        badge(view.iri)


def _budget_params(view: EntityView) -> dict[str, str]:
    """The charts page's parameters for a budget: its IRI (a 单位预算 is told apart by it alone) and the
    department, year and phase it reads as."""
    dept = next((f.value.text for f in view.facts if f.value.iri and f.label == "所属部门"), "")
    year = next((f.value.text for f in view.facts if f.label == "年度"), "")
    phase = next((f.value.text for f in view.facts if f.label == "阶段"), "")
    return {k: v for k, v in {"dept": dept, "year": year, "phase": phase, "budget": view.iri}.items() if v}


def _brief(s: Source) -> str:
    """第 12 页 (PDF) or 第 294 行 (text): where to look, in a table cell."""
    return place_text(s.page, s.line, pdf=s.is_pdf) or s.doc_title or s.doc_id


def _value_md(text: str, iri: str | None) -> str:
    return entity_link(text, iri) if iri else md_escape(text)


def _facts(view: EntityView) -> None:
    short = [f for f in view.facts if len(f.value.text) <= SHORT]
    long = [f for f in view.facts if len(f.value.text) > SHORT]
    if short:
        with_where = len({tuple(f.sources) for f in short}) > 1  # one place for all: said once, below
        rows = ["| 属性 | 值 |" + (" 出处 |" if with_where else ""), "|---|---|" + ("---|" if with_where else "")]
        for f in short:
            where = "、".join(dict.fromkeys(_brief(s) for s in f.sources[:3]))
            rows.append(f"| {md_escape(f.label)} | {_value_md(f.value.text, f.value.iri)} |"
                        + (f" {md_escape(where)} |" if with_where else ""))
        st.markdown("\n".join(rows))
    for f in long:
        st.markdown(f"**{md_escape(f.label)}**")
        st.markdown(md_escape(f.value.text))
    # one expander per set of places, naming the facts (and the names) read there
    by_sources: dict[tuple, list[str]] = {}
    for f in view.facts:
        if f.sources:
            by_sources.setdefault(tuple(f.sources), []).append(f.label)
    for name, sources in view.name_sources.items():
        by_sources.setdefault(tuple(sources), []).append(f"名称「{name}」")
    for n, (sources, labels) in enumerate(by_sources.items()):
        names = "、".join(dict.fromkeys(labels))
        with st.expander(f"来源：{md_escape(names)}（{len(sources)} 处）"):
            _sources(list(sources), f"fact{n}", auto=False)


def _budgets(view: EntityView) -> None:
    """A department's budgets by year, phase and scope, each linking to its page, with the totals its
    document printed (万元 as printed)."""
    keys = list(dict.fromkeys(k for b in view.budgets for k in b.totals))
    head = ["预决算", "年度", "阶段", "范围", *(f"{BudgetKG.value_label('totalKey', k)}（万元）" for k in keys)]
    rows = ["| " + " | ".join(head) + " |", "|---|---|---|---|" + "---:|" * len(keys)]
    for b in view.budgets:
        ref = b.budget
        cells = [entity_link(ref.title, ref.iri), f"{ref.year} 年" if ref.year else "未注明", ref.phase_label,
                 ref.scope_label, *(wan(b.totals[k]) if k in b.totals else "" for k in keys)]
        rows.append("| " + " | ".join(cells[:1] + [md_escape(c) for c in cells[1:]]) + " |")
    st.subheader(f"预决算（{len(view.budgets)}）")
    st.markdown("\n".join(rows))


def _cross_links(view: EntityView) -> None:
    """The same budget, project or line in other years and phases (上年度 / 下年度 / 决算 / 预算), each with why
    it is linked and the documents it was read from."""
    rows = ["| 关系 | 对象 | 依据 | 文件 |", "|---|---|---|---|"]
    for c in view.links:
        rows.append(f"| {md_escape(c.relation)} | {entity_link(c.label, c.iri)} | {md_escape(c.evidence)} | "
                    f"{md_escape('、'.join(c.documents))} |")
    st.subheader(f"跨年度与预决算关联（{len(view.links)}）")
    st.markdown("\n".join(rows))


def _group(group: LinkGroup) -> None:
    kinds = "、".join(dict.fromkeys(it.type_label for it in group.items if it.type_label))
    st.subheader(f"{group.label}（{group.count}）")
    if kinds and len(kinds) < 40:
        st.caption(kinds)
    cols = group.columns
    typed = len({it.type_label for it in group.items}) > 1
    head = ["名称", *(["类型"] if typed else []), *cols, "出处"]
    rows = ["| " + " | ".join(md_escape(c) for c in head) + " |", "|---" * len(head) + "|"]
    for it in group.items[:MAX_ROWS]:
        cells = [entity_link(it.label, it.iri), *([md_escape(it.type_label)] if typed else [])]
        cells += [_value_md(it.fields[c].text, it.fields[c].iri) if c in it.fields else "" for c in cols]
        cells.append(md_escape("、".join(dict.fromkeys(_brief(s) for s in it.sources[:3]))))
        rows.append("| " + " | ".join(cells) + " |")
    st.markdown("\n".join(rows))
    if group.count > MAX_ROWS:
        st.caption(f"仅显示前 {MAX_ROWS} 项，共 {group.count} 项。")
    with_sources = [it for it in group.items[:MAX_SOURCE_ITEMS] if it.sources]
    if with_sources:
        with st.expander(f"{group.label}：来源原文"):
            for n, it in enumerate(with_sources):
                st.markdown(f"**{md_escape(it.label)}**")
                _sources(it.sources, f"{group.prop}{group.direction}{n}", auto=False)


def _sources(sources: list[Source], key: str, auto: bool) -> None:
    for n, s in enumerate(sources):
        where = " · ".join(x for x in (s.doc_title or s.doc_id, s.source_file, s.where) if x)
        st.markdown(f"{md_escape(where)}")
        if s.snippet:
            st.markdown(f"> {md_escape(s.snippet)}")
        if s.is_pdf and s.page:
            show = auto or st.toggle(f"查看第 {s.page} 页原文（框出来源行）", key=f"img-{key}-{n}")
            if show:
                source_image(s)


def source_image(s: Source) -> None:
    """The PDF page ``s`` was read from, its place outlined (when the store can draw it; else why not)."""
    try:
        png = _page_png(revision(), s.doc_id, s.page, s.bbox, s.source_file)
    except PageImageError as exc:
        st.info(f"{md_escape(error_message(exc))}。")
        return
    st.image(png, caption=f"{s.source_file} {place_text(s.page)}" + ("（红框为来源行）" if s.bbox else ""),
             width="stretch")

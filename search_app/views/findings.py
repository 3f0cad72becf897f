"""一致性检查: the findings of the stored documents — what does not add up, differs between tables or contradicts
the tables — each with its values side by side, where each was printed and, for a PDF, its page with the
value's place outlined.

The URL holds the choice (``findings?doc=…&family=cross_table&severity=warning&concerns=<IRI>&page=2``);
``concerns`` narrows the list to the findings about one entity, which is where the badge of a document, budget
or project page (:func:`badge`) leads.  Everything comes from ``BudgetKG.findings``; every text from a
document is escaped.
"""

from __future__ import annotations

import streamlit as st

from kg.types import FAMILY_ZH, SEVERITY_ZH, FindingValue, QueryError, StoredFinding, place_text
from search_app.markup import CHOOSE, md_code, md_escape
from search_app.state import document_label, documents, entity_link, get_kg, revision, set_params
from search_app.views.entity import source_image

PER_PAGE = 20  # findings shown at once (the URL's ``page`` names the part shown): a page renders at once
MAX_SUBJECTS = 12  # entities named under a finding
ALL = ""  # the choice "全部" of a filter
BADGE_KINDS = ("document", "budget", "project")  # entity pages that show their count of findings


@st.cache_data(show_spinner="正在读取检查结果…", max_entries=64)
def _findings(rev: tuple[int, str], doc: str, family: str, severity: str, concerns: str) -> list[StoredFinding]:
    return get_kg().findings([doc] if doc else None, severity=severity or None, concerning=concerns or None,
                             family=family or None)


@st.cache_data(show_spinner=False, max_entries=256)
def _counts(rev: tuple[int, str], iris: tuple[str, ...]) -> dict[str, int]:
    return get_kg().finding_counts(iris)


def finding_count(iri: str) -> int:
    """How many findings concern the entity ``iri``."""
    return _counts(revision(), (iri,))[iri]


def badge(iri: str, where=st) -> None:
    """The count of findings concerning ``iri``, linking to this page narrowed to them (none: said so)."""
    from search_app.nav import page as nav_page

    n = finding_count(iri)
    if not n:
        where.caption("一致性检查：未发现问题")
        return
    where.page_link(nav_page("findings"), label=f"一致性检查：{n} 个问题", icon=":material/fact_check:",
                    query_params={"concerns": iri})


def document_badges(docs: dict[str, dict]) -> None:
    """One :func:`badge` per stored document with findings (``docs``: :func:`search_app.state.documents`)."""
    counts = _counts(revision(), tuple(d["graph"] for d in docs.values()))
    listed = [(doc_id, d["graph"]) for doc_id, d in docs.items() if counts[d["graph"]]]
    if not listed:
        return
    from search_app.nav import page as nav_page

    st.markdown("**一致性检查**")
    for doc_id, iri in listed:
        st.page_link(nav_page("findings"), label=f"{md_escape(document_label(doc_id))}：{counts[iri]} 个问题",
                     icon=":material/fact_check:", query_params={"concerns": iri})


def _choice(name: str, options: list[str]) -> str:
    """The URL's value of ``name`` when it is one of ``options``, else 全部."""
    asked = (st.query_params.get(name) or "").strip()
    return asked if asked in options else ALL


def page() -> None:
    st.header("一致性检查")
    st.caption("表内平衡、表间一致、文字与表格、增减与占比等核对规则发现的问题，每个问题列出所比较的数及其出处。")
    docs = documents()
    if not docs:
        st.info("知识库中还没有文档。请先在“文档”页导入。")
        return
    doc_options = [ALL, *docs]
    family_options = [ALL, *FAMILY_ZH]
    severity_options = [ALL, *SEVERITY_ZH]
    c1, c2, c3 = st.columns([3, 1, 1])
    doc = c1.selectbox("文档", doc_options, index=doc_options.index(_choice("doc", doc_options)),
                       format_func=lambda d: "全部文档" if d == ALL else document_label(d), placeholder=CHOOSE)
    family = c2.selectbox("规则类别", family_options, index=family_options.index(_choice("family", family_options)),
                          format_func=lambda f: "全部类别" if f == ALL else FAMILY_ZH[f], placeholder=CHOOSE)
    severity = c3.selectbox("严重程度", severity_options,
                            index=severity_options.index(_choice("severity", severity_options)),
                            format_func=lambda s: "全部" if s == ALL else SEVERITY_ZH[s], placeholder=CHOOSE)
    concerns = (st.query_params.get("concerns") or "").strip()
    chosen = {"doc": doc, "family": family, "severity": severity, "concerns": concerns}
    same = all((st.query_params.get(k) or "").strip() == v for k, v in chosen.items())  # else: from page 1
    asked_page = _page_number() if same else 1
    set_params(chosen)
    try:
        found = _findings(revision(), doc, family, severity, concerns)
    except QueryError as exc:
        if exc.code != "query_input":
            raise
        st.warning(f"{md_code(concerns)} 不是有效的实体地址，已显示全部问题。")
        set_params({"doc": doc, "family": family, "severity": severity})
        concerns = ""
        found = _findings(revision(), doc, family, severity, concerns)
    if concerns:
        _concerning(concerns)
    if not found:
        st.info("没有符合条件的问题。")
        return
    parts = -(-len(found) // PER_PAGE)
    number = min(asked_page, parts)
    if parts > 1:
        number = st.selectbox("显示", range(1, parts + 1), index=number - 1, key=f"findings-page-{chosen}",
                              placeholder=CHOOSE,
                              format_func=lambda p: f"第 {(p - 1) * PER_PAGE + 1}–{min(p * PER_PAGE, len(found))} 个")
        set_params({**chosen, "page": number if number > 1 else None})
    start = (number - 1) * PER_PAGE
    shown = f"，显示第 {start + 1}–{min(start + PER_PAGE, len(found))} 个" if parts > 1 else ""
    st.caption(f"共 {len(found)} 个问题{shown}")
    for n, f in enumerate(found[start:start + PER_PAGE], start + 1):
        _finding(n, f, docs)


def _page_number() -> int:
    """The URL's ``page`` (1 when absent or not a number)."""
    asked = (st.query_params.get("page") or "").strip()
    return int(asked) if asked.isdigit() and int(asked) > 0 else 1


def _concerning(iri: str) -> None:
    """What the list is narrowed to: the entity (by name when the store has one), and the way back to all."""
    from search_app.nav import page as nav_page

    view = get_kg().entity_view(iri)
    name = entity_link(view.label, view.iri) if view.found else md_code(iri)
    st.markdown(f"仅显示涉及 {name} 的问题。")
    st.page_link(nav_page("findings"), label="显示全部问题", icon=":material/filter_alt_off:")


def _finding(n: int, f: StoredFinding, docs: dict[str, dict]) -> None:
    d = docs.get(f.doc_id, {})
    sources = [v.source(f.doc_id, d.get("title"), d.get("source_file")) for v in f.values]
    pdf = (d.get("source_file") or "").lower().endswith(".pdf")
    with st.container(border=True):
        st.markdown(f"**{n}\\. {md_escape(f.message)}**")
        facts = [SEVERITY_ZH.get(f.severity, f.severity), FAMILY_ZH.get(f.family, f.family),
                 document_label(f.doc_id), place_text(f.page, f.line, pdf=pdf)]
        st.caption(" · ".join(md_escape(x) for x in facts if x) + f" · 规则 {md_code(f.rule)}")
        if f.values:
            for column, v, s in zip(st.columns(len(f.values)), f.values, sources):
                with column:
                    _value(v, s, f.doc_id, d)
        if any(s.is_pdf and s.page for s in sources) and st.toggle(
                "查看原页（红框为各数所在位置）", key=f"findings-img-{f.iri}"):
            for column, s in zip(st.columns(len(sources)), sources):
                if s.is_pdf and s.page:
                    with column:
                        source_image(s)
        if f.subjects:
            shown = [entity_link(s.label or s.iri, s.iri) for s in f.subjects[:MAX_SUBJECTS]]
            more = f" 等 {len(f.subjects)} 项" if len(f.subjects) > MAX_SUBJECTS else ""
            st.markdown(f"涉及：{'、'.join(shown)}{more}")


def _value(v: FindingValue, s, doc_id: str, d: dict) -> None:
    """One compared value: its label, amount with unit, where it was printed and the text there; a sum
    lists its terms the same way."""
    st.markdown(f"**{md_escape(v.label)}**" if v.label else "**（无标签）**")
    if v.quantity:
        st.markdown(md_escape(v.quantity))
    if s.where:
        st.caption(f"出处：{md_escape(s.where)}")
    if v.snippet:
        st.markdown(f"> {md_escape(v.snippet)}")
    if v.terms:
        rows = ["| 项 | 数额 | 出处 | 原文 |", "|---|---:|---|---|"]
        for t in v.terms:
            ts = t.source(doc_id, d.get("title"), d.get("source_file"))
            rows.append(f"| {md_escape(t.label)} | {md_escape(t.quantity)} | {md_escape(ts.where)} "
                        f"| {md_escape(t.snippet or '')} |")
        st.caption(f"{len(v.terms)} 项之和")
        st.markdown("\n".join(rows))

"""导出: the whole store, one document or one entity's description, in every format of ``kg.types.EXPORT_FORMATS``.

The file is made when the button is clicked (a deferred download), so a large store costs nothing
until then.  The choice is in the URL (``scope``, ``doc``, ``iri``, ``fmt``).
"""

from __future__ import annotations

import hashlib
import io

import streamlit as st

from kg.api import BudgetKG
from kg.types import EXPORT_FORMATS
from search_app.markup import CHOOSE, md_code, md_escape
from search_app.state import document_label, documents, get_kg, set_params

SCOPES = {"all": "整个知识库", "doc": "单个文档", "entity": "单个实体"}
FORMAT_NAMES = {"ttl": "Turtle", "nt": "N-Triples", "nq": "N-Quads", "trig": "TriG", "jsonld": "JSON-LD"}
KEYS = {name: f"export_{name}" for name in ("scope", "fmt", "doc", "iri")}


def export_bytes(kg: BudgetKG, fmt: str, doc_id: str | None = None, iri: str | None = None) -> bytes:
    """The export as bytes (what the download button hands over)."""
    buf = io.BytesIO()
    kg.export(fmt, buf, doc_id, entity=iri)
    return buf.getvalue()


def file_name(fmt: str, doc_id: str | None = None, iri: str | None = None) -> str:
    """``budgetkg.ttl``, ``budgetkg-{doc}.ttl`` or ``budgetkg-entity-{hash}.ttl`` (ASCII, stable)."""
    stem = "budgetkg"
    if doc_id:
        stem += f"-{doc_id}"
    elif iri:
        stem += "-entity-" + hashlib.sha1(iri.encode("utf-8")).hexdigest()[:10]
    return stem + EXPORT_FORMATS[fmt].extension


def _seed() -> None:
    params = st.query_params
    scope = params.get("scope") if params.get("scope") in SCOPES else "entity" if params.get("iri") else "all"
    defaults = {"scope": scope,
                "fmt": params.get("fmt") if params.get("fmt") in EXPORT_FORMATS else "ttl",
                "doc": params.get("doc"), "iri": params.get("iri", "")}
    for name, key in KEYS.items():
        if key not in st.session_state:
            st.session_state[key] = defaults[name]


def page() -> None:
    st.title("导出")
    st.caption("以 RDF 格式下载知识图谱：Turtle 和 N-Triples 合并各文档的命名图；N-Quads、TriG、JSON-LD 保留每份文档的命名图。"
               "实体导出为该实体的简明描述（CBD）：它的全部陈述、它所拥有的引用、指标、资金和出处节点，以及所链接实体的名称。")
    _seed()
    kg = get_kg()
    docs = documents()
    if st.session_state[KEYS["doc"]] not in docs:
        st.session_state[KEYS["doc"]] = next(iter(docs), None)
    scope = st.radio("导出范围", list(SCOPES), key=KEYS["scope"], format_func=SCOPES.get, horizontal=True)
    fmt = st.radio("格式", list(EXPORT_FORMATS), key=KEYS["fmt"], horizontal=True,
                   format_func=lambda f: f"{FORMAT_NAMES.get(f, f)}（{EXPORT_FORMATS[f].extension}）")
    doc_id = iri = None
    if scope == "doc":
        if not docs:
            st.info("知识库中还没有文档，请先在「文档」页导入。")
            return
        doc_id = st.selectbox("文档", list(docs), key=KEYS["doc"], format_func=document_label, placeholder=CHOOSE)
    elif scope == "entity":
        iri = st.text_input("实体 IRI", key=KEYS["iri"], placeholder="例如：law/武政规〔2016〕32号，或完整 IRI",
                            help="完整 IRI，或相对于知识库基址的路径；可直接写中文").strip()
        if not iri:
            set_params({"scope": scope, "fmt": fmt})
            st.info("请输入实体的 IRI（实体页上可复制）。")
            return
        entity = kg.entity(iri)
        if not entity.found:
            st.error(f"知识库中没有关于 {md_code(entity.iri)} 的任何陈述。")
            return
        iri = entity.iri
    set_params({"scope": scope, "fmt": fmt, "doc": doc_id, "iri": iri})
    what = {"all": "整个知识库", "doc": doc_id and md_escape(document_label(doc_id)),
            "entity": iri and md_code(iri)}[scope]
    name = file_name(fmt, doc_id, iri)
    st.download_button(f"下载 {name}", lambda: export_bytes(kg, fmt, doc_id, iri), file_name=name,
                       mime=EXPORT_FORMATS[fmt].media_type, type="primary", icon=":material/download:", on_click="ignore")
    st.caption(f"内容：{what}；格式：{FORMAT_NAMES.get(fmt, fmt)}（{EXPORT_FORMATS[fmt].media_type}）")

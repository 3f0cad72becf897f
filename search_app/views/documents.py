"""文档: upload disclosures (PDF or the text export) into the store, list what is there, delete one.

Each uploaded file is ingested on its own (``BudgetKG.ingest_file``): a good file reports its
document and triple count, a bad one a clear error, and the batch goes on.  New passages are
embedded for search before the page returns.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from kg.api import INTERNAL, BudgetKG
from kg.types import PHASE_ZH, DocumentNotFound, error_message
from search_app.markup import CHOOSE, md_escape
from search_app.messages import INGEST_INTERNAL
from search_app.state import (
    bump_revision, document_label, documents, embed_pending, get_kg, store_location, write_lock,
)
from search_app.views.findings import document_badges

RESULTS_KEY, DELETED_KEY = "documents_results", "documents_deleted"


def _ingest(uploads, password: str | None) -> list[dict]:
    """Ingest uploaded files one by one with a progress bar; returns ``{name, ok, message, warnings}``."""
    kg = get_kg()
    out = []
    bar = st.progress(0.0, text=f"0/{len(uploads)} 个文件")
    with write_lock(), tempfile.TemporaryDirectory(prefix="budgetkg-upload-") as tmp:
        for i, up in enumerate(uploads):
            path = Path(tmp) / Path(up.name).name  # the name is kept: it is the document's source file
            path.write_bytes(up.getvalue())

            def pages(done: int, total: int, i=i, name=up.name) -> None:
                bar.progress((i + done / max(total, 1)) / len(uploads), text=f"{name}：第 {done}/{total} 页")

            result = kg.ingest_file(path, password=password or None, progress=pages)
            out.append({"name": up.name, "ok": result.ok, "doc_id": result.doc_id, "triples": result.triples,
                        "message": result.message, "code": result.error_code, "warnings": list(result.warnings)})
            bar.progress((i + 1) / len(uploads), text=f"{i + 1}/{len(uploads)} 个文件")
        bump_revision()
        embed_pending(kg)
    bar.empty()
    return out


def _show_results(results: list[dict]) -> None:
    for r in results:
        if r["ok"]:
            st.success(f"{md_escape(r['name'])}：已导入为文档 {r['doc_id']}（{r['triples']} 个三元组，"
                       f"{len(r['warnings'])} 条提示）", icon=":material/check_circle:")
            if r["warnings"]:
                with st.expander(f"{md_escape(r['name'])} 的提示"):
                    st.markdown("\n".join(f"- {md_escape(w)}" for w in r["warnings"]))
        else:
            st.error(f"{md_escape(r['name'])} 导入失败{md_escape(_reason(r))}", icon=":material/error:")


def _reason(result: dict) -> str:
    """A failed file's reason after its name (``（第 6 页）：PDF 已损坏…`` or ``：文件为空``): the ingest error's
    Chinese line with the name said once; a failure that is no ingest error in words of the app's own."""
    if result["code"] == INTERNAL:
        return f"：{INGEST_INTERNAL}"
    message = result["message"]
    return message[len(result["name"]):] if message.startswith(result["name"]) else f"：{message}"


def _delete() -> None:
    doc_id = st.session_state.get("documents_delete_choice")
    if not doc_id:
        return
    label = md_escape(document_label(doc_id))
    try:
        with write_lock():
            n = get_kg().delete(doc_id)
            bump_revision()
    except DocumentNotFound as exc:
        st.session_state[DELETED_KEY] = ("error", f"删除失败：{md_escape(error_message(exc))}。")
        return
    st.session_state[DELETED_KEY] = ("success", f"已删除 {label}（{n} 个三元组）")


def page() -> None:
    st.title("文档")
    st.caption(f"知识库位置：{md_escape(store_location())}")
    with st.form("upload", clear_on_submit=True, enter_to_submit=False):
        uploads = st.file_uploader("上传部门预算/决算公开文件（PDF 或文本导出 .txt/.md，可多选）",
                                   type=[s.lstrip(".") for s in BudgetKG.supported_suffixes()], accept_multiple_files=True,
                                   key="documents_upload")
        password = st.text_input("PDF 密码（加密文件才需要）", type="password", key="documents_password")
        submitted = st.form_submit_button("导入", type="primary", icon=":material/upload:")
    if submitted and uploads:
        st.session_state[RESULTS_KEY] = _ingest(uploads, password)
    elif submitted:
        st.warning("请先选择要导入的文件。")
    _show_results(st.session_state.get(RESULTS_KEY, []))

    docs = documents()
    st.subheader(f"已导入的文档（{len(docs)}）")
    if message := st.session_state.pop(DELETED_KEY, None):
        (st.success if message[0] == "success" else st.error)(message[1])
    if not docs:
        st.info("知识库中还没有文档。")
        return
    st.dataframe([{"部门": d["department"], "年度": d["year"], "阶段": PHASE_ZH.get(d["phase"], d["phase"]),
                   "来源文件": d["source_file"], "标题": d["title"], "文档编号": d["doc_id"], "三元组": d["triples"]}
                  for d in docs.values()], hide_index=True, width="stretch")
    document_badges(docs)  # the count of findings of each, linking to them
    with st.expander("删除文档"):
        st.selectbox("要删除的文档", list(docs), key="documents_delete_choice", format_func=document_label,
                     placeholder=CHOOSE)
        st.caption("只删除这份文档的命名图和它的检索索引；其他文档不受影响。")
        st.button("删除", type="primary", on_click=_delete, icon=":material/delete:", key="documents_delete")

"""What each error kg raises means, in Chinese, by its ``code`` (``kg.errors.ERROR_CODES``): the one table
the app translates errors with.  The English message of an error is never shown (it is logged by kg)."""

from __future__ import annotations

from kg.types import DEFAULT_TIMEOUT_S, BudgetKGError

ERROR_MESSAGES = {  # BudgetKGError.code → what it means
    "error": "操作未完成",
    "query_update": "知识库只读，不执行更新（INSERT、DELETE、LOAD、CLEAR 等）",
    "query_service": "不执行 SERVICE：只查询本地知识库",
    "query_syntax": "SPARQL 语法有误，请检查查询",
    "query_timeout": f"查询超过 {DEFAULT_TIMEOUT_S:g} 秒，已停止",
    "query_failed": "查询执行出错",
    "query_input": "查询的输入有误",
    "store_open": "无法打开知识库",
    "store_write": "无法写入知识库（可能另有程序正在写入）",
    "document_not_found": "知识库中没有该文档",
    "entity_not_found": "知识库中没有该实体",
    "model": "无法加载检索模型",
    "model_mismatch": "检索索引与当前模型不一致，需要重建索引",
    "page_image": "无法显示原页",
}
UNKNOWN = "操作未完成"
INGEST_INTERNAL = "处理文件时出错，文件未写入知识库"  # an ingest failure that is no IngestError (its detail is English)


def error_message(exc: BudgetKGError) -> str:
    """Why an operation failed, in Chinese, by the error's code (never its message text), with the place a
    malformed query stopped parsing where kg gives it."""
    text = ERROR_MESSAGES.get(getattr(exc, "code", None), UNKNOWN)
    details = getattr(exc, "details", {})
    if isinstance(details.get("line"), int) and isinstance(details.get("column"), int):
        text += f"（第 {details['line']} 行第 {details['column']} 列附近）"
    return text

"""The errors kg raises to its callers, each with a stable ``code``, and what each code means in Chinese.

``str(error)`` is one line in English for logs; the front-ends show :func:`error_message`, which
looks the ``code`` up (never the message text) and names the values in the error's ``details``.
Codes are short snake_case words and never change meaning once published.
"""

from __future__ import annotations

from string import Formatter


class BudgetKGError(Exception):
    """Base of every error a front-end may see; ``code`` names what went wrong, ``details`` the values a
    translation names (:data:`DETAILED_MESSAGES`: a malformed query's ``line`` and ``column``, the
    ``doc_id`` not found…)."""

    code = "error"

    def __init__(self, message: str, code: str | None = None, **details: int | float | str):
        super().__init__(message)
        if code is not None:
            self.code = code
        self.details = details


class QueryError(BudgetKGError, ValueError):
    """A query that is refused, malformed or too slow.

    Codes: ``query_update`` (UPDATE/LOAD… on a read-only store), ``query_service`` (SERVICE),
    ``query_syntax`` (malformed; ``details`` give the ``line`` and ``column`` where parsing stopped, in the
    query as the user wrote it), ``query_timeout`` (stopped after its time, ``seconds``), ``query_failed``
    (the engine failed), ``query_input`` (an argument that cannot enter a query, e.g. an empty 文号
    or a malformed IRI; ``details``: the ``value`` given and what was ``expected``, in Chinese)."""

    code = "query_failed"


class StoreError(BudgetKGError):
    """The store cannot be opened or written.  Codes: ``store_open`` (locked or unreadable; ``details``:
    its ``path``), ``store_write``, ``store_unreachable`` (its SPARQL server does not answer; ``details``:
    the ``path``, a URL), ``store_refused`` (the server refused an update: a read-only endpoint;
    ``path``), ``serve_host`` (``budgetkg serve`` of a writable store beyond this machine; ``details``: the
    ``host``), ``serve_port`` (its address cannot be listened on; ``path``: ``host:port``), ``document_not_found``."""

    code = "store_open"


class DocumentNotFound(StoreError, KeyError):
    """No document of that id (``details``: ``doc_id``) in the store."""

    code = "document_not_found"

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class EntityNotFound(BudgetKGError, ValueError):
    """Nothing in the store is about the IRI asked for (``details``: ``iri``)."""

    code = "entity_not_found"


class ModelError(BudgetKGError, RuntimeError):
    """The embedding model cannot be found, converted or loaded (``model``; ``details``: the ``model``
    folder, and the ``default`` model when the user named another), or does not match the vectors of an
    index (``model_mismatch``; ``details``: the ``index_model`` and the ``model``)."""

    code = "model"


class CompareError(BudgetKGError, ValueError):
    """A comparison that cannot be made: ``department_not_found`` / ``department_ambiguous`` (``details``:
    the ``name`` asked for; the ``names`` it may mean), ``budget_not_found`` (``details``: ``what``)."""

    code = "budget_not_found"


class ClusterError(BudgetKGError):
    """The Dask cluster of a parallel ingest cannot be reached or started (``cluster``; ``details``: the
    scheduler's ``address``, or the local cluster's ``workers``)."""

    code = "cluster"


class PageImageError(BudgetKGError):
    """A page of a stored PDF cannot be drawn (``page_image``)."""

    code = "page_image"


ERROR_MESSAGES = {  # BudgetKGError.code → what it means, in Chinese
    "error": "操作未完成",
    "query_update": "知识库只读，不执行更新（INSERT、DELETE、LOAD、CLEAR 等）",
    "query_service": "不执行 SERVICE：只查询本地知识库",
    "query_syntax": "SPARQL 语法有误，请检查查询",
    "query_timeout": "查询超时，已停止",
    "query_failed": "查询执行出错",
    "query_input": "查询的输入有误",
    "store_open": "无法打开知识库",
    "store_write": "无法写入知识库（可能另有程序正在写入）",
    "store_unreachable": "无法连接知识库的 SPARQL 服务",
    "store_refused": "SPARQL 服务拒绝写入（可能是只读服务）",
    "serve_host": "可写的知识库只在本机提供服务；对外提供请加 --read-only",
    "serve_port": "无法在该地址上提供服务（端口可能已被占用）",
    "document_not_found": "知识库中没有该文档",
    "entity_not_found": "知识库中没有该实体",
    "model": "无法加载检索模型",
    "model_mismatch": "检索索引与当前模型不一致，需要重建索引",
    "page_image": "无法显示原页",
    "cluster": "无法连接或启动 Dask 集群",
    "department_not_found": "知识库中没有该部门",
    "department_ambiguous": "部门名称可指多个部门，请写全称",
    "budget_not_found": "知识库中没有所要比较的预决算",
}
ERROR_CODES = tuple(ERROR_MESSAGES)
"""Every code kg raises."""

DETAILED_MESSAGES = {  # code → templates naming an error's details, most specific first
    "query_syntax": ("SPARQL 语法有误，请检查查询（第 {line} 行第 {column} 列附近）",),
    "query_timeout": ("查询超过 {seconds:g} 秒，已停止",),
    "query_input": ("查询的输入有误：“{value}”不是{expected}", "查询的输入有误：需要{expected}"),
    "store_open": ("无法打开知识库 {path}（可能另有 budgetkg 进程正在使用）",),
    "store_unreachable": ("无法连接 SPARQL 服务 {path}",),
    "store_refused": ("SPARQL 服务 {path} 拒绝写入（可能是只读服务）",),
    "serve_host": ("可写的知识库只在本机提供服务，不能绑定 {host}；对外提供请加 --read-only",),
    "serve_port": ("无法在 {path} 上提供服务（端口可能已被占用）",),
    "document_not_found": ("知识库中没有文档 {doc_id}",),
    "entity_not_found": ("知识库中没有关于 {iri} 的内容",),
    "model": ("无法加载检索模型 {model}：请指定本地的 sentence-transformers 模型文件夹（不会从模型库下载模型），"
              "或不设置 BUDGETKG_MODEL 以使用默认模型 {default}",
              "无法加载检索模型 {model}"),
    "department_not_found": ("知识库中没有部门“{name}”",),
    "department_ambiguous": ("“{name}”可指多个部门：{names}；请写全称",),
    "budget_not_found": ("知识库中没有{what}",),
    "cluster": ("无法连接 Dask 调度器 {address}（请检查地址和端口，以及调度器是否在运行）",
                "无法启动 {workers} 个工作进程的本地 Dask 集群"),
    "model_mismatch": ("检索索引中的向量来自模型 {index_model}，与当前模型 {model} 不一致，需要重建索引",),
}
UNKNOWN = "操作未完成"


def error_message(exc: BaseException) -> str:
    """Why an operation failed, in Chinese, by the error's code (never its message text): the first
    template of :data:`DETAILED_MESSAGES` whose fields the error's ``details`` all give, else the code's
    meaning (:data:`ERROR_MESSAGES`; :data:`UNKNOWN` for a code kg does not raise)."""
    code = getattr(exc, "code", None)
    details = getattr(exc, "details", {})
    for template in DETAILED_MESSAGES.get(code, ()):
        if all(field in details for _, field, _, _ in Formatter().parse(template) if field is not None):
            return template.format_map(details)
    return ERROR_MESSAGES.get(code, UNKNOWN)

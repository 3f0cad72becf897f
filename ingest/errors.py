"""Errors that name the file and the place: each by a stable code with a Chinese message template.

A front-end shows ``str(error)`` (one line, Chinese) or translates ``error.code`` with ``error.params``
itself; the code stays the same whatever the wording becomes.
"""

from __future__ import annotations

from pathlib import Path

# error code → Chinese message template (``str.format`` fields: the raise site's params)
MESSAGES: dict[str, str] = {
    "no_such_file": "文件不存在",
    "empty_file": "文件为空",
    "binary_file": "二进制文件，不是文本导出文件",
    "undecodable": "无法按 UTF-8 或 GB18030 解码",
    "corrupt_text": "内容为二进制或已损坏，不是文本导出文件",
    "oversized": "文件大小 {size} 字节，超过上限 {limit} MiB",
    "unsupported_type": "不支持的文件类型 {suffix}；应为 {expected} 之一",
    "pdf_unavailable": "无法读取 PDF（{detail}）",
    "not_pdf": "不是 PDF 文件（缺少 %PDF- 文件头）",
    "pdf_password_wrong": "PDF 已加密：密码错误（请用 --password 提供正确密码）",
    "pdf_password_needed": "PDF 已加密：请用 --password 提供密码",
    "pdf_encryption_unsupported": "PDF 的加密方式不受支持（{detail}）",
    "pdf_truncated": "PDF 已损坏：文件意外结束（可能被截断）",
    "pdf_corrupt": "PDF 已损坏：{detail}",
    "pdf_no_pages": "PDF 没有页面",
    "pdf_too_many_pages": "页数过多（{count} 页，上限 {limit} 页）",
    "pdf_no_text": "第 {pages} 页没有文字层（仅有图像，不支持 OCR）",
    "duplicate_part_name": "同一公开材料的两个文件同名：{name}",
    "no_budget_tables": "未找到预算表：不是可识别的预算公开文件",
}


class IngestError(Exception):
    """A file that cannot be ingested: ``code`` (a key of :data:`MESSAGES`), the template's ``params`` and
    the ``page`` it failed on (if one); ``str()`` is one Chinese line naming the file and the reason."""

    def __init__(self, path: Path | str, code: str, page: int | None = None, **params: object):
        if code not in MESSAGES:
            raise ValueError(f"unknown ingest error code {code!r}")
        self.path = Path(path)
        self.code = code
        self.page = page
        self.params = {k: "" if v is None else str(v) for k, v in params.items()}
        super().__init__(str(self))

    @property
    def reason(self) -> str:
        """The Chinese reason, without the file."""
        return MESSAGES[self.code].format(**self.params)

    def __str__(self) -> str:
        loc = f"（第 {self.page} 页）" if self.page is not None else ""
        return f"{self.path.name}{loc}：{self.reason}"

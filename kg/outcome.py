"""What the ingest of one disclosure tells its caller: an :class:`~kg.types.IngestResult`, with a failure's
one Chinese line and code and a finding's warning line, the same whether it was read here or on a worker."""

from __future__ import annotations

from pathlib import Path

from .types import IngestResult

INTERNAL = "internal"  # the error code of a failure that is no IngestError (a bug, a full disk …)
WORKER_LOST = "worker_lost"  # the Dask worker reading the disclosure died (killed, out of memory) or was lost


def warning_line(path: Path, finding) -> str:
    """``file（第 3 页第 120 行）：message`` for one finding (its Chinese message)."""
    from .labels import place_text

    p = finding.provenance
    where = place_text(p.page, p.line) if p is not None else ""
    return f"{path.name}{f'（{where}）' if where else ''}：{finding.message}"


def error_line(path: Path, exc: BaseException) -> tuple[str, str]:
    """The one-line Chinese error of a failed ingest and its code."""
    from ingest.errors import IngestError

    from .errors import BudgetKGError, error_message

    if isinstance(exc, IngestError):
        return str(exc).splitlines()[0], exc.code
    if isinstance(exc, BudgetKGError):  # the store's refusal (a read-only server…), in Chinese by its code
        return f"{path.name}：{error_message(exc)}", exc.code
    text = str(exc).strip().splitlines()
    detail = f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
    return f"{path.name}：处理时出错（{detail}）", INTERNAL


def lost_line(path: Path, exc: BaseException) -> tuple[str, str]:
    """The line of a disclosure whose worker died or was lost before it was read (nothing of it written)."""
    return f"{path.name}：读取它的工作进程中途退出（{type(exc).__name__}：被终止、内存不足或连接中断），未写入", WORKER_LOST


def failed(files: tuple[Path, ...], error: str, code: str, note: str | None = None) -> IngestResult:
    return IngestResult(files[0], False, error=error, files=files, note=note, error_code=code)


def stored(files: tuple[Path, ...], extraction, triples: int, note: str | None = None) -> IngestResult:
    """The result of a stored extraction: its document, triple count and a warning line per finding."""
    path = files[0]
    names = {f.name: f for f in files}
    warnings = tuple(warning_line(names.get(f.provenance.source, path) if f.provenance else path, f)
                     for f in extraction.findings)
    return IngestResult(path, True, extraction.document.doc_id, triples, warnings, files=files, note=note)

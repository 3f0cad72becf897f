"""Every ingest error has a stable code and a Chinese template; a bad file gives one Chinese line naming it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ingest.errors import MESSAGES, IngestError
from ingest.pipeline import extract

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")


def raised_codes() -> dict[str, list[str]]:
    """Each literal error code an ``IngestError(path, code, …)`` call in ingest/ and kg/ passes → its places."""
    out: dict[str, list[str]] = {}
    for package in ("ingest", "kg"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "IngestError"):
                    continue
                code = node.args[1] if len(node.args) > 1 else None
                branches = [code.body, code.orelse] if isinstance(code, ast.IfExp) else [code]
                for c in branches:
                    if isinstance(c, ast.Constant):
                        out.setdefault(c.value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return out


def test_every_raise_site_code_has_a_chinese_template():
    codes = raised_codes()
    assert len(codes) >= 18  # the readers', the limits' and the pipeline's
    assert not {c: where for c, where in codes.items() if c not in MESSAGES}
    assert all(CJK.search(template) for template in MESSAGES.values())
    assert not set(MESSAGES) - set(codes), "a template no raise site uses"


def test_an_unknown_code_is_a_programming_error():
    with pytest.raises(ValueError):
        IngestError("a.txt", "file is empty")


def _message(path: Path) -> IngestError:
    with pytest.raises(IngestError) as err:
        extract(path)
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{path.name}：") and CJK.search(message)
    return err.value


def test_an_empty_file(tmp_path):
    path = tmp_path / "空白.txt"
    path.write_bytes(b"")
    err = _message(path)
    assert (err.code, str(err)) == ("empty_file", "空白.txt：文件为空")


def test_a_non_pdf_with_a_pdf_suffix(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_text("这不是PDF文件", encoding="utf-8")
    assert str(_message(path)) == "notes.pdf：不是 PDF 文件（缺少 %PDF- 文件头）"


def test_an_encrypted_pdf(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret", algorithm="AES-128")
    path = tmp_path / "locked.pdf"
    writer.write(path)
    err = _message(path)
    assert (err.code, str(err)) == ("pdf_password_needed", "locked.pdf：PDF 已加密：请用 --password 提供密码")


def test_a_file_with_no_budget_tables(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("从前有座山，山里有座庙。\n庙里有个老和尚。\n", encoding="utf-8")
    assert str(_message(path)) == "story.txt：未找到预算表：不是可识别的预算公开文件"


def test_an_oversized_file(tmp_path, monkeypatch):
    monkeypatch.setattr("ingest.limits.MAX_TEXT_BYTES", 1 << 20)
    path = tmp_path / "big.txt"
    path.write_bytes("预算\t1\n".encode() * ((1 << 20) // 8 + 1))
    err = _message(path)
    size = path.stat().st_size
    assert (err.code, str(err)) == ("oversized", f"big.txt：文件大小 {size:,} 字节，超过上限 1 MiB")
    assert err.params == {"size": f"{size:,}", "limit": "1"}

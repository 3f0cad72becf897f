"""A file over its type's size limit is refused, naming file and limit, before it is read (ingest.limits)."""

from __future__ import annotations

import pytest

from ingest import limits
from ingest.errors import IngestError
from ingest.limits import MAX_PDF_BYTES, MAX_TEXT_BYTES
from ingest.pipeline import extract
from ingest.reader_pdf import read_pdf
from ingest.reader_text import read_text


def sparse(path, size):
    """A file of ``size`` bytes that takes no room on disk."""
    with open(path, "wb") as f:
        f.truncate(size)
    return path


def never_read(monkeypatch):
    """Make any read of a file's bytes fail the test."""
    def boom(self, *args, **kwargs):
        raise AssertionError(f"{self} was read")
    monkeypatch.setattr("pathlib.Path.read_bytes", boom)


@pytest.mark.parametrize("name, limit, reader", [("big.txt", MAX_TEXT_BYTES, read_text),
                                                 ("big.md", MAX_TEXT_BYTES, read_text),
                                                 ("big.pdf", MAX_PDF_BYTES, read_pdf)])
def test_an_oversized_file_is_refused_unread(tmp_path, monkeypatch, name, limit, reader):
    path = sparse(tmp_path / name, limit + 1)
    monkeypatch.setattr("ingest.reader_pdf._open", lambda *a, **k: pytest.fail("the PDF was opened"))
    never_read(monkeypatch)
    for read in (reader, extract):
        with pytest.raises(IngestError) as err:
            read(path)
        message = str(err.value)
        assert message == f"{name}：文件大小 {limit + 1:,} 字节，超过上限 {limit >> 20} MiB"
        assert "\n" not in message


def test_the_limits_are_64_and_256_mib():
    assert (MAX_TEXT_BYTES, MAX_PDF_BYTES) == (64 << 20, 256 << 20)


def test_a_file_at_the_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_BYTES", 16)
    path = tmp_path / "small.txt"
    path.write_bytes(b"0123456789abcdef")  # exactly 16 bytes
    assert [ln.text for ln in read_text(path)] == ["0123456789abcdef"]
    path.write_bytes(b"0123456789abcdefg")
    with pytest.raises(IngestError, match="small.txt：文件大小 17 字节，超过上限"):
        read_text(path)

"""Bad files give one clear line naming the file and the reason."""

import pytest

from ingest.errors import IngestError
from ingest.pipeline import extract, iter_files


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.txt", b"", "文件为空"),
        ("blank.md", b"  \n\n\t \n", "文件为空"),
        ("junk.txt", bytes(range(256)) * 40, "二进制文件"),
        ("story.txt", "从前有座山，山里有座庙。\n庙里有个老和尚。\n".encode(), "未找到预算表"),
        ("budget.docx", b"PK\x03\x04", "不支持的文件类型 .docx"),
    ],
)
def test_unreadable_files_raise_one_line_errors(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as err:
        extract(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(name)
    assert reason in message


def test_missing_file(tmp_path):
    with pytest.raises(IngestError, match="^nope.txt：文件不存在$"):
        extract(tmp_path / "nope.txt")


def test_folders_expand_to_supported_files(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("y")
    (tmp_path / "c.json").write_text("{}")
    assert [p.name for p in iter_files([tmp_path])] == ["a.txt", "b.md"]

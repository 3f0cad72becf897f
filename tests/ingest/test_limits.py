"""Over-long lines and cells are cut at reading, with a warning naming the line (ingest.limits)."""

from __future__ import annotations

from ingest.layout import Line
from ingest.limits import MAX_CELL_CHARS, MAX_LINE_CHARS, bound_lines
from ingest.pipeline import extract

from helpers import FIXTURES


def test_normal_lines_pass_untouched():
    lines = [Line(1, "一般公共预算财政拨款收入"), Line(2, "a\tb\t1.00", ["a", "b", "1.00"])]
    warned = []
    assert bound_lines(lines, lambda ln, params: warned.append((ln.no, params))) == lines and not warned


def test_a_long_line_and_a_long_cell_are_cut_and_named():
    long_line = Line(7, "字" * (MAX_LINE_CHARS + 10), ["字" * (MAX_LINE_CHARS + 10)])
    long_cell = Line(9, "名\t" + "长" * 50_000, ["名", "长" * 50_000])
    warned = []
    out = bound_lines([long_line, long_cell], lambda ln, params: warned.append((ln.no, params)))
    assert len(out[0].text) == MAX_LINE_CHARS and out[0].text.endswith("…")
    assert out[1].cells[0] == "名" and len(out[1].cells[1]) == MAX_CELL_CHARS
    assert [no for no, _ in warned] == [7, 9]
    assert warned[1][1] == {"what": "单元格", "length": "50,000", "limit": f"{MAX_CELL_CHARS:,}"}


def test_extract_warns_with_file_and_line(tmp_path):
    text = (FIXTURES / "docs" / "100_hanyang_civil_2024_final.txt").read_text(encoding="utf-8")
    doc = tmp_path / "long.txt"
    doc.write_text(text.replace("临时救助资金", "超长" * 50_000), encoding="utf-8")
    ex = extract(doc)
    cut = [f for f in ex.findings if f.rule == "line_too_long"]
    assert {f.provenance.line for f in cut} == {90, 377, 441}
    assert all(len(p.name) <= MAX_LINE_CHARS for p in ex.projects)

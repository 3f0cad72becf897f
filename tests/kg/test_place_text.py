"""One wording of where a value was printed (``kg.labels.place_text``), used by the CLI, the app and
:class:`kg.browse.Source`: page, line, table and row as far as they are known, a PDF's text-line number left out."""

from __future__ import annotations

from kg.browse import Source
from kg.labels import place_text


def test_page_and_line_read_as_one_phrase():
    assert place_text(3, 428) == "第 3 页第 428 行"
    assert place_text(None, 257) == "第 257 行"
    assert place_text(12) == "第 12 页"


def test_a_table_row_follows_the_line_in_brackets():
    assert place_text(None, 257, "2023 年部门收支总表", 7) == "第 257 行（2023 年部门收支总表，表内第 7 行）"
    assert place_text(None, None, "2023 年部门收支总表", 7) == "2023 年部门收支总表，表内第 7 行"


def test_a_pdf_names_its_page_not_the_line_of_its_extracted_text():
    assert place_text(12, 630, "项目支出表", 3, pdf=True) == "第 12 页（项目支出表，表内第 3 行）"


def test_nothing_known_is_empty():
    assert place_text() == ""


def test_a_source_says_where_with_the_same_words():
    pdf = Source("d", "标题", "a.pdf", page=5, line=80, row=2, table="收支总表")
    text = Source("d", "标题", "a.txt", line=80)
    assert pdf.where == place_text(5, 80, "收支总表", 2, pdf=True) == "第 5 页（收支总表，表内第 2 行）"
    assert text.where == "第 80 行"

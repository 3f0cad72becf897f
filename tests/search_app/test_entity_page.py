"""The entity page (search_app/views/entity.py) run with AppTest on a store of the bundled samples."""

from __future__ import annotations

from functools import partial
from urllib.parse import unquote

import pytest
from apptest_helpers import page_test
from streamlit.testing.v1 import AppTest


@pytest.fixture
def run(run_page):
    return partial(run_page, "entity")


def _text(at: AppTest) -> str:
    """The page's markdown as read (markdown escapes removed)."""
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


def test_law_page_lists_both_citing_projects(run):
    at = run(iri="law/武政规〔2016〕32号")
    assert at.header[0].value == "市人民政府关于印发武汉市医疗救助实施办法的通知"
    assert at.subheader[0].value == "引用该文件的项目（2）"
    text = _text(at)
    assert "城乡医疗救助" in text and "260.00" in text and "武汉市东西湖区医疗保障局" in text
    assert "统筹和组织实施医疗救助工作经费" in text and "6.30" in text and "武汉市江岸区医疗保障局" in text
    assert "entity?iri=https%3A%2F%2Fw3id.org%2Fbudgetkg%2Fproject%2F" in text  # rows link to project pages
    # the source of each citation: line and table, and the words cited
    assert "第 1076 行" in text and "武政规" in text


def test_project_page_shows_amount_unit_funding_and_indicators(run):
    at = run(iri="law/武政规〔2016〕32号")
    table = next(m.value for m in at.markdown if "统筹和组织实施医疗救助工作经费" in m.value)
    row = next(r for r in table.splitlines() if "统筹和组织实施医疗救助工作经费" in r)
    iri = unquote(row.split("entity?iri=")[1].split(")")[0])  # the row's link to the project page
    at = run(iri=iri)
    assert at.header[0].value == "统筹和组织实施医疗救助工作经费"
    text = _text(at)
    assert "| 金额（万元） | 6.30 |" in text
    assert "武汉市江岸区医疗保障局本级" in text and "一般公共预算财政拨款" in text
    subheaders = [s.value for s in at.subheader]
    assert any(s.startswith("绩效指标（") for s in subheaders) and "资金（1）" in subheaders
    assert any(s.startswith("出处（") for s in subheaders)


def test_functional_class_page_lists_its_lines(run):
    at = run(iri="fn/2101301")
    assert at.header[0].value == "2101301 城乡医疗救助"
    text = _text(at)
    assert "1,426.00" in text and "560.00" in text


def test_missing_iri_shows_a_message_and_a_search_box(run):
    at = run(iri="project/没有这个项目")
    assert at.header[0].value == "未找到该实体"
    assert at.warning and "没有关于" in at.warning[0].value
    box = at.text_input[0]
    box.input("武政规[2016]32号").run()
    assert "市人民政府关于印发武汉市医疗救助实施办法的通知" in _text(at)


def test_no_iri_shows_starting_points(run):
    at = run()
    assert at.header[0].value == "实体浏览"
    assert "武汉市江岸区医疗保障局" in _text(at)


@pytest.mark.parametrize("iri, header", [
    ("x:a> ?p ?o }", "无效的实体地址"), ("http://[::1", "无效的实体地址"), ("http://a b", "无效的实体地址"),
    ("http://x/a> } ; DROP GRAPH <http://y", "未找到该实体"), ('http://x/"a"\n', "未找到该实体"), ("<>", "未找到该实体"),
])
def test_an_iri_from_the_url_cannot_change_a_query(run, iri, header):
    """A hostile ``?iri=`` is refused as malformed or, percent-encoded, found in no triple: never an error
    page and never another entity's facts."""
    at = run(iri=iri)
    assert at.header[0].value == header
    assert not at.table and not at.subheader


HOSTILE = "[点此核对](https://evil.example/phish)![](http://127.0.0.1:8765/pixel.png)<b>粗</b>*斜*"


def test_a_name_from_a_document_is_shown_as_text_not_markdown(app_store, tmp_path):
    """Failure 8 of issue 11: a project name that is markdown renders as the characters it holds."""
    from kg.api import BudgetKG
    from search_app.markup import md_escape

    from helpers import FIXTURES

    text = (FIXTURES / "docs" / "100_hanyang_civil_2024_final.txt").read_text(encoding="utf-8")
    doc = tmp_path / "hostile.txt"
    doc.write_text(text.replace("临时救助资金", HOSTILE), encoding="utf-8")
    with BudgetKG.open(app_store) as kg:
        assert kg.ingest([doc])[0].ok
        (match,) = [m for m in kg.lookup("点此核对") if m.label.startswith("[点此核对](https://evil")]
    at = page_test("entity")
    at.query_params["iri"] = match.iri
    at.run()
    assert not at.exception
    assert at.header[0].value == md_escape(match.label)  # the reader drops the HTML tags, nothing else
    shown = [at.header[0].value] + [c.value for c in at.caption]
    assert not any("](" in s.replace("\\]\\(", "") for s in shown)  # no link or image syntax survives

"""The documents page (search_app/views/documents.py): upload good and bad files, list, delete."""

from __future__ import annotations

import re

from apptest_helpers import page_test
from helpers import ROOT

GOOD = ROOT / "tests" / "fixtures" / "docs" / "100_hanyang_civil_2024_final.txt"
REPAIRED = ROOT / "tests" / "fixtures" / "docs" / "104_nankang_agri_2026_budget.txt"  # a damaged code cell


def _docs(at) -> list[str]:
    return list(at.dataframe[0].value["来源文件"])


def test_lists_the_documents(app_store):
    at = page_test("documents").run()
    assert not at.exception
    assert at.subheader[0].value == "已导入的文档（2）"
    assert _docs(at) == ["000_dc10eef729309141.txt", "001_c082f6ab8c9dd51c.txt"]
    assert set(at.dataframe[0].value["部门"]) == {"武汉市东西湖区医疗保障局", "武汉市江岸区医疗保障局"}


def test_upload_reports_each_file(app_store):
    at = page_test("documents").run()
    at.file_uploader(key="documents_upload").set_value([
        (GOOD.name, GOOD.read_bytes(), "text/plain"),
        ("随手记.txt", "今天天气很好。".encode("utf-8"), "text/plain"),
        ("扫描件.pdf", b"not a pdf at all", "application/pdf"),
    ])
    at.button[0].click().run()  # 导入
    assert not at.exception
    assert len(at.success) == 1
    assert at.success[0].value.startswith("100\\_hanyang\\_civil\\_2024\\_final\\.txt：已导入为文档 ")
    errors = [e.value.replace("\\", "") for e in at.error]  # markdown escapes taken off
    assert errors == ["随手记.txt 导入失败：未找到预算表：不是可识别的预算公开文件",
                      "扫描件.pdf 导入失败：不是 PDF 文件（缺少 %PDF- 文件头）"]
    assert at.subheader[0].value == "已导入的文档（3）" and GOOD.name in _docs(at)
    at.run()  # the report stays until the next upload
    assert len(at.success) == 1 and len(at.error) == 2


def test_uploaded_document_is_searchable(app_store):
    at = page_test("documents").run()
    at.file_uploader(key="documents_upload").set_value((GOOD.name, GOOD.read_bytes(), "text/plain"))
    at.button[0].click().run()
    search = page_test("search")
    search.query_params["q"] = "汉阳区民政局"
    search.run()
    assert not search.exception
    hits = [c.value.replace("\\", "") for c in search.caption if "相关度" in c.value]
    assert any("《武汉市汉阳区民政局2024年度部门决算》" in c for c in hits)  # by its title (it used to be its file name)


def test_delete_removes_one_document(app_store):
    at = page_test("documents").run()
    assert at.selectbox(key="documents_delete_choice").options[0].startswith("武汉市东西湖区医疗保障局 2023 预算")
    at.button(key="documents_delete").click().run()
    assert not at.exception
    assert "已删除 武汉市东西湖区医疗保障局 2023 预算" in at.success[0].value and "000\\_dc10" in at.success[0].value
    assert at.subheader[0].value == "已导入的文档（1）"
    assert _docs(at) == ["001_c082f6ab8c9dd51c.txt"]


def test_the_reading_warnings_of_an_upload_are_shown_in_chinese(app_store):
    at = page_test("documents").run()
    at.file_uploader(key="documents_upload").set_value((REPAIRED.name, REPAIRED.read_bytes(), "text/plain"))
    at.button[0].click().run()
    assert not at.exception and not at.error
    [shown] = [m.value.replace("\\", "") for m in at.expander[0].markdown]
    lines = shown.splitlines()
    assert (f"- {REPAIRED.name}（第 153 行）：表三 部门支出总表（编码已修复）：编码单元格“3 | 01 | 53”读作 2130153："
            "其上级和下级科目的金额证实了这一编码") in lines
    assert all(re.search(r"[\u4e00-\u9fff]", line) and not re.search(r"\b(?:not|read|the|row|column)\b", line)
               for line in lines), lines

"""Damaged content inside a readable document: warnings name the place, the rest still ingests."""

from pathlib import Path

import pytest

from ingest.pipeline import extract

DOC = """# 某某区测试局 2024 年部门预算

## 2024 年部门支出总表

单位名称：某某区测试局

单位：万元

科目编码\t科目名称\t总计\t基本支出\t项目支出
\t合计\t100.00\t60.00\t40.00
2080501\t行政单位离退休\t12.3.4\t10.00\t
2101101\t行政单位医疗\t90.00\t50.00\t40.00

## 2024 年项目支出预算表

单位：万元

科目编码\t科目名称\t单位编码\t单位名称\t项目名称\t总计
2101101\t行政单位医疗\t001001\t某某区测试局本级\t医疗保障经费\t40.00
2101101\t行政单位医疗\t001001\t某某区测试局本级\t测试项目

## 部门项目申报表(含绩效目标)

项目名称\t医疗保障经费\t项目编码\tTEST001
项目立项依据\t根据《某某办法（武政规[2016]32号文件规定，以及《未闭合的标题
"""


@pytest.fixture(scope="module")
def damaged(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bad") / "damaged.txt"
    path.write_text(DOC, encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_malformed_number_is_a_warning_at_its_line(damaged):
    ex = extract(damaged)
    (bad,) = [f for f in ex.findings if "12.3.4" in f.message]
    assert bad.severity == "warning"
    assert bad.provenance.line == _line_of(damaged, "12.3.4")
    good = {li.code: li.total for li in ex.line_items}
    assert str(good["2101101"]) == "90.00"  # the other rows of the table still count
    assert good["2080501"] is None


def test_truncated_project_row_is_reported_and_skipped(damaged):
    ex = extract(damaged)
    assert [p.name for p in ex.projects] == ["医疗保障经费"]
    (cut,) = [f for f in ex.findings if f.rule == "projects.missing_amount"]
    assert cut.provenance.line == _line_of(damaged, "测试项目")


def test_unbalanced_brackets_still_yield_the_citations_that_are_whole(damaged):
    (project,) = extract(damaged).projects
    keys = {(c.kind, c.key) for c in project.citations}
    assert ("doc_number", "武政规〔2016〕32号") in keys
    assert not any("未闭合" in key for _, key in keys)

"""Table titles no known wording names, matched to roles by the default embedding model (kg.embed.similarity).

The cases are those the thresholds in ingest.vocabulary.table_roles were measured on: novel wordings of known
tables are matched, titles of other tables and narrative headings are not.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.pipeline import extract
from ingest.vocabulary.table_roles import SIMILARITY_MARGIN, SIMILARITY_MIN, match_title, nearest_role
from kg.embed.similarity import text_similarity


@pytest.fixture(scope="module")
def similarity():
    return text_similarity()


@pytest.mark.parametrize("title, role", [
    ("部门经费收支情况一览表", "summary"),
    ("部门收支情况一览表", "summary"),
    ("部门预算项目经费表", "projects"),
    ("财政拨款收支情况表", "fiscal_summary"),
    ("项目经费预算表", "projects"),
])
def test_novel_wordings_of_known_tables_are_matched(similarity, title, role):
    m = match_title(title, similarity)
    assert (m.role, m.how) == (role, "similarity")
    assert m.score >= SIMILARITY_MIN


@pytest.mark.parametrize("title", [
    "年度绩效目标表", "预算单位基本信息表", "财政专户管理资金收支表", "人员编制情况表", "机关运行经费支出表",
    "绩效目标完成情况", "部门主要职责",
])
def test_titles_of_other_tables_are_not_matched(similarity, title):
    m = nearest_role(title, similarity)
    assert m.role is None and m.score is not None
    assert "no role matched; nearest:" in m.reason()


def test_the_thresholds_separate_the_measured_cases(similarity):
    """The weakest accepted novel wording clears both thresholds; the nearest rejected one fails one."""
    accepted = nearest_role("部门经费收支情况一览表", similarity)
    assert accepted.score - SIMILARITY_MIN > 0.003
    rejected = nearest_role("绩效目标完成情况", similarity)
    assert rejected.score < SIMILARITY_MIN


DOC = """武汉市某区文化和旅游局2025年部门预算

一、部门主要职责
负责全区文化和旅游工作。

部门经费收支情况一览表
单位：万元
收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t1,200.00\t一、文化旅游体育与传媒支出\t1,300.00
二、上年结转\t100.00\t\t
收入总计\t1,300.00\t支出总计\t1,300.00
"""


def test_extract_reads_a_table_whose_title_it_matched_by_similarity(tmp_path, similarity):
    path = tmp_path / "doc.txt"
    path.write_text(DOC, encoding="utf-8")
    ex = extract(path, similarity=similarity)
    totals = {t.key: t.amount for t in ex.totals}
    assert totals["income_total"] == Decimal("1300") and totals["expenditure_total"] == Decimal("1300")
    found = [f for f in ex.findings if f.rule == "table_role_by_similarity"]
    assert len(found) == 1 and "部门经费收支情况一览表" in found[0].message and found[0].provenance.line == 6

"""Column header labels no known wording names, given 合计/基本支出/项目支出 by the default embedding model
(kg.embed.similarity) and confirmed by the table's checks (ingest.reconcile.similar_columns).

The cases are those the thresholds in ingest.vocabulary.column_roles were measured on: novel wordings of the
three roles are taken, the labels of other columns (备注, 序号, 上年预算数 …) are not.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.pipeline import extract
from ingest.vocabulary.column_roles import (
    BASIC, PROJECT, SIMILARITY_MARGIN, SIMILARITY_MIN, TOTAL, nearest_roles, roles_of, says_no_role,
)
from kg.embed.similarity import text_similarity


@pytest.fixture(scope="module")
def similarity():
    return text_similarity()


NOVEL = [("本年度支出总额", TOTAL), ("基本运转支出", BASIC), ("专项业务支出", PROJECT), ("本年度合计", TOTAL),
         ("基本运行支出", BASIC), ("业务项目支出", PROJECT), ("本年度预算总额", TOTAL), ("专项经费", PROJECT)]
OTHER = ["行次", "栏次", "备注", "序号", "增减率", "上年预算数", "上年决算数", "上年执行数", "上年数", "占比", "说明",
         "数量", "单价", "资金来源", "结转下年", "工资福利支出", "商品和服务支出", "资本性支出", "对个人和家庭的补助"]


@pytest.mark.parametrize("label, role", NOVEL)
def test_novel_wordings_take_their_role(similarity, label, role):
    assert says_no_role((label,)), roles_of((label,))
    m = nearest_roles([label], similarity)[0]
    assert m.role == role and m.score >= SIMILARITY_MIN and m.margin >= SIMILARITY_MARGIN


@pytest.mark.parametrize("label", OTHER)
def test_labels_of_other_columns_take_no_role(similarity, label):
    assert nearest_roles([label], similarity)[0].role is None


@pytest.mark.parametrize("label", ["项目名称", "人员经费", "一般公共预算", "收入合计", "增减", "增长率", "年初预算数"])
def test_labels_naming_another_role_never_reach_similarity(label):
    assert not says_no_role((label,))


def test_the_thresholds_separate_the_measured_cases(similarity):
    """The weakest taken novel wording clears both thresholds; the nearest other label falls below the minimum."""
    weakest = nearest_roles(["专项业务支出"], similarity)[0]
    assert weakest.score - SIMILARITY_MIN > 0.003 and weakest.margin - SIMILARITY_MARGIN > 0.005
    nearest_other = nearest_roles(["上年决算数"], similarity)[0]
    assert SIMILARITY_MIN - nearest_other.score > 0.003


DOC = """武汉市某区文化和旅游局2025年部门预算

一、部门主要职责
负责全区文化和旅游工作。

部门支出总表
单位：万元
科目编码\t科目名称\t本年度支出总额\t基本运转支出\t专项业务支出\t备注
201\t一般公共服务支出\t300.00\t200.00\t100.00\t
20101\t人大事务\t300.00\t200.00\t100.00\t
2010101\t行政运行\t200.00\t200.00\t\t
2010102\t一般行政管理事务\t100.00\t\t100.00\t
208\t社会保障和就业支出\t50.00\t50.00\t\t
20805\t行政事业单位养老支出\t50.00\t50.00\t\t
2080505\t机关事业单位基本养老保险缴费支出\t50.00\t50.00\t\t
合计\t\t350.00\t250.00\t100.00\t
"""


def test_extract_reads_a_table_whose_columns_it_matched_by_similarity(tmp_path, similarity):
    path = tmp_path / "doc.txt"
    path.write_text(DOC, encoding="utf-8")
    ex = extract(path, similarity=similarity)
    lines = {li.code: (li.total, li.basic, li.project) for li in ex.line_items}
    assert lines["201"] == (Decimal("300.00"), Decimal("200.00"), Decimal("100.00"))
    totals = {t.key: t.amount for t in ex.totals}
    assert totals["basic_expenditure"] == Decimal("250.00") and totals["project_expenditure"] == Decimal("100.00")
    found = {f.values[0]: f.values[1] for f in ex.findings if f.rule == "column_role_by_similarity"}
    assert found == {"本年度支出总额": "total", "基本运转支出": "basic", "专项业务支出": "project"}
    assert any(c.rule == "basic_plus_project" for c in ex.checks) and all(c.passed for c in ex.checks)

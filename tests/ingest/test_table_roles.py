"""Table roles by meaning: the vocabulary's wordings and keys, titles printed in a grid row, 续表 titles,
and title-like lines no wording names (a warning, not a merge into the table before)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.sections import TABLE_ROLES, role_findings, split_blocks, table_role
from ingest.vocabulary.table_roles import ROLE_IDS, UNRECOGNISED, match_title, title_core
from table_helpers import parse_lines


@pytest.mark.parametrize("title, role", [
    # national and provincial template wordings, with department, unit and year prefixes
    ("上海市普陀区财政局2025年部门收支预算总表", "summary"),
    ("2024年度收入支出决算总表", "summary"),
    ("XX县教育局单位收支总表", "summary"),
    ("部门预算收支总表（公开01表）", "summary"),
    ("部门收支总体情况表", "summary"),
    ("部门收入总体情况表", "income"),
    ("部门支出总体情况表", "expenditure"),
    ("2025年财政拨款收支总体情况表", "fiscal_summary"),
    ("一般公共预算支出功能分类预算表", "gpb_expenditure"),
    ("一般公共预算基本支出经济分类预算表", "basic_economic"),
    ("基本支出决算表", "basic_economic"),  # ends like 支出决算表 (支出总表), but names the 基本支出
    ("财政拨款支出预算表", "gpb_expenditure"),
    ("表8 项目支出决算表", "projects"),
    ("政府性基金预算财政拨款收入支出决算表", "gov_fund"),
    ("2024年部门“三公”经费和机关运行经费预算表（续）", "three_public"),
    ("项目支出绩效目标表（一）", "project_form"),
])
def test_known_wordings_name_their_roles(title, role):
    assert table_role(title) == role
    assert match_title(title).role == role


def test_sections_use_the_vocabulary_roles():
    assert TABLE_ROLES == ROLE_IDS


def test_title_core_strips_year_numbering_and_continuation():
    assert title_core("2025年度部门收支预算总表（续）") == "部门收支预算总表"
    assert title_core("表3 收入支出决算总表") == "收入支出决算总表"


def test_a_title_no_wording_names_is_unknown_without_similarity():
    m = match_title("部门经费收支情况一览表")
    assert m.role is None and "no role matched" in m.reason()


def test_a_title_is_matched_through_an_injected_similarity():
    def similarity(texts, targets):  # a stand-in model: near only to the 收支总表 wordings
        return [[0.99 if t == "部门收支总体情况表" else 0.90 for t in targets] for _ in texts]

    m = match_title("部门经费收支情况一览表", similarity)
    assert (m.role, m.how) == ("summary", "similarity") and m.nearest.startswith("部门收支总体情况表")


THREE_PUBLIC = [
    "2024年部门“三公”经费预算表",
    "单位：万元",
    "合计\t因公出国（境）费\t公务接待费\t公务用车购置及运行费",
    "12.50\t2.00\t3.50\t7.00",
]
LIST = [
    "人员信息一览表",
    "单位：人",
    "类别\t编制数\t实有人数",
    "行政编制\t25\t23",
    "事业编制\t10\t9",
]


def test_an_unnamed_table_after_a_table_is_its_own_block_with_a_warning():
    blocks = [b for b in split_blocks(_lines(THREE_PUBLIC + LIST)) if b.lines]
    assert [b.role for b in blocks] == ["three_public", UNRECOGNISED]
    assert len(blocks[0].rows) == 2  # the list's rows are not merged into the 三公 table
    rule, params = blocks[1].notes[0]
    assert rule == "table_role_unrecognised" and params["near"] == "未提供相似度模型"
    [found] = role_findings(blocks, "d")
    assert found.severity == "warning" and found.message.endswith("的表格“人员信息一览表”不是已知的表：未提供相似度模型")


def test_a_contents_entry_ending_in_biao_opens_no_table():
    blocks = split_blocks(_lines(["目录", "部门经费收支情况一览表", "人员信息一览表", "一、部门职责", "负责全区工作。"]))
    assert all(b.role == "narrative" for b in blocks)


FISCAL_IN_GRID = [
    "2024年单位收入预算表",
    "单位：元",
    "单位编码\t单位名称\t合计\t一般公共预算",
    "301001\t上海市某区卫生健康委员会\t10,000.00\t10,000.00",
    "2024\t年预算单位财政拨款收支预算总表\t\t",  # the title in the first ruled row, split at the year
    "\t\t\t单位：元",
    "收入\t\t支出\t",
    "项目\t预算数\t项目\t预算数",
    "一、一般公共预算\t293,810,000.00\t一、卫生健康支出\t293,810,000.00",
    "收入总计\t293,810,000.00\t支出总计\t293,810,000.00",
]


def test_a_title_beside_its_unit_in_the_first_grid_row_keeps_the_unit():
    rows = ["部门收支总表\t\t\t单位：元", "项目\t预算数\t项目\t预算数", "收入总计\t15,000,000.00\t支出总计\t15,000,000.00"]
    blocks = split_blocks(_lines(rows))
    assert [(b.role, b.title) for b in blocks] == [("summary", "部门收支总表")]
    ctx = parse_lines(rows, ("summary",))
    assert ctx.totals["income_total"].amount == Decimal("1500")


def test_a_title_in_the_first_grid_row_starts_its_table():
    blocks = [b for b in split_blocks(_lines(FISCAL_IN_GRID)) if b.role != "narrative"]
    assert [b.role for b in blocks] == ["income", "fiscal_summary"]
    assert blocks[1].title == "2024年预算单位财政拨款收支预算总表"
    assert blocks[1].notes[0][0] == "table_title_in_grid"
    ctx = parse_lines(FISCAL_IN_GRID, ("income", "fiscal_summary"))
    assert [(u.code, u.name) for u in ctx.units] == [("301001", "上海市某区卫生健康委员会")]
    assert ctx.totals["fiscal_appropriation_total"].amount == Decimal("29381")


QUALIFIED_IN_GRID = [
    "财政拨款收支总表",
    "单位：万元",
    "项目\t预算数\t项目\t预算数",
    "收入总计\t1,500.00\t支出总计\t1,500.00",
    "",
    "表五　一般公共预算支出表（分功能科目）\t\t\t\t",  # its title in its grid, a bracketed qualifier after 表
    "\t\t\t\t单位：万元",
    "科目编码\t科目名称\t合计\t基本支出\t项目支出",
    "208\t社会保障和就业支出\t1,500.00\t1,000.00\t500.00",
]


def test_a_title_with_a_bracketed_qualifier_in_the_first_grid_row_starts_its_table():
    blocks = [b for b in split_blocks(_lines(QUALIFIED_IN_GRID)) if b.role != "narrative"]
    assert [(b.role, b.title) for b in blocks] == [("fiscal_summary", "财政拨款收支总表"),
                                                  ("gpb_expenditure", "表五一般公共预算支出表（分功能科目）")]
    ctx = parse_lines(QUALIFIED_IN_GRID, ("gpb_expenditure",))
    assert [(li.code, li.total) for li in ctx.line_items] == [("208", Decimal("1500"))]


CONTINUED = [
    "部门收支总表",
    "单位：万元",
    "收入\t\t支出\t",
    "项目\t预算数\t项目\t预算数",
    "一、一般公共预算拨款收入\t1,200.00\t一、一般公共服务支出\t1,000.00",
    "- 3 -",
    "部门收支总表（续）",
    "收入\t\t支出\t",
    "项目\t预算数\t项目\t预算数",
    "二、事业收入\t300.00\t二、教育支出\t500.00",
    "收入总计\t1,500.00\t支出总计\t1,500.00",
]


def test_a_continued_title_and_its_repeated_header_keep_one_table():
    blocks = [b for b in split_blocks(_lines(CONTINUED)) if b.role != "narrative"]
    assert [b.role for b in blocks] == ["summary"]
    ctx = parse_lines(CONTINUED, ("summary",))
    assert ctx.totals["income_total"].amount == Decimal("1500")
    assert ctx.totals["expenditure_total"].amount == Decimal("1500")


def _lines(texts):
    from ingest.layout import Line

    return [Line(no=i, text=t, cells=t.split("\t") if "\t" in t else [t]) for i, t in enumerate(texts, 1)]


def test_a_title_repeated_with_its_header_on_the_next_page_keeps_one_table():
    again = [ln.replace("部门收支总表（续）", "部门收支总表") for ln in CONTINUED]
    assert [b.role for b in split_blocks(_lines(again)) if b.role != "narrative"] == ["summary"]
    assert parse_lines(again, ("summary",)).totals["income_total"].amount == Decimal("1500")


def test_the_same_title_over_another_header_is_another_table():
    other = CONTINUED[:6] + ["部门收支总表", "收入\t支出", "收入总计\t1,500.00"]
    assert [b.role for b in split_blocks(_lines(other)) if b.role != "narrative"] == ["summary", "summary"]


def test_a_failing_similarity_leaves_the_table_unrecognised_and_says_why():
    def broken(texts, targets):
        raise OSError("model folder missing")

    blocks = [b for b in split_blocks(_lines(THREE_PUBLIC + LIST), broken) if b.lines]
    assert blocks[1].role == UNRECOGNISED
    assert blocks[1].notes[0][1]["near"] == "相似度计算失败（OSError: model folder missing）"


def test_a_bare_continued_row_between_pages_stays_in_the_table():
    rows = CONTINUED[:6] + ["续表\t\t\t", *CONTINUED[7:]]
    blocks = [b for b in split_blocks(_lines(rows)) if b.role != "narrative"]
    assert [b.role for b in blocks] == ["summary"] and not any("续" in ln.text for ln in blocks[0].rows)
    assert parse_lines(rows, ("summary",)).totals["expenditure_total"].amount == Decimal("1500")

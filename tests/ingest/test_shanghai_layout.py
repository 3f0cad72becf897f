"""Layouts first seen in the Shanghai PDFs, on small hand-written lines: split 类|款|项 codes, cover titles,
编制部门 labels, unit tables, 三公 合计 by meaning, project forms with side-by-side goals, project write-ups."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ingest.aliases import merge_projects
from ingest.context import Context
from ingest.document import read_document
from ingest.document.composition import add_composition
from ingest.document.names import department_name
from ingest.document.title import title_name
from ingest.layout import Line
from ingest.records import ANNUAL, LONG_TERM
from ingest.sections import split_blocks, table_role
from ingest.tables.classification import parse_economic, parse_functional
from ingest.tables.forms import parse_project_form
from ingest.tables.three_public import parse_three_public
from ingest.tables.writeup import budget_items, parse_project_writeup


def lines(*specs, page: int = 1) -> list[Line]:
    """Each spec is a text line (str) or a table row (list of cells)."""
    out = []
    for no, spec in enumerate(specs, start=1):
        if isinstance(spec, list):
            out.append(Line(no, "\t".join(spec), list(spec), page=page))
        else:
            out.append(Line(no, spec, [spec], page=page))
    return out


def context(ls: list[Line]) -> Context:
    return Context(doc_id="t", path=Path("t.pdf"), blocks=split_blocks(ls), lines=ls)


# --- sections -------------------------------------------------------------------------


def test_functional_classification_table_title_is_gpb_expenditure():
    assert table_role("2025年部门一般公共预算支出功能分类预算表") == "gpb_expenditure"


def test_a_sentence_pointing_at_a_table_is_not_a_title():
    blocks = split_blocks(lines("七、绩效目标", "详见单位的项目绩效目标表"))
    assert [b.role for b in blocks] == ["narrative"]


def test_a_heading_after_table_rows_ends_the_table():
    blocks = split_blocks(lines("2025年部门“三公”经费和机关运行经费预算表", ["合计", "公务接待费"], ["1.00", "1.00"],
                                "其他相关情况说明", "一、2025年“三公”经费预算情况说明", "预算数为1.00万元。"))
    assert [b.role for b in blocks] == ["three_public", "narrative"]
    assert blocks[1].title == "一、2025年“三公”经费预算情况说明"


def test_project_writeup_is_a_block_of_its_own():
    blocks = split_blocks(lines("正文。", "科技创新专项经费情况说明", "一、项目概述", "推动创新。", "二、立项依据",
                                "1、《某办法》（沪商规〔2024〕3号）。"))
    assert [(b.role, b.title) for b in blocks] == [("narrative", None),
                                                   ("project_writeup", "科技创新专项经费情况说明")]


# --- classification tables -------------------------------------------------------------


def test_codes_split_over_class_columns_are_joined_and_the_total_row_carries_the_labels():
    ls = lines("支出决算表", "单位：万元",
               ["项目", "", "", "", "本年支出合计", "基本支出", "项目支出"],
               ["支出功能分类", "", "", "科目名称", "", "", ""],
               ["科目编码", "", "", "", "", "", ""],
               ["类", "款", "项", "合计", "30.00", "20.00", "10.00"],
               ["201", "", "", "一般公共服务支出", "30.00", "20.00", "10.00"],
               ["201", "06", "", "财政事务", "30.00", "20.00", "10.00"],
               ["201", "06", "01", "行政运行", "30.00", "20.00", "10.00"])
    ctx = context(ls)
    parse_functional(ctx.blocks[0], ctx)
    assert [(li.code, li.total) for li in ctx.line_items] == [
        ("201", Decimal("30.00")), ("20106", Decimal("30.00")), ("2010601", Decimal("30.00"))]
    assert ctx.totals["basic_expenditure"].amount == Decimal("20.00")


def test_blank_rows_of_a_printed_catalogue_are_left_out():
    ls = lines("一般公共预算财政拨款基本支出决算表", "单位：万元",
               ["经济分类", "", "科目名称", "决算数", "经济分类", "", "科目名称", "决算数"],
               ["科目编码", "", "", "", "科目编码", "", "", ""],
               ["类", "款", "", "", "类", "款", "", ""],
               ["301", "", "工资福利支出", "5.00", "302", "", "商品和服务支出", "1.00"],
               ["301", "01", "基本工资", "5.00", "302", "01", "办公费", ""],
               ["301", "03", "奖金", "", "302", "02", "印刷费", ""],
               ["301", "06", "伙食补助费", "", "302", "03", "咨询费", ""])
    ctx = context(ls)
    parse_economic(ctx.blocks[0], ctx)
    assert sorted(li.code for li in ctx.line_items) == ["301", "30101", "302"]


# --- department name and units ----------------------------------------------------------


def test_cover_name_wrapped_over_lines_is_joined():
    ls = lines("上海市普陀区规划和自然", "资源局", "2024 年度部门决算", "目 录",
               "上海市规划和自然资源局 2024年度部门决算表", "收入支出决算总表", ["项目", "决算数"], ["合计", "1.00"])
    ctx = context(ls)
    assert department_name(ctx) == "上海市普陀区规划和自然资源局"
    assert read_document(ctx).title == "上海市普陀区规划和自然资源局2024 年度部门决算"


def test_level_in_the_title_is_no_name_and_labels_name_the_department():
    assert title_name("上海市普陀区2025年区级部门预算") == "上海市普陀区"
    ls = lines("上海市普陀区2025年区级部门预算", "预算主管部门：上海市普陀区商务委员会",
               "2025年部门收入预算总表", "2025年部门收入预算总表 编制部门：上海市普陀区商务委员会 单位：元",
               ["项目", "预算数"], ["合计", "1.00"])
    assert department_name(context(ls)) == "上海市普陀区商务委员会"


def test_unit_table_and_numbered_units_under_an_unnumbered_heading():
    ls = lines("二、部门决算单位构成", "纳入部门决算编制范围的单位包括：",
               ["序号", "单位名称", "备注"],
               ["1", "上海市普陀区财政局（本级）", ""],
               ["2", "上海市普陀区国库收付中心（下属事业单位）", "预算不单列，并入本级"],
               "某某委员会机构设置",
               "本部门中，行政单位1家，事业单位1家，具体包括：",
               "1. 商务委本部，机关设2个内设机构，包括：办公室、综合调研科。",
               "2. 上海市普陀区中小企业服务中心，不单列预算。",
               "名词解释", "1. 财政拨款收入。")
    ctx = context(ls)
    add_composition(ctx, "上海市普陀区财政局")
    assert [u.name for u in ctx.units] == ["上海市普陀区财政局（本级）", "上海市普陀区国库收付中心", "商务委本部",
                                           "上海市普陀区中小企业服务中心"]
    assert ctx.offices == ["办公室", "综合调研科"]
    assert department_name(ctx) == "上海市普陀区财政局"


# --- 三公 -------------------------------------------------------------------------------------


def test_three_public_total_is_the_total_column_not_a_sum_with_subtotals():
    ls = lines("2023年部门“三公”经费和机关运行经费预算表", "编制部门：某街道办事处 单位:万元",
               ["2023年“三公”经费预算数", "", "", "", "", "", "2023年机关运行经费预算数"],
               ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "", "", ""],
               ["", "", "", "小计", "购置费", "运行费", ""],
               ["22.91", "0", "1.35", "21.56", "0", "21.56", "786.09"])
    ctx = context(ls)
    parse_three_public(ctx.blocks[0], ctx)
    assert ctx.totals["three_public_total"].amount == Decimal("22.91")


# --- project forms and write-ups --------------------------------------------------------------


def test_performance_target_form_with_side_by_side_goals():
    ls = lines("财政项目支出绩效目标填报表", "（2023年度）",
               ["项目名称", "", "就业援助基地补贴", "", "项目性质", "经常性项目", "项目类别", "特定目标类"],
               ["主管部门", "", "某街道办事处", "", "实施单位", "某街道办事处", "", ""],
               ["计划开始日期", "", "2023-01-01", "", "计划完成日期", "2023-12-31", "", ""],
               ["项目资金（元）", "", "项目资金总额", "", "6,351,000.00", "年度资金申请总额", "", "6,351,000.00"],
               ["项目绩效目标", "项目总目标", "", "", "", "年度总体目标", "", ""],
               ["", "管理各类下拨费用", "", "", "", "实报实销", "", ""],
               ["", "一级指标", "二级指标", "三级指标", "", "", "年度(/项目)指标值", ""],
               ["绩效指标", "产出指标", "数量指标", "补贴对象申请审核完成率", "", "", "=100.00(%)", ""],
               ["", "效益指标", "社会效益指标", "补贴对象生活改善度", "", "", "不低于80%", ""])
    ctx = context(ls)
    parse_project_form(ctx.blocks[0], ctx)
    p = ctx.mentions[0].project
    assert (p.name, p.attribute, p.category, p.start_year, p.end_year) == (
        "就业援助基地补贴", "经常性项目", "特定目标类", 2023, 2023)
    assert p.amount == Decimal("635.1")
    assert p.goals == ((LONG_TERM, "管理各类下拨费用"), (ANNUAL, "实报实销"))
    assert [(i.level1, i.level2, i.level3, i.value_raw) for i in p.indicators] == [
        ("产出指标", "数量指标", "补贴对象申请审核完成率", "=100.00(%)"),
        ("效益指标", "社会效益指标", "补贴对象生活改善度", "不低于80%")]


WRITEUP = ("科技创新专项经费情况说明", "一、项目概述", "加快推动本区企业创新驱动发展。", "二、立项依据",
           "1、《普陀区服务企业发展工作实施意见》（普投资规范〔2023〕1号）。", "三、实施主体", "上海市普陀区商务委员会",
           "四、实施方案", "根据《普陀区支持科技创新实施意见》，制定实施流程。", "五、实施周期", "2025.1.1-2025.12.31",
           "六、年度预算安排", "2025年度项目总预算1720.00万，其中各级企业技术中心认定1720.00万。", "七、绩效目标",
           "详见单位的项目绩效目标表")


def test_named_writeup_is_one_project_with_citations():
    ctx = context(lines(*WRITEUP))
    parse_project_writeup(ctx.blocks[0], ctx)
    [m] = ctx.mentions
    p = m.project
    assert (m.source, p.name, p.amount, p.executing_unit, p.start_year) == (
        "writeup", "科技创新专项", Decimal("1720.00"), "上海市普陀区商务委员会", 2025)
    assert {c.key for c in p.citations} >= {"普投资规范〔2023〕1号", "普陀区支持科技创新实施意见"}
    assert [a.name for a in p.activities] == ["各级企业技术中心认定"]


def test_generic_writeup_listing_projects_gives_each_and_the_texts_to_the_one_they_describe():
    ctx = context(lines("项目经费情况说明", "一、项目概述", "委托社会中介机构开展绩效评价。", "二、立项依据",
                        "《政府投资条例》等。", "六、年度预算安排", "信息化系统日常维护费166.66万元，中介机构服务费418.80万元。"))
    parse_project_writeup(ctx.blocks[0], ctx)
    got = {m.project.name: m.project for m in ctx.mentions}
    assert {n: p.amount for n, p in got.items()} == {"信息化系统日常维护费": Decimal("166.66"),
                                                     "中介机构服务费": Decimal("418.80")}
    assert [c.key for c in got["中介机构服务费"].citations] == ["政府投资条例"]
    assert not got["信息化系统日常维护费"].citations


def test_generic_writeup_with_a_schedule_names_its_project_from_the_overview_and_joins_the_form():
    ctx = context(lines("项目经费情况说明", "一、项目概况", "由某街道办事处建设的万里街道社区公共服务中心新建工程，位于某路。",
                        "六、年度预算安排", "第一季度用款计划25.88万元，第二季度用款计划384.12万元。"))
    parse_project_writeup(ctx.blocks[0], ctx)
    assert budget_items("第一季度用款计划25.88万元")[1] == [("第一季度用款计划", Decimal("25.88"))]
    [m] = ctx.mentions
    assert (m.project.name, m.project.amount) == ("万里街道社区公共服务中心新建工程", Decimal("410.00"))
    from ingest.records import Project

    ctx.mention("form", Project(name="新建万里街道社区公共服务中心", amount=Decimal("410")))
    [p] = merge_projects(ctx)
    assert p.name == "新建万里街道社区公共服务中心" and p.aliases == ("万里街道社区公共服务中心新建工程",)

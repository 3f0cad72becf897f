"""Department performance tables (部门整体支出绩效目标申报表 / 整体支出绩效目标表)."""

from decimal import Decimal

import pytest
from helpers import SEEDS, gold
from table_helpers import block_of, empty_ctx, f1, seed_ctx

from ingest.records import ANNUAL, LONG_TERM
from ingest.tables.performance import goal_title, parse_department_performance


def department_table(rows: list[str], title: str):
    """A Context with one hand-written department performance table (tab-separated rows under ``title``) read."""
    ctx = empty_ctx()
    parse_department_performance(block_of(title, rows), ctx)
    return ctx


@pytest.mark.parametrize("stem", SEEDS)
def test_department_indicators_match_gold(stem):
    got = [(i.goal, i.level3, i.value_raw, i.subject_unit) for i in seed_ctx(stem, ("dept_performance",)).department_indicators]
    want = [(i["goal"], i["level3"], i["value"], i["unit"]) for i in gold(stem)["department_indicators"]]
    assert f1(got, want) >= 0.99


def test_goal_titles_are_normalised_as_in_gold():
    assert goal_title(["长期目标 1: 医疗保障制度更加完善;"]) == "长期目标1:医疗保障制度更加完善"
    assert goal_title(["年度目标 2：", "加强医保基金规范管理；"]) == "年度目标2：加强医保基金规范管理"


def test_two_tables_two_units_and_goal_types():
    inds = seed_ctx(SEEDS[1], ("dept_performance",)).department_indicators
    assert {i.subject_unit for i in inds} == {"武汉市江岸区医疗保障局本级", "武汉市江岸区医疗保障服务中心"}
    first = inds[0]
    assert (first.goal_type, first.level3, first.value_raw, first.basis) == (LONG_TERM, "成本控制率", "≤100%", "计划数据")
    assert {i.goal_type for i in inds if i.goal.startswith("年度")} == {ANNUAL}


def test_project_list_becomes_dept_form_mentions_without_subtotal():
    ctx = seed_ctx(SEEDS[0], ("dept_performance",))
    got = [(m.source, m.project.name, m.project.amount) for m in ctx.mentions]
    assert len(got) == 9 and ("dept_form", "党员教育培训", Decimal("1.10")) in got
    assert all(name != "小计" for _, name, _ in got)


def test_hand_written_department_table():
    rows = ["单位名称：某区某局", "部门名称\t武汉市某区某局",
            "项目支出情况\t项目名称\t支出项目类别\t项目总预算\t项目本年度预算\t用途",
            "\t办公楼维修\t本级支出项目\t50\t20\t维修", "\t小计\t\t50\t20\t",
            "整体绩效总目标\t长期目标\t年度目标",
            "<b>年度目标 1：做好维修；</b>",
            "年度绩效指标\t一级指标\t二级指标\t三级指标\t指标值\t指标值确定依据",
            "\t产出指标\t数量指标\t维修面积\t≥100平方米\t计划数据",
            "\t\t\t验收合格率\t100%\t行业标准"]
    ctx = department_table(rows, "部门整体支出绩效目标申报表")
    assert [(m.project.name, m.project.amount, m.project.unit) for m in ctx.mentions] == [
        ("办公楼维修", Decimal(20), "武汉市某区某局")]
    got = [(i.goal, i.goal_type, i.level2, i.level3, i.value_raw, i.basis) for i in ctx.department_indicators]
    assert got == [("年度目标1：做好维修", ANNUAL, "数量指标", "维修面积", "≥100平方米", "计划数据"),
                   ("年度目标1：做好维修", ANNUAL, "数量指标", "验收合格率", "100%", "行业标准")]


def test_goal_titles_without_a_number_open_their_indicator_tables():
    """``中长期目标：…`` in one cell, and a bare ``年度总体目标`` label with its text in the next cell."""
    rows = ["部门名称\t某市某区医疗保障局\t\t",
            "年度预算资金（万元）\t资金总额\t1,725.38\t",
            "中长期目标：建成多层次医疗保障体系\t\t\t",
            "一级指标\t二级指标\t三级指标\t指标值",
            "产出指标\t数量指标\t基本医疗保险参保率\t≥95%",
            "年度总体目标\t落实医疗救助和经办服务，守好群众看病钱。\t\t",
            "一级指标\t二级指标\t三级指标\t指标值",
            "产出指标\t时效指标\t医保经办业务办结时限\t≤5个工作日",
            "满意度指标\t服务对象满意度指标\t参保群众满意度\t≥90%"]
    ctx = department_table(rows, "部门整体支出绩效目标表")
    got = [(i.goal, i.goal_type, i.level1, i.level3, i.value_raw, i.subject_unit) for i in ctx.department_indicators]
    assert got == [
        ("中长期目标：建成多层次医疗保障体系", LONG_TERM, "产出指标", "基本医疗保险参保率", "≥95%", "某市某区医疗保障局"),
        ("年度总体目标", ANNUAL, "产出指标", "医保经办业务办结时限", "≤5个工作日", "某市某区医疗保障局"),
        ("年度总体目标", ANNUAL, "满意度指标", "参保群众满意度", "≥90%", "某市某区医疗保障局")]


def test_an_indicator_table_without_a_goal_title_is_the_years():
    """The national 部门整体支出绩效目标表: 年度主要任务 rows, then 年度绩效指标 | 一级指标 | … with no goal row."""
    rows = ["部门（单位）名称\t某区农业农村局\t\t\t\t\t",
            "年度主要任务\t任务名称\t主要内容\t预算金额（万元）\t\t\t",
            "\t\t\t总额\t财政拨款\t其他资金\t",
            "\t粮食安全\t高标准农田建设\t1260.00\t1260.00\t0.00\t",
            "金额合计\t\t\t1260.00\t1260.00\t0.00\t",
            "年度绩效指标\t一级指标\t二级指标\t三级指标\t指标值\t\t",
            "\t产出指标\t数量指标\t新建高标准农田面积\t2.1万亩\t\t",
            "\t满意度指标\t服务对象满意度指标\t农户满意度\t≥90%\t\t"]
    ctx = department_table(rows, "部门整体支出绩效目标表")
    assert [(i.goal, i.goal_type, i.level1, i.level3, i.value_raw, i.subject_unit) for i in ctx.department_indicators] == [
        ("年度绩效指标", ANNUAL, "产出指标", "新建高标准农田面积", "2.1万亩", "某区农业农村局"),
        ("年度绩效指标", ANNUAL, "满意度指标", "农户满意度", "≥90%", "某区农业农村局")]
    assert ctx.mentions == [] and ctx.findings == []

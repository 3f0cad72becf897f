"""Merging project mentions (table, form, 整体绩效 list, narrative, procurement) into projects."""

from decimal import Decimal

import pytest
from helpers import SEEDS, gold
from table_helpers import PROJECT_ROLES, f1, parse_lines, seed_ctx

from ingest.aliases import merge_projects
from ingest.context import Context
from ingest.records import ProcurementRow, Project, Provenance

D = Decimal
NARRATIVE_000 = [("往来资金", "300"), ("往来经费", "300"), ("城乡居民医疗救助资金", "260"), ("保优离医疗经费", "1200"),
                 ("伤残军人医疗经费", "74"), ("医疗服务中心工作经费", "60"), ("医疗核查中心工作经费", "130"),
                 ("医保业务科工作经费", "7"), ("党员活动经费", "1.1"), ("职工医保工作经费", "153"),
                 ("购买服务人员经费", "225"), ("人员经费", "706.87")]
NARRATIVE_001 = [("部门日常经费", "10.93"), ("购买医保经办服务经费", "324.09"), ("医保资金监管经费", "17"),
                 ("江岸区医疗保障服务中心后勤服务支出", "124.88"), ("医疗救助经费", "1426"), ("经办服务办公经费", "33.80")]
PROCUREMENT_000 = ["在职人员公用", "医保服务中心工作经费", "医保核查中心工作经费", "医保业务科工作经费", "职工医保工作经费"]


def merged(stem):
    ctx = seed_ctx(stem)
    for name, amount in NARRATIVE_000 if stem == SEEDS[0] else NARRATIVE_001:
        ctx.mention("narrative", Project(name=name, amount=D(amount), provenance=Provenance(stem, line=1)))
    if stem == SEEDS[0]:
        for name in PROCUREMENT_000:
            row = ProcurementRow("procurement", "武汉市东西湖区医疗保障局本级", name, "其他服务", D(5))
            ctx.mention("procurement", Project(name=name, procurement=(row,)))
    return merge_projects(ctx), ctx


@pytest.mark.parametrize("stem", SEEDS)
def test_projects_aliases_codes_amounts_match_gold(stem):
    projects, _ = merged(stem)
    want = gold(stem)["projects"]
    assert f1([(p.name, p.unit) for p in projects], [(p["name"], p["unit"]) for p in want]) == 1.0
    got = {(p.name, p.unit): p for p in projects}
    for w in want:
        p = got[(w["name"], w["unit"])]
        assert (p.amount, p.code, p.executing_unit, p.attribute, p.category, p.start_year) == (
            D(str(w["amount"])), w["code"], w["executing_unit"], w["attribute"], w["category"], w["start_year"])
        assert sorted(p.aliases) == sorted(w["aliases"]), p.name


@pytest.mark.parametrize("stem", SEEDS)
def test_citation_and_indicator_pairs_match_gold(stem):
    projects, _ = merged(stem)
    want = gold(stem)["projects"]
    cites = {(p.name, c.key) for p in projects for c in p.citations}
    gcites = {(w["name"], k) for w in want for k in w["cited_doc_numbers"] + w["cited_titles"]}
    assert f1(cites, gcites) >= 0.98
    inds = {(p.name, p.unit, i.goal, i.level3, i.value_raw) for p in projects for i in p.indicators}
    ginds = {(w["name"], w["unit"], i["goal"], i["level3"], i["value"]) for w in want for i in w["indicators"]}
    assert f1(inds, ginds) >= 0.95


def test_form_merges_into_row_and_keeps_both_amounts():
    projects, ctx = merged(SEEDS[0])
    p = next(p for p in projects if p.name == "医保核查中心工作经费")
    assert "医疗保障基金核查经办事务" in p.aliases and p.form_total_budget == D(80) and p.amount == D("130.00")
    # the merger only reads; the audit compares them (projects.form_budget, tests/ingest/audit/test_projects.py)
    assert not any("医保核查中心工作经费" in f.message for f in ctx.findings)
    assert [r.table for r in p.procurement] == ["form", "procurement"]


def test_unmatched_procurement_and_aggregates_are_ignored():
    projects, _ = merged(SEEDS[0])
    assert all("在职人员公用" not in p.aliases and "人员经费" not in p.aliases for p in projects)
    projects, _ = merged(SEEDS[1])
    assert all(p.aliases == () or p.name.startswith("保民生") for p in projects)  # 后勤服务支出 124.84 joins nothing


def test_project_without_form_keeps_table_data():
    projects, _ = merged(SEEDS[0])
    p = next(p for p in projects if p.name == "往来资金")
    assert p.code is None and p.indicators == () and p.aliases == ("往来经费",)
    assert [(f.source, f.amount) for f in p.funding] == [("其他资金", D("300.00"))]


def _ctx(*mentions):
    ctx = Context(doc_id="t", path=None, blocks=[], lines=[])
    for source, project in mentions:
        ctx.mention(source, project)
    return ctx


def test_similar_names_of_distinct_projects_never_merge():
    at = [Provenance("t", line=n) for n in range(5)]
    ctx = _ctx(("table", Project("办公楼维修经费", unit="某局", amount=D(10), provenance=at[0])),
               ("table", Project("办公楼租赁经费", unit="某局", amount=D(20), provenance=at[1])),
               ("form", Project("办公楼租赁经费", amount=D(20), executing_unit="某局", provenance=at[2])),
               ("form", Project("办公楼维修经费", amount=D(10), provenance=at[3])),
               ("dept_form", Project("办公楼维修经费", amount=D(10), unit="某局", provenance=at[4])))
    a, b = merge_projects(ctx)
    assert (a.name, a.executing_unit, a.aliases) == ("办公楼维修经费", None, ())
    assert (b.name, b.executing_unit) == ("办公楼租赁经费", "某局")
    assert a.sources == (at[3], at[4]) and b.sources == (at[2],)


def test_same_name_in_two_units_is_decided_by_unit():
    ctx = _ctx(("table", Project("在职人员体检费", unit="武汉市某区某局本级", amount=D("0.48"), code="A1")),
               ("table", Project("在职人员体检费", unit="武汉市某区服务中心", amount=D("0.48"), code="A2")),
               ("form", Project("在职人员体检费", unit="某区服务中心", amount=D("0.48"), attribute="新增性项目")),
               ("form", Project("在职人员体检费", unit="某区某局本级", amount=D("0.48"), attribute="持续性项目")))
    a, b = merge_projects(ctx)
    assert (a.attribute, b.attribute) == ("持续性项目", "新增性项目")


def test_aggregate_with_a_contained_name_and_other_amount_does_not_merge():
    ctx = _ctx(("table", Project("后勤服务支出（食堂支出）", amount=D("6.48"))),
               ("dept_form", Project("后勤服务支出", amount=D("124.84"))),
               ("narrative", Project("医疗救助经费", amount=D(1426))))
    (p,) = merge_projects(ctx)
    assert p.aliases == ()


def test_forms_are_the_base_without_a_project_table():
    ctx = _ctx(("form", Project("信息化运维", amount=D(5), code="X1")),
               ("dept_form", Project("信息化运维经费", amount=D(5))))
    (p,) = merge_projects(ctx)
    assert (p.name, p.code, p.aliases) == ("信息化运维", "X1", ("信息化运维经费",))


def test_form_without_table_row_is_kept_with_a_warning():
    ctx = _ctx(("table", Project("甲项目", amount=D(1))), ("form", Project("完全不同的工程", amount=D(99))))
    projects = merge_projects(ctx)
    assert [p.name for p in projects] == ["甲项目", "完全不同的工程"]
    assert [f.rule for f in ctx.findings] == ["projects.form_unmatched"]


def _form(name, code, amount, basis, indicator):
    """A 部门项目申报表 as the Wuhan exports print it."""
    return ["## 部门项目申报表(含绩效目标)", "单位：万元",
            f"项目名称\t{name}\t项目编码\t{code}",
            "项目主管部门\t某区卫生健康局\t项目执行单位\t某区卫生健康局",
            "项目属性\t延续性项目", "支出项目类别\t特定目标类项目", "起始年度\t2025\t终止年度\t2025",
            f"项目立项依据\t{basis}", "项目实施方案\t按标准拨付",
            f"项目总预算\t{amount} 万元\t项目当年预算\t{amount} 万元",
            "<b>年度绩效目标表</b>",
            "目标名称\t一级指标\t二级指标\t三级指标\t指标值\t指标值确定依据",
            f"年度绩效目标\t产出指标\t数量指标\t{indicator}\t100%\t历史数据"]


_TABLE = ["## 2025年项目支出预算表", "单位：万元", "单位名称\t项目名称\t合计",
          "武汉市某区卫生健康局机关\t基本公共卫生服务项目区级配套资金T000000013\t120.00",
          "武汉市某区卫生健康局机关\t学生资助补助经费T000000021\t40.00",
          "武汉市某区卫生健康局机关\t学前教育资助补助经费T000000022\t40.00",
          "武汉市某区卫生健康局机关\t在职人员体检费T000000031\t0.48",
          "武汉市某区疾病预防控制中心\t在职人员体检费T000000032\t0.36"]


def test_a_project_named_with_its_code_a_level_prefix_and_a_bracket_is_one_project():
    ctx = parse_lines(_TABLE + _form("国家基本公共卫生服务项目（区级配套）", "42010225T000000013", "120",
                                     "扶助标准按鄂卫生计生发〔2016〕41号执行", "服务人数")
                      + _form("学前教育资助补助经费", "42010225T000000022", "40", "按鄂财教〔2021〕2号", "资助人数"),
                      PROJECT_ROLES)
    got = {(p.name, p.unit): p for p in merge_projects(ctx)}
    assert len(got) == 5 and not ctx.findings
    p = got[("基本公共卫生服务项目区级配套资金", "武汉市某区卫生健康局机关")]
    assert (p.code, p.aliases) == ("T000000013", ("国家基本公共卫生服务项目（区级配套）",))
    assert [c.key for c in p.citations] == ["鄂卫生计生发〔2016〕41号"] and [i.level3 for i in p.indicators] == ["服务人数"]
    student = got[("学生资助补助经费", "武汉市某区卫生健康局机关")]
    preschool = got[("学前教育资助补助经费", "武汉市某区卫生健康局机关")]
    assert (student.aliases, student.indicators, [i.level3 for i in preschool.indicators]) == ((), (), ["资助人数"])
    assert got[("在职人员体检费", "武汉市某区疾病预防控制中心")].code == "T000000032"


def test_names_that_differ_by_other_words_do_not_merge_on_name_alone():
    form = [line for line in _form("学前教育资助补助经费", "", "", "", "资助人数") if not line.startswith("项目总预算")]
    ctx = parse_lines(_TABLE[:3] + [_TABLE[4]] + form, PROJECT_ROLES)  # a form without amounts
    projects = merge_projects(ctx)
    assert [p.name for p in projects] == ["学生资助补助经费", "学前教育资助补助经费"]
    assert [f.rule for f in ctx.findings] == ["projects.form_unmatched"]


def test_a_prefix_and_a_bracket_join_a_form_without_a_code():
    table = _TABLE[:3] + ["武汉市某区卫生健康局机关\t基本公共卫生服务项目区级配套资金\t120.00"]
    form = [line for line in _form("国家基本公共卫生服务项目（区级配套）", "", "", "", "服务人数")
            if not line.startswith("项目总预算")]  # no amount to agree on: the names alone decide
    ctx = parse_lines(table + form, PROJECT_ROLES)
    (p,) = merge_projects(ctx)
    assert p.aliases == ("国家基本公共卫生服务项目（区级配套）",) and [i.level3 for i in p.indicators] == ["服务人数"]


def test_codes_of_one_numbering_decide_and_a_code_of_another_numbering_does_not():
    table = _TABLE[:3] + ["武汉市某区卫生健康局机关\t家庭医生签约服务经费420102-25-001\t20.00",
                          "武汉市某区卫生健康局机关\t老年人健康管理经费T000000041\t20.00"]
    ctx = parse_lines(table + _form("家庭医生签约服务经费", "42010225T000000040", "20", "", "签约人数")
                      + _form("老年人健康管理服务经费", "42010225T000000042", "20", "", "管理人数"), PROJECT_ROLES)
    got = {p.name: p for p in merge_projects(ctx)}
    assert [i.level3 for i in got["家庭医生签约服务经费"].indicators] == ["签约人数"]
    assert got["家庭医生签约服务经费"].code == "420102-25-001"
    assert got["老年人健康管理经费"].indicators == ()  # T000000041 is not T000000042: another project
    assert [i.level3 for i in got["老年人健康管理服务经费"].indicators] == ["管理人数"]
    assert [f.rule for f in ctx.findings] == ["projects.form_unmatched"]

"""Merging project mentions (table, form, 整体绩效 list, narrative, procurement) into projects."""

from decimal import Decimal

import pytest
from helpers import SEEDS, gold
from table_helpers import f1, seed_ctx

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


def test_form_merges_into_row_by_amount_and_mismatch_is_recorded():
    projects, ctx = merged(SEEDS[0])
    p = next(p for p in projects if p.name == "医保核查中心工作经费")
    assert "医疗保障基金核查经办事务" in p.aliases and p.form_total_budget == D(80) and p.amount == D("130.00")
    assert any(f.rule == "projects.form_amount_mismatch" and "医保核查中心工作经费" in f.message for f in ctx.findings)
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

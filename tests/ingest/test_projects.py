"""Project tables (项目支出预算表 / 项目支出情况表 / 决算 项目支出表)."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import SEEDS, gold
from table_helpers import block_of, empty_ctx, seed_ctx

from ingest.pipeline import extract
from ingest.records import FUNCTIONAL, LineItem
from ingest.tables.projects import parse_project_table


FIXTURE_DIR = Path(__file__).resolve().parents[1] / "fixtures"


def project_table(rows: list[str], title: str):
    """A Context with one hand-written project table (tab-separated rows under ``title``) read."""
    ctx = empty_ctx()
    parse_project_table(block_of(title, rows), ctx)
    return ctx


def table_projects(ctx):
    return [m.project for m in ctx.mentions if m.source == "table"]


@pytest.mark.parametrize("stem", SEEDS)
def test_seed_rows_match_gold_names_units_amounts(stem):
    got = [(p.name, p.unit, p.amount) for p in table_projects(seed_ctx(stem, ("projects",)))]
    want = [(p["name"], p["unit"], Decimal(str(p["amount"]))) for p in gold(stem)["projects"]]
    assert sorted(got) == sorted(want)


def test_2023_wrapped_name_and_trailing_period():
    names = [p.name for p in table_projects(seed_ctx(SEEDS[0], ("projects",)))]
    assert "医保服务中心工作经费" in names  # '医保服务中心工作经' + next line '费.'
    assert "医保核查中心工作经费" in names  # printed with a trailing '.'
    assert "2022保优离医疗经费" in names


def test_2026_codes_broken_by_a_space_are_joined_and_aggregates_skipped():
    projects = table_projects(seed_ctx(SEEDS[1], ("projects",)))
    assert len(projects) == 14  # 合计, 303, 303001, 31 本级支出项目 … are not projects
    assert projects[0].code == "42010226303T000000100"
    assert {p.unit for p in projects} == {"武汉市江岸区医疗保障局本级", "武汉市江岸区医疗保障服务中心"}


def test_shifted_functional_codes_are_left_out_unless_confirmed():
    ctx = seed_ctx(SEEDS[0], ())
    ctx.line_items.append(LineItem("支出总表", "expenditure", FUNCTIONAL, "2101505", "医疗保障政策管理", None))
    ctx.line_items.append(LineItem("支出总表", "expenditure", FUNCTIONAL, "2101101", "行政单位医疗", None))
    parse_project_table(next(b for b in ctx.blocks if b.role == "projects"), ctx)
    codes = {p.name: p.functional_code for p in table_projects(ctx)}
    assert codes["医保业务科工作经费"] == "2101505"  # code and name agree with the functional table
    assert codes["城乡医疗救助"] is None  # printed against 2101101, which is 行政单位医疗
    assert any(f.rule == "projects.functional_code_mismatch" for f in ctx.findings)


def test_2023_other_funds_column_becomes_funding():
    p = next(p for p in table_projects(seed_ctx(SEEDS[0], ("projects",))) if p.name == "往来资金")
    assert [(f.source, f.amount) for f in p.funding] == [("其他资金", Decimal("300.00"))]


FINAL = [
    "单位：元",
    "项目名称\t项目单位\t年初预算数\t全年预算数\t全年执行数",
    "合计\t\t300000\t350000\t330000",
    "武汉市某局本级\t\t300000\t350000\t330000",
    "信息系统运维\t武汉市某局本级\t200000\t250000\t240000",
    "档案数字化服务\t武汉市某局本级\t100000\t100000\t90000",
]


def test_final_account_amount_is_the_executed_amount():
    ctx = empty_ctx()
    parse_project_table(block_of("2024年项目支出决算表", FINAL), ctx)
    (a, b) = table_projects(ctx)
    assert (a.name, a.amount, a.budget_initial, a.budget_full_year) == ("信息系统运维", Decimal(24), Decimal(20), Decimal(25))
    assert (b.name, b.amount) == ("档案数字化服务", Decimal(9))


def test_columns_are_found_by_header_words_in_any_order():
    rows = ["金额单位：万元", "合计\t项目名称\t项目编码", "12.50\t网络租赁费\t4201 T0001", "\t续租.\t"]
    ctx = project_table(rows, "项目支出预算表")
    (p,) = table_projects(ctx)
    assert (p.name, p.amount, p.code) == ("网络租赁费续租", Decimal("12.50"), "4201T0001")


def test_bad_amount_is_reported_not_raised():
    rows = ["项目名称\t项目单位\t合计", "办公经费\t某局\t12,3x"]
    ctx = project_table(rows, "项目支出预算表")
    assert table_projects(ctx) == []
    assert [f.rule for f in ctx.findings] == ["projects.bad_amount"]


def test_a_units_own_rows_are_not_projects():
    rows = ["单位：万元", "项目名称\t合计\t财政拨款",
            "上海市普陀区某局\t150.00\t150.00",
            "上海市普陀区某局机关\t100.00\t100.00", "信息系统运维\t60.00\t60.00", "档案数字化服务\t40.00\t40.00",
            "上海市普陀区某服务中心\t50.00\t50.00", "设备购置\t50.00\t50.00"]
    ctx = project_table(rows, "2025年项目支出预算表")
    assert [(p.name, p.unit, p.amount) for p in table_projects(ctx)] == [
        ("信息系统运维", "上海市普陀区某局机关", Decimal("60.00")),
        ("档案数字化服务", "上海市普陀区某局机关", Decimal("40.00")),
        ("设备购置", "上海市普陀区某服务中心", Decimal("50.00"))]
    assert [f.rule for f in ctx.findings] == ["projects.unit_row"] * 3


def test_a_row_naming_its_own_unit_is_not_a_project_but_a_unit_like_project_that_does_not_add_up_is():
    unit = "武汉市某区卫生健康局机关"
    rows = ["单位：万元", "单位名称\t项目名称\t合计"] + [
        f"{unit}\t{name}\t{amount}" for name, amount in
        ((unit, "80.00"), ("健康教育宣传", "50.00"), ("城市社区卫生服务中心", "30.00"), ("急救指挥中心", "12.00"))]
    ctx = project_table(rows, "2025年项目支出预算表")
    assert [p.name for p in table_projects(ctx)] == ["健康教育宣传", "城市社区卫生服务中心", "急救指挥中心"]


def test_a_code_printed_with_the_name_goes_to_the_code():
    rows = ["单位：万元", "单位名称\t项目名称\t合计",
            "武汉市某区卫生健康局机关\t基本公共卫生服务项目区级配套资金T000000013\t120.00",
            "武汉市某区卫生健康局机关\t420102-25-001 家庭医生签约服务经费\t20.00",
            "武汉市某区卫生健康局机关\t2025年1-6级伤残军人医疗经费\t74.00"]
    ctx = project_table(rows, "2025年项目支出预算表")
    assert [(p.name, p.code) for p in table_projects(ctx)] == [
        ("基本公共卫生服务项目区级配套资金", "T000000013"), ("家庭医生签约服务经费", "420102-25-001"),
        ("2025年1-6级伤残军人医疗经费", None)]


def test_projects_under_a_unit_printed_on_a_row_of_its_own_in_the_unit_column():
    """单位名称 | 项目名称 | …: the unit's row fills only the unit column; its projects leave it empty and
    carry their code in the name (no 项目编码 column)."""
    rows = ["单位：元", "单位名称\t项目名称\t项目类型\t合计\t一般公共预算拨款\t其他收入",
            "合计\t\t\t1,046,000.00\t986,000.00\t60,000.00",
            "某市某区卫生健康局本级\t\t\t586,000.00\t526,000.00\t60,000.00",
            "\t卫生健康综合监督执法经费T000000015\t运转类\t126,000.00\t126,000.00\t",
            "\t爱国卫生运动经费T000000016\t特定目标类\t460,000.00\t400,000.00\t60,000.00",
            "某市某区疾病预防控制中心\t\t\t460,000.00\t460,000.00\t",
            "\t免疫规划经费T000000021\t民生类\t460,000.00\t460,000.00\t"]
    ctx = project_table(rows, "项目支出表")
    assert [(p.name, p.code, p.unit, p.category, p.amount) for p in table_projects(ctx)] == [
        ("卫生健康综合监督执法经费", "T000000015", "某市某区卫生健康局本级", "运转类", Decimal("12.60")),
        ("爱国卫生运动经费", "T000000016", "某市某区卫生健康局本级", "特定目标类", Decimal("46.00")),
        ("免疫规划经费", "T000000021", "某市某区疾病预防控制中心", "民生类", Decimal("46.00"))]


@pytest.mark.parametrize("header", ["项目名称\t项目类别\t预算金额\t上年预算数\t增减",
                                    "支出项目名称\t项目类别\t2025年预算数\t2024年预算数\t增减"])
def test_amount_column_by_its_wording_and_the_later_year(header):
    """预算金额 / 2025年预算数 is the amount; the other year's figures and the change are not funding sources."""
    rows = ["单位：万元", header, "合计\t\t80.00\t70.00\t10.00",
            "信息系统运维\t运转类\t60.00\t50.00\t10.00", "档案数字化服务\t特定目标类\t20.00\t20.00\t0.00"]
    ctx = project_table(rows, "项目支出预算表")
    assert [(p.name, p.category, p.amount, p.funding) for p in table_projects(ctx)] == [
        ("信息系统运维", "运转类", Decimal("60.00"), ()), ("档案数字化服务", "特定目标类", Decimal("20.00"), ())]


def test_the_later_year_column_wins_wherever_it_stands():
    rows = ["单位：万元", "项目名称\t2024年预算数\t2025年预算数", "合计\t70.00\t80.00", "信息系统运维\t50.00\t60.00"]
    ctx = project_table(rows, "项目支出预算表")
    assert [(p.name, p.amount) for p in table_projects(ctx)] == [("信息系统运维", Decimal("60.00"))]


def test_a_category_subtotal_under_a_unit_row_is_not_a_project():
    rows = ["单位：万元", "单位名称\t项目编码\t项目名称\t合计",
            "某区某局本级\t\t\t80.00",
            "\t31\t本级支出项目\t80.00",
            "\t42010226303T000000100\t后勤服务支出\t60.00",
            "\t\t档案数字化服务\t20.00"]
    ctx = project_table(rows, "项目支出预算表")
    assert [(p.name, p.code, p.unit) for p in table_projects(ctx)] == [
        ("后勤服务支出", "42010226303T000000100", "某区某局本级"), ("档案数字化服务", None, "某区某局本级")]


# 表10 of tests/fixtures/audit/xinzhou_cdc_2024_unit_final.txt: a 功能科目编码 column with no 科目名称 column beside it
CODED = [
    "编制单位：武汉市新洲区疾病预防控制中心\t\t\t\t\t\t单位：元",
    "项目名称\t功能科目编码\t年初预算数\t全年预算数\t全年执行数\t执行率\t备注",
    "合计\t\t1,840,000.00\t2,278,000.00\t2,194,000.00\t96.31%\t",
    "重大传染病防控经费\t2100409\t920,000.00\t1,165,000.00\t1,165,000.00\t100.00%\t含事业收入",
    "免疫规划和预防接种服务经费\t2100409\t520,000.00\t642,000.00\t642,000.00\t100.00%\t含上年结转",
    "突发公共卫生事件应急处置经费\t2100410\t400,000.00\t471,000.00\t387,000.00\t82.17%\t",
]
# the lines of the document's 支出决算表 (表3) the codes are confirmed by
FUNCTIONAL_LINES = (("2100401", "疾病预防控制机构"), ("2100409", "重大公共卫生服务"), ("2100410", "突发公共卫生事件应急处理"))
CODED_RECORDS = [
    ("重大传染病防控经费", "2100409", "重大公共卫生服务", Decimal("116.5")),
    ("免疫规划和预防接种服务经费", "2100409", "重大公共卫生服务", Decimal("64.2")),
    ("突发公共卫生事件应急处置经费", "2100410", "突发公共卫生事件应急处理", Decimal("38.7")),
]


def coded_projects(rows: list[str], functional=FUNCTIONAL_LINES):
    """The project table read after the functional tables whose lines are ``functional``: its records and
    findings."""
    ctx = empty_ctx()
    ctx.line_items.extend(LineItem("表3 支出决算表", "expenditure", FUNCTIONAL, code, name, None)
                          for code, name in functional)
    parse_project_table(block_of("表10　项目支出决算表", rows), ctx)
    return [(p.name, p.functional_code, p.functional_name, p.amount) for p in table_projects(ctx)], ctx.findings


def reorder(rows: list[str], order: list[int]) -> list[str]:
    return [rows[0]] + ["\t".join(r.split("\t")[k] for k in order) for r in rows[1:]]


def test_a_code_column_without_a_name_column_is_read_and_named_from_the_functional_tables():
    records, findings = coded_projects(CODED)
    assert records == CODED_RECORDS
    assert findings == []  # no name column: nothing is shifted


def test_the_same_codes_in_another_column_order_give_the_same_records():
    records, findings = coded_projects(reorder(CODED, [4, 1, 0, 6, 2, 3, 5]))
    assert records == CODED_RECORDS and findings == []


def test_before_the_functional_tables_are_read_a_code_of_a_national_class_is_taken_without_a_name():
    records, findings = coded_projects(CODED, functional=())
    assert [(name, code, fname) for name, code, fname, _ in records] == [
        ("重大传染病防控经费", "2100409", None), ("免疫规划和预防接种服务经费", "2100409", None),
        ("突发公共卫生事件应急处置经费", "2100410", None)]
    assert findings == []


def test_a_code_the_functional_tables_do_not_list_is_left_out_with_a_warning():
    rows = CODED[:-1] + ["突发公共卫生事件应急处置经费\t2100499\t400,000.00\t471,000.00\t387,000.00\t82.17%\t"]
    records, findings = coded_projects(rows)
    assert records[:2] == CODED_RECORDS[:2]
    assert records[2][1:3] == (None, None)
    [warning] = findings
    assert warning.rule == "projects.functional_code_unknown" and warning.severity == "warning"
    assert warning.values == ("2100499",) and warning.provenance.line == 7
    assert "2100499" in warning.message and "（突发公共卫生事件应急处置经费）" in warning.message


def test_functional_tables_listing_no_code_of_the_projects_level_cannot_confirm_it():
    records, findings = coded_projects(CODED, functional=(("21004", "公共卫生"),))
    assert [code for _, code, _, _ in records] == ["2100409", "2100409", "2100410"]
    assert findings == []


def test_a_code_printed_with_its_name_in_the_code_cell_is_checked_as_a_pair():
    rows = [CODED[0], CODED[1]] + [r.replace("\t2100409\t", "\t2100409 重大公共卫生服务\t") for r in CODED[2:5]]
    rows.append("突发公共卫生事件应急处置经费\t2100410 疾病预防控制机构\t400,000.00\t471,000.00\t387,000.00\t82.17%\t")
    records, findings = coded_projects(rows)
    assert records[:2] == CODED_RECORDS[:2]
    assert records[2][1:3] == (None, None)  # 2100410 is 突发公共卫生事件应急处理, not the name printed with it
    assert [f.rule for f in findings] == ["projects.functional_code_mismatch"]


def test_the_final_accounts_fixture_project_codes_match_the_gold():
    path = FIXTURE_DIR / "docs" / "100_hanyang_civil_2024_final.txt"
    ex = extract(path)
    got = {p.name: (p.functional_code, p.functional_name) for p in ex.projects}
    want = {p["name"]: (p["functional_code"], p["functional_name"])
            for p in json.loads((FIXTURE_DIR / "gold" / "100_hanyang_civil_2024_final.json").read_text())["projects"]}
    assert got == want
    assert not [f for f in ex.findings if f.rule.startswith("projects.functional_code")]
    for p in ex.projects:  # the name is sourced to the functional table's line that prints it with the code
        [source] = [fs.provenance for fs in p.field_sources if fs.field == "functional_name"]
        assert source.snippet.startswith(f"{p.functional_code} {p.functional_name}"), source.snippet

"""Functional and economic classification tables, against the gold files and hand-written tables."""

from collections import Counter
from decimal import Decimal

import pytest
from helpers import FIXTURE_STEMS, SEEDS, gold
from table_helpers import parse_lines, seed_ctx

from ingest.normalise import squash
from ingest.records import ECONOMIC, FUNCTIONAL

MY_ROLES = ("summary", "fiscal_summary", "income", "expenditure", "gpb_expenditure", "basic_economic", "gov_fund",
            "state_capital")
OTHER_ROLES = ("gpb_expenditure", "gov_fund", "state_capital")  # gold's functional_lines_other


@pytest.fixture(scope="module", params=SEEDS + FIXTURE_STEMS)
def seed(request):
    return seed_ctx(request.param, MY_ROLES), gold(request.param)


def parse(texts):
    """This module's parsers over raw export lines (tabs between cells)."""
    return parse_lines(texts, MY_ROLES)


def _dec(x):
    return None if x is None else Decimal(str(x))


def test_department_functional_lines_match_gold(seed):
    ctx, gold = seed
    got = [(li.code, li.name, li.total, li.basic, li.project)
           for li in ctx.line_items if li.role == "expenditure"]
    want = [(g["code"], g["name"], _dec(g["total"]), _dec(g["basic"]), _dec(g["project"]))
            for g in gold["functional_lines"]]
    assert got == want
    assert all(g["table"] in squash(li.table) for li, g in
               zip([li for li in ctx.line_items if li.role == "expenditure"], gold["functional_lines"]))


def test_other_functional_lines_match_gold(seed):
    ctx, gold = seed
    got = Counter((li.code, li.total, li.basic, li.project) for li in ctx.line_items if li.role in OTHER_ROLES)
    want = Counter((g["code"], _dec(g["total"]), _dec(g.get("basic")), _dec(g.get("project")))
                   for g in gold["functional_lines_other"])
    assert got == want
    assert {(li.code, li.total) for li in ctx.line_items if li.role in OTHER_ROLES} == \
        {(g["code"], _dec(g["total"])) for g in gold["functional_lines_other"]}


def test_economic_lines_match_gold(seed):
    ctx, gold = seed
    got = [(li.code, li.name, li.total) for li in ctx.line_items if li.classification == ECONOMIC]
    # a side-by-side table (人员经费 | 公用经费) is read list by list, so compare in code order
    assert sorted(got) == sorted((g["code"], g["name"], _dec(g["amount"])) for g in gold["economic_lines"])


def test_budget_units_match_gold(seed):
    ctx, gold = seed
    want = {(g["code"], g["name"]) for g in gold["units"] if g["code"]}
    assert {(u.code, u.name) for u in ctx.units} == want


@pytest.mark.parametrize("key", ["basic_expenditure", "project_expenditure", "personnel_expenditure",
                                 "public_expenditure"])
def test_expenditure_totals_match_gold(seed, key):
    ctx, gold = seed
    assert ctx.totals[key].amount == _dec(gold["totals"][key])
    assert ctx.totals[key].provenance.line


def test_every_line_item_has_provenance(seed):
    ctx, _ = seed
    for li in ctx.line_items:
        assert li.provenance.table == li.table and li.provenance.line and li.classification in (FUNCTIONAL, ECONOMIC)


# --- hand-written tables ----------------------------------------------------------

EXPENDITURE_YUAN = [
    "2024 年部门支出总表",
    "单位：元",
    "单位代码\t单位名称（科目）\t总计\t基本支出\t\t项目支出",
    "\t\t\t小计\t工资 福利 支出\t",
    "**\t**\t1\t2\t3\t4",
    "\t合计\t1,234,500.00\t234,500.00\t200,000.00\t1,000,000.00",
    "501\t某某市民政局\t1,234,500.00\t234,500.00\t200,000.00\t1,000,000.00",
    "501001\t某某市民政局本级\t1,234,500.00\t234,500.00\t200,000.00\t1,000,000.00",
    "2080505\t机关事业单位基本养老保",
    "",
    "\t险缴费支出",
    "2081001 儿童福利\t\t1,000,000.00\t\t\t1,000,000.00",
    "2101101\t行政单位医疗\t234,500.00\t234,500.00\t200,000.00\tabc",
]


def test_yuan_units_wrapped_names_code_with_name_and_bad_cells():
    ctx = parse(EXPENDITURE_YUAN)
    items = {li.code: li for li in ctx.line_items}
    assert list(items) == ["2080505", "2081001", "2101101"]
    assert items["2080505"].name == "机关事业单位基本养老保险缴费支出"
    assert items["2080505"].total is None  # a missing cell is None, not 0
    assert items["2081001"].name == "儿童福利" and items["2081001"].project == Decimal("100")
    assert items["2081001"].basic is None
    assert items["2101101"].total == Decimal("23.45") and items["2101101"].project is None
    assert [f.rule for f in ctx.findings] == ["malformed_amount"]
    assert ctx.findings[0].provenance.line == 13
    assert ctx.totals["basic_expenditure"].amount == Decimal("23.45")
    assert ctx.totals["project_expenditure"].amount == Decimal("100")
    assert [(u.code, u.name) for u in ctx.units] == [("501001", "某某市民政局本级")]


SPLIT_CODE_COLUMNS = [
    "支出总表（表3）",
    "金额单位：万元",
    "功能科目编码\t\t\t科目名称\t总计\t基本支出\t项目支出",
    "类\t款\t项",
    "合计\t\t\t\t10.00\t4.00\t6.00",
    "201\t\t\t一般公共服务支出\t10.00\t4.00\t6.00",
    "\t20103\t\t政府办公厅（室）及相关机构事务\t10.00\t4.00\t6.00",
    "\t\t2010301\t行政运行\t4.00\t4.00",
]


def test_codes_split_into_class_item_columns_and_short_rows():
    ctx = parse(SPLIT_CODE_COLUMNS)
    got = [(li.code, li.name, li.total, li.basic, li.project) for li in ctx.line_items]
    assert got == [
        ("201", "一般公共服务支出", Decimal("10.00"), Decimal("4.00"), Decimal("6.00")),
        ("20103", "政府办公厅（室）及相关机构事务", Decimal("10.00"), Decimal("4.00"), Decimal("6.00")),
        ("2010301", "行政运行", Decimal("4.00"), Decimal("4.00"), None),
    ]
    assert ctx.units == [] and ctx.findings == []


def test_columns_are_found_by_header_not_position():
    """Project before basic, an extra leading column: amounts still land in the right fields."""
    ctx = parse([
        "部门支出总表",
        "序号\t科目编码\t科目名称\t项目支出\t基本支出\t合计",
        "1\t2101501\t行政运行\t1.00\t2.00\t3.00",
    ])
    [li] = ctx.line_items
    assert (li.code, li.total, li.basic, li.project) == ("2101501", Decimal("3.00"), Decimal("2.00"), Decimal("1.00"))


def test_unit_table_gives_units_and_no_lines():
    ctx = parse([
        "一般公共预算支出表(分单位)",
        "单位编码\t单位名称\t合计\t基本支出\t项目支出",
        "合计\t\t30.00\t10.00\t20.00",
        "303\t某区医疗保障局\t30.00\t10.00\t20.00",
        "303001\t某区医疗保障局本级\t10.00\t5.00\t5.00",
        "303002\t某区医疗保障服务\t20.00\t5.00\t15.00",
        "\t中心",
    ])
    assert ctx.line_items == []
    assert [(u.code, u.name) for u in ctx.units] == [("303001", "某区医疗保障局本级"), ("303002", "某区医疗保障服务中心")]


def test_economic_table_derives_personnel_and_public_from_classes():
    ctx = parse([
        "一般公共预算基本支出表（经济分类款级）",
        "单位：元",
        "经济科目\t科目名称\t总计",
        "\t合计\t30000",
        "301\t工资福利支出\t10000",
        "30101\t基本工资\t10000",
        "302\t商品和服务支出\t15000",
        "303\t对个人和家庭的补助\t5000",
        "30302\t退休费\t",
    ])
    assert [li.code for li in ctx.line_items] == ["301", "30101", "302", "303", "30302"]
    assert ctx.line_items[-1].total is None
    assert ctx.totals["personnel_expenditure"].amount == Decimal("1.5")
    assert ctx.totals["public_expenditure"].amount == Decimal("1.5")


def test_final_account_table_with_project_header_and_column_numbers():
    ctx = parse([
        "支出决算表",
        "公开04表\t\t\t\t单位：万元",
        "项目\t\t\t\t本年支出合计\t基本支出\t项目支出",
        "功能分类科目编码\t\t\t科目名称\t\t\t",
        "类\t款\t项\t\t\t\t",
        "栏次\t\t\t\t1\t2\t3",
        "合计\t\t\t\t9.00\t4.00\t5.00",
        "208\t\t\t社会保障和就业支出\t9.00\t4.00\t5.00",
    ])
    [li] = ctx.line_items
    assert (li.code, li.name, li.total, li.basic, li.project) == (
        "208", "社会保障和就业支出", Decimal("9.00"), Decimal("4.00"), Decimal("5.00"))
    assert ctx.totals["project_expenditure"].amount == Decimal("5.00")
    assert ctx.findings == []


# --- other layouts: side-by-side lists, 政府性基金 tables, labelled column-number rows ------------------

SIDE_BY_SIDE = [
    "一般公共预算财政拨款基本支出决算表",
    "编制单位：某局\t\t\t\t\t金额单位：万元",
    "人员经费\t\t\t公用经费\t\t",
    "科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数",
    "301\t工资福利支出\t10.00\t302\t商品和服务支出\t6.00",
    "30101\t基本工资\t10.00\t30201\t办公费\t4.00",
    "303\t对个人和家庭的补助\t2.00\t30299\t其他商品和服务支出\t2.00",
    "\t\t\t310\t资本性支出\t1.00",
    "人员经费合计\t\t12.00\t公用经费合计\t\t7.00",
]


def test_side_by_side_personnel_and_public_lists():
    ctx = parse(SIDE_BY_SIDE)
    got = sorted((li.code, li.name, li.total) for li in ctx.line_items)
    assert got == [("301", "工资福利支出", Decimal("10.00")), ("30101", "基本工资", Decimal("10.00")),
                   ("302", "商品和服务支出", Decimal("6.00")), ("30201", "办公费", Decimal("4.00")),
                   ("30299", "其他商品和服务支出", Decimal("2.00")), ("303", "对个人和家庭的补助", Decimal("2.00")),
                   ("310", "资本性支出", Decimal("1.00"))]
    assert all(li.provenance.line for li in ctx.line_items)
    assert ctx.totals["personnel_expenditure"].amount == Decimal("12.00")
    assert ctx.totals["public_expenditure"].amount == Decimal("7.00")
    assert ctx.findings == []  # the 人员经费合计 rows are totals, not rows without a code


def test_class_item_columns_are_one_list_not_side_by_side():
    """类 | 款 | 项 | 名称 has three code columns but one list."""
    ctx = parse(SPLIT_CODE_COLUMNS)
    assert len(ctx.line_items) == 3


GOV_FUND = [
    "政府性基金预算财政拨款收入支出决算表",
    "单位：万元",
    "项目\t\t年初结转和结余\t本年收入\t本年支出\t\t\t年末结转和结余",
    "科目编码\t科目名称\t\t\t小计\t基本支出\t项目支出\t",
    "合计\t\t\t180.00\t180.00\t\t180.00\t",
    "229\t其他支出\t\t180.00\t180.00\t\t180.00\t",
    "2296002\t用于社会福利的彩票公益金支出\t\t180.00\t180.00\t\t180.00\t",
]


def test_gov_fund_table_gives_functional_lines_from_the_spending_group():
    ctx = parse(GOV_FUND)
    got = [(li.role, li.code, li.total, li.basic, li.project) for li in ctx.line_items]
    assert got == [("gov_fund", "229", Decimal("180.00"), None, Decimal("180.00")),
                   ("gov_fund", "2296002", Decimal("180.00"), None, Decimal("180.00"))]
    assert "basic_expenditure" not in ctx.totals and ctx.findings == []


@pytest.mark.parametrize("note", [
    ["本部门2025年无政府性基金预算支出，本表为空表。\t\t\t\t"],
    ["本部门无政府性基金预算支出。"],
    ["合计\t\t\t\t"],
])
def test_empty_gov_fund_table_gives_nothing(note):
    ctx = parse(["政府性基金预算支出表", "单位：万元", "科目编码\t科目名称\t合计\t基本支出\t项目支出", *note])
    assert ctx.line_items == [] and ctx.units == [] and ctx.findings == []


def test_code_level_labels_beside_column_numbers_are_header():
    ctx = parse([
        "支出决算表",
        "项目\t\t本年支出合计\t基本支出\t项目支出",
        "功能分类科目编码\t科目名称\t\t\t",
        "类 款 项\t栏次\t1\t2\t3",
        "合计\t合计\t9.00\t4.00\t5.00",
        "208\t社会保障和就业支出\t9.00\t4.00\t5.00",
    ])
    assert [(li.code, li.total) for li in ctx.line_items] == [("208", Decimal("9.00"))]
    assert ctx.totals["basic_expenditure"].amount == Decimal("4.00") and ctx.findings == []


# --- column roles by meaning ---------------------------------------------------------

from ingest.tables.grid import header_paths  # noqa: E402
from ingest.vocabulary.column_roles import (  # noqa: E402
    BASIC, BUSINESS_INCOME, CODE, GENERAL_PUBLIC, NAME, PROJECT, SPECIAL_ACCOUNT, TOTAL, column, columns, roles_of,
)


@pytest.mark.parametrize("header, code, name, total", [
    # 湖北 (split 类/款/项 codes), 上海 (one 编码 column), 北京 (科目代码), 广东 (功能分类科目 with full-width text)
    ([["科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"], ["类", "款", "项", "", "", "", ""]],
     [0, 1, 2], 3, 4),
    ([["功能分类科目编码", "功能分类科目名称", "本年支出合计", "基本支出", "项目支出"]], [0], 1, 2),
    ([["科目代码", "科目名称", "总计", "基本支出", "项目支出"]], [0], 1, 2),
    ([["支出功能分类科目", "", "本年支出", "", ""], ["编码", "名称", "小计", "基本支出", "项目支出"]], [0], 1, 2),
])
def test_columns_are_found_by_the_role_their_header_says(header, code, name, total):
    paths = header_paths(header, len(header[0]))
    assert columns(paths, CODE) == code and column(paths, NAME) == name
    assert column(paths, TOTAL, start=name + 1) == total or "spending" in roles_of(paths[total])
    assert column(paths, BASIC) == total + 1 and column(paths, PROJECT) == total + 2


def test_income_source_columns_are_named_by_their_roles():
    paths = header_paths([["合计", "一般公共预算拨款收入", "纳入财政专户管理的资金", "事业收入", "事业单位经营收入"]], 5)
    assert column(paths, GENERAL_PUBLIC) == 1 and column(paths, SPECIAL_ACCOUNT) == 2
    assert columns(paths, BUSINESS_INCOME) == [3]  # 事业单位经营收入 is not 事业收入
    assert roles_of(paths[4]) == ["operating_income"]


@pytest.mark.parametrize("label, role", [
    ("上级单位补助收入", "superior_subsidy"),  # not a budget-unit column for its 单位
    ("下级单位上缴收入", "affiliated_remittance"),
    ("变动后预算数", "full_year_budget"),  # a figure, not a comparison for its 变动
])
def test_income_and_figure_wordings_beat_the_words_inside_them(label, role):
    assert role in roles_of((label,))
    assert not {"unit_code", "change"} & set(roles_of((label,)))


def test_a_covering_line_is_not_a_comparison_column():
    """用事业基金弥补收支差额 adds to the year's income: its 差额 does not make it a 增减 column."""
    assert "change" not in roles_of(("用事业基金弥补收支差额",))
    assert "change" in roles_of(("增减额",)) and "change" in roles_of(("比上年增减（%）",))


def test_basic_and_project_columns_printed_as_funds():
    """江西 / 湖南 templates print 基本经费 / 项目经费 for 基本支出 / 项目支出."""
    ctx = parse([
        "表五　一般公共预算支出表",
        "单位：万元",
        "科目编码\t科目名称\t合计\t基本经费\t项目经费",
        "合计\t\t30.00\t10.00\t20.00",
        "2130153\t农田建设\t30.00\t10.00\t20.00",
    ])
    [li] = ctx.line_items
    assert (li.code, li.total, li.basic, li.project) == ("2130153", Decimal("30.00"), Decimal("10.00"),
                                                         Decimal("20.00"))
    assert roles_of(("基本经费",)) == ["basic"] and roles_of(("项目经费",)) == ["project"]


def test_code_and_name_in_one_cell_under_a_subject_header():
    """``功能分类科目`` heads one column printing ``208 社会保障和就业支出``; 基本支出 comes before 合计."""
    ctx = parse([
        "部门支出总表",
        "单位：万元",
        "功能分类科目\t基本支出\t项目经费\t本年支出合计\t上缴上级支出",
        "208 社会保障和就业支出\t78.20\t\t78.20\t",
        "20805 行政事业单位养老支出\t78.20\t\t78.20\t",
        "210 卫生健康支出\t\t10.00\t10.00\t",
    ])
    got = [(li.code, li.name, li.total, li.basic, li.project) for li in ctx.line_items]
    assert got == [("208", "社会保障和就业支出", Decimal("78.20"), Decimal("78.20"), None),
                   ("20805", "行政事业单位养老支出", Decimal("78.20"), Decimal("78.20"), None),
                   ("210", "卫生健康支出", Decimal("10.00"), None, Decimal("10.00"))]
    assert ctx.findings == []


def test_basic_is_personnel_plus_public_where_no_basic_column_is_printed():
    ctx = parse([
        "部门支出总表",
        "单位：万元",
        "科目编码\t科目名称\t本年支出\t人员经费\t公用经费\t项目支出",
        "合计\t\t100.00\t50.00\t10.00\t40.00",
        "2080201\t行政运行\t60.00\t50.00\t10.00\t",
        "2080208\t基层政权建设和社区治理\t40.00\t\t\t40.00",
    ])
    got = [(li.code, li.total, li.basic, li.project) for li in ctx.line_items]
    assert got == [("2080201", Decimal("60.00"), Decimal("60.00"), None),
                   ("2080208", Decimal("40.00"), None, Decimal("40.00"))]
    assert ctx.totals["basic_expenditure"].amount == Decimal("60.00")
    assert ctx.totals["project_expenditure"].amount == Decimal("40.00")


def test_total_column_under_a_figure_group_label():
    """``2026年预算数`` over ``基本支出 | 项目支出 | 合计``: the 合计 is found by its label, not by position."""
    ctx = parse([
        "表三　部门支出总表",
        "单位：万元",
        "项目\t\t2026年预算数\t\t",
        "科目编码\t科目名称\t基本支出\t项目支出\t合计",
        "合计\t\t504.26\t333.89\t838.15",
        "208\t社会保障和就业支出\t322.07\t333.89\t655.96",
    ])
    [li] = ctx.line_items
    assert (li.total, li.basic, li.project) == (Decimal("655.96"), Decimal("322.07"), Decimal("333.89"))
    assert roles_of(("2026年预算数", "合计")) == ["total", "planned"]
    assert "total" not in roles_of(("基本支出", "小计"))


def test_total_named_after_its_spending_group_under_a_three_row_header():
    """``本年支出`` over ``基本经费 | 项目经费 | 本年支出合计 | 上缴上级支出``, each label wrapped over two rows:
    the group's own total is the column that repeats its name with 合计, not the first column under it."""
    ctx = parse([
        "表三　部门支出决算表",
        "单位：元",
        "项目\t\t本年支出\t\t\t",
        "功能科\t功能分类\t基本\t项目\t本年支\t上缴上",
        "目编码\t科目名称\t经费\t经费\t出合计\t级支出",
        "合计\t36,363,328.60\t48,504,745.29\t84,868,073.89\t",
        "208\t社会保障和就业支出\t21,831,807.12\t48,504,745.29\t70,336,552.41\t",
        "210\t卫生健康支出\t14,531,521.48\t\t14,531,521.48\t",
    ])
    got = [(li.code, li.total, li.basic, li.project) for li in ctx.line_items]
    assert got == [("208", Decimal("7033.655241"), Decimal("2183.180712"), Decimal("4850.474529")),
                   ("210", Decimal("1453.152148"), Decimal("1453.152148"), None)]
    assert ctx.totals["basic_expenditure"].amount == Decimal("3636.332860")
    assert ctx.totals["project_expenditure"].amount == Decimal("4850.474529")

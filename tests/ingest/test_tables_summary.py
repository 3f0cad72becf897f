"""Summary totals, the 三公 table and the procurement tables, against gold and hand-written tables."""

import re
from decimal import Decimal

import pytest
from helpers import FIXTURE_STEMS, SEEDS, gold
from table_helpers import parse_lines, seed_ctx

MY_ROLES = ("summary", "fiscal_summary", "income", "expenditure", "gpb_expenditure", "basic_economic",
            "three_public", "procurement", "purchased_service")
GOLD_KEYS = ["income_total", "expenditure_total", "fiscal_appropriation_total", "carryover_from_last_year",
             "three_public_total", "basic_expenditure", "project_expenditure"]


@pytest.fixture(scope="module", params=SEEDS + FIXTURE_STEMS)
def seed(request):
    return seed_ctx(request.param, MY_ROLES), gold(request.param)


def parse(texts):
    """This module's parsers over raw export lines (tabs between cells)."""
    return parse_lines(texts, MY_ROLES)


@pytest.mark.parametrize("key", GOLD_KEYS)
def test_scored_totals_match_gold(seed, key):
    ctx, gold = seed
    want = gold["totals"][key]
    assert ctx.totals[key].amount == (None if want is None else Decimal(str(want)))
    assert ctx.totals[key].provenance.doc_id == gold["source"][:-4]


def test_procurement_totals_match_gold_where_tables_exist(seed):
    ctx, gold = seed
    for key, kind in (("government_procurement_total", "procurement"),
                      ("government_purchase_services_total", "purchased_service")):
        if any(b.role == kind for b in ctx.blocks):
            assert ctx.totals[key].amount == Decimal(str(gold["totals"][key]))
        else:
            assert key not in ctx.totals  # 001 states these only in the narrative


def test_no_warnings_on_the_seeds(seed):
    """No warnings, except one repair for each damaged code cell the gold lists (``[code]`` inconsistencies)."""
    ctx, gold = seed
    damaged = " ".join(i for i in gold.get("inconsistencies", []) if i.startswith("[code]"))
    repairs = [f for f in ctx.findings if f.rule == "reconcile.code_repaired"]
    assert all(re.search(r"读作 (\d+)", f.message)[1] in damaged for f in repairs)
    assert [f for f in ctx.findings if f not in repairs] == []


def test_procurement_rows_of_000():
    ctx = seed_ctx("000_dc10eef729309141", MY_ROLES)
    rows = [(p.table, p.unit, p.project_name, p.item, p.amount, p.quantity) for p in ctx.procurement]
    assert len(rows) == 10
    assert rows[2] == ("procurement", "武汉市东西湖区医疗保障局本级", "医保核查中心工作经费", "其他服务",
                       Decimal("125.00"), "1")
    assert rows[7] == ("purchased_service", "武汉市东西湖区医疗保障局本级", "医保核查中心工作经费", "第三方服务及其他",
                       Decimal("125.00"), None)
    assert sum(p.amount for p in ctx.procurement if p.table == "procurement") == Decimal("309.00")
    assert [m.source for m in ctx.mentions] == ["procurement"] * 10
    assert all(m.project.amount is None and m.project.provenance.line for m in ctx.mentions)
    assert "在职人员公用" in {m.project.name for m in ctx.mentions}


def test_three_public_lines(seed):
    ctx, _ = seed
    items = {t.item: t.amount for t in ctx.three_public}
    assert any("公务接待" in k for k in items)
    assert sum(1 for t in ctx.three_public if "因公出国" in t.item) == 1


# --- hand-written tables ----------------------------------------------------------

FINAL_ACCOUNT_SUMMARY = [
    "收入支出决算总表",
    "单位：元",
    "收入\t\t\t支出\t\t",
    "项目\t行次\t金额\t项目\t行次\t金额",
    "一、一般公共预算财政拨款收入\t1\t1,000,000.00\t一、一般公共服务支出\t32\t1,200,000.00",
    "本年收入合计\t6\t1,000,000.00\t本年支出合计\t58\t1,200,000.00",
    "年初结转和结余\t7\t200,000.00\t年末结转和结余\t59\t",
    "总计\t8\t1,200,000.00\t总计\t60\t1,200,000.00",
]


def test_final_account_summary_with_line_numbers_and_yuan():
    ctx = parse(FINAL_ACCOUNT_SUMMARY)
    assert ctx.totals["income_total"].amount == Decimal("120")
    assert ctx.totals["expenditure_total"].amount == Decimal("120")
    assert ctx.totals["carryover_from_last_year"].amount == Decimal("20")
    assert ctx.totals["income_total"].provenance.line == 8


def test_blank_carryover_is_none_and_missing_total_warns():
    ctx = parse([
        "部门收支总表",
        "收 入\t\t支 出\t",
        "项 目\t预算数\t项目\t预算数",
        "一、财政拨款收入\t5.00\t一、基本支出\t5.00",
        "八、上年结转\t\t结转下年\t",
        "收入总计\t5.00\t\t",
    ])
    assert ctx.totals["income_total"].amount == Decimal("5.00")
    assert ctx.totals["carryover_from_last_year"].amount is None
    assert "expenditure_total" not in ctx.totals
    assert [f.rule for f in ctx.findings] == ["total_missing"]


def test_income_table_units_with_wrapped_names():
    ctx = parse([
        "部门收入总表",
        "单位 编码\t单位名称\t总计\t上年结转",
        "**\t**\t1\t2",
        "\t合计\t10.00\t",
        "26\t武汉市某 区某局\t10.00\t",
        "26001\t武汉市某 区某局本级\t6.00\t",
        "26002\t武汉市某区某某\t4.00\t",
        "\t服务中心\t\t",
    ])
    assert [(u.code, u.name) for u in ctx.units] == [("26001", "武汉市某区某局本级"), ("26002", "武汉市某区某某服务中心")]


def test_three_public_vertical_without_spending_is_zero():
    ctx = parse([
        "一般公共预算“三公”经费支出表",
        "项目\t上年预算数\t本年预算数",
        "合计\t3.00\t",
        "1. 因公出国（境）费用\t\t",
        "2. 公务接待费\t3.00\t",
    ])
    assert ctx.totals["three_public_total"].amount == Decimal(0)
    assert [t.item for t in ctx.three_public] == ["合计", "因公出国（境）费用", "公务接待费"]


def test_three_public_horizontal_final_account_prefers_actual_row():
    ctx = parse([
        "“三公”经费支出决算表",
        "单位：元",
        "项目\t“三公”经费合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费",
        "\t\t\t小计\t公务用车购置费\t公务用车运行费\t",
        "预算数\t30000\t0\t20000\t0\t20000\t10000",
        "决算数\t25000\t0\t18000\t0\t18000\t7000",
    ])
    assert ctx.totals["three_public_total"].amount == Decimal("2.5")
    items = [(t.item, t.amount) for t in ctx.three_public]
    assert ("公务用车购置及运行费", Decimal("1.8")) in items and ("公务接待费", Decimal("0.7")) in items


def test_procurement_wrapped_project_and_item_code_column():
    ctx = parse([
        "政府购买服务支出表",
        "单位编码\t单位名称\t项目名称\t购买服务内容编码\t购买服务内容\t金额",
        "\t合计\t\t\t\t12.50",
        "101\t某局\t\t\t\t12.50",
        "101001\t某局本级\t信息系统运\tC0101\t运维服务\t12.50",
        "\t\t维经费\t\t\t",
    ])
    [row] = ctx.procurement
    assert (row.project_name, row.item, row.amount, row.unit) == ("信息系统运维经费", "运维服务", Decimal("12.50"), "某局本级")
    assert ctx.totals["government_purchase_services_total"].amount == Decimal("12.50")
    assert [m.project.name for m in ctx.mentions] == ["信息系统运维经费"]


def test_three_public_picks_the_current_year_column():
    ctx = parse([
        "“三公”经费支出预算表",
        "项目\t2022年预算数\t2023年预算数",
        "合计\t3.00\t2.00",
    ])
    assert ctx.totals["three_public_total"].amount == Decimal("2.00")


# --- other layouts: 预算数/决算数 column groups, year columns, contents entries, 中小企业 columns --------

THREE_PUBLIC_GROUPS = [
    "“三公”经费支出决算表",
    "编制单位：某区某局\t\t\t\t\t\t\t单位：万元",
    "预算数\t\t\t决算数\t\t",
    "合计\t因公出国（境）费\t公务接待费\t合计\t因公出国（境）费\t公务接待费",
    "1\t2\t3\t4\t5\t6",
    "9.00\t0.00\t9.00\t7.06\t0.00\t7.06",
]


@pytest.mark.parametrize("title,want", [("某区某局2024年度部门决算", "7.06"), ("某区某局2024年部门预算", "9.00")])
def test_three_public_column_groups_follow_the_document_phase(title, want):
    ctx = parse([title, *THREE_PUBLIC_GROUPS])
    assert ctx.totals["three_public_total"].amount == Decimal(want)
    assert [t.item for t in ctx.three_public] == ["合计", "因公出国（境）费", "公务接待费"]
    assert ctx.findings == []


def test_three_public_takes_the_document_years_column_not_the_change():
    table = [
        "一般公共预算“三公”经费支出表",
        "编报单位：某区某局\t\t\t单位：万元",
        "项目\t2025年预算数\t2024年预算数\t增减额",
        "合计\t4.00\t4.50\t-0.50",
        "1.因公出国（境）费\t0.00\t0.00\t0.00",
        "2.公务接待费\t4.00\t4.50\t-0.50",
    ]
    ctx = parse(["某区某局2025年部门预算", *table])
    assert ctx.totals["three_public_total"].amount == Decimal("4.00")
    assert ctx.totals["three_public_total"].provenance.line == 5
    # a budget document shows last year's 决算数 beside this year's 预算数: the 预算数 is reported
    ctx = parse(["某区某局2025年部门预算", "“三公”经费支出表", "项目\t2024年决算数\t2025年预算数",
                       "合计\t3.10\t4.00"])
    assert ctx.totals["three_public_total"].amount == Decimal("4.00")


def test_contents_entry_titles_are_not_empty_tables():
    """A 目录 listing '表九 三公经费支出表' must not be read as an empty 三公 table (total 0)."""
    ctx = parse([
        "某区某局2025年部门预算",
        "目录",
        "\u3000表一\u3000部门收支总表",
        "\u3000表九\u3000一般公共预算“三公”经费支出表",
        "第一部分 概况",
        "表九\u3000一般公共预算“三公”经费支出表",
        "项目\t2025年预算数",
        "合计\t4.00",
    ])
    assert ctx.totals["three_public_total"].amount == Decimal("4.00")
    assert [b.role for b in ctx.blocks].count("three_public") == 1
    assert ctx.findings == []


def test_procurement_total_is_not_the_sme_share():
    table = [
        "政府采购情况表",
        "单位：元",
        "项目\t授予中小企业合同金额\t\t政府采购支出总额\t",
        "\t合计\t服务\t合计\t服务",
        "合计\t2,986,000.00\t763,000.00\t3,264,800.00\t1,041,800.00",
        "某局本级\t2,986,000.00\t763,000.00\t3,264,800.00\t1,041,800.00",
    ]
    ctx = parse(table)
    assert ctx.totals["government_procurement_total"].amount == Decimal("326.48")
    assert ctx.procurement == [] and ctx.findings == []  # the unit's aggregate row is no detail row


THREE_PUBLIC_WITH_CAR_PARTS = [
    "一般公共预算“三公”经费支出表",
    "\t\t\t单位：万元",
    "项目\t2024年预算\t2023年预算\t增减",
    "“三公”经费合计\t3.60\t3.80\t-0.20",
    "因公出国（境）费\t0.00\t0.00\t0.00",
    "公务用车购置及运行维护费\t2.40\t2.50\t-0.10",
    "其中：公务用车购置费\t0.00\t0.00\t0.00",
    "公务用车运行维护费\t2.40\t2.50\t-0.10",
    "公务接待费\t1.20\t1.30\t-0.10",
]


def test_three_public_total_row_named_for_the_three_and_car_parts_without_qizhong():
    ctx = parse(["某区某局2024年部门预算", *THREE_PUBLIC_WITH_CAR_PARTS])
    total = ctx.totals["three_public_total"]
    assert total.amount == Decimal("3.60") and total.provenance.line == 5
    # without its 合计 row the total is the sum of the three items, the car's parts not counted twice
    ctx = parse(["某区某局2024年部门预算", *THREE_PUBLIC_WITH_CAR_PARTS[:4], *THREE_PUBLIC_WITH_CAR_PARTS[5:]])
    assert ctx.totals["three_public_total"].amount == Decimal("3.60")

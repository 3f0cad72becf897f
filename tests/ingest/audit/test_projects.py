"""Project-level audit rules (ingest/audit/projects.py) on the seeds' known inconsistencies and on variants of
their text that sit on either side of each tolerance."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from helpers import SEEDS, document_path, extracted

from ingest.audit.projects import calc_checks, equations
from ingest.pipeline import extract
from ingest.records import Activity, Check, Extraction, Finding, Project
from ingest.rules import check_message as message  # how the graph renders a check (left, right, table …)

D = Decimal


@cache
def seed(stem: str) -> Extraction:
    return extracted(document_path(stem))


def failed(ex: Extraction, rule: str) -> list[Check]:
    return [c for c in ex.checks if c.rule == rule and not c.passed]


def found(ex: Extraction, rule: str) -> list[Finding]:
    return [f for f in ex.findings if f.rule == rule]


def variant(tmp_path: Path, stem: str, line_no: int, text: str) -> Extraction:
    """The seed with its line ``line_no`` (1-based) printed as ``text``."""
    lines = document_path(stem).read_text(encoding="utf-8").split("\n")
    lines[line_no - 1] = text
    path = tmp_path / f"{stem}.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return extract(path)


def place(check_side) -> tuple[str | None, int | None]:
    return check_side.provenance.table, check_side.provenance.line


# --- gold 000: 医保核查中心工作经费 80 vs 130 vs 125 vs 75 -------------------------------------------


def test_gold_000_checking_centre_table_130_vs_form_80():
    ex = seed(SEEDS[0])
    [c] = [c for c in failed(ex, "projects.form_budget") if dict(c.params)["project"] == "医保核查中心工作经费"]
    assert (c.left.amount, c.right.amount) == (D("130.00"), D("80"))
    assert place(c.left) == ("2023 年项目支出预算表", 517) and c.right.provenance.line == 718  # 项目当年预算 80万元


def test_gold_000_checking_centre_funding_130_vs_form_80():
    ex = seed(SEEDS[0])
    [c] = [c for c in failed(ex, "projects.funding_sum") if dict(c.params)["project"] == "医保核查中心工作经费"]
    assert (c.left.amount, c.right.amount) == (D("130"), D("80"))
    assert [t.provenance.line for t in c.left.terms] == [722] and c.right.provenance.line == 718


def test_gold_000_checking_centre_form_procurement_75_vs_procurement_table_125():
    ex = seed(SEEDS[0])
    [c] = [c for c in failed(ex, "projects.procurement_tables") if dict(c.params)["project"] == "医保核查中心工作经费"]
    assert (c.left.amount, c.right.amount) == (D("75"), D("125.00"))
    assert c.left.provenance.line == 736 and place(c.right) == ("2023 年政府采购预算表", 537)


def test_gold_000_checking_centre_activities_80_agree_with_the_form():
    ex = seed(SEEDS[0])
    [c] = [c for c in ex.checks if c.rule == "projects.activity_sum" and dict(c.params)["project"] == "医保核查中心工作经费"]
    assert c.passed and c.left.amount == D("80") == c.right.amount  # 75 + 2 + 3 = 项目当年预算 80


# --- gold 000: 医保服务中心工作经费 项目采购 vs activities ------------------------------------------------


def test_gold_000_service_centre_printing_procured_15_exceeds_activity_10():
    ex = seed(SEEDS[0])
    [c] = failed(ex, "projects.procurement_activity")
    assert dict(c.params)["project"] == "医保服务中心工作经费" and dict(c.params)["item"] == "印刷"
    assert (c.left.amount, c.right.amount) == (D("15"), D("10"))
    assert (c.left.provenance.line, c.right.provenance.line) == (1025, 1018)


# --- gold 000: duplicate codes, short codes ---------------------------------------------------------------


def test_gold_000_duplicate_project_codes():
    ex = seed(SEEDS[0])
    got = {f.values for f in found(ex, "projects.duplicate_code")}
    assert got == {("42011222026T000000106", "医保服务中心工作经费", "医保业务科工作经费"),
                   ("4201122026T000000107", "购买服务人员经费", "党员活动经费")}
    assert {f.provenance.line for f in found(ex, "projects.duplicate_code")} == {932, 824}  # the second form's 项目编码


def test_gold_000_codes_one_character_short():
    ex = seed(SEEDS[0])
    got = {f.values[0]: f for f in found(ex, "projects.code_length")}
    assert set(got) == {"4201122206T000000101", "4201122026T000000107"}
    assert dict(got["4201122206T000000101"].params)["usual"] == "21" and got["4201122206T000000101"].provenance.line == 772


# --- gold 001 ---------------------------------------------------------------------------------------------


def test_gold_001_project_names_differ_between_table_11_and_forms():
    ex = seed(SEEDS[1])
    got = {f.values: f.provenance.line for f in found(ex, "projects.name_differs")}
    assert got == {("保民生-医疗救助经费(医后救助)", "保基本民生-医疗救助经费（医后救助）"): 891,
                   ("保民生-医疗救助经费(医中救助)", "保基本民生-医疗救助经费（医中救助）"): 955}


def test_gold_001_table_14_2_annual_goal_4_duplicates_goal_5():
    ex = seed(SEEDS[1])
    [f] = found(ex, "projects.goal_indicators_duplicated")
    params = dict(f.params)
    assert params["goal"].startswith("年度目标4") and params["other"].startswith("年度目标5")
    assert {"覆盖全区定点医疗机构", "覆盖全区定点零售药店", "监管资金拨付及时率", "加强安保协议管理确保基金安全",
            "举报投诉处置满意度"} <= set(f.values)
    assert "表 14-2" in f.provenance.table and f.provenance.line == 521


def test_gold_001_form_15_14_retail_pharmacies_quantity_vs_quality():
    ex = seed(SEEDS[1])
    [f] = found(ex, "projects.indicator_category")
    assert f.values == ("覆盖全区定点零售药店", "数量指标", "质量指标")
    assert "表 15-14" in f.provenance.table and f.provenance.line == 1341


def test_gold_001_form_15_9_rent_equation_needs_twelve_months():
    ex = seed(SEEDS[1])
    [c] = failed(ex, "projects.calc_equation")
    assert (c.left.amount, c.right.amount) == (D("6.33"), D("75.92")) and c.right.unit == "万元"
    assert c.left.provenance.line == 1035 and "12" in dict(c.params)["hint"]


def test_gold_001_narrative_324_09_is_found_once_by_the_narrative_family():
    """Gold 001: the narrative's 购买医保经办服务经费 324.09 (line 1376) vs 表11's 324.08 (line 292) is the narrative
    family's (tests/ingest/audit/test_audit_narrative.py); the project rules do not compare it a second time."""
    ex = seed(SEEDS[1])
    assert not failed(ex, "projects.amount_restated")
    [c] = [c for c in failed(ex, "narrative.line_vs_table") if c.left.amount == D("324.09")]
    assert c.left.provenance.line == 1376 and c.right.provenance.line == 292


def test_equations_that_hold_raise_nothing():
    for stem in SEEDS:
        assert [c.left.amount for c in seed(stem).checks if c.rule == "projects.calc_equation" and c.passed]
    assert not failed(seed(SEEDS[0]), "projects.calc_equation")  # 25人*200元=5000元 …


def test_a_coarser_category_name_is_not_another_category():
    # 000 医疗保障业务经费: 服务对象满意度指标 (long-term) / 满意度指标 (annual) for 服务对象满意度指标
    assert all(f.values[0] != "服务对象满意度指标" for f in found(seed(SEEDS[0]), "projects.indicator_category"))


def test_the_merger_no_longer_compares_amounts():
    assert not [f for stem in SEEDS for f in seed(stem).findings if f.rule == "projects.form_amount_mismatch"]


# --- tolerances, both sides ------------------------------------------------------------------------------


@pytest.mark.parametrize(("printed", "mismatch"), [("130", False), ("130.4", True), ("130.0", False),
                                                   ("130.04", True)])
def test_form_budget_tolerance_follows_the_printed_digits(tmp_path, printed, mismatch):
    # 项目当年预算 printed to the 万元 allows ±0.5 against the table's 130.00; to 0.1, ±0.05; to 0.01, nothing
    ex = variant(tmp_path, SEEDS[0], 718, f"项目总预算\t{printed}万元\t项目当年预算\t{printed}万元\t\t")
    got = [c for c in failed(ex, "projects.form_budget") if dict(c.params)["project"] == "医保核查中心工作经费"]
    assert bool(got) == mismatch


@pytest.mark.parametrize(("result", "holds"), [("75.92", True), ("75.93", True), ("75.94", False), ("75.90", False)])
def test_equation_tolerance_is_the_rounding_of_its_printed_fractions(result, holds):
    # 1040.2 × 60.82 × 12 = 759179.568 元 = 75.918 万元; 1040.2 and 60.82 may be off by half their last digit
    basis = f"租用办公用房面积1040.2平方米*单价60.82元/平方米*12月=年租金{result}万元"
    [eq] = equations(basis)
    assert eq.result == D(result) and eq.result_unit == "万元"
    [c] = list(calc_checks(Project(name="租金", activities=(Activity("租金", amount=D(result), basis=basis),))))
    assert c.passed == holds


def test_equation_with_the_result_first():
    [eq] = equations("74万元=2万元x37人")
    assert [n for n, _ in eq.factors] == [D(2), D(37)] and eq.result == D(74)


def test_gold_001_table_14_1_long_term_goal_3_six_staff_vs_form_15_6_one():
    ex = seed(SEEDS[1])
    [c] = failed(ex, "projects.indicator_value")
    assert (c.left.amount, c.left.unit, c.right.amount, c.right.unit) == (D(6), "人", D(1), "人")
    assert dict(c.params)["project"] == "购买会计服务经费" and dict(c.params)["goal"].startswith("长期目标3")
    assert (c.left.provenance.line, c.right.provenance.line) == (360, 868)


def test_coverage_in_percent_beside_a_count_is_not_compared():
    # 表14-2 年度目标4 覆盖全区定点医疗机构 100%, 表15-14 251家: other measures, no contradiction by arithmetic
    ex = seed(SEEDS[1])
    assert [dict(c.params)["indicator"] for c in failed(ex, "projects.indicator_value")] == ["聘用后勤服务人员数量"]


def test_fixture_101_one_project_under_another_name_on_its_form():
    ex = seed("101_qiaokou_edu_2025_budget")
    [f] = found(ex, "projects.name_differs")
    assert f.values == ("校园安全保障经费", "中小学校园安全防护项目") and f.provenance.line == 286


@pytest.mark.parametrize("stem", ["102_fancheng_health_2025_unit_budget", "103_luoyang_justice_2023_final",
                                  "104_nankang_agri_2026_budget"])
def test_a_name_with_a_qualifier_added_is_the_same_name(stem):
    # 法律援助案件补贴 / 法律援助案件补贴（市级）; 高标准农田建设项目 / …（区级配套）; 国家… / …资金
    assert not found(seed(stem), "projects.name_differs")


@pytest.mark.parametrize("stem", SEEDS)
def test_each_failed_check_renders_its_chinese_message_with_both_values(stem):
    checks = [c for c in seed(stem).checks if c.rule.startswith("projects.") and not c.passed]
    assert checks
    for c in checks:
        text = message(c)
        assert re.search(r"[\u4e00-\u9fff]", text) and f"{c.right.amount.normalize():f}".rstrip("0") in text, text


def test_gold_000_one_year_project_long_term_targets_differ_from_annual():
    ex = seed(SEEDS[0])
    got = {(dict(c.params)["project"], dict(c.params)["indicator"]): c for c in failed(ex, "projects.indicator_target")}
    assert set(got) == {("医保服务中心工作经费", "档案整理份数"), ("医保服务中心工作经费", "业务办理资料印制份数"),
                        ("购买服务人员经费", "工资发放人数")}
    files = got[("医保服务中心工作经费", "档案整理份数")]  # >21万份每年 vs 14000份左右
    assert (files.left.amount, files.right.amount, files.left.unit) == (D(210000), D(14000), "份")
    assert (files.left.provenance.line, files.right.provenance.line) == (1038, 1054)
    staff = got[("购买服务人员经费", "工资发放人数")]  # 23人每年 vs 22人 (the 测算 pays 22)
    assert (staff.left.amount, staff.right.amount, staff.left.unit) == (D(23), D(22), "人")
    assert (staff.left.provenance.line, staff.right.provenance.line) == (909, 919)
    assert "210000 份" in message(files)


@pytest.mark.parametrize(("long_term", "differs"), [("1.5万份每年", False), ("1.6万份每年", True)])
def test_an_approximate_target_allows_a_tenth(tmp_path, long_term, differs):
    # annual 14000份左右: ±1400 (10% of the larger, 15000 → 1500; 16000 → 1600 < 2000)
    ex = variant(tmp_path, SEEDS[0], 1038, f"\t产出指标\t数量指标\t档案整理份数\t{long_term}\t历史数据")
    got = [c for c in failed(ex, "projects.indicator_target") if dict(c.params)["indicator"] == "档案整理份数"]
    assert bool(got) == differs


@pytest.mark.parametrize("basis", ["900元*6人+500元*2人=6400元", "(900元+100元)*6人=6000元", "共计2人*100元=200元+300元",
                                   "物业费单价34元/平方米/月*办公用房面积1040.2平方米*12月"])
def test_a_sum_or_an_equation_without_its_result_is_not_read_as_a_product(basis):
    assert equations(basis) == []


def test_a_percentage_factor_is_a_hundredth():
    [c] = calc_checks(Project(name="x", activities=(Activity("x", basis="100万元*5%=5万元"),)))
    assert c.passed and c.left.amount == D(5)


def test_gold_001_form_15_8_activity_named_after_the_other_relief_project():
    # 表15-8 (医中救助, 1410): its activity is 医疗救助经费（医后救助）, 表15-7's project; its 测算 says 医中救助
    [f] = found(seed(SEEDS[1]), "projects.activity_of_other_project")
    assert f.values == ("医疗救助经费（医后救助）", "保民生-医疗救助经费(医后救助)")
    assert dict(f.params)["project"] == "保民生-医疗救助经费(医中救助)" and f.provenance.line == 978


def test_an_activity_named_like_its_own_project_or_with_a_short_word_is_not_another_projects():
    # 000: 医疗救助款 (its form's name), 印刷 / 日常运转 (short words), 第三方购买服务项目经费 (no project's name)
    assert not found(seed(SEEDS[0]), "projects.activity_of_other_project")


# --- the audit fixtures (tests/fixtures/audit): seeded items and the boundaries of their rules ---------------

AUDIT_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "audit"
BUDGET_FIXTURE = "caidian_data_2025_budget.seeded.txt"
FINAL_FIXTURE = "xinzhou_cdc_2024_unit_final.seeded.txt"


@cache
def audit_fixture(name: str) -> Extraction:
    return extracted(AUDIT_FIXTURES / name)


def fixture_variant(tmp_path: Path, name: str, changes: dict[int, str]) -> Extraction:
    """The audit fixture ``name`` with each line ``n`` (1-based) of ``changes`` printed as its text."""
    lines = (AUDIT_FIXTURES / name).read_text(encoding="utf-8").split("\n")
    for n, text in changes.items():
        lines[n - 1] = text
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return extract(path)


def copied_indicators(ex: Extraction) -> list[Finding]:
    return found(ex, "projects.indicator_of_other_project")


def test_seeded_a22_hotline_indicator_copied_into_the_data_platform_form():
    # 表 12-3 政务数据共享平台运维经费 prints 热线接通率 ≥95% (line 483), the indicator of 表 12-2's 12345 hotline
    [f] = copied_indicators(audit_fixture(BUDGET_FIXTURE))
    assert f.values == ("热线接通率", "≥95%", "12345政务服务便民热线运营经费") and f.provenance.line == 483
    assert dict(f.params)["project"] == "政务数据共享平台运维经费" and "表 12-3" in f.provenance.table
    assert "热线接通率" in f.message and "12345政务服务便民热线运营经费" in f.message


def test_an_indicator_in_words_of_its_own_project_is_not_copied(tmp_path):
    # the data platform's 主要内容 naming 热线 makes 热线接通率 its own: both forms may set it
    ex = fixture_variant(tmp_path, BUDGET_FIXTURE, {
        455: "项目主要内容\t对区政务数据共享交换平台开展日常运维、数据治理和安全测评，支撑各部门数据共享和热线工单流转。\t\t\t\t"})
    assert not copied_indicators(ex)


def test_an_indicator_on_three_projects_forms_is_generic(tmp_path):
    # 表 12-1 also setting 热线接通率 ≥95%: an indicator three projects set is one any project may
    ex = fixture_variant(tmp_path, BUDGET_FIXTURE, {390: "\t\t质量指标\t热线接通率\t≥95%\t计划数据"})
    assert not copied_indicators(ex)


def test_another_target_is_not_a_copied_row(tmp_path):
    ex = fixture_variant(tmp_path, BUDGET_FIXTURE, {483: "\t\t\t质量指标\t热线接通率\t≥90%\t计划数据"})
    assert not copied_indicators(ex)


def test_shared_indicators_of_sibling_projects_are_their_own():
    # 001: 医后/医中救助 share 医疗救助经费拨付及时率 100% …, the 后勤 forms 保障日常办公业务需求; 000: 服务对象满意度
    for stem in SEEDS:
        assert not copied_indicators(seed(stem))
    assert not copied_indicators(audit_fixture("caidian_data_2025_budget.txt"))


def procurement_over(ex: Extraction, project: str) -> list[Check]:
    return [c for c in failed(ex, "projects.procurement_exceeds") if dict(c.params)["project"] == project]


def test_seeded_a24_form_procurement_140_60_exceeds_the_project_95_60():
    [c] = procurement_over(audit_fixture(BUDGET_FIXTURE), "政务数据共享平台运维经费")
    assert (c.left.amount, c.right.amount) == (D("140.60"), D("95.60"))
    assert [t.provenance.line for t in c.left.terms] == [474, 475] and c.right.provenance.line == 456
    assert "140.60" in message(c) and "95.60" in message(c) and "表 12-3" in message(c)


@pytest.mark.parametrize(("printed", "exceeds"), [("27.01", False), ("27.02", True)])
def test_procurement_tolerance_is_half_a_cent_per_printed_figure(tmp_path, printed, exceeds):
    # 68.60 + x against 95.60: three figures to the cent, ±0.015
    ex = fixture_variant(tmp_path, BUDGET_FIXTURE, {475: f"网络安全等级保护测评服务\t\t1 次\t\t{printed}\t"})
    assert bool(procurement_over(ex, "政务数据共享平台运维经费")) == exceeds


def test_a_procurement_total_row_is_not_an_item(tmp_path):
    # 68.60 + a 合计 row of 68.60 is not 137.20 procured
    ex = fixture_variant(tmp_path, BUDGET_FIXTURE, {475: "合计\t\t\t\t68.60\t"})
    assert not procurement_over(ex, "政务数据共享平台运维经费")


def executed(ex: Extraction) -> list[Check]:
    return [c for c in ex.checks if c.rule == "projects.executed_vs_table"]


def test_seeded_b18_self_evaluation_65_20_vs_project_table_642000_yuan():
    [c] = [c for c in executed(audit_fixture(FINAL_FIXTURE)) if not c.passed]
    assert dict(c.params)["project"] == "免疫规划和预防接种服务经费"
    assert (c.left.amount, c.right.amount) == (D("65.20"), D("64.2"))
    assert (c.left.provenance.line, c.right.provenance.line) == (320, 287)
    assert c.tolerance == D("0.005")  # the form to the cent of 万元; the table to the cent of 元
    assert "65.20" in message(c) and "64.20" in message(c) and "项目支出决算表" in message(c)


@pytest.mark.parametrize(("yuan", "differs"), [("642,049.00", False), ("642,051.00", True)])
def test_executed_tolerance_converts_yuan_and_follows_the_printed_digits(tmp_path, yuan, differs):
    # the form's 64.20 万元 (its sources now 48.50 + 15.60 = 64.10, so the total is compared) against the table in 元
    ex = fixture_variant(tmp_path, FINAL_FIXTURE, {
        287: f"免疫规划和预防接种服务经费\t2100409\t520,000.00\t642,000.00\t{yuan}\t100.00%\t含上年结转",
        320: "\t年度资金总额\t52.00\t64.20\t64.20\t10\t100.00%\t10.00",
        321: "\t其中：当年财政拨款\t36.40\t48.60\t48.50\t—\t—\t—"})
    [c] = [c for c in executed(ex) if dict(c.params)["project"] == "免疫规划和预防接种服务经费"]
    assert c.passed != differs


def test_a_total_equal_to_its_sources_is_left_to_the_funding_sum():
    # clean: each 年度资金总额 is its sources' sum (and the table's): projects.funding_sum compares them
    assert not executed(audit_fixture("xinzhou_cdc_2024_unit_final.txt"))
    # seeded B17: 自评表（一） 116.50 = the table's 1,165,000.00 元 though its sources give 80.50 + 30.00
    [c] = [c for c in executed(audit_fixture(FINAL_FIXTURE)) if dict(c.params)["project"] == "重大传染病防控经费"]
    assert c.passed and c.left.amount == D("116.50") and c.left.provenance.line == 299


# --- gold 001: 表15-6 购买会计服务经费's 申请理由 is 后勤服务支出's --------------------------------------------------


def copied_texts(ex: Extraction) -> list[Finding]:
    return found(ex, "projects.text_of_other_project")


def test_gold_001_accounting_service_reason_copied_from_logistics():
    [f] = copied_texts(seed(SEEDS[1]))
    assert f.values == ("保障后勤服务等工作经费。", "后勤服务支出") and f.provenance.line == 838
    assert dict(f.params)["project"] == "购买会计服务经费" and dict(f.params)["words"] == "后勤服务"
    assert "申请理由" in f.message and "后勤服务支出" in f.message


def reason(text: str) -> str:
    return f"项目申请理由\t{text}\t\t\t\t"


def content(text: str) -> str:
    return f"项目主要内容\t{text}\t\t\t\t"


def seed_variant(tmp_path: Path, changes: dict[int, str]) -> Extraction:
    lines = document_path(SEEDS[1]).read_text(encoding="utf-8").split("\n")
    for n, text in changes.items():
        lines[n - 1] = text
    path = tmp_path / f"{SEEDS[1]}.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return extract(path)


@pytest.mark.parametrize(("text", "copied"), [("保障后勤服务等工作经费。", True), ("保障后勤服等工作经费。", False)])
def test_a_copied_text_names_four_characters_of_the_other_projects_name(tmp_path, text, copied):
    # 后勤服务 (4 of 后勤服务支出) names it; 后勤服 (3) does not
    ex = seed_variant(tmp_path, {718: reason(text), 719: content(text), 838: reason(text), 839: content(text)})
    assert bool(copied_texts(ex)) == copied


def test_a_text_naming_its_own_project_too_or_worded_otherwise_is_not_copied(tmp_path):
    both = "保障后勤服务及会计服务经费。"  # 会计服务经费: six characters of 购买会计服务经费
    ex = seed_variant(tmp_path, {718: reason(both), 719: content(both), 838: reason(both), 839: content(both)})
    assert not copied_texts(ex)
    other = "保障后勤服务等各项工作经费。"  # not the other form's words
    ex = seed_variant(tmp_path, {838: reason(other), 839: content(other)})
    assert not copied_texts(ex)


def test_identical_texts_of_sibling_projects_name_their_own_projects():
    # 000 / 001: 医后 / 医中救助 share 开展医疗救助等相关工作, the 后勤 forms 保障后勤等相关工作正常开展
    assert not copied_texts(seed(SEEDS[0]))
    assert [f.values[1] for f in copied_texts(seed(SEEDS[1]))] == ["后勤服务支出"]


# --- gold 000: the 部门整体 form's 收入构成 labels the 300.00 财政专户管理资金 --------------------------------------


def income_checks(ex: Extraction) -> list[Check]:
    return [c for c in ex.checks if c.rule == "projects.dept_form_income"]


def test_gold_000_department_form_300_special_account_vs_blank_summary_line():
    [c] = income_checks(seed(SEEDS[0]))
    assert not c.passed and (c.left.amount, c.right.amount) == (D("300.00"), D(0))
    assert (c.left.provenance.line, c.right.provenance.line) == (573, 264)
    assert c.right.provenance.table == "2023 年部门收支总表" and "财政专户管理资金" in message(c)


SPECIAL_ACCOUNT_LINE = "四、纳入财政专户管理资金(教卫专用)\t{}\t商品和服务支出\t116.23\t215 资源勘探工业信息等支出\t"


@pytest.mark.parametrize(("printed", "agrees"), [("300.00", True), ("300.01", False), ("300.0", True), ("300.1", False),
                                                 ("300", True), ("301", False)])
def test_department_form_income_tolerance_follows_the_printed_digits(tmp_path, printed, agrees):
    # against the form's 300.00: to the cent, equal; to 0.1, ±0.05; to the 万元, ±0.5
    ex = variant(tmp_path, SEEDS[0], 264, SPECIAL_ACCOUNT_LINE.format(printed))
    [c] = income_checks(ex)
    assert c.passed == agrees and c.right.provenance.line == 264


def test_a_form_of_another_scope_is_not_compared(tmp_path):
    # a 收入构成 合计 that is not the 收支总表's 收入总计 / 本年收入合计: a unit's form, not the department's
    ex = variant(tmp_path, SEEDS[0], 574, "\t\t合计\t3233.25\t100.00%\t3110.83\t3291.91")
    assert not income_checks(ex)


def test_forms_listing_only_fiscal_money_or_unnamed_sources_compare_nothing():
    # 001: two units' forms of 财政拨款 only; the audit fixture: 单位资金 names no income source of the 收支总表
    assert not income_checks(seed(SEEDS[1]))
    assert not income_checks(audit_fixture("caidian_data_2025_budget.txt"))

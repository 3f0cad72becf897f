"""The growth and share family (ingest/audit/growth.py): rates, direction words, reasons, compared years,
shares and 决算 completion recomputed from the printed amounts, on the seeds' gold items, the shared PDFs
and disclosures written for the test."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helpers import SHARED_PDFS, budget_disclosure, document_path, extracted, needs_pdfs
from ingest.audit import growth
from ingest.pipeline import extract
from ingest.records import Check, Extraction, Finding


def failed(ex: Extraction, rule: str) -> list[Check]:
    return [c for c in ex.checks if c.rule == rule and not c.passed]


def growth_findings(ex: Extraction, rule: str) -> list[Finding]:
    return [f for f in ex.findings if f.rule == rule]


def growth_problems(ex: Extraction) -> list[tuple[str, int | None]]:
    """(rule, line) of every failed check and finding of the rules ``ingest/audit/growth.py`` defines."""
    ours = {r.id for r in growth.RULES}
    out = [(c.rule, c.left.provenance.line) for c in ex.checks if c.rule in ours and not c.passed]
    return out + [(f.rule, f.provenance.line) for f in ex.findings if f.rule in ours]


def disclosure(tmp_path, *paragraphs: str, year: int = 2025, phase: str = "预算",
               tables: tuple[str, ...] = ()) -> Extraction:
    """A 部门预算 (or 决算) whose narrative is ``paragraphs``, followed by a 收支总表 and the lines ``tables``."""
    head, *rest = budget_disclosure(f"武汉市某区民政局 {year} 年部门{phase}公开", "武汉市某区民政局", "300.00").split("\n")
    narrative = ["", "## 一、收支总体情况", ""] + [line for p in paragraphs for line in (p, "")]
    path = tmp_path / "doc.txt"
    path.write_text("\n".join([head, *narrative, *rest, *tables]), encoding="utf-8")
    return extract(path)


THREE_PUBLIC_BY_COLUMN = (  # 表九 of 101_qiaokou: one column per year
    "2025 年一般公共预算“三公”经费支出表", "", "单位：万元", "",
    "项目\t2025年预算数\t2024年预算数\t增减额",
    "合计\t4.00\t4.50\t-0.50",
    "1.因公出国（境）费\t0.00\t0.00\t0.00",
    "2.公务用车购置及运行维护费\t3.20\t3.50\t-0.30",
    "3.公务接待费\t0.80\t1.00\t-0.20", "")
THREE_PUBLIC_BY_ROW = (  # 表七 of 104_nankang: one row per year
    "2025 年一般公共预算“三公”经费支出表", "", "单位：万元", "",
    "年度\t合计\t因公出国（境）费\t公务用车购置及运行维护费\t公务接待费",
    "2024年预算数\t16.80\t0.00\t13.00\t3.80",
    "2025年预算数\t15.50\t0.00\t12.00\t3.50", "")


# --- the seeds' gold items ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_000() -> Extraction:
    return extracted(document_path("000_dc10eef729309141"))


@pytest.fixture(scope="module")
def seed_001() -> Extraction:
    return extracted(document_path("001_c082f6ab8c9dd51c"))


def test_gold_000_public_funds_increase_with_a_falling_rate(seed_000):
    """Gold 000: 公用经费 116.23万元 '比 2022 年预算增加 5.79 万元，下降 4.75 %' — 增加 vs 下降; 5.79/4.75%
    fits a decrease from 122.02."""
    [f] = growth_findings(seed_000, "growth.direction")
    assert f.provenance.line == 144
    assert "增加5.79万元" in f.message and "下降4.75%" in f.message and "应为减少" in f.message
    assert not [c for c in seed_000.checks if c.rule == "growth.rate" and c.left.provenance.line == 144]


def test_gold_000_total_decrease_against_the_form_history(seed_000):
    """Gold 000: 3233.20 '比2022年预算减少58.61万元' (line 118) implies 2022 = 3291.81; the 部门整体 form's 2022
    column (line 574) gives 3291.91, a 58.71 decrease."""
    [check] = [c for c in failed(seed_000, "growth.previous") if c.left.provenance.line == 118]
    assert check.left.amount == Decimal("-58.61")
    assert check.right.amount == Decimal("-58.71")
    assert check.right.provenance.line == 574 and check.tolerance == Decimal("0.015")
    # 2933.20 '减少 358.71' (line 134) agrees with the form's 财政拨款 row 3291.91
    [ok] = [c for c in seed_000.checks if c.rule == "growth.previous" and c.left.provenance.line == 134]
    assert ok.passed


def test_gold_000_form_history_on_the_wrong_row(seed_000):
    """Gold 000: the form's 运转类 row (公用经费 116.23, line 576) carries 2022 = 2297.1, the 项目支出 figure;
    the narrative's 增加 5.79 (line 144) cannot be reconciled with it."""
    [check] = [c for c in failed(seed_000, "growth.previous") if c.left.provenance.line == 144]
    assert check.right.provenance.line == 576 and check.right.amount == Decimal("116.23") - Decimal("2297.1")


def test_gold_000_form_share_74_55_is_the_wrong_one(seed_000):
    """Gold 000: 2410.10/3233.20 = 74.542%: the narrative's 74.54% (line 126) is right, the 部门整体 form's
    74.55% (line 577) is not."""
    [check] = failed(seed_000, "growth.share")
    assert check.left.amount == Decimal("74.55") and check.left.provenance.line == 577
    assert check.right.amount == Decimal("74.5422") and check.right.provenance.line == 578
    narrative = [c for c in seed_000.checks if c.rule == "growth.share" and c.left.provenance.line == 126]
    assert [c.left.amount for c in narrative] == [Decimal("25.46"), Decimal("74.54")]
    assert all(c.passed for c in narrative)


def test_gold_000_three_public_compared_with_2021(seed_000):
    """Gold 000 '三公': 因公出国 compared with '2021 年预算' (line 181) in a 2023 budget; the other lines
    compare with 2022."""
    [f] = growth_findings(seed_000, "names_years.compared_year")
    assert f.provenance.line == 181 and "2021" in f.message and "2022" in f.message


def test_gold_001_housing_fund_increase_explained_by_a_decrease(seed_001):
    """Gold 001: 住房公积金(项) 26.31 '比2025年预算增加11.30万元,增长75.3%' with the reason '住房公积金减少'."""
    [f] = growth_findings(seed_001, "growth.reason")
    assert f.provenance.line == 1412 and "住房公积金减少" in f.values
    # its rate is right: 11.30 / 15.01 = 75.28%
    [rate] = [c for c in seed_001.checks if c.rule == "growth.rate" and c.left.provenance.line == 1412]
    assert rate.passed


def test_seed_001_every_rate_agrees(seed_001):
    """001's thirteen rates (87.5%, 377.8%, 3.8% …) are all the ratio of their amounts."""
    rates = [c for c in seed_001.checks if c.rule == "growth.rate"]
    assert len(rates) >= 13 and all(c.passed for c in rates)
    assert growth_problems(seed_001) == [("growth.reason", 1412)]


# --- rates: both sides of the tolerance ----------------------------------------------------------------


@pytest.mark.parametrize("rate, ok", [("25.01", True), ("24.99", True), ("25.02", False), ("24.98", False)])
def test_rate_tolerance_boundary(tmp_path, rate, ok):
    """20.00 / (100.00 − 20.00) = 25%; amounts to the 0.01 move it by at most 0.0094, so a printed rate
    is accepted within 0.005 + 0.0094 = 0.0144 percentage points."""
    ex = disclosure(tmp_path, f"2025年部门收入预算100.00万元，比2024年预算增加20.00万元，增长{rate}%。")
    [check] = [c for c in ex.checks if c.rule == "growth.rate"]
    assert check.passed is ok and check.tolerance == Decimal("0.0144")
    assert check.right.amount == Decimal("25.0000")


def test_decrease_rate_uses_current_plus_change(tmp_path):
    """减少 5.00 from 95.00 now: the base is 100.00, the rate 5.00%."""
    ex = disclosure(tmp_path, "2025年部门支出预算95.00万元，比2024年预算减少5.00万元，下降5.00%。")
    [check] = [c for c in ex.checks if c.rule == "growth.rate"]
    assert check.passed and check.right.amount == Decimal("5.0000")


def test_rate_from_the_previous_amount_in_the_sentence(tmp_path):
    """``2024年预算执行数为80.00万元，2025年预算安排100.00万元，比2024年预算执行数增加25.00%`` is checked against
    (100.00 − 80.00) / 80.00; a 减少 word against a rising amount is a direction finding."""
    ok = disclosure(tmp_path, "2024年当年预算执行数为80.00万元，2025年预算安排100.00万元，比2024年预算执行数增加25.00%。")
    assert [c.passed for c in ok.checks if c.rule == "growth.rate"] == [True]
    wrong = disclosure(tmp_path, "2024年当年预算执行数为80.00万元，2025年预算安排100.00万元，比2024年预算执行数减少25.00%。")
    assert [f.rule for f in wrong.findings if f.rule.startswith("growth.")] == ["growth.direction"]


def test_direction_words_contradict(tmp_path):
    ex = disclosure(tmp_path, "2025年公用经费95.00万元，比2024年预算增加5.00万元，下降5.00%。")
    [f] = growth_findings(ex, "growth.direction")
    assert "应为减少" in f.message
    agree = disclosure(tmp_path, "2025年公用经费95.00万元，比2024年预算减少5.00万元，下降5.00%。")
    assert growth_problems(agree) == []


def test_template_both_ways_wording_is_not_a_direction(tmp_path):
    """``增加（减少）`` is a template's leftover (text family), not a direction this family can check."""
    ex = disclosure(tmp_path, "2025年“三公”经费预算4.00万元，比2024年预算增加（减少）0.50万元，下降11.11%。")
    assert growth_problems(ex) == []


def test_reason_naming_the_same_item_the_other_way(tmp_path):
    wrong = disclosure(tmp_path, "住房公积金(项)2025年30.00万元,比2024年预算增加10.00万元,增长50.0%,主要是住房公积金减少。")
    assert [f.rule for f in wrong.findings if f.rule.startswith("growth.")] == ["growth.reason"]
    right = disclosure(tmp_path, "住房公积金(项)2025年30.00万元,比2024年预算增加10.00万元,增长50.0%,主要是住房公积金增加。")
    other = disclosure(tmp_path, "住房公积金(项)2025年30.00万元,比2024年预算增加10.00万元,增长50.0%,主要是人员减少。")
    assert growth_problems(right) == [] and growth_problems(other) == []


def test_an_increase_larger_than_the_amount(tmp_path):
    """0 万元 '比2024年预算增加1421.25万元' (wanli p6): the previous year would be negative."""
    ex = disclosure(tmp_path, "政府性基金拨款支出预算0万元，比2024年预算增加1421.25万元；国有资本经营预算拨款支出预算0万元，与2024年预算持平。")
    [f] = growth_findings(ex, "growth.negative_base")
    assert "-1421.25" in f.message


def test_one_amount_two_changes(tmp_path):
    """swh p7: 37,151.47 '比2024年预算执行数增加24,558.18万元' and '比2024年预算增加24,491.71万元'."""
    ex = disclosure(tmp_path, "财政拨款收入37,151.47万元，比2024年预算执行数增加24,558.18万元。",
                    "财政拨款支出预算37,151.47万元，比2024年预算增加24,491.71万元。",
                    "一般公共预算拨款支出预算37,151.47万元，比2024年预算增加24,491.71万元。")
    [check] = failed(ex, "growth.same_base")
    assert (check.left.amount, check.right.amount) == (Decimal("24558.18"), Decimal("24491.71"))


@pytest.mark.parametrize("year, rule", [(2024, None), (2025, "names_years.compared_year"),
                                        (2023, "names_years.compared_year")])
def test_compared_year(tmp_path, year, rule):
    ex = disclosure(tmp_path, f"2025年部门收入预算100.00万元，比{year}年预算增加20.00万元，增长25.00%。")
    assert [f.rule for f in ex.findings if f.rule in {r.id for r in growth.RULES}] == (
        [rule] if rule else [])


@pytest.mark.parametrize("table, statement, ok", [
    (THREE_PUBLIC_BY_COLUMN, "4.00万元，比2024年预算减少0.50万元", True),  # 4.00 − 4.50
    (THREE_PUBLIC_BY_COLUMN, "4.00万元，比2024年预算减少0.40万元", False),
    (THREE_PUBLIC_BY_ROW, "15.50万元，比2024年预算减少1.30万元", True),  # 15.50 − 16.80
    (THREE_PUBLIC_BY_ROW, "15.50万元，较上年减少1.20万元", False),
])
def test_change_against_a_table_of_years(tmp_path, table, statement, ok):
    """The narrative's change against this year's minus last year's figure of the row printing the same
    amount, in a table with a column (or a row) per year."""
    ex = disclosure(tmp_path, f"2025年“三公”经费预算{statement}。", tables=table)
    [check] = [c for c in ex.checks if c.rule == "growth.previous"]
    assert check.passed is ok
    assert check.right.provenance.table == "2025 年一般公共预算“三公”经费支出表"
    assert check.tolerance == Decimal("0.015")


@pytest.mark.parametrize("change, ok", [("减少0.50万元", True), ("减少0.40万元", False)])
def test_change_against_the_previous_amount_in_the_comparison(tmp_path, change, ok):
    """102_fancheng: '2025年“三公”经费预算6.00万元，比2024年预算6.50万元减少0.50万元'."""
    ex = disclosure(tmp_path, f"2025年“三公”经费预算6.00万元，比2024年预算6.50万元{change}。")
    [check] = [c for c in ex.checks if c.rule == "growth.previous"]
    assert check.passed is ok and check.left.amount == -Decimal(change[2:6])


# --- shares ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("share, ok", [("33.33", True), ("33.34", True), ("33.35", False), ("33.32", False)])
def test_share_tolerance_boundary(tmp_path, share, ok):
    """100.00 / 300.00 = 33.3333%; the amounts' rounding moves it by at most 0.0026: tolerance 0.0076."""
    ex = disclosure(tmp_path, f"2025年部门支出预算300.00万元，其中：基本支出100.00万元，占{share}%；项目支出200.00万元，占66.67%。")
    checks = [c for c in ex.checks if c.rule == "growth.share"]
    assert [c.passed for c in checks] == [ok, True]
    assert checks[0].tolerance == Decimal("0.0073")


def test_share_of_a_named_total(tmp_path):
    """ghzyj p21: 9746.50 '占本年支出合计的99.86%', 本年支出合计 9759.38 stated before: 99.868% rounds to 99.87."""
    ex = disclosure(tmp_path, "本年支出合计9759.38万元，其中：基本支出5377.64万元，占55.10%；项目支出4381.74万元，占44.90%。",
                    "一般公共预算财政拨款支出9746.50万元，占本年支出合计的99.86%。")
    [check] = failed(ex, "growth.share")
    assert check.left.amount == Decimal("99.86") and check.right.amount == Decimal("99.8680")


def test_share_without_a_whole_says_nothing(tmp_path):
    """A list of shares with no total before it (no 其中/：) cannot be checked."""
    ex = disclosure(tmp_path, "一般公共预算拨款收入1,645.38万元，占95.36%；上年结转80.00万元，占4.64%。")
    assert [c for c in ex.checks if c.rule == "growth.share"] == []


# --- 决算: completion and 大于/小于 wording ---------------------------------------------------------------


@pytest.mark.parametrize("rate, ok", [("95.00", True), ("95.01", True), ("95.02", False), ("94.98", False)])
def test_completion_tolerance_boundary(tmp_path, rate, ok):
    """95.00 / 100.00: tolerance 0.005 + 0.0098 = 0.0148 percentage points."""
    ex = disclosure(tmp_path, "2024年度财政拨款支出年初预算为100.00万元，支出决算为95.00万元，"
                              f"完成年初预算的{rate}%。决算数小于年初预算数的主要原因是项目结余。", year=2024, phase="决算")
    [check] = [c for c in ex.checks if c.rule == "growth.completion"]
    assert check.passed is ok and check.tolerance == Decimal("0.0148")
    assert growth_findings(ex, "growth.final_vs_budget") == []


@pytest.mark.parametrize("wording, wrong", [("决算数大于年初预算数", True), ("决算数小于年初预算数", False),
                                            ("决算数同预算数持平", True), ("决算数等于预算数", True)])
def test_final_vs_budget_wording(tmp_path, wording, wrong):
    ex = disclosure(tmp_path, "1.社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）。年初预算为85.55万元，"
                              f"支出决算为84.65万元。{wording}的主要原因：预算按充分保障预估。", year=2024, phase="决算")
    assert len(growth_findings(ex, "growth.final_vs_budget")) == (1 if wrong else 0)


def test_completion_of_a_part_without_its_budget_says_nothing(tmp_path):
    """czj p23: '因公出国（境）费决算为0.00万元，完成预算的0%' prints no budget of its own."""
    ex = disclosure(tmp_path, "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%，其中：因公出国（境）费"
                              "决算为0.00万元，完成预算的0%。", year=2024, phase="决算")
    assert [c.left.amount for c in ex.checks if c.rule == "growth.completion"] == [Decimal("0")]


# --- precision over the shared PDFs and our fixtures ------------------------------------------------------

PDF_PROBLEMS = {  # every problem this family raises on each shared PDF, each checked against the page
    "putuo_czj_2024_juesuan_dept": [("growth.share", 318)],  # 2106.66/2940.05 = 71.65%, printed 71.73% (gold)
    "putuo_czj_2025_yusuan_dept": [],
    # 9746.50/9759.38 = 99.868% printed 99.86% (gold); 9746.50/10210.34 = 95.457% printed 95.45%
    "putuo_ghzyj_2024_juesuan_dept": [("growth.share", 339), ("growth.completion", 352)],
    "putuo_swh_2025_yusuan_dept": [("growth.same_base", 109)],  # 24,558.18 vs 24,491.71 (gold)
    # (45.41−11.67)/11.67 = 289.12% printed 314.82%; item 16 60.54% (gold); 0 万元 增加1421.25 (gold)
    "putuo_wanli_2023_yusuan_dept": [("growth.rate", 72), ("growth.rate", 105), ("growth.negative_base", 63)],
}


@needs_pdfs
@pytest.mark.parametrize("stem", sorted(PDF_PROBLEMS))
def test_shared_pdfs(stem):
    assert growth_problems(extracted(SHARED_PDFS / f"{stem}.pdf")) == PDF_PROBLEMS[stem]


FIXTURE_PROBLEMS = {
    "100_hanyang_civil_2024_final": [], "101_qiaokou_edu_2025_budget": [], "102_fancheng_health_2025_unit_budget": [],
    "103_luoyang_justice_2023_final": [], "104_nankang_agri_2026_budget": [],
    # 项目支出1,096.50万元 '占61.99%': the share is of 1,069.50 (gold: the narrative's digits are transposed)
    "105_lusong_medsec_2024_budget": [("growth.share", 51)],
}


@pytest.mark.parametrize("stem", sorted(FIXTURE_PROBLEMS))
def test_fixture_documents(stem):
    assert growth_problems(extracted(document_path(stem))) == FIXTURE_PROBLEMS[stem]


# --- what the family does not read ----------------------------------------------------------------------


def test_an_aside_in_brackets_is_not_the_current_amount(tmp_path):
    """``500.00万元（含上年结转20.00万元），比2024年预算增加100.00万元``: the change is of 500.00, not of 20.00."""
    ex = disclosure(tmp_path, "2025年项目支出500.00万元（含上年结转20.00万元），比2024年预算增加100.00万元，增长25.00%。")
    [check] = [c for c in ex.checks if c.rule == "growth.rate"]
    assert check.passed and growth_problems(ex) == []


def test_a_share_inside_brackets_is_not_of_the_sentence_total(tmp_path):
    ex = disclosure(tmp_path, "2025年部门支出预算100.00万元，其中：基本支出60.00万元，占60.00%（其中：人员经费50.00万元，占83.33%）；"
                              "项目支出40.00万元，占40.00%。")
    assert [c.left.amount for c in ex.checks if c.rule == "growth.share"] == [Decimal("60.00"), Decimal("40.00")]
    assert growth_problems(ex) == []


def test_a_work_review_comparison_is_not_a_budget_year(tmp_path):
    """A 工作目标 sentence comparing a fund's spending with 2020 is not a budget comparison."""
    ex = disclosure(tmp_path, "全区医保基金支出30亿元，比2020年增加5亿元。")
    assert growth_findings(ex, "names_years.compared_year") == []


def test_completion_of_the_adjusted_budget(tmp_path):
    """``完成调整预算的`` divides by the 调整预算, not by the 年初预算 printed first."""
    ex = disclosure(tmp_path, "2024年度财政拨款支出年初预算为100.00万元，调整预算为120.00万元，支出决算为96.00万元，"
                              "完成调整预算的80.00%。", year=2024, phase="决算")
    [check] = [c for c in ex.checks if c.rule == "growth.completion"]
    assert check.passed and check.right.amount == Decimal("80.0000")


def test_final_compared_with_its_budget(tmp_path):
    """A 决算 '比年初预算增加 C 万元，增长 P%': C against 决算 − 年初预算 and P against C over the budget."""
    ok = disclosure(tmp_path, "2024年度财政拨款支出年初预算为100.00万元，支出决算为110.00万元，比年初预算增加10.00万元，增长10.00%。",
                    year=2024, phase="决算")
    assert sorted((c.rule, c.passed) for c in ok.checks if c.rule.startswith("growth.")) == [
        ("growth.previous", True), ("growth.rate", True)]
    wrong = disclosure(tmp_path, "2024年度财政拨款支出年初预算为100.00万元，支出决算为110.00万元，比年初预算增加12.00万元。",
                       year=2024, phase="决算")
    [check] = failed(wrong, "growth.previous")
    assert (check.left.amount, check.right.amount) == (Decimal("12.00"), Decimal("10.00"))


def test_same_period_comparison(tmp_path):
    """``同比增加`` compares with the year before."""
    ex = disclosure(tmp_path, "2025年部门收入预算100.00万元，同比增加20.00万元，增长20.00%。")
    [check] = [c for c in ex.checks if c.rule == "growth.rate"]
    assert not check.passed and check.right.amount == Decimal("25.0000")

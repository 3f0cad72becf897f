"""The narrative family (ingest/audit/narrative.py) on the seeds: every gold item it can check is found, with
the values compared and the lines they were printed at, and each tolerance is tested on both sides."""

from decimal import Decimal
from pathlib import Path

import pytest

from helpers import extracted

from ingest.pipeline import extract
from ingest.rules import catalogue

SEEDS = Path("/work/shared/seeds")
SEED_000 = SEEDS / "000_dc10eef729309141.txt"
SEED_001 = SEEDS / "001_c082f6ab8c9dd51c.txt"

pytestmark = pytest.mark.skipif(not SEED_000.exists(), reason="the shared seeds are not on this machine")


def failed(ex, rule):
    return [c for c in ex.checks if c.rule == rule and not c.passed]


def values(check):
    return (check.left.amount, check.left.provenance.line, check.right.amount, check.right.provenance.line)


@pytest.fixture(scope="module")
def seed_000():
    return extracted(SEED_000)


@pytest.fixture(scope="module")
def seed_001():
    return extracted(SEED_001)


def edited(tmp_path, seed: Path, old: str, new: str):
    """The seed with one printed amount changed (the rest of the document as published)."""
    text = seed.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / seed.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return extract(path)


def test_rules_are_catalogued():
    ids = {r for r in catalogue() if r.startswith("narrative.")}
    assert ids == {"narrative.line_vs_table", "narrative.same_item", "narrative.list_sum", "narrative.goal_funds"}
    assert all(catalogue()[r].tolerance for r in ids)


def test_gold_000_general_public_income_2399_20(seed_000):
    """Gold 000: 一般公共预算财政拨款收入 2399.20万元 (line 114) vs 2933.20 in the 收支总表's 财政拨款 line (line 250,
    whose 政府性基金 line is empty, so it is the 一般公共预算 alone)."""
    [check] = [c for c in failed(seed_000, "narrative.line_vs_table") if dict(c.params)["item"] == "一般公共预算财政拨款收入"]
    assert values(check) == (Decimal("2399.20"), 114, Decimal("2933.20"), 250)
    assert check.tolerance == 0
    assert len(failed(seed_000, "narrative.line_vs_table")) == 2  # and 项目支出 2410.1 of section 五, below


def test_gold_000_goal_funds_3233_20(seed_000):
    """Gold 000: 绩效目标 涉及一般公共预算本年财政拨款数 3233.20万元 (line 207) > 一般公共预算 2933.20 (line 250)."""
    [check] = failed(seed_000, "narrative.goal_funds")
    assert values(check) == (Decimal("3233.20"), 207, Decimal("2933.20"), 250)


def test_gold_000_section_five_lists_2410_10(seed_000):
    """Gold 000: section 五 (一般公共预算财政拨款支出预算 2933.20, line 134) lists 基本支出 823.10 + 项目支出
    2410.1 = 3233.20."""
    [check] = failed(seed_000, "narrative.list_sum")
    assert values(check)[:2] == (Decimal("2933.20"), 134)
    assert check.right.amount == Decimal("3233.20")
    assert [t.provenance.line for t in check.right.terms] == [136, 157]


def test_gold_001_project_amounts(seed_001):
    """Gold 001: 购买医保经办服务经费 324.09 (line 1376) vs 324.08 (表11, line 292); 江岸区医疗保障服务中心后勤服务支出
    124.88 (line 1382) vs 124.84 (表14-2, line 429)."""
    found = {dict(c.params)["item"]: values(c) for c in failed(seed_001, "narrative.line_vs_table")}
    assert found == {
        "购买医保经办服务经费": (Decimal("324.09"), 1376, Decimal("324.08"), 292),
        "江岸区医疗保障服务中心后勤服务支出": (Decimal("124.88"), 1382, Decimal("124.84"), 429),
    }


def test_gold_001_project_list_sum(seed_001):
    """Gold 001: the 项目支出 items 10.93+324.09+17+6.3+124.88+1426+17+33.80 = 1960.00, not the stated 1960.43."""
    [check] = failed(seed_001, "narrative.list_sum")
    assert values(check)[:2] == (Decimal("1960.43"), 1372)
    assert check.right.amount == Decimal("1960.00")
    assert [t.amount for t in check.right.terms] == [Decimal(x) for x in
                                                      "10.93 324.09 17 6.3 124.88 1426 17 33.80".split()]
    assert check.tolerance == Decimal("0.045")  # nine figures, each to the list's finest digit (0.01)


def test_consistent_statements_pass(seed_000, seed_001):
    """Lines the narrative states right are checked and pass: a 项 by its 类/款/项 path, an economic class named
    without its 和 (商品服务支出), a “三公” item, the 上年结转 of the 部门."""
    passed = {c.left.label for c in seed_001.checks if c.rule == "narrative.line_vs_table" and c.passed}
    assert any("医疗保障经办事务(项)" in label for label in passed)
    assert any("商品服务支出23.85" in label for label in passed)
    assert any("公务接待费0.2" in label for label in passed)
    carry = [c for c in seed_000.checks if c.rule == "narrative.line_vs_table" and "上年结转300" in c.left.label]
    assert [c.passed for c in carry] == [True, True]
    assert not failed(seed_000, "narrative.same_item") and not failed(seed_001, "narrative.same_item")


@pytest.mark.parametrize("printed, alarm", [("324.08", False), ("324.1", False), ("324.13", True), ("324.2", True)])
def test_line_tolerance_follows_the_printed_digit(tmp_path, printed, alarm):
    """324.1 may be 324.08 rounded (half of 0.1); 324.13 and 324.2 may not; the same digit allows nothing."""
    ex = edited(tmp_path, SEED_001, "购买医保经办服务经费324.09万元", f"购买医保经办服务经费{printed}万元")
    items = {dict(c.params)["item"] for c in failed(ex, "narrative.line_vs_table")}
    assert ("购买医保经办服务经费" in items) is alarm


@pytest.mark.parametrize("printed, alarm", [("1960.00", False), ("1960.04", False), ("1960.05", True)])
def test_list_sum_tolerance(tmp_path, printed, alarm):
    """Σ 1960.00 of nine figures to 0.01: 0.045 either way.  (The edit also breaks 2304.44 = 344.01 + 项目支出,
    the list of section 二 one level up.)"""
    ex = edited(tmp_path, SEED_001, "(二)项目支出1960.43万元", f"(二)项目支出{printed}万元")
    items = {dict(c.params)["item"] for c in failed(ex, "narrative.list_sum")}
    assert ("项目支出" in items) is alarm
    assert "2026年财政拨款预算数" in items


@pytest.mark.parametrize("printed, alarm", [("2933.20", False), ("1960.43", False), ("2933.21", True)])
def test_goal_funds_boundary(tmp_path, printed, alarm):
    ex = edited(tmp_path, SEED_000, "本年财政拨款数 3233.20 万元", f"本年财政拨款数 {printed} 万元")
    assert bool(failed(ex, "narrative.goal_funds")) is alarm


def test_other_year_and_change_amounts_are_not_statements(tmp_path):
    """``2025年预算数`` is the previous year's figure and ``比…增加`` a change: neither is the line's figure."""
    ex = edited(tmp_path, SEED_001, "行政单位医疗(项)2026年预算数7.9万元", "行政单位医疗(项)2025年预算数7.1万元")
    assert not failed(ex, "narrative.line_vs_table")[2:]
    assert not any("7.1" in c.left.label for c in ex.checks if c.rule == "narrative.line_vs_table")


def test_same_item_twice(tmp_path):
    """An item no table prints (财政拨款 上年结转 in a 财政拨款收支总表 with a blank line) stated 0 and 5 in two
    paragraphs."""
    ex = edited(tmp_path, SEED_000, "当年预算 2933.20 万元，比 2022 年预算减少 358.71 万元，下降 10.90 %；上年结转 0 万元",
                "当年预算 2933.20 万元，比 2022 年预算减少 358.71 万元，下降 10.90 %；上年结转 5 万元")
    [check] = failed(ex, "narrative.same_item")
    assert (check.left.amount, check.left.provenance.line, check.right.amount, check.right.provenance.line) == (
        Decimal("5"), 134, Decimal("0"), 130)


def test_gold_000_section_five_project_expenditure_2410_10(seed_000):
    """Gold 000: section 五 (一般公共预算财政拨款支出) gives 项目支出 2410.1万元 (line 157); the 一般公共预算支出总表's
    合计 项目支出 is 2110.10 (line 382).  The 部门's 项目支出 2410.10 of section 三 stays with narrative_vs_table."""
    check = next(c for c in failed(seed_000, "narrative.line_vs_table") if dict(c.params)["item"] == "项目支出")
    assert values(check) == (Decimal("2410.1"), 157, Decimal("2110.10"), 382)
    assert check.tolerance == Decimal("0.05")
    fiscal_four = [c for c in seed_000.checks if c.rule == "narrative.line_vs_table" and c.left.provenance.line == 130]
    assert {c.left.amount for c in fiscal_four if c.passed} >= {Decimal("823.10"), Decimal("2110.10")}


FIXTURES = Path(__file__).parents[2] / "fixtures" / "docs"


def test_fixture_100_project_against_a_yuan_table():
    """Fixture 100 gold: 临时救助资金96.53万元 (line 90) vs 963,500.00元 in 表8 (line 377); half a 0.01 of tolerance."""
    ex = extracted(FIXTURES / "100_hanyang_civil_2024_final.txt")
    [check] = failed(ex, "narrative.line_vs_table")
    assert values(check) == (Decimal("96.53"), 90, Decimal("96.35"), 377)
    assert check.tolerance == Decimal("0.005")
    assert not [c for c in ex.checks if c.rule.startswith("narrative.") and not c.passed and c is not check]


def test_fixture_105_parts_do_not_add_up():
    """Fixture 105 gold: 部门支出预算1,725.38万元，其中：基本支出655.88万元 …；项目支出1,096.50万元 (line 51)."""
    ex = extracted(FIXTURES / "105_lusong_medsec_2024_budget.txt")
    [check] = failed(ex, "narrative.list_sum")
    assert values(check)[:2] == (Decimal("1725.38"), 51)
    assert [t.amount for t in check.right.terms] == [Decimal("655.88"), Decimal("1096.50")]


@pytest.mark.parametrize("printed, passed", [("87.70", True), ("87.71", True), ("87.69", False), ("87.72", False)])
def test_yuan_figure_cut_off_or_rounded(printed, passed):
    """877,080.00 元 is 87.708 万元: the text may round it (87.71) or cut it off (87.70), nothing else."""
    from ingest.audit.narrative import _cut_off
    from ingest.reconcile.checks import compare
    from ingest.reconcile.figures import read_figure

    table = read_figure("877,080.00", "元", "2080501 行政单位离退休", None)
    text = read_figure(printed, "万元", "narrative", None)
    assert (compare("", text, table, "").passed or _cut_off(text, table)) is passed


PDFS = Path("/work/shared/pdfs")


@pytest.mark.slow
@pytest.mark.skipif(not PDFS.exists(), reason="the shared PDFs are not on this machine")
def test_pdf_findings_are_the_gold_items():
    """Every finding of the family on the two PDFs that raise any is a gold item: ghzyj 236.63 vs 236.64,
    5377.64 vs 5364.75 (一般公共预算财政拨款基本支出), 人员经费 4896.98 vs the 基本支出表's printed 人员经费合计 4884.09
    (its 301 + 303 rows give 4884.10, within their rounding); czj 2025 887.36 vs 873,617.00 元
    (printed twice), while its 元 lines cut off at the 0.01 (87.708 → 87.70) pass."""
    ghzyj = extracted(PDFS / "putuo_ghzyj_2024_juesuan_dept.pdf")
    assert sorted((c.left.amount, c.right.amount) for c in ghzyj.checks
                  if c.rule.startswith("narrative.") and not c.passed) == [
        (Decimal("236.63"), Decimal("236.64")), (Decimal("4896.98"), Decimal("4884.09")),
        (Decimal("5377.64"), Decimal("5364.75"))]
    czj = extracted(PDFS / "putuo_czj_2025_yusuan_dept.pdf")
    bad = [c for c in czj.checks if c.rule.startswith("narrative.") and not c.passed]
    assert [(c.left.amount, c.right.amount, c.left.provenance.page) for c in bad] == [
        (Decimal("887.36"), Decimal("87.3617"), 7), (Decimal("887.36"), Decimal("87.3617"), 8)]
    cut = [c for c in czj.checks if c.rule == "narrative.line_vs_table" and c.left.amount == Decimal("87.70")]
    assert cut and all(c.passed for c in cut)
    for name in ("putuo_czj_2024_juesuan_dept.pdf", "putuo_swh_2025_yusuan_dept.pdf", "putuo_wanli_2023_yusuan_dept.pdf"):
        ex = extracted(PDFS / name)
        assert not [c for c in ex.checks if c.rule.startswith("narrative.") and not c.passed], name


AUDIT = Path(__file__).resolve().parents[2] / "fixtures" / "audit"
FINAL = AUDIT / "xinzhou_cdc_2024_unit_final.txt"
RECEPTION = "3. 公务接待费：预算2.00万元，决算1.20万元，完成预算的60.00%。"


@pytest.mark.parametrize("printed, alarm", [("1.20", False), ("1.21", True), ("2.10", True)])
def test_three_public_item_named_by_its_phase_alone(tmp_path, printed, alarm):
    """``公务接待费：预算2.00万元，决算X万元`` in a 决算: the 决算 amount is the 公务接待费's, compared with the 三公
    决算表 (1.20 on its line 256); both printed to the cent, so no slack (seeded B21 prints 2.10)."""
    ex = edited(tmp_path, FINAL, RECEPTION, RECEPTION.replace("决算1.20", f"决算{printed}"))
    [check] = [c for c in ex.checks if c.rule == "narrative.line_vs_table" and "公务接待费决算" in c.left.label]
    assert (check.left.amount, check.left.provenance.line) == (Decimal(printed), 99)
    assert (check.right.amount, check.right.provenance.line, check.tolerance) == (Decimal("1.20"), 256, 0)
    assert check.passed is not alarm
    # the 预算 amount before it is of the other phase: not a statement
    assert not [c for c in ex.checks if c.rule == "narrative.line_vs_table" and "公务接待费预算" in c.left.label]


# --- the department's and the 财政拨款's totals, in any wording --------------------------------------------

BUDGET = AUDIT / "caidian_data_2025_budget.txt"
GOALS = "涉及项目支出433.20万元"  # the 绩效 paragraph (line 138) of the 2025 部门预算
SPENT = "本年财政拨款支出704.20万元"  # the 财政拨款 paragraph (line 65) of the 2024 单位决算


def total_checks(ex, line):
    return [c for c in ex.checks if c.rule == "narrative.line_vs_table" and c.left.provenance.line == line]


def test_seeded_a17_project_expenditure_in_the_goals_paragraph():
    """Seeded A17: 涉及项目支出443.20万元 (line 138) is the 部门's 项目支出, 433.20 in 表3 (and line 73)."""
    ex = extracted(AUDIT / "caidian_data_2025_budget.seeded.txt")
    [check] = [c for c in total_checks(ex, 138) if not c.passed]
    assert (check.left.amount, check.right.amount, check.right.provenance.table) == (
        Decimal("443.20"), Decimal("433.20"), "蔡甸区政务服务和大数据局 2025 年部门支出总表（表 3）")
    assert dict(check.params)["item"] == "项目支出"


def test_seeded_b19_fiscal_spending_of_the_year():
    """Seeded B19: 本年财政拨款支出702.40万元 (line 65) vs the 财政拨款收入支出决算总表's 本年支出合计 704.20 (line 194)."""
    ex = extracted(AUDIT / "xinzhou_cdc_2024_unit_final.seeded.txt")
    [check] = [c for c in total_checks(ex, 65) if not c.passed]
    assert values(check) == (Decimal("702.40"), 65, Decimal("704.20"), 194)
    assert dict(check.params)["item"] == "本年财政拨款支出"


@pytest.mark.parametrize("printed, alarm", [("433.20", False), ("433.21", True), ("433.2", False), ("433.3", True)])
def test_department_total_tolerance(tmp_path, printed, alarm):
    """The same digit allows nothing (433.21); one digit fewer allows half of 0.1 (433.2 yes, 433.3 no)."""
    ex = edited(tmp_path, BUDGET, GOALS, GOALS.replace("433.20", printed))
    [check] = total_checks(ex, 138)
    assert check.passed is not alarm
    assert check.right.amount == Decimal("433.20")


@pytest.mark.parametrize("words, printed, right", [
    ("本年财政拨款支出", "704.20", "704.20"),  # 本年: the year's line of the 财政拨款收支总表
    ("本年财政拨款支出", "704.21", "704.20"),
    ("财政拨款支出总计", "712.60", "712.60"),  # 总计: with the carry-over
    ("财政拨款支出总计", "704.20", "712.60"),
])
def test_fiscal_spending_of_the_year_or_total(tmp_path, words, printed, right):
    ex = edited(tmp_path, FINAL, SPENT, f"{words}{printed}万元")
    [check] = total_checks(ex, 65)[-1:]
    assert (check.left.amount, check.right.amount) == (Decimal(printed), Decimal(right))
    assert check.passed is (printed == right)


def test_no_total_check_where_the_reading_is_open(tmp_path):
    """Not compared: 项目支出 of no stated scope where the 部门's (219.40) and the 一般公共预算's (189.40) differ;
    a 项目支出 of a named unit; a 项目支出 that the 部门支出预算 sentence states
    (narrative_vs_table compares it, once)."""
    final = extracted(FINAL)
    assert not [c for c in total_checks(final, 61) if "项目支出" in c.left.label]
    unit = edited(tmp_path, BUDGET, GOALS, "其中蔡甸区政务服务中心涉及项目支出300.00万元")
    assert not total_checks(unit, 138)
    budget = extracted(BUDGET)
    assert not [c for c in total_checks(budget, 73) if c.rule == "narrative.line_vs_table"]
    assert [c.passed for c in budget.checks if c.rule == "narrative_vs_table" and c.left.provenance.line == 73]

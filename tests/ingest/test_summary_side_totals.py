"""A 收支总表's 总计 = its year's total + the lines after it, by the meaning of their labels (决算: 本年收入合计 +
使用非财政拨款结余 + 年初结转和结余 = 收入总计, 本年支出合计 + 结余分配 + 年末结转和结余 = 支出总计), within the
printed precision; the tables are those of tests/fixtures/audit/xinzhou_cdc_2024_unit_final.txt (表1, 表4)."""

from __future__ import annotations

from decimal import Decimal

from extract_helpers import extract_lines

TITLE = ["武汉市新洲区疾病预防控制中心2024年度单位决算"]
SUMMARY_HEAD = [
    "### 表1　收入支出决算总表",
    "公开01表",
    "编制单位：武汉市新洲区疾病预防控制中心\t\t\t\t\t金额单位：万元",
    "收入\t\t\t支出\t\t",
    "项目\t行次\t金额\t项目\t行次\t金额",
    "栏次\t\t1\t栏次\t\t2",
    "一、一般公共预算财政拨款收入\t1\t697.00\t一、社会保障和就业支出\t31\t72.30",
    "二、政府性基金预算财政拨款收入\t2\t\t二、卫生健康支出\t32\t625.75",
    "三、国有资本经营预算财政拨款收入\t3\t\t三、住房保障支出\t33\t36.15",
    "四、上级补助收入\t4\t\t\t34\t",
    "五、事业收入\t5\t30.00\t\t35\t",
    "六、经营收入\t6\t\t\t36\t",
    "七、附属单位上缴收入\t7\t\t\t37\t",
    "八、其他收入\t8\t\t\t38\t",
    "本年收入合计\t16\t727.00\t本年支出合计\t46\t734.20",
]


def summary(carried: str = "8.40", distributed: str = "", used: str = "", grand_out: str = "742.60") -> list[str]:
    """表1 as the fixture prints it, with the 结转 lines given."""
    return TITLE + SUMMARY_HEAD + [
        f"使用专用结余\t17\t{used}\t结余分配\t47\t{distributed}",
        f"年初结转和结余\t18\t15.60\t年末结转和结余\t48\t{carried}",
        f"总计\t19\t742.60\t总计\t49\t{grand_out}",
    ]


# 表4 of the fixture: 年初财政拨款结转和结余 broken down by source on the lines under it
FISCAL = TITLE + [
    "### 表4　财政拨款收入支出决算总表",
    "公开04表",
    "编制单位：武汉市新洲区疾病预防控制中心\t\t\t\t\t\t\t金额单位：万元",
    "收入\t\t\t支出\t\t\t\t",
    "项目\t行次\t金额\t项目\t行次\t合计\t一般公共预算财政拨款\t政府性基金预算财政拨款",
    "栏次\t\t1\t栏次\t\t2\t3\t4",
    "一、一般公共预算财政拨款\t1\t697.00\t一、社会保障和就业支出\t30\t72.30\t72.30\t",
    "二、政府性基金预算财政拨款\t2\t\t二、卫生健康支出\t31\t595.75\t595.75\t",
    "三、国有资本经营预算财政拨款\t3\t\t三、住房保障支出\t32\t36.15\t36.15\t",
    "本年收入合计\t4\t697.00\t本年支出合计\t38\t704.20\t704.20\t",
    "年初财政拨款结转和结余\t5\t15.60\t年末财政拨款结转和结余\t39\t8.40\t8.40\t",
    "　一般公共预算财政拨款\t6\t15.60\t\t\t\t\t",
    "　政府性基金预算财政拨款\t7\t\t\t\t\t\t",
    "总计\t9\t712.60\t总计\t40\t712.60\t712.60\t",
]


def side_totals(ex, side: str):
    return [c for c in ex.checks if c.rule == "side_total" and f"{side} side" in c.message]


def term_lines(check) -> list[int]:
    return [t.provenance.line for t in check.right.terms]


def test_the_final_accounts_summary_adds_its_carryover_lines_to_each_side(tmp_path):
    ex = extract_lines(tmp_path, summary())
    [income] = side_totals(ex, "income")
    [spent] = side_totals(ex, "expenditure")
    assert income.passed and spent.passed
    assert (income.left.amount, income.right.amount) == (Decimal("742.60"), Decimal("742.60"))
    assert [t.amount for t in income.right.terms] == [Decimal("727.00"), Decimal("15.60")]  # 使用专用结余 blank
    assert [t.amount for t in spent.right.terms] == [Decimal("734.20"), Decimal("8.40")]  # 结余分配 blank
    assert term_lines(spent) == [16, 18] and spent.left.provenance.line == 19


def test_a_wrong_year_end_carryover_is_found_with_the_line_it_is_printed_at(tmp_path):
    """Seeded error B20: 年末结转和结余 8.80, so 734.20 + 8.80 ≠ 总计 742.60 (收入总计 = 支出总计 still holds)."""
    ex = extract_lines(tmp_path, summary(carried="8.80"))
    [spent] = side_totals(ex, "expenditure")
    assert not spent.passed
    assert (spent.left.amount, spent.right.amount) == (Decimal("742.60"), Decimal("743.00"))
    assert term_lines(spent) == [16, 18]
    assert spent.right.terms[1].amount == Decimal("8.80")
    assert all(c.passed for c in side_totals(ex, "income"))
    assert any(f.rule == "reconcile.side_total" and f.provenance.line == 19 for f in ex.findings)


def test_surplus_distribution_and_reserves_used_are_terms_of_their_side(tmp_path):
    ex = extract_lines(tmp_path, summary(carried="7.40", distributed="1.00", used="0.00"))
    [spent] = side_totals(ex, "expenditure")
    assert spent.passed and [t.amount for t in spent.right.terms] == [Decimal("734.20"), Decimal("1.00"),
                                                                      Decimal("7.40")]
    lines = summary(used="2.00")
    lines[-2] = "年初结转和结余\t18\t13.60\t年末结转和结余\t48\t8.40"
    [income] = side_totals(extract_lines(tmp_path, lines), "income")
    assert income.passed and [t.amount for t in income.right.terms] == [Decimal("727.00"), Decimal("2.00"),
                                                                       Decimal("13.60")]


def test_the_same_facts_in_another_row_and_column_order_give_the_same_checks(tmp_path):
    """No 行次 columns, 年末结转和结余 before 结余分配, 用事业基金弥补收支差额 for 使用专用结余."""
    lines = TITLE + [row for row in SUMMARY_HEAD if not row.startswith("栏次")]
    lines = [lines[0]] + ["\t".join(c for k, c in enumerate(r.split("\t")) if k not in (1, 4)) if "\t" in r else r
                          for r in lines[1:]]
    lines += ["年初结转和结余\t15.60\t年末结转和结余\t8.80", "用事业基金弥补收支差额\t\t结余分配\t",
              "收入总计\t742.60\t支出总计\t742.60"]
    ex = extract_lines(tmp_path, lines)
    [income] = side_totals(ex, "income")
    [spent] = side_totals(ex, "expenditure")
    assert income.passed and [t.amount for t in income.right.terms] == [Decimal("727.00"), Decimal("15.60")]
    assert not spent.passed and spent.right.amount == Decimal("743.00")


def test_the_tolerance_is_half_a_unit_of_each_printed_figure(tmp_path):
    """总计 vs 本年支出合计 + 年末结转和结余, each printed to the 分: tolerance (0.01 + 0.02) / 2 = 0.015."""
    [near] = side_totals(extract_lines(tmp_path, summary(carried="8.41")), "expenditure")
    assert near.passed and near.tolerance == Decimal("0.015")  # off by 0.01
    [off] = side_totals(extract_lines(tmp_path, summary(carried="8.42")), "expenditure")
    assert not off.passed  # off by 0.02


def test_the_lines_breaking_a_carryover_down_by_source_are_not_added(tmp_path):
    ex = extract_lines(tmp_path, FISCAL)
    [income] = side_totals(ex, "income")
    assert income.passed and [t.amount for t in income.right.terms] == [Decimal("697.00"), Decimal("15.60")]
    [spent] = side_totals(ex, "expenditure")
    assert spent.passed and spent.right.amount == Decimal("712.60")


def test_a_line_of_unknown_meaning_after_the_year_total_leaves_the_side_unchecked(tmp_path):
    lines = summary()
    lines[-3] = "使用专用结余\t17\t\t其他调整\t47\t3.00"
    ex = extract_lines(tmp_path, lines)
    assert side_totals(ex, "expenditure") == []
    assert [c.passed for c in side_totals(ex, "income")] == [True]

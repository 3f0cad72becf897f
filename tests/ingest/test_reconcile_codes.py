"""Damaged code cells repaired from their parents and children — or left out with a warning, never invented."""

from table_helpers import parse_lines

from ingest.records import ECONOMIC, FUNCTIONAL

ROLES = ("gpb_expenditure", "basic_economic")

FUNCTIONAL_HEAD = [
    "2025年一般公共预算支出功能分类预算表",
    "单位：万元",
    "科目编码\t\t\t科目名称\t合计\t基本支出\t项目支出",
    "类\t款\t项\t\t\t\t",
]


def functional(row_11: str) -> list[str]:
    return FUNCTIONAL_HEAD + [
        "\t\t\t合计\t100.00\t60.00\t40.00",
        "210\t\t\t卫生健康支出\t100.00\t60.00\t40.00",
        row_11,
        "210\t11\t01\t行政单位医疗\t20.00\t20.00\t",
        "210\t11\t02\t事业单位医疗\t10.00\t10.00\t",
        "210\t15\t\t医疗保障管理事务\t70.00\t30.00\t40.00",
        "210\t15\t01\t行政运行\t30.00\t30.00\t",
        "210\t15\t06\t医疗保障经办事务\t40.00\t\t40.00",
    ]


def rules(ctx):
    return [f.rule for f in ctx.findings]


def test_a_damaged_class_cell_is_repaired_from_the_rows_around_it():
    ctx = parse_lines(functional("7\t11\t\t行政事业单位医疗\t30.00\t30.00\t"), ROLES)
    codes = [li.code for li in ctx.line_items if li.classification == FUNCTIONAL]
    assert codes == ["210", "21011", "2101101", "2101102", "21015", "2101501", "2101506"]
    assert ctx.units == []  # the damaged row is not a budget unit {code: "11"}
    repaired = [f for f in ctx.findings if f.rule == "reconcile.code_repaired"]
    assert len(repaired) == 1 and "21011" in repaired[0].message and repaired[0].provenance.line == 7


def test_a_damaged_cell_the_amounts_do_not_confirm_is_left_out():
    ctx = parse_lines(functional("7\t11\t\t行政事业单位医疗\t35.00\t35.00\t"), ROLES)  # 20 + 10 ≠ 35
    codes = [li.code for li in ctx.line_items]
    assert "21011" not in codes and "11" not in codes and ctx.units == []
    assert rules(ctx).count("reconcile.code_unrepairable") == 1
    assert "reconcile.code_repaired" not in rules(ctx)


def test_a_clean_table_needs_no_repair():
    ctx = parse_lines(functional("210\t11\t\t行政事业单位医疗\t30.00\t30.00\t"), ROLES)
    assert [li.code for li in ctx.line_items][:2] == ["210", "21011"]
    assert not [r for r in rules(ctx) if r.startswith("reconcile.")]


ECONOMIC_TABLE = [
    "2025年一般公共预算基本支出表",
    "单位：元",
    "部门预算支出经济分类科目\t\t\t本年基本支出",
    "科目编码\t\t科目名称\t合计",
    "类\t款\t\t",
    "\t\t合计\t602,000.00",
    "301\t\t工资福利支出\t500,000.00",
    "301\t01\t基本工资\t200,000.00",
    "301\t2\t津贴补贴\t180,000.00",
    "301\t07\t绩效工资\t120,000.00",
    "302\t\t商品和服务支出\t102,000.00",
    "302\t01\t办公费\t100,000.00",
    "302\t7\t邮电费\t2,000.00",
]


def test_an_economic_section_cell_that_lost_its_zero_is_not_read_as_its_class():
    """Among 款 cells printed with their zero (01, 07), a lone ``2`` is damaged: which digits it lost
    the amounts cannot tell (any 款 of 301 adds up), so it is left out, not read as 301 nor guessed."""
    ctx = parse_lines(ECONOMIC_TABLE, ROLES)
    got = [(li.code, li.name) for li in ctx.line_items if li.classification == ECONOMIC]
    assert got == [("301", "工资福利支出"), ("30101", "基本工资"), ("30107", "绩效工资"),
                   ("302", "商品和服务支出"), ("30201", "办公费")]
    assert rules(ctx).count("reconcile.code_unrepairable") == 2


def test_a_section_cell_whose_code_is_taken_is_left_out():
    table = [*ECONOMIC_TABLE[:9], "301\t1\t基本工资\t180,000.00", *ECONOMIC_TABLE[10:]]  # 30101 is listed already
    ctx = parse_lines(table, ROLES)
    codes = [li.code for li in ctx.line_items]
    assert codes.count("301") == 1 and codes.count("30101") == 1
    assert "reconcile.code_unrepairable" in rules(ctx)


def test_the_total_column_is_the_one_that_equals_basic_plus_project():
    table = [
        "2024年一般公共预算支出决算表",
        "单位：万元",
        "科目编码\t科目名称\t总计\t年末结转和结余\t合计\t基本支出\t项目支出",
        "\t合计\t1,200.00\t200.00\t1,000.00\t400.00\t600.00",
        "208\t社会保障和就业支出\t500.00\t100.00\t400.00\t400.00\t",
        "210\t卫生健康支出\t700.00\t100.00\t600.00\t\t600.00",
    ]
    ctx = parse_lines(table, ROLES)
    assert [(li.code, li.total) for li in ctx.line_items] == [("208", 400), ("210", 600)]
    (note,) = [f for f in ctx.findings if f.rule == "reconcile.total_column"]
    assert "合计取自第 4 栏（合计）" in note.message and "而非第 2 栏（总计）" in note.message


def test_a_damaged_class_cell_under_a_header_without_levels_is_repaired_too():
    head = ["2025年一般公共预算支出功能分类预算表", "单位：万元", "科目编码\t\t\t科目名称\t合计\t基本支出\t项目支出"]
    ctx = parse_lines(head + functional("7\t11\t\t行政事业单位医疗\t30.00\t30.00\t")[4:], ROLES)
    assert "21011" in [li.code for li in ctx.line_items] and ctx.units == []
    assert rules(ctx).count("reconcile.code_repaired") == 1


def test_a_unit_row_is_no_damaged_code():
    table = [
        "2025年部门支出总表",
        "单位：万元",
        "编码\t名称\t合计\t基本支出\t项目支出",
        "\t合计\t30.00\t30.00\t",
        "26\t武汉市某区医疗保障局\t30.00\t30.00\t",
        "26001\t武汉市某区医疗保障局本级\t30.00\t30.00\t",
        "2101101\t行政单位医疗\t30.00\t30.00\t",
    ]
    ctx = parse_lines(table, ("expenditure",))
    assert "26" in [u.code for u in ctx.units] and "260" not in [li.code for li in ctx.line_items]
    assert not [r for r in rules(ctx) if r.startswith("reconcile.")]


def test_a_damaged_class_row_takes_the_class_its_sections_share():
    rows = functional("210\t11\t\t行政事业单位医疗\t30.00\t30.00\t")
    rows[5] = "7\t\t\t卫生健康支出\t100.00\t60.00\t40.00"  # the 类 row itself
    ctx = parse_lines(rows, ROLES)
    assert [li.code for li in ctx.line_items][:2] == ["210", "21011"]
    (fix,) = [f for f in ctx.findings if f.rule == "reconcile.code_repaired"]
    assert "读作 210" in fix.message


SPARSE_FUNCTIONAL = [
    "2024年一般公共预算支出表",
    "单位：万元",
    "科目编码\t\t\t科目名称\t合计\t基本支出\t项目支出",
    "类\t款\t项\t\t\t\t",
    "合计\t\t\t\t100.00\t60.00\t40.00",
    "208\t\t\t社会保障和就业支出\t60.00\t60.00\t",
    "\t05\t\t行政事业单位养老支出\t60.00\t60.00\t",
    "\t\t01\t行政单位离退休\t20.00\t20.00\t",
    "\t\t05\t机关事业单位基本养老保险缴费支出\t40.00\t40.00\t",
    "210\t\t\t卫生健康支出\t40.00\t\t40.00",
    "\t15\t\t医疗保障管理事务\t40.00\t\t40.00",
    "\t\t06\t医疗保障经办事务\t40.00\t\t40.00",
]


def test_parts_printed_only_in_their_own_column_take_the_code_of_the_rows_above():
    ctx = parse_lines(SPARSE_FUNCTIONAL, ROLES)
    got = [(li.code, li.name) for li in ctx.line_items]
    assert got == [("208", "社会保障和就业支出"), ("20805", "行政事业单位养老支出"), ("2080501", "行政单位离退休"),
                   ("2080505", "机关事业单位基本养老保险缴费支出"), ("210", "卫生健康支出"),
                   ("21015", "医疗保障管理事务"), ("2101506", "医疗保障经办事务")]
    assert ctx.units == [] and not [r for r in rules(ctx) if r.startswith("reconcile.")]


def test_parts_under_a_damaged_class_row_are_not_put_under_the_class_before_it():
    rows = list(SPARSE_FUNCTIONAL)
    rows[9] = "7\t\t\t卫生健康支出\t40.00\t\t40.00"  # 210 printed as 7: nothing tells its 类
    ctx = parse_lines(rows, ROLES)
    codes = [li.code for li in ctx.line_items]
    assert codes == ["208", "20805", "2080501", "2080505"] and ctx.units == []  # no 20815 invented
    assert rules(ctx).count("reconcile.code_unrepairable") == 3


def test_economic_sections_printed_alone_without_their_leading_zero():
    table = [*ECONOMIC_TABLE[:6],
             "301\t\t工资福利支出\t500,000.00", "\t1\t基本工资\t200,000.00", "\t2\t津贴补贴\t180,000.00",
             "\t7\t绩效工资\t120,000.00", "302\t\t商品和服务支出\t102,000.00", "\t1\t办公费\t100,000.00",
             "\t11\t差旅费\t2,000.00"]
    ctx = parse_lines(table, ROLES)
    got = [(li.code, li.name, li.total) for li in ctx.line_items if li.classification == ECONOMIC]
    assert [c for c, _, _ in got] == ["301", "30101", "30102", "30107", "302", "30201", "30211"]
    assert got[1][2] == 20
    padded = [f for f in ctx.findings if f.rule == "reconcile.code_repaired"]
    assert len(padded) == 4 and "缺了前导零" in padded[0].message  # 1, 2, 7, 1 (not 11)


def test_a_part_whose_name_sounds_like_an_organisation_is_a_line_not_a_unit():
    table = [
        "2025年一般公共预算支出功能分类预算表",
        "单位：元",
        "科目编码\t\t\t科目名称\t小计\t项目支出\t基本经费",
        "类\t款\t项\t\t\t\t",
        "合计\t\t\t\t300.00\t100.00\t200.00",
        "207\t\t\t文化旅游体育与传媒支出\t300.00\t100.00\t200.00",
        "\t01\t\t文化和旅游\t300.00\t100.00\t200.00",
        "\t\t04\t图书馆\t200.00\t\t200.00",
        "\t\t09\t文化活动\t100.00\t100.00\t",
    ]
    ctx = parse_lines(table, ROLES)
    assert [li.code for li in ctx.line_items] == ["207", "20701", "2070104", "2070109"]
    assert ctx.units == [] and ctx.findings == []


def test_a_damaged_class_code_printed_with_its_name_in_one_cell():
    table = [
        "2026年部门支出总表",
        "单位：万元",
        "功能分类科目\t本年支出合计\t项目支出\t基本支出",
        "合计\t100.00\t40.00\t60.00",
        "7 卫生健康支出\t100.00\t40.00\t60.00",
        "21011 行政事业单位医疗\t60.00\t\t60.00",
        "21015 医疗保障管理事务\t40.00\t40.00\t",
    ]
    ctx = parse_lines(table, ("expenditure",))
    assert [(li.code, li.name) for li in ctx.line_items] == [
        ("210", "卫生健康支出"), ("21011", "行政事业单位医疗"), ("21015", "医疗保障管理事务")]
    (fix,) = [f for f in ctx.findings if f.rule == "reconcile.code_repaired"]
    assert "编码单元格“7”读作 210" in fix.message and fix.provenance.line == 5


def test_a_short_item_cell_among_full_codes_is_damaged_not_a_part():
    table = [*FUNCTIONAL_HEAD,
             "合计\t\t\t\t30.00\t30.00\t",
             "205\t\t\t教育支出\t30.00\t30.00\t",
             "\t20501\t\t教育管理事务\t30.00\t30.00\t",
             "\t\t2050101\t行政运行\t10.00\t10.00\t",
             "\t\t7\t一般行政管理事务\t20.00\t20.00\t"]  # 2050102: its digits are lost, not its zero
    ctx = parse_lines(table, ROLES)
    assert [li.code for li in ctx.line_items] == ["205", "20501", "2050101"]
    assert rules(ctx).count("reconcile.code_unrepairable") == 1


def test_a_part_that_lost_its_zero_does_not_take_the_code_of_a_row_below():
    table = [*FUNCTIONAL_HEAD,
             "合计\t\t\t\t30.00\t30.00\t",
             "204\t\t\t公共安全支出\t30.00\t30.00\t",
             "\t06\t\t司法\t30.00\t30.00\t",
             "\t\t01\t行政运行\t10.00\t10.00\t",
             "\t\t7\t一般行政管理事务\t5.00\t5.00\t",  # 2040602 damaged: '7' is not 07, which follows
             "\t\t07\t公共法律服务\t15.00\t15.00\t"]
    ctx = parse_lines(table, ROLES)
    assert [(li.code, li.name) for li in ctx.line_items] == [
        ("204", "公共安全支出"), ("20406", "司法"), ("2040601", "行政运行"), ("2040607", "公共法律服务")]
    assert rules(ctx).count("reconcile.code_unrepairable") == 1

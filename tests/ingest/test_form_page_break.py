"""A performance form that runs over a page break (text export): the rows after the page number, the running
header and (maybe) 续表 with the indicator header again are the same form's indicator rows."""

from table_helpers import parse_lines

from ingest.records import ANNUAL

FORM_1 = [
    "项目支出绩效目标表（1）",
    "（2025年度）",
    "项目名称\t基本公共卫生服务项目区级配套资金\t项目编码\t36072125T000000412",
    "主管部门\t某县卫生健康委员会\t实施单位\t某县疾病预防控制中心",
    "项目资金（万元）\t年度资金总额\t286.40\t",
    "\t其中：财政拨款\t286.40\t",
    "年度目标\t完成辖区居民健康档案管理和重点人群随访服务，服务质量稳步提高。\t\t",
    "一级指标\t二级指标\t三级指标\t指标值",
    "产出指标\t数量指标\t居民电子健康档案建档人数\t≥41,000人",
    "\t质量指标\t高血压患者规范管理率\t≥62%",
    "",
    "— 7 —",
    "",
    "某县卫生健康委员会2025年部门预算",
    "",
]
AFTER_BREAK = [
    "\t时效指标\t随访服务完成时限\t≤12月",
    "效益指标\t社会效益指标\t居民健康素养水平\t逐步提高",
    "满意度指标\t服务对象满意度指标\t签约居民满意度\t≥90%",
]
WANT = [
    ("产出指标", "数量指标", "居民电子健康档案建档人数", "≥41,000人"),
    ("产出指标", "质量指标", "高血压患者规范管理率", "≥62%"),
    ("产出指标", "时效指标", "随访服务完成时限", "≤12月"),
    ("效益指标", "社会效益指标", "居民健康素养水平", "逐步提高"),
    ("满意度指标", "服务对象满意度指标", "签约居民满意度", "≥90%"),
]


def _indicators(texts: list[str]) -> list[tuple]:
    ctx = parse_lines(texts, ("project_form",))
    (p,) = [m.project for m in ctx.mentions]
    assert p.name == "基本公共卫生服务项目区级配套资金"
    assert {i.goal for i in p.indicators} == {ANNUAL}
    return [(i.level1, i.level2, i.level3, i.value_raw) for i in p.indicators]


def test_indicator_rows_after_a_bare_page_break_are_the_forms():
    assert _indicators(FORM_1 + AFTER_BREAK) == WANT


def test_indicator_rows_after_a_page_break_with_xubiao_and_the_header_again():
    continued = ["续表", "", "（2025年度）", "", "一级指标\t二级指标\t三级指标\t指标值"]
    assert _indicators(FORM_1 + continued + AFTER_BREAK) == WANT


def test_text_and_wider_rows_after_the_last_form_are_not_its_indicators():
    """Narrative after a page break ends the form; so do rows wider than the form's indicator columns."""
    narrative = ["本部门无政府性基金预算支出，以空表列示。", "效益指标\t社会效益指标\t随访覆盖面\t扩大"]
    assert _indicators(FORM_1 + narrative) == WANT[:2]
    wider = ["项目名称\t资金来源\t一级指标\t二级指标\t三级指标\t指标值",
             "家庭医生签约服务\t财政拨款\t效益指标\t社会效益指标\t签约覆盖面\t扩大"]
    assert _indicators(FORM_1 + wider) == WANT[:2]


def test_a_form_title_repeated_with_xu_after_a_page_break_continues_the_form():
    """``项目支出绩效目标表（1）（续）`` (or ``…续表``) over the indicator header again: the same form, not a new one."""
    for mark in ("（续）", "续表"):
        continued = [f"项目支出绩效目标表（1）{mark}", "一级指标\t二级指标\t三级指标\t指标值"]
        assert _indicators(FORM_1 + continued + AFTER_BREAK) == WANT, mark


def test_the_next_form_under_the_same_title_is_a_form_of_its_own():
    """Every project's form prints one title: repeated without 续 it opens the next project's form."""
    second = ["项目支出绩效目标表（1）", "项目名称\t家庭医生签约服务项目\t项目编码\t36072125T000000413",
              "一级指标\t二级指标\t三级指标\t指标值", "产出指标\t数量指标\t签约人数\t≥8,000人"]
    ctx = parse_lines(FORM_1 + second, ("project_form",))
    assert [m.project.name for m in ctx.mentions] == ["基本公共卫生服务项目区级配套资金", "家庭医生签约服务项目"]

"""Project forms: 部门项目申报表(含绩效目标) / 项目支出绩效目标表（一项一表）."""

from decimal import Decimal

import pytest
from helpers import FIXTURES, SEEDS
from table_helpers import block_of, empty_ctx, seed_ctx

from ingest.context import Context
from ingest.normalise import norm_text
from ingest.reader_text import read_text
from ingest.records import ANNUAL, LONG_TERM
from ingest.sections import split_blocks
from ingest.citations import repair_titles
from ingest.tables.forms import parse_project_form
from ingest.tables.indicators import IndicatorTable

D = Decimal


def forms(stem):
    return {m.project.name: m.project for m in seed_ctx(stem, ("project_form",)).mentions}


def test_2023_form_fields():
    p = forms(SEEDS[0])["医疗保障基金核查经办事务"]
    assert p.code == "42011222026T000000105"
    assert (p.executing_unit, p.attribute, p.category) == ("东西湖区医疗保障基金核查中心", "延续性项目", "特定目标类项目")
    assert (p.start_year, p.end_year) == (2023, 2023)  # printed '2023年'
    assert (p.form_total_budget, p.form_current_year_budget) == (Decimal(80), Decimal(80))
    assert [(f.source, f.amount) for f in p.funding] == [("一般公共预算财政拨款", Decimal(130))]
    assert [(a.name, a.amount) for a in p.activities] == [
        ("医疗费用审核稽查经费", Decimal(75)), ("培训费用", Decimal(2)), ("其他费用", Decimal(3))]
    assert [(r.table, r.item, r.quantity, r.amount) for r in p.procurement] == [
        ("form", "第三方机构稽核检查服务", "1", Decimal(75))]
    assert [g for g, _ in p.goals] == [LONG_TERM, ANNUAL]


def test_code_broken_by_a_space_is_joined():
    assert forms(SEEDS[0])["医疗救助款"].code == "42011222026T000000100"


def test_long_texts_are_normalised():
    p = forms(SEEDS[0])["1-6级伤残军人医疗经费"]
    assert p.implementation_text == "全区1-6级伤残军人医疗费用支出"
    assert "东劳社[2005]15号文件规定，保障1-6级伤残军人" in p.legal_basis_text
    assert norm_text("<p>编号 HBT-1 成交</p>  a  b") == "编号HBT-1成交a b"


def test_wrapped_activity_cells_are_joined():
    p = forms(SEEDS[0])["医保服务中心工作经费"]
    assert p.activities[1].description == "医保结算网络建设、续租、计算机等设备维护经费"


def test_citations_by_field_including_misnested_titles():
    cites = {(c.key, c.field) for c in forms(SEEDS[0])["医疗救助款"].citations}
    assert ("武民政规〔2018〕2号", "legal_basis") in cites
    assert ("鄂医保发〔2019〕35号", "activity_calc") in cites
    assert ("省委办公厅省政府办公厅印发〈关于进一步完善保障农村贫困人口基本医疗的若干措施〉", "activity_calc") in cites
    assert ("省医疗保障局关于落实〈关于进一步完善保障农村贫困人口基本医疗的若干措施〉的指导意见", "activity_calc") in cites
    p = forms(SEEDS[1])["统筹和组织实施医疗救助工作经费"]
    assert {c.field for c in p.citations if c.key == "武政规〔2016〕32号"} == {"implementation", "performance_goal"}


def test_repair_titles_closes_unclosed_and_wrongly_closed_titles():
    text = "根据《甲办印发〈乙措施〉（鄂办发[2019]18号）和《丙关于落实〈乙措施》的意见》（鄂医保发[2019]35号）"
    assert repair_titles(text) == "根据《甲办印发〈乙措施〉》（鄂办发[2019]18号）和《丙关于落实〈乙措施〉的意见》（鄂医保发[2019]35号）"
    assert repair_titles("《甲》和《乙〈丙〉》") == "《甲》和《乙〈丙〉》"


@pytest.mark.parametrize("stem", SEEDS)
def test_every_form_has_both_indicator_tables(stem):
    for p in forms(stem).values():
        goals = {i.goal for i in p.indicators}
        assert goals == {LONG_TERM, ANNUAL}, p.name


def test_2026_form_without_code_and_with_unit_line():
    p = forms(SEEDS[1])["购买医保经办服务经费"]
    assert p.code is None and p.unit == "江岸区医疗保障局本级"
    assert [(r.item, r.quantity, r.amount) for r in p.procurement] == [("医保经办服务", "1年", Decimal("324.08"))]


def test_annual_value_is_the_current_year_and_wrapped_level3_is_joined():
    p = forms(SEEDS[0])["1-6级伤残军人医疗经费"]
    annual = [i for i in p.indicators if i.goal == ANNUAL]
    assert annual[0].level3 == "1-6级伤残军人医疗费用应报尽报"  # '…应' + next line '报尽报'
    p = forms(SEEDS[0])["医保服务中心工作经费"]
    first = next(i for i in p.indicators if i.goal == ANNUAL and i.level3 == "宣传材料发放份数")
    assert first.value_raw == ">21万份"  # 前年/上年 >15万份, 预计当年实现 >21万份


def test_shifted_indicator_cells_are_rebuilt_by_meaning():
    t = IndicatorTable(annual=False)
    rows = [
        "长期绩效目标\t成本指标\t经济成本指标\t第三方服务\t不超过合同金额\t行业标准",
        "\t\t\t数量指标\t抽查覆盖率\t≥30%",          # shifted right, basis missing
        "\t培训次数\t≥4次/年\t\t计划数据",              # shifted left, labels carried
        "效益指标\t经济效益指标\t服务能力\t\t有效提升\t计划数据",
        "\t满意度指标\t服务对象满意度指标\t服务对象满意度指标\t≥90\t历史数据",  # 三级 ends with 指标
    ]
    for r in rows:
        t.feed(r.split("\t"), skip=("长期绩效目标",))
    got = [(i.level1, i.level2, i.level3, i.value_raw, i.basis) for i in t.indicators(LONG_TERM)]
    assert got == [
        ("成本指标", "经济成本指标", "第三方服务", "不超过合同金额", "行业标准"),
        ("产出指标", "数量指标", "抽查覆盖率", "≥30%", None),  # 一级 implied by 数量指标
        ("产出指标", "数量指标", "培训次数", "≥4次/年", "计划数据"),
        ("效益指标", "经济效益指标", "服务能力", "有效提升", "计划数据"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度指标", "≥90", "历史数据"),
    ]
    assert t.indicators(LONG_TERM)[1].comparator == "≥"


def test_cost_indicators_of_both_frameworks():
    """成本指标 is a 一级指标 with 二级 labels of its own (2021 framework), or a 二级指标 of 产出指标 followed
    directly by its 三级指标 (earlier forms: putuo_wanli_2023 p31)."""
    t = IndicatorTable(annual=False)
    for r in ["产出指标\t数量指标\t规划建筑面积\t≥13459.00(平方米)", "\t质量指标\t完工及时率\t及时率",
              "\t成本指标\t预算内经费\t合规", "效益指标\t社会效益指标\t完善社区基础设施建设\t完善率",
              "成本指标\t经济成本指标\t宣传材料印刷\t不超过合同金额", "\t成本指标\t印刷单价\t≤1元"]:
        t.feed(r.split("\t"))
    got = [(i.level1, i.level2, i.level3) for i in t.indicators(LONG_TERM)]
    assert got == [("产出指标", "数量指标", "规划建筑面积"), ("产出指标", "质量指标", "完工及时率"),
                   ("产出指标", "成本指标", "预算内经费"), ("效益指标", "社会效益指标", "完善社区基础设施建设"),
                   ("成本指标", "经济成本指标", "宣传材料印刷"), ("成本指标", None, "印刷单价")]


def test_values_on_the_line_below_and_header_words_inside_rows():
    t = IndicatorTable(annual=True)
    for r in ["\t成本指标\t经济成本指标\t租房单价标准\t近两年指标值\t\t预期当年实现值",
              "\t\t\t\t前年\t上年", "\t\t\t\t/\t/\t\t60.82 元/平方米",
              "\t\t\t\t\t\t社会效益指标\t保障日常办公业务需求\t/\t/"]:
        t.feed(r.split("\t"))
    got = [(i.level1, i.level2, i.level3, i.value_raw) for i in t.indicators(ANNUAL)]
    assert got == [("成本指标", "经济成本指标", "租房单价标准", "60.82元/平方米"),
                   ("效益指标", "社会效益指标", "保障日常办公业务需求", None)]


def test_hand_written_form():
    rows = ["单位：万元",
            "项目名称\t网络运维经费\t项目编码\t4201 \tT0009",
            "项目执行单位\t信息中心\t项目属性\t新增项目",
            "起始年度\t2025年\t终止年度\t2027年",
            "项目立项依据\t根据《某某办法》（某发〔2020〕3 号）执行。",
            "项目总预算\t30 万元\t项目当年预算\t10 万元",
            "项目资金来源\t来源项目\t金额", "\t合计\t10", "\t1. 一般公共预算财政拨款\t10",
            "\t其中：申请当年预算拨款\t10", "\t单位资金\t",
            "长期绩效目标表",
            "目标名称\t一级指标\t二级指标\t三级指标\t指标值\t指标值确定依据",
            "长期绩效目标\t产出指标\t时效指标\t故障响应\t≤2小时\t行业标准"]
    ctx = empty_ctx()
    parse_project_form(block_of("部门项目申报表(含绩效目标)", rows), ctx)
    (m,) = ctx.mentions
    p = m.project
    assert (m.source, p.name, p.code, p.executing_unit) == ("form", "网络运维经费", "4201T0009", "信息中心")
    assert (p.start_year, p.end_year, p.form_total_budget, p.amount) == (2025, 2027, Decimal(30), Decimal(10))
    assert [(f.source, f.amount) for f in p.funding] == [("一般公共预算财政拨款", Decimal(10))]
    assert {c.key for c in p.citations} == {"某某办法", "某发〔2020〕3号"}
    assert [(i.level3, i.value_raw, i.comparator) for i in p.indicators] == [("故障响应", "≤2小时", "≤")]




def fixture_forms(stem):
    path = FIXTURES / "docs" / f"{stem}.txt"
    if not path.exists():
        pytest.skip("fixture document not available")
    lines = read_text(path)
    ctx = Context(doc_id=stem, path=path, blocks=split_blocks(lines), lines=lines)
    for block in ctx.blocks:
        if block.role == "project_form":
            parse_project_form(block, ctx)
    return {m.project.name: m.project for m in ctx.mentions}


def test_final_account_self_evaluation_form():
    p = fixture_forms("100_hanyang_civil_2024_final")["城市最低生活保障金"]
    assert p.executing_unit == "区民政局社会救助科"
    assert [(f.source, f.amount) for f in p.funding] == [("当年财政拨款", D("842.40")), ("上年结转资金", D("20.00"))]
    first = p.indicators[0]
    assert (first.goal, first.level3, first.value_raw, first.actual, first.score) == (
        ANNUAL, "城市低保保障对象人数", "≥1800人", "1856人", D(15))
    assert all(i.level3 != "总分" for i in p.indicators)


def test_form_with_bare_indicator_table_and_period():
    forms_ = fixture_forms("101_qiaokou_edu_2025_budget")
    p = forms_["中小学校园安全防护项目"]
    assert (p.code, p.start_year, p.end_year, p.category) == ("42010425160T000000301", 2025, 2025, "特定目标类")
    assert [(f.source, f.amount) for f in p.funding] == [("财政拨款", D("186.00"))]  # 其中 under 资金总额; 0.00 left out
    assert [(a.name, a.economic_class, a.amount) for a in p.activities] == [
        ("购买校园安保服务", "物业管理费", D("150.00")), ("校园技防设施维护", "维修（护）费", D("36.00"))]
    assert [g for g, _ in p.goals] == [ANNUAL]
    assert [(i.goal, i.level3, i.value_raw, i.basis) for i in p.indicators][:2] == [
        (ANNUAL, "配备专职保安学校数", "32所", "计划标准"), (ANNUAL, "技防设施维护点位数", "≥480个", "历史标准")]


def hand_form(rows: list[str], title: str):
    """The one project a hand-written form (tab-separated rows under ``title``) gives."""
    ctx = empty_ctx()
    parse_project_form(block_of(title, rows), ctx)
    (p,) = [m.project for m in ctx.mentions]
    return p


def test_goal_label_with_its_text_beside_it_does_not_swallow_the_indicator_header():
    """``年度目标 | text`` on one row, then the 一级/二级/三级指标 header: the goal is that text and the rows
    under the header are the year's indicators."""
    rows = ["项目名称\t城乡医疗救助资金43020324T000000201\t\t",
            "项目资金（万元）\t年度资金总额\t620.00\t",
            "年度目标\t困难群众参保资助应助尽助，政策范围内住院费用救助比例不低于70%。\t\t",
            "一级指标\t二级指标\t三级指标\t指标值",
            "产出指标\t数量指标\t参保资助人数\t≥6,800人",
            "效益指标\t社会效益指标\t因病致贫返贫风险\t有效防范",
            "满意度指标\t服务对象满意度指标\t救助对象满意度\t≥92%"]
    p = hand_form(rows, "项目支出绩效目标表（1）")
    assert (p.name, p.code) == ("城乡医疗救助资金", "43020324T000000201")
    assert p.goals == ((ANNUAL, "困难群众参保资助应助尽助，政策范围内住院费用救助比例不低于70%。"),)
    assert [(i.goal, i.level1, i.level2, i.level3, i.value_raw) for i in p.indicators] == [
        (ANNUAL, "产出指标", "数量指标", "参保资助人数", "≥6,800人"),
        (ANNUAL, "效益指标", "社会效益指标", "因病致贫返贫风险", "有效防范"),
        (ANNUAL, "满意度指标", "服务对象满意度指标", "救助对象满意度", "≥92%")]


def test_value_printed_in_parts_under_a_header_that_names_them():
    """一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重: the value is 性质 + 值 + 单位, never the 权重;
    a 定性 value stays its text; a row whose trailing empty cells were left out still lines up."""
    rows = ["项目名称\t家庭医生签约服务补助\t\t\t\t\t",
            "年度绩效目标\t重点人群签约服务覆盖率稳步提升。\t\t\t\t\t",
            "一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t权重（%）",
            "产出指标\t数量指标\t重点人群签约人数\t≥\t5.6\t万人\t30",
            "\t质量指标\t签约居民续约率\t≥\t85\t%\t30",
            "效益指标\t社会效益指标\t签约服务覆盖面\t定性\t逐步扩大",
            "满意度指标\t服务对象满意度指标\t签约居民满意度\t≥\t90\t%\t10"]
    p = hand_form(rows, "项目支出绩效目标表")
    assert [(i.level1, i.level2, i.level3, i.value_raw, i.comparator, i.number, i.unit) for i in p.indicators] == [
        ("产出指标", "数量指标", "重点人群签约人数", "≥5.6万人", "≥", D("5.6"), "万人"),
        ("产出指标", "质量指标", "签约居民续约率", "≥85%", "≥", D("85"), "%"),
        ("效益指标", "社会效益指标", "签约服务覆盖面", "逐步扩大", None, None, None),
        ("满意度指标", "服务对象满意度指标", "签约居民满意度", "≥90%", "≥", D("90"), "%")]


def test_a_label_no_field_takes_ends_the_value_before_it():
    """项目名称 | X | 预算单位 | Y and 项目类别 | Z | 资金用途 | W: X and Z stand alone."""
    rows = ["项目名称\t农村人居环境整治经费\t预算单位\t某区农业农村局",
            "项目编码\t36078226T000000103\t项目负责人\t张某",
            "项目类别\t特定目标类\t资金用途\t专项业务费",
            "项目资金（万元）\t年度资金总额\t350.00\t",
            "一级指标\t二级指标\t三级指标\t指标值",
            "产出指标\t数量指标\t整治村庄数\t≥20个"]
    p = hand_form(rows, "项目支出绩效目标表")
    assert (p.name, p.code, p.category, p.amount) == (
        "农村人居环境整治经费", "36078226T000000103", "特定目标类", D("350.00"))


def test_labels_printed_with_a_colon_on_lines_of_their_own():
    """``项目名称：X  项目编码：Y`` and ``立项依据：…`` as plain lines (no cells), after the funding block."""
    rows = ["项目资金（万元）\t年度资金总额\t620.00\t",
            "项目名称：城乡医疗救助资金  项目编码：43020324T000000201",
            "立项依据：依据《湖南省医疗救助办法》（湘政发〔2022〕5号）执行。",
            "一级指标\t二级指标\t三级指标\t指标值",
            "产出指标\t数量指标\t参保资助人数\t≥6,800人"]
    p = hand_form(rows, "项目支出绩效目标表")
    assert (p.name, p.code, p.amount) == ("城乡医疗救助资金", "43020324T000000201", D("620.00"))
    assert [c.key for c in p.citations] == ["湖南省医疗救助办法", "湘政发〔2022〕5号"]
    assert [(i.level3, i.value_raw) for i in p.indicators] == [("参保资助人数", "≥6,800人")]


# 自评表（一） and （二） of tests/fixtures/audit/xinzhou_cdc_2024_unit_final.txt (a 2024 单位决算)
SELF_EVAL_HEAD = [
    "（2024年度）",
    "项目名称\t{name}\t\t\t\t\t\t",
    "主管部门\t武汉市新洲区卫生健康局\t\t\t实施单位\t武汉市新洲区疾病预防控制中心\t\t",
    "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
]
SELF_EVAL_ONE = [row.format(name="重大传染病防控经费") for row in SELF_EVAL_HEAD] + [
    "\t年度资金总额\t92.00\t116.50\t116.50\t10\t100.00%\t10.00",
    "\t其中：当年财政拨款\t92.00\t86.50\t86.50\t—\t—\t—",
    "\t上年结转资金\t\t\t\t—\t—\t—",
    "\t其他资金\t\t30.00\t30.00\t—\t—\t—",
    "年度总体目标\t预期目标\t\t\t实际完成情况\t\t\t",
    "\t完成艾滋病、结核病等重大传染病监测和防控任务，重点人群筛查覆盖率达标。\t\t\t"
    "全年完成重点人群艾滋病筛查 3.2 万人次、结核病密接筛查 1860 人，各项指标均达标。\t\t\t",
    "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分",
    "\t产出指标\t数量指标\t重点人群艾滋病筛查人次\t≥3万人次\t3.2万人次\t20\t20",
    "\t产出指标\t质量指标\t传染病报告及时率\t≥98%\t99.1%\t20\t20",
    "\t效益指标\t社会效益指标\t重大传染病疫情发生数\t0起\t0起\t30\t30",
    "\t满意度指标\t服务对象满意度指标\t服务对象满意度\t≥90%\t94%\t20\t19",
    "总分\t\t\t\t\t\t100\t99.00",
    "填报人：赵琳　联系电话：89351218",
]
SELF_EVAL_TWO = [row.format(name="免疫规划和预防接种服务经费") for row in SELF_EVAL_HEAD] + [
    "\t年度资金总额\t52.00\t64.20\t64.20\t10\t100.00%\t10.00",
    "\t其中：当年财政拨款\t36.40\t48.60\t48.60\t—\t—\t—",
    "\t上年结转资金\t15.60\t15.60\t15.60\t—\t—\t—",
    "\t其他资金\t\t\t\t—\t—\t—",
    "年度总体目标\t预期目标\t\t\t实际完成情况\t\t\t",
    "\t保障国家免疫规划疫苗接种工作，适龄儿童免疫规划疫苗接种率保持在较高水平。\t\t\t"
    "全年适龄儿童免疫规划疫苗接种率 98.6%，未发生严重疑似预防接种异常反应处置不当事件。\t\t\t",
    "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分",
    "\t产出指标\t数量指标\t适龄儿童免疫规划疫苗接种率\t≥95%\t98.6%\t25\t25",
    "总分\t\t\t\t\t\t100\t99.00",
]
GOAL_ONE = "完成艾滋病、结核病等重大传染病监测和防控任务，重点人群筛查覆盖率达标。"


def self_eval(rows: list[str], title: str = "项目支出绩效自评表（一）"):
    """The form read: its project record and the findings."""
    ctx = empty_ctx()
    parse_project_form(block_of(title, rows), ctx)
    (mention,) = ctx.mentions
    return mention.project, ctx.findings


def test_self_evaluation_funding_is_read_from_its_funding_rows_only():
    p, findings = self_eval(SELF_EVAL_ONE)
    assert [(f.source, f.amount, f.provenance.line) for f in p.funding] == [
        ("当年财政拨款", D("86.50"), 7), ("其他资金", D("30.00"), 9)]  # not 3.2 from "3.2 万人次"
    assert p.amount == D("116.50")
    assert p.goals == ((ANNUAL, GOAL_ONE),)  # the goal set, not the heads 预期目标 / 实际完成情况
    assert [i.level3 for i in p.indicators][:1] == ["重点人群艾滋病筛查人次"] and len(p.indicators) == 4
    assert findings == []


def test_the_achievement_text_under_the_executed_column_is_not_a_bad_amount():
    p, findings = self_eval(SELF_EVAL_TWO, "项目支出绩效自评表（二）")
    assert [(f.source, f.amount) for f in p.funding] == [("当年财政拨款", D("48.60")), ("上年结转资金", D("15.60"))]
    assert p.goals == ((ANNUAL, "保障国家免疫规划疫苗接种工作，适龄儿童免疫规划疫苗接种率保持在较高水平。"),)
    assert findings == []


def _swap(row: str, a: int, b: int) -> str:
    cells = row.split("\t")
    cells[a], cells[b] = cells[b], cells[a]
    return "\t".join(cells)


def test_the_same_form_with_its_columns_in_another_order_gives_the_same_record():
    """全年执行数 before 年初预算数, 实际完成情况 before 预期目标."""
    rows = [_swap(r, 2, 4) if 3 <= k <= 7 else r for k, r in enumerate(SELF_EVAL_ONE)]
    rows[8] = "年度总体目标\t实际完成情况\t\t\t预期目标\t\t\t"
    rows[9] = ("\t全年完成重点人群艾滋病筛查 3.2 万人次、结核病密接筛查 1860 人，各项指标均达标。\t\t\t"
                f"{GOAL_ONE}\t\t\t")
    p, findings = self_eval(rows)
    assert [(f.source, f.amount) for f in p.funding] == [("当年财政拨款", D("86.50")), ("其他资金", D("30.00"))]
    assert p.amount == D("116.50") and p.goals == ((ANNUAL, GOAL_ONE),) and findings == []


def test_a_goal_text_in_the_funding_block_without_its_heads_is_no_funding_source():
    rows = [r for r in SELF_EVAL_ONE if not r.startswith("年度总体目标")]
    p, findings = self_eval(rows)
    assert [f.source for f in p.funding] == ["当年财政拨款", "其他资金"]
    assert findings == []


def test_a_count_in_a_funding_rows_amount_cell_is_a_bad_amount_not_money():
    rows = list(SELF_EVAL_ONE)
    rows[7] = "\t其他资金\t\t30.00\t3.2万人次\t—\t—\t—"
    p, findings = self_eval(rows)
    assert [f.source for f in p.funding] == ["当年财政拨款"]
    assert [(f.rule, f.values) for f in findings] == [("form.bad_amount", ("3.2万人次",))]

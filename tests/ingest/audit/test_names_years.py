"""Names and years (ingest/audit/names_years.py): the seeds' gold items, classification names and years on
documents written the way disclosures are (each rule on both sides of its boundary), and the shared PDFs."""

from __future__ import annotations

from functools import cache

import pytest


from ingest.pipeline import extract
from ingest.records import Extraction
from helpers import FIXTURE_DOCS, SHARED_PDFS, document_path, extracted, needs_pdfs, needs_shared

FUNCTIONAL_TABLE = [
    "科目编码\t科目名称\t合计\t基本支出\t项目支出",
    "合计\t\t150.00\t150.00\t",
    "208\t社会保障和就业支出\t100.00\t100.00\t",
    "20805\t行政事业单位养老支出\t100.00\t100.00\t",
    "2080505\t机关事业单位基本养老保险缴费支出\t60.00\t60.00\t",
    "2080599\t其他行政事业单位养老支出\t40.00\t40.00\t",
    "221\t住房保障支出\t50.00\t50.00\t",
    "22102\t住房改革支出\t50.00\t50.00\t",
    "2210201\t住房公积金\t50.00\t50.00\t",
]


TABLES_START = 32  # the line the ``tables`` lines start at, after one paragraph


def disclosure(tmp_path, *paragraphs: str, title: str = "武汉市某区民政局2025年部门预算", year: int = 2025,
               tables: tuple[str, ...] = ()) -> Extraction:
    """A disclosure titled ``title`` whose narrative is ``paragraphs`` (the first line of the file is line 1,
    the first paragraph line 5, the next line 7 …), then its 收支总表 and 一般公共预算支出表 of ``year``
    and the lines ``tables``."""
    lines = [f"# {title}", "", "## 一、预算情况说明", "", *[x for p in paragraphs for x in (p, "")],
             f"武汉市某区民政局 {year} 年部门收支总表（表 1）", "", "金额单位：万元", "",
             "收 入\t\t支 出\t", "项目\t预算数\t项目（按功能分类）\t预算数",
             "一、财政拨款收入\t150.00\t208 社会保障和就业支出\t100.00", "\t\t221 住房保障支出\t50.00",
             "本年收入合计\t150.00\t本年支出合计\t150.00", "收入总计\t150.00\t支出总计\t150.00", "",
             f"武汉市某区民政局 {year} 年一般公共预算支出表（表 5）", "", "金额单位：万元", "", *FUNCTIONAL_TABLE, "",
             *tables]
    path = tmp_path / "doc.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return extract(path)


def found(ex: Extraction, rule: str | None = None) -> list:
    return [f for f in ex.findings if f.rule.startswith("names_years.") and (rule is None or f.rule == rule)]


# --- the seeds' gold items -------------------------------------------------------------------------

@cache
def _seed_001() -> Extraction:
    return extracted(document_path("001_c082f6ab8c9dd51c"))


@needs_shared
def test_gold_001_centre_forms_give_prior_years_2023_2024_for_a_2026_budget():
    """Gold 001 [text]: 本级 forms (表15-1..15-6) and 表14-1 give prior years 2024/2025; 中心 forms
    (表15-7..15-14) and 表14-2 give 2023/2024 for a 2026 budget."""
    hits = found(_seed_001(), "names_years.prior_years")
    assert [(f.provenance.line, f.values) for f in hits] == [
        (417, ("2023", "2024")), (902, ("2023", "2024")), (966, ("2023", "2024")), (1023, ("2023", "2024")),
        (1078, ("2023", "2024")), (1133, ("2023", "2024")), (1193, ("2023", "2024")), (1248, ("2023", "2024")),
        (1308, ("2023", "2024"))]
    assert "表 14-2" in hits[0].provenance.table and "表 15-7" in hits[1].provenance.table
    assert "2026 年预算的前两年为 2024、2025 年" in hits[0].message


@needs_shared
def test_gold_001_long_term_goals_end_in_2031_and_2027():
    """Gold 001 [text]: 表14-1 长期目标 '截止 2031 年', 表14-2 '截止 2027 年'."""
    [hit] = found(_seed_001(), "names_years.goal_end_year")
    assert (hit.values[0], hit.provenance.line) == ("2027", 434)
    assert "长期目标（截止 2027 年）" in hit.values[1]
    assert "表 14-1" in hit.message and "截止 2031 年（第 334 行）" in hit.message


@needs_shared
def test_seed_000_names_its_prior_years_rightly():
    """000 (a 2023 budget) prints 近两年 2021 年 / 2022 年: the two years before it.  (Its 因公出国 line compared
    with 2021 is ``names_years.compared_year``, read with the growth statements: tests/ingest/audit/test_growth.py.)"""
    assert found(extracted(document_path("000_dc10eef729309141")), "names_years.prior_years") == []


# --- classification names ----------------------------------------------------------------------------

def test_paths_the_tables_list_are_not_findings(tmp_path):
    ex = disclosure(tmp_path, "1.社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）60.00万元。",
                    "2.社会保障和就业支出(类)行政事业单位养老支出(款)其它行政事业单位养老支出(项)40.00万元。",
                    "3.住房保障支出（类）住房改革支出（款）住房公积金（项）50.00万元。")
    assert found(ex) == []


def test_a_kuan_not_under_its_class(tmp_path):
    ex = disclosure(tmp_path, "1.住房保障支出（类）住房改革支出（款）住房公积金（项）50.00万元。",
                    "2.住房保障支出（类）住房保障支出（款）住房公积金（项）50.00万元。")
    [hit] = found(ex)
    assert (hit.rule, hit.values[0], hit.provenance.line) == ("names_years.item_name", "住房保障支出", 7)
    assert hit.message.endswith("所列为 住房改革支出")


def test_a_xiang_the_tables_do_not_list(tmp_path):
    """The tables list 2080599 其他行政事业单位养老支出 under 20805; a 项 neither they nor the code list know."""
    ex = disclosure(tmp_path, "社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位退休人员活动费支出（项）40.00万元。")
    [hit] = found(ex)
    assert (hit.rule, hit.values[0], hit.provenance.line) == ("names_years.item_name", "机关事业单位退休人员活动费支出", 5)


def test_class_under_its_former_name(tmp_path):
    ex = disclosure(tmp_path, "一般公共预算支出 150.00 万元，其中：医疗卫生与计划生育支出 0 万元。")
    [hit] = found(ex)
    assert (hit.rule, hit.values[0], hit.provenance.line) == ("names_years.former_class_name", "医疗卫生与计划生育支出", 5)
    assert "现行名称为“卫生健康支出”" in hit.message


# --- years ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "said", "wrong"), [
    ("武汉市某区民政局2025年部门预算", "截至 2024 年 12 月 31 日，部门共有车辆 1 辆。", False),
    ("武汉市某区民政局2025年部门预算", "截至 2025 年 12 月 31 日，部门共有车辆 1 辆。", True),
    ("武汉市某区民政局2025年部门预算", "截至 2023 年底，部门共有车辆 1 辆。", True),
    ("武汉市某区民政局2025年度部门决算", "截至 2025 年 12 月 31 日，部门共有车辆 1 辆。", False),
    ("武汉市某区民政局2025年度部门决算", "截至 2024 年 12 月 31 日，部门共有车辆 1 辆。", True),
    ("武汉市某区民政局2025年部门预算", "截至 2025 年 8 月 31 日，部门共有车辆 1 辆。", False),  # not a year end
    ("武汉市某区民政局2025年部门预算", "计划截至 2025 年底完成系统建设。", False),  # a target, not a holding
])
def test_cutoff_year(tmp_path, title, said, wrong):
    hits = found(disclosure(tmp_path, said, title=title), "names_years.cutoff_year")
    assert [f.provenance.line for f in hits] == ([5] if wrong else [])


def test_table_title_of_another_year(tmp_path):
    ex = disclosure(tmp_path, "部门收支预算情况见下表。", tables=(
        "武汉市某区民政局 2024 年部门预算“三公”经费支出表（表 8）", "", "金额单位：万元", "",
        "合计\t因公出国（境）费\t公务接待费\t公务用车购置及运行费", "1.00\t0\t1.00\t0", ""))
    [hit] = found(ex)
    assert (hit.rule, hit.values[0], hit.provenance.line) == ("names_years.title_year", "2024", TABLES_START)


def test_budget_title_looking_back_at_the_year_before(tmp_path):
    ex = disclosure(tmp_path, "上年项目绩效自评情况见下表。", tables=(
        "武汉市某区民政局 2024 年度项目支出绩效自评表", "", "项目名称\t自评得分", "信息化建设\t95", ""))
    assert found(ex, "names_years.title_year") == []


def test_a_name_a_line_cut_short(tmp_path):
    """``机关事业单位基本养老保险缴费`` (the cell's last characters lost) is still the table's 2080505."""
    ex = disclosure(tmp_path, "社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费（项）60.00万元。")
    assert found(ex) == []


def test_department_wording_in_a_unit_budget(tmp_path):
    ex = disclosure(tmp_path, "2025年单位预算仅反映局本级收支。", "纳入2025年部门预算编制范围的单位为局本级。",
                    title="武汉市某区民政局本级2025年单位预算")
    [hit] = found(ex)
    assert (hit.rule, hit.values[0], hit.provenance.line) == ("names_years.scope_wording", "2025年部门预算", 7)


UNITS = ("### （一）部门预算单位构成", "纳入2025年度部门预算编制范围的预算单位包括：", "1. 武汉市某区民政局本级",
         "2. 武汉市某区社会福利院")
NO_FUND = "2025年本单位无政府性基金预算支出安排。"


@pytest.mark.parametrize(("paragraphs", "line"), [
    ((*UNITS, NO_FUND), 13),  # the 部门's narrative: 本部门 is meant
    ((*UNITS, "### （二）武汉市某区社会福利院", NO_FUND), None),  # a unit's own section
    ((*UNITS, "### （二）其他", "武汉市某区社会福利院：" + NO_FUND), None),  # the paragraph names the unit
    ((*UNITS[:3], NO_FUND), None),  # a 部门 of one unit: it is that unit
])
def test_unit_pronoun_in_a_department_budget(tmp_path, paragraphs, line):
    hits = found(disclosure(tmp_path, *paragraphs), "names_years.scope_pronoun")
    assert [(f.provenance.line, f.values[0]) for f in hits] == ([(line, "本单位")] if line else [])


def test_department_pronoun_in_a_unit_budget(tmp_path):
    ex = disclosure(tmp_path, "本单位为行政单位。", "2025年本部门无政府性基金预算支出安排。",
                    title="武汉市某区民政局本级2025年单位预算")
    [hit] = found(ex, "names_years.scope_pronoun")
    assert (hit.provenance.line, hit.values[0]) == (7, "本部门")
    assert "应为“本单位”" in hit.message


@needs_shared
def test_seed_001_unit_pronoun_in_the_department_narrative():
    """Seed 001 (a 部门预算 of two units), 第三部分 五: ``2026 年本单位没有使用政府性基金预算安排的支出`` (line 1436),
    where section 九 of the same narrative says 本部门 (line 1456); not in the gold, judged true by hand."""
    hits = found(_seed_001(), "names_years.scope_pronoun")
    assert [(f.provenance.line, f.values[0]) for f in hits] == [(1436, "本单位")]


def test_seeded_a19_unit_pronoun():
    """Seeded A19: ``2025年本单位无政府性基金预算支出安排。`` (line 124) in the 2025 部门预算 of two units."""
    from helpers import FIXTURES
    ex = extracted(FIXTURES / "audit" / "caidian_data_2025_budget.seeded.txt")
    assert [(f.provenance.line, f.values[0]) for f in found(ex, "names_years.scope_pronoun")] == [(124, "本单位")]
    assert not found(extracted(FIXTURES / "audit" / "caidian_data_2025_budget.txt"), "names_years.scope_pronoun")


FORM = ["2025 年项目支出绩效目标表（一项一表）（表 15-1）", "", "项目名称\t信息化建设\t", "项目总预算\t50.00\t项目当年预算\t50.00",
        "项目前两年预算及当年预算变动情况\t年度\t预算数\t执行数\t执行率"]


@pytest.mark.parametrize(("years", "wrong"), [(("2023", "2024"), False), (("2022", "2023"), True),
                                              (("2024", "2025"), False)])
def test_prior_years_of_a_form(tmp_path, years, wrong):
    """A 2025 budget's 前两年 are 2023 and 2024 (its own year may be printed beside them)."""
    form = [*FORM, *(f"\t{y}\t10.00\t10.00\t100%" for y in years), ""]
    hits = found(disclosure(tmp_path, "项目情况见下表。", tables=tuple(form)), "names_years.prior_years")
    assert [(f.provenance.line, f.values) for f in hits] == ([(TABLES_START + 5, years)] if wrong else [])


def test_prior_years_of_a_final_account_are_not_judged(tmp_path):
    form = [*FORM, "\t2021\t10.00\t10.00\t100%", "\t2022\t10.00\t10.00\t100%", ""]
    ex = disclosure(tmp_path, "项目情况见下表。", title="武汉市某区民政局2025年度部门决算", tables=tuple(form))
    assert found(ex, "names_years.prior_years") == []


# --- consistent documents ----------------------------------------------------------------------------

def test_fixture_documents_raise_no_names_years_findings():
    for path in FIXTURE_DOCS:
        assert found(extract(path)) == [], path.name


# every finding of these rules on the shared PDFs, each checked by hand against the page
PDF_FINDINGS = {
    "putuo_ghzyj_2024_juesuan_dept.pdf": [
        # p22: 0.88 万元 is 2080599 其他行政事业单位养老支出 in the tables (p10, p14)
        ("names_years.item_name", 22, "机关事业单位退休人员活动费支出"),
        # p24: 2200199 is 其他自然资源事务支出 in the tables (p11, p14); 其他国土资源事务支出 is its pre-2019 name
        ("names_years.item_name", 24, "其他国土资源事务支出"),
        # p24: 住房公积金 / 购房补贴 sit under 22102 住房改革支出, not 住房保障支出（款）
        ("names_years.item_name", 24, "住房保障支出"),
        ("names_years.item_name", 24, "住房保障支出"),
    ],
    "putuo_czj_2024_juesuan_dept.pdf": [],
    "putuo_czj_2025_yusuan_dept.pdf": [],
    "putuo_swh_2025_yusuan_dept.pdf": [],
    "putuo_wanli_2023_yusuan_dept.pdf": [],
}


@cache
def _pdf(name: str) -> Extraction:
    return extracted(SHARED_PDFS / name)


@needs_pdfs
@pytest.mark.parametrize("name", sorted(PDF_FINDINGS))
def test_shared_pdfs_findings_are_the_hand_checked_ones(name):
    got = [(f.rule, f.provenance.page, f.values[0]) for f in found(_pdf(name))]
    assert sorted(got) == sorted(PDF_FINDINGS[name])

"""Document metadata, staffing, units/offices and prose totals: against gold for the seeds, and hand-written inputs.

Contexts are built from the text reader and the block splitter only, so these tests do not depend on the
table parsers; where the parsers would have added coded units, the test adds them from gold first.
"""

from __future__ import annotations

import re

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.context import Context
from ingest.document import read_document
from ingest.document.names import department_name, find_short_names, is_abbreviation, split_region
from ingest.document.staffing import read_staffing
from ingest.document.title import DEPARTMENT_SCOPE, UNIT_SCOPE, year_phase
from ingest.pipeline import extract
from ingest.records import BUDGET, FINAL_ACCOUNT, Staffing, Unit
from ingest.scoring import extraction_to_gold

from helpers import FIXTURE_STEMS, FIXTURES, ROOT, SEEDS, context, gold


def seed_context(stem: str, coded_units: bool = True) -> Context:
    ctx = context(ROOT / "samples" / f"{stem}.txt")
    if coded_units:  # what the unit-table parser contributes
        ctx.units.extend(Unit(u["name"], u["code"]) for u in gold(stem)["units"] if u["code"])
    return ctx


def text_context(tmp_path: Path, text: str) -> Context:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return context(path)


# --- seeds against gold ------------------------------------------------------------------------


@pytest.fixture(scope="module", params=SEEDS)
def seed(request):
    ctx = seed_context(request.param)
    return ctx, read_document(ctx), gold(request.param)


def test_document_fields_match_gold(seed):
    _, doc, g = seed
    want = g["document"]
    assert (doc.department, doc.region, doc.year, doc.phase) == (
        want["department"], want["region"], want["year"], want["phase"])
    assert set(doc.short_names) == set(want["short_names"])
    assert doc.contact_phone == want["contact_phone"]
    assert doc.title and str(want["year"]) in doc.title


def test_staffing_matches_gold(seed):
    ctx, _, g = seed
    got = {k: getattr(ctx.staffing, k) for k in g["staffing"]}
    assert got == g["staffing"]
    assert ctx.staffing.provenance.line is not None


def test_units_and_offices_match_gold(seed):
    ctx, _, g = seed
    assert sorted((u.code or "", u.name) for u in ctx.units) == sorted((u["code"] or "", u["name"]) for u in g["units"])
    assert ctx.offices == g["offices"]


def test_prose_totals_match_gold(seed):
    ctx, _, g = seed  # no table parser ran, so every total here was read from the narrative
    for key in ("income_total", "expenditure_total", "basic_expenditure", "project_expenditure",
                "three_public_total", "org_running_cost"):
        assert ctx.totals[key].amount == Decimal(str(g["totals"][key])), key
        assert ctx.totals[key].provenance.line


def test_table_totals_are_not_overwritten():
    ctx = seed_context(SEEDS[0])
    ctx.set_total("income_total", Decimal("1"))
    read_document(ctx)
    assert ctx.totals["income_total"].amount == Decimal("1")


def test_narrative_units_without_table_parsers():
    """Without coded units, 001's 单位构成 items become their full names, the 本级 item the department's."""
    ctx = seed_context(SEEDS[1], coded_units=False)
    read_document(ctx)
    assert [u.name for u in ctx.units] == ["武汉市江岸区医疗保障局本级", "武汉市江岸区医疗保障服务中心"]
    assert all(u.code is None for u in ctx.units)


# --- hand-written documents ----------------------------------------------------------------------

FINAL = """上海市普陀区财政局2024年度部门决算

第一部分 部门概况

（一）部门主要职能

负责全区财政收支管理。

（二）人员情况

本部门编制数为45名，其中行政编制40名、事业编制5名；实有人员42名，其中行政人员38名、事业人员4名。退休人员12名。

部门收支决算总表

单位名称：上海市普陀区财政局

项目\t决算数
收入总计\t100.00
"""


def test_final_account_title(tmp_path):
    ctx = text_context(tmp_path, FINAL)
    doc = read_document(ctx)
    assert (doc.year, doc.phase, doc.scope) == (2024, FINAL_ACCOUNT, DEPARTMENT_SCOPE)
    assert doc.department == "上海市普陀区财政局"
    assert doc.region == "上海市普陀区"
    assert doc.title == "上海市普陀区财政局2024年度部门决算"
    assert ctx.staffing == Staffing(45, 40, 5, 42, 38, 4, 12, provenance=ctx.staffing.provenance,
                                    field_sources=ctx.staffing.field_sources)
    for fs in ctx.staffing.field_sources:  # each count placed on its line, the snippet ending with it
        assert re.search(rf"(?<!\d){getattr(ctx.staffing, fs.field)}\s*[人名]$", fs.provenance.snippet), fs
    assert len(ctx.staffing.field_sources) == 7


NO_CITY = """东西湖区医疗保障局2023年部门预算

一、部门基本情况

东西湖区医疗保障局共有编制 10 人。

部门收支总表

单位名称：{name}

项目\t预算数
收入总计\t100.00
"""


def test_title_without_city_takes_full_name_from_body(tmp_path):
    doc = read_document(text_context(tmp_path, NO_CITY.format(name="武汉市东西湖区医疗保障局")))
    assert doc.department == "武汉市东西湖区医疗保障局"
    assert doc.region == "武汉市东西湖区"
    assert doc.short_names == ("东西湖区医疗保障局",)
    assert (doc.year, doc.phase) == (2023, BUDGET)


def test_no_city_anywhere_keeps_district(tmp_path):
    doc = read_document(text_context(tmp_path, NO_CITY.format(name="东西湖区医疗保障局")))
    assert doc.department == "东西湖区医疗保障局"
    assert doc.region == "东西湖区"
    assert doc.short_names == ()


def test_vote_prefers_the_name_most_places_support(tmp_path):
    text = NO_CITY.format(name="武汉市东西湖区医疗保障服务中心") + (
        "\n部门收入总表\n\n单位名称：东西湖区医疗保障局\n\n项目\t预算数\n合计\t1\n" * 3
        + "\n部门支出总表\n\n单位名称：武汉市东西湖区医疗保障局\n\n项目\t预算数\n合计\t1\n")
    assert department_name(text_context(tmp_path, text)) == "武汉市东西湖区医疗保障局"


@pytest.mark.parametrize(
    "title,year,phase",
    [
        ("上海市普陀区财政局2024年度部门决算", 2024, FINAL_ACCOUNT),
        ("2025年公开：某某区财政局 2024 年度单位决算", 2024, FINAL_ACCOUNT),
        ("东西湖区医疗保障局 2023 年部门预算公开", 2023, BUDGET),
        ("2026年江岸区医保局部门预算公开说明", 2026, BUDGET),
        ("部门预算公开", None, BUDGET),
    ],
)
def test_year_and_phase(title, year, phase):
    assert year_phase(title) == (year, phase)


@pytest.mark.parametrize(
    "name,region,org",
    [
        ("武汉市东西湖区医疗保障局", "武汉市东西湖区", "医疗保障局"),
        ("湖北省武汉市江岸区医疗保障局", "湖北省武汉市江岸区", "医疗保障局"),
        ("上海市普陀区财政局", "上海市普陀区", "财政局"),
        ("武汉市城市管理执法委员会", "武汉市", "城市管理执法委员会"),
        ("恩施土家族苗族自治州财政局", "恩施土家族苗族自治州", "财政局"),
        ("长阳土家族自治县教育局", "长阳土家族自治县", "教育局"),
        ("财政局", None, "财政局"),
    ],
)
def test_split_region(name, region, org):
    assert split_region(name) == (region, org)


def test_short_names_need_the_region_and_skip_other_bodies():
    texts = ["区医保局内设", "按照市医保局要求", "我区医保局", "江汉区医保局", "东西湖区医保局本级", "、区医疗保障局"]
    assert set(find_short_names(texts, "武汉市东西湖区医疗保障局")) == {"区医保局", "东西湖区医保局", "区医疗保障局"}


def test_abbreviation():
    assert is_abbreviation("江岸区医保局", "武汉市江岸区医疗保障局")
    assert not is_abbreviation("江岸区医疗保障服务中心", "武汉市江岸区医疗保障局")


@pytest.mark.parametrize(
    "text,want",
    [
        ("本单位核定编制20名，其中：行政编制15名，事业编制5名。现有在职人员18名，其中行政人员14名，事业人员4名。"
         "离休人员1名，退休人员6名。", Staffing(20, 15, 5, 18, 14, 4, 7)),
        ("编制总数为 12 人（行政编制 12 人）。实有人数 11 人。", Staffing(12, 12, None, 11, None, None, None)),
        ("年末实有人数 33 人，其中：在职人员 30 人，离退休人员 3 人。", Staffing(actual_total=33, retired_total=3)),
        ("共有编制 31 人，其中：行政编制 6 人，事业编制 25 人，员额编制 0 人。在职实有人数 27 人，其中：行政编制 7 人，"
         "事业编制 20 人（其中参照公务员法管理 0 人）。离退休人员 2 人，其中：离休 0 人，退休 2 人。",
         Staffing(31, 6, 25, 27, 7, 20, 2)),
        ("本部门负责全区财政工作。", None),
    ],
)
def test_staffing_sentences(text, want):
    assert read_staffing(text) == want


UNITS = """某区财政局2023年部门预算

（二）部门预算单位构成情况

根据职责，内设机构包括：办公室、预算股、国库科。下属事业单位：某区财政投资评审中心和会计核算中心。

1. 某区财政局本级

部门收支总表

单位名称：某区财政局

项目\t预算数
收入总计\t1
"""


def test_inline_composition_lists(tmp_path):
    ctx = text_context(tmp_path, UNITS)
    ctx.units.append(Unit("某区财政局本级", "101001"))
    ctx.units.append(Unit("某区会计核算中心", "101002"))
    read_document(ctx)
    assert ctx.offices == ["办公室", "预算股", "国库科"]
    assert [(u.name, u.code) for u in ctx.units] == [
        ("某区财政局本级", "101001"), ("某区会计核算中心", "101002"), ("某区财政投资评审中心", None)]


# --- other wordings: counted office lists, unit codes in brackets, 在编在岗, the fixtures' gold ---------

@pytest.mark.parametrize("stem", FIXTURE_STEMS)
def test_fixture_staffing_units_and_offices_match_gold(stem):
    ctx = context(FIXTURES / "docs" / f"{stem}.txt")
    g = gold(stem)
    ctx.units.extend(Unit(u["name"], u["code"]) for u in g["units"] if u["code"])  # as the unit tables give them
    read_document(ctx)
    assert {k: getattr(ctx.staffing, k) for k in g["staffing"]} == g["staffing"]
    assert ctx.offices == g["offices"]
    assert [(u.code, u.name) for u in ctx.units] == [(u["code"], u["name"]) for u in g["units"]]


@pytest.mark.parametrize("sentence", [
    "局机关设办公室、财务科、社会事务科等3个内设科室；下设事业单位1个，即某区福利院（公益一类）。",
    "区某局机关内设办公室、财务科、社会事务科3个职能科室。",
    "局机关设有办公室、财务科和社会事务科三个科室。",
])
def test_counted_office_lists(tmp_path, sentence):
    ctx = text_context(tmp_path, f"某区某局2024年部门预算\n\n（二）机构设置\n\n{sentence}\n\n部门收支总表\n\n项目\t预算数\n")
    read_document(ctx)
    assert ctx.offices == ["办公室", "财务科", "社会事务科"]
    assert ctx.units == []  # 某区福利院 is named, but with no code; it is known once a table names it


def test_numbered_units_with_code_in_brackets_are_the_coded_units(tmp_path):
    ctx = text_context(tmp_path, "某区某局2025年部门预算\n\n二、机构设置和预算单位构成\n\n"
                                 "1. 某区某局本级（单位编码160001）\n\n2. 某区某某小学（单位编码160012）\n\n"
                                 "3. 某区某某中心\n")
    ctx.units.extend([Unit("某区某局本级", "160001"), Unit("某区第一小学", "160012")])
    read_document(ctx)
    assert [(u.code, u.name) for u in ctx.units] == [("160001", "某区某局本级"), ("160012", "某区第一小学"),
                                                     (None, "某区某某中心")]


def test_staffing_in_post_with_bare_counts():
    text = "核定编制186人，其中：行政编制22人，事业编制164人；在编在岗179人，其中：行政21人，事业158人。离退休人员96人。"
    assert read_staffing(text) == Staffing(186, 22, 164, 179, 21, 158, 96)


def test_prose_procurement_and_purchased_service_totals(tmp_path):
    ctx = text_context(tmp_path, "某区某局2025年部门预算\n\n（二）政府采购情况\n\n"
                                 "2025年部门政府采购预算总额375.60万元，其中：服务类210.00万元。\n\n"
                                 "（三）政府购买服务情况\n\n2025年政府购买服务预算210.00万元，主要用于购买安保服务。\n\n"
                                 "部门收支总表\n\n项目\t预算数\n")
    read_document(ctx)
    assert ctx.totals["government_procurement_total"].amount == Decimal("375.60")
    assert ctx.totals["government_purchase_services_total"].amount == Decimal("210.00")


def test_a_unit_budget_says_so_in_its_scope(tmp_path):
    text = NO_CITY.format(name="武汉市东西湖区医疗保障局").replace("东西湖区医疗保障局2023年部门预算",
                                                                   "东西湖区医疗保障局（本级）2023年单位预算")
    doc = read_document(text_context(tmp_path, text))
    assert (doc.year, doc.phase, doc.scope, doc.department) == (2023, BUDGET, UNIT_SCOPE, "武汉市东西湖区医疗保障局")
    doc = read_document(text_context(tmp_path, NO_CITY.format(name="武汉市东西湖区医疗保障局")))
    assert doc.scope == DEPARTMENT_SCOPE


COMPOSITION = """上海市普陀区人力资源和社会保障局2025年部门预算

一、部门职能和机构设置

（一）主要职能

负责全区人力资源和社会保障工作。

{heading}
纳入本部门2025年部门预算编制范围的单位共6家，具体包括：
1. 上海市普陀区人力资源和社会保障局（本级）
2. 上海市普陀区就业促进中心
3. 上海市普陀区劳动保障监察大队
4. 上海市普陀区人才服务中心
5. 上海市普陀区劳动人事争议仲裁院
6. 上海市普陀区职业能力考试院
{remark}

部门收支总表

单位名称：上海市普陀区人力资源和社会保障局

项目\t预算数
收入总计\t1
"""
LISTED = ["上海市普陀区人力资源和社会保障局（本级）", "上海市普陀区就业促进中心", "上海市普陀区劳动保障监察大队",
          "上海市普陀区人才服务中心", "上海市普陀区劳动人事争议仲裁院", "上海市普陀区职业能力考试院",
          "上海市普陀区交流服务中心"]


@pytest.mark.parametrize("heading", [
    "上海市普陀区人力资源和社会保障局（部门）机构设置",  # 25 characters, no full stop: not a wrapped sentence
    "上海市普陀区人力资源和社会保障局（部门）机构设置上海市普陀区人力资源和社会保障局由局机关和下属事业单位组成。",
])
@pytest.mark.parametrize("remark", ["此外，下属事业单位上海市普陀区交流服务中心不单列预算。",
                                    "7. 下属事业单位上海市普陀区交流服务中心不单列预算。"])
def test_units_listed_under_a_long_or_glued_heading_and_a_unit_named_in_its_sentence(tmp_path, heading, remark):
    ctx = text_context(tmp_path, COMPOSITION.format(heading=heading, remark=remark))
    read_document(ctx)
    assert [(u.name, u.code) for u in ctx.units] == [(name, None) for name in LISTED]


def test_offices_by_their_list_and_units_by_their_region(tmp_path):
    """A list closed by ``共N个股室`` / ``等N个科室`` names offices, whatever they end with (政治部); a numbered
    unit named with its region is a unit even when it ends like an office (洛阳市公证处)."""
    ctx = text_context(tmp_path, "洛阳市司法局2023年度部门决算\n\n### 二、机构设置和决算单位构成\n\n"
                                 "局机关内设办公室、法治调研督察科、社区矫正管理科、政治部等4个科室。\n\n"
                                 "纳入本部门2023年度部门决算编制范围的预算单位共2个，具体包括：\n\n"
                                 "1. 洛阳市司法局机关\n2. 洛阳市公证处\n\n部门收支总表\n\n项目\t预算数\n收入总计\t1\n")
    read_document(ctx)
    assert ctx.offices == ["办公室", "法治调研督察科", "社区矫正管理科", "政治部"]
    assert [(u.name, u.code) for u in ctx.units] == [("洛阳市司法局机关", None), ("洛阳市公证处", None)]


def test_a_count_closed_by_gong_ends_the_office_list(tmp_path):
    ctx = text_context(tmp_path, "某市某区卫生健康局2025年单位预算\n\n（二）内设机构和人员情况\n\n"
                                 "局本级内设办公室、医政医管股、综合监督股共3个股室。本单位为行政单位。\n\n"
                                 "部门收支总表\n\n项目\t预算数\n收入总计\t1\n")
    read_document(ctx)
    assert ctx.offices == ["办公室", "医政医管股", "综合监督股"]


@pytest.mark.parametrize("sentence, units", [
    ("纳入本部门2024年部门预算编制范围的预算单位共3个，包括：某市某区某局机关、某市某区农业技术推广中心、"
     "某市某区农业综合行政执法大队。",
     ["某市某区某局机关", "某市某区农业技术推广中心", "某市某区农业综合行政执法大队"]),
    ("本部门下属二级预算单位2个，分别是：某市某区农业技术推广中心、某市某区动物疫病预防控制中心。",
     ["某市某区农业技术推广中心", "某市某区动物疫病预防控制中心"]),
    ("本部门部门预算包括局本级和所属事业单位某市某区农业技术推广中心。", ["某市某区农业技术推广中心"]),
])
def test_unit_lists_of_the_national_templates(tmp_path, sentence, units):
    """A list after 预算单位…包括： / 分别是：, and a unit named in a sentence that ends with it."""
    ctx = text_context(tmp_path, f"某市某区某局2024年部门预算\n\n二、机构设置及预算单位构成\n\n{sentence}\n\n"
                                 "部门收支总表\n\n项目\t预算数\n收入总计\t1\n")
    read_document(ctx)
    assert ctx.offices == []
    assert [u.name for u in ctx.units] == units


@pytest.mark.parametrize("stem", [s for s in FIXTURE_STEMS if "budget_scope" in gold(s)["document"]])
def test_fixture_budget_scope_is_shown_as_gold_says(stem):
    """``extract --json`` says whether a document is a 部门 or a 单位 budget (102 is a 单位预算)."""
    shown = extraction_to_gold(extract(FIXTURES / "docs" / f"{stem}.txt"))["document"]["budget_scope"]
    assert shown == gold(stem)["document"]["budget_scope"]

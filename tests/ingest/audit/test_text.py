"""Template leftovers and text hygiene (ingest/audit/text.py): on the seeds' gold items, on narrative written
the way disclosures write it (each rule on both sides of its boundary), and on the shared PDFs."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest


from ingest.pipeline import extract
from ingest.records import Extraction
from helpers import SHARED_PDFS, budget_disclosure, document_path, extracted, needs_pdfs, needs_shared

TEXT_RULES = ("text.template_alternative", "text.empty_reason", "text.placeholder", "text.doubled_punctuation",
              "text.missing_full_stop", "text.paragraph_without_full_stop", "text.unmatched_bracket", "text.missing_amount", "text.yuan_for_wan")


def disclosure(tmp_path, *paragraphs: str, total: str = "2304.44") -> Extraction:
    """A 2025 部门预算 whose narrative is ``paragraphs`` (one per line, blank lines between) before its 收支总表
    of ``total`` 万元."""
    head, _, tables = budget_disclosure("武汉市某区民政局2025年部门预算", "武汉市某区民政局", total).partition("\n\n")
    narrative = "\n\n".join(("## 一、收支预算总体情况", *paragraphs))
    path = tmp_path / "doc.txt"
    path.write_text(f"{head}\n\n{narrative}\n\n{tables}", encoding="utf-8")
    return extract(path)


def text_findings(ex: Extraction) -> list:
    return [f for f in ex.findings if f.rule.startswith("text.")]


def text_checks(ex: Extraction) -> list:
    return [c for c in ex.checks if c.rule.startswith("text.")]


# --- the seeds' gold items -------------------------------------------------------------------------

@needs_shared
def test_gold_000_government_fund_income_without_its_amount():
    """Gold 000 [text]: 四、财政拨款收支预算总体情况: '政府性基金预算财政拨款本年收入万元' - amount missing."""
    ex = extracted(document_path("000_dc10eef729309141"))
    hits = [f for f in ex.findings if f.rule == "text.missing_amount" and f.provenance.line == 130]
    [hit] = hits
    assert hit.values[0] == "政府性基金预算财政拨款本年收入万元"
    assert "政府性基金预算财政拨款本年收入万元、上年结转 0 万元" in hit.values[1]
    assert hit.message.startswith("文字说明“政府性基金预算财政拨款本年收入万元”前缺少金额")


@needs_shared
def test_gold_001_total_income_in_yuan_where_the_tables_say_wan():
    """Gold 001 [numeric]: 第三部分 一: '2026 年部门预算总收入 2304.44 元' - unit 元 instead of 万元."""
    ex = extracted(document_path("001_c082f6ab8c9dd51c"))
    [check] = [c for c in ex.checks if c.rule == "text.yuan_for_wan"]
    assert not check.passed
    assert (check.left.amount, check.left.unit, check.left.provenance.line) == (Decimal("2304.44"), "元", 1350)
    assert "2304.44 元" in dict(check.params)["snippet"]
    assert check.right.amount == Decimal("2304.44") and check.right.unit == "万元"
    assert check.right.provenance.line not in (1350,) and check.right.provenance.line < 1346  # a table row


@needs_shared
def test_seed_001_three_public_change_left_as_template():
    """001 prints '比 2025 年增加或减少 0 万元': the template's two words, neither chosen."""
    ex = extracted(document_path("001_c082f6ab8c9dd51c"))
    [hit] = [f for f in ex.findings if f.rule == "text.template_alternative"]
    assert (hit.values[0], hit.provenance.line) == ("增加或减少", 1432)


# --- each rule, both sides of its boundary ---------------------------------------------------------

def test_amount_missing_before_wan_but_not_a_declared_unit(tmp_path):
    ex = disclosure(tmp_path, "收入包括：一般公共预算财政拨款本年收入 2304.44 万元；政府性基金预算财政拨款本年收入万元。",
                    "金额单位：万元", "以下金额单位为万元。", "单位为万元。", "每万元支出可节约数万元。")
    [hit] = [f for f in text_findings(ex) if f.rule == "text.missing_amount"]
    assert hit.values[0] == "政府性基金预算财政拨款本年收入万元"
    assert hit.provenance.line == 5


def test_yuan_matched_only_by_the_same_printed_digits(tmp_path):
    ex = disclosure(tmp_path, "2025 年部门预算总收入 2304.44 元。", "其中伙食费 2304.44 元/人。",
                    "另有资料费 2304.45 元。")
    [check] = text_checks(ex)
    assert (check.left.amount, check.left.provenance.line, check.right.amount) == \
        (Decimal("2304.44"), 5, Decimal("2304.44"))


def test_yuan_needs_four_significant_digits(tmp_path):
    """``12.5 元`` may well be a price: three digits are too few to say it is the table's 12.5 万元."""
    assert text_checks(disclosure(tmp_path, "资料费 12.5 元。", total="12.5")) == []
    [check] = text_checks(disclosure(tmp_path, "资料费 12.50 元。", total="12.50"))
    assert check.left.amount == Decimal("12.50")


@pytest.mark.parametrize(("text", "words"), [
    ("“三公”经费比 2024 年减少 0.15 万元，下降（增长）27.78%。", "下降（增长）"),
    ("基本支出比 2024 年预算增加（减少）12.00 万元。", "增加（减少）"),
    ("“三公”经费预算比 2024 年增加或减少 0 万元。", "增加或减少"),
])
def test_template_alternative_before_a_figure(tmp_path, text, words):
    [hit] = text_findings(disclosure(tmp_path, text))
    assert (hit.rule, hit.values[0], hit.provenance.line) == ("text.template_alternative", words, 5)


def test_two_directions_not_before_a_figure_are_prose(tmp_path):
    assert text_findings(disclosure(tmp_path, "年末结转和结余：反映本年度增加（减少）的结转资金情况。",
                                    "根据工作需要增加或减少人员。")) == []


def test_reason_announced_and_not_given(tmp_path):
    ex = disclosure(tmp_path, "公用经费 116.23 万元，比 2024 年预算增加 5.79 万元，主要原因是。",
                    "项目支出减少 3.00 万元，主要原因是项目完成。", "今后将深入分析原因。",
                    "其主要原因，一是人员增加，二是项目调整。")
    [hit] = text_findings(ex)
    assert (hit.rule, hit.provenance.line) == ("text.empty_reason", 5)


def test_placeholders_but_not_a_masked_id_number(tmp_path):
    ex = disclosure(tmp_path, "2025 年项目支出 XX 万元。", "其中：××项目 3.00 万元。", "具体情况（略）。",
                    "新增伤残军人 420983*****9213 系转入。")
    assert [(f.rule, f.values[0], f.provenance.line) for f in text_findings(ex)] == [
        ("text.placeholder", "XX", 5), ("text.placeholder", "××", 7), ("text.placeholder", "（略）", 9)]


def test_doubled_punctuation_but_not_an_ellipsis(tmp_path):
    ex = disclosure(tmp_path, "基本支出 823.10 万元。。", "主要用于……等支出。")
    [hit] = text_findings(ex)
    assert (hit.rule, hit.values[0], hit.provenance.line) == ("text.doubled_punctuation", "。。", 5)


ITEMS = ["1.负责本区财政工作，组织实施预算。", "2.负责国库管理，监督预算执行。",
         "3.负责会计管理，监督会计行为", "4.负责政府采购，监督采购活动。", "5.完成交办的其他任务。"]


def test_numbered_item_without_its_full_stop(tmp_path):
    [hit] = text_findings(disclosure(tmp_path, "主要职能：", *ITEMS))
    assert (hit.rule, hit.provenance.line) == ("text.missing_full_stop", 11)
    assert hit.values[0].endswith("监督会计行为")


def test_item_whose_siblings_have_no_full_stop_either(tmp_path):
    """A list of names (``1.财政局本部``): items that are not sentences end without one."""
    items = ["1.财政局本部，含办公室", "2.财政局信息中心，含机房", "3.财政局票据中心，含库房"]
    assert text_findings(disclosure(tmp_path, "具体包括：", *items)) == []


def test_item_not_followed_by_its_next_sibling_is_not_judged(tmp_path):
    """A page break may split the item: only the next item's mark shows that it ended."""
    items = [*ITEMS[:3], "年度计划。", *ITEMS[3:]]
    assert text_findings(disclosure(tmp_path, "主要职能：", *items)) == []


STAFF = "本部门编制 46 人，在职实有人数 43 人。离退休人员 5 人"
NEXT = "## 二、部门收支预算情况"


@pytest.mark.parametrize(("paragraphs", "line"), [
    ((STAFF, NEXT, "收支预算见下表。"), 5),  # a count, then a numbered heading: it ended there
    ((STAFF + "。", NEXT, "收支预算见下表。"), None),
    (("本部门负责全区民政工作，主要承担社会救助和养老服务", NEXT, "收支预算见下表。"), 5),  # two clauses, a verb
    ((STAFF, "（其中退休 3 人）。", NEXT), None),  # the paragraph goes on (a page break in a PDF)
    ((STAFF, "### 附件", "收支预算见下表。"), None),  # an unnumbered heading does not show it ended
    (("本部门预算公开咨询电话：027-84941600", NEXT, "收支预算见下表。"), None),  # a label, not a sentence
    (("2025年部门收支总表", NEXT, "收支预算见下表。"), None),  # a caption
    (("5.完成区委、区政府交办的其他任务，按期办结", NEXT, "收支预算见下表。"), None),  # a numbered item
])
def test_paragraph_without_its_full_stop(tmp_path, paragraphs, line):
    hits = [f for f in text_findings(disclosure(tmp_path, *paragraphs)) if f.rule == "text.paragraph_without_full_stop"]
    assert [f.provenance.line for f in hits] == ([line] if line else [])
    if line:
        assert "二、部门收支预算情况" in hits[0].message


def test_seeded_a20_paragraph_without_its_full_stop():
    """Seeded A20: ``…离退休人员 5 人`` (line 57), then ``第二部分 …``: the 人员构成 paragraph lost its full stop."""
    from helpers import FIXTURES
    ex = extracted(FIXTURES / "audit" / "caidian_data_2025_budget.seeded.txt")
    [hit] = [f for f in ex.findings if f.rule == "text.paragraph_without_full_stop"]
    assert hit.provenance.line == 57 and hit.values[0].endswith("离退休人员 5 人")
    assert not [f for f in extracted(FIXTURES / "audit" / "caidian_data_2025_budget.txt").findings
                if f.rule == "text.paragraph_without_full_stop"]


def test_unmatched_bracket_and_quote(tmp_path):
    ex = disclosure(tmp_path, "平均得分 99.33 分（其中，绩效评级为“优”的项目 39 个。",
                    "根据《预算法》和“三公”经费管理规定（试行）编制。", "公务用车购置支出(含车辆购置税) ) 及租用费。")
    assert [(f.values[0], f.provenance.line) for f in text_findings(ex)] == [("（", 5), (")", 9)]


def test_bracket_split_over_two_paragraphs(tmp_path):
    """``（其中：…。`` then, after a page break, ``…）。``: one bracket, opened and closed."""
    ex = disclosure(tmp_path, "平均得分 99.33 分（其中：绩效评级为“优”的项目 39 个。", "绩效评级为“良”的项目 0 个）。")
    assert text_findings(ex) == []


def test_heading_that_runs_on_into_its_paragraph(tmp_path):
    """A long first line taken for a heading (``四、其他收入：…“事业收``) and the paragraph that ends its quote."""
    ex = disclosure(tmp_path, "主要职能如下。", "四、其他收入：指单位取得的除“财政拨款收入”、“事业收",
                    "入”、“经营收入”等以外的收入。")
    assert text_findings(ex) == []


# --- consistent documents ----------------------------------------------------------------------------

def test_fixture_documents_raise_no_text_findings():
    from tests.helpers import FIXTURE_DOCS

    for path in FIXTURE_DOCS:
        ex = extract(path)
        assert text_findings(ex) == [] and text_checks(ex) == [], path.name


@cache
def _pdf(name: str) -> Extraction:
    return extracted(SHARED_PDFS / name)


# every finding of these rules on the shared PDFs, each checked by hand against the page
PDF_FINDINGS = {
    "putuo_ghzyj_2024_juesuan_dept.pdf": [
        ("text.template_alternative", 25, "下降（增长）"),  # 比 2023年度减少 0.15 万元，下降（增长）27.78%
        ("text.missing_full_stop", 5, "土地管理相关工作，对建设工程项目审批后到竣工验收的规划、土地执行情况实行跟踪监督"),
        ("text.unmatched_bracket", 27, "（"),  # 平均得分99.33分（其中，… never closed
    ],
    "putuo_czj_2024_juesuan_dept.pdf": [],
    "putuo_czj_2025_yusuan_dept.pdf": [],
    "putuo_swh_2025_yusuan_dept.pdf": [],
    "putuo_wanli_2023_yusuan_dept.pdf": [],
}


@needs_pdfs
@pytest.mark.parametrize("name", sorted(PDF_FINDINGS))
def test_shared_pdfs_findings_are_the_hand_checked_ones(name):
    ex = _pdf(name)
    got = [(f.rule, f.provenance.page, f.values[0]) for f in text_findings(ex)]
    assert sorted(got) == sorted(PDF_FINDINGS[name])
    assert text_checks(ex) == []

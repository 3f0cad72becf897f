"""Document-facts rules (ingest/audit/document_facts.py): the four gold items of seed 000, each named, and each
rule on both sides of its boundary on fixtures 101 / 105 with one sentence changed."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest

from helpers import FIXTURES, SHARED_PDFS, document_path, extracted, needs_pdfs, needs_shared
from ingest.audit.document_facts import count_value
from ingest.pipeline import extract
from ingest.records import Check, Extraction, Finding

FIXTURE_DOCS = sorted((FIXTURES / "docs").glob("*.txt"))
QIAOKOU = FIXTURES / "docs" / "101_qiaokou_edu_2025_budget.txt"
LUSONG = FIXTURES / "docs" / "105_lusong_medsec_2024_budget.txt"
SEED_000 = "000_dc10eef729309141"


@cache
def _extract(path) -> Extraction:
    return extracted(path)


def facts(ex: Extraction) -> list[Finding]:
    return [f for f in ex.findings if f.rule.startswith("facts.")]


def failed(ex: Extraction, rule: str | None = None) -> list[Check]:
    return [c for c in ex.checks if c.rule.startswith("facts.") and not c.passed and rule in (None, c.rule)]


def checks(ex: Extraction, rule: str) -> list[Check]:
    return [c for c in ex.checks if c.rule == rule]


def replaced(tmp_path, source, old: str, new: str, count: int = 1) -> Extraction:
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == count
    path = tmp_path / source.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return extract(path)


def sides(check: Check) -> tuple:
    return (check.left.amount, check.left.unit, check.left.provenance.line,
            check.right.amount, check.right.unit, check.right.provenance.line)


@pytest.mark.parametrize("path", FIXTURE_DOCS, ids=lambda p: p.stem)
def test_consistent_fixtures_raise_nothing(path):
    ex = _extract(path)
    assert facts(ex) == [] and failed(ex) == []


@pytest.mark.parametrize(("text", "value"), [("3", 3), ("二", 2), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20),
                                             ("二十三", 23), ("零", 0), ("百", None), ("三四", None)])
def test_count_value(text, value):
    assert count_value(text) == value


# --- gold 000 ----------------------------------------------------------------------------------------------

@needs_shared
def test_seed_000_consultation_phone_malformed_and_unlike_the_forms():
    """Gold 000 [text]: 'Consultation phone 027-8220905 (cover, 7 digits) vs 027-83220905 in 部门整体 form and
    project forms'."""
    found = facts(_extract(document_path(SEED_000)))
    malformed = [f for f in found if f.rule == "facts.phone_malformed"]
    mismatch = [f for f in found if f.rule == "facts.phone_mismatch"]
    assert [(f.values, f.provenance.line) for f in malformed] == [(("027-8220905",), 39)]
    [f] = mismatch
    assert (f.values, f.provenance.line, dict(f.params)["other_line"]) == (("027-8220905", "027-83220905"), 39, "569")


@needs_shared
def test_seed_000_actual_administrative_staff_above_authorized():
    """Gold 000 [text]: 'Staffing: 行政编制 6 but 在职 行政编制 7 (actual exceeds authorized)'."""
    [check] = failed(_extract(document_path(SEED_000)), "facts.staff_above_authorized")
    assert sides(check) == (Decimal(7), "人", 86, Decimal(6), "人", 86)
    assert check.left.provenance.snippet.endswith("在职实有人数 27 人，其中：行政编制 7 人")


@needs_shared
def test_seed_000_offices_counted_against_those_listed():
    """Gold 000 [text]: '部门预算单位构成: 内设 3 个机构，2 个事业单位 but only 办公室 and 业务科 are listed as
    offices (plus the two centres)'."""
    [check] = failed(_extract(document_path(SEED_000)), "facts.count_vs_list")
    assert sides(check) == (Decimal(3), "个", 77, Decimal(2), "个", 79)
    assert [(t.label, t.provenance.line) for t in check.right.terms] == [("办公室", 79), ("业务科", 80)]
    assert dict(check.params)["what"] == "内设机构"


@needs_shared
def test_seed_000_three_public_scope_stated_twice():
    """Gold 000 [text]: ''三公' unit scope: 第一部分 says 局机关及二个二级事业单位, 第二部分 says 局机关及一个二级
    事业单位'."""
    [check] = failed(_extract(document_path(SEED_000)), "facts.three_public_scope")
    assert sides(check) == (Decimal(2), "个", 175, Decimal(1), "个", 229)
    assert (check.left.label, check.right.label) == ("机关及二个二级事业单位", "机关及一个二级事业单位")


@needs_shared
def test_seed_000_raises_nothing_else():
    ex = _extract(document_path(SEED_000))
    assert sorted({f.rule for f in facts(ex)} | {c.rule for c in failed(ex)}) == [
        "facts.count_vs_list", "facts.phone_malformed", "facts.phone_mismatch", "facts.staff_above_authorized",
        "facts.three_public_scope"]


@needs_pdfs
def test_pdf_budget_unit_counted_though_not_budgeted_on_its_own():
    """Gold putuo_swh_2025 [text]: 'p5: 下属1家预算单位 but that unit (上海市普陀区中小企业服务中心) 不单列预算'."""
    ex = _extract(SHARED_PDFS / "putuo_swh_2025_yusuan_dept.pdf")
    assert facts(ex) == []
    [check] = failed(ex)
    assert check.rule == "facts.count_vs_list" and sides(check) == (1, "个", 86, 0, "个", 90)
    assert (check.left.provenance.page, check.right.provenance.page) == (5, 5)
    assert dict(check.params)["names"] == "（上海市普陀区中小企业服务中心不单列预算）"


# --- each rule on both sides of its boundary ------------------------------------------------------------

def test_phone_with_three_digit_area_code_and_seven_digits(tmp_path):
    """101's 咨询电话 027-83768015 printed with a digit short; the forms' 83768022 … are other numbers."""
    ex = replaced(tmp_path, QIAOKOU, "027-83768015", "027-8368015")
    assert [(f.rule, f.values, f.provenance.line) for f in facts(ex)] == [
        ("facts.phone_malformed", ("027-8368015",), 30)]


def test_phone_one_digit_short_of_a_form_number(tmp_path):
    """101's 咨询电话 printed as 83768022 (the 填报人's number, line 278) with a digit dropped."""
    ex = replaced(tmp_path, QIAOKOU, "027-83768015", "027-8376802")
    found = {f.rule: f for f in facts(ex)}
    assert sorted(found) == ["facts.phone_malformed", "facts.phone_mismatch"]
    mismatch = found["facts.phone_mismatch"]
    assert (mismatch.values, mismatch.provenance.line, dict(mismatch.params)["other_line"]) == (
        ("027-8376802", "83768022"), 30, "278")


def test_actual_staff_above_and_at_the_authorized_count(tmp_path):
    """105: 行政编制9名; 在职 行政编制 10 is above it, 行政编制 9 is not; 事业编制 17 of 18 passes."""
    above = replaced(tmp_path, LUSONG, "其中行政8人、事业17人", "其中行政编制10人、事业编制17人")
    [check] = failed(above)
    assert check.rule == "facts.staff_above_authorized" and sides(check) == (10, "人", 37, 9, "人", 37)
    assert len(checks(above, "facts.staff_above_authorized")) == 2
    at = replaced(tmp_path, LUSONG, "其中行政8人、事业17人", "其中行政编制9人、事业编制17人")
    assert failed(at) == [] and all(c.passed for c in checks(at, "facts.staff_above_authorized"))


def test_actual_staff_not_worded_as_authorized_posts_is_not_compared(tmp_path):
    """'其中行政10人' may count 工勤 staff: no 编制 of that kind to compare with."""
    ex = replaced(tmp_path, LUSONG, "其中行政8人、事业17人", "其中行政10人、事业17人")
    assert checks(ex, "facts.staff_above_authorized") == []


def test_offices_counted_against_the_list(tmp_path):
    """105 lists four 股室; stating five is a finding."""
    ex = replaced(tmp_path, LUSONG, "基金监管股4个股室", "基金监管股5个股室")
    [check] = failed(ex)
    assert check.rule == "facts.count_vs_list" and sides(check) == (5, "个", 33, 4, "个", 33)
    assert dict(check.params)["names"] == "：办公室、医药服务管理股、待遇保障股、基金监管股"


def test_partial_list_of_offices(tmp_path):
    """'…等5个股室' lists some of five: no finding; '…等3个股室' lists four of three: a finding."""
    assert failed(replaced(tmp_path, LUSONG, "基金监管股4个股室", "基金监管股等5个股室")) == []
    [check] = failed(replaced(tmp_path, LUSONG, "基金监管股4个股室", "基金监管股等3个股室"))
    assert (check.rule, check.left.amount, check.right.amount) == ("facts.count_vs_list", 3, 4)


@pytest.mark.parametrize(("second", "found"), [("2", True), ("1", False)])
def test_three_public_scope_stated_twice(tmp_path, second, found):
    """101 stating the 三公 unit scope in its 三公 section and again in its 名词解释-like closing sentence."""
    heading = "七、一般公共预算“三公”经费支出情况"
    text = QIAOKOU.read_text(encoding="utf-8")
    assert text.count(heading) == 1
    scope = "“三公”经费的单位范围为局机关及{}个二级事业单位。"
    text = text.replace(heading, f"{heading}\n\n{scope.format(1)}\n\n{scope.format(second)}")
    path = tmp_path / QIAOKOU.name
    path.write_text(text, encoding="utf-8")
    ex = extract(path)
    assert [c.rule for c in failed(ex)] == (["facts.three_public_scope"] if found else [])

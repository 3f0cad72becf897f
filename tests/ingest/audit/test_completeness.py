"""Completeness rules (ingest/audit/completeness.py) on the seeds, a shared PDF and fixture 105 / 103 with one
table, note or contents entry changed; each gold item named by the test that finds it."""

from __future__ import annotations

from functools import cache

import pytest

from helpers import FIXTURES, SHARED_PDFS, document_path, extracted, needs_pdfs, needs_shared
from ingest.pipeline import extract
from ingest.records import Extraction, Finding

FIXTURE_DOCS = sorted((FIXTURES / "docs").glob("*.txt"))
LUSONG = FIXTURES / "docs" / "105_lusong_medsec_2024_budget.txt"  # a consistent 部门预算, no contents list
LUOYANG = FIXTURES / "docs" / "103_luoyang_justice_2023_final.txt"  # a consistent 部门决算


@cache
def _extract(path) -> Extraction:
    return extracted(path)


def completeness(ex: Extraction) -> list[Finding]:
    return [f for f in ex.findings if f.rule.startswith("completeness.")]


def edited(tmp_path, source, edit) -> Extraction:
    """``source`` with its lines changed by ``edit(lines) -> lines``, extracted."""
    lines = source.read_text(encoding="utf-8").splitlines()
    path = tmp_path / source.name
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return extract(path)


def line_of(lines: list[str], text: str) -> int:
    """The 0-based index of the one line that is ``text``."""
    [at] = [i for i, ln in enumerate(lines) if ln.strip() == text]
    return at


@pytest.mark.parametrize("path", FIXTURE_DOCS, ids=lambda p: p.stem)
def test_consistent_fixtures_raise_nothing(path):
    assert completeness(_extract(path)) == []


@needs_shared
def test_seed_001_contents_lists_tables_not_in_the_export():
    """Gold 001 [text]: 'Table of contents lists 部门收入总表(表2), 政府采购支出情况表(表12) and
    政府向社会力量购买服务支出情况表(表13); they are not in the export'."""
    found = completeness(_extract(document_path("001_c082f6ab8c9dd51c")))
    assert [(f.rule, f.values, f.provenance.line) for f in found] == [
        ("completeness.toc_entry_missing", ("部门收入总表",), 16),
        ("completeness.toc_entry_missing", ("政府采购支出情况表",), 26),
        ("completeness.toc_entry_missing", ("政府向社会力量购买服务支出情况表",), 27),
    ]
    assert found[0].message == "目录列出“部门收入总表”，文件中未见该表"


@needs_shared
def test_seed_000_prints_every_table_its_contents_lists():
    """The 14 entries of 000's 目录 (two of them 一般公共预算支出表) are all printed, its empty 政府性基金 table
    carries its 备注."""
    assert completeness(_extract(document_path("000_dc10eef729309141"))) == []


@needs_pdfs
def test_pdf_note_over_the_state_capital_table_names_the_government_fund():
    """Gold putuo_czj_2025 [text]: 'p18 国有资本经营预算支出功能分类预算表 note says 无政府性基金预算财政拨款安排的预算
    (copied from p17)'."""
    found = completeness(_extract(SHARED_PDFS / "putuo_czj_2025_yusuan_dept.pdf"))
    [f] = found
    assert f.rule == "completeness.note_names_other_budget"
    assert (f.provenance.page, f.provenance.line) == (18, 233)
    assert f.values == ("注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。",)
    assert dict(f.params)["own"] == "国有资本经营预算"


def test_empty_table_without_its_note(tmp_path):
    """105's 政府性基金预算支出表 prints only its 合计 row; without the 说明 under it and the narrative sentence
    saying the department has no such budget, nothing says why it is empty."""
    def edit(lines):
        lines[line_of(lines, "说明：本部门2024年无政府性基金预算支出。")] = ""
        lines[line_of(lines, "本部门2024年无政府性基金预算和国有资本经营预算拨款安排的支出。")] = "本部门2024年无其他说明。"
        lines[line_of(lines, "一般公共预算拨款收入1,645.38万元，占95.36%；上年结转80.00万元，占4.64%。"
                             "本部门无政府性基金预算拨款收入、事业收入和其他收入。")] = \
            "一般公共预算拨款收入1,645.38万元，占95.36%；上年结转80.00万元，占4.64%。"
        return lines
    [f] = completeness(edited(tmp_path, LUSONG, edit))
    assert (f.rule, f.values, f.provenance.line) == ("completeness.empty_without_note", ("政府性基金预算支出表",), 236)


def test_the_narrative_sentence_explains_an_empty_table(tmp_path):
    """The same table without its own 说明: the narrative's 本部门2024年无政府性基金预算…的支出 says why."""
    def edit(lines):
        lines[line_of(lines, "说明：本部门2024年无政府性基金预算支出。")] = ""
        return lines
    assert completeness(edited(tmp_path, LUSONG, edit)) == []


def test_empty_note_over_a_table_with_amounts(tmp_path):
    """A '本表为空表' note under 105's 政府采购预算表, whose 合计 is 61.00."""
    def edit(lines):
        at = line_of(lines, "株洲市芦淞区医疗保障事务中心\t信息化运维经费\t运行维护服务\t服务\t1项\t34.20")
        return lines[:at + 1] + ["注：本部门2024年无政府采购预算，本表为空表。"] + lines[at + 1:]
    [f] = completeness(edited(tmp_path, LUSONG, edit))
    assert f.rule == "completeness.empty_note_over_values"
    assert f.values == ("注：本部门2024年无政府采购预算，本表为空表。", "61.00")


def test_narrative_saying_no_such_budget_over_a_table_with_amounts(tmp_path):
    """105's narrative saying the department has no 政府采购 budget, over its 政府采购预算表 of 61.00."""
    def edit(lines):
        at = line_of(lines, "（二）政府采购：2024年政府采购预算61.00万元，全部为服务类，用于医保信息系统运行维护。")
        lines[at] = "（二）政府采购：本部门2024年无政府采购预算。"
        return lines
    [f] = completeness(edited(tmp_path, LUSONG, edit))
    assert f.rule == "completeness.empty_note_over_values"
    assert f.values == ("本部门2024年无政府采购预算", "61.00")


def test_a_required_table_not_printed(tmp_path):
    """105 without its 部门收入总表 (required of every 部门预算 by 财预〔2016〕143号) and no 目录."""
    def edit(lines):
        start, end = line_of(lines, "部门收入总表"), line_of(lines, "部门支出总表")
        return lines[:start] + lines[end:]
    [f] = completeness(edited(tmp_path, LUSONG, edit))
    assert (f.rule, f.values) == ("completeness.required_table", ("收入总表",))
    assert f.message.startswith("未见收入总表：部门预算公开要求公开此表")


def test_a_table_only_some_provinces_require_is_not_asked_for(tmp_path):
    """105 without its 政府采购预算表: required by some provinces only, so no finding."""
    def edit(lines):
        start = line_of(lines, "政府采购预算表")
        end = next(i for i in range(start, len(lines)) if lines[i].startswith("## 第五部分"))
        return lines[:start] + lines[end:]
    assert completeness(edited(tmp_path, LUSONG, edit)) == []


def test_a_part_of_a_disclosure_is_not_told_what_it_lacks(tmp_path):
    """105 cut after its first three tables: fewer than four of the required tables, not a whole disclosure."""
    def edit(lines):
        return lines[:line_of(lines, "财政拨款收支总表")]
    assert completeness(edited(tmp_path, LUSONG, edit)) == []


def test_contents_entry_printed_and_not(tmp_path):
    """A 目录 listing 105's 政府采购预算表 (printed) and a 政府购买服务预算表 (not printed)."""
    def edit(lines):
        at = line_of(lines, "第四部分　2024年部门预算公开表")
        return lines[:at + 1] + ["一、政府采购预算表", "二、政府购买服务预算表"] + lines[at + 1:]
    [f] = completeness(edited(tmp_path, LUSONG, edit))
    assert (f.rule, f.values) == ("completeness.toc_entry_missing", ("政府购买服务预算表",))


def test_note_of_the_state_capital_table_naming_the_other_fund(tmp_path):
    """103's 国有资本经营预算 table with the 政府性基金 table's note copied over it; its own note is no finding."""
    own = "注：本部门2023年度无国有资本经营预算财政拨款支出，本表为空表。"
    copied = "注：本部门2023年度无政府性基金预算财政拨款收入支出，本表为空表。"

    def edit(lines):
        lines[line_of(lines, own)] = copied
        return lines
    [f] = completeness(edited(tmp_path, LUOYANG, edit))
    assert (f.rule, f.values, f.provenance.line) == ("completeness.note_names_other_budget", (copied,), 226)

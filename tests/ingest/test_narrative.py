"""Narrative chunks, project-form chunks and the narrative project list, on the seeds and hand-written text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.context import Context
from ingest.narrative import CHUNK_LIMIT, kind_of, read_narrative, split_text
from ingest.normalise import squash
from ingest.paragraphs import narrative_blocks, paragraphs
from ingest.reader_text import read_text
from ingest.records import ANNUAL, LONG_TERM, Indicator, Project, Provenance
from ingest.sections import split_blocks

from helpers import ROOT

SEED_000 = ROOT / "samples" / "000_dc10eef729309141.txt"
SEED_001 = ROOT / "samples" / "001_c082f6ab8c9dd51c.txt"
KINDS = {"function", "task", "explanation", "glossary", "other"}


def context(path: Path) -> Context:
    lines = read_text(path)
    return Context(doc_id="test", path=path, blocks=split_blocks(lines), lines=lines)


def text_context(tmp_path: Path, text: str) -> Context:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return context(path)


@pytest.fixture(scope="module", params=[SEED_000, SEED_001], ids=["000", "001"])
def seed(request):
    ctx = context(request.param)
    read_narrative(ctx)
    return ctx


# --- chunks on the seeds ---------------------------------------------------------------------------


def test_chunks_are_bounded_and_stay_under_one_heading(seed):
    assert len(seed.chunks) > 15
    blocks: dict[str | None, list[str]] = {}
    for b in narrative_blocks(seed):
        blocks.setdefault(b.title, []).append(squash(b.text()))
    for c in seed.chunks:
        assert 0 < len(c.text) <= CHUNK_LIMIT
        assert c.kind in KINDS
        assert c.subject_type == "department"
        assert any(squash(c.text) in text for text in blocks[c.provenance.table])  # within one heading's block
        assert c.provenance.line and c.provenance.snippet == c.text[:200]


def test_seed_000_kinds_and_joined_sentences():
    ctx = context(SEED_000)
    read_narrative(ctx)
    by_kind = {k: [c.text for c in ctx.chunks if c.kind == k] for k in KINDS}
    functions = "".join(by_kind["function"])
    assert "并监督实施，建设和运用药品" in functions  # broken across a blank line in the export
    assert "提高医疗资源使用效率和医疗保障水平。" in functions
    assert any("深入实施全民参保计划" in t for t in by_kind["task"])
    assert any("机关运行经费 42.58 万元" in t for t in by_kind["explanation"])
    assert any(t.startswith("1. 一般公共预算：以税收为主体") for t in by_kind["glossary"])
    assert not any("部门收支预算总体安排情况" in c.text for c in ctx.chunks if c.kind != "explanation")  # no contents page
    assert {c.subject for c in ctx.chunks} == {"武汉市东西湖区医疗保障局"}


def test_seed_001_narrative_after_the_last_form_is_read():
    ctx = context(SEED_001)
    read_narrative(ctx)
    running = [c for c in ctx.chunks if "机关运行经费15.14万元" in c.text]
    assert running and running[0].kind == "explanation"
    assert {c.kind for c in ctx.chunks if "社会保障和就业支出(类)" in c.text} == {"explanation", "glossary"}


# --- the narrative project list ----------------------------------------------------------------------


def mentions(ctx: Context) -> list[tuple[str, Decimal]]:
    return [(m.project.name, m.project.amount) for m in ctx.mentions if m.source == "narrative"]


def test_seed_000_project_list():
    ctx = context(SEED_000)
    read_narrative(ctx)
    got = mentions(ctx)
    assert got[0] == ("往来资金", Decimal("300"))
    assert got[-1] == ("购买服务人员经费", Decimal("225"))
    assert len(got) == 10 and ("城乡居民医疗救助资金", Decimal("260")) in got
    assert not any(name in ("咨询费", "培训费") for name, _ in got)  # the 公用经费 list is not projects
    assert all(m.project.provenance.line for m in ctx.mentions)


def test_seed_001_project_list():
    ctx = context(SEED_001)
    read_narrative(ctx)
    got = mentions(ctx)
    assert len(got) == 8
    assert ("购买医保经办服务经费", Decimal("324.09")) in got and ("经办服务办公经费", Decimal("33.80")) in got
    assert not any("工资福利" in name or "支出(类)" in name for name, _ in got)


PROJECT_PROSE = """五、一般公共预算支出情况

（一）基本支出 50 万元，主要用于：1. 办公费 3 万元；2. 差旅费 2 万元。

（二）项目支出 120 万元，主要用于：

购买医保经办服务经费 100 万元，主要用于购买经办服务。

宣传经费 20 万元，主要用于政策宣传。

按功能科目，卫生健康支出 170 万元。

1. 这不是项目 5 万元。

（三）项目支出 30 万元，其中：1. 往来资金 30 万元；2. 培训经费 0.5 万元。
"""


def test_project_list_shapes(tmp_path):
    ctx = text_context(tmp_path, PROJECT_PROSE)
    read_narrative(ctx)
    assert mentions(ctx) == [
        ("购买医保经办服务经费", Decimal("100")), ("宣传经费", Decimal("20")),
        ("往来资金", Decimal("30")), ("培训经费", Decimal("0.5")),
    ]


COUNTED = """四、绩效目标设置情况

2025年度，本单位编报绩效目标的项目共3个，涉及项目预算资金430.00万元。其中：中介机构服务费418.80万元，财政业务费8.20万元，援滇干部工作经费3.00万元。

五、国有资产占有使用情况

本部门编报绩效目标的项目共5个，涉及项目预算资金100.00万元。其中：甲经费10.00万元，乙经费20.00万元。
"""


def test_projects_a_sentence_counts_and_lists(tmp_path):
    """Kept when the list has as many items as counted (or adds up to the total); the second list has
    neither, so it is not taken for projects."""
    ctx = text_context(tmp_path, COUNTED)
    read_narrative(ctx)
    assert [(m.source, m.project.name, m.project.amount) for m in ctx.mentions] == [
        ("counted", "中介机构服务费", Decimal("418.80")), ("counted", "财政业务费", Decimal("8.20")),
        ("counted", "援滇干部工作经费", Decimal("3.00")),
    ]


# --- paragraphs and splitting ----------------------------------------------------------------------------

BROKEN = """（一）部门主要职能

1. 贯彻落实药品、医用耗材的招标采购政策并监督实

施，建设和运用药品、医用耗材招标采购平台。

2. 完成上级交办的其他任务。

（二）部门预算单位构成

1. 办公室
2. 业务科
"""


def test_paragraph_broken_mid_sentence_is_joined(tmp_path):
    ctx = text_context(tmp_path, BROKEN)
    first, second = [paragraphs(b) for b in ctx.blocks if b.title]
    assert [p.text for p in first] == [
        "1. 贯彻落实药品、医用耗材的招标采购政策并监督实施，建设和运用药品、医用耗材招标采购平台。",
        "2. 完成上级交办的其他任务。",
    ]
    assert [ln.no for ln in first[0].lines] == [3, 5]
    assert [p.text for p in second] == ["1. 办公室", "2. 业务科"]  # short list items stay apart


def test_split_text_cuts_at_sentence_ends():
    text = "甲" * 250 + "。" + "乙" * 250 + "。" + "丙" * 900
    pieces = split_text(text)
    assert pieces[0] == "甲" * 250 + "。" and pieces[1] == "乙" * 250 + "。"
    assert all(len(p) <= CHUNK_LIMIT for p in pieces) and "".join(pieces) == text


@pytest.mark.parametrize(
    "headings,kind",
    [
        (["第一部分 部门概况", "（一）部门主要职能"], "function"),
        (["二、年度工作目标及主要任务"], "task"),
        (["九、专业性较强的名称解释："], "glossary"),
        (["第四部分 名词解释", "(四) 本部门使用的主要支出功能分类科目(项级)："], "glossary"),
        (["第一部分 概况", "(二) 部门预算单位构成情况"], "other"),
        (["八、其他重要事项的情况说明", "(一)机关运行经费情况"], "explanation"),
        (["第一部分 江岸区医保局概况"], "other"),
    ],
)
def test_kind_from_headings(headings, kind):
    assert kind_of(headings) == kind


UNIT_PARA = """一、部门基本情况

（一）部门主要职能

1. 负责全区医疗保障工作。

江岸区医疗保障服务中心承担辖区医疗保障经办工作。
"""


def test_paragraph_about_a_named_unit(tmp_path):
    ctx = text_context(tmp_path, UNIT_PARA + "\n部门收支总表\n\n单位名称：武汉市江岸区医疗保障局\n\n项目\t预算数\n")
    from ingest.records import Unit

    ctx.units.append(Unit("武汉市江岸区医疗保障服务中心", "303002"))
    read_narrative(ctx)
    subjects = [(c.subject_type, c.subject) for c in ctx.chunks]
    assert subjects == [("department", "武汉市江岸区医疗保障局"), ("unit", "武汉市江岸区医疗保障服务中心")]


# --- project-form chunks --------------------------------------------------------------------------------


def test_project_form_chunks(tmp_path):
    ctx = text_context(tmp_path, BROKEN)
    prov = Provenance("test", table="项目申报表", line=700)
    ind = Indicator(ANNUAL, "产出指标", "数量指标", "电话接入量", ">10 万次", basis="历史数据",
                    provenance=Provenance("test", line=919))
    ctx.mention("form", Project(
        name="职工医保工作经费", legal_basis_text="根据《社会保险法》。" * 60, implementation_text="按计划组织实施。",
        goals=((LONG_TERM, "提升经办服务水平"), (ANNUAL, "完成年度经办任务")), indicators=(ind,), provenance=prov))
    ctx.mention("table", Project(name="不是表单", legal_basis_text="不应成块"))
    read_narrative(ctx)
    project = [c for c in ctx.chunks if c.subject_type == "project"]
    assert {c.subject for c in project} == {"职工医保工作经费"}
    kinds = [c.kind for c in project]
    assert kinds.count("legal_basis") == 2 and kinds.count("implementation") == 1 and kinds.count("goal") == 2
    (indicator,) = [c for c in project if c.kind == "indicator"]
    assert indicator.text == "年度目标 产出指标/数量指标/电话接入量：>10 万次（历史数据）"
    assert indicator.provenance.line == 919
    assert all(len(c.text) <= CHUNK_LIMIT and c.provenance.table == "项目申报表" for c in project if c.kind != "indicator")

"""Metamorphic: the 基本支出表's economic lines printed in the layouts real disclosures use give the same records.

The same lines (the 2024 区城管执法局 budget fixture's 表7, read here from its printed rows) are printed as
(a) one table with a 人员经费 | 公用经费 column pair, (b) one table of two blocks under （一）人员经费 / （二）公用经费
sub-headings, each with its header and subtotal row (the fixture's own print), (b2) the same with the header printed
once above both blocks, (b3) one list with 人员经费 / 公用经费 subtotal rows heading their rows and no sub-headings,
(b4) the same with ``…合计`` rows closing them, (c) two tables titled …（人员经费） / …（公用经费）, (d) the two lists
side by side in one grid under a 人员经费 | 公用经费 header, (d2) the same under one header, each list's subtotal
last.  Each is put in place of 表7 in the
whole document; every layout must give the same economic lines, the same 人员经费 / 公用经费 totals, the checks
人员经费 = 301 + 303 and 公用经费 = 302 + 310 (+ 399) passing on the same figures, 基本支出表 = 基本支出 passing, and
no completeness finding (nor any other warning).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import FIXTURES
from ingest.layout import Line
from ingest.pipeline import extract
from ingest.sections import split_blocks

SOURCE = FIXTURES / "multiyear" / "jiangxia_cgzf_2024_budget.txt"
TITLE = "武汉市江夏区城市管理执法局2024年一般公共预算基本支出预算表"
PREAMBLE = ["", "表7", "", "编制单位：武汉市江夏区城市管理执法局\t\t\t\t单位：万元", ""]
PERSONNEL = ("301", "303")


def _printed_lines() -> tuple[list[str], int, int, list[tuple[str, str, str]]]:
    """The document's lines, where its 表7 starts and ends, and 表7's coded rows (code, name, amount as printed)."""
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    start = lines.index(TITLE)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].endswith("表") and "\t" not in lines[i])
    rows = [tuple(ln.split("\t")) for ln in lines[start:end] if re.match(r"\d{3}", ln)]
    return lines, start, end, rows


LINES, START, END, ROWS = _printed_lines()


def _sum(rows) -> str:
    return f"{sum((Decimal(a) for c, _, a in rows if len(c) == 3), Decimal(0)):.2f}"


def _split() -> tuple[list, list]:
    return [r for r in ROWS if r[0][:3] in PERSONNEL], [r for r in ROWS if r[0][:3] not in PERSONNEL]


def _rows(rows) -> list[str]:
    return ["\t".join(r) for r in rows]


def columns() -> list[str]:
    pers, pub = _split()
    body = [f"{c}\t{n}\t{a}\t{a if c[:3] in PERSONNEL else ''}\t{'' if c[:3] in PERSONNEL else a}" for c, n, a in ROWS]
    return [TITLE, *PREAMBLE, "经济科目编码\t经济科目名称\t合计\t人员经费\t公用经费",
            f"合计\t\t{_sum(ROWS)}\t{_sum(pers)}\t{_sum(pub)}", *body]


HEAD = "经济科目编码\t经济科目名称\t预算数"


def blocks() -> list[str]:
    pers, pub = _split()
    return [TITLE, *PREAMBLE, "（一）人员经费", "", HEAD, f"\t人员经费合计\t{_sum(pers)}", *_rows(pers), "",
            "（二）公用经费", "", HEAD, f"\t公用经费合计\t{_sum(pub)}", *_rows(pub)]


def blocks_one_header() -> list[str]:
    pers, pub = _split()
    return [TITLE, *PREAMBLE, HEAD, "（一）人员经费", f"\t人员经费合计\t{_sum(pers)}", *_rows(pers),
            "（二）公用经费", f"\t公用经费合计\t{_sum(pub)}", *_rows(pub)]


def subtotal_rows() -> list[str]:
    pers, pub = _split()
    return [TITLE, *PREAMBLE, HEAD, f"合计\t\t{_sum(ROWS)}", f"\t人员经费\t{_sum(pers)}", *_rows(pers),
            f"\t公用经费\t{_sum(pub)}", *_rows(pub)]


def subtotals_below() -> list[str]:
    pers, pub = _split()
    return [TITLE, *PREAMBLE, HEAD, *_rows(pers), f"人员经费合计\t\t{_sum(pers)}", *_rows(pub),
            f"公用经费合计\t\t{_sum(pub)}"]


def two_tables() -> list[str]:
    pers, pub = _split()
    return [f"{TITLE}（人员经费）", *PREAMBLE, HEAD, f"合计\t\t{_sum(pers)}", *_rows(pers), "",
            f"{TITLE}（公用经费）", "", "单位：万元", "", HEAD, f"合计\t\t{_sum(pub)}", *_rows(pub)]


def _paired(pers, pub) -> list[str]:
    """The two lists' rows side by side, the shorter padded with blank cells."""
    pad = lambda rows, i: list(rows[i]) if i < len(rows) else ["", "", ""]  # noqa: E731
    return ["\t".join(pad(pers, i) + pad(pub, i)) for i in range(max(len(pers), len(pub)))]


def side_by_side() -> list[str]:
    pers, pub = _split()
    return [TITLE, *PREAMBLE, "人员经费\t\t\t公用经费\t\t", f"{HEAD}\t{HEAD}",
            f"\t人员经费合计\t{_sum(pers)}\t\t公用经费合计\t{_sum(pub)}", *_paired(pers, pub)]


def side_by_side_below() -> list[str]:
    """The two lists side by side under one header, each list's subtotal on the last row (as 普陀区 决算 print it)."""
    pers, pub = _split()
    return [TITLE, *PREAMBLE, f"{HEAD}\t{HEAD}", *_paired(pers, pub),
            f"人员经费合计\t\t{_sum(pers)}\t公用经费合计\t\t{_sum(pub)}"]


LAYOUTS = {"columns": columns, "blocks": blocks, "blocks_one_header": blocks_one_header,
           "subtotal_rows": subtotal_rows, "subtotals_below": subtotals_below, "two_tables": two_tables,
           "side_by_side": side_by_side, "side_by_side_below": side_by_side_below}
CLASS_RULES = ("personnel_public_classes", "basic_vs_economic")


@pytest.fixture(scope="module")
def readings(tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("basic_parts")
    out = {}
    for name, make in LAYOUTS.items():
        path = Path(folder) / f"{name}.txt"
        path.write_text("\n".join([*LINES[:START], *make(), "", *LINES[END:]]) + "\n", encoding="utf-8")
        out[name] = extract(path)
    return out


def _lines(ex) -> list[tuple[str, str, Decimal | None]]:
    return sorted((li.code, li.name, li.total) for li in ex.line_items if li.role == "basic_economic")


def _class_checks(ex) -> list[tuple[str, bool, Decimal | None, Decimal | None]]:
    return sorted((c.rule, c.passed, c.left.amount, c.right.amount) for c in ex.checks if c.rule in CLASS_RULES)


def test_the_model_is_the_fixture_table():
    assert len(ROWS) == 20 and {c[:3] for c, _, _ in ROWS} == {"301", "302", "303"}


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_layout_gives_the_printed_lines_and_parts(readings, name):
    ex = readings[name]
    assert _lines(ex) == sorted((c, n, Decimal(a)) for c, n, a in ROWS)
    pers, pub = _split()
    totals = {t.key: t.amount for t in ex.totals}
    assert totals["personnel_expenditure"] == Decimal(_sum(pers)) == Decimal("825.56")
    assert totals["public_expenditure"] == Decimal(_sum(pub)) == Decimal("72.55")
    sources = {t.key: t.provenance.line for t in ex.totals if t.key in ("personnel_expenditure", "public_expenditure")}
    assert all(START < line <= START + len(LAYOUTS[name]()) for line in sources.values())


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_layout_passes_the_same_class_checks(readings, name):
    checks = _class_checks(readings[name])
    assert checks == _class_checks(readings["columns"])
    assert sorted((left, right) for rule, _, left, right in checks if rule == "personnel_public_classes") == [
        (Decimal("72.55"), Decimal("72.55")), (Decimal("825.56"), Decimal("825.56"))]
    assert all(passed for _, passed, _, _ in checks) and "basic_vs_economic" in {c[0] for c in checks}


@pytest.mark.parametrize("name", LAYOUTS)
def test_no_layout_raises_a_finding(readings, name):
    ex = readings[name]
    assert [c.message for c in ex.checks if not c.passed] == []
    assert [(f.rule, f.message) for f in ex.findings if f.severity != "info"] == []



def _blocks_of(texts: list[str]):
    lines = [Line(i, t, t.split("\t") if "\t" in t else [t]) for i, t in enumerate(texts, 1)]
    return [(b.role, b.title, b.part) for b in split_blocks(lines)]


def test_a_heading_naming_a_part_opens_a_part_only_above_rows():
    """（一）人员经费 followed by prose (the 情况说明's heading) ends the table; above rows it opens a part."""
    prose = ["（一）人员经费", "", "（一）人员经费825.56万元，主要包括基本工资、津贴补贴。"]
    assert _blocks_of([*columns(), "", *prose])[-2:] == [
        ("basic_economic", TITLE, None), ("narrative", "（一）人员经费", None)]
    assert _blocks_of(blocks()) == [("basic_economic", TITLE, "personnel"), ("basic_economic", TITLE, "public")]
    assert _blocks_of(two_tables()) == [("basic_economic", f"{TITLE}（人员经费）", "personnel"),
                                        ("basic_economic", f"{TITLE}（公用经费）", "public")]

"""Every fact with provenance says where its value was read, and the place shows it.

For each seed, fixture, shared PDF and a disclosure cut into several files: the snippet of every fact's
source — each field of a project, the document and its staffing, each alias, goal, citation, line item,
total, unit, 三公 line, funding, activity, procurement row, indicator and passage — occurs at the page and
line it names (the lines of the file it names, read as ingest reads them), and contains the value:
amounts as numbers in the table's unit (万元, or 元 where the table prints 元), text by normalised
containment.
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import combinations
from pathlib import Path

import pytest

from disclosure_parts import CUTS, SOURCE, split
from helpers import FIXTURES, SAMPLES, SHARED, SHARED_PDFS, needs_pdfs
from ingest.document.sources import PHASE_WORDS
from ingest.document.names import split_region
from ingest.document.title import UNIT_SCOPE
from ingest.layout import Line
from ingest.normalise import fold_brackets, fold_width, squash
from ingest.pipeline import extract, extract_disclosure, read_lines
from ingest.records import SOURCED_FIELDS, Extraction, Indicator, Provenance, Sourced

TEXTS = sorted({p.name: p for p in [*SAMPLES, *sorted((FIXTURES / "docs").glob("*.txt")),
                                   *(sorted((SHARED / "seeds").glob("*.txt")) if SHARED else [])]}.values())
PDFS = sorted(SHARED_PDFS.glob("*.pdf")) if SHARED_PDFS.is_dir() else []
WINDOW = 12  # lines a value read on several lines may run over
YUAN = Decimal(10000)  # 元 per 万元


def _norm(text: object) -> str:
    return fold_brackets(fold_width(squash(text))).replace(",", "")


def _occurs(snippet: str, pv: Provenance, lines: dict[int, Line]) -> bool:
    """The snippet starts on the line ``pv`` names (on its page) and runs on, in order, over the next lines."""
    line = lines.get(pv.line)
    if line is None or line.page != pv.page or not snippet:
        return False
    start = _norm(line.plain).find(snippet[:min(len(snippet), 4)])
    if start < 0:
        return False
    rest = iter(_norm(line.plain)[start:] + "".join(
        _norm(lines[n].plain) for n in range(pv.line + 1, pv.line + WINDOW) if n in lines))
    return all(ch in rest for ch in snippet)


def _numbers(text: str) -> list[Decimal]:
    return [Decimal(n) for n in re.findall(r"\d+(?:\.\d+)?", fold_width(text).replace(",", ""))]


def _shows(snippet_raw: str, value: object, below: str = "") -> bool:
    """The snippet contains the value: an amount as a number (万元 or 元), a text (its start, when the
    snippet was cut short) normalised — a text wrapped onto the lines ``below``, or within its row (its
    cells ``1-6 级伤残军人医疗费用应 … 报尽报``), shows its two parts in order."""
    if isinstance(value, Decimal):
        return any(n in (value, value * YUAN) for n in _numbers(snippet_raw))
    want, snippet = _norm(value), _norm(snippet_raw)
    if want in snippet:
        return True
    at = snippet.find(want[:20])
    if at >= 0 and want.startswith(snippet[at:]) and len(snippet[at:]) >= 20:  # a long text, cut
        return True
    for cut in range(2, len(want)):  # wrapped: the head in the snippet, the tail after it or below
        head, tail = want[:cut], want[cut:]
        if head in snippet and (_norm(below).startswith(tail) or tail in snippet[snippet.find(head) + len(head):]):
            return True
    return False


def _printed(record: object, field: str, value: object) -> object:
    """The words a document prints for a field's value: a phase as 预算/决算, a scope as 部门/单位."""
    if field == "phase":
        return PHASE_WORDS[value]
    if field == "scope":
        return "单位" if value == UNIT_SCOPE else "部门"
    return str(value) if isinstance(value, int) else value


def _sourced_fields(record: Sourced) -> list[tuple[str, Provenance, object]]:
    """(field, place, value) of each filled field of a record keeping field sources: its own source, else
    (an indicator's field read on its row) the record's."""
    own = {fs.field: fs for fs in record.field_sources if fs.value is None}
    out = [(fs.field, fs.provenance, fs.value) for fs in record.field_sources if fs.value is not None]
    for name in SOURCED_FIELDS[type(record)]:
        value = getattr(record, name)
        if value in (None, ""):
            continue
        if name in own:
            out.append((name, own[name].provenance, _printed(record, name, value)))
        elif isinstance(record, Indicator) and record.provenance and name not in ("level1", "level2", "comparator"):
            out.append((name, record.provenance, value))  # 一级/二级 labels not sourced are implied, not printed
    return out


def _facts(ex: Extraction) -> list[tuple[str, Provenance, object]]:
    """(what, where, value shown) of every fact of ``ex`` with provenance."""
    out: list[tuple[str, Provenance, object]] = []

    def add(what: str, pv: Provenance | None, *values: object) -> None:
        if pv is not None:
            out.extend((what, pv, v) for v in values if v not in (None, ""))

    records: list[Sourced] = [ex.document, *([ex.staffing] if ex.staffing else []), *ex.projects,
                              *ex.department_indicators, *(i for p in ex.projects for i in p.indicators)]
    for r in records:
        out += [(f"{type(r).__name__}.{f}", pv, v) for f, pv, v in _sourced_fields(r)]
    for p in ex.projects:
        for fs in p.field_sources:
            if fs.value is None and fs.field not in SOURCED_FIELDS[type(p)]:
                out.append((f"project.{fs.field}", fs.provenance, getattr(p, fs.field)))
        for c in p.citations:
            add(f"{p.name} cites", c.provenance, _norm(c.raw)[:8])
        for f in p.funding:
            add(f"{p.name} funding", f.provenance, f.amount)
        for a in p.activities:
            add(f"{p.name} activity", a.provenance, a.name)
    for li in ex.line_items:
        add(f"line {li.code}", li.provenance, li.code, li.name, li.total, li.basic, li.project)
    for t in ex.totals:
        add(f"total {t.key}", t.provenance, t.amount)
    for u in ex.units:  # a unit printed without the department's region (医疗保障基金核查中心) is named with it
        add("unit", u.provenance, split_region(u.name)[1] or u.name, u.code)
    for tp in ex.three_public:
        add(f"三公 {tp.item}", tp.provenance, tp.amount)
    for row in {*ex.procurement, *(r for p in ex.projects for r in p.procurement)}:
        add(f"procurement {row.item}", row.provenance, row.amount)
    for ch in ex.chunks:  # a goal's or an indicator's passage is composed: its goal text, its 三级指标 show
        composed = ch.subject_type == "project" and ch.kind in ("goal", "indicator")
        label, colon, rest = ch.text.partition("：")
        if composed and not colon:
            continue  # a later piece of a long goal: placed where the goal starts
        text = (rest if ch.kind == "goal" else label.rsplit("/", 1)[-1]) if composed else ch.text
        add(f"chunk {ch.kind}", ch.provenance, _norm(text)[:10])
    return out


def _summed(ex: Extraction, what: str, pv: Provenance, value: object) -> bool:
    """A total the document does not print but that its table sums: two or more amounts of its row (项目支出
    in two columns), or of the table's 类 rows (人员经费 = 301 + 303), add up to it; a table printing no
    amount of it sums to 0 at its title."""
    if not what.startswith("total ") or not isinstance(value, Decimal):
        return False
    if value == 0 and pv.table and _norm(pv.snippet) == _norm(pv.table):
        return True
    rows = [li.total for li in ex.line_items if li.total is not None and len(li.code) == 3
            and li.provenance and li.provenance.table == pv.table]
    for amounts, least in ((_numbers(pv.snippet), 2), (rows, 1)):
        if any(sum(c) in (value, value * YUAN) for n in range(least, 5) for c in combinations(amounts[:12], n)):
            return True
    return False


def _code_tail(what: str, pv: Provenance, value: object) -> bool:
    """A 款/项 code printed as its own digits under its 类 (``05`` of 20805, ``3 01 53`` of 2130153)."""
    digits = re.match(r"[\d\s]+", pv.snippet)
    printed = re.sub(r"\s", "", digits[0]) if digits else ""
    return what == f"line {value}" and len(printed) >= 2 and str(value).endswith(printed)


def _bad_sources(ex: Extraction, lines: dict[str | None, dict[int, Line]]) -> list[str]:
    bad = []
    for what, pv, value in _facts(ex):
        at = lines.get(pv.source, {})
        below = "".join(at[n].plain for n in range(pv.line + 1, pv.line + 4) if n in at) if pv.line else ""
        if not (_occurs(_norm(pv.snippet), pv, at) and (_shows(pv.snippet, value, below) or _summed(ex, what, pv, value)
                                                        or _code_tail(what, pv, value))):
            bad.append(f"{what}={str(value)[:30]!r} @ {pv.source or ''} p{pv.page} l{pv.line}: {pv.snippet[:60]!r}")
    return bad


def _check(path: Path) -> None:
    _check_disclosure(extract(path), {None: {ln.no: ln for ln in read_lines(path)}})


def _check_disclosure(ex: Extraction, lines: dict[str | None, dict[int, Line]]) -> None:
    for p in ex.projects:  # every filled field has a source
        missing = [f for f in ("name", "code", "unit", "amount", "executing_unit")
                   if getattr(p, f) not in (None, "") and not any(fs.field == f for fs in p.field_sources)]
        assert not missing, f"{p.name}: no source for {missing}"
    d = ex.document
    assert {fs.field for fs in d.field_sources} >= {"title", "year", "phase", "department"} - (
        set() if d.year else {"year"}), f"{d.title}: document fields without a source"
    facts = _facts(ex)
    bad = _bad_sources(ex, lines)
    assert not bad, f"{d.title}: {len(bad)} of {len(facts)} sources do not show their value:\n" + "\n".join(bad)


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_text_field_sources_show_their_values(path):
    _check(path)


@needs_pdfs
@pytest.mark.parametrize("name", ["putuo_czj_2024_juesuan_dept.pdf", "putuo_czj_2025_yusuan_dept.pdf",
                                  "putuo_ghzyj_2024_juesuan_dept.pdf", "putuo_swh_2025_yusuan_dept.pdf",
                                  "putuo_wanli_2023_yusuan_dept.pdf"])
def test_pdf_field_sources_show_their_values(name):
    path = SHARED_PDFS / name
    if not path.is_file():
        pytest.skip(f"{name} not in shared/pdfs")
    _check(path)


def test_a_disclosure_of_several_files_places_each_fact_in_its_file(tmp_path):
    """Fixture 104 cut into narrative, tables and forms: each fact's snippet is found in the file it names."""
    parts = split(SOURCE.read_text(encoding="utf-8"), tmp_path)
    paths = [parts[name][0] for name, _, _ in CUTS]
    ex = extract_disclosure(paths)
    lines = {p.name: {ln.no: ln for ln in read_lines(p)} for p in paths}
    assert {pv.source for _, pv, _ in _facts(ex)} == set(lines)
    _check_disclosure(ex, lines)


def test_merged_project_fields_come_from_the_form():
    """城乡医疗救助: the project-table row (511) names it and gives its amount; its code, executing unit and
    goals come from its form (1063–1098); each alias from where it is named."""
    ex = extract(SAMPLES[0])
    p = next(p for p in ex.projects if p.name == "城乡医疗救助")
    line = {fs.field: fs.provenance.line for fs in p.field_sources if fs.value is None}
    assert line["amount"] == line["name"] == 511
    assert (line["code"], line["executing_unit"], line["attribute"]) == (1069, 1070, 1073)
    goals = {fs.field: fs.provenance.line for fs in p.field_sources if fs.field.endswith("_goal")}
    assert goals == {"long_term_goal": 1097, "annual_goal": 1098}
    aliases = {fs.value: fs.provenance.line for fs in p.field_sources if fs.field == "aliases"}
    assert aliases == {"医疗救助款": 1069, "城乡居民医疗救助资金": 162}


def test_form_goal_citations_point_at_the_goal_row():
    """The 武政规〔2016〕32号 of a form's 长期绩效目标 is on the goal's row (630), not the form's title (595)."""
    ex = extract(SAMPLES[1])
    p = next(p for p in ex.projects if p.name == "统筹和组织实施医疗救助工作经费")
    goal_lines = {c.provenance.line for c in p.citations if c.field == "performance_goal"}
    assert goal_lines == {630}
    assert {c.provenance.line for c in p.citations if c.field == "implementation"} == {609}

"""Every project field, alias, goal and citation says where its value was read, and the place shows it.

For each seed, fixture and shared PDF: the snippet of every field source occurs at the page and line it
names (the lines read as ingest reads them), and contains the value — amounts as numbers in the
document's unit (万元, or 元 where the table prints 元), text by normalised containment.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import FIXTURES, SAMPLES, SHARED, SHARED_PDFS, needs_pdfs
from ingest.layout import Line
from ingest.normalise import fold_brackets, fold_width, squash
from ingest.pipeline import extract, read_lines
from ingest.records import Extraction, Provenance

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


def _shows(snippet_raw: str, value: object) -> bool:
    """The snippet contains the value: an amount as a number (万元 or 元), a text (its start, when the
    snippet was cut short) normalised."""
    if isinstance(value, Decimal):
        numbers = [Decimal(n) for n in re.findall(r"\d+(?:\.\d+)?", fold_width(snippet_raw).replace(",", ""))]
        return any(n in (value, value * YUAN) for n in numbers)
    want, snippet = _norm(value), _norm(snippet_raw)
    if want in snippet:
        return True
    at = snippet.find(want[:20])
    return at >= 0 and want.startswith(snippet[at:]) and len(snippet[at:]) >= 20  # a long text, cut


def _bad_sources(ex: Extraction, lines: dict[int, Line]) -> list[str]:
    bad = []
    for p in ex.projects:
        for fs in p.field_sources:
            value = fs.value if fs.value is not None else getattr(p, fs.field)
            snippet = _norm(fs.provenance.snippet)
            if not (_occurs(snippet, fs.provenance, lines) and _shows(fs.provenance.snippet, value)):
                bad.append(f"{p.name}.{fs.field}={str(value)[:30]!r} @ p{fs.provenance.page} l{fs.provenance.line}: "
                           f"{fs.provenance.snippet[:60]!r}")
        for c in p.citations:
            if c.provenance and not (_occurs(_norm(c.provenance.snippet), c.provenance, lines)
                                     and _norm(c.raw)[:8] in _norm(c.provenance.snippet)):
                bad.append(f"{p.name} cites {c.raw!r} @ l{c.provenance.line}: {c.provenance.snippet[:60]!r}")
    return bad


def _check(path: Path) -> None:
    ex = extract(path)
    lines = {ln.no: ln for ln in read_lines(path)}
    sourced = [fs for p in ex.projects for fs in p.field_sources]
    assert sourced or not ex.projects, f"{path.name}: no project field says where it was read"
    for p in ex.projects:  # every filled field has a source
        missing = [f for f in ("name", "code", "unit", "amount", "executing_unit")
                   if getattr(p, f) not in (None, "") and not any(fs.field == f for fs in p.field_sources)]
        assert not missing, f"{path.name}: {p.name}: no source for {missing}"
    bad = _bad_sources(ex, lines)
    assert not bad, f"{path.name}: {len(bad)} of {len(sourced)} sources do not show their value:\n" + "\n".join(bad)


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

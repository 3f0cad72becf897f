"""A disclosure published as several files (说明, 公开表, 绩效目标表) reads as it does in one file.

Fixture 104 is cut into its narrative, its tables and its performance forms (tests/disclosure_parts.py); the
joined files must give the records of the single file, score the same against its gold, and say in every
provenance which file a fact came from.
Batch grouping joins such parts only when their titles and text say they are one disclosure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.disclosure import group_files
from ingest.pipeline import disclosure_id, extract, extract_disclosure
from ingest.records import to_plain
from ingest.scoring import extraction_to_gold, score

from disclosure_parts import CUTS, FORMS, NARRATIVE, SOURCE, STEM, TABLES, split
from helpers import FIXTURES, gold

KINDS = ("document", "units", "offices", "staffing", "totals", "line_items", "three_public", "procurement",
         "projects", "department_indicators", "chunks", "findings", "checks")


def records(extraction) -> dict:
    """The records as plain data, without where they were read (a joined document counts lines per file)."""
    def strip(o):
        if isinstance(o, dict):
            return {k: strip(v) for k, v in o.items() if k not in ("provenance", "sources", "doc_id", "path")}
        if isinstance(o, list):
            return [strip(x) for x in o]
        return o
    return {k: strip(to_plain(getattr(extraction, k))) for k in KINDS}


def f1s(extraction) -> dict[str, float]:
    return {s.kind: s.f1 for s in score(gold(STEM), extraction_to_gold(extraction))}


@pytest.fixture(scope="module")
def single():
    return extract(SOURCE)


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    return split(SOURCE.read_text(encoding="utf-8"), tmp_path_factory.mktemp("parts"))


@pytest.fixture(scope="module")
def joined(parts):
    return extract_disclosure([parts[name][0] for name, _, _ in CUTS])


def test_joined_files_give_the_records_and_scores_of_the_single_file(single, joined, parts):
    assert records(joined) == records(single)
    assert f1s(joined) == f1s(single)
    assert all(v == 1.0 for v in f1s(joined).values())
    assert joined.document.doc_id == disclosure_id([p for p, _ in parts.values()])
    assert joined.document.doc_id != single.document.doc_id and joined.document.path == str(parts[NARRATIVE][0])


def test_every_provenance_names_its_file_and_its_line_there(single, joined, parts):
    lines = {name: path.read_text(encoding="utf-8").splitlines() for name, (path, _) in parts.items()}
    for a, b in zip(single.line_items, joined.line_items):
        assert b.provenance.source == TABLES
        assert b.provenance.line == a.provenance.line - parts[TABLES][1]
        assert b.name in lines[TABLES][b.provenance.line - 1]  # the row the fact was read from
    narrative_chunks = [c for c in joined.chunks if c.kind in ("function", "glossary", "explanation")]
    assert narrative_chunks and {c.provenance.source for c in narrative_chunks} == {NARRATIVE}
    indicators = [i for p in joined.projects for i in p.indicators]
    assert indicators and {i.provenance.source for i in indicators} == {FORMS}
    assert {t.provenance.source for t in joined.totals if t.provenance} <= {TABLES, NARRATIVE}
    assert {u.provenance.source for u in joined.units} == {TABLES}
    for single_unit, unit in zip(single.units, joined.units):
        assert unit.provenance.line == single_unit.provenance.line - parts[TABLES][1]


def test_narrative_totals_are_checked_against_the_tables_of_the_other_file(joined):
    across = [c for c in joined.checks
              if {c.left.provenance and c.left.provenance.source, c.right.provenance and c.right.provenance.source}
              == {NARRATIVE, TABLES}]
    assert across and all(c.passed for c in across)
    assert any(c.rule.startswith("narrative") for c in across)


def test_a_single_file_keeps_no_source(single):
    assert all(li.provenance.source is None for li in single.line_items)
    assert single.document.doc_id == disclosure_id([SOURCE])


def test_two_files_of_one_name_are_refused(tmp_path, parts):
    from ingest.errors import IngestError

    (tmp_path / "a").mkdir()
    copy = tmp_path / "a" / TABLES
    copy.write_bytes(parts[TABLES][0].read_bytes())
    with pytest.raises(IngestError, match="两个文件同名"):
        extract_disclosure([parts[TABLES][0], copy])


# --- grouping a batch --------------------------------------------------------------------------------------


def _groups(paths) -> list[list[str]]:
    return [[p.name for p in d.paths] for d in group_files(paths)]


def test_the_parts_of_a_disclosure_in_a_folder_are_joined_in_reading_order(parts):
    other = FIXTURES / "docs" / "101_qiaokou_edu_2025_budget.txt"
    batch = [parts[FORMS][0], other, parts[TABLES][0], parts[NARRATIVE][0]]
    disclosures = group_files(batch)
    assert [[p.name for p in d.paths] for d in disclosures] == [[NARRATIVE, TABLES, FORMS], [other.name]]
    why = disclosures[0].reason
    assert "赣州市南康区农业农村局" in why and all(name in why for name in (NARRATIVE, TABLES, FORMS))
    assert disclosures[1].reason is None


def test_two_departments_split_in_one_folder_are_paired_by_what_they_print(parts, tmp_path):
    text = (FIXTURES / "docs" / "102_fancheng_health_2025_unit_budget.txt").read_text(encoding="utf-8")
    cuts = ((f"说明_{NARRATIVE}", 1, None), (f"表_{TABLES}", 90, "襄阳市樊城区卫生健康局2025年单位预算公开表"))
    other = split(text, tmp_path, cuts)
    batch = [p for p, _ in (*parts.values(), *other.values())]
    assert _groups(batch) == [[NARRATIVE, TABLES, FORMS], [f"说明_{NARRATIVE}", f"表_{TABLES}"]]


def _swap(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize("what,edit", [
    ("another department",
     lambda name, t: _swap(t, "南康区农业农村局", "南康区水利局") if name == TABLES else t),
    ("the 决算 of the year", lambda name, t: _swap(t, "预算", "决算") if name == TABLES else t),
    ("a 单位 document", lambda name, t: _swap(_swap(t, "部门预算", "单位预算"), "部门收支", "单位收支")
     if name == TABLES else t),
])
def test_files_that_say_they_are_of_different_disclosures_stay_apart(tmp_path, what, edit):
    cut = split(SOURCE.read_text(encoding="utf-8"), tmp_path, CUTS[:2], edit)
    assert _groups([p for p, _ in cut.values()]) == [[NARRATIVE], [TABLES]], what


def test_files_holding_the_same_table_twice_stay_apart(tmp_path, parts):
    twice = tmp_path / f"副本_{TABLES}"
    twice.write_bytes(parts[TABLES][0].read_bytes())
    batch = [parts[NARRATIVE][0], parts[TABLES][0], twice]
    assert _groups(batch) == [[NARRATIVE], [TABLES], [twice.name]]


def test_a_whole_disclosure_and_a_copy_of_its_narrative_stay_apart(parts):
    assert _groups([SOURCE, parts[NARRATIVE][0]]) == [[SOURCE.name], [NARRATIVE]]


def test_similar_file_names_alone_join_nothing(tmp_path):
    a = tmp_path / "某局2025年部门预算公开说明.txt"
    b = tmp_path / "某局2025年部门预算公开表.txt"
    a.write_text((FIXTURES / "docs" / "102_fancheng_health_2025_unit_budget.txt").read_text(encoding="utf-8")
                 .splitlines()[0] + "\n本单位职责如下。\n", encoding="utf-8")
    b.write_bytes(SOURCE.read_bytes())
    assert _groups([a, b]) == [[a.name], [b.name]]


# --- the same as PDFs ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_joined_pdfs_give_the_records_of_the_whole_pdf(tmp_path):
    pytest.importorskip("reportlab")
    pytest.importorskip("paperang_p2_fonts_cjk")
    from pdfgen import render

    text = SOURCE.read_text(encoding="utf-8")
    pdfs = [render(path.read_text(encoding="utf-8"), path.with_suffix(".pdf"))
            for path, _ in split(text, tmp_path).values()]
    whole = extract(render(text, tmp_path / "whole.pdf"))
    joined = extract_disclosure(pdfs)
    assert records(joined) == records(whole)
    assert f1s(joined) == f1s(whole) and all(v == 1.0 for v in f1s(joined).values())
    tables = pdfs[1].name
    assert {li.provenance.source for li in joined.line_items} == {tables}
    for a, b in zip(whole.line_items, joined.line_items):  # the same row, on its page of the tables file
        assert b.provenance.bbox is not None and b.provenance.snippet == a.provenance.snippet


def test_a_missing_or_unreadable_file_stays_on_its_own(tmp_path, parts):
    missing, binary = tmp_path / "missing.txt", tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01" * 100)
    batch = [missing, parts[NARRATIVE][0], binary, parts[TABLES][0]]
    assert _groups(batch) == [[missing.name], [NARRATIVE, TABLES], [binary.name]]


def test_grouping_reads_each_file_once(monkeypatch, parts, joined):
    import ingest.pipeline as pipeline

    read = []
    real = pipeline.read_lines
    monkeypatch.setattr(pipeline, "read_lines", lambda path, *a, **k: read.append(path.name) or real(path, *a, **k))
    [disclosure] = group_files([parts[name][0] for name, _, _ in CUTS])
    assert records(extract_disclosure(disclosure.paths, readings=disclosure.readings)) == records(joined)
    assert sorted(read) == sorted(parts)

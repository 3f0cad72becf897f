"""A disclosure published as several files in the store: one document, a kept copy of each file, page images
drawn from the file a fact was read from, all copies gone with the document, and a writer killed while the
copies are staged or moved in leaves a store that settles to all or nothing on open.

The disclosure is fixture 104 cut into its narrative (a text export), its tables and its performance forms
(both PDFs), as tests/disclosure_parts.py cuts it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetkg_cli.main import cli
from kg.api import BudgetKG
from kg.browse import entity_view
from kg.page_image import PageImageError, render_page

from disclosure_parts import FORMS, NARRATIVE, SOURCE, TABLES, split
from test_crash_consistency import leftovers, run_killed

pytest.importorskip("reportlab")
pytest.importorskip("paperang_p2_fonts_cjk")
pytestmark = pytest.mark.slow  # renders two PDFs and ingests them


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    """The narrative as text, the tables and the forms as PDFs, in reading order."""
    from pdfgen import render

    folder = tmp_path_factory.mktemp("parts")
    parts = split(SOURCE.read_text(encoding="utf-8"), folder)
    out = [parts[NARRATIVE][0]]
    for name in (TABLES, FORMS):
        text = parts[name][0]
        out.append(render(text.read_text(encoding="utf-8"), text.with_suffix(".pdf")))
        text.unlink()
    return out


@pytest.fixture(scope="module")
def stored(files, tmp_path_factory):
    """A closed store holding the disclosure, and its id."""
    path = tmp_path_factory.mktemp("store") / "store"
    with BudgetKG.open(path) as kg:
        result = kg.ingest_together(files)
        assert result.ok, result.message
    return path, result.doc_id


def _names(paths) -> list[str]:
    return sorted(p.name for p in paths)


def _table_row_source(kg: BudgetKG, doc_id: str):
    """The source of the first coded table row that has a box on its page."""
    for i in range(40):
        view = entity_view(kg.store, f"doc/{doc_id}/line/{i}")
        boxed = [s for s in view.sources if s.bbox and s.page]
        if view.found and boxed:
            return boxed[0]
    raise AssertionError("no table row with a box")


def test_one_document_lists_its_files_and_keeps_a_copy_of_each(stored, files):
    path, doc_id = stored
    with BudgetKG.open(path) as kg:
        [info] = kg.documents()
        assert info.doc_id == doc_id and info.source_file == NARRATIVE
        assert sorted(info.source_files) == _names(files)
        kept = kg.store.source_files(doc_id)
        assert _names(kept) == _names(files) and all(k.parent == kg.store.sources / doc_id for k in kept)
        assert {k.name: k.read_bytes() for k in kept} == {f.name: f.read_bytes() for f in files}
        assert leftovers(path) == []


def test_a_table_fact_is_drawn_from_the_tables_file(stored, files):
    path, doc_id = stored
    tables_pdf = files[1]
    with BudgetKG.open(path) as kg:
        src = _table_row_source(kg, doc_id)
        assert src.source_file == tables_pdf.name and src.is_pdf
        png = kg.page_image(doc_id, src.page, src.bbox, source=src.source_file)
        assert png == render_page(tables_pdf, src.page, src.bbox)
        assert png != render_page(files[2], 1, src.bbox)
        with pytest.raises(PageImageError, match="not a PDF"):
            kg.page_image(doc_id, 1, source=NARRATIVE)  # the narrative was a text export
        with pytest.raises(PageImageError, match="keeps no copy"):
            kg.page_image(doc_id, 1, source="其他文件.pdf")


def test_delete_removes_every_copy(stored, tmp_path):
    path, doc_id = stored
    store = Path(shutil.copytree(path, tmp_path / "store"))
    with BudgetKG.open(store) as kg:
        kg.delete(doc_id)
        assert kg.documents() == [] and kg.store.source_files(doc_id) == []
        assert list(kg.store.sources.iterdir()) == []


def test_re_ingest_replaces_the_folder_of_copies(stored, files, tmp_path):
    path, doc_id = stored
    store = Path(shutil.copytree(path, tmp_path / "store"))
    with BudgetKG.open(store) as kg:
        assert kg.ingest_together(reversed(files)).doc_id == doc_id  # the same files in any order: one id
        assert _names(kg.store.source_files(doc_id)) == _names(files) and leftovers(store) == []


def _ingesting(files):
    def act(kg: BudgetKG) -> None:
        assert kg.ingest_together(files).ok
    return act


@pytest.mark.parametrize("point,complete", [("ingest:staged", False), ("ingest:committed", True),
                                            ("ingest:source-kept", True)])
def test_a_writer_killed_with_the_copies_staged_settles_on_open(files, tmp_path, point, complete):
    store = tmp_path / "store"
    BudgetKG.open(store).close()
    run_killed(store, _ingesting(files), point)
    staged = list((store / "sources").glob("*.part"))
    assert staged or complete  # the copies were staged (killed before they were moved in)
    with BudgetKG.open(store) as kg:
        assert leftovers(store) == []
        ids = [d.doc_id for d in kg.documents()]
        if complete:
            [doc_id] = ids
            assert _names(kg.store.source_files(doc_id)) == _names(files)
        else:
            assert ids == [] and list(kg.store.sources.iterdir()) == []
        result = kg.ingest_together(files)
        assert result.ok and _names(kg.store.source_files(result.doc_id)) == _names(files)


def test_a_batch_joins_the_parts_and_says_why(files, tmp_path):
    other = Path(__file__).resolve().parents[2] / "samples" / "001_c082f6ab8c9dd51c.txt"
    with BudgetKG.open(tmp_path / "store") as kg:
        results = kg.ingest([*files, other])
    assert [(r.ok, [f.name for f in r.files]) for r in results] == [
        (True, [f.name for f in files]), (True, [other.name])]
    assert "赣州市南康区农业农村局" in results[0].note and results[1].note is None


def test_cli_ingest_together_reads_the_files_as_one_document(files, tmp_path):
    store = tmp_path / "store"
    result = CliRunner().invoke(cli, ["ingest", "--together", "--no-embed", "-q", "--store", str(store),
                                      *map(str, files)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "已导入 1 / 1 份公开材料（共 3 个文件）" in result.output
    assert f"提示：作为同一份公开材料读取：{'、'.join(f.name for f in files)}" in result.output
    with BudgetKG.open(store) as kg:
        [info] = kg.documents()
        assert sorted(info.source_files) == _names(files)

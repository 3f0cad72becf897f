"""Page images of a real PDF (kg.page_image): the source row outlined in red; the store keeps its own copy of the file."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from kg.api import BudgetKG
from kg.browse import entity_view
from kg.page_image import DEFAULT_RESOLUTION, PageImageError, page_image, render_page, source_pdf

from helpers import SHARED_PDFS

PDF = SHARED_PDFS / "putuo_czj_2025_yusuan_dept.pdf"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not PDF.exists(), reason="the shared PDFs are not here")]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    root = tmp_path_factory.mktemp("pdfimg")
    copy = root / PDF.name
    shutil.copy(PDF, copy)
    with BudgetKG.open(root / "store") as kg:
        result = kg.ingest_file(copy)
        assert result.ok, result.message
        yield kg, result.doc_id, copy


def _line_with_box(kg, doc_id):
    """The first coded table row of the document and the source it was read from."""
    for i in range(40):
        view = entity_view(kg.store, f"doc/{doc_id}/line/{i}")
        boxed = [s for s in view.sources if s.bbox and s.page]
        if view.found and boxed:
            return view, boxed[0]
    raise AssertionError("no table row with a box")


def _red(pixel) -> bool:
    r, g, b = pixel[:3]
    return r > 180 and g < 90 and b < 90


def test_table_rows_carry_page_and_box_and_conform(ingested):
    kg, doc_id, copy = ingested
    view, src = _line_with_box(kg, doc_id)
    x0, top, x1, bottom = src.bbox
    assert src.is_pdf and src.source_file == PDF.name
    assert 0 <= x0 < x1 and 0 <= top < bottom and bottom - top < 60  # one row, not the page
    kept = source_pdf(kg.store, doc_id)
    assert kept.parent == kg.store.sources and kept.read_bytes() == copy.read_bytes()
    conforms, report = kg.validate(doc_id)
    assert conforms, report[:1500]


def test_page_png_has_the_page_size_and_the_row_outlined(ingested):
    kg, doc_id, _ = ingested
    _, src = _line_with_box(kg, doc_id)
    png = page_image(kg.store, doc_id, src.page, src.bbox)
    img = Image.open(io.BytesIO(png)).convert("RGB")
    import pdfplumber

    with pdfplumber.open(PDF) as pdf:
        page = pdf.pages[src.page - 1]
        width, height = float(page.width), float(page.height)
    scale = DEFAULT_RESOLUTION / 72
    assert abs(img.size[0] - width * scale) <= 1 and abs(img.size[1] - height * scale) <= 1
    x0, top, x1, bottom = (v * scale for v in src.bbox)
    mid_y = int((top + bottom) / 2)
    # the outline: red on the box's left and right edges, none far above it
    assert any(_red(img.getpixel((x, mid_y))) for x in range(max(int(x0) - 8, 0), int(x0) + 2))
    assert any(_red(img.getpixel((x, mid_y))) for x in range(int(x1) - 2, min(int(x1) + 8, img.size[0])))
    plain = Image.open(io.BytesIO(render_page(PDF, src.page))).convert("RGB")
    assert not any(_red(plain.getpixel((x, mid_y))) for x in range(0, plain.size[0], 3))


def test_the_page_is_drawn_from_the_kept_copy_after_the_original_moves(ingested):
    kg, doc_id, copy = ingested
    moved = copy.with_suffix(".moved")
    copy.rename(moved)
    try:
        assert page_image(kg.store, doc_id, 1).startswith(b"\x89PNG")
    finally:
        moved.rename(copy)
    with pytest.raises(PageImageError, match="no page 99"):
        page_image(kg.store, doc_id, 99)


def test_delete_removes_the_kept_copy_and_a_missing_copy_is_one_clear_error(tmp_path):
    with BudgetKG.open(tmp_path / "store") as kg:
        doc_id = kg.ingest_file(PDF).doc_id
        kept = kg.store.source_file(doc_id)
        assert kept is not None and kept.suffix == ".pdf" and not list(kg.store.sources.glob("*.part"))
        kept.unlink()
        with pytest.raises(PageImageError, match=r"putuo_czj_2025_yusuan_dept\.pdf: the store keeps no copy"):
            page_image(kg.store, doc_id, 1)
        doc_id2 = kg.ingest_file(PDF).doc_id
        assert doc_id2 == doc_id and kg.store.source_file(doc_id) is not None
        kg.delete(doc_id)
        assert kg.store.source_file(doc_id) is None and list(kg.store.sources.iterdir()) == []


def test_a_text_document_has_no_page_image(tmp_path):
    sample = Path(__file__).resolve().parents[2] / "samples" / "001_c082f6ab8c9dd51c.txt"
    with BudgetKG.open(tmp_path / "store") as kg:
        doc_id = kg.ingest_file(sample).doc_id
        with pytest.raises(PageImageError, match="not a PDF"):
            page_image(kg.store, doc_id, 1)

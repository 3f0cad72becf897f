"""PDFs (rendered by ``tests/pdfgen.py``): every variant of a disclosure reads back as the records of its model."""

import pytest

from .check import message, run
from .layout import PDF
from .variants import PDF_SEEDS

pytest.importorskip("reportlab")
pytest.importorskip("paperang_p2_fonts_cjk")


@pytest.mark.parametrize("seed", PDF_SEEDS, ids=[f"pdf-{s}" for s in PDF_SEEDS])
def test_pdf_variant_reads_as_its_model(seed, tmp_path):
    diffs = run(seed, PDF, tmp_path)
    assert not diffs, message(seed, PDF, diffs)

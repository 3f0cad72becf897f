"""PDFs (rendered by ``tests/pdfgen.py``): every variant of a disclosure reads back as the records of its model."""

import pytest

from .check import message, run
from .known_failures import marks
from .variants import PDF_VARIANTS

pytest.importorskip("reportlab")
pytest.importorskip("paperang_p2_fonts_cjk")


@pytest.mark.parametrize("variant", [pytest.param(v, id=v.id, marks=marks(v.id)) for v in PDF_VARIANTS])
def test_pdf_variant_reads_as_its_model(variant, tmp_path):
    diffs = run(variant, tmp_path)
    assert not diffs, message(variant, diffs)

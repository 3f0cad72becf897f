"""Several page sizes in one file: narrative on A4 portrait pages, tables on A4 and A3 landscape pages in turn
(tests/pdfgen.py ``wide_pages``).  Each fixture rendered so must score as its text export does, its table rows
read on the landscape pages (boxes beyond an A4 width on A3) and its narrative on the portrait ones."""

from __future__ import annotations

import pytest

from ingest.pipeline import extract
from ingest.scoring import extraction_to_gold, score

pytest.importorskip("reportlab")
pytest.importorskip("paperang_p2_fonts_cjk")

from helpers import FIXTURES, gold
from pdfgen import render  # noqa: E402  (pytest puts tests/ on the path)

pytestmark = pytest.mark.slow  # renders PDFs with reportlab and reads them back

STEMS = ("100_hanyang_civil_2024_final", "102_fancheng_health_2025_unit_budget", "105_lusong_medsec_2024_budget")
NARRATIVE_KINDS = ("function", "explanation", "glossary")


def _f1s(extraction, stem: str) -> dict[str, float]:
    return {s.kind: s.f1 for s in score(gold(stem), extraction_to_gold(extraction))}


@pytest.mark.parametrize("stem", STEMS)
def test_mixed_page_sizes_read_as_the_text(stem, tmp_path):
    import pdfplumber
    from reportlab.lib.pagesizes import A3, A4, landscape

    txt = FIXTURES / "docs" / f"{stem}.txt"
    pdf = render(txt.read_text(encoding="utf-8"), tmp_path / f"{stem}.pdf", landscape_columns=0,
                 wide_pages=(landscape(A4), landscape(A3)))
    with pdfplumber.open(pdf) as doc:
        sizes = {p.page_number: (round(float(p.width)), round(float(p.height))) for p in doc.pages}
    assert set(sizes.values()) == {(595, 842), (842, 595), (1191, 842)}
    got = extract(pdf)
    assert _f1s(got, stem) == _f1s(extract(txt), stem)
    rows = [li.provenance for li in got.line_items]
    assert rows and all(sizes[p.page][0] > sizes[p.page][1] for p in rows)  # every table row on a landscape page
    a3 = [p for p in rows if sizes[p.page] == (1191, 842)]
    assert a3 and any(p.bbox[2] > 842 for p in a3)  # rows read across the whole A3 width
    prose = [c.provenance for c in got.chunks if c.kind in NARRATIVE_KINDS]
    assert prose and all(sizes[p.page] == (595, 842) for p in prose)

"""The PDF path reads what the text path reads: each text disclosure (the two seeds, the fixtures) is
rendered to a PDF by ``tests/pdfgen.py`` (ruled tables split across pages, header rows repeated in
some documents and not in others, wrapped cells, wide tables on landscape pages, running header and
page numbers, an embedded CJK TrueType font); both files are extracted and scored against the same
gold, and every kind's F1 on the PDF must be within 0.02 of the text's.  PDFs are made once a session.
"""

import json
import re
from pathlib import Path

import pytest

from ingest.scoring import extraction_to_gold, score

pytest.importorskip("reportlab")
pytest.importorskip("paperang_p2_fonts_cjk")

from helpers import ROOT, SHARED
from pdfgen import FONT, render  # noqa: E402  (pytest puts this folder on the path)

pytestmark = pytest.mark.slow  # renders PDFs with reportlab and reads them back

TOLERANCE = 0.02


def _cases() -> list[tuple[str, Path, Path]]:
    """(stem, text export, gold) for the seeds that have gold and for the fixtures."""
    out = []
    if SHARED is not None:
        for txt in sorted((ROOT / "samples").glob("*.txt")):
            gold = SHARED / "eval" / "gold" / f"{txt.stem}.json"
            if gold.is_file():
                out.append((txt.stem, txt, gold))
    fixtures = ROOT / "tests" / "fixtures"
    for txt in sorted((fixtures / "docs").glob("*.txt")):
        out.append((txt.stem, txt, fixtures / "gold" / f"{txt.stem}.json"))
    return out


CASES = _cases()


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> dict[str, Path]:
    """One PDF per case; every other document repeats its tables' header rows on continuation pages."""
    folder = tmp_path_factory.mktemp("generated_pdfs")
    return {stem: render(txt.read_text(encoding="utf-8"), folder / f"{stem}.pdf", repeat_header=i % 2 == 0)
            for i, (stem, txt, _) in enumerate(CASES)}


def _scores(path: Path, gold: dict) -> dict[str, float]:
    from ingest.pipeline import extract

    return {s.kind: s.f1 for s in score(gold, extraction_to_gold(extract(path)))}


@pytest.mark.parametrize("stem,txt,gold_path", CASES, ids=[c[0] for c in CASES])
def test_pdf_scores_within_tolerance_of_text(stem, txt, gold_path, generated):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text, pdf = _scores(txt, gold), _scores(generated[stem], gold)
    gaps = {kind: f"text {text[kind]:.3f}, pdf {pdf[kind]:.3f}" for kind in text
            if abs(text[kind] - pdf[kind]) > TOLERANCE}
    assert not gaps, gaps


def _pages(path: Path) -> list[dict]:
    """Per page: size, fonts, whether it ends or starts with a table, its first table rows, wrapped cells."""
    import pdfplumber

    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tables = page.find_tables()
            rows = [t.extract() for t in tables]
            words = page.extract_words()
            out.append({
                "landscape": page.width > page.height,
                "fonts": {c["fontname"].split("+")[-1] for c in page.chars},
                "starts_with_table": bool(tables) and not any(w["bottom"] < tables[0].bbox[1] and
                                                              w["top"] > 0.1 * page.height for w in words),
                "first_rows": rows[0][:2] if rows else [],
                "last_rows": rows[-1][:2] if rows else [],
                "wrapped": any("\n" in (c or "") for t in rows for r in t for c in r),
                "footer": " ".join(w["text"] for w in words if w["top"] > page.height - 40),
            })
            page.close()
    return out


@pytest.fixture(scope="session")
def layouts(generated) -> dict[str, list[dict]]:
    return {stem: _pages(path) for stem, path in list(generated.items())[:2]}


def test_generated_pdfs_show_the_layouts_under_test(layouts):
    (repeat, repeating), (plain, not_repeating) = layouts.items()
    for stem, pages in layouts.items():
        assert all(p["fonts"] <= {f"{FONT}-0"} for p in pages), stem  # one embedded TrueType subset
        assert [re.sub(r"\s", "", p["footer"]) for p in pages] == [f"第{n}页" for n in range(1, len(pages) + 1)]
        assert any(p["landscape"] for p in pages) and not pages[0]["landscape"], stem
        assert any(p["wrapped"] for p in pages), stem
        assert any(p["starts_with_table"] for p in pages[1:]), f"{stem}: no table continues on a new page"
    header_again = [b for a, b in zip(repeating, repeating[1:])
                    if b["starts_with_table"] and b["first_rows"] and b["first_rows"][:1] == a["last_rows"][:1]]
    assert header_again, f"{repeat}: no page repeats the header of the table it continues"
    assert not any(b["starts_with_table"] and b["first_rows"] and b["first_rows"] == a["last_rows"]
                   for a, b in zip(not_repeating, not_repeating[1:])), plain


def test_image_only_pages_are_a_warning_naming_file_and_pages(generated, tmp_path):
    """Scanned pages among text ones: ingest goes on and says which pages it could not read."""
    from click.testing import CliRunner
    from PIL import Image
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    from budgetkg_cli.main import cli
    from ingest.pipeline import extract

    stem = CASES[-1][0]
    scan = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(scan))
    for _ in range(2):
        c.drawInlineImage(Image.new("L", (40, 60), 200), 72, 72, 400, 600)
        c.showPage()
    c.save()
    writer = PdfWriter()
    pages = PdfReader(generated[stem]).pages
    for page in [pages[0], *PdfReader(scan).pages, *pages[1:]]:
        writer.add_page(page)
    mixed = tmp_path / f"{stem}.pdf"
    with mixed.open("wb") as fh:
        writer.write(fh)

    findings = [f for f in extract(mixed).findings if f.rule == "pdf_no_text_layer"]
    assert [(f.severity, f.provenance.page) for f in findings] == [("warning", 2)]
    result = CliRunner().invoke(cli, ["ingest", str(mixed), "--store", str(tmp_path / "store"), "--no-embed",
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    assert f"警告：{stem}.pdf（第 2 页）：第 2–3 页没有文字层（仅有图像，不支持 OCR），未读入" in result.output

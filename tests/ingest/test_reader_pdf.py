"""PDF reader: the five real Shanghai disclosures, small generated PDFs, and bad files.

The real PDFs are read once per module (about 10 s for all five); ``extract()``
reuses those lines instead of reading each file again.
"""

from decimal import Decimal
from pathlib import Path

import pytest

from ingest import pipeline
from ingest.errors import IngestError
from ingest.pipeline import extract
from ingest.reader_pdf import MAX_PAGES, read_pdf
from ingest.records import BUDGET, FINAL_ACCOUNT
from ingest.sections import split_blocks

from helpers import SHARED_PDFS as PDFS, needs_pdfs


# file → (organisation in the department's name, year, phase, 收入总计 = 支出总计 in 万元, read from the PDF)
REAL = {
    "putuo_czj_2024_juesuan_dept.pdf": ("财政局", 2024, FINAL_ACCOUNT, Decimal("2995.39")),
    "putuo_ghzyj_2024_juesuan_dept.pdf": ("规划和自然资源局", 2024, FINAL_ACCOUNT, Decimal("9859.38")),
    "putuo_wanli_2023_yusuan_dept.pdf": ("万里街道办事处", 2023, BUDGET, Decimal("16497.864")),
    "putuo_swh_2025_yusuan_dept.pdf": ("商务委员会", 2025, BUDGET, Decimal("37151.4655")),
    "putuo_czj_2025_yusuan_dept.pdf": ("财政局", 2025, BUDGET, Decimal("3121.42058")),
}



@pytest.fixture(scope="module")
def real_lines():
    return {name: read_pdf(PDFS / name) for name in REAL}


@pytest.fixture(scope="module")
def real_extractions(real_lines):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "read_lines", lambda path, password=None, progress=None, warn=None: real_lines[path.name])
        return {name: extract(PDFS / name) for name in REAL}


# --- the real disclosures ---------------------------------------------------------------


@needs_pdfs
@pytest.mark.parametrize("name", REAL)
def test_real_pdf_reads_into_paged_lines(real_lines, name):
    lines = real_lines[name]
    assert len(lines) > 200
    assert all(ln.page and ln.bbox for ln in lines)
    assert [ln.no for ln in lines] == list(range(1, len(lines) + 1))
    assert [ln.page for ln in lines] == sorted(ln.page for ln in lines)
    assert sum(ln.is_row for ln in lines) > 100
    assert not any("\n" in c for ln in lines for c in ln.cells)


@needs_pdfs
@pytest.mark.parametrize("name", REAL)
def test_real_pdf_totals_agree(real_extractions, name):
    org, year, phase, total = REAL[name]
    ex = real_extractions[name]
    totals = {t.key: t.amount for t in ex.totals}
    assert ex.document.year == year
    assert ex.document.phase == phase
    assert totals["income_total"] == total
    assert totals["expenditure_total"] == total


@needs_pdfs
@pytest.mark.parametrize("name", REAL)
def test_real_pdf_department(real_extractions, name):
    org = REAL[name][0]
    department = real_extractions[name].document.department
    assert department.startswith("上海市普陀区") and department.endswith(org)
    assert real_extractions[name].document.region == "上海市普陀区"


# file → (“三公”经费合计, units, projects) as the PDF prints them
FACTS = {
    "putuo_czj_2024_juesuan_dept.pdf": (Decimal("0"), 3, 0),
    "putuo_ghzyj_2024_juesuan_dept.pdf": (Decimal("0.39"), 5, 0),
    "putuo_wanli_2023_yusuan_dept.pdf": (Decimal("22.91"), 6, 5),
    "putuo_swh_2025_yusuan_dept.pdf": (Decimal("1.00"), 2, 4),
    "putuo_czj_2025_yusuan_dept.pdf": (Decimal("0.95"), 1, 4),  # three write-ups, and 援滇 counted in the narrative
}


@needs_pdfs
@pytest.mark.parametrize("name", REAL)
def test_real_pdf_three_public_units_and_projects(real_extractions, name):
    three_public, units, projects = FACTS[name]
    ex = real_extractions[name]
    assert {t.key: t.amount for t in ex.totals}["three_public_total"] == three_public
    assert len(ex.units) == units
    assert len(ex.projects) == projects


@needs_pdfs
def test_real_pdf_split_class_codes_are_joined(real_extractions):
    items = real_extractions["putuo_czj_2024_juesuan_dept.pdf"].line_items
    assert ("2010601", Decimal("1511.89")) in [(li.code, li.total) for li in items if li.role == "expenditure"]
    assert any(li.role == "gpb_expenditure" for li in real_extractions["putuo_swh_2025_yusuan_dept.pdf"].line_items)


@needs_pdfs
def test_real_pdf_writeups_and_forms_give_projects(real_extractions):
    swh = {p.name: p for p in real_extractions["putuo_swh_2025_yusuan_dept.pdf"].projects}
    assert swh["科技创新专项"].amount == Decimal("1720.00")
    assert {c.key for c in swh["科技创新专项"].citations} >= {"普投资规范〔2023〕1号", "普科合规范〔2023〕3号"}
    wanli = {p.name: p for p in real_extractions["putuo_wanli_2023_yusuan_dept.pdf"].projects}
    built = wanli["新建万里街道社区公共服务中心"]
    assert built.amount == Decimal("410") and built.attribute == "阶段性项目"
    assert "万里街道社区公共服务中心新建工程" in built.aliases and built.citations
    assert built.indicators[0].level3 == "规划建筑面积"


@needs_pdfs
def test_digits_set_below_the_baseline_stay_in_their_sentence(real_lines):
    texts = [ln.plain for ln in real_lines["putuo_czj_2024_juesuan_dept.pdf"]]
    assert "机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。主要原因是" in texts
    assert "财政拨款“三公”经费支出决算表" in texts  # the quotes sit lower than the title too
    assert not any(t.isdigit() for t in texts)  # no lone 1, 2, 3 split off their list items


@needs_pdfs
def test_a_justified_line_reads_without_spaces_between_characters(real_lines, real_extractions):
    texts = [ln.plain for ln in real_lines["putuo_czj_2025_yusuan_dept.pdf"]]
    assert "元，财政业务费10.00万元，信息化系统日常维护费166.66万元，援滇干部工作经费3.00万元。" in texts
    projects = {p.name: p.amount for p in real_extractions["putuo_czj_2025_yusuan_dept.pdf"].projects}
    assert projects["援滇干部工作经费"] == Decimal("3.00")  # counted in that sentence, in no table or write-up


@needs_pdfs
def test_wrapped_header_cells_are_joined(real_lines):
    rows = [ln.cells for ln in real_lines["putuo_czj_2024_juesuan_dept.pdf"] if ln.is_row]
    assert ["项目", "", "", "", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
            "附属单位上缴收入", "其他收入"] in rows


@needs_pdfs
def test_continued_tables_stay_in_one_block(real_lines):
    blocks = split_blocks(real_lines["putuo_wanli_2023_yusuan_dept.pdf"])
    income = next(b for b in blocks if b.role == "income" and b.rows)
    pages = {ln.page for ln in income.rows}
    assert pages == {11, 12, 13, 14}
    headers = [ln for ln in income.rows if ln.cells[0] == "项目"]
    assert len(headers) == 1  # repeated on no later page
    assert income.rows[-1].cells[0] == "合计"
    assert any("单位：元" in ln.plain for ln in income.lines[:3])


@needs_pdfs
def test_blank_continuation_page_gives_no_rows(real_lines):
    lines = real_lines["putuo_czj_2024_juesuan_dept.pdf"]
    assert not [ln for ln in lines if ln.page == 14]


@needs_pdfs
def test_rotated_pages_read_like_upright_ones(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    src = pypdf.PdfReader(PDFS / "putuo_czj_2024_juesuan_dept.pdf")
    plain, turned = pypdf.PdfWriter(), pypdf.PdfWriter()
    for i, angle in ((5, 90), (6, 270), (20, 180)):  # a table page, its continuation, a narrative page
        plain.add_page(src.pages[i])
        turned.add_page(src.pages[i])
        turned.pages[-1].rotate(angle)
    plain.write(tmp_path / "plain.pdf")
    turned.write(tmp_path / "turned.pdf")
    expected = [ln.cells for ln in read_pdf(tmp_path / "plain.pdf")]
    assert [ln.cells for ln in read_pdf(tmp_path / "turned.pdf")] == expected
    assert any(len(c) == 4 for c in expected)


# --- small generated PDFs -----------------------------------------------------------------

_FONT = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
         b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
         b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 "
         b"/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
         b"/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 "
         b"/StemV 80 >> >>] >>")


def text(x: float, y: float, s: str, size: int = 12) -> str:
    """A content-stream snippet showing ``s`` at (x, y) (PDF coordinates, y up) in a CJK font."""
    return f"BT /F1 {size} Tf {x} {y} Td <{s.encode('utf-16-be').hex()}> Tj ET\n"


def grid(x0: float, y_top: float, widths: list[float], rows: list[list[str]], height: float = 20) -> str:
    """A ruled table: every cell framed, text in each cell."""
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [y_top - k * height for k in range(len(rows) + 1)]
    out = "0.5 w\n"
    out += "".join(f"{xs[0]} {y} m {xs[-1]} {y} l S\n" for y in ys)
    out += "".join(f"{x} {ys[0]} m {x} {ys[-1]} l S\n" for x in xs)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell:
                out += text(xs[c] + 3, ys[r] - height + 5, cell, 10)
    return out


def make_pdf(path: Path, pages: list[str]) -> Path:
    """A minimal A4 PDF with one content stream per page; text in STSong-Light (no embedding needed)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", None, _FONT]
    kids = []
    for content in pages:
        data = content.encode("latin-1")
        objs.append(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                    b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objs))
        kids.append(len(objs))
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_numbers_below_the_baseline_join_their_line(tmp_path):
    page = text(72, 760, "收入支出总计") + text(144, 755, "2995.39") + text(228, 760, "万元。")
    page += text(72, 730, "下一行")
    lines = read_pdf(make_pdf(tmp_path / "baseline.pdf", [page]))
    assert [ln.plain for ln in lines] == ["收入支出总计2995.39万元。", "下一行"]


def test_table_continued_with_repeated_header_joins_one_block(tmp_path):
    header = ["项目", "预算数"]
    first = text(72, 790, "2025年部门收支总表", 14) + text(72, 770, "单位：万元")
    first += grid(72, 760, [200, 120], [header, ["一般公共服务支出", "1.00"], ["教育支出", "2.00"]])
    first += text(290, 40, "- 1 -")
    second = grid(72, 800, [200, 120], [header, ["支出总计", "3.00"]]) + text(290, 40, "- 2 -")
    lines = read_pdf(make_pdf(tmp_path / "two.pdf", [first, second]))
    assert [ln.cells for ln in lines] == [
        ["2025年部门收支总表"], ["单位：万元"], header,
        ["一般公共服务支出", "1.00"], ["教育支出", "2.00"], ["支出总计", "3.00"],
    ]
    assert [ln.page for ln in lines] == [1, 1, 1, 1, 1, 2]
    blocks = [b for b in split_blocks(lines) if b.role != "narrative"]
    assert len(blocks) == 1 and len(blocks[0].rows) == 4


IMAGE = "q 200 0 0 200 72 500 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q\n"  # a scanned page


def test_letter_spacing_is_not_read_as_spaces(tmp_path):
    page = "".join(text(72 + 24 * i, 760, ch) for i, ch in enumerate("财政业务费"))  # 12 pt glyphs, 24 pt apart
    page += text(192, 760, "10.00") + text(264, 760, "万") + text(288, 760, "元")  # this font: digits 12 pt wide
    page += text(72, 730, "合计") + text(130, 730, "5.00")  # a real gap still separates
    lines = read_pdf(make_pdf(tmp_path / "justified.pdf", [page]))
    assert [ln.plain for ln in lines] == ["财政业务费10.00万元", "合计 5.00"]


def test_a_blank_page_among_others_is_fine(tmp_path, caplog):
    path = make_pdf(tmp_path / "mixed.pdf", [text(72, 760, "第一页"), "0 0 1 rg 100 100 200 200 re f\n"])
    warned = []
    assert [ln.plain for ln in read_pdf(path, warn=lambda *a: warned.append(a))] == ["第一页"]
    assert not warned and "no text" not in caplog.text


def test_image_only_pages_among_text_ones_are_reported_with_their_range(tmp_path, caplog):
    path = make_pdf(tmp_path / "scanned.pdf", [text(72, 760, "第一页"), IMAGE, IMAGE, text(72, 760, "第四页")])
    warned = []
    assert [ln.plain for ln in read_pdf(path, warn=lambda *a: warned.append(a))] == ["第一页", "第四页"]
    assert warned == [("pdf_no_text_layer", 2, {"pages": "2–3"})]
    assert [ln.plain for ln in read_pdf(path)] == ["第一页", "第四页"]  # without a listener: logged
    assert "scanned.pdf: 第 2–3 页没有文字层" in caplog.text


def test_a_form_continued_with_more_than_its_header_repeated_joins_once(tmp_path):
    top = [["项目名称", "甲项目", "项目编码", "X001"], ["主管部门", "某局", "联系电话", "83212383"]]
    first = text(72, 790, "项目支出绩效目标表", 14)
    first += grid(72, 770, [100, 100, 100, 100], top + [["项目资金", "", "", "10.00"]])
    second = grid(72, 800, [100, 100, 100, 100], top + [["绩效目标", "完成任务", "", ""], ["指标", "数量", "", "5"]])
    third = grid(72, 800, [100, 100, 100, 100], [["项目名称", "乙项目", "项目编码", "X002"], top[1]])
    lines = read_pdf(make_pdf(tmp_path / "form.pdf", [first, second, third]))
    assert [ln.cells[:2] for ln in lines] == [
        ["项目支出绩效目标表"], ["项目名称", "甲项目"], ["主管部门", "某局"], ["项目资金", ""],
        ["绩效目标", "完成任务"], ["指标", "数量"],  # page 2: the two repeated rows dropped
        ["项目名称", "乙项目"], ["主管部门", "某局"],  # page 3: another form, kept whole
    ]


def test_a_running_header_that_repeats_the_title_leaves_the_title(tmp_path):
    head = text(72, 815, "某区某局2025年部门预算", 9)
    pages = [head + text(72, 770, "某区某局2025年部门预算", 16) + text(72, 700, "一、部门职责")]
    pages += [head + text(72, 700, f"第{n}页的正文") for n in (2, 3, 4)]
    lines = read_pdf(make_pdf(tmp_path / "title.pdf", pages))
    assert [ln.plain for ln in lines] == ["某区某局2025年部门预算", "一、部门职责", "第2页的正文", "第3页的正文",
                                          "第4页的正文"]


# --- bad files -------------------------------------------------------------------------------


def _error(path: Path, password: str | None = None) -> str:
    with pytest.raises(IngestError) as err:
        read_pdf(path, password=password)
    message = str(err.value)
    assert "\n" not in message and message.startswith(path.name)
    return message


def test_image_only_pdf_names_its_pages(tmp_path):
    rect = "0 0 1 rg 100 100 200 200 re f\n"
    message = _error(make_pdf(tmp_path / "scan.pdf", [rect, rect, rect]))
    assert "第 1–3 页没有文字层" in message and "OCR" in message


def test_zero_pages(tmp_path):
    assert "PDF 没有页面" in _error(make_pdf(tmp_path / "empty.pdf", []))


def test_not_a_pdf(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_text("这不是PDF文件")
    assert _error(path) == "notes.pdf：不是 PDF 文件（缺少 %PDF- 文件头）"


def test_too_many_pages(tmp_path, monkeypatch):
    import ingest.reader_pdf as reader

    monkeypatch.setattr(reader, "MAX_PAGES", 2)
    assert MAX_PAGES >= 2000
    assert "页数过多（3 页，上限 2 页）" in _error(make_pdf(tmp_path / "long.pdf", [text(72, 760, "页")] * 3))


@needs_pdfs
@pytest.mark.parametrize("keep", [0.3, 0.99])
def test_truncated_pdf(tmp_path, keep):
    data = (PDFS / "putuo_czj_2025_yusuan_dept.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    assert "PDF 已损坏" in _error(path)


def test_encrypted_pdf(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    plain = make_pdf(tmp_path / "plain.pdf", [text(72, 760, "加密的页")])
    writer = pypdf.PdfWriter(clone_from=plain)
    writer.encrypt("secret", algorithm="AES-128")
    path = tmp_path / "locked.pdf"
    writer.write(path)
    assert _error(path) == "locked.pdf：PDF 已加密：请用 --password 提供密码"
    assert "PDF 已加密：密码错误" in _error(path, password="guess")
    assert [ln.plain for ln in read_pdf(path, password="secret")] == ["加密的页"]


def test_extract_gives_read_errors_as_they_are(tmp_path):
    """The pipeline passes the reader's one-line reason through, naming the file."""
    path = tmp_path / "scan.pdf"
    make_pdf(path, ["0 0 1 rg 100 100 200 200 re f\n"])
    with pytest.raises(IngestError, match=r"^scan\.pdf：第 1 页没有文字层"):
        extract(path)


def test_unruled_table_is_found_by_text_alignment(tmp_path):
    page = text(72, 790, "部门收入总表", 14)
    for k, (label, amount) in enumerate([("项目", "预算数"), ("教育支出", "1.00"), ("卫生健康支出", "2.00"),
                                         ("合计", "3.00")]):
        page += text(72, 760 - 20 * k, label) + text(300, 760 - 20 * k, amount)
    lines = read_pdf(make_pdf(tmp_path / "unruled.pdf", [page]))
    assert [ln.cells for ln in lines] == [["部门收入总表"], ["项目", "预算数"], ["教育支出", "1.00"],
                                          ["卫生健康支出", "2.00"], ["合计", "3.00"]]

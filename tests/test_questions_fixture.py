"""The judged plain-word question set (tests/fixtures/questions) checked against the documents themselves.

Every answer value must be printed where it says (the amount on that line of a text document, on that page of a
PDF), every filter must hold for the documents it answers from, and list answers must be complete against the
hand-checked gold.  Nothing here runs the parser: the set is test material for it.
"""
from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

import pytest

from tests.helpers import FIXTURE_GOLD, FIXTURES, PDF_GOLD, SHARED, SHARED_PDFS, needs_pdfs, needs_shared

QUESTIONS = FIXTURES / "questions" / "questions.jsonl"
FILTER_KEYS = {"department", "region", "year", "phase", "unit", "fund", "min_amount", "max_amount", "code", "cites",
               "min_exclusive", "max_exclusive"}
VALUE_KEYS = {"doc", "entity", "name", "code", "amount", "page_or_line"}
ENTITIES = {"project", "line", "budget", "three_public"}
KINDS = {"department", "year_phase", "cites", "amount", "classification", "unit_fund", "region", "figure", "none",
         "mistake"}
# document → (department, year, phase): what the filters are checked against
DOCS = {
    "000_dc10eef729309141.txt": ("武汉市东西湖区医疗保障局", 2023, "budget"),
    "001_c082f6ab8c9dd51c.txt": ("武汉市江岸区医疗保障局", 2026, "budget"),
    "100_hanyang_civil_2024_final.txt": ("武汉市汉阳区民政局", 2024, "final_account"),
    "101_qiaokou_edu_2025_budget.txt": ("武汉市硚口区教育局", 2025, "budget"),
    "102_fancheng_health_2025_unit_budget.txt": ("襄阳市樊城区卫生健康局", 2025, "budget"),
    "103_luoyang_justice_2023_final.txt": ("洛阳市司法局", 2023, "final_account"),
    "104_nankang_agri_2026_budget.txt": ("赣州市南康区农业农村局", 2026, "budget"),
    "105_lusong_medsec_2024_budget.txt": ("株洲市芦淞区医疗保障局", 2024, "budget"),
    "putuo_czj_2024_juesuan_dept.pdf": ("上海市普陀区财政局", 2024, "final_account"),
    "putuo_czj_2025_yusuan_dept.pdf": ("上海市普陀区财政局", 2025, "budget"),
    "putuo_ghzyj_2024_juesuan_dept.pdf": ("上海市普陀区规划和自然资源局", 2024, "final_account"),
    "putuo_swh_2025_yusuan_dept.pdf": ("上海市普陀区商务委员会", 2025, "budget"),
    "putuo_wanli_2023_yusuan_dept.pdf": ("上海市普陀区人民政府万里街道办事处", 2023, "budget"),
}
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
BRACKETS = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "(": "〔", ")": "〕", "（": "〔", "）": "〕"})


def _questions() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


QS = _questions()
VALUES = [(q["id"], i, val) for q in QS for i, val in enumerate(q["answer"]["values"])]


def _flat(text: str) -> str:
    """NFKC, whitespace removed: how names and 文号 are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=None)
def _lines(doc: str) -> list[str]:
    folder = SHARED / "seeds" if doc[0] == "0" else FIXTURES / "docs"
    return (folder / doc).read_text(encoding="utf-8").splitlines()


@lru_cache(maxsize=None)
def _page(doc: str, page: int) -> str:
    import pdfplumber

    with pdfplumber.open(SHARED_PDFS / doc) as pdf:
        return pdf.pages[page - 1].extract_text() or ""


@lru_cache(maxsize=None)
def _whole(doc: str) -> str:
    if doc.endswith(".pdf"):
        import pdfplumber

        with pdfplumber.open(SHARED_PDFS / doc) as pdf:
            return "\n".join(p.extract_text() or "" for p in pdf.pages)
    return "\n".join(_lines(doc))


def _where(val: dict) -> tuple[str, str]:
    """(the text printed at page_or_line, a window around it for the name)."""
    loc = val["page_or_line"]
    if loc.startswith("p"):
        text = _page(val["doc"], int(loc[1:]))
        return text, text
    lines, n = _lines(val["doc"]), int(loc[1:])
    return lines[n - 1], "".join(lines[max(0, n - 3):n + 2])


def _amount_printed(amount: Decimal, text: str) -> bool:
    """The amount in 万元 is printed in the text, as 万元 or as 元 (rounded to 2 decimals)."""
    for token in NUMBER.findall(unicodedata.normalize("NFKC", text)):
        n = Decimal(token.replace(",", ""))
        if n == amount or (n / 10000).quantize(Decimal("0.01")) == amount:
            return True
    return False


def _gold_projects(doc: str) -> list[dict]:
    stem = doc.rsplit(".", 1)[0]
    for folder in (FIXTURE_GOLD, PDF_GOLD, SHARED / "eval" / "gold" if SHARED else None):
        if folder is not None and (folder / f"{stem}.json").is_file():
            return json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))["projects"]
    raise AssertionError(f"no gold for {doc}")


def test_schema_and_ids():
    assert len(QS) >= 70
    assert len({q["id"] for q in QS}) == len(QS)
    for q in QS:
        assert set(q) == {"id", "question", "filters", "text", "answer", "kind"}, q["id"]
        assert q["kind"] in KINDS and set(q["filters"]) <= FILTER_KEYS, q["id"]
        f, answer = q["filters"], q["answer"]
        assert "region" not in f or "department" not in f, q["id"]
        assert f.get("phase", "budget") in {"budget", "final_account"} and isinstance(f.get("year", 0), int)
        for key in ("min_amount", "max_amount"):
            if key in f:
                assert isinstance(f[key], str) and Decimal(f[key]) >= 0, q["id"]
            flag = key.replace("amount", "exclusive")
            assert f.get(flag, True) is True and (flag not in f or key in f), q["id"]  # only true, only with its bound
        if "cites" in f:
            assert f["cites"] == _flat(f["cites"]).translate(BRACKETS) and "《" not in f["cites"], q["id"]
        assert answer["kind"] in {"figure", "list", "none"}
        assert (answer["kind"] == "none") == (not answer["values"]) == (q["kind"] == "none"), q["id"]
        for val in answer["values"]:
            assert VALUE_KEYS <= set(val) <= VALUE_KEYS | {"rate"} and val["entity"] in ENTITIES, q["id"]
            assert re.fullmatch(r"\d+\.\d\d", val["amount"]) and re.fullmatch(r"[Lp]\d+", val["page_or_line"])
            assert val["doc"] in DOCS


def test_kinds_are_covered():
    kinds = {k: sum(q["kind"] == k for q in QS) for k in KINDS}
    assert all(kinds.values()), kinds
    assert kinds["mistake"] >= 10


@needs_shared
@pytest.mark.parametrize("qid,i,val", [v for v in VALUES if v[2]["doc"].endswith(".txt")],
                         ids=lambda x: x if isinstance(x, str) else None)
def test_text_value_is_printed_there(qid, i, val):
    here, window = _where(val)
    assert _amount_printed(Decimal(val["amount"]), here), (qid, val, here)
    if val["entity"] in {"project", "line"}:
        assert set(_flat(val["name"])) <= set(_flat(window)), (qid, val)
    if val["entity"] == "line":
        assert _flat(val["code"]) in _flat(here).replace("\t", ""), (qid, val)
    if "rate" in val:
        assert val["rate"] in here, (qid, val)


@needs_pdfs
@pytest.mark.parametrize("qid,i,val", [v for v in VALUES if v[2]["doc"].endswith(".pdf")],
                         ids=lambda x: x if isinstance(x, str) else None)
def test_pdf_value_is_printed_there(qid, i, val):
    here, _ = _where(val)
    assert _amount_printed(Decimal(val["amount"]), here), (qid, val)
    if val["entity"] in {"project", "line"}:
        assert set(_flat(val["name"])) <= set(_flat(here)), (qid, val)


def _on_pdf(q: dict) -> bool:
    return any(v["doc"].endswith(".pdf") for v in q["answer"]["values"])


ANSWERED = [q for q in QS if q["answer"]["values"]]


@pytest.mark.parametrize("q", [q for q in ANSWERED if not _on_pdf(q)], ids=lambda q: q["id"])
@needs_shared
def test_filters_hold_for_text_answers(q):
    _filters_hold(q)


@pytest.mark.parametrize("q", [q for q in ANSWERED if _on_pdf(q)], ids=lambda q: q["id"])
@needs_pdfs
def test_filters_hold_for_pdf_answers(q):
    _filters_hold(q)


def _within(f: dict, amount: Decimal) -> bool:
    """Whether ``amount`` passes the question's bounds (strict where ``min_exclusive``/``max_exclusive``)."""
    lo, hi = Decimal(f.get("min_amount", "-1")), Decimal(f.get("max_amount", "1e12"))
    return (amount > lo if f.get("min_exclusive") else amount >= lo) and \
        (amount < hi if f.get("max_exclusive") else amount <= hi)


def _filters_hold(q: dict) -> None:
    f = q["filters"]
    for val in q["answer"]["values"]:
        department, year, phase = DOCS[val["doc"]]
        assert f.get("department", department) == department, q["id"]
        assert department.startswith(f.get("region", "")), q["id"]
        assert f.get("year", year) == year and f.get("phase", phase) == phase, q["id"]
        amount = Decimal(val["amount"])
        assert _within(f, amount), q["id"]
        assert f.get("code", val["code"]) == val["code"], q["id"]
        text = _flat(_whole(val["doc"]))
        for key in ("department", "unit"):
            if key in f:
                assert f[key] in text, (q["id"], key)
        if "cites" in f:
            assert f["cites"] in text.translate(BRACKETS) or f"《{f['cites']}》" in text, q["id"]


def test_none_answers_have_no_document():
    for q in (q for q in QS if q["answer"]["kind"] == "none"):
        f = q["filters"]
        matches = [d for d, (dept, year, phase) in DOCS.items()
                   if f.get("department", dept) == dept and f.get("year", year) == year
                   and f.get("phase", phase) == phase and "department" in f]
        assert not matches, q["id"]


@needs_shared
@pytest.mark.parametrize("q", [q for q in QS if q["answer"]["kind"] == "list"
                               and ({"min_amount", "max_amount", "unit"} & set(q["filters"]))],
                         ids=lambda q: q["id"])
def test_list_answers_are_complete(q):
    """An amount or unit list names every gold project of its document that passes the filters."""
    f = q["filters"]
    doc = q["answer"]["values"][0]["doc"]
    expected = sorted((p["name"], Decimal(str(p["amount"])).quantize(Decimal("0.01"))) for p in _gold_projects(doc)
                      if _within(f, Decimal(str(p["amount"]))) and f.get("unit", p.get("unit")) == p.get("unit"))
    got = sorted((v["name"], Decimal(v["amount"])) for v in q["answer"]["values"])
    assert got == expected, q["id"]

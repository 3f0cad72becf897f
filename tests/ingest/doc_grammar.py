"""Hypothesis strategies for hostile text exports: real lines of the bundled documents, mutated.

A document is a few pieces (a run of consecutive lines from a sample or fixture, often starting at a
table title; a single line from anywhere; a made-up table) whose lines are then damaged: cells dropped,
duplicated or swapped, numbers replaced by junk, codes broken, random unicode (full-width, combining
marks, RTL marks, control characters other than NUL), very long cells, very wide rows, rows of junk numbers, empty and tab-only lines.
"""

from __future__ import annotations

from functools import lru_cache

from hypothesis import strategies as st

from helpers import FIXTURE_DOCS, SAMPLES
from ingest.layout import Line
from ingest.sections import is_table_title

JUNK_NUMBERS = ["1,2,3.4.5", "—", "-", "--", "（1）", "(2)", "9" * 40, "1e308", "-1e309", "NaN", "nan", "inf",
                "-0", "0.0000000001", "１２３．４５", "1 234.5", "12%", "%", "万元", "¥3", "3.", ".5", "+-3", "1/0",
                "٣٤٥", "〇", "十二", "12\u0301", "\u200f12.5", ""]
BROKEN_CODES = ["2", "20", "2010", "201x", "２０１０１", "20101" * 9, "00", "-201", "2010 1", "class", "类", "款项"]
HEADERS = ["项目\t本年预算\t上年预算", "科目编码\t科目名称\t合计\t基本支出\t项目支出", "类\t款\t项\t科目名称\t金额",
           "一级指标\t二级指标\t三级指标\t指标值", "项目名称\t资金来源\t金额\t绩效目标", "收入\t\t支出\t"]
TITLES = ["表1 部门收支总表", "表2 部门收入总表", "表3 部门支出总表", "表4 财政拨款收支预算总表",
          "表5 一般公共预算支出表", "表7 一般公共预算基本支出表", "表8 一般公共预算“三公”经费支出表",
          "表11 项目支出情况表", "表12 政府采购支出情况表", "表14 整体支出绩效目标表", "表15 项目支出绩效目标表（一项一表）",
          "表9 政府性基金预算支出表", "表10 国有资本经营预算支出表", "表13 政府向社会力量购买服务支出情况表"]
ODD_CHARS = ("\u200f\u200e\u202e\u202d\u2066\u2069\u0301\u0308\u20dd\u3000\u00a0\ufeff\u200b\u2028\u2029"
             "\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\ufffd\uffff\U0001f600（）【】〔〕《》〈〉，。；：、＂＇－—…"
             "０１２３４５６７８９ＡＢＣ　号表年")


@lru_cache(maxsize=None)
def source_lines() -> tuple[tuple[str, ...], ...]:
    """The lines of every bundled sample and fixture document."""
    return tuple(tuple(p.read_text(encoding="utf-8").splitlines()) for p in (*SAMPLES, *FIXTURE_DOCS))


@lru_cache(maxsize=None)
def title_starts() -> tuple[tuple[int, int], ...]:
    """(document, line index) of every table title in the bundled documents."""
    return tuple((d, i) for d, lines in enumerate(source_lines()) for i, text in enumerate(lines)
                 if is_table_title(Line(i + 1, text, text.split("\t") if "\t" in text else [text])))


odd_text = st.text(alphabet=st.one_of(st.characters(exclude_characters="\x00\t\n\r", codec="utf-8"),
                                      st.sampled_from(ODD_CHARS)), max_size=30)
number_cell = st.one_of(st.sampled_from(JUNK_NUMBERS), st.decimals(allow_nan=True, places=2).map(str),
                        st.integers(-10**30, 10**30).map(str))


@st.composite
def piece(draw) -> list[str]:
    """A run of real lines, one real line, or a made-up table."""
    kind = draw(st.sampled_from(["run_at_title", "run_at_title", "run", "line", "table"]))
    docs = source_lines()
    if kind in ("run_at_title", "run"):
        if kind == "run_at_title":
            d, start = draw(st.sampled_from(title_starts()))
        else:
            d = draw(st.integers(0, len(docs) - 1))
            start = draw(st.integers(0, len(docs[d]) - 1))
        return list(docs[d][start:start + draw(st.integers(1, 40))])
    if kind == "line":
        d = draw(st.integers(0, len(docs) - 1))
        return [draw(st.sampled_from(docs[d]))]
    rows = [draw(st.sampled_from(TITLES)), "单位：万元", draw(st.sampled_from(HEADERS))]
    for _ in range(draw(st.integers(0, 6))):
        code = draw(st.one_of(st.sampled_from(["201", "20101", "2010101", "208", "2080501", "301", "30101"]),
                              st.sampled_from(BROKEN_CODES)))
        rows.append("\t".join([code, draw(st.sampled_from(["一般公共服务支出", "行政运行", "合计", "工资福利支出", "", "小计"])),
                               *draw(st.lists(number_cell, max_size=4))]))
    return rows


@st.composite
def mutated(draw, text: str) -> str:
    """``text`` with one kind of damage (or none)."""
    cells = text.split("\t")
    how = draw(st.sampled_from(["keep", "keep", "keep", "drop", "dup", "swap", "number", "code", "unicode",
                                "long", "empty", "tabs", "insert", "wide", "junk_row"]))
    i = draw(st.integers(0, len(cells) - 1))
    if how == "drop" and len(cells) > 1:
        del cells[i]
    elif how == "dup":
        cells.insert(i, cells[i])
    elif how == "swap":
        j = draw(st.integers(0, len(cells) - 1))
        cells[i], cells[j] = cells[j], cells[i]
    elif how == "number":
        cells[i] = draw(number_cell)
    elif how == "code":
        cells[0] = draw(st.sampled_from(BROKEN_CODES))
    elif how == "unicode":
        at = draw(st.integers(0, len(cells[i])))
        cells[i] = cells[i][:at] + draw(odd_text) + cells[i][at:]
    elif how == "long":
        cells[i] = draw(st.sampled_from(["项", "9", "《", "〔", "a b ", "\u0301"])) * draw(st.sampled_from([1_001, 6_000]))
    elif how == "empty":
        return ""
    elif how == "tabs":
        return "\t" * draw(st.integers(1, 8))
    elif how == "insert":
        cells.insert(i, draw(odd_text))
    elif how == "wide":
        cells = cells * draw(st.integers(2, 60))
    elif how == "junk_row":
        cells = [cells[0], *(draw(number_cell) for _ in cells[1:])]
    return "\t".join(cells)


@st.composite
def document_lines(draw) -> list[str]:
    """The lines of one hostile document."""
    lines = [line for _ in range(draw(st.integers(1, 5))) for line in draw(piece())]
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):  # rounds of damage
        lines = [draw(mutated(line)) for line in lines]
    return lines


@st.composite
def document_bytes(draw) -> bytes:
    """One hostile document as the bytes of a ``.txt`` export (UTF-8, with a BOM, or GB18030; any line ending)."""
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = end.join(draw(document_lines()))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    return text.encode(encoding, errors="replace")

"""Markdown escaping, highlighting and snippets (search_app.markup): pure functions."""

from __future__ import annotations

from decimal import Decimal

from search_app.markup import highlight, md_code, md_escape, term_spans, wan, window


def test_escape_leaves_nothing_for_markdown_to_read():
    text = "*粗体* _斜_ [链接](x) $x$ :smile: <b>&</b> # 标题 1. 列表 | 表 `代码` \\"
    out = md_escape(text)
    for raw in ("*", "_", "[", "]", "(", ")", "$", ":", "#", ".", "|", "`"):
        assert f"\\{raw}" in out
    assert "<" not in out and ">" not in out and "&lt;b&gt;" in out and "&amp;" in out
    assert "\\\\" in out and "\n" not in md_escape("两\n行")


def test_term_spans_longest_first_and_across_widths():
    assert term_spans("医疗救助和救助对象", ["救助", "医疗救助"]) == [(0, 4), (5, 7)]
    # full-width digits in the text meet the ASCII query word
    assert term_spans("武政规〔２０１６〕32号", ["2016"]) == [(4, 8)]
    assert term_spans("abc", []) == [] and term_spans("", ["a"]) == []


def test_highlight_marks_terms_and_escapes_the_rest():
    out = highlight("落实*医疗救助*政策", ["医疗救助"])
    assert out == "落实\\*:red[医疗救助]\\*政策"
    assert highlight("a[b]", ["[b]"]) == "a:red[\\[b\\]]"


def test_window_centres_on_the_first_term():
    text = "甲" * 300 + "医疗救助" + "乙" * 300
    out = window(text, ["医疗救助"], width=100)
    assert "医疗救助" in out and out.startswith("…") and out.endswith("…") and len(out) == 102
    assert window("短文本", ["x"]) == "短文本"


def test_wan_formats_amounts():
    assert wan(Decimal("1234.5")) == "1,234.50 万元" and wan(None) == "" and wan("n/a") == "n/a"


def test_escaped_urls_and_addresses_are_not_autolinked():
    """Markdown links bare URLs, ``www.`` names and e-mail addresses after reading escapes: a word joiner
    inside each keeps them text (the hostile-names browser test shows the links it stops)."""
    out = md_escape("https://a.b www.c.d e@f.g")
    assert "://" not in out and "www." not in out and not any(out[i + 1:i + 2].isalpha() for i, c in enumerate(out) if c == "@")
    assert out.replace("\u2060", "").replace("\\", "") == "https://a.b www.c.d e@f.g"


def test_an_iri_is_a_code_span_shown_verbatim():
    iri = "https://w3id.org/budgetkg/unit/某局/福利院%28本级%29"
    assert md_code(iri) == f"` {iri} `"  # no backslashes: it copies as the stored IRI
    assert md_code("a`b``c\nd") == "``` a`b``c d ```"  # a fence longer than any backtick run inside

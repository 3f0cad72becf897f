"""The shared text normalisation: each rule, and where two rules differ on purpose."""

from __future__ import annotations

import pytest

from ingest.normalise import (
    clean_name, fold_brackets, fold_width, name_key, nfkc, nfkc_key, nfkc_squash, norm_text, squash,
    squash_ascii_dot, strip_markup,
)


def test_squash_removes_every_whitespace_and_reads_any_value():
    assert squash(" 武汉市\t江岸区\n医保局\u3000 ") == "武汉市江岸区医保局"
    assert squash(None) == ""
    assert squash(2024) == "2024"


def test_fold_width_folds_ascii_but_keeps_cjk_punctuation():
    assert fold_width("２０２４年（Ａ）：１，２３４．５％\u3000") == "2024年（A）：1，234.5% "


def test_fold_brackets_unifies_brackets_and_dashes():
    assert fold_brackets("【a】（b）c—d－e–f") == "(a)(b)c-d-e-f"


def test_nfkc_and_markup():
    assert nfkc("ＡＢ（１）") == "AB(1)"
    assert nfkc(None) == ""
    assert strip_markup("<b>**金额**</b>") == " 金额 "


@pytest.mark.parametrize("text, clean, ascii_dot", [
    ("项目 名称.", "项目名称", "项目名称"),
    ("项目名称．", "项目名称", "项目名称．"),  # the scorer keeps a full-width dot
    ("项目名称。", "项目名称。", "项目名称。"),
])
def test_trailing_dot_rules_differ(text, clean, ascii_dot):
    assert clean_name(text) == clean
    assert squash_ascii_dot(text) == ascii_dot


def test_name_key_folds_width_and_brackets_after_clean_name():
    assert name_key("２０２４年 项目（一期）—Ａ．") == "2024年项目(一期)-A"


def test_nfkc_rules():
    assert nfkc_squash(" 江岸区 （本级） ") == "江岸区(本级)"
    assert nfkc_key("武政规〔2016〕 32号．") == "武政规〔2016〕32号"
    assert nfkc_key("某局。") == "某局"
    assert nfkc_squash("某局。") == "某局。"


def test_norm_text_keeps_spaces_between_ascii_words_only():
    assert norm_text("<p>编号 HBT-1 成交</p>  a  b") == "编号HBT-1成交a b"

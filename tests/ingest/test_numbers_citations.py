"""Number parsing and citation normalisation, with property tests."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.citations import find_citations, normalize_doc_number, normalize_ref
from ingest.numbers import NumberError, parse_amount, parse_indicator_value

CANON = "武政规〔2016〕32号"


@pytest.mark.parametrize(
    "variant",
    ["武政规[2016]32号", "武政规〔2016〕32 号", "武政规【2016】32号", "武政规（2016）32号", "武政规(2016)32号",
     "武政规［２０１６］３２号", "武政规 {2016} 32号", "武政规｛2016｝32号", " 武政规 [ 2016 ] 32 号 "],
)
def test_doc_number_variants_normalise_to_one_key(variant):
    assert normalize_doc_number(variant) == CANON
    assert normalize_ref(variant) == ("doc_number", CANON)


def test_decree_numbers_without_year_are_doc_numbers():
    assert normalize_ref("国务院令第649号") == ("doc_number", "国务院令第649号")
    keys = [c.key for c in find_citations("依据《政府采购法实施条例》（国务院令第 658 号）执行")]
    assert keys == ["政府采购法实施条例", "国务院令第658号"]


def test_procurement_numbers_are_not_doc_numbers():
    assert find_citations("采购合同编号HBT-16222016-220332，按合同支付") == []


def test_title_followed_by_its_number_is_one_citation_with_both_keys():
    text = "根据《市人民政府关于印发武汉市医疗救助实施办法的通知》（武政规[2016]32号），开展救助"
    cites = find_citations(text, field="legal_basis")
    title = next(c for c in cites if c.kind == "title")
    assert title.key == "市人民政府关于印发武汉市医疗救助实施办法的通知"
    assert title.doc_number == CANON
    assert {c.key for c in cites if c.kind == "doc_number"} == {CANON}
    assert all(c.field == "legal_basis" for c in cites)


def test_leading_words_are_not_part_of_the_issuer():
    keys = {c.key for c in find_citations("根据东办文【2016】20号文件精神和武民政规[2018]2号文件要求")}
    assert keys == {"东办文〔2016〕20号", "武民政规〔2018〕2号"}


def test_nested_and_unbalanced_titles():
    cites = find_citations("《省医疗保障局关于印发〈湖北省医疗救助经办服务规程（试行）〉的通知》和《未闭合的标题")
    assert [c.key for c in cites] == ["省医疗保障局关于印发〈湖北省医疗救助经办服务规程（试行）〉的通知"]


_issuer = st.text(alphabet="武鄂政规发办医保民人社东岸编财", min_size=1, max_size=6)
_brackets = st.sampled_from(["[]", "［］", "【】", "（）", "()", "〔〕", "｛｝"])
_space = st.sampled_from(["", " ", "  ", "\u3000"])


@given(_issuer, st.integers(1990, 2030), st.integers(1, 999), _brackets, _space, _space)
def test_any_bracket_and_spacing_variant_normalises_the_same(issuer, year, num, br, s1, s2):
    raw = f"{issuer}{s1}{br[0]}{year}{br[1]}{s2}{num}{s1}号"
    key = normalize_doc_number(raw)
    assert key == f"{issuer}〔{year}〕{num}号"
    assert normalize_doc_number(key) == key  # idempotent
    found = [c.key for c in find_citations(f"根据{raw}文件")]
    assert found == [key]


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_amount_round_trip_with_thousands_separators(value):
    assert parse_amount(f"{value:,.2f}") == value
    assert parse_amount(f"{value:.2f}") == value
    assert parse_amount(f"{value:,.2f}", unit="元") == value / 10000


@given(st.text(max_size=12))
def test_amount_parser_never_fails_unexpectedly(text):
    try:
        result = parse_amount(text)
    except NumberError:
        return
    assert result is None or isinstance(result, Decimal)


@pytest.mark.parametrize(
    "cell,expected",
    [("2,304.44", Decimal("2304.44")), ("74 万元", Decimal("74")), ("74万", Decimal("74")), ("", None),
     ("-", None), ("１２３.５", Decimal("123.5")), ("1,252,300元", Decimal("125.23"))],
)
def test_amount_cells(cell, expected):
    assert parse_amount(cell) == expected


@pytest.mark.parametrize("cell", ["12.3.4", "abc", "1,23", "约100"])
def test_malformed_amounts_raise(cell):
    with pytest.raises(NumberError):
        parse_amount(cell)


@pytest.mark.parametrize(
    "raw,expected",
    [("≥95%", ("≥", Decimal(95), "%")), ("》 97%", (">", Decimal(97), "%")), ("≥4次/年", ("≥", Decimal(4), "次/年")),
     ("800元/人", (None, Decimal(800), "元/人")), ("各类培训》 4 次", (">", Decimal(4), "次")),
     ("不超过合同金额", (None, None, None)), ("有效提升", (None, None, None))],
)
def test_indicator_values(raw, expected):
    assert parse_indicator_value(raw) == expected


def test_words_joined_to_the_issuer_are_cut_off():
    keys = {c.key for c in find_citations("根据区发改委的批复和普发改投〔2017〕89号文件以及通知沪财预〔2020〕5号")}
    assert keys == {"普发改投〔2017〕89号", "沪财预〔2020〕5号"}


def test_a_doc_number_key_starts_at_the_issuer():
    text = ("1.扶助标准按鄂卫生计生发〔2016〕41号执行；2.补助资金发放鄂财教〔2020〕3号；3.严格执行中办发〔2019〕3号，"
            "其中财预〔2017〕87号规定的部分依据沪府办发〔2019〕3号；4.文件中武政规〔2016〕32号")
    keys = [c.key for c in find_citations(text)]
    assert keys == ["鄂卫生计生发〔2016〕41号", "鄂财教〔2020〕3号", "中办发〔2019〕3号", "财预〔2017〕87号",
                    "沪府办发〔2019〕3号", "武政规〔2016〕32号"]


def test_an_organ_named_in_words_before_its_own_abbreviation_is_cut_off():
    """区财政局樊财预发〔2024〕3号: the issuer is 樊财预发; an abbreviation that is an organ's own (人社厅发, 厅字)
    keeps its organ."""
    text = ("根据区财政局樊财预发〔2024〕3号和武汉市人民政府办公厅武政办〔2020〕10号，"
            "参照人社厅发〔2019〕12号及厅字〔2019〕5号")
    assert [c.key for c in find_citations(text)] == [
        "樊财预发〔2024〕3号", "武政办〔2020〕10号", "人社厅发〔2019〕12号", "厅字〔2019〕5号"]


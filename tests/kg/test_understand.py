"""understand(): plain-word questions → filters, leftover text and spans (names from a hand-built Lookups)."""

from decimal import Decimal

import pytest

from kg.search.understand import Lookups, understand

JA, DXH, HY, PT, WL = ("org/ja", "org/dxh", "org/hy", "org/pt", "org/wl")
LK = Lookups(
    departments={JA: "武汉市江岸区医疗保障局", DXH: "武汉市东西湖区医疗保障局", HY: "武汉市汉阳区民政局",
                 PT: "上海市普陀区财政局", WL: "上海市普陀区人民政府万里街道办事处"},
    department_names=((JA, "武汉市江岸区医疗保障局", 6), (JA, "江岸区医保局", 3), (JA, "武汉市江岸区医保局", 6),
                      (DXH, "武汉市东西湖区医疗保障局", 7), (DXH, "区医保局", 1), (HY, "武汉市汉阳区民政局", 6),
                      (HY, "区民政局", 1), (PT, "上海市普陀区财政局", 6), (WL, "上海市普陀区人民政府万里街道办事处", 6)),
    units=(("江岸区医疗保障服务中心", "武汉市江岸区医疗保障服务中心"), ("武汉市江岸区医疗保障服务中心", "武汉市江岸区医疗保障服务中心"),
           ("上海市普陀区财政局", "上海市普陀区财政局")),
    regions=("上海市普陀区", "武汉市东西湖区", "武汉市江岸区", "武汉市汉阳区"),
    department_years={JA: frozenset({(2026, "budget")}), DXH: frozenset({(2023, "budget")})},
    funds=("政府性基金预算拨款", "一般公共预算拨款", "上年结转"),
    codes={"医疗救助": {"21013": frozenset({JA})}, "卫生健康支出": {"210": frozenset({JA})},
           "城乡医疗救助": {"2101301": frozenset({DXH})},
           "信息化建设": {"2010607": frozenset({PT}), "2011350": frozenset({HY})}},
)


def ask(q):
    u = understand(q, LK)
    return u.filters.active(), u.text


def test_the_issue_example():
    f, text = ask("江岸区医保局 2026 年 医疗救助 预算多少")
    assert f == {"department": "武汉市江岸区医疗保障局", "year": 2026, "phase": "budget", "code": "21013"}
    assert text == ""


@pytest.mark.parametrize("q", ["武汉市江岸区医疗保障局的项目", "江岸医保局 项目", "武汉市江岸区医保局", "江岸区 医保局"])
def test_department_in_any_form(q):
    assert ask(q)[0]["department"] == "武汉市江岸区医疗保障局"


def test_colloquial_and_short_names():
    assert ask("万里街道 2023年")[0]["department"] == "上海市普陀区人民政府万里街道办事处"
    assert ask("普陀区万里街道办事处")[0]["department"] == "上海市普陀区人民政府万里街道办事处"
    assert ask("区医保局 2023年 三公经费")[0] == {"department": "武汉市东西湖区医疗保障局", "year": 2023}


def test_a_department_no_document_names_is_text():
    f, text = ask("成都市武侯区民政局2025年预算")
    assert "department" not in f and text == "成都市武侯区民政局"


def test_unit_longer_than_department_and_department_on_a_tie():
    assert ask("江岸区医疗保障服务中心 2026 年")[0] == {"unit": "武汉市江岸区医疗保障服务中心", "year": 2026}
    assert ask("上海市普陀区财政局 2025")[0] == {"department": "上海市普陀区财政局", "year": 2025}


def test_region_without_department():
    assert ask("普陀区2025年三公经费")[0] == {"region": "上海市普陀区", "year": 2025}
    assert ask("上海市普陀区 2024 年决算")[0] == {"region": "上海市普陀区", "year": 2024, "phase": "final_account"}
    assert ask("武汉市 2025年 部门预算")[0] == {"region": "武汉市", "year": 2025, "phase": "budget"}


@pytest.mark.parametrize("q,year", [("2024年", 2024), ("２０２４年 预算", 2024), ("2024年度决算", 2024),
                                    ("24年 机关运行经费", 2024), ("25年年初预算", 2025)])
def test_years(q, year):
    assert ask(q)[0]["year"] == year


def test_two_digit_number_without_a_budget_word_is_no_year():
    assert "year" not in ask("24年")[0] and "year" not in ask("第24条")[0]


@pytest.mark.parametrize("q,phase", [("部门预算", "budget"), ("年初预算", "budget"), ("单位预算", "budget"),
                                     ("决算", "final_account"), ("支出决算", "final_account")])
def test_phases(q, phase):
    assert ask(q)[0]["phase"] == phase


def test_fund_budget_word_is_no_phase():
    assert ask("政府性基金预算 安排的项目") == ({"fund": "政府性基金"}, "")
    assert ask("上年结转 项目")[0] == {"fund": "上年结转"}
    assert ask("一般公共服务支出")[0] == {}  # 一般公共 opens a fund's name but is a word of a class


@pytest.mark.parametrize("q,key", [("哪些项目引用了武政规[2016]32号", "武政规〔2016〕32号"),
                                   ("引用东劳社（2005）15号 的项目", "东劳社〔2005〕15号"),
                                   ("依据赣农字【2022】38号", "赣农字〔2022〕38号"),
                                   ("武政规 〔2016〕 32 号", "武政规〔2016〕32号"),
                                   ("哪些项目引用了教育部令第23号", "教育部令第23号"),
                                   ("哪些项目引用了《医疗保障基金使用监督管理条例》", "医疗保障基金使用监督管理条例")])
def test_cites(q, key):
    f, text = ask(q)
    assert f == {"cites": key} and text == ""


@pytest.mark.parametrize("q,lo,hi", [("超过100万元的项目", "100", None), ("不低于30万元", "30", None),
                                     ("100万元以上", "100", None), ("100万元以下", None, "100"),
                                     ("50万到200万之间", "50", "200"), ("5000元以下", None, "0.5"),
                                     ("0.2亿元以上", "2000", None), ("超过１００万", "100", None),
                                     ("不超过20万元", None, "20")])
def test_amounts(q, lo, hi):
    f = ask(q)[0]
    assert f.get("min_amount") == (Decimal(lo) if lo else None)
    assert f.get("max_amount") == (Decimal(hi) if hi else None)


@pytest.mark.parametrize("q,side,strict", [
    ("超过85万元的项目", "min", True), ("高于85万元", "min", True), ("大于85万", "min", True), ("多于85万元", "min", True),
    ("85万元以上", "min", False), ("85万元及以上", "min", False), ("不低于85万元", "min", False),
    ("不少于85万元", "min", False), ("至少85万元", "min", False),
    ("低于85万元", "max", True), ("少于85万元", "max", True), ("小于85万元", "max", True), ("不足85万元", "max", True),
    ("85万元以下", "max", False), ("不超过85万元", "max", False), ("不高于85万元", "max", False),
    ("至多85万元", "max", False)])
def test_strict_and_inclusive_bounds(q, side, strict):
    f, text = ask(q)
    assert f == {f"{side}_amount": Decimal("85"), **({f"{side}_exclusive": True} if strict else {})}
    assert text == ""


def test_a_range_is_inclusive_and_a_dropped_bound_takes_its_strictness():
    assert ask("50万到200万之间")[0] == {"min_amount": Decimal("50"), "max_amount": Decimal("200")}
    u = understand("江岸区医保局 超过85万元的项目", LK)
    v = u.without(["min_amount"])
    assert v.filters.active() == {"department": "武汉市江岸区医疗保障局"} and v.text == "超过85万元"


def test_class_names_only_standing_alone():
    assert ask("江岸区医保局 卫生健康支出")[0]["code"] == "210"
    f, text = ask("东西湖区医保局2023年城乡医疗救助资金")
    assert "code" not in f and text == "城乡医疗救助资金"


def test_a_name_of_several_codes_is_the_named_departments():
    assert ask("普陀区财政局 2025 年 信息化建设")[0]["code"] == "2010607"
    assert "code" not in ask("江岸区医保局 信息化建设")[0]


def test_a_class_name_alone_is_searched_as_words():
    assert ask("医疗救助") == ({}, "医疗救助")


def test_figure_words_and_spans():
    u = understand("汉阳区民政局2024年城市最低生活保障金花了多少", LK)
    assert u.asks_figure and u.text == "城市最低生活保障金"
    q = u.query
    assert [(q[s.start:s.end], s.field) for s in u.spans] == [
        ("汉阳区民政局", "department"), ("2024年", "year"), ("花了多少", "figure")]


def test_without_gives_the_words_back():
    u = understand("江岸区医保局 2026 年 医疗救助 预算多少", LK)
    v = u.without({"department", "code"})
    assert v.filters.active() == {"year": 2026, "phase": "budget"}
    assert v.text == "江岸区医保局 医疗救助"
    assert understand(u.query, LK).without(["department", "code"]) == v

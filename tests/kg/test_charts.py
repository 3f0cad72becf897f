"""Chart data (kg.charts) over the bundled samples: the breakdowns add up to the documents' own totals."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kg import charts

JIANGAN, DONGXIHU = "武汉市江岸区医疗保障局", "武汉市东西湖区医疗保障局"


@pytest.fixture(scope="module")
def store(samples_graph):
    return samples_graph


@pytest.fixture(scope="module")
def jiangan(store):
    return charts.find_budget(store, JIANGAN, 2026, "budget")


def test_budgets_and_find(store, jiangan):
    assert [(b.department, b.year, b.phase) for b in charts.budgets(store)] == [
        (DONGXIHU, 2023, "budget"), (JIANGAN, 2026, "budget")]
    assert jiangan.title == "武汉市江岸区医疗保障局 2026年预算"
    assert charts.find_budget(store, JIANGAN, "2026", "预算") == jiangan
    assert charts.find_budget(store, "江岸区医疗保障局") == jiangan  # part of the name
    assert charts.find_budget(store, JIANGAN, 2026, "final_account") is None


def test_functional_classes_sum_to_the_documents_total_expenditure(store, jiangan):
    by_class = charts.functional(store, jiangan.iri)
    assert list(by_class[charts.CODE]) == ["208", "210", "221"]
    assert by_class.set_index(charts.CODE).loc["210", charts.NAME] == "卫生健康支出"
    assert by_class[charts.AMOUNT].sum() == D("2304.44")
    assert charts.expenditure_total(store, jiangan.iri) == D("2304.44")
    by_kuan = charts.functional(store, jiangan.iri, "款")
    assert by_kuan[charts.AMOUNT].sum() == D("2304.44")
    assert by_kuan.set_index(charts.CODE).loc["21013", charts.AMOUNT] == D("1426.0")


def test_basic_and_project_split_the_total(store, jiangan):
    split = charts.basic_vs_project(store, jiangan.iri).set_index(charts.NAME)[charts.AMOUNT]
    assert split[charts.BASIC] == D("344.01")
    assert split[charts.PROJECT] == D("1960.43")
    assert split.sum() == D("2304.44")


def test_economic_classes_sum_to_basic_expenditure(store, jiangan):
    econ = charts.economic(store, jiangan.iri)
    assert list(econ[charts.NAME]) == ["工资福利支出", "商品和服务支出"]
    assert econ[charts.AMOUNT].sum() == D("344.01")
    assert charts.economic(store, jiangan.iri, "款")[charts.AMOUNT].sum() == D("344.01")


def test_top_projects_are_the_largest_first(store, jiangan):
    top = charts.top_projects(store, jiangan.iri, n=5)
    amounts = list(top[charts.AMOUNT])
    assert len(top) == 5 and amounts == sorted(amounts, reverse=True)
    assert all(top["iri"].str.contains("/project/"))


def test_across_budgets_one_row_each(store):
    rows = charts.across(store).set_index(charts.DEPARTMENT)
    assert rows.loc[JIANGAN, charts.TOTAL] == D("2304.44")
    assert rows.loc[DONGXIHU, charts.TOTAL] == D("3233.20")
    assert rows.loc[DONGXIHU, charts.YEAR] == 2023 and rows.loc[DONGXIHU, charts.PHASE] == "预算"
    assert rows.loc[JIANGAN, charts.BUDGET] == "武汉市江岸区医疗保障局 2026年预算"
    by_year = charts.functional_by_year(store, JIANGAN)
    assert set(by_year[charts.PERIOD]) == {"2026 预算"}


def test_missing_level_is_summed_from_the_level_below(store, jiangan):
    lines = {"2101301": {charts.NAME: "城乡医疗救助", charts.AMOUNT: D("10"), charts.BASIC: D("0"),
                         charts.PROJECT: D("10")},
             "2101399": {charts.NAME: "其他医疗救助支出", charts.AMOUNT: D("5"), charts.BASIC: D("5"),
                         charts.PROJECT: D("0")}}
    rolled = charts._level(store, lines, 3)
    assert rolled.to_dict("records") == [{charts.CODE: "210", charts.NAME: "卫生健康支出", charts.AMOUNT: D("15"),
                                          charts.BASIC: D("5"), charts.PROJECT: D("10")}]


def test_money_is_decimal_never_float(store, jiangan):
    frames = [charts.functional(store, jiangan.iri), charts.economic(store, jiangan.iri),
              charts.basic_vs_project(store, jiangan.iri), charts.top_projects(store, jiangan.iri),
              charts.across(store)]
    for frame in frames:
        for column in (charts.AMOUNT, charts.BASIC, charts.PROJECT, charts.TOTAL):
            if column in frame:
                assert all(type(v) is D for v in frame[column]), (column, list(frame[column]))
    assert type(charts.expenditure_total(store, jiangan.iri)) is D
    assert all(type(v) is D for v in charts.totals(store, jiangan.iri).values())


def test_two_projects_of_one_name_in_two_units_stay_two_with_their_units_in_the_label(store, jiangan):
    top = charts.top_projects(store, jiangan.iri, n=50)
    checkups = top[top["项目"] == "在职人员体检费"]
    assert len(checkups) == 2 and checkups["iri"].nunique() == 2
    assert set(checkups[charts.LABEL]) == {"在职人员体检费（武汉市江岸区医疗保障局本级）", "在职人员体检费（武汉市江岸区医疗保障服务中心）"}
    assert top[charts.LABEL].is_unique
    assert charts.distinct_labels([("甲", "局本级"), ("甲", "局本级"), ("乙", "")]) == [
        "甲（局本级）#1", "甲（局本级）#2", "乙"]


def test_shares_of_basic_and_project_add_up_to_100(store, jiangan):
    split = charts.basic_vs_project(store, jiangan.iri).set_index(charts.NAME)[charts.SHARE]
    assert list(split) == [D("14.93"), D("85.07")] and split.sum() == D("100.00")  # 344.01 and 1960.43 of 2304.44
    assert charts.shares([D(1), D(1), D(1)]) == [D("33.34"), D("33.33"), D("33.33")]
    assert charts.shares([D(0), D(0)]) == [D(0), D(0)]

"""The charts page (search_app/views/charts.py) run with AppTest on a store of the bundled samples."""

from __future__ import annotations

from functools import partial

import pytest

JIANGAN = "武汉市江岸区医疗保障局"


@pytest.fixture
def run(run_page):
    return partial(run_page, "charts")


def test_permalink_selects_the_budget_and_the_totals_add_up(run):
    at = run(dept=JIANGAN, year="2026", phase="budget")
    assert at.selectbox[0].value == JIANGAN and at.selectbox[1].value == 2026
    assert [m.value for m in at.metric] == ["2,304.44", "344.01", "1,960.43"]
    functional = at.dataframe[0].value
    assert list(functional["编码"]) == ["208", "210", "221"]
    assert functional["金额（万元）"].sum() == pytest.approx(2304.44)
    economic = at.dataframe[1].value
    assert economic["金额（万元）"].sum() == pytest.approx(344.01)
    # the comparison across the two sample departments
    assert "各部门、各年度支出对比" in [s.value for s in at.subheader]
    assert len(at.dataframe[-1].value) == 2


def test_choosing_another_department_updates_the_url(run):
    at = run(dept=JIANGAN)
    at.selectbox[0].select("武汉市东西湖区医疗保障局").run()
    assert at.query_params["dept"] == "武汉市东西湖区医疗保障局"
    assert at.metric[0].value == "3,233.20"


def test_kuan_level_and_an_unknown_budget(run):
    at = run(dept=JIANGAN, level="款")
    assert "21013" in set(at.dataframe[0].value["编码"])
    at = run(dept="没有这个部门", year="1999")
    assert at.warning and "没有对应的预决算" in at.warning[0].value
    assert at.metric  # falls back to the latest budget

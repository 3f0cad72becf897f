"""What the charts page draws (issue 13.5), read from the Vega-Lite specs and data the page sends:
distinct projects are distinct bars, every class label is drawn, the donut shows values and shares."""

from __future__ import annotations

import json
from decimal import Decimal

import pyarrow as pa
import pytest
import streamlit as st
from apptest_helpers import page_test
from helpers import budget_disclosure

from kg.api import BudgetKG

JIANGAN = "武汉市江岸区医疗保障局"


def _charts(at) -> list[tuple[dict, list[dict]]]:
    """``(spec, rows of its data)`` of every Altair chart on the page."""
    out = []
    for e in at.get("vega_lite_chart"):
        spec = json.loads(e.proto.spec)
        rows = [r for d in e.proto.datasets for r in pa.ipc.open_stream(d.data.data).read_all().to_pylist()]
        out.append((spec, rows))
    return out


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def _chart_with(at, field: str, axis: str = "y") -> tuple[dict, list[dict]]:
    """The chart whose ``axis`` encodes ``field``."""
    return next((s, rows) for s, rows in _charts(at) if any(
        layer["encoding"].get(axis, {}).get("field") == field for layer in _layers(s)))


@pytest.fixture
def page(run_page):
    return run_page("charts", dept=JIANGAN, year="2026", phase="budget")


def test_two_projects_of_one_name_in_two_units_are_two_bars_with_distinct_labels(page):
    projects = next((s, rows) for s, rows in _charts(page) if any("预算单位" in r for r in rows))
    spec, rows = projects
    bar = spec["encoding"]["y"]["field"]
    checkups = [r for r in rows if r["项目"] == "在职人员体检费"]
    assert len(checkups) == 2
    assert {r["预算单位"] for r in checkups} == {"武汉市江岸区医疗保障局本级", "武汉市江岸区医疗保障服务中心"}
    assert len({r[bar] for r in checkups}) == 2  # two bars, not one summed
    assert all(r["预算单位"] in r[bar] for r in checkups)  # each says its unit
    assert len({r[bar] for r in rows}) == len({r["iri"] for r in rows}) == len(rows)


def test_every_functional_class_is_a_labelled_category_that_is_never_dropped(page):
    functional = page.dataframe[0].value
    spec, rows = _chart_with(page, "科目")
    drawn = {r["科目"] for r in rows}
    assert drawn == {f"{c} {n}" for c, n in zip(functional["编码"], functional["科目"])}
    assert "221 住房保障支出" in drawn
    axis = spec["encoding"]["y"]["axis"]
    assert axis["labelOverlap"] is False  # Vega-Lite may hide labels that overlap otherwise
    assert axis["labelLimit"] >= 200  # wide enough for a class name
    assert spec["height"] == {"step": pytest.approx(spec["height"]["step"])} and spec["height"]["step"] >= 20


def test_the_donut_writes_each_amount_and_share_and_the_shares_add_up_to_100(page):
    spec, rows = next((s, rows) for s, rows in _charts(page) if any(l["mark"]["type"] == "arc" for l in _layers(s)))
    texts = [layer["encoding"]["text"]["field"] for layer in _layers(spec) if layer["mark"]["type"] == "text"]
    assert len(texts) == 2  # the amount and the share, written on the chart
    by_name = {r["科目"]: r for r in rows}
    assert set(by_name) == {"基本支出", "项目支出"}
    written = [{by_name[n][t] for t in texts} for n in ("基本支出", "项目支出")]
    assert written == [{"344.01 万元", "14.93%"}, {"1,960.43 万元", "85.07%"}]
    tooltip = {t["field"] for layer in _layers(spec) for t in layer["encoding"]["tooltip"]}
    assert set(texts) <= tooltip
    shares = [Decimal(by_name[n][t].rstrip("%")) for n in by_name for t in texts if by_name[n][t].endswith("%")]
    assert sum(shares) == Decimal("100.00")
    table = page.dataframe[2].value.set_index("科目")  # the table beside the donut
    assert table.loc["基本支出", "金额（万元）"] == pytest.approx(344.01)
    assert table.loc["项目支出", "金额（万元）"] == pytest.approx(1960.43)
    assert [page.metric[1].value, page.metric[2].value] == ["344.01", "1,960.43"]


def test_a_unit_budget_is_a_choice_of_its_own_beside_the_departments(tmp_path, monkeypatch):
    import streamlit as st
    from apptest_helpers import page_test
    from helpers import budget_disclosure
    
    from kg.api import BudgetKG

    files = []
    for name, title, income in (("dept.txt", "武汉市某区民政局2025年部门预算", "1,200.00"),
                                ("unit.txt", "武汉市某区民政局（本级）2025年单位预算", "800.00")):
        files.append(tmp_path / name)
        files[-1].write_text(budget_disclosure(title, "武汉市某区民政局", income), encoding="utf-8")
    with BudgetKG.open(tmp_path / "store") as kg:
        assert all(r.ok for r in kg.ingest(files))
    monkeypatch.setenv("BUDGETKG_STORE", str(tmp_path / "store"))
    try:
        at = page_test("charts")
        at.query_params["dept"] = "武汉市某区民政局"
        at.run()
        assert not at.exception
        assert at.metric[0].value == "1,200.00"  # the 部门预算 first
        choice = at.selectbox[2]
        assert len(choice.options) == 2 and choice.options[0] == "预算" and "单位预算" in choice.options[1]
        choice.select_index(1).run()
        assert at.metric[0].value == "800.00"
        assert at.query_params["budget"].endswith("/unit/武汉市某区民政局%28本级%29")
        assert len(at.dataframe[-1].value) == 2  # the comparison: two budgets, two rows
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()

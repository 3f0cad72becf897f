"""The search page (search_app/views/search.py) over the embedded samples, under AppTest."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qs

from apptest_helpers import page_links, page_test, texts

from search_app.views.search import SearchState

JIANGAN, DONGXIHU = "武汉市江岸区医疗保障局", "武汉市东西湖区医疗保障局"


def _entity_iris(at) -> list[str]:
    links = page_links(at)
    assert links and all(page == "entity" for _, page, _ in links)
    return [parse_qs(qs)["iri"][0] for _, _, qs in links]


def test_state_round_trips_through_params():
    state, bad = SearchState.from_params({"q": " 医疗救助 ", "dept": JIANGAN, "year": "2026", "phase": "预算",
                                          "min": "5", "max": "300.5", "k": "20", "cites": "武政规[2016]32号"})
    assert bad == []
    assert state == SearchState(q="医疗救助", cites="武政规[2016]32号", dept=JIANGAN, year=2026, phase="budget",
                                min=Decimal("5"), max=Decimal("300.5"), k=20)
    assert SearchState.from_params(state.to_params())[0] == state
    assert state.filters().active() == {"department": JIANGAN, "year": 2026, "phase": "budget",
                                        "min_amount": Decimal("5"), "max_amount": Decimal("300.5"),
                                        "cites": "武政规[2016]32号"}
    odd, bad = SearchState.from_params({"q": "x", "year": "去年", "min": "lots", "phase": "midyear", "k": "7"})
    assert odd == SearchState(q="x") and sorted(bad) == ["min=lots", "phase=midyear", "year=去年"]
    assert "k" not in SearchState(q="x").to_params()


def test_first_view_welcomes_with_examples(app_store):
    at = page_test("search").run()
    assert not at.exception
    assert at.title[0].value == "检索"
    assert any("**2** 份" in t for t in texts(at, "markdown"))
    assert "医疗救助" in [b.label for b in at.button]
    assert at.query_params == {}


def test_permalink_reproduces_a_filtered_search(app_store):
    at = page_test("search")
    at.query_params.update({"q": "医疗救助", "dept": "江岸区医保局", "phase": "预算"})
    at.run()
    assert not at.exception
    assert at.text_input(key="search_q").value == "医疗救助"
    assert at.selectbox(key="search_dept").value == "江岸区医保局"  # an alias, kept as typed
    captions = texts(at, "caption")
    assert captions[0].startswith("共 ")
    hits = [c for c in captions if "相关度" in c]
    assert hits and all(JIANGAN in c for c in hits) and not any(DONGXIHU in c for c in hits)
    assert any(":red[医疗救助]" in m for m in texts(at, "markdown"))
    assert all(iri.startswith("https://w3id.org/budgetkg/") for iri in _entity_iris(at))
    assert at.query_params == {"q": "医疗救助", "dept": "江岸区医保局", "phase": "budget"}


def test_filters_from_the_form_reach_the_url(app_store):
    at = page_test("search").run()
    at.text_input(key="search_q").input("医疗救助")
    at.selectbox(key="search_year").select(2023)
    at.number_input(key="search_min").set_value(100.0)
    at.button[0].click().run()  # 检索
    assert not at.exception
    hits = [c for c in texts(at, "caption") if "相关度" in c]
    assert hits and all(c.startswith("项目") and DONGXIHU in c and "2023" in c for c in hits)  # amounts: projects
    labels = [label.split(". ", 1)[1] for label, _, _ in page_links(at)]
    assert labels[0] == "城乡医疗救助" and "医保服务中心工作经费" not in labels  # 60 万元, under the minimum
    assert at.query_params == {"q": "医疗救助", "year": "2023", "min": "100.0"}


def test_cites_alone_lists_the_citing_projects(app_store):
    at = page_test("search")
    at.query_params["cites"] = "武政规【2016】32 号"
    at.run()
    assert not at.exception
    assert [label for label, _, _ in page_links(at)] == ["城乡医疗救助", "统筹和组织实施医疗救助工作经费"]
    captions = texts(at, "caption")
    assert "共 2 个项目引用" in captions[0] and "武政规〔2016〕32号" in captions[0]
    assert any("260\\.00 万元" in c and DONGXIHU in c for c in captions)
    assert any("立项依据" in m and "1076" in m for m in texts(at, "markdown"))


def test_cites_with_a_query_filters_the_search(app_store):
    at = page_test("search")
    at.query_params.update({"q": "工作经费", "cites": "市人民政府关于印发武汉市医疗救助实施办法的通知"})
    at.run()
    assert not at.exception
    labels = [label.split(". ", 1)[1] for label, _, _ in page_links(at)]
    assert labels and set(labels) <= {"城乡医疗救助", "统筹和组织实施医疗救助工作经费"}


def test_nothing_found_and_bad_parameters_are_said_plainly(app_store):
    at = page_test("search")
    at.query_params.update({"q": "医疗救助", "min": "99999", "year": "明年"})
    at.run()
    assert not at.exception
    assert "year\\=明年" in at.warning[0].value
    assert "没有找到" in at.info[0].value and "放宽筛选条件" in at.info[0].value
    assert at.query_params == {"q": "医疗救助", "min": "99999.0"}


def test_example_button_runs_a_search(app_store):
    at = page_test("search").run()
    next(b for b in at.button if b.label == "三公经费").click().run()
    assert not at.exception
    assert at.query_params == {"q": "三公经费"} and page_links(at)


def test_clear_filters_keeps_the_query(app_store):
    at = page_test("search")
    at.query_params.update({"q": "医疗救助", "dept": JIANGAN, "year": "2026", "fund": "一般公共预算"})
    at.run()
    assert at.expander[0].label == "筛选条件（已启用）"
    next(b for b in at.button if b.label == "清除筛选").click().run()
    assert not at.exception
    assert at.query_params == {"q": "医疗救助"} and at.selectbox(key="search_dept").value == ""
    assert any(DONGXIHU in c for c in texts(at, "caption"))


def test_an_empty_store_points_to_the_documents_page(tmp_path, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("BUDGETKG_STORE", str(tmp_path / "empty"))
    try:
        at = page_test("search").run()
        assert not at.exception
        assert "还没有文档" in at.info[0].value
        assert [(page, label) for label, page, _ in page_links(at)] == [("documents", "前往「文档」页上传")]
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def test_a_hit_shows_its_subjects_department_year_phase_amount_unit_and_the_documents_title(app_store):
    at = page_test("search")
    at.query_params.update({"q": "在职人员体检费"})
    at.run()
    assert not at.exception
    hits = dict(zip((label for label, _, _ in page_links(at)), (c for c in texts(at, "caption") if "相关度" in c)))
    checkups = {label: caption.replace("\\", "") for label, caption in hits.items() if "在职人员体检费" in label}
    assert len(checkups) == 2  # the two projects of one name, each with its own unit
    for caption in checkups.values():
        assert f"{JIANGAN} · 2026 年 · 预算 · 0.48 万元" in caption
        assert "《2026年江岸区医保局部门预算公开说明》" in caption  # the document's title, not its file name
        assert "001_c082f6ab8c9dd51c.txt" not in caption
    units = {u for u in ("武汉市江岸区医疗保障局本级", "武汉市江岸区医疗保障服务中心") for c in checkups.values() if u in c}
    assert len(units) == 2

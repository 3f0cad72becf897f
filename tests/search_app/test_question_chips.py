"""The search page reads a question: removable chips of the filters it names, an answer card, the URL."""

from __future__ import annotations

from apptest_helpers import page_links, page_test, texts

from search_app.views.search import SearchState

QUESTION = "江岸区医保局 2026 年 医疗救助 预算多少"


def _card_captions(at) -> list[str]:
    return [c for c in texts(at, "caption") if "出处：" in c]


def test_off_round_trips_through_params():
    state, bad = SearchState.from_params({"q": QUESTION, "off": "code,department"})
    assert bad == [] and state.off == "department,code" and state.dropped == ("department", "code")
    assert SearchState.from_params(state.to_params())[0] == state
    assert SearchState.from_params({"q": "x", "off": "nonsense"})[1] == ["off=nonsense"]


def test_a_figure_question_shows_chips_and_the_answer_card(app_store):
    at = page_test("search")
    at.query_params["q"] = QUESTION
    at.run()
    assert not at.exception
    chips = [b.label for b in at.button if b.key and b.key.startswith("search_chip_")]
    assert chips == ["部门：武汉市江岸区医疗保障局 ✕", "年度：2026 ✕", "阶段：预算 ✕", "功能分类科目：21013 ✕"]
    assert "**1\\,426\\.00 万元**" in texts(at, "markdown")  # escaped markdown
    (source,) = _card_captions(at)
    assert "功能分类科目" in source and "001\\_c082f6ab8c9dd51c\\.txt" in source and "第 122 行" in source
    label, page, query = page_links(at)[0]
    assert (label, page) == ("医疗救助", "entity") and "%2Fline%2F" in query
    assert at.query_params == {"q": QUESTION}


def test_removing_a_chip_keeps_it_out_and_the_url_says_so(app_store):
    at = page_test("search")
    at.query_params["q"] = QUESTION
    at.run()
    next(b for b in at.button if b.key == "search_chip_code").click().run()
    assert not at.exception
    assert at.query_params == {"q": QUESTION, "off": "code"}
    chips = [b.label for b in at.button if b.key and b.key.startswith("search_chip_")]
    assert "功能分类科目：21013 ✕" not in chips and len(chips) == 3
    assert all("项目" in c for c in _card_captions(at))  # 医疗救助 is now words: the projects of that name
    again = page_test("search")
    again.query_params.update({"q": QUESTION, "off": "code"})
    again.run()
    assert [b.label for b in again.button if b.key and b.key.startswith("search_chip_")] == chips
    assert _card_captions(again) == _card_captions(at)


def test_nothing_answers_is_said(app_store):
    at = page_test("search")
    at.query_params["q"] = "江岸区医保局2025年部门预算总额是多少"
    at.run()
    assert not at.exception
    assert any("没有符合这些条件的数据" in m for m in texts(at, "markdown"))


def _chip_labels(at) -> list[str]:
    return [b.label for b in at.button if b.key and b.key.startswith("search_chip_")]


def test_strict_and_inclusive_bounds_read_as_the_question_says(app_store):
    at = page_test("search")
    at.query_params["q"] = "江岸区医保局2026年超过100万元的项目有哪些"
    at.run()
    assert not at.exception and "金额：超过 100\\.00 万元 ✕" in _chip_labels(at)
    next(b for b in at.button if b.key == "search_chip_min_amount").click().run()
    assert at.query_params == {"q": "江岸区医保局2026年超过100万元的项目有哪些", "off": "min_amount"}
    assert not any(c.startswith("金额") for c in _chip_labels(at))
    at = page_test("search")
    at.query_params["q"] = "江岸区医保局2026年100万元以上的项目"
    at.run()
    assert "金额：100\\.00 万元以上 ✕" in _chip_labels(at)


def test_a_strict_form_bound_is_in_the_url_and_leaves_out_the_amount_itself():
    state, bad = SearchState.from_params({"q": "x", "min": "60", "min_excl": "1", "max": "90", "max_excl": "0"})
    assert bad == [] and (state.min_excl, state.max_excl) == (True, False)
    assert state.to_params() == {"q": "x", "min": "60", "min_excl": "1", "max": "90"}  # inclusive: as older links
    assert SearchState.from_params(state.to_params())[0] == state
    assert state.filters().active() == {"min_amount": 60, "max_amount": 90, "min_exclusive": True}
    assert SearchState.from_params({"q": "x", "min": "60"})[0].filters().active() == {"min_amount": 60}
    assert SearchState.from_params({"q": "x", "min_excl": "maybe"})[1] == ["min_excl=maybe"]


def test_a_strict_form_bound_shows_in_the_card(app_store):
    def card(params):
        at = page_test("search")
        at.query_params.update(params)
        at.run()
        assert not at.exception
        return [b.label for b in at.button if b.key is None or not b.key.startswith("search_")] + \
            [label for label, _, _ in page_links(at)]

    q = {"q": "东西湖区医保局2023年的项目", "min": "60"}
    assert "医保服务中心工作经费" in card(q)  # 60 万元: at the 下限
    assert "医保服务中心工作经费" not in card({**q, "min_excl": "1"})

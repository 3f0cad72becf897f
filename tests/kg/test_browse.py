"""Entity pages as data (kg.browse) over the two bundled samples: laws, projects, concepts, lookups."""

from __future__ import annotations

import pytest

from kg.browse import entity_view, landmarks, lookup

JIANGAN, DONGXIHU = "武汉市江岸区医疗保障局", "武汉市东西湖区医疗保障局"


@pytest.fixture(scope="module")
def store(samples_graph):
    return samples_graph


def _project(store, name: str) -> str:
    return next(h.iri for h in lookup(store, name) if h.kind == "project" and h.label == name)


def test_law_page_lists_every_citing_project_with_department_year_and_amount(store):
    view = entity_view(store, "law/武政规〔2016〕32号")
    assert view.found and view.kind == "law" and view.type_label == "政策文件"
    assert view.label == "市人民政府关于印发武汉市医疗救助实施办法的通知"
    assert view.fact_values("文号") == ["武政规〔2016〕32号"]
    citing = view.group("引用该文件的项目")
    assert {(it.fields["部门"].text, it.label, it.fields["金额（万元）"].text) for it in citing.items} == {
        (DONGXIHU, "城乡医疗救助", "260.00"), (JIANGAN, "统筹和组织实施医疗救助工作经费", "6.30")}
    by_name = {it.label: it for it in citing.items}
    assert by_name["城乡医疗救助"].fields["年度"].text == "2023"
    assert by_name["城乡医疗救助"].fields["引用位置"].text == "立项依据"
    assert by_name["统筹和组织实施医疗救助工作经费"].fields["预算单位"].text == "武汉市江岸区医疗保障局本级"
    # each row says where the citation was read
    assert all(it.sources and it.sources[0].line for it in citing.items)
    assert len({s.doc_id for it in citing.items for s in it.sources}) == 2


def test_short_form_and_full_iri_give_the_same_page(store):
    short = entity_view(store, "law/武政规〔2016〕32号")
    full = entity_view(store, short.iri)
    assert full.iri == short.iri and full.label == short.label


def test_project_page_shows_amount_unit_funding_indicators_and_laws(store):
    view = entity_view(store, _project(store, "统筹和组织实施医疗救助工作经费"))
    assert view.kind == "project" and view.type_label == "项目"
    assert view.fact_values("金额（万元）") == ["6.30"]
    unit = next(f for f in view.facts if f.label == "预算单位")
    assert unit.value.text == "武汉市江岸区医疗保障局本级" and "/unit/" in unit.value.iri
    assert view.fact_values("所属部门") == [JIANGAN]
    funding = view.group("资金")
    assert [(it.fields["资金来源"].text, it.fields["金额（万元）"].text) for it in funding.items] == [
        ("一般公共预算财政拨款", "6.30")]
    assert view.group("绩效指标").count >= 5
    laws = view.group("引用依据")
    assert "市人民政府关于印发武汉市医疗救助实施办法的通知" in {it.label for it in laws.items}
    # facts point at the places they were read; the amount at a line showing 6.30
    amount = next(f for f in view.facts if f.label == "金额（万元）")
    assert amount.sources and all(s.line for s in amount.sources)
    assert any("6.3" in s.snippet for s in amount.sources)


def test_functional_class_page_lists_the_lines_that_use_it(store):
    view = entity_view(store, "fn/2101301")
    assert view.kind == "concept" and view.type_label == "功能分类科目"
    assert view.label == "2101301 城乡医疗救助"
    assert view.fact_values("上级科目") == ["21013 医疗救助"]
    users = view.group("使用该科目的项目与科目行")
    lines = {(it.fields["部门"].text, it.fields["合计（万元）"].text) for it in users.items if it.kind == "line"}
    assert (JIANGAN, "1,426.00") in lines and (DONGXIHU, "560.00") in lines
    assert all(it.sources and it.sources[0].line for it in users.items if it.kind == "line")


def test_department_page_links_units_budgets_and_projects(store):
    view = entity_view(store, f"org/{JIANGAN}")
    assert view.kind == "department"
    units = view.group("下属单位/机构")
    assert "武汉市江岸区医疗保障局本级" in {it.label for it in units.items}
    own = view.group("所属预决算与项目")
    assert {"budget", "project"} <= {it.kind for it in own.items}
    assert own.count == len(own.items) > 10


def test_neighbourhood_picture_names_the_neighbours_in_chinese(store):
    view = entity_view(store, "law/武政规〔2016〕32号")
    dot = view.dot(url_for=lambda iri: "entity?iri=x")
    assert dot.startswith("digraph") and "引用依据" in dot and 'URL="entity?iri=x"' in dot
    assert {e.target for e in view.edges if e.label == "引用依据"} == {view.iri}
    assert len([e for e in view.edges if e.label == "引用依据"]) == 2


def test_unknown_iri_is_not_found(store):
    view = entity_view(store, "project/没有这个项目")
    assert not view.found and view.facts == [] and view.incoming == []


def test_lookup_by_name_doc_number_variant_and_code(store):
    assert [h.label for h in lookup(store, "武政规[2016]32号")] == ["市人民政府关于印发武汉市医疗救助实施办法的通知"]
    assert lookup(store, "2101301")[0].label == "2101301 城乡医疗救助"
    assert {"project", "concept"} <= {h.kind for h in lookup(store, "医疗救助")}
    assert lookup(store, "  ") == []


def test_landmarks_list_departments_and_most_cited_laws(store):
    marks = landmarks(store)
    assert {h.label for h in marks["部门"]} == {JIANGAN, DONGXIHU}
    assert any("武汉市医疗救助实施办法" in h.label and "2 个项目" in h.label for h in marks["常被引用的政策文件"])

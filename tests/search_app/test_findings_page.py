"""Issue 14, item 3: the findings page (一致性检查) and the badges that lead to it, on the samples store.

The page lists each finding with its message, severity, family and rule, and its values side by side —
label, amount with unit, place, snippet; a sum with its terms — as ``BudgetKG.findings`` reads them from the
store; its filters (document, family, severity, the entity concerned) narrow the list to what
``BudgetKG.findings`` gives for the same choice; a document, budget or project page shows how many
findings concern it and links to them.  Every text the page itself writes is Chinese.
"""

from __future__ import annotations

import html

import re
from urllib.parse import parse_qs

import pytest
from apptest_helpers import page_links, plain, texts

from kg.api import BudgetKG
from kg.types import FAMILY_ZH, SEVERITY_ZH, place_text
from search_app.views.findings import PER_PAGE

SEED_ID = "e89d211dea500184"  # samples/000_dc10eef729309141.txt
BUDGET = "https://w3id.org/budgetkg/budget/武汉市东西湖区医疗保障局/2023/budget"
DOCUMENT = f"https://w3id.org/budgetkg/doc/{SEED_ID}"
HEADING = re.compile(r"^\*\*\d+\\\. (.*)\*\*$", re.S)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def kg(app_store) -> BudgetKG:
    """The store the pages read (the app's one :func:`~search_app.state.get_kg`)."""
    from search_app.state import get_kg

    return get_kg()


@pytest.fixture
def stored(kg):
    """``stored(**filters)``: what ``BudgetKG.findings`` gives."""
    return kg.findings


def _doc(query: str) -> str:
    """The entity a link's query string narrows the findings page to."""
    return parse_qs(query)["concerns"][0]


def headings(at) -> list[str]:
    """The messages of the findings listed, in order."""
    return [plain(m.group(1)) for m in (HEADING.match(t) for t in texts(at, "markdown")) if m]


def every_page(run_page, **params) -> list:
    """The findings page run for each part of its list (``page=1, 2, …``, :data:`PER_PAGE` findings each)."""
    first = run_page("findings", **params)
    total = next((int(m.group(1)) for t in texts(first, "caption") if (m := re.match(r"共 (\d+) 个问题", t))), 0)
    return [first, *(run_page("findings", **params, page=str(n)) for n in range(2, -(-total // PER_PAGE) + 1))]


def listed(run_page, **params) -> list[str]:
    """The messages of the findings listed on all the parts of the page, in order."""
    return [h for at in every_page(run_page, **params) for h in headings(at)]


def test_the_seeds_findings_are_listed_with_their_values_amounts_and_places(run_page, stored):
    expected = stored(doc_ids=[SEED_ID])
    assert len(expected) >= 8 and any(v.terms for f in expected for v in f.values)
    ats = every_page(run_page, doc=SEED_ID)
    assert [h for at in ats for h in headings(at)] == [plain(f.message) for f in expected]
    markdown = [t for at in ats for t in texts(at, "markdown")]
    captions = [t for at in ats for t in texts(at, "caption")]
    # as the reader sees it: escapes gone, and < > & (which markup writes as entities) as themselves
    shown = {html.unescape(plain(t)) for t in markdown + captions}
    tables = "\n".join(t for t in markdown if t.startswith("| 项 |"))
    for f in expected:
        assert any(SEVERITY_ZH[f.severity] in c and FAMILY_ZH[f.family] in c and f"` {f.rule} `" in c
                   for c in captions)
        for v in f.values:
            assert plain(f"**{v.label}**") in shown
            if v.quantity:
                assert v.quantity in shown
            where = place_text(v.page, v.line, v.table, v.row)
            if where:
                assert f"出处：{where}" in shown
            if v.snippet:
                assert plain(f"> {' '.join(v.snippet.split())}") in shown
            for t in v.terms:  # a sum: each term's label, amount and place in its table
                row = f"| {t.label} | {t.quantity} | {place_text(t.page, t.line, t.table, t.row)} |"
                assert row in plain(tables)


def test_each_filter_narrows_the_list_to_what_the_store_gives_for_it(run_page, stored):
    every = stored()
    families = {f.family for f in every}
    assert {"cross_table", "table_arithmetic"} <= families
    for family in families:
        assert listed(run_page, family=family) == [plain(f.message) for f in stored(family=family)]
        assert run_page("findings", family=family).selectbox[1].value == family
    for severity in {f.severity for f in every}:
        assert listed(run_page, severity=severity) == [plain(f.message) for f in stored(severity=severity)]
    both = listed(run_page, doc=SEED_ID, family="cross_table", severity="warning")
    assert both == [plain(f.message) for f in stored(doc_ids=[SEED_ID], family="cross_table", severity="warning")]
    assert 0 < len(both) < len(every)


def test_choosing_in_a_filter_narrows_the_list_and_the_url_keeps_the_choice(run_page, stored):
    at = run_page("findings", page="2")
    assert len(stored()) > 2 * PER_PAGE  # the samples' findings fill three parts or more
    assert headings(at) == [plain(f.message) for f in stored()[PER_PAGE:2 * PER_PAGE]]
    at.selectbox[1].set_value("table_arithmetic").run()  # another choice: from the first part again
    assert headings(at) == [plain(f.message) for f in stored(family="table_arithmetic")][:PER_PAGE]
    assert at.query_params["family"] == "table_arithmetic" and "page" not in at.query_params


def test_the_list_is_shown_in_parts_and_the_url_names_the_part(run_page, stored):
    every = [plain(f.message) for f in stored()]
    at = run_page("findings")
    assert headings(at) == every[:PER_PAGE]
    assert f"共 {len(every)} 个问题，显示第 1–{PER_PAGE} 个" in texts(at, "caption")
    chooser = at.selectbox[3]
    assert chooser.label == "显示" and chooser.options[1] == f"第 {PER_PAGE + 1}–{min(2 * PER_PAGE, len(every))} 个"
    chooser.set_value(2).run()
    assert headings(at) == every[PER_PAGE:2 * PER_PAGE] and at.query_params["page"] == "2"
    assert HEADING.match(next(t for t in texts(at, "markdown") if HEADING.match(t))).group(0).startswith(
        f"**{PER_PAGE + 1}\\.")  # numbered on from the part before
    last = -(-len(every) // PER_PAGE)
    assert headings(run_page("findings", page=str(last + 5))) == every[(last - 1) * PER_PAGE:]  # past the end: the last
    assert headings(run_page("findings", page="x")) == every[:PER_PAGE]


def test_the_findings_about_one_entity_are_those_concerning_it(run_page, stored):
    at = run_page("findings", concerns=BUDGET)
    assert listed(run_page, concerns=BUDGET) == [plain(f.message) for f in stored(concerning=BUDGET)]
    assert any("仅显示涉及" in t and "武汉市东西湖区医疗保障局 2023 部门预算" in plain(t) for t in texts(at, "markdown"))


def test_a_hostile_entity_in_the_url_is_shown_as_code_and_matches_nothing(run_page):
    at = run_page("findings", concerns="https://x.org/a> } ; DROP ALL ; <b")
    assert not headings(at) and texts(at, "info") == ["没有符合条件的问题。"]
    refused = run_page("findings", concerns="http://[bad")
    assert "不是有效的实体地址" in refused.warning[0].value and headings(refused)


@pytest.mark.parametrize("iri", [BUDGET, DOCUMENT])
def test_a_budget_and_a_document_page_count_their_findings_and_link_to_them(run_page, stored, iri):
    at = run_page("entity", iri=iri)
    [link] = [x for x in page_links(at) if x[1] == "findings"]
    assert link[0] == f"一致性检查：{len(stored(concerning=iri))} 个问题"
    assert _doc(link[2]) == iri


def test_a_project_page_without_findings_says_so(run_page, kg):
    projects = [r["p"] for r in kg.sparql("SELECT ?p WHERE { ?p a bgt:Project } LIMIT 40").rows]
    counts = kg.finding_counts(projects)
    project = next(p for p in projects if counts[p] == 0)
    at = run_page("entity", iri=project)
    assert "一致性检查：未发现问题" in texts(at, "caption")
    assert not [x for x in page_links(at) if x[1] == "findings"]


def test_the_documents_page_counts_each_documents_findings(run_page, stored):
    at = run_page("documents")
    links = [x for x in page_links(at) if x[1] == "findings"]
    assert links and all(x[0].endswith(f"：{len(stored(concerning=_doc(x[2])))} 个问题") for x in links)
    assert any(_doc(x[2]) == DOCUMENT for x in links)


def test_every_label_the_page_writes_is_chinese(run_page):
    at = run_page("findings")
    for box in at.selectbox:
        assert CHINESE.search(box.label) and all(CHINESE.search(o) for o in box.options), box.label
    assert CHINESE.search(at.header[0].value)
    own = [t for t in texts(at, "caption") if "· 规则 `" in t]
    assert own and all(CHINESE.search(t.split(" · ")[0]) for t in own)  # severity and family in Chinese
    assert all(not re.search(r"[A-Za-z]", t) for t in texts(at, "caption") if t.startswith("出处："))
    assert all(re.fullmatch(r"\d+ 项之和", t) for t in texts(at, "caption") if "项之和" in t)

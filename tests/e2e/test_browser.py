"""End to end: ``budgetkg app`` on 127.0.0.1 driven by headless Chromium (Playwright, Debian's chromium).

Searches 医疗救助, opens an entity page through a result, follows a link there, runs a SPARQL query
and downloads an export (parsed back with rdflib); then asks a figure question in plain words, whose answer
card shows the amount and its source (document, line) under the chips of the filters read from it, and
removing a chip puts ``off=`` in the URL.  Screenshots go to ``tests/artifacts/`` with the
server's log.  Without chromium or playwright the test is skipped, except under CI (``CI=true``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app_server import ARTIFACTS, FIRST_SEARCH_S, STEP_S, browser, needs_browser, serve, settle, shot, sync_playwright

PROJECTS = "SELECT ?name ?amount WHERE { ?p a bgt:Project ; rdfs:label ?name ; bgt:amount ?amount } ORDER BY ?name"
pytestmark = needs_browser


@pytest.fixture
def app_url(samples_store):
    """``budgetkg app`` over a copy of the samples store; stopped after."""
    with serve(samples_store) as url:
        yield url


def test_search_entity_link_sparql_export(app_url):
    from rdflib import Graph

    with sync_playwright() as p:
        chromium = browser(p)
        try:
            context = chromium.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True,
                                          locale="zh-CN")
            context.set_default_timeout(STEP_S * 1000)
            page = context.new_page()

            # search
            page.goto(app_url + "/")
            settle(page)
            box = page.get_by_label("检索词")
            box.fill("医疗救助")
            box.press("Enter")
            results = page.locator('[data-testid="stPageLink"] a').filter(has_text=re.compile(r"\d+\. "))
            first = results.first  # a numbered result, not a link of the app's menu
            first.wait_for(timeout=FIRST_SEARCH_S * 1000)
            settle(page)
            assert "q=" in page.url and "共 10 条结果" in page.inner_text("body")
            assert results.count() == 10
            shot(page, "1-search")

            # an entity page through the first result
            label = first.inner_text().split(". ", 1)[1].strip()
            first.click()
            page.wait_for_url("**/entity?iri=*")
            page.locator("h2", has_text=label).first.wait_for()
            settle(page)
            assert page.locator("h2").first.inner_text().strip() == label
            shot(page, "2-entity")

            # follow a link on that page (entity links are markdown links to entity?iri=…)
            link = page.locator('[data-testid="stMainBlockContainer"] a[href*="entity?iri="]').first
            target = link.inner_text().strip()
            if link.get_attribute("target") == "_blank":
                with context.expect_page() as opened:
                    link.click()
                page = opened.value
            else:
                link.click()
            page.wait_for_url("**/entity?iri=*")
            page.locator("h2", has_text=target).first.wait_for()
            settle(page)
            assert page.locator("h2").first.inner_text().strip() == target
            shot(page, "3-linked-entity")

            # a SPARQL query
            page.goto(app_url + "/sparql")
            settle(page)
            editor = page.get_by_label("查询", exact=True)
            editor.fill(PROJECTS)
            page.get_by_role("button", name="运行").click()
            page.get_by_text("共 24 行").wait_for()
            page.locator('[data-testid="stDataFrame"]').first.wait_for()
            settle(page)
            assert "query=" in page.url
            shot(page, "4-sparql")

            # an export: one entity in Turtle and the whole store in TriG, both parsed back
            page.goto(app_url + "/export?scope=entity&iri=law/武政规〔2016〕32号&fmt=ttl")
            button = page.get_by_role("button", name="下载 budgetkg-entity-")
            button.wait_for()
            settle(page)
            shot(page, "5-export")
            with page.expect_download(timeout=STEP_S * 1000) as download:
                button.click()
            path = ARTIFACTS / download.value.suggested_filename
            download.value.save_as(path)
            g = Graph().parse(path, format="turtle")
            assert "武政规〔2016〕32号" in {str(o) for o in g.objects()} and len(g) > 5
            page.get_by_text("整个知识库", exact=True).click()
            page.get_by_text("TriG（.trig）", exact=True).click()
            button = page.get_by_role("button", name="下载 budgetkg.trig")
            button.wait_for()
            settle(page)
            with page.expect_download(timeout=STEP_S * 1000) as download:
                button.click()
            from rdflib import Dataset

            data = Path(download.value.path()).read_bytes()
            ds = Dataset().parse(data=data, format="trig")
            assert len({g.identifier for g in ds.graphs() if len(g)}) >= 2

            # the other pages render without an error
            for name in ("documents", "charts"):
                page.goto(f"{app_url}/{name}")
                settle(page)
                assert not page.locator('[data-testid="stException"]').count()
                shot(page, f"6-{name}")

            # a figure question in plain words: its answer card and its chips
            page.goto(app_url + "/")
            settle(page)
            box = page.get_by_label("检索词")
            box.fill("江岸区医保局 2026 年 医疗救助 预算多少")
            box.press("Enter")
            card = page.locator(".st-key-answer_card")
            card.wait_for(timeout=FIRST_SEARCH_S * 1000)
            settle(page)
            text = card.inner_text()
            assert "1,426.00 万元" in text and "医疗救助" in text
            assert "001_c082f6ab8c9dd51c.txt" in text and "第 122 行" in text
            assert card.locator('[data-testid="stPageLink"] a').first.get_attribute("href").count("line") == 1
            body = page.inner_text("body")
            assert "部门：武汉市江岸区医疗保障局 ✕" in body and "功能分类科目：21013 ✕" in body
            shot(page, "7-question-card")
            page.get_by_role("button", name="功能分类科目：21013 ✕").click()
            page.wait_for_url("**off=code*")
            settle(page)
            assert "功能分类科目：21013 ✕" not in page.inner_text("body")
            shot(page, "8-question-chip-removed")
        finally:
            chromium.close()

"""The comparison page in the browser: opened by its permalink over the multi-year fixtures, it shows the
gold's figures right-aligned with their sources on hover, and the chart; a hostile link is refused as text."""

from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest

from app_server import browser, needs_browser, serve, settle, shot, sync_playwright
from helpers import MULTIYEAR, load_json

pytestmark = needs_browser
GOLD = load_json(MULTIYEAR / "gold.json")
CG = "武汉市江夏区城市管理执法局"


@pytest.fixture
def app_url(multiyear_store_template, tmp_path):
    store = shutil.copytree(multiyear_store_template, tmp_path / "store")
    with serve(store, "server-compare.log") as url:
        yield url


def cells(page, key: str, name: str) -> list[dict]:
    """The cells of the row ``name`` of the table ``key``: text, title and alignment."""
    return page.locator(f'table[data-key="{key}"] tr', has_text=name).first.locator("td").evaluate_all(
        "tds => tds.map(td => ({text: td.innerText.trim(), title: td.title, align: getComputedStyle(td).textAlign}))")


def test_comparison_page_by_permalink(app_url):
    with sync_playwright() as p:
        chromium = browser(p)
        try:
            page = chromium.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            page.goto(f"{app_url}/compare?view=years&dept={quote('区城管执法局')}&years=2023-2025&phase={quote('预算')}")
            page.locator('table[data-key="split"]').wait_for(timeout=120_000)
            settle(page)
            assert "武汉市江夏区城市管理执法局 预算逐年比较" in page.inner_text("body")
            gold = GOLD["comparisons"]["years"]
            basic = cells(page, "split", "基本支出")
            assert [c["text"] for c in basic[2:]] == [gold["2023"]["basic"], gold["2024"]["basic"], "+20.23", "+2.30",
                                                      gold["2025"]["basic"], "+18.52", "+2.06"]
            assert all(c["align"] == "right" for c in basic[2:])
            assert basic[2]["title"].startswith("武汉市江夏区城市管理执法局 2023 年部门预算公开 第 ")
            three = cells(page, "three_public", "“三公”经费合计")
            assert [three[i]["text"] for i in (2, 3, 6)] == [gold[y]["three_public"]["total"] for y in gold]
            renamed = cells(page, "projects", "生活垃圾分类推进工作经费")
            assert [renamed[i]["text"] for i in (2, 3, 6)] == ["40.00", "52.00", "55.00"]
            assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 1
            assert "years=2023%2C2024%2C2025" in page.url or "years=2023,2024,2025" in page.url
            shot(page, "compare-years")

            page.goto(f"{app_url}/compare?view=execution&dept={quote(CG)}&year=2024")
            page.locator('table[data-key="projects"]').wait_for(timeout=120_000)
            settle(page)
            for project in GOLD["execution"]["projects"]:
                row = cells(page, "projects", project["name"])
                assert [c["text"].replace(",", "") for c in row[2:5]] == [project["budget"], project["final"],
                                                                         project["rate"]]
            shot(page, "compare-execution")

            page.goto(f"{app_url}/compare?dept={quote('<img src=x onerror=alert(1)>')}")
            page.locator('[data-testid="stAlert"]').first.wait_for(timeout=120_000)
            settle(page)
            alert = page.locator('[data-testid="stAlert"]').first.inner_text()
            assert "<img src=x onerror=alert(1)>" in alert and "知识库中没有部门" in alert
            assert page.locator('img[src="x"]').count() == 0
            shot(page, "compare-hostile")
        finally:
            chromium.close()

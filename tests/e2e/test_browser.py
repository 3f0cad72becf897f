"""End to end: ``budgetkg app`` on 127.0.0.1 driven by headless Chromium (Playwright, Debian's chromium).

Searches 医疗救助, opens an entity page through a result, follows a link there, runs a SPARQL query
and downloads an export (parsed back with rdflib).  Screenshots go to ``tests/artifacts/`` with the
server's log.  Without chromium or playwright the test is skipped, except under CI (``CI=true``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
UNDER_CI = os.environ.get("CI") == "true"
START_S, FIRST_SEARCH_S, STEP_S = 90, 240, 60  # seconds: server start, first search (loads the model), a step
PROJECTS = "SELECT ?name ?amount WHERE { ?p a bgt:Project ; rdfs:label ?name ; bgt:amount ?amount } ORDER BY ?name"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

missing = [what for what, ok in [("playwright", sync_playwright is not None), (str(CHROMIUM), CHROMIUM.exists())]
           if not ok]
pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(missing) and not UNDER_CI,
                                reason=f"needs {' and '.join(missing)} (.ci/run installs both)")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode}; see {ARTIFACTS / 'server.log'}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"the app did not answer within {timeout:g} s")


def _stop(proc: subprocess.Popen) -> None:
    """Stop the app and its streamlit child (its own process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


@pytest.fixture
def app_url(samples_store):
    """``budgetkg app`` on a free port of 127.0.0.1 over a copy of the samples store; stopped after."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log = (ARTIFACTS / "server.log").open("w")
    cmd = [sys.executable, "-c", "from budgetkg_cli.main import cli; cli()", "app", "--store", str(samples_store),
           "--host", "127.0.0.1", "--port", str(port), "--headless"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, START_S)
        yield url
    finally:
        _stop(proc)
        log.close()


def _settle(page) -> None:
    """Wait until the app's script run is over, then let the page paint (after a goto, or once the
    content an action should bring is there)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                           timeout=FIRST_SEARCH_S * 1000)
    page.wait_for_timeout(700)


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_search_entity_link_sparql_export(app_url):
    from rdflib import Graph

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=STEP_S * 1000)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True,
                                          locale="zh-CN")
            context.set_default_timeout(STEP_S * 1000)
            page = context.new_page()

            # search
            page.goto(app_url + "/")
            _settle(page)
            box = page.get_by_label("检索词")
            box.fill("医疗救助")
            box.press("Enter")
            first = page.locator('[data-testid="stPageLink"] a').first
            first.wait_for(timeout=FIRST_SEARCH_S * 1000)
            _settle(page)
            assert "q=" in page.url and "共 10 条结果" in page.inner_text("body")
            assert page.locator('[data-testid="stPageLink"]').count() == 10
            _shot(page, "1-search")

            # an entity page through the first result
            label = first.inner_text().split(". ", 1)[1].strip()
            first.click()
            page.wait_for_url("**/entity?iri=*")
            page.locator("h2", has_text=label).first.wait_for()
            _settle(page)
            assert page.locator("h2").first.inner_text().strip() == label
            _shot(page, "2-entity")

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
            _settle(page)
            assert page.locator("h2").first.inner_text().strip() == target
            _shot(page, "3-linked-entity")

            # a SPARQL query
            page.goto(app_url + "/sparql")
            _settle(page)
            editor = page.get_by_label("查询", exact=True)
            editor.fill(PROJECTS)
            page.get_by_role("button", name="运行").click()
            page.get_by_text("共 24 行").wait_for()
            page.locator('[data-testid="stDataFrame"]').first.wait_for()
            _settle(page)
            assert "query=" in page.url
            _shot(page, "4-sparql")

            # an export: one entity in Turtle and the whole store in TriG, both parsed back
            page.goto(app_url + "/export?scope=entity&iri=law/武政规〔2016〕32号&fmt=ttl")
            button = page.get_by_role("button", name="下载 budgetkg-entity-")
            button.wait_for()
            _settle(page)
            _shot(page, "5-export")
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
            _settle(page)
            with page.expect_download(timeout=STEP_S * 1000) as download:
                button.click()
            from rdflib import Dataset

            data = Path(download.value.path()).read_bytes()
            ds = Dataset().parse(data=data, format="trig")
            assert len({g.identifier for g in ds.graphs() if len(g)}) >= 2

            # the other pages render without an error
            for name in ("documents", "charts"):
                page.goto(f"{app_url}/{name}")
                _settle(page)
                assert not page.locator('[data-testid="stException"]').count()
                _shot(page, f"6-{name}")
        finally:
            browser.close()

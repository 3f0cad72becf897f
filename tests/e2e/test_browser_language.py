"""Issue 13, problem 6 in the browser: every page in Chinese, and no request leaves the machine.

``budgetkg app`` (its own config.toml) serves the samples; headless Chromium opens every page — search
(``/`` and ``/search``), law/cites, entity, charts, SPARQL with a result and with an error, documents with
the uploader, export, and an unknown path — records every request of the page, and reads the text a user
sees.  No request may go to a host other than the app's own 127.0.0.1 port (``data:``/``blob:`` URLs stay in
the page), no Streamlit English string may show, and no run of two English words may appear outside the
allowed places (:data:`ALLOWED`: code, IRIs, SPARQL, file names, format names).  Last, the server is
stopped: the top bar must say in Chinese that the connection is lost.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from app_server import (
    browser, needs_browser, outside, recording_page, serve, settle, shot, stop_server, sync_playwright,
)

pytestmark = needs_browser

SYNTAX_ERROR = "SELECT ?s WHERE { ?s ?p }"
PAGES = {  # shot name: path and query
    "start": "",
    "search": "search",
    "cites": "search?cites=" + quote("武政规〔2016〕32号"),
    "entity": "entity?iri=" + quote("law/武政规〔2016〕32号"),
    "entity-missing": "entity?iri=" + quote("org/没有这个部门"),
    "charts": "charts",
    "sparql": "sparql?query=" + quote("SELECT ?name WHERE { ?p a bgt:Project ; rdfs:label ?name } LIMIT 3"),
    "sparql-error": "sparql?query=" + quote(SYNTAX_ERROR),
    "documents": "documents",
    "findings": "findings",
    "findings-budget": "findings?concerns=" + quote("budget/武汉市东西湖区医疗保障局/2023/budget"),
    "export": "export?scope=entity&iri=" + quote("law/武政规〔2016〕32号") + "&fmt=ttl",
    "unknown-path": "no-such-page",
}
STREAMLIT_ENGLISH = [  # Streamlit's own texts a page could show
    "Help agents write better apps", "Install", "Don't show again", "Press Enter to submit form",
    "Press Enter to apply", "Choose an option", "Drag and drop", "Browse files", "Upload", "per file",
    "Page not found", "Running the app's main page", "Made with Streamlit", "Deploy", "Rerun", "Settings",
    "Print", "Record a screencast", "About", "Clear cache", "Running...", "Stop", "No results", "Connecting",
    "Traceback", "Error", "malformed SPARQL", "Expected",
]
# what may be English: text inside code (IRIs, queries), the names of formats, SPARQL words, file names
ALLOWED = re.compile(r"https?://\S+|budgetkg[\w.-]*|\b(?:SPARQL|SELECT|ASK|CONSTRUCT|DESCRIBE|UPDATE|INSERT|DELETE|"
                     r"SERVICE|LOAD|CLEAR|LIMIT|PDF|CSV|JSON(?:-LD)?|Turtle|TriG|N-Triples|N-Quads|RDF|IRI|"
                     r"TXT|MD|txt|md|MB|true|false|bgt|org|qb|skos|prov|eli|dcterms|rdfs|xsd|kg)\b")
TWO_WORDS = re.compile(r"[A-Za-z]{2,}(?:[ \t]+[A-Za-z]{2,})+")
VISIBLE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  for (const el of copy.querySelectorAll('code, pre, textarea, input, [data-testid="stCode"], style, script'))
    el.remove();
  document.body.appendChild(copy); copy.style.position = 'absolute';
  const text = copy.innerText; copy.remove(); return text;
}"""


@pytest.fixture
def app_url(samples_store):
    with serve(samples_store, "server-language.log") as url:
        yield url


def english_in(text: str) -> list[str]:
    """Streamlit's English strings in ``text``, and runs of two English words outside :data:`ALLOWED`."""
    found = [s for s in STREAMLIT_ENGLISH if re.search(rf"(?<![A-Za-z]){re.escape(s)}(?![A-Za-z])", text)]
    return found + TWO_WORDS.findall(ALLOWED.sub("", text))


def test_english_in_finds_streamlits_texts_and_allows_code_and_formats():
    assert english_in("拖放文件 Drag and drop files here") == ["Drag and drop", "Drag and drop files here"]
    assert english_in("只读：可用 SELECT、ASK；格式：Turtle（.ttl）；下载 budgetkg-entity-ab12.ttl") == []
    assert english_in("IRI：https://w3id.org/budgetkg/org/某局 共 3 行") == []


def test_every_page_is_chinese_and_requests_only_the_app(app_url):
    with sync_playwright() as p:
        chromium = browser(p)
        try:
            page, requests = recording_page(chromium)
            problems: dict[str, list[str]] = {}
            for name, where in PAGES.items():
                requests.clear()
                page.goto(f"{app_url}/{where}")
                settle(page)
                page.wait_for_timeout(1500)  # popups and modals appear after the first paint
                shot(page, f"language-{name}")
                assert not page.locator('[data-testid="stException"]').count(), name
                text = page.evaluate(VISIBLE_TEXT)
                if bad := english_in(text) + [f"request {r}" for r in outside(requests, app_url)]:
                    problems[name] = bad
                if name == "sparql-error":
                    assert "SPARQL 语法有误" in text
            assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
            server_gone_is_said_in_chinese(page, app_url)
        finally:
            chromium.close()



LOST = "与服务器的连接已断开，正在重新连接……（若一直如此，请确认 budgetkg app 仍在运行，然后刷新页面）"
BANNER = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const dialogs = [...document.querySelectorAll('[data-testid="stDialog"]')].filter(d => d.offsetParent !== null);
  return {state: app.dataset.testConnectionState, banner: getComputedStyle(app, '::before').content,
          shown_dialogs: dialogs.map(d => d.innerText)};
}"""


def server_gone_is_said_in_chinese(page, app_url: str) -> None:
    """With the server stopped, a Chinese banner says so (Streamlit's English "Connection error" dialog hidden)."""
    assert page.evaluate(BANNER)["banner"] == "none"  # connected: no banner
    stop_server(app_url)
    page.wait_for_function("""() => ['PINGING_SERVER', 'DISCONNECTED_FOREVER'].includes(
        document.querySelector('[data-testid="stApp"]').dataset.testConnectionState)""", timeout=30_000)
    page.wait_for_timeout(1500)  # the dialog opens after the state changes
    status = page.evaluate(BANNER)
    shot(page, "language-server-gone")
    assert status["banner"] == f'"{LOST}"' and status["shown_dialogs"] == [], status

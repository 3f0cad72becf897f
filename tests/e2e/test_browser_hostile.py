"""Issue 11, failure 8 in the browser: names that are markdown, HTML or links render as text on every page.

The fixture disclosure with a project, a unit and a cited law renamed to attacks (:data:`NAMES`) is
ingested into a store; one ``budgetkg app`` serves it, and headless Chromium opens every page with the
query parameters that show those names.  On each page the DOM may hold no link, image, script, frame
or object pointing to the attacks' targets, no ``javascript:`` URL and no inline event handler, and the
page may request nothing but the app itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from app_server import browser, needs_browser, outside, recording_page, serve, settle, shot, sync_playwright
from helpers import FIXTURES

pytestmark = needs_browser

SOURCE = FIXTURES / "docs" / "100_hanyang_civil_2024_final.txt"
PROJECT = "[点此核对](https://evil.example/phish)![](http://127.0.0.1:9/pixel.png)*粗*$x^2$"
UNIT = ("福利院<img src=x onerror=alert(1)>&lt;script&gt;alert(1)&lt;/script&gt;<scr<script>ipt>alert(1)</script>"
        "<img src=x onerror=alert(1)//:red[红]:smile:[链接](javascript:alert(1))")
LAW_TITLE = "[点此](https://evil.example)"
NAMES = {"城市最低生活保障金": PROJECT, "武汉市汉阳区社会福利院": UNIT, "社会救助暂行办法": LAW_TITLE}
LAW_REF = "国务院令第649号"  # the 文号 the hostile project cites, under the hostile title
DEPARTMENT = "武汉市汉阳区民政局"
BAD_HOSTS = ("evil.example", "127.0.0.1:9")
INJECTED_SRC = "x"  # the src of the <img> tags in UNIT
NAMES_QUERY = ('SELECT ?name WHERE { ?s rdfs:label ?name '
               'FILTER(CONTAINS(?name, "点此") || CONTAINS(?name, "福利院") || CONTAINS(?name, "javascript")) }')

DOM = """() => {
  const resolved = (v) => { try { return new URL(v.trim(), document.baseURI).href; } catch (e) { return v; } };
  const out = {links: [], handlers: [], scripts: []};
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) out.handlers.push(el.tagName + ' ' + a.name + '=' + a.value);
      if (['href', 'xlink:href', 'src', 'srcset', 'data', 'action', 'formaction', 'poster'].includes(name))
        out.links.push([el.tagName + ' ' + a.name, a.value, resolved(a.value)]);
    }
    if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName))
      out.scripts.push(el.tagName + ' ' + (el.getAttribute('src') || el.getAttribute('data') || '')
                       + ' ' + (el.textContent || '').slice(0, 2000));
  }
  return out;
}"""


def hostile_document(folder: Path) -> Path:
    """The fixture document with :data:`NAMES` replaced, written into ``folder``."""
    text = SOURCE.read_text(encoding="utf-8")
    for old, new in NAMES.items():
        assert old in text, old
        text = text.replace(old, new)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SOURCE.name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """``(store, iris)``: the hostile document ingested and embedded; the IRIs of its hostile entities."""
    from kg.api import BudgetKG

    tmp = tmp_path_factory.mktemp("hostile")
    store = tmp / "store"
    with BudgetKG.open(store) as kg:
        result = kg.ingest([hostile_document(tmp / "doc")])[0]
        assert result.ok, result.message
        kg.embed()
        found = kg.lookup("点此") + kg.lookup("福利院")
        pick = lambda kind, text: next(m.iri for m in found if f"/{kind}/" in m.iri and text in m.label)  # noqa: E731
        iris = {"project": pick("project", "[点此核对](https://evil.example/phish)"),
                "law": pick("law", LAW_TITLE), "unit": pick("unit", "[链接](javascript:alert(1))")}
    yield store, iris
    shutil.rmtree(tmp, ignore_errors=True)


def _pages(iris: dict[str, str]) -> dict[str, tuple[str, str]]:
    """``{shot name: (path and query, text the page must show)}``: every page, showing the hostile names."""
    entity = lambda iri: "entity?iri=" + quote(iri, safe="")  # noqa: E731
    return {
        "search": ("?q=" + quote("点此核对 最低生活保障"), "点此核对"),
        "search-cites": ("?cites=" + quote(LAW_REF), "点此核对"),
        "entity-project": (entity(iris["project"]), "点此核对"),
        "entity-unit": (entity(iris["unit"]), "javascript:alert(1)"),
        "entity-law": (entity(iris["law"]), "evil.example"),
        "charts": ("charts?dept=" + quote(DEPARTMENT), "点此核对"),
        "sparql": ("sparql?query=" + quote(NAMES_QUERY), "evil.example"),
        "export": (f"export?scope=entity&iri={quote(iris['project'], safe='')}&fmt=ttl", "下载 budgetkg-entity-"),
        "documents": ("documents", DEPARTMENT),
    }


def _outside(url: str) -> bool:
    """Whether a resolved URL of the DOM leads to an attack's target (a ``javascript:`` URL, or its hosts)."""
    parts = urlsplit(url.strip().lower())
    return parts.scheme in ("javascript", "vbscript") or parts.netloc in BAD_HOSTS


def _bad(dom: dict) -> list[str]:
    """What in the DOM the app did not put there: links to the attacks' targets, handlers, injected scripts."""
    found = [f"{what}={raw}" for what, raw, url in dom["links"] if _outside(url) or raw.strip() == INJECTED_SRC]
    found += [f"handler {x}" for x in dom["handlers"]]
    found += [f"script {x[:200]}" for x in dom["scripts"] if "alert(1)" in x or "evil.example" in x]
    return found


def test_hostile_names_render_as_text_on_every_page(hostile):
    store, iris = hostile
    with serve(store, "server-hostile.log") as url, sync_playwright() as p:
        chromium = browser(p)
        try:
            page, requests = recording_page(chromium)
            problems: dict[str, list[str]] = {}
            for name, (where, shown) in _pages(iris).items():
                requests.clear()
                page.goto(f"{url}/{where}")
                settle(page)
                page.get_by_text(shown).first.wait_for(state="attached")  # table cells are hidden
                for expander in page.locator('[data-testid="stExpander"] summary').all():
                    expander.click()  # lists and sources inside expanders are in the DOM too
                settle(page)
                shot(page, f"hostile-{name}")
                assert not page.locator('[data-testid="stException"]').count(), name
                if bad := _bad(page.evaluate(DOM)) + [f"request {r}" for r in outside(requests, url)]:
                    problems[name] = bad
            assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
        finally:
            chromium.close()

"""Issue 13, problem 6 in AppTest: Streamlit's own English texts are configured away or replaced.

Every select box has the Chinese placeholder (Streamlit's is "Choose an option"); the app's Streamlit
settings live next to its script, where ``streamlit run search_app/app.py`` reads them however it is started.
(The browser test tests/e2e/test_browser_language.py checks the rendered pages and their requests.)
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from search_app import nav
from search_app.markup import CHOOSE

APP_DIR = Path(nav.__file__).parent
PAGES = {"search": {}, "entity": {"iri": "law/武政规〔2016〕32号"}, "charts": {}, "sparql": {}, "export": {"scope": "doc"},
         "documents": {}, "findings": {}}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_select_box_asks_in_chinese(run_page, name):
    at = run_page(name, **PAGES[name])
    boxes = list(at.selectbox)
    for box in boxes:
        assert box.proto.placeholder == CHOOSE, box.label
    assert boxes or name == "entity"


def test_the_settings_hide_streamlits_english_and_its_requests():
    config = tomllib.loads((APP_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "minimal"  # no English main menu, no Deploy button
    assert config["client"]["showErrorDetails"] == "none" and config["client"]["showErrorLinks"] is False
    assert config["logger"]["hideWelcomeMessage"] is True  # the "Help agents write better apps" card
    assert config["browser"]["gatherUsageStats"] is False


def test_streamlit_reads_the_settings_next_to_the_script(monkeypatch, tmp_path):
    from streamlit import config

    monkeypatch.chdir(tmp_path)  # started from anywhere
    monkeypatch.setattr(config, "_main_script_path", str(APP_DIR / "app.py"))
    assert str(APP_DIR / ".streamlit" / "config.toml") in config.get_config_files("config.toml")


def test_pages_have_no_icon_so_the_favicon_is_the_apps_own(monkeypatch):
    built = []
    monkeypatch.setattr(nav.st, "Page", lambda run, **kwargs: built.append(kwargs))
    nav.pages()
    assert [b["url_path"] for b in built] == ["start", *(p.url_path for p in nav.PAGES)]
    assert not any(b.get("icon") for b in built) and [b["default"] for b in built].count(True) == 1
    assert {p.url_path for p in nav.PAGES} >= {"search", "entity", "charts", "sparql", "export", "documents",
                                                 "findings"}

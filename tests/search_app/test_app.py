"""The entry point (search_app/app.py), the first-run ingest and ``budgetkg app``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from apptest_helpers import TIMEOUT
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

import search_app.state as state
from kg.api import BudgetKG
from kg.types import Settings
from budgetkg_cli.main import cli
from search_app.markup import md_escape

from helpers import ROOT

APP = ROOT / "search_app" / "app.py"
SMALL = ROOT / "tests" / "fixtures" / "docs" / "100_hanyang_civil_2024_final.txt"


def test_opens_on_the_search_page(app_store):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "检索"
    assert not at.status  # no first-run status: the store has documents


def test_first_run_ingests_the_samples_with_progress(tmp_path, monkeypatch, warm_model):
    folder = tmp_path / "samples"
    folder.mkdir()
    shutil.copy(SMALL, folder)
    monkeypatch.setattr(state, "SAMPLES_DIR", folder)
    store = tmp_path / "fresh"
    monkeypatch.setenv("BUDGETKG_STORE", str(store))
    try:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
        assert not at.exception
        status = at.status[0]
        assert status.label == "已导入 1 份示例文档" and status.state == "complete"
        assert any(md_escape(SMALL.name) in m.value for m in status.markdown)
        assert any("**1** 份" in m.value for m in at.markdown)  # the search page comes next, not empty
        kg = state.get_kg()
        assert [d.source_file for d in kg.documents()] == [SMALL.name] and kg.pending_embeddings() == 0
        at.run()  # checked once: no second ingest
        assert not at.status
    finally:
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()


def test_ensure_samples_leaves_a_filled_store_alone(samples_store, monkeypatch):
    monkeypatch.setenv("BUDGETKG_STORE", str(samples_store))
    with BudgetKG.open(samples_store) as kg:
        before = [d.doc_id for d in kg.documents()]
        state.ensure_samples(kg)
        assert [d.doc_id for d in kg.documents()] == before


def test_entity_links_quote_the_iri():
    iri = "https://w3id.org/budgetkg/law/%E6%AD%A6%E6%94%BF"
    quoted = "https%3A%2F%2Fw3id.org%2Fbudgetkg%2Flaw%2F%25E6%25AD%25A6%25E6%2594%25BF"  # the % too: read back whole
    assert state.entity_url(iri) == "entity?iri=" + quoted
    assert state.entity_link("武政规[2016]", iri) == f"[武政规\\[2016\\]]({state.entity_url(iri)})"


@pytest.mark.parametrize("args, host, port", [
    ([], "127.0.0.1", "8501"),
    (["--host", "0.0.0.0", "--port", "8600", "--headless"], "0.0.0.0", "8600"),
])
def test_app_command_runs_streamlit_on_the_store(tmp_path, monkeypatch, args, host, port):
    calls = []
    monkeypatch.setattr("os.execv", lambda path, cmd: calls.append(cmd))
    monkeypatch.chdir(tmp_path)
    for name in ("BUDGETKG_MODEL", "BUDGETKG_BASE"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli, ["app", "--store", "kg", *args])
    assert result.exit_code == 0, result.output
    cmd, = calls
    assert cmd[1:4] == ["-m", "streamlit", "run"] and Path(cmd[4]) == APP
    assert cmd[cmd.index("--server.address") + 1] == host and cmd[cmd.index("--server.port") + 1] == port
    assert cmd[cmd.index("--server.headless") + 1] == ("true" if "--headless" in args else "false")
    app_args = cmd[cmd.index("--") + 1:]  # the app's own arguments (search_app.state reads them)
    assert app_args == ["--store", str(tmp_path / "kg"), "--base", "https://w3id.org/budgetkg/"]


def test_app_command_passes_store_model_and_base_as_arguments(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr("os.execv", lambda path, cmd: calls.append(cmd))
    monkeypatch.setenv("BUDGETKG_BASE", "https://example.org/kg/")
    result = CliRunner().invoke(cli, ["app", "--store", str(tmp_path / "kg"), "--model", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    cmd, = calls
    assert cmd[cmd.index("--") + 1:] == ["--store", str(tmp_path / "kg"), "--model", str(tmp_path / "m"),
                                         "--base", "https://example.org/kg/"]
    assert state.app_settings(cmd[cmd.index("--") + 1:], environ={}) == Settings(
        tmp_path / "kg", str(tmp_path / "m"), "https://example.org/kg/")

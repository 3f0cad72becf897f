"""The app on a store served by ``budgetkg serve`` (issue 16, item 4): the app holds the store open while a
CLI process ingests into it, and its pages then show the new document; ``budgetkg app --store URL`` hands
the server and the index directory to the app."""

from __future__ import annotations

import shutil
from pathlib import Path

import streamlit as st
from apptest_helpers import page_test
from click.testing import CliRunner

from budgetkg_cli.main import cli
from helpers import FIXTURE_DOCS
from search_app import state
from served import budgetkg, serving

NEW_DOC = next(p for p in FIXTURE_DOCS if p.name.startswith("100_hanyang"))


def _docs(at) -> list[str]:
    return list(at.dataframe[0].value["来源文件"])


def test_the_app_and_the_cli_work_on_one_served_store(samples_store_template, tmp_path, monkeypatch, warm_model):
    folder = Path(shutil.copytree(samples_store_template, tmp_path / "served"))
    with serving(folder) as url:
        monkeypatch.setenv("BUDGETKG_STORE", url)
        monkeypatch.setenv("BUDGETKG_INDEX_DIR", str(folder))
        try:
            at = page_test("documents").run()  # the app's process opens the store and keeps it open
            assert not at.exception and at.subheader[0].value == "已导入的文档（2）"
            assert any(url in c.value.replace("\\", "").replace("\u2060", "") for c in at.caption)  # 知识库位置 names the server
            done = budgetkg("ingest", str(NEW_DOC), "--store", url, "--index-dir", str(folder), "-q", "--no-embed")
            assert done.returncode == 0, done.stderr  # while the app holds the store
            at = page_test("documents").run()
            assert not at.exception and at.subheader[0].value == "已导入的文档（3）" and NEW_DOC.name in _docs(at)
            search = page_test("search")
            search.query_params["q"] = "汉阳区民政局"
            search.run()
            assert not search.exception
            hits = [c.value.replace("\\", "") for c in search.caption if "相关度" in c.value]
            assert any("《武汉市汉阳区民政局2024年度部门决算》" in c for c in hits)  # the app's indexes followed
        finally:
            st.cache_data.clear()
            st.cache_resource.clear()  # closes the store (on_release)


def test_app_command_hands_the_server_to_the_app(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr("os.execv", lambda path, cmd: calls.append(cmd))
    for name in ("BUDGETKG_MODEL", "BUDGETKG_BASE", "BUDGETKG_QUERY_URL", "BUDGETKG_UPDATE_URL", "BUDGETKG_GSP_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BUDGETKG_QUERY_URL", "http://127.0.0.1:7878/sparql")
    result = CliRunner().invoke(cli, ["app", "--store", "http://127.0.0.1:7878", "--index-dir", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    cmd, = calls
    app_args = cmd[cmd.index("--") + 1:]
    settings = state.app_settings(app_args, environ={})
    assert settings.endpoint.url == "http://127.0.0.1:7878" and settings.store_dir == tmp_path / "ix"
    assert (settings.endpoint.query, settings.endpoint.update, settings.endpoint.store) == (
        "http://127.0.0.1:7878/sparql", "http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store")


def test_the_app_gets_the_credentials_and_shows_none():
    """``budgetkg app`` hands a server URL's credentials to the app on its command line; the app's settings
    take them out again, so its store line shows the URL alone."""
    from budgetkg_cli.commands.app import app_command
    from kg.settings import resolve
    from search_app.state import app_settings

    command = app_command("127.0.0.1", 8501, True, resolve(store="http://alice:s3cret@h:3030/ds", environ={}))
    settings = app_settings(command[command.index("--") + 1:], environ={})
    assert settings.location == "http://h:3030/ds" and settings.endpoint.credentials == "alice:s3cret"
    assert settings.endpoint.update == "http://h:3030/ds/update"

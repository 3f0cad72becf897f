"""The CLI through click's CliRunner: help everywhere, one-line errors, exit codes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetkg_cli.main import cli, commands
from kg.api import BudgetKG
from tests.kg.kg_fixtures import dongxihu, jiangan


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store"
    with BudgetKG.open(path) as kg:
        kg.ingest_extraction(dongxihu())
        kg.ingest_extraction(jiangan())
    return path


def run(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)


@pytest.mark.parametrize("name", sorted(commands()))
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_command_has_help_with_an_example(name, flag):
    result = run(name, flag)
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert commands()[name].help.strip()


def test_group_help():
    result = run("-h")
    assert result.exit_code == 0 and "ingest" in result.output and "cites" in result.output


def test_every_command_takes_store():
    for name, command in commands().items():
        assert "store" in [p.name for p in command.params], name


def test_documents_and_cites(store):
    result = run("documents", "--store", store)
    assert result.exit_code == 0 and "aaaaaaaaaaaaaaaa" in result.output and "武汉市江岸区医疗保障局" in result.output
    result = run("cites", "武政规【2016】32 号", "--store", store)
    assert result.exit_code == 0
    assert "城乡医疗救助" in result.output and "统筹和组织实施医疗救助工作经费" in result.output
    rows = json.loads(run("cites", "武政规[2016]32号", "--format", "json", "--store", store).output)
    assert {r["doc_id"] for r in rows} == {"aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"}
    assert "PREFIX bgt:" in run("cites", "武政规[2016]32号", "--sparql", "--store", store).output


def test_store_from_environment(store):
    result = CliRunner().invoke(cli, ["documents"], env={"BUDGETKG_STORE": str(store)})
    assert result.exit_code == 0 and "bbbbbbbbbbbbbbbb" in result.output


def test_sparql_formats_and_files(store, tmp_path):
    q = "SELECT ?name WHERE { ?p a bgt:Project ; rdfs:label ?name } ORDER BY ?name"
    out = run("sparql", q, "--format", "csv", "--store", store).output.splitlines()
    assert out[0] == "name" and "城乡医疗救助" in out
    f = tmp_path / "q.rq"
    f.write_text(q, encoding="utf-8")
    rows = json.loads(run("sparql", f, "--format", "json", "--store", store).output)
    assert len(rows) == 4
    assert run("sparql", "ASK { ?p a bgt:Project }", "--store", store).output.strip() == "true"


@pytest.mark.parametrize("args,line", [
    (["sparql", "DROP ALL"], "错误：知识库只读，不执行更新（INSERT、DELETE、LOAD、CLEAR 等）"),
    (["sparql", "SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }"], "错误：不执行 SERVICE：只查询本地知识库"),
    (["sparql", "LOAD <http://example.org/a.ttl>"], "错误：知识库只读，不执行更新（INSERT、DELETE、LOAD、CLEAR 等）"),
    (["sparql", "SELECT ?s\nWHERE { ?s ?p }"], "错误：SPARQL 语法有误，请检查查询（第 2 行第 9 列附近）"),
    (["delete", "0000000000000000"], "错误：知识库中没有文档 0000000000000000"),
    (["entity", "law/nothing"], "错误：知识库中没有关于 https://w3id.org/budgetkg/law/nothing 的内容"),
    (["export", "--doc", "0000000000000000"], "错误：知识库中没有文档 0000000000000000"),
])
def test_user_mistakes_are_one_chinese_line(store, args, line):
    """kg's errors are told by their code with the detail a user needs; no English, no click ``Error:``."""
    result = run(*args, "--store", store)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [line]


def test_entity_and_delete(store):
    result = run("entity", "law/武政规〔2016〕32号", "--store", store)
    assert result.exit_code == 0 and "eli:id_local" in result.output and "武政规〔2016〕32号" in result.output
    result = run("delete", "aaaaaaaaaaaaaaaa", "--store", store)
    assert result.exit_code == 0 and re.fullmatch(r"已删除 aaaaaaaaaaaaaaaa（\d+ 个三元组）\n", result.output)
    assert "aaaaaaaaaaaaaaaa" not in run("documents", "--store", store).output


def test_reindex_says_in_chinese_what_it_brought_in_line(store, monkeypatch):
    """The search indexes of both documents lost: reindex adds them back (embedding left out: no model here)."""
    from kg.search.index import SearchIndex

    shutil.rmtree(store / "search")
    monkeypatch.setattr(SearchIndex, "embed_pending", lambda self, progress=None: 0)
    monkeypatch.setattr(SearchIndex, "pending", lambda self: 0)
    result = run("reindex", "--store", store, "-q")
    assert result.exit_code == 0, result.output
    assert result.output == "检索索引：新增 2 份文档，移除 0 份，嵌入 0 个段落\n"


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld"])
def test_export_to_file(store, tmp_path, fmt):
    out = tmp_path / f"x.{fmt}"
    result = run("export", "--format", fmt, "--doc", "bbbbbbbbbbbbbbbb", "-o", out, "--store", store)
    assert result.exit_code == 0 and out.stat().st_size > 0


def test_ingest_reports_bad_files_and_goes_on(tmp_path):
    bad = tmp_path / "docs" / "notes.txt"
    bad.parent.mkdir()
    bad.write_text("这不是预算公开文件。\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = run("ingest", bad, missing, "--store", tmp_path / "store", "-q")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("错误：")]
    assert len(errors) == 2
    assert "错误：notes.txt：未找到预算表：不是可识别的预算公开文件" in errors
    assert "错误：missing.txt：文件不存在" in errors
    assert f"已导入 0 / 2 个文件（0 个三元组），存入 {tmp_path / 'store'}" in result.output
    assert "没有文档" in run("documents", "--store", tmp_path / "store").output


def test_ingest_of_nothing_is_a_user_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("ingest", tmp_path / "empty", "--store", tmp_path / "store")
    assert result.exit_code == 1 and "中没有可读取的文件（.pdf，或 .txt/.md 文本导出文件）" in result.stderr


def test_ingest_names_the_place_of_each_warning(tmp_path):
    from tests.ingest.test_bad_tables import DOC

    doc = tmp_path / "damaged.txt"
    doc.write_text(DOC, encoding="utf-8")
    result = run("ingest", doc, "--store", tmp_path / "store", "-q")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("警告：")]
    assert any(w.startswith("警告：damaged.txt（第 11 行）：") and w.endswith("第 2 栏“12.3.4”不是金额，未读入")
               for w in warnings), warnings
    assert any("（第 20 行）" in w and "测试项目" in w for w in warnings)


def test_model_option_names_a_missing_model_in_one_line(tmp_path):
    missing = tmp_path / "no-such-model"
    (tmp_path / "store").mkdir()
    result = CliRunner().invoke(cli, ["search", "医疗救助", "--store", str(tmp_path / "store"),
                                      "--model", str(missing)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"错误：无法加载检索模型 {missing}：请指定本地的 sentence-transformers 模型文件夹（不会从模型库下载模型），"
        "或不设置 BUDGETKG_MODEL 以使用默认模型 multilingual-e5-small")


def test_model_from_environment_names_a_missing_model(tmp_path):
    missing = tmp_path / "env-model"
    (tmp_path / "store").mkdir()
    result = CliRunner().invoke(cli, ["search", "医疗救助", "--store", str(tmp_path / "store")],
                                env={"BUDGETKG_MODEL": str(missing)})
    assert result.exit_code == 1 and f"错误：无法加载检索模型 {missing}：" in result.output


@pytest.mark.parametrize("args, env, store, model", [
    ([], {}, "./budgetkg-data", None),
    ([], {"BUDGETKG_STORE": "env-store", "BUDGETKG_MODEL": "env-model"}, "env-store", "env-model"),
    (["--store", "opt-store", "--model", "opt-model"], {"BUDGETKG_STORE": "env-store", "BUDGETKG_MODEL": "env-model"},
     "opt-store", "opt-model"),
])
def test_commands_open_the_store_of_the_resolved_settings(monkeypatch, tmp_path, args, env, store, model):
    """Option, else environment, else default; the command opens the store with what was resolved."""
    from kg.types import Settings, StoreError

    monkeypatch.chdir(tmp_path)
    (tmp_path / store).mkdir()  # reindex opens only a store that exists
    opened = []

    def fake_open(settings):
        opened.append(settings)
        raise StoreError("stop here", path=str(settings.store_dir))

    monkeypatch.setattr(BudgetKG, "open", staticmethod(fake_open))
    for name in ("BUDGETKG_STORE", "BUDGETKG_MODEL", "BUDGETKG_BASE"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli, ["reindex", *args], env=env)
    assert result.exit_code == 1 and result.output == f"错误：无法打开知识库 {Path(store)}（可能另有 budgetkg 进程正在使用）\n"
    assert opened == [Settings(Path(store), model, "https://w3id.org/budgetkg/")]


@pytest.mark.parametrize("args, preloads", [
    (("delete", "aaaaaaaaaaaaaaaa"), 0),
    (("ingest", "samples/001_c082f6ab8c9dd51c.txt", "--no-embed", "-q"), 0),
    (("search", "医疗救助", "--mode", "lexical"), 1),  # the fixture's passages wait for their vectors
    (("search", "医疗救助"), 1),
])
def test_the_model_starts_loading_only_for_a_command_that_embeds_or_searches(store, monkeypatch, args, preloads):
    import kg.embed

    started = []
    monkeypatch.setattr(kg.embed, "preload_encoder", lambda name=None: started.append(name))
    root = Path(__file__).resolve().parents[2]
    result = run(*[root / a if a.startswith("samples/") else a for a in args], "--store", store)
    assert result.exit_code == 0, result.output
    assert len(started) == preloads

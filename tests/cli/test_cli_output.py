"""What the CLI prints on the bundled samples (issue 13, problem 7): flat rows, one language per output,
``--format`` on every command that prints records, help examples that work, folder ingest, read-only
commands that never create a store, and the search model's loading line on stderr."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetkg_cli.main import cli, commands
from kg.api import BudgetKG
from helpers import ROOT, SAMPLES

LAW = "武政规[2016]32号"
RECORD_COMMANDS = {"documents": [], "cites": [LAW], "entity": ["law/武政规〔2016〕32号"],
                   "sparql": ["SELECT ?p WHERE { ?p a bgt:Project } LIMIT 3"]}
CJK = re.compile(r"[\u4e00-\u9fff]")


def run(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_cites_csv_has_one_flat_row_per_place(samples_store):
    rows = csv_rows(run("cites", LAW, "--format", "csv", "--store", samples_store).stdout)
    header, body = rows[0], rows[1:]
    assert all("{" not in cell and "[" not in cell and "None" != cell for row in body for cell in row)
    line, field, doc = header.index("行"), header.index("所在栏目"), header.index("文档编号")
    places = {(r[doc], r[line], r[field]) for r in body}
    # 江岸区's project cites the law in two places of its form: its goal and its implementation
    jiangan = {(d, ln, f) for d, ln, f in places if d == "92e9b177ec6a9a6e"}
    assert {f for _, _, f in jiangan} == {"绩效目标", "实施方案"} and all(ln.isdigit() for _, ln, _ in jiangan)
    assert len(body) == len(places) == 3


def test_cites_json_has_machine_keys_and_codes(samples_store):
    rows = json.loads(run("cites", LAW, "--format", "json", "--store", samples_store).stdout)
    assert {r["phase"] for r in rows} == {"budget"} and {r["field"] for r in rows} <= {"legal_basis",
                                                                                         "performance_goal",
                                                                                         "implementation"}
    assert all(isinstance(v, (str, int, type(None))) for r in rows for v in r.values())  # flat


@pytest.mark.parametrize("name", sorted(RECORD_COMMANDS))
def test_table_and_csv_headers_are_chinese(samples_store, name):
    """One language per output: the headers of table and csv are Chinese, codes are spelled out."""
    for fmt in ("table", "csv"):
        out = run(name, *RECORD_COMMANDS[name], "--format", fmt, "--store", samples_store).stdout
        lines = out.splitlines()
        header = lines[1] if name == "entity" and fmt == "table" else lines[0]  # entity's table names the IRI first
        if name == "sparql":
            assert header.split()[0] == "p"  # the user's own variable names
            continue
        words = header.split() if fmt == "table" else next(csv.reader([header]))
        assert words and all(CJK.search(w) for w in words), header
        assert not re.search(r"\b(budget|final_account|legal_basis|None)\b", out)


def test_documents_table_says_预算(samples_store):
    out = run("documents", "--store", samples_store).stdout
    assert "预算" in out and "budget" not in out
    assert {r["phase"] for r in json.loads(run("documents", "--format", "json", "--store", samples_store).stdout)} \
        == {"budget"}


def test_every_command_that_prints_records_takes_format():
    for name in (*RECORD_COMMANDS, "search"):
        formats = {p.name: p for p in commands()[name].params}["fmt"].type.choices
        assert set(formats) == {"table", "csv", "json"}, name


def help_examples() -> list[tuple[str, list[str]]]:
    """Every example line of every help text, split as a shell would."""
    out = []
    for command in [cli, *commands().values()]:
        text = command.help.split("Example:", 1)[1]
        out += [(command.name, shlex.split(line.strip())) for line in text.splitlines() if line.strip()]
    return out


def named_paths(argv: list[str]) -> list[str]:
    """The file and folder arguments of an example (not the store, not an output file, not an IRI)."""
    out = []
    for prev, arg in zip(["", *argv], argv):
        if prev in ("--store", "-o", "--output") or arg.startswith(("<", "http")) or "<" in arg:
            continue
        if arg.endswith("/") or Path(arg).suffix in (".txt", ".md", ".pdf", ".json", ".jsonl", ".rq"):
            out.append(arg)
    return out


def test_help_examples_name_what_the_samples_give(samples_store):
    with BudgetKG.open(samples_store) as kg:
        doc_ids = {d.doc_id for d in kg.documents()}
    examples = help_examples()
    assert all(argv[0] == "budgetkg" for _, argv in examples)
    for _, argv in examples:
        for path in named_paths(argv):
            assert list(ROOT.glob(path)), f"{' '.join(argv)}: {path} does not exist in the repository"
        for arg in argv:
            if re.fullmatch(r"[0-9a-f]{16}", arg):
                assert arg in doc_ids, f"{' '.join(argv)}: {arg} is not a document of samples/"


FAST = ("cites", "entity", "documents", "sparql", "export", "delete", "extract", "check")


@pytest.mark.parametrize("argv", [argv for _, argv in help_examples()
                                  if argv[1] in FAST and not any("<" in a for a in argv)],  # not a placeholder
                         ids=lambda argv: " ".join(argv[1:3]))
def test_help_example_runs_on_the_samples(samples_store, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(ROOT)
    args = argv[1:]
    if "-o" in args:
        args[args.index("-o") + 1] = str(tmp_path / "out")
    if "--store" in args:  # the example's own store (./kg) would be a folder of the repository
        args[args.index("--store") + 1] = str(samples_store)
    elif argv[1] != "extract":
        args += ["--store", str(samples_store)]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() or (tmp_path / "out").stat().st_size


def test_ingest_of_a_folder_skips_what_is_not_a_document(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SAMPLES[0], folder)
    (folder / "SOURCES.md").write_text("# Sources\n\nThe disclosure below was downloaded from the "
                                       "department's site.\n", encoding="utf-8")
    result = run("ingest", folder, "--store", tmp_path / "store", "-q", "--no-embed")
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.stderr.splitlines() if line.startswith("已跳过")]
    assert skipped == ["已跳过 1 个不是公开文件的文件：SOURCES.md"]
    assert "已导入 1 / 1 个文件" in result.stdout


def test_ingest_of_a_folder_reports_a_bad_document_and_goes_on(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SAMPLES[0], folder)
    (folder / "broken.txt").write_text("某单位 2024 年部门预算\n项目\t金额\n办公费\t十二\n", encoding="utf-8")
    result = run("ingest", folder, "--store", tmp_path / "store", "-q", "--no-embed")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("错误：")]
    assert errors == ["错误：broken.txt：未找到预算表：不是可识别的预算公开文件"]
    assert "已导入 1 / 2 个文件" in result.stdout


def test_ingest_of_a_folder_does_not_read_the_store_inside_it(tmp_path):
    """The store keeps copies of what it ingested: ingesting the folder it lies in again reads each file once."""
    shutil.copy(SAMPLES[0], tmp_path)
    store = tmp_path / "store"
    for _ in range(2):
        result = run("ingest", tmp_path, "--store", store, "-q", "--no-embed")
        assert result.exit_code == 0 and "已导入 1 / 1 个文件" in result.stdout, result.output


READ_ONLY = {"documents": [], "check": [], "cites": [LAW], "search": ["医疗救助"], "entity": ["law/武政规〔2016〕32号"],
             "sparql": ["ASK { ?s ?p ?o }"], "export": [], "delete": ["e89d211dea500184"], "reindex": [],
             "eval-search": [str(ROOT / "tests" / "fixtures" / "queries_extra.jsonl")]}


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_a_command_that_reads_never_creates_a_store(tmp_path, name):
    missing = tmp_path / "no-store"
    result = run(name, *READ_ONLY[name], "--store", missing)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(missing) in lines[0] and CJK.search(lines[0]) and "Error" not in lines[0]
    assert not missing.exists()


def test_search_says_on_stderr_that_the_model_loads(samples_store):
    result = run("search", "医疗救助", "--format", "json", "--top-k", "3", "--store", samples_store)
    assert result.exit_code == 0
    assert "正在加载模型" in result.stderr
    hits = json.loads(result.stdout)  # stdout holds the hits alone
    assert hits and all(isinstance(v, (str, int, float, type(None))) for h in hits for v in h.values())
    table = run("search", "医疗救助", "--top-k", "3", "--store", samples_store).stdout
    assert "正在加载模型" not in table and table.splitlines()[0].split()[:2] == ["名次", "得分"]


def test_python_m_runs_the_command_line(tmp_path):
    """``python -m budgetkg_cli.main`` is the ``budgetkg`` command (a checkout without the entry point)."""
    import subprocess
    import sys

    missing = tmp_path / "no-store"
    done = subprocess.run([sys.executable, "-m", "budgetkg_cli.main", "documents", "--store", str(missing)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2 and str(missing) in done.stderr and done.stdout == ""
    assert not missing.exists()


def test_search_rows_name_the_subjects_department_year_phase_amount_and_the_documents_title(samples_store):
    rows = json.loads(run("search", "在职人员体检费", "--format", "json", "--mode", "lexical", "--top-k", "5",
                          "--store", samples_store).stdout)
    checkups = [r for r in rows if r["subject_label"] == "在职人员体检费"]
    assert {r["unit"] for r in checkups} == {"武汉市江岸区医疗保障局本级", "武汉市江岸区医疗保障服务中心"}
    assert all((r["department"], r["year"], r["phase"], r["amount"], r["title"]) == (
        "武汉市江岸区医疗保障局", 2026, "budget", "0.48", "2026年江岸区医保局部门预算公开说明") for r in checkups)
    table = run("search", "在职人员体检费", "--mode", "lexical", "--top-k", "5", "--store", samples_store).stdout
    header = table.splitlines()[0].split()
    assert {"部门", "年度", "阶段", "金额（万元）", "预算单位", "标题"} <= set(header) and "文件" not in header
    assert "2026年江岸区医保局部门预算公开说明" in table and "001_c082f6ab8c9dd51c.txt" not in table

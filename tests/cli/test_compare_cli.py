"""``budgetkg compare`` on the multi-year fixtures: Chinese headers, 万元 to the cent, the CSV and JSON shapes,
the figures of the gold, and one-line Chinese errors."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from click.testing import CliRunner

from budgetkg_cli.main import cli
from helpers import MULTIYEAR, load_json

GOLD = load_json(MULTIYEAR / "gold.json")


@pytest.fixture(scope="module")
def store(multiyear_store_template, tmp_path_factory):
    return shutil.copytree(multiyear_store_template, tmp_path_factory.mktemp("compare-cli") / "store")


def run(store, *args):
    return CliRunner().invoke(cli, ["compare", *map(str, args), "--store", str(store)], catch_exceptions=False)


def test_table_has_chinese_headers_and_amounts_to_the_cent(store):
    result = run(store, "--dept", "区城管执法局", "--years", "2023-2025")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "武汉市江夏区城市管理执法局 预算逐年比较"
    assert "【基本支出与项目支出】" in lines and "【主要项目】" in lines
    header = next(line for line in lines if line.startswith("编码"))
    assert header.split() == ["编码", "名称", "2023年（万元）", "2024年（万元）", "2024年较上年增减（万元）",
                              "2024年较上年增减（%）", "2025年（万元）", "2025年较上年增减（万元）", "2025年较上年增减（%）"]
    basic = next(line for line in lines if line.split()[:1] == ["基本支出"]).split()
    assert basic == ["基本支出", "877.88", "898.11", "+20.23", "+2.30", "916.63", "+18.52", "+2.06"]


def test_csv_is_one_row_per_table_row_with_plain_numbers(store):
    result = run(store, "--dept", "武汉市江夏区城市管理执法局", "--vs-final", "2024", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == ["表", "编码", "名称", "年初预算（万元）", "决算（万元）", "执行率（%）", "年初预算依据"]
    gold = GOLD["execution"]
    lines = {r["编码"]: r for r in rows if r["编码"] and r["表"].startswith("支出功能分类")}
    assert {c: (r["年初预算（万元）"], r["决算（万元）"], r["执行率（%）"]) for c, r in lines.items()} == {
        c: (g["budget"], g["final"], g["rate"]) for c, g in gold["functional"].items()}
    total = next(r for r in rows if r["名称"] == "本年支出合计")
    assert (total["年初预算（万元）"], total["决算（万元）"], total["执行率（%）"]) == (
        gold["total"]["budget"], gold["total"]["final"], gold["total"]["rate"])


@pytest.mark.parametrize("years", ["2025", "2024-2025"])  # a range: its latest year (区园林局 has no 2024)
def test_json_keeps_every_amount_with_its_source(store, years):
    result = run(store, "--dept", "区城管执法局", "--with", "区园林局", "--years", years, "--format", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["kind"] == "departments" and [b["year"] for b in shown["budgets"]] == [2025, 2025]
    split = next(t for t in shown["tables"] if t["key"] == "split")
    assert split["columns"] == ["编码", "名称", "武汉市江夏区城市管理执法局（万元）", "武汉市江夏区园林和林业局（万元）"]
    basic = next(r for r in split["rows"] if r[1]["text"] == "基本支出")
    gold = GOLD["side_by_side"]["departments"]
    assert [c["value"] for c in basic[2:]] == [gold[d]["basic"] for d in gold]
    assert all(isinstance(c["value"], str) for c in basic[2:])
    source = basic[3]["sources"][0]
    assert source["doc_id"] == shown["budgets"][1]["doc_id"] and source["line"] and "第" in source["where"]


@pytest.mark.parametrize("args, message", [
    (("--dept", "不存在的局"), "错误：知识库中没有部门“不存在的局”"),
    (("--dept", "区城管执法局", "--years", "2023~x"), "错误：查询的输入有误：“2023~x”不是年度（如 2023-2025 或 2023,2024）"),
    (("--dept", "区城管执法局", "--phase", "季度"), "错误：查询的输入有误：“季度”不是预算（budget）或决算（final_account）"),
    (("--dept", "区园林局", "--vs-final", "2025"), "错误：知识库中没有武汉市江夏区园林和林业局 2025 年的决算"),
])
def test_errors_are_one_chinese_line(store, args, message):
    result = run(store, *args)
    assert result.exit_code == 1
    assert result.output.strip() == message

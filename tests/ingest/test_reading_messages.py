"""Every warning the reading of a document gives comes from a rule of the catalogue, in Chinese."""

from __future__ import annotations

import ast
import re
from decimal import Decimal as D

import pytest

from helpers import FIXTURE_DOCS, ROOT, SAMPLES, SHARED_PDFS, needs_pdfs
from ingest.pipeline import extract
from ingest.reconcile.checks import compare
from ingest.reconcile.figures import total_of
from ingest.records import Figure, Provenance
from ingest.rules import catalogue, check_message, finding, message

CJK = re.compile(r"[\u4e00-\u9fff]")
QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|'[^']*'|《[^》]*》")  # document text the message quotes
CODE = re.compile(r"[\w-]+(?:[._][\w-]+)+|--\w+")  # rule ids (side_lines, reconcile.title_row), options
ENGLISH = re.compile(r"\b[A-Za-z]*[a-z][A-Za-z]*\b")  # a word with a lower-case letter (not an acronym: OCR)


def english_words(text: str) -> list[str]:
    bare = CODE.sub(" ", QUOTED.sub(" ", text))
    return [w for w in ENGLISH.findall(bare) if len(w) >= 3]


def assert_chinese(findings) -> None:
    rules = catalogue()
    for f in findings:
        assert f.rule in rules, f.rule
        assert f.severity in ("warning", "info", "error") and CJK.search(f.message), f.message
        assert not english_words(f.message), (f.rule, f.message)


def test_the_word_test_tells_english_from_quoted_text_and_codes():
    assert english_words("表三：按“short rows”读取（1 项：side_lines）；请用 --password 提供 OCR") == []
    assert english_words("表三：not an amount in column 2") == ["not", "amount", "column"]


@pytest.mark.parametrize("path", SAMPLES + FIXTURE_DOCS, ids=lambda p: p.stem)
def test_every_finding_of_the_seeds_and_fixtures_is_a_catalogued_rule_in_chinese(path):
    assert_chinese(extract(path).findings)


@needs_pdfs
@pytest.mark.parametrize("name", ["putuo_czj_2024_juesuan_dept.pdf", "putuo_czj_2025_yusuan_dept.pdf",
                                  "putuo_ghzyj_2024_juesuan_dept.pdf", "putuo_swh_2025_yusuan_dept.pdf",
                                  "putuo_wanli_2023_yusuan_dept.pdf"])
def test_every_finding_of_the_shared_pdfs_is_a_catalogued_rule_in_chinese(name):
    assert_chinese(extract(SHARED_PDFS / name).findings)


def emitted_rules() -> dict[str, str]:
    """Each literal rule id the readers warn with (``ctx.warn``, ``finding``, a note of a grid or a block)."""
    out: dict[str, str] = {}
    for path in sorted((ROOT / "ingest").rglob("*.py")):
        if "audit" in path.parts:
            continue  # the families test their own
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", None))
                if name in ("warn", "finding", "message") and node.args and isinstance(node.args[0], ast.Constant) \
                        and isinstance(node.args[0].value, str):
                    out[node.args[0].value] = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(node, ast.Tuple) and len(node.elts) >= 2 and isinstance(node.elts[1], ast.Dict) \
                    and isinstance(node.elts[0], ast.Constant):  # a note: (rule, params, …)
                out[node.elts[0].value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return out


def test_every_rule_a_reader_warns_with_has_a_chinese_template():
    emitted = emitted_rules()
    assert len(emitted) >= 30
    rules = catalogue()
    assert not {r: where for r, where in emitted.items() if r not in rules}
    assert all(CJK.search(r.template) and not english_words(re.sub(r"\{\w+\}", "", r.template)) for r in rules.values())


def test_a_finding_keeps_its_params_and_the_detail_a_user_needs():
    pv = Provenance("d", page=3, table="部门支出总表", row=4, line=40)
    f = finding("malformed_amount", pv, ("12.3.4",), table="部门支出总表", column=2, text="12.3.4")
    assert (f.rule, f.severity) == ("malformed_amount", "warning")
    assert f.message == "部门支出总表：第 2 栏“12.3.4”不是金额，未读入"
    assert dict(f.params) == {"table": "部门支出总表", "column": "2", "text": "12.3.4"}
    spacers = message("grid_spacer_columns", table="部门收支总表", columns="2、5")
    assert spacers == "部门收支总表：第 2、5 栏在每一行都为空，已略去"


def test_a_failed_reconciliation_check_reads_from_its_catalogue_template():
    pv = Provenance("d", table="一般公共预算支出表", row=3, line=30)
    whole = Figure(D("1152.46"), D("0.01"), "21015 合计", pv)
    kids = total_of([Figure(D("964.46"), D("0.01"), "2101501 合计", pv)], "21015 下各项之和")
    check = compare("level_sum", whole, kids, "一般公共预算支出表: 21015")
    assert not check.passed
    assert check_message(check) == ("一般公共预算支出表：21015 合计 1,152.46 万元，不等于其下一级科目之和 964.46 万元"
                                    "（相差 188.00 万元，容差 0.01 万元）")
    rule = catalogue()["reconcile.level_sum"]
    assert (rule.family, rule.severity) == ("table_arithmetic", "warning") and rule.tolerance

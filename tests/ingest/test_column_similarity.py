"""Column roles by similarity (ingest.reconcile.similar_columns), with a deterministic similarity: the header
labels no wording names take 合计/基本支出/项目支出 through ``ctx.similarity``, a choice the table's checks
contradict is refused, and without a similarity nothing changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.pipeline import extract
from ingest.vocabulary.column_roles import BASIC, PROJECT, SIMILAR_ROLES, TOTAL, roles_of, says_no_role

HEADER = "科目编码\t科目名称\t本年度支出总额\t基本运转支出\t专项业务支出"
ROWS = """201\t一般公共服务支出\t300.00\t200.00\t100.00
20101\t人大事务\t300.00\t200.00\t100.00
2010101\t行政运行\t200.00\t200.00\t
2010102\t一般行政管理事务\t100.00\t\t100.00
208\t社会保障和就业支出\t50.00\t50.00\t
20805\t行政事业单位养老支出\t50.00\t50.00\t
2080505\t机关事业单位基本养老保险缴费支出\t50.00\t50.00\t
合计\t\t350.00\t250.00\t100.00"""


def document(header: str = HEADER, rows: str = ROWS) -> str:
    return f"""武汉市某区文化和旅游局2025年部门预算

一、部门主要职责
负责全区文化和旅游工作。

部门支出总表
单位：万元
{header}
{rows}
"""


def fake_similarity(near: dict[str, tuple[str, float]]):
    """Scores ``near[text] = (wording, score)`` to that wording, 0.5 to every other target."""
    def similarity(texts: list[str], targets: list[str]) -> list[list[float]]:
        return [[near[t][1] if t in near and near[t][0] == w else 0.5 for w in targets] for t in texts]
    return similarity


NEAR = {"本年度支出总额": ("本年支出合计", 0.99), "基本运转支出": ("基本支出", 0.98), "专项业务支出": ("项目支出", 0.97)}


def _write(tmp_path, text: str):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_labels_are_not_in_the_vocabulary():
    for label in NEAR:
        assert says_no_role((label,)), roles_of((label,))


def test_every_known_wording_is_matched_by_its_role():
    for role in SIMILAR_ROLES:
        assert role.known and all(role.matches((w,)) for w in role.known), role.name


@pytest.mark.parametrize("label", ["项目名称", "人员经费", "一般公共预算", "收入合计", "增长率", "行次", "栏次"])
def test_a_label_naming_another_role_never_reaches_similarity(label):
    assert not says_no_role((label,))


def test_unnamed_columns_take_their_roles_by_similarity(tmp_path):
    ex = extract(_write(tmp_path, document()), similarity=fake_similarity(NEAR))
    lines = {li.code: (li.total, li.basic, li.project) for li in ex.line_items}
    assert lines["2010102"] == (Decimal("100.00"), None, Decimal("100.00"))
    assert lines["201"] == (Decimal("300.00"), Decimal("200.00"), Decimal("100.00"))
    totals = {t.key: t.amount for t in ex.totals}
    assert totals["basic_expenditure"] == Decimal("250.00") and totals["project_expenditure"] == Decimal("100.00")
    found = {f.values[0]: f for f in ex.findings if f.rule == "column_role_by_similarity"}
    assert set(found) == set(NEAR)
    assert found["专项业务支出"].values == ("专项业务支出", PROJECT.name, "0.970")
    assert found["基本运转支出"].message.startswith(f"部门支出总表（第 6 行）：第 4 栏“基本运转支出”按相似度 0.980 读作“{BASIC.known[0]}”")
    assert found["本年度支出总额"].severity == "warning" and found["本年度支出总额"].provenance.line == 6
    assert any(c.rule == "basic_plus_project" for c in ex.checks) and all(c.passed for c in ex.checks)


def test_without_a_similarity_the_table_is_read_by_wording_alone(tmp_path):
    ex = extract(_write(tmp_path, document()))
    assert all(li.basic is None and li.project is None for li in ex.line_items)
    assert {li.code: li.total for li in ex.line_items}["2010101"] == Decimal("200.00")  # 合计 by position
    assert not [f for f in ex.findings if f.rule.startswith("column_role")]


def test_a_choice_the_checks_contradict_is_refused(tmp_path):
    """结转下年 is nearer 项目支出 than 专项业务支出 is, but 合计 = 基本 + 结转下年 fails on the rows: refused, and
    专项业务支出, on which every check holds, is 项目支出."""
    header = HEADER + "\t结转下年"
    rows = "\n".join(line + "\t" + extra for line, extra in
                     zip(ROWS.splitlines(), ["7.00", "7.00", "3.00", "4.00", "1.00", "1.00", "1.00", "8.00"]))
    near = {**NEAR, "结转下年": ("项目支出", 0.975)}
    ex = extract(_write(tmp_path, document(header, rows)), similarity=fake_similarity(near))
    refused = [f for f in ex.findings if f.rule == "column_role_similarity_refused"]
    assert [f.values for f in refused] == [("结转下年", PROJECT.name, "0.975")]
    assert "未采用：有该栏时表内" in refused[0].message and "不等于基本支出与项目支出之和" in refused[0].message
    taken = {f.values[0]: f.values[1] for f in ex.findings if f.rule == "column_role_by_similarity"}
    assert taken == {"本年度支出总额": TOTAL.name, "基本运转支出": BASIC.name, "专项业务支出": PROJECT.name}
    lines = {li.code: (li.total, li.basic, li.project) for li in ex.line_items}
    assert lines["2010102"] == (Decimal("100.00"), None, Decimal("100.00"))
    assert lines["201"] == (Decimal("300.00"), Decimal("200.00"), Decimal("100.00"))
    assert all(c.passed for c in ex.checks)


def test_the_only_column_near_a_role_is_refused_when_it_breaks_the_checks(tmp_path):
    """Only 结转下年 is near 项目支出: with it 合计 = 基本 + 项目 fails, so the table keeps no 项目支出 column; and
    without a 项目支出 column no check ties 合计 and 基本支出 together (the level sums hold for any amount
    column), so neither is taken: the table is read by wording alone."""
    header = HEADER.replace("专项业务支出", "说明") + "\t结转下年"
    rows = "\n".join(line.rsplit("\t", 1)[0] + "\t\t" + extra for line, extra in
                     zip(ROWS.splitlines(), ["7.00", "7.00", "3.00", "4.00", "1.00", "1.00", "1.00", "8.00"]))
    near = {**NEAR, "结转下年": ("项目支出", 0.975)}
    ex = extract(_write(tmp_path, document(header, rows)), similarity=fake_similarity(near))
    refused = {f.values[0]: f.message for f in ex.findings if f.rule == "column_role_similarity_refused"}
    assert set(refused) == {"本年度支出总额", "基本运转支出", "结转下年"}
    assert all("各行没有 合计 = 基本 + 项目 的检查能证实它" in m for m in refused.values())
    assert not [f for f in ex.findings if f.rule == "column_role_by_similarity"]
    assert all(li.project is None and li.basic is None for li in ex.line_items)
    assert {li.code: li.total for li in ex.line_items}["2010101"] == Decimal("200.00")  # 合计 by position


def test_a_label_near_no_role_is_left_as_it_is(tmp_path):
    near = {"本年度支出总额": ("合计", 0.90)}  # below the threshold
    ex = extract(_write(tmp_path, document()), similarity=fake_similarity(near))
    assert not [f for f in ex.findings if f.rule.startswith("column_role")]
    assert all(li.basic is None for li in ex.line_items)

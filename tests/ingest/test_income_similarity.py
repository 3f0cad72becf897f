"""The parts of a 收入总表's income (上年结转, each source) whose labels no wording names, by similarity
(ingest.reconcile.similar_columns.choose_income_roles) with a deterministic similarity: taken where
合计 = 上年结转 + Σ sources holds on every row with them, refused where it does not."""

from __future__ import annotations

import pytest

from ingest.pipeline import extract
from ingest.vocabulary.column_roles import INCOME_PARTS, roles_of, says_no_role

from test_column_similarity import fake_similarity

HEADER = "单位编码\t单位名称\t合计\t公共预算拨款\t纳入专户管理的非税收入\t事业收入\t上年结余"
ROWS = [
    "合计\t\t1,310.00\t1,200.00\t60.00\t30.00\t20.00",
    "160\t武汉市某区教育局\t1,310.00\t1,200.00\t60.00\t30.00\t20.00",
    "160001\t武汉市某区教育局本级\t500.00\t480.00\t\t\t20.00",
    "160012\t武汉市某区实验小学\t810.00\t720.00\t60.00\t30.00\t",
]
NEAR = {"公共预算拨款": ("一般公共预算拨款", 0.99), "纳入专户管理的非税收入": ("纳入财政专户管理的资金", 0.96),
        "上年结余": ("上年结转结余", 0.99)}


def document(header: str = HEADER, rows: list[str] = ROWS) -> str:
    body = "\n".join(rows)
    return f"""武汉市某区教育局2025年部门预算

一、部门主要职责
负责全区教育工作。

部门收入总表
单位：万元
{header}
{body}
"""


def _findings(tmp_path, text: str, near: dict) -> dict[str, dict[str, str]]:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    ex = extract(path, similarity=fake_similarity(near))
    out: dict[str, dict[str, str]] = {"column_role_by_similarity": {}, "column_role_similarity_refused": {}}
    for f in ex.findings:
        if f.rule in out:
            out[f.rule][f.values[0]] = f.values[1]
    return out


def test_the_labels_are_not_in_the_vocabulary():
    for label in [*NEAR, "结转下年"]:
        assert says_no_role((label,)), roles_of((label,))


def test_every_known_wording_of_an_income_part_is_matched_by_its_role():
    for role in INCOME_PARTS:
        assert role.known and all(role.matches((w,)) for w in role.known), role.name


def test_parts_the_row_sums_confirm_take_their_roles(tmp_path):
    found = _findings(tmp_path, document(), NEAR)
    assert found["column_role_by_similarity"] == {
        "公共预算拨款": "general_public_budget", "纳入专户管理的非税收入": "special_account", "上年结余": "carryover"}
    assert not found["column_role_similarity_refused"]


def test_a_column_outside_the_sum_is_refused_though_near_a_part(tmp_path):
    """结转下年 scores near 上年结转 (the model cannot tell them apart): the rows add up without it, so it is no
    part of the income; the three parts that complete the sum are taken."""
    header = HEADER + "\t结转下年"
    rows = [row + "\t" + extra for row, extra in zip(ROWS, ["15.00", "15.00", "5.00", "10.00"])]
    found = _findings(tmp_path, document(header, rows), {**NEAR, "结转下年": ("上年结转", 0.985)})
    assert found["column_role_similarity_refused"] == {"结转下年": "carryover"}
    assert set(found["column_role_by_similarity"]) == set(NEAR)


def test_nothing_is_taken_where_the_sum_fails_with_every_choice(tmp_path):
    rows = [ROWS[0], ROWS[1], ROWS[2].replace("500.00", "510.00"), ROWS[3]]  # a row off by 10
    found = _findings(tmp_path, document(rows=rows), NEAR)
    assert not found["column_role_by_similarity"]
    assert set(found["column_role_similarity_refused"]) == set(NEAR)


def test_named_parts_that_add_up_leave_a_near_column_unread(tmp_path):
    """Every part named by wording and the rows add up: a further column near a source is not one."""
    header = "单位编码\t单位名称\t合计\t一般公共预算拨款收入\t事业收入\t其他来源"
    rows = ["合计\t\t100.00\t80.00\t20.00\t5.00", "160\t武汉市某区教育局\t100.00\t80.00\t20.00\t5.00"]
    found = _findings(tmp_path, document(header, rows), {"其他来源": ("其他收入", 0.99)})
    assert found["column_role_similarity_refused"] == {"其他来源": "other_income"}


@pytest.mark.parametrize("label", ["上年结转", "一般公共预算拨款收入", "事业收入", "其他收入", "年初预算数"])
def test_a_label_a_wording_names_never_reaches_similarity(label):
    assert not says_no_role((label,))

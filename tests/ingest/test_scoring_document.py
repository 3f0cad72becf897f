"""The document kind scores a 单位预算's ``budget_unit`` where its gold holds it, and only there."""

from __future__ import annotations

from ingest.scoring.score import score

DOC = {"department": "襄阳市樊城区卫生健康局", "region": "湖北省襄阳市樊城区", "year": 2025, "phase": "预算"}


def _document(gold: dict, got: dict):
    return next(s for s in score({"document": gold}, {"document": got}) if s.kind == "document")


def test_the_unit_a_unit_budget_names_is_scored():
    gold = {**DOC, "budget_unit": "襄阳市樊城区卫生健康局本级"}
    assert _document(gold, {**DOC, "budget_unit": "襄阳市樊城区卫生健康局本级"}).f1 == 1.0
    wrong = _document(gold, {**DOC, "budget_unit": "襄阳市樊城区卫生健康局"})
    assert (wrong.tp, wrong.fp, wrong.fn) == (4, 1, 1) and "wrong: budget_unit" in wrong.note
    missing = _document(gold, {**DOC, "budget_unit": None})
    assert (missing.tp, missing.fp, missing.fn) == (4, 0, 1) and "missing: budget_unit" in missing.note


def test_a_gold_without_a_budget_unit_does_not_score_it():
    """The shared gold files hold no budget_unit: a department budget's extraction is not marked down for it."""
    assert _document(DOC, {**DOC, "budget_unit": "某单位"}).f1 == 1.0
    assert _document(DOC, {**DOC, "budget_unit": None}).f1 == 1.0

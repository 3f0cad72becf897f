"""The six multi-year fixtures (tests/fixtures/multiyear, written without reading the parser) are consistent
documents: each extracts with no failed check and no finding but the severity-info reading notes
(``reconcile.reading``), save the known false alarms listed below with their reasons, and scores 1.000 on every
kind of its gold (``<stem>.gold.json``) through the scoring the ``budgetkg eval`` command uses.

The two cross-document errors the README seeds are between documents (a 2025 change against the 2024 budget, a
决算's 年初预算 against the budget): each document is consistent with itself, so neither shows here.
"""

from __future__ import annotations

import pytest

from helpers import FIXTURES, extracted
from ingest.scoring import evaluate_files

FOLDER = FIXTURES / "multiyear"
STEMS = sorted(p.stem for p in FOLDER.glob("*.txt"))
ALLOWED = ("reconcile.reading", "info")  # (rule, severity) of the notes on how a table was read

# (document, rule, the figure the text states) → why it is a false alarm; take an entry out once it is gone
KNOWN_FALSE_ALARMS: dict[tuple[str, str, str], str] = {}
# once raised here: “一般公共预算财政拨款支出决算1478.81万元” (the year's spending) compared with the 一般公共预算财政拨款
# INCOME 1489.95 of 表1 (ingest.audit.narrative._spending_named now keeps such a name off the income lines)


def signals(stem: str) -> set[tuple[str, str, str]]:
    """What the document raises: each failed check (rule, its left figure) and each finding but a reading note."""
    ex = extracted(FOLDER / f"{stem}.txt")
    out = {(stem, c.rule, str(c.left.amount)) for c in ex.checks if not c.passed}
    out |= {(stem, f.rule, f.message) for f in ex.findings if (f.rule, f.severity) != ALLOWED}
    return out


def test_the_six_documents_are_there():
    assert len(STEMS) == 6 and all((FOLDER / f"{s}.gold.json").is_file() for s in STEMS)


@pytest.mark.parametrize("stem", STEMS)
def test_document_raises_nothing_but_reading_notes(stem):
    ex = extracted(FOLDER / f"{stem}.txt")
    assert ex.checks, "the reconciliation ran"
    found = signals(stem)
    known = {k for k in KNOWN_FALSE_ALARMS if k[0] == stem}
    assert found - known == set(), "\n".join(map(str, sorted(found - known)))
    assert known <= found, f"no longer raised, take out of KNOWN_FALSE_ALARMS: {sorted(known - found)}"


@pytest.fixture(scope="module")
def report():
    return evaluate_files([FOLDER / f"{s}.gold.json" for s in STEMS], [FOLDER / f"{s}.txt" for s in STEMS])


def test_every_document_scores_one_on_every_kind(report):
    assert len(report.results) == len(STEMS)
    below = [(r.name, s.kind, s.tp, s.fp, s.fn) for r in report.results for s in r.scores if s.f1 < 1.0]
    assert [r.error for r in report.results if r.error] == [] and below == []
    assert all(r.scores for r in report.results)

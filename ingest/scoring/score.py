"""Scores of one extraction against its gold, kind by kind: P/R/F1 per kind and the thresholds they must meet.

The comparison rules are those of :mod:`ingest.scoring`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Hashable, Iterable

from ..citations import normalize_doc_number, normalize_title
from ..normalise import squash, squash_ascii_dot
from .match import cents, match_projects, project_keys

# Minimum score per kind for :meth:`EvalReport.ok` (F1, or accuracy for project_amounts).
THRESHOLDS: dict[str, float] = {
    "projects": 0.98,
    "project_amounts": 0.99,
    "citations": 0.98,
    "indicators": 0.95,
    "functional_lines": 0.98,
}

# The totals that are scored (README "Definitions of the scored totals").
SCORED_TOTALS = (
    "income_total",
    "expenditure_total",
    "fiscal_appropriation_total",
    "basic_expenditure",
    "project_expenditure",
    "carryover_from_last_year",
    "three_public_total",
)
DOCUMENT_FIELDS = ("department", "region", "year", "phase")
# scored where the gold holds them (a 单位预算's gold names the unit it budgets; the shared gold files do not)
DOCUMENT_FIELDS_WHERE_GIVEN = ("budget_unit",)

KINDS = (
    "projects", "project_amounts", "citations", "indicators", "indicator_levels", "department_indicators",
    "functional_lines", "functional_lines_other", "economic_lines", "units", "totals", "document",
)


@dataclass(frozen=True)
class KindScore:
    """Counts and P/R/F1 for one kind of fact (for ``project_amounts`` all three are the accuracy)."""

    kind: str
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    note: str = ""

    @classmethod
    def from_counts(cls, kind: str, tp: int, fp: int, fn: int, note: str = "") -> KindScore:
        """P/R/F1 from counts; nothing expected and nothing found scores 1.0."""
        p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
        r = tp / (tp + fn) if tp + fn else (1.0 if not fp else 0.0)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return cls(kind, tp, fp, fn, p, r, f1, note)

    @classmethod
    def accuracy(cls, kind: str, right: int, wrong: int, note: str = "", empty: float = 1.0) -> KindScore:
        """``right / (right + wrong)`` in all three columns; ``empty`` when nothing was compared."""
        acc = right / (right + wrong) if right + wrong else empty
        return cls(kind, right, 0, wrong, acc, acc, acc, note)

    @property
    def value(self) -> float:
        """The number compared with a threshold."""
        return self.f1


def _multiset_score(kind: str, gold: Iterable[Hashable], got: Iterable[Hashable], note: str = "") -> KindScore:
    g, p = Counter(gold), Counter(got)
    tp = sum((g & p).values())
    return KindScore.from_counts(kind, tp, sum(p.values()) - tp, sum(g.values()) - tp, note)


def _project_citations(projects: list[dict], keys: list, citation_map: dict | None) -> set:
    """(project, kind, key) from each project's cited_*; from the ``citations`` map if no project has them."""
    out = set()
    if any("cited_doc_numbers" in p or "cited_titles" in p for p in projects):
        for key, p in zip(keys, projects):
            out |= {(key, "doc", normalize_doc_number(d)) for d in p.get("cited_doc_numbers") or []}
            out |= {(key, "title", normalize_title(_strip_title(t))) for t in p.get("cited_titles") or []}
        return out
    by_name: dict[str, list] = {}
    for key, p in zip(keys, projects):
        by_name.setdefault(squash_ascii_dot(p.get("name")), []).append(key)
    for ref, names in (citation_map or {}).items():
        cited = ("title", normalize_title(_strip_title(ref))) if ref.strip().startswith("《") \
            else ("doc", normalize_doc_number(ref))
        for name in names:
            for key in by_name.get(squash_ascii_dot(name), [("unknown", name)]):
                out.add((key, *cited))
    return out


def _strip_title(text: str) -> str:
    s = squash(text)
    return s[1:-1] if s.startswith("《") and s.endswith("》") else s


def _indicator_triples(projects: list[dict], keys: list, levels: bool = False) -> list:
    """(project, 三级指标, value) per indicator row; with ``levels`` also its goal and 一级/二级指标."""
    return [
        (key, squash(ind.get("level3")), squash(ind.get("value")))
        + ((ind.get("goal"), squash(ind.get("level1")), squash(ind.get("level2"))) if levels else ())
        for key, p in zip(keys, projects)
        for ind in p.get("indicators") or []
    ]


def _score_department_indicators(gold: list[dict], got: list[dict]) -> KindScore:
    with_unit = bool(gold) and bool(got) and all(r.get("unit") for r in [*gold, *got])

    def row(r: dict) -> tuple:
        base = (squash(r.get("level3")), squash(r.get("value")))
        return ((squash(r.get("unit")),) + base) if with_unit else base

    note = "(unit, level3, value)" if with_unit else "(level3, value); unit not given on every row"
    return _multiset_score("department_indicators", map(row, gold), map(row, got), note)


def _score_units(gold: list[dict], got: list[dict]) -> KindScore:
    """One-to-one: by code where both rows have one, otherwise by name."""

    def same(g: dict, p: dict, by_code: bool) -> bool:
        coded = bool(g.get("code")) and bool(p.get("code"))
        if coded != by_code:
            return False
        key = "code" if coded else "name"
        return squash(g.get(key)) == squash(p.get(key))

    free_gold, free_got = set(range(len(gold))), set(range(len(got)))
    for by_code in (True, False):
        for i in sorted(free_got):
            j = next((j for j in sorted(free_gold) if same(gold[j], got[i], by_code)), None)
            if j is not None:
                free_gold.discard(j)
                free_got.discard(i)
    tp = len(got) - len(free_got)
    return KindScore.from_counts("units", tp, len(free_got), len(free_gold))


def _score_fields(kind: str, gold: dict, got: dict, keys: Iterable[str], same: Callable[[Any, Any], bool]) -> KindScore:
    """Per key: right → tp; a wrong value → fp and fn; not extracted (absent or ``None``) → fn.

    ``None`` equals ``None`` (a blank cell read as blank), but an absent key is a miss even where gold is null.
    """
    tp = fp = fn = 0
    wrong, missing = [], []
    for key in keys:
        if key not in gold:
            fp += key in got
            continue
        if key in got and same(gold[key], got[key]):
            tp += 1
            continue
        fn += 1
        given = key in got and got[key] is not None
        fp += given
        (wrong if given else missing).append(key)
    note = "; ".join(f"{label}: {', '.join(keys)}" for label, keys in (("wrong", wrong), ("missing", missing)) if keys)
    return KindScore.from_counts(kind, tp, fp, fn, note)


def _same_total(a: Any, b: Any) -> bool:
    return cents(a) == cents(b)


def _same_field(a: Any, b: Any) -> bool:
    return squash(a) == squash(b)


def score(gold: dict, got: dict) -> list[KindScore]:
    """Every kind in :data:`KINDS`, scoring ``got`` (a dict in the gold schema) against ``gold``."""
    gp, pp = gold.get("projects") or [], got.get("projects") or []
    matched = match_projects(gp, pp)
    gold_keys, got_keys = project_keys(gp, pp, matched)
    same_amount = sum(cents(gp[j].get("amount")) == cents(pp[i].get("amount")) for i, j in matched.items())
    gold_doc = gold.get("document") or {}

    def lines(rows: list[dict], amount: str) -> list:
        return [(squash(r.get("code")), cents(r.get(amount))) for r in rows or []]

    return [
        KindScore.from_counts("projects", len(matched), len(pp) - len(matched), len(gp) - len(matched)),
        KindScore.accuracy("project_amounts", same_amount, len(matched) - same_amount,
                           "accuracy over matched projects" if matched else "no matched projects",
                           empty=0.0 if gp else 1.0),
        _multiset_score("citations", _project_citations(gp, gold_keys, gold.get("citations")),
                        _project_citations(pp, got_keys, got.get("citations"))),
        _multiset_score("indicators", _indicator_triples(gp, gold_keys), _indicator_triples(pp, got_keys)),
        _multiset_score("indicator_levels", _indicator_triples(gp, gold_keys, True),
                        _indicator_triples(pp, got_keys, True), "rows with their goal and 一级/二级指标"),
        _score_department_indicators(gold.get("department_indicators") or [], got.get("department_indicators") or []),
        _multiset_score("functional_lines", lines(gold.get("functional_lines"), "total"),
                        lines(got.get("functional_lines"), "total")),
        _multiset_score("functional_lines_other", lines(gold.get("functional_lines_other"), "total"),
                        lines(got.get("functional_lines_other"), "total")),
        _multiset_score("economic_lines", lines(gold.get("economic_lines"), "amount"),
                        lines(got.get("economic_lines"), "amount")),
        _score_units(gold.get("units") or [], got.get("units") or []),
        _score_fields("totals", gold.get("totals") or {}, got.get("totals") or {}, SCORED_TOTALS, _same_total),
        _score_fields("document", gold_doc, got.get("document") or {},
                      DOCUMENT_FIELDS + tuple(k for k in DOCUMENT_FIELDS_WHERE_GIVEN if k in gold_doc), _same_field),
    ]

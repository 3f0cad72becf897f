"""Score extractions against hand-made gold annotations (no RDF).

:func:`extraction_to_gold` writes an :class:`~ingest.records.Extraction` in the
gold schema (``shared/eval/gold/README.md``); :func:`score` compares two such
dicts kind by kind; :func:`evaluate_files` finds each gold file's document,
extracts it and scores it into an :class:`EvalReport`.

Comparison rules:

- names, aliases and indicator fields: all whitespace removed (a trailing ``.``
  dropped from project names);
- money: equal to the cent;
- predicted projects are matched one-to-one to gold projects when any of their
  names or aliases agree, and citations and indicators are then counted per
  matched gold project, so a project found under an alias still scores;
- line items and indicators are multisets: a row printed twice must be read twice.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable

from ingest.citations import normalize_doc_number, normalize_title
from ingest.normalise import squash, squash_ascii_dot
from ingest.records import ECONOMIC, FUNCTIONAL, Citation, Extraction, Indicator, LineItem, Project

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

KINDS = (
    "projects", "project_amounts", "citations", "indicators", "indicator_levels", "department_indicators",
    "functional_lines", "functional_lines_other", "economic_lines", "units", "totals", "document",
)

# Gold keys that are annotators' remarks or cross-table figures, not produced by the extractor.
ANNOTATION_ONLY_KEYS: dict[str, frozenset[str]] = {
    "top": frozenset({"non_project_items"}),
    "document": frozenset({"contact_phone_variants", "contact_phone_note"}),
    "units": frozenset({"note", "gpb_total", "basic", "project"}),
    "functional_lines": frozenset({"note"}),
    "functional_lines_other": frozenset({"note"}),
    "economic_lines": frozenset({"note"}),
    "projects": frozenset({"notes", "form", "prior_years", "form_total_budget", "form_current_year_budget"}),
    "indicators": frozenset({"note"}),
    "department_indicators": frozenset({"note"}),
}

_CENT = Decimal("0.01")


# ---------------------------------------------------------------- records → gold dict


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _citation_keys(c: Citation) -> list[str]:
    """Gold-map keys of one citation: ``《title》`` and/or the 文号 (a title may carry both)."""
    if c.kind == "title":
        return [f"《{c.key}》"] + ([c.doc_number] if c.doc_number else [])
    return [c.key]


def _line(li: LineItem) -> dict:
    return {
        "table": li.table, "code": li.code, "name": li.name,
        "total": _money(li.total), "basic": _money(li.basic), "project": _money(li.project),
    }


def _indicator(ind: Indicator) -> dict:
    return {
        "goal": ind.goal, "level1": ind.level1, "level2": ind.level2, "level3": ind.level3,
        "value": ind.value_raw, "basis": ind.basis,
    }


def _project(p: Project) -> dict:
    locations: dict[str, list[str]] = {}
    for c in p.citations:
        for key in _citation_keys(c):
            fields_ = locations.setdefault(key, [])
            if c.field and c.field not in fields_:
                fields_.append(c.field)
    keys = list(locations)
    return {
        "name": p.name,
        "aliases": list(p.aliases),
        "code": p.code,
        "amount": _money(p.amount),
        "unit": p.unit,
        "executing_unit": p.executing_unit,
        "attribute": p.attribute,
        "category": p.category,
        "start_year": p.start_year,
        "end_year": p.end_year,
        "legal_basis_text": p.legal_basis_text,
        "implementation_text": p.implementation_text,
        "cited_doc_numbers": [k for k in keys if not k.startswith("《")],
        "cited_titles": [k[1:-1] for k in keys if k.startswith("《")],
        "citation_locations": locations,
        "funding": [{"source": f.source, "amount": _money(f.amount)} for f in p.funding],
        "activities": [
            {"name": a.name, "description": a.description, "economic_class": a.economic_class,
             "amount": _money(a.amount)}
            for a in p.activities
        ],
        "procurement_items": [
            {"item": r.item, "quantity": r.quantity, "amount": _money(r.amount)} for r in p.procurement
        ],
        "indicators": [_indicator(i) for i in p.indicators],
        "functional_code": p.functional_code,
        "functional_name": p.functional_name,
    }


def _economic_lines(items: tuple[LineItem, ...]) -> list[dict]:
    """Rows by economic class; the basic-expenditure table's rows when the document has one."""
    economic = [li for li in items if li.classification == ECONOMIC]
    basic = [li for li in economic if li.role == "basic_economic"]
    return [{"code": li.code, "name": li.name, "amount": _money(li.total)} for li in basic or economic]


def extraction_to_gold(ex: Extraction) -> dict:
    """One extraction in the gold JSON schema (money as float 万元); keys in gold order."""
    doc = ex.document
    staffing = ex.staffing
    projects = [_project(p) for p in ex.projects]
    citations: dict[str, list[str]] = {}
    for p in projects:
        for key in p["citation_locations"]:
            names = citations.setdefault(key, [])
            if p["name"] not in names:
                names.append(p["name"])
    return {
        "source": Path(doc.path).name,
        "document": {
            "department": doc.department,
            "short_names": list(doc.short_names),
            "region": doc.region,
            "year": doc.year,
            "phase": doc.phase,
            "contact_phone": doc.contact_phone,
        },
        "units": [{"code": u.code, "name": u.name} for u in ex.units],
        "offices": list(ex.offices),
        "staffing": {
            k: getattr(staffing, k) if staffing else None
            for k in ("authorized_total", "authorized_admin", "authorized_institution", "actual_total",
                      "actual_admin", "actual_institution", "retired_total")
        },
        "totals": {t.key: _money(t.amount) for t in ex.totals},
        "functional_lines": [
            _line(li) for li in ex.line_items if li.classification == FUNCTIONAL and li.role == "expenditure"
        ],
        "functional_lines_other": [
            _line(li) for li in ex.line_items if li.classification == FUNCTIONAL and li.role in ("gpb_expenditure", "gov_fund", "state_capital")
        ],
        "economic_lines": _economic_lines(ex.line_items),
        "projects": projects,
        "department_indicators": [
            {**_indicator(i), "goal_type": i.goal_type, "unit": i.subject_unit} for i in ex.department_indicators
        ],
        "citations": citations,
        "inconsistencies": [f.message for f in ex.findings],
    }


# ---------------------------------------------------------------- scores


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


def _cents(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP) * 100)


def _multiset_score(kind: str, gold: Iterable[Hashable], got: Iterable[Hashable], note: str = "") -> KindScore:
    g, p = Counter(gold), Counter(got)
    tp = sum((g & p).values())
    return KindScore.from_counts(kind, tp, sum(p.values()) - tp, sum(g.values()) - tp, note)


def _names(project: dict) -> set[str]:
    return {n for n in map(squash_ascii_dot, [project.get("name"), *(project.get("aliases") or [])]) if n}


def _preference(g: dict, p: dict) -> tuple[bool, ...]:
    """Sorts first for the pair that agrees on main name, unit, amount and code."""
    return (
        squash_ascii_dot(g.get("name")) != squash_ascii_dot(p.get("name")),
        squash(g.get("unit")) != squash(p.get("unit")),
        _cents(g.get("amount")) != _cents(p.get("amount")),
        squash(g.get("code")) != squash(p.get("code")),
    )


def match_projects(gold: list[dict], got: list[dict]) -> dict[int, int]:
    """One-to-one matching ``{got index: gold index}`` of projects sharing a name or alias.

    Preferred pairs (same main name, same unit, same amount, same code) are taken
    first; augmenting paths then make the matching as large as possible, so a
    project that shares a name with two others never blocks a match.
    """
    gold_names = [_names(g) for g in gold]
    ranked = sorted(
        (_preference(gold[j], p), i, j)
        for i, p in enumerate(got)
        for j, names in enumerate(gold_names)
        if names & _names(p)
    )
    candidates: dict[int, list[int]] = {i: [] for i in range(len(got))}
    owner: dict[int, int] = {}  # gold index → got index
    for _, i, j in ranked:  # greedy, best-agreeing pairs first
        candidates[i].append(j)
        if j not in owner and i not in owner.values():
            owner[j] = i

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in candidates:
        if i not in owner.values():
            augment(i, set())
    return {i: j for j, i in owner.items()}


def _project_keys(gold: list[dict], got: list[dict], matched: dict[int, int]) -> tuple[list, list]:
    """A stable identity per project: the gold index (shared by its match) or a 'got' marker."""
    gold_keys = [("gold", j, squash_ascii_dot(g.get("name"))) for j, g in enumerate(gold)]
    got_keys = [
        gold_keys[matched[i]] if i in matched else ("got", i, squash_ascii_dot(p.get("name")))
        for i, p in enumerate(got)
    ]
    return gold_keys, got_keys


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
    return _cents(a) == _cents(b)


def _same_field(a: Any, b: Any) -> bool:
    return squash(a) == squash(b)


def score(gold: dict, got: dict) -> list[KindScore]:
    """Every kind in :data:`KINDS`, scoring ``got`` (a dict in the gold schema) against ``gold``."""
    gp, pp = gold.get("projects") or [], got.get("projects") or []
    matched = match_projects(gp, pp)
    gold_keys, got_keys = _project_keys(gp, pp, matched)
    same_amount = sum(_cents(gp[j].get("amount")) == _cents(pp[i].get("amount")) for i, j in matched.items())

    def lines(rows: list[dict], amount: str) -> list:
        return [(squash(r.get("code")), _cents(r.get(amount))) for r in rows or []]

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
        _score_fields("document", gold.get("document") or {}, got.get("document") or {}, DOCUMENT_FIELDS,
                      _same_field),
    ]


# ---------------------------------------------------------------- files and reports


@dataclass
class DocResult:
    """The scores of one gold file, or why it could not be scored."""

    gold: str
    document: str | None
    scores: list[KindScore] = field(default_factory=list)
    error: str | None = None

    @property
    def name(self) -> str:
        return Path(self.document or self.gold).name


@dataclass
class EvalReport:
    results: list[DocResult] = field(default_factory=list)

    def failures(self, thresholds: dict[str, float] | None = None) -> list[str]:
        """One line per document error and per (document, kind) below its threshold."""
        thresholds = THRESHOLDS if thresholds is None else thresholds
        out = [f"{r.name}: {r.error}" for r in self.results if r.error]
        for r in self.results:
            for s in r.scores:
                if s.kind in thresholds and s.value < thresholds[s.kind]:
                    out.append(f"{r.name}: {s.kind} {s.value:.3f} < {thresholds[s.kind]:.2f}")
        return out

    def ok(self, thresholds: dict[str, float] | None = None) -> bool:
        """Every document scored and every thresholded kind at or above its threshold, per document."""
        return bool(self.results) and not self.failures(thresholds)

    def as_dict(self) -> dict:
        return {
            "documents": [
                {"gold": r.gold, "document": r.document, "error": r.error,
                 "scores": {s.kind: asdict(s) for s in r.scores}}
                for r in self.results
            ],
            "thresholds": dict(THRESHOLDS),
            "ok": self.ok(),
        }

    def format_table(self) -> str:
        """Plain text: one row per (document, kind); project_amounts shows accuracy in P/R/F1."""
        header = ("document", "kind", "P", "R", "F1  ", "tp", "fp", "fn", "note")
        rows = []
        for r in self.results:
            if r.error:
                rows.append((r.name, "ERROR", "", "", "", "", "", "", r.error))
            for s in r.scores:
                mark = " *" if s.kind in THRESHOLDS and s.value < THRESHOLDS[s.kind] else "  "
                rows.append((r.name, s.kind, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}{mark}",
                             str(s.tp), str(s.fp), str(s.fn), s.note))
        widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
        right = {2, 3, 4, 5, 6, 7}

        def fmt(row: tuple) -> str:
            cells = [_pad(c, w, i in right) for i, (c, w) in enumerate(zip(row, widths))]
            return "  ".join(cells + [row[-1]]).rstrip()

        lines = [fmt(header), fmt(tuple("-" * w for w in widths) + ("",))] + [fmt(row) for row in rows]
        failures = self.failures()
        lines.append("")
        lines.append("OK: every threshold met" if self.ok() else
                     f"NOT OK ({len(failures)}; * = below threshold): " + "; ".join(failures or ["no documents"]))
        return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def find_shared(start: Path | None = None) -> Path | None:
    """The shared data folder (``seeds/``, ``eval/gold/``): ``$BUDGETKG_SHARED``, else the first
    ``shared/`` holding ``seeds/`` in ``start`` (default: the repository root) or one of its parents."""
    env = os.environ.get("BUDGETKG_SHARED")
    if env:
        return Path(env)
    start = (start or Path(__file__).resolve().parents[1]).resolve()
    return next((d / "shared" for d in [start, *start.parents] if (d / "shared" / "seeds").is_dir()), None)


def _doc_candidates(gold_path: Path, source: str | None) -> list[Path]:
    """Where a gold file's document may be: same stem beside it, in ../docs, ../seeds, ../../seeds, the shared
    seeds and pdfs, or as named."""
    from ingest.pipeline import SUFFIXES

    here = gold_path.parent
    folders = [here, here.parent / "docs", here.parent / "seeds", here.parent.parent / "seeds"]
    shared = find_shared()
    if shared is not None:
        folders += [shared / "seeds", shared / "pdfs"]
    names = [Path(source).name] if source else []
    stems = _unique([Path(source).stem] if source else []) + [gold_path.stem]
    names += [stem + suffix for stem in _unique(stems) for suffix in SUFFIXES]
    out = [folder / name for folder in folders for name in _unique(names)]
    if source:
        out.append((here / source).resolve())
    return [p for p in out if p != gold_path]


def find_document(gold_path: Path, gold: dict) -> Path | None:
    """The document a gold file annotates, or ``None`` when none of the usual places has it."""
    return next((p for p in _doc_candidates(gold_path, gold.get("source")) if p.is_file()), None)


def _pair_docs(gold_paths: list[Path], golds: list[dict], doc_paths: list[Path]) -> list[Path | None]:
    if len(gold_paths) == 1 and len(doc_paths) == 1:
        return [doc_paths[0]]
    by_stem = {p.stem: p for p in doc_paths}
    return [
        by_stem.get(g.stem) or by_stem.get(Path(d.get("source") or "").stem)
        for g, d in zip(gold_paths, golds)
    ]


def evaluate_files(gold_paths: list[Path], doc_paths: list[Path] | None = None) -> EvalReport:
    """Extract the document of each gold file and score it; a document that fails is reported, not raised."""
    from ingest.pipeline import extract

    gold_paths = [Path(p) for p in gold_paths]
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in gold_paths]
    if doc_paths is not None:
        docs = _pair_docs(gold_paths, golds, [Path(p) for p in doc_paths])
    else:
        docs = [find_document(p, g) for p, g in zip(gold_paths, golds)]
    report = EvalReport()
    for gold_path, gold, doc in zip(gold_paths, golds, docs):
        result = DocResult(str(gold_path), str(doc) if doc else None)
        report.results.append(result)
        if doc is None:
            result.error = f"no document found for {gold.get('source') or gold_path.stem}"
            continue
        try:
            got = extraction_to_gold(extract(doc))
        except Exception as exc:  # noqa: BLE001 - one bad document must not hide the others' scores
            result.error = f"{type(exc).__name__}: {exc}"
            continue
        result.scores = score(gold, got)
    return report

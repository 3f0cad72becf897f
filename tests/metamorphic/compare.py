"""Which expected records an extraction misses, which it adds, which differ: by kind, as readable lines.

The extraction is taken in the gold schema (``ingest.scoring.extraction_to_gold``) so that the comparison is
the scorer's view; names are compared with whitespace removed (the gold normalisation).
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from ingest.records import Extraction
from ingest.scoring import extraction_to_gold

_WS = re.compile(r"\s+")
REPAIR = re.compile(r"repair|修复|修正|还原", re.I)


def _name(s: str | None) -> str:
    return _WS.sub("", s or "")


def _money(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def _multiset_diff(kind: str, want: list[tuple], got: list[tuple]) -> list[str]:
    w, g = Counter(want), Counter(got)
    out = [f"{kind}: missing {t}" for t in sorted((w - g).elements(), key=str)]
    out += [f"{kind}: extra {t}" for t in sorted((g - w).elements(), key=str)]
    return out


def _lines(rows: list[dict]) -> list[tuple]:
    return [(r["code"], _name(r["name"]), _money(r["total"]), _money(r["basic"]), _money(r["project"]))
            for r in rows]


def three_public_role(item: str) -> str | None:
    """The 三公 part a printed item names (合计, 因公出国（境）, 公务用车购置及运行, 公务接待), else ``None``."""
    s = _name(item)
    if "合计" in s or "总" in s:
        return "total"
    if "出国" in s:
        return "abroad"
    if "接待" in s:
        return "reception"
    if "购置及运行" in s or s == "小计" or ("公务用车" in s and "购置费" not in s and "运行" not in s):
        return "car"
    return None


def _number(x) -> str | None:
    return None if x is None else format(Decimal(str(x)).normalize(), "f")


def _indicator(i) -> tuple:
    return (i.goal, _name(i.level1), _name(i.level2), _name(i.level3), _name(i.value_raw), i.comparator or None,
            _number(i.number), _name(i.unit) or None, _name(i.actual) or None)


def indicator_differences(ex: Extraction, want: dict[str, list]) -> list[str]:
    """Each project's indicators (by its name in the project table) against the model's: a form attached to a
    second copy of the project shows here as indicators missing."""
    out = []
    for name, rows in want.items():
        got = [_indicator(i) for p in ex.projects if _name(p.name) == _name(name) for i in p.indicators]
        out += _multiset_diff(f"indicators of {name}", [tuple(r) for r in rows], got)
    return out


def _findings_text(ex: Extraction) -> list[str]:
    return [" ".join([f.rule, f.message, *f.values]) for f in ex.findings if f.severity in ("warning", "error")]


def differences(ex: Extraction, want: dict) -> list[str]:
    """Every way the extraction differs from the expected records (empty when it reads the same)."""
    got = extraction_to_gold(ex)
    out: list[str] = []
    doc = got["document"]
    for key, value in want["document"].items():
        if doc.get(key) != value:
            out.append(f"document.{key}: expected {value!r}, got {doc.get(key)!r}")
    out += _multiset_diff("units", [tuple(u) for u in want["units"]],
                          [(u["code"], _name(u["name"])) for u in got["units"]])
    for key, value in want["totals"].items():
        actual = _money(got["totals"].get(key))
        if actual != _money(value):
            out.append(f"totals.{key}: expected {value}, got {actual}")

    damaged = want.get("damaged")
    dept_want = [tuple(x) for x in want["functional_lines"]]
    dept_got = _lines(got["functional_lines"])
    if damaged and damaged["kind"] == "beyond":
        # beyond repair: the line may be left out, never invented under another code
        lost = next(t for t in dept_want if t[0] == damaged["code"])
        if lost not in dept_got:
            dept_want.remove(lost)
    out += _multiset_diff("functional_lines", dept_want, dept_got)
    out += _multiset_diff("functional_lines_other (一般公共预算)", [tuple(x) for x in want["functional_lines_other"]],
                          _lines([r for r in got["functional_lines_other"]]))
    out += _multiset_diff("economic_lines", [(c, _money(a)) for c, a in want["economic_lines"]],
                          [(r["code"], _money(r["amount"])) for r in got["economic_lines"]])
    out += _multiset_diff("projects", [(_name(n), _money(a)) for n, a in want["projects"]],
                          [(_name(p["name"]), _money(p["amount"])) for p in got["projects"]])

    if "indicators" in want:
        out += indicator_differences(ex, want["indicators"])

    three: dict[str, float | None] = {}
    for t in ex.three_public:
        role = three_public_role(t.item)
        if role and role not in three:
            three[role] = _money(None if t.amount is None else float(t.amount))
    for role, value in want["three_public"].items():
        if three.get(role) != _money(value):
            out.append(f"three_public.{role}: expected {value}, got {three.get(role)}")

    if damaged:
        texts = _findings_text(ex)
        if damaged["kind"] == "repairable":
            if not any(REPAIR.search(t) and damaged["code"] in t for t in texts):
                out.append(f"findings: no warning that code cell {damaged['printed']!r} was repaired to "
                           f"{damaged['code']} ({damaged['name']})")
        elif not any(damaged["name"] in t for t in texts):
            out.append(f"findings: no warning about the damaged code cell {damaged['printed']!r} "
                       f"of {damaged['name']} (true code {damaged['code']})")
    return out

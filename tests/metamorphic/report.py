"""Pass/fail counts of the suite's variants on the parser as it is: per layout parameter value (drawn
variants), per single change (minimal variants), and the most common kinds of difference.

``python -m tests.metamorphic.report [--medium text|pdf] [--family tables|forms|pair] [--json FILE]`` (FILE:
each variant's differences).  Families: ``tables`` (the disclosure's tables), ``forms`` (with project
performance forms), ``pair`` (a 单位预算 and the 部门预算 of its department, ingested into one store).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from .check import run
from .variants import VARIANTS


def _kind(diff: str) -> str:
    """A difference without its values: ``totals.basic_expenditure``, ``functional_lines: missing`` …"""
    return re.split(r"(?<=missing)|(?<=extra)|: expected|: no |(?<=IngestError)", diff, maxsplit=1)[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.metamorphic.report")
    ap.add_argument("--medium", choices=("text", "pdf"))
    ap.add_argument("--family", choices=("tables", "forms", "pair"))
    ap.add_argument("--json", type=Path, help="write each variant's differences here")
    args = ap.parse_args(argv)
    results: dict[str, list[str]] = {}
    by_value: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    by_change: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    kinds: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for v in VARIANTS:
            if args.medium and v.medium != args.medium or args.family and (v.family or "tables") != args.family:
                continue
            try:
                diffs = run(v, Path(tmp) / v.id)
            except Exception as exc:  # an extraction error is a failure of the variant, reported as such
                diffs = [f"error: {type(exc).__name__}: {exc}"]
            results[v.id] = diffs
            kinds.update({_kind(d) for d in diffs})
            if (v.change or v.family) and not v.drawn:
                by_change[(v.medium, f"{v.family + ': ' if v.family else ''}{', '.join(v.changes())}")][bool(diffs)] += 1
                continue
            params = v.layout().params()
            for key in ("titles", "break_at", "medium"):
                params.pop(key)
            for key, value in params.items():
                by_value[(v.medium, key, str(value))][bool(diffs)] += 1
    passed = sum(not d for d in results.values())
    print(f"{passed} of {len(results)} variants pass\n")
    print("Drawn variants, by parameter value:\n\n| medium | parameter | value | pass | fail |\n|---|---|---|---|---|")
    for (medium, key, value), (ok, bad) in sorted(by_value.items()):
        print(f"| {medium} | {key} | {value} | {ok} | {bad} |")
    print("\nMinimal variants (default layout, one change; a family's own settings first):\n\n| medium | change | pass | fail |\n|---|---|---|---|")
    for (medium, change), (ok, bad) in sorted(by_change.items()):
        print(f"| {medium} | {change} | {ok} | {bad} |")
    print("\n| difference | variants |\n|---|---|")
    for kind, n in kinds.most_common():
        print(f"| {kind} | {n} |")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Pass/fail counts of the variants per layout parameter value, on the parser as it is.

``python -m tests.metamorphic.report [--medium text|pdf] [--json FILE]``: runs every variant of the suite
(:mod:`.variants`), prints a table (parameter, value, passed, failed) and the most common kinds of difference.
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
from .render import variant
from .variants import VARIANTS


def _kind(diff: str) -> str:
    """A difference without its values: ``totals.basic_expenditure``, ``functional_lines: missing`` …"""
    return re.split(r"(?<=missing)|(?<=extra)|: expected|: no ", diff, maxsplit=1)[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.metamorphic.report")
    ap.add_argument("--medium", choices=("text", "pdf"))
    ap.add_argument("--json", type=Path, help="write each variant's differences here")
    args = ap.parse_args(argv)
    results: dict[str, list[str]] = {}
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    kinds: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for medium, seed in VARIANTS:
            if args.medium and medium != args.medium:
                continue
            try:
                diffs = run(seed, medium, Path(tmp) / f"{medium}-{seed}")
            except Exception as exc:  # an extraction error is a failure of the variant, reported as such
                diffs = [f"error: {type(exc).__name__}: {exc}"]
            results[f"{medium}-{seed}"] = diffs
            kinds.update({_kind(d) for d in diffs})
            _, lay = variant(seed, medium)
            params = lay.params()
            params.pop("titles")
            params.pop("break_at")
            for key, value in params.items():
                counts[(key, str(value))][bool(diffs)] += 1
    passed = sum(not d for d in results.values())
    print(f"{passed} of {len(results)} variants pass\n")
    print("| parameter | value | pass | fail |\n|---|---|---|---|")
    for (key, value), (ok, bad) in sorted(counts.items()):
        print(f"| {key} | {value} | {ok} | {bad} |")
    print("\n| difference | variants |\n|---|---|")
    for kind, n in kinds.most_common():
        print(f"| {kind} | {n} |")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

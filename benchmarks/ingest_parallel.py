"""Files/s of a batch ingest, sequential vs on a local Dask cluster of 2 workers, side by side in one run.

Each round ingests the same batch twice into fresh temporary stores, each in a fresh child process (so both
pay the imports and the embedding model's load the same way: the sequential path once, each Dask worker once):
(a) ``BudgetKG.ingest(files)``, (b) ``BudgetKG.ingest(files, cluster=Cluster(workers=N))``, the cluster's
start and shutdown included.  Rounds interleave so that a noisy machine slows both alike; medians are
reported, with the ratio of files/s (Dask / sequential) and whether both stored the same documents.  No
embeddings (ingest queues the passages either way).  A line also gives the embedding model's load, paid
once per process that reads titles no wording names.

Usage::

    python benchmarks/ingest_parallel.py                 # the shared PDFs, the samples and the fixtures, 3 rounds
    python benchmarks/ingest_parallel.py --synth 120     # 120 synthetic text exports (benchmarks/synth.py)
    python benchmarks/ingest_parallel.py --workers 4 a.pdf b.pdf --rounds 1
    python benchmarks/ingest_parallel.py --tiny          # two small fixtures, one round (tests)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import synth  # noqa: E402

TINY = ("100_hanyang_civil_2024_final.txt", "101_qiaokou_edu_2025_budget.txt")  # no embedding model needed


def default_batch() -> list[Path]:
    """The shared PDFs (if there), the two samples and the fixture documents."""
    from ingest.scoring import find_shared

    shared = find_shared(ROOT)
    pdfs = sorted((shared / "pdfs").glob("*.pdf")) if shared else []
    return [*pdfs, *sorted((ROOT / "samples").glob("*.txt")), *sorted((ROOT / "tests/fixtures/docs").glob("*.txt"))]


def one(mode: str, workers: int, files: list[str]) -> dict:
    """In this (child) process: one ingest of ``files`` into a fresh store; its seconds and documents."""
    from kg.api import BudgetKG
    from kg.settings import Cluster

    with tempfile.TemporaryDirectory(prefix="budgetkg-bench-") as tmp:
        start = time.perf_counter()
        with BudgetKG(Path(tmp) / "store") as kg:
            results = kg.ingest(files, cluster=Cluster(workers=workers) if mode == "dask" else None)
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "results": [[r.path.name, r.doc_id, r.triples, r.error_code] for r in results]}


def model_load() -> dict:
    """In this (child) process: seconds to load the embedding model for title similarities and use it once."""
    from kg.embed.similarity import text_similarity

    start = time.perf_counter()
    text_similarity(None)(["一般公共预算支出表"], ["部门收支总表"])
    return {"seconds": time.perf_counter() - start}


def child(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        sys.exit(f"child {args[:2]} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--synth", type=int, metavar="N", help="N synthetic text exports as the batch")
    ap.add_argument("--tiny", action="store_true")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        mode, *rest = args.child
        out = model_load() if mode == "model" else one(mode, int(rest[0]), rest[1:])
        print(json.dumps(out))
        return 0
    with tempfile.TemporaryDirectory(prefix="budgetkg-synth-") as tmp:
        files = args.files or (synth.write(args.synth, Path(tmp)) if args.synth else
                               [ROOT / "tests/fixtures/docs" / name for name in TINY] if args.tiny else default_batch())
        missing = [f for f in files if not f.is_file()]
        if missing:
            print(f"no such file: {', '.join(map(str, missing))}", file=sys.stderr)
            return 2
        return compare(files, 1 if args.tiny else args.rounds, args.workers)


def compare(files: list[Path], rounds: int, workers: int) -> int:
    """Sequential and Dask ingests of ``files``, ``rounds`` times interleaved; prints medians and the ratio."""
    names = [str(f) for f in files]
    seq, par, same = [], [], True
    for _ in range(rounds):
        a = child("seq", str(workers), *names)
        b = child("dask", str(workers), *names)
        seq.append(a["seconds"])
        par.append(b["seconds"])
        same = same and a["results"] == b["results"]
    s, p = median(seq), median(par)
    n = len(files)
    print(f"batch: {n} files, {rounds} round(s), medians")
    print(f"sequential: {s:.2f} s, {n / s:.2f} files/s")
    print(f"dask {workers} workers: {p:.2f} s, {n / p:.2f} files/s (cluster start and shutdown included)")
    print(f"ratio dask/sequential files/s: {s / p:.2f}; same documents: {'yes' if same else 'NO'}")
    print(f"embedding model load (once per process that needs it): {child('model')['seconds']:.2f} s")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

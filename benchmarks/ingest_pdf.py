"""How fast PDF ingest is, next to a bare pdfplumber pass over the same files.

In one process, each round runs (a) pdfplumber alone (``extract_text`` + ``extract_tables`` on every
page) and then (b) our full ingest (read + parse + map + store into a temporary store, then the search
indexes: passages and BM25, and the embedding of every passage), once per worker count asked for.  Rounds
interleave so that a noisy machine slows both alike; the medians are reported, with pages/s and the ratio
ours/bare of wall time, without the indexes (target ≤ 1.3) and with them (issue 16: ≤ 2), and of CPU time
(workers included; steadier on a busy machine, and the work done whatever the core count).  The
embedding model is loaded before the timings (a warm cache, as in steady use).

Usage::

    python benchmarks/ingest_pdf.py                      # the five PDFs in shared/pdfs, 3 rounds
    python benchmarks/ingest_pdf.py --workers 1,2 a.pdf  # given files, sequential and 2 workers
    python benchmarks/ingest_pdf.py --tiny               # the smallest shared PDF, one round (tests)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET, TARGET_WITH_INDEXES = 1.3, 2.0


def shared_pdfs() -> list[Path]:
    """The PDFs in the shared data folder (``ingest.scoring.find_shared``), sorted; empty if none."""
    from ingest.scoring import find_shared

    shared = find_shared(ROOT)
    return sorted((shared / "pdfs").glob("*.pdf")) if shared else []


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the page workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def bare(paths: list[Path]) -> tuple[float, float, int]:
    """Wall and CPU seconds for pdfplumber's text and tables of every page, and the pages seen."""
    import pdfplumber

    pages = 0
    cpu, start = cpu_seconds(), time.perf_counter()
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                page.close()
                pages += 1
    return time.perf_counter() - start, cpu_seconds() - cpu, pages


@dataclass
class Stages:
    """Seconds of one run of our ingest, by stage."""

    extract: float = 0.0  # read the PDF + parse into records
    map: float = 0.0
    store: float = 0.0
    index: float = 0.0  # passages read back, BM25
    embed: float = 0.0  # every passage embedded (the default model's fast path)
    cpu: float = 0.0  # CPU seconds, workers included
    triples: int = 0
    passages: int = 0

    @property
    def total(self) -> float:
        return self.extract + self.map + self.store

    @property
    def with_indexes(self) -> float:
        return self.total + self.index + self.embed


def ours(paths: list[Path], workers: int | None) -> Stages:
    """Our ingest of ``paths`` into a fresh temporary store: extract → map → store → index, as
    :meth:`kg.api.BudgetKG.ingest_file` does, then the embedding of the passages.  The store's opening is
    not timed."""
    from ingest.pipeline import extract
    from ingest.reader_pdf import WORKERS_ENV
    from kg.mapping import map_extraction
    from kg.search import SearchIndex
    from kg.store import Store

    saved = os.environ.get(WORKERS_ENV)
    if workers is not None:
        os.environ[WORKERS_ENV] = str(workers)
    out = Stages()
    try:
        with tempfile.TemporaryDirectory(prefix="budgetkg-bench-") as tmp, Store(Path(tmp) / "store") as store:
            index = SearchIndex(store)
            cpu = cpu_seconds()
            for path in paths:
                t0 = time.perf_counter()
                ex = extract(path)
                t1 = time.perf_counter()
                graph = map_extraction(ex, store.base)
                t2 = time.perf_counter()
                out.triples += store.replace_document(ex, graph)
                t3 = time.perf_counter()
                index.update_document(ex.document.doc_id)
                t4 = time.perf_counter()
                out.extract, out.map, out.store = out.extract + t1 - t0, out.map + t2 - t1, out.store + t3 - t2
                out.index += t4 - t3
            t5 = time.perf_counter()
            out.passages = index.embed_pending()
            out.embed = time.perf_counter() - t5
            out.cpu = cpu_seconds() - cpu
            index.close()
    finally:
        if saved is None:
            os.environ.pop(WORKERS_ENV, None)
        else:
            os.environ[WORKERS_ENV] = saved
    return out


@dataclass
class Result:
    label: str
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    runs: list[Stages] = field(default_factory=list)

    def stage(self, name: str) -> float:
        return median(getattr(r, name) for r in self.runs)


def run(paths: list[Path], rounds: int, worker_counts: list[int | None]) -> tuple[Result, list[Result], int]:
    """``rounds`` rounds of: bare, then ours for each worker count."""
    import ingest.pipeline  # noqa: F401 - imports outside the timings
    import kg.mapping  # noqa: F401
    from kg.embed import load_encoder

    load_encoder()  # the model, exported once per machine, loaded outside the timings

    base = Result("bare")
    mine = [Result(f"workers={w if w is not None else 'default'}") for w in worker_counts]
    pages = 0
    for r in range(1, rounds + 1):
        t, cpu, pages = bare(paths)
        base.times.append(t)
        base.cpu.append(cpu)
        line = [f"round {r}: bare {t:.2f} s"]
        for res, w in zip(mine, worker_counts):
            stages = ours(paths, w)
            res.times.append(stages.total)
            res.cpu.append(stages.cpu)
            res.runs.append(stages)
            line.append(f"ours[{res.label}] {stages.total:.2f} s, with indexes {stages.with_indexes:.2f} s")
        print(", ".join(line), flush=True)
    return base, mine, pages


def parse_workers(text: str | None) -> list[int | None]:
    if not text:
        return [None]
    return [int(w) for w in text.split(",") if w.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdfs", nargs="*", type=Path, help="PDF files (default: shared/pdfs/*.pdf)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians are reported (default 3)")
    ap.add_argument("--workers", help="worker counts for our ingest, comma-separated, e.g. 1,2 "
                                      "(default: $BUDGETKG_WORKERS or the CPU count)")
    ap.add_argument("--tiny", action="store_true", help="the smallest PDF, one round (for the test suite)")
    args = ap.parse_args(argv)

    from ingest.reader_pdf import WORKERS_ENV, worker_count

    paths = args.pdfs or shared_pdfs()
    if not paths:
        print("no PDFs given and none found in shared/pdfs", file=sys.stderr)
        return 2
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    rounds = args.rounds
    if args.tiny:
        paths, rounds = [min(paths, key=lambda p: p.stat().st_size)], 1
    counts = parse_workers(args.workers)

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{len(paths)} PDF(s): {', '.join(p.name for p in paths)}")
    print(f"{rounds} round(s); {cpus} CPUs; default workers {worker_count(10**6)} "
          f"({WORKERS_ENV}={os.environ.get(WORKERS_ENV, 'unset')})", flush=True)
    base, mine, pages = run(paths, rounds, counts)

    b, b_cpu = median(base.times), median(base.cpu)
    print(f"bare pdfplumber (text + tables): {b:.2f} s (cpu {b_cpu:.2f} s), {pages / b:.1f} pages/s "
          f"over {pages} pages")
    for res in mine:
        t = median(res.times)
        print(f"ours {res.label}: {t:.2f} s (cpu {median(res.cpu):.2f} s), {pages / t:.1f} pages/s "
              f"(extract {res.stage('extract'):.2f} s, map {res.stage('map'):.2f} s, "
              f"store {res.stage('store'):.2f} s; {res.runs[-1].triples} triples)")
        print(f"ours {res.label} with indexes: {res.stage('with_indexes'):.2f} s (index {res.stage('index'):.2f} s, "
              f"embed {res.stage('embed'):.2f} s: {res.runs[-1].passages} passages, "
              f"{res.runs[-1].passages / max(res.stage('embed'), 1e-9):.1f} passages/s)")
    for res in mine:
        ratio = median(res.times) / b
        verdict = "ok" if ratio <= TARGET else "over target"
        print(f"ratio ours/bare [{res.label}]: {ratio:.2f} (target <= {TARGET}: {verdict}); "
              f"cpu {median(res.cpu) / b_cpu:.2f}")
        ratio = res.stage("with_indexes") / b
        verdict = "ok" if ratio <= TARGET_WITH_INDEXES else "over target"
        print(f"ratio ours with indexes/bare [{res.label}]: {ratio:.2f} (target <= {TARGET_WITH_INDEXES:g}: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

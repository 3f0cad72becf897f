"""The default model's fast path (ONNX Runtime, int8 weights) next to sentence-transformers, in one run.

On the same passages (those of the five shared PDFs; the bundled samples without them) each round embeds
them with (a) the sentence-transformers path and (b) the fast path; rounds interleave so that a noisy
machine slows both alike, and the medians give passages/s and the ratio fast/torch (goal >= 5x).  Then the
cosine of each passage's two vectors (goal: mean >= 0.99), and the relevance of every judged query file
on a store built with each path (recall@5 and MRR of hybrid and dense; goal: within 0.01).

Usage::

    python benchmarks/embed.py             # 3 rounds, every judged query file
    python benchmarks/embed.py --tiny      # 32 passages of the samples, one round, no relevance (tests)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SPEED_GOAL, COSINE_GOAL, RELEVANCE_GOAL = 5.0, 0.99, 0.01
SAMPLES = ROOT / "samples"


def _shared() -> Path | None:
    from ingest.scoring import find_shared

    return find_shared(ROOT)


def query_files(shared: Path | None) -> list[tuple[Path, list[Path]]]:
    """Each judged query file with the documents it is judged over (as the tests read them)."""
    own = ROOT / "tests" / "fixtures"
    out = []
    if shared and (shared / "eval" / "queries.jsonl").is_file():
        out.append((shared / "eval" / "queries.jsonl", [SAMPLES]))
    out.append((own / "queries_extra.jsonl", [SAMPLES, *sorted((own / "docs").glob("*.txt"))]))
    return out


def passages(files: list[Path], workdir: Path) -> list[str]:
    """The search passages of ``files``, read into a store of their own (not embedded)."""
    from kg.api import BudgetKG
    from kg.search.passages import document_passages

    with BudgetKG.open(workdir / "passages") as kg:
        results = kg.ingest(files)
        bad = [r.message for r in results if not r.ok]
        if bad:
            raise SystemExit("cannot ingest: " + "; ".join(bad))
        return [p.text for d in kg.documents() for p in document_passages(kg.store, d.doc_id)]


def time_encoders(texts: list[str], rounds: int) -> dict:
    from kg.embed import TORCH_MODEL, load_encoder

    loads = {}
    for name, model in (("torch", TORCH_MODEL), ("fast", None)):
        t0 = time.perf_counter()
        loads[name] = (load_encoder(model), time.perf_counter() - t0)
    torch_enc, fast_enc = loads["torch"][0], loads["fast"][0]
    fast_enc.encode_documents(texts[:4])  # first-call setup, for both
    torch_enc.encode_documents(texts[:4])
    seconds: dict[str, list[float]] = {"torch": [], "fast": []}
    vectors = {}
    for _ in range(rounds):
        for name, enc in (("torch", torch_enc), ("fast", fast_enc)):
            t0 = time.perf_counter()
            vectors[name] = enc.encode_documents(texts)
            seconds[name].append(time.perf_counter() - t0)
    cos = (vectors["torch"] * vectors["fast"]).sum(axis=1)
    return {"load": {k: v[1] for k, v in loads.items()}, "seconds": {k: median(v) for k, v in seconds.items()},
            "cosine": cos}


def relevance(query_file: Path, files: list[Path], workdir: Path) -> dict[str, dict[str, dict[str, float]]]:
    """recall@5 and MRR of hybrid and dense over ``query_file`` on a store built with each path."""
    from kg.api import BudgetKG
    from kg.embed import TORCH_MODEL

    out = {}
    for name, model in (("torch", TORCH_MODEL), ("fast", None)):
        with BudgetKG.open(workdir / f"{query_file.stem}-{name}", model=model) as kg:
            kg.ingest(files)
            kg.embed()
            report = kg.evaluate_search(query_file)
        out[name] = {mode: {k: report.metrics[mode][k] for k in ("recall@5", "MRR")} for mode in ("hybrid", "dense")}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tiny", action="store_true", help="32 passages of the samples, one round, no relevance")
    args = ap.parse_args(argv)
    shared = _shared()
    pdfs = sorted((shared / "pdfs").glob("*.pdf")) if shared and not args.tiny else []
    rounds = 1 if args.tiny else args.rounds
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        texts = passages(pdfs or [SAMPLES], work)
        if args.tiny:
            texts = texts[:32]
        timed = time_encoders(texts, rounds)
        where = "the five shared PDFs" if pdfs else "the bundled samples"
        print(f"passages: {len(texts)} from {where}; {rounds} round(s), medians")
        print(f"load: torch {timed['load']['torch']:.2f} s, fast {timed['load']['fast']:.2f} s")
        rates = {k: len(texts) / v for k, v in timed["seconds"].items()}
        for name in ("torch", "fast"):
            print(f"{name:<6} {timed['seconds'][name]:8.2f} s  {rates[name]:8.1f} passages/s")
        ratio = rates["fast"] / rates["torch"]
        print(f"ratio fast/torch passages/s: {ratio:.2f}x (goal >= {SPEED_GOAL:.0f}x: "
              f"{'ok' if ratio >= SPEED_GOAL else 'under goal'})")
        cos = timed["cosine"]
        print(f"cosine fast vs torch: mean {cos.mean():.4f}, min {cos.min():.4f} (goal mean >= {COSINE_GOAL}: "
              f"{'ok' if cos.mean() >= COSINE_GOAL else 'under goal'})")
        if args.tiny:
            print("relevance: not measured (--tiny)")
        for query_file, files in [] if args.tiny else query_files(shared):
            scores = relevance(query_file, files, work)
            worst = max(abs(scores["fast"][m][k] - scores["torch"][m][k]) for m in scores["fast"]
                        for k in scores["fast"][m])
            for name in ("torch", "fast"):
                print(f"{query_file.name} {name:<6} " + "  ".join(
                    f"{mode} recall@5 {s['recall@5']:.3f} MRR {s['MRR']:.3f}" for mode, s in scores[name].items()))
            print(f"{query_file.name} largest difference {worst:.3f} (goal <= {RELEVANCE_GOAL}: "
                  f"{'ok' if worst <= RELEVANCE_GOAL + 1e-9 else 'over'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The dense index at a province's size: kg's ``DenseIndex`` past its HNSW threshold, against exact search.

``benchmarks/search.py`` measures the whole hybrid search up to ~100k passages (built through the real mapping
and store, which takes too long at 1M).  This one measures the part that changes with size, at any size: N
synthetic vectors (clustered as passages are: 300 a document, drawn around their document's topic, normalised,
float32, 384 dimensions) in kg's index as kg builds it past ``HNSW_THRESHOLD`` (HNSW, M = ``HNSW_M``, searched
at efSearch ``HNSW_EF_SEARCH``), beside FAISS flat (exact) on the same vectors:

- recall@10 of HNSW against exact, and p50/p95 of an unfiltered search;
- filtered searches as hybrid search runs them (the filter's documents → allowed ids, scored exactly over
  HNSW's own storage): one document (a department's year), one department (24 documents), one year of every
  department (1/12 of the corpus), with the top 10 compared to exact search over the same ids;
- each timing with and without the query embedding (the default encoder, on a real query text).

Usage::

    python benchmarks/dense_scale.py --passages 1000000
    python benchmarks/dense_scale.py --tiny
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PER_DOC, DOCS_PER_DEPT, DIM = 300, 24, 384
TARGET_MS = 100.0
QUERIES = ("医疗救助资金", "三公经费支出情况", "基本公共卫生服务项目", "义务教育公用经费", "法律援助办案补贴",
           "公共文化服务体系建设", "城市最低生活保障金", "机关运行经费", "政府采购预算", "项目支出绩效目标")


def corpus(n: int, rng: np.random.Generator, per_doc: int = PER_DOC) -> np.ndarray:
    """``n`` unit vectors: a topic per document (``per_doc`` passages in a row), each passage its topic plus
    noise (as a document's passages are near each other), built in chunks."""
    docs = -(-n // per_doc)
    topics = rng.standard_normal((docs, DIM), dtype=np.float32)
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        v = topics[np.arange(start, stop) // per_doc] + 1.2 * rng.standard_normal((stop - start, DIM),
                                                                                   dtype=np.float32)
        out[start:stop] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--passages", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--tiny", action="store_true", help="3k vectors, the HNSW threshold lowered (tests)")
    args = ap.parse_args(argv)
    import faiss

    from kg.embed import load_encoder
    from kg.search.dense import HNSW_THRESHOLD, DenseIndex

    n, threshold = (3_000, 1_000) if args.tiny else (args.passages, HNSW_THRESHOLD)
    rng = np.random.default_rng(16)
    vectors = corpus(n, rng)
    queries = vectors[rng.choice(n, args.queries, replace=False)] + 0.05 * rng.standard_normal(
        (args.queries, DIM), dtype=np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    encoder = load_encoder(None)
    texts = [QUERIES[i % len(QUERIES)] for i in range(args.queries)]
    with tempfile.TemporaryDirectory() as tmp:
        index = DenseIndex(Path(tmp), hnsw_threshold=threshold)
        t = time.perf_counter()
        for start in range(0, n, 50_000):  # as ingest adds them: past the threshold the index turns HNSW
            stop = min(n, start + 50_000)
            index.add(list(range(start, stop)), vectors[start:stop])
        build = time.perf_counter() - t
        exact = faiss.IndexFlatIP(DIM)
        exact.add(vectors)
        timed(index, exact, vectors, queries, texts, encoder, n, threshold, build)
        index.close()
    return 0


def timed(index, exact, vectors, queries, texts, encoder, n, threshold, build) -> None:
    """Every search timed on one thread, as kg searches (``one_thread``)."""
    from kg.search.dense import HNSW_EF_SEARCH, HNSW_M, one_thread

    with one_thread():
        encoder.encode_queries([texts[0]])  # loaded and warm before timing
        embed_ms = []
        for text in texts:
            t = time.perf_counter()
            encoder.encode_queries([text])
            embed_ms.append((time.perf_counter() - t) * 1000)
        print(f"corpus: {n:,} vectors ({-(-n // PER_DOC):,} documents of {PER_DOC}); kg's index "
              f"{'HNSW' if index.is_hnsw else 'flat'} (threshold {threshold:,}, M={HNSW_M}, efSearch "
              f"{HNSW_EF_SEARCH}) built in {build:.0f} s")
        print(f"query embedding alone          p50 {pct(embed_ms, .5):7.2f} ms  p95 {pct(embed_ms, .95):7.2f} ms")
        results = {}
        plain_ms, hits = [], 0
        for q in queries:
            t = time.perf_counter()
            found = [i for i, _ in index.search(q, 10)]
            plain_ms.append((time.perf_counter() - t) * 1000)
            truth = exact.search(q.reshape(1, -1), 10)[1][0]
            hits += len(set(found) & set(truth.tolist()))
        results["no filter"] = (plain_ms, hits / (10 * len(queries)))
        docs = -(-n // PER_DOC)
        depts = max(1, docs // DOCS_PER_DEPT)
        for name, allowed_docs in (("one document", lambda d: [d % docs]),
                                   ("one department", lambda d: range((d % depts) * DOCS_PER_DEPT,
                                                                      min(docs, (d % depts + 1) * DOCS_PER_DEPT))),
                                   ("one year of all", lambda d: range(d % min(12, docs), docs, 12))):
            ms, hits = [], 0
            for j, q in enumerate(queries):
                ids = np.concatenate([np.arange(k * PER_DOC, min(n, (k + 1) * PER_DOC)) for k in allowed_docs(j)])
                t = time.perf_counter()
                found = [i for i, _ in index.search(q, 10, allowed=ids)]
                ms.append((time.perf_counter() - t) * 1000)
                truth = ids[np.argsort(-(vectors[ids] @ q))[:10]]
                hits += len(set(found) & set(truth.tolist()))
            results[f"filtered, {name}"] = (ms, hits / (10 * len(queries)))
        worst = 0.0
        for name, (ms, recall) in results.items():
            total = [a + b for a, b in zip(ms, embed_ms)]
            worst = max(worst, pct(total, .95)) if name.startswith("filtered") else worst
            print(f"{name:<30} p50 {pct(ms, .5):7.2f} ms  p95 {pct(ms, .95):7.2f} ms  with the query embedding "
                  f"p95 {pct(total, .95):7.2f} ms  recall@10 vs exact {recall:.3f}")
        print(f"filtered dense search p95 with the query embedding, worst filter: {worst:.1f} ms "
              f"(target < {TARGET_MS:.0f} ms: {'ok' if worst < TARGET_MS else 'over target'}) over {n:,} vectors")


if __name__ == "__main__":
    sys.exit(main())

"""Full hybrid search at a million passages: SPARQL filter, BM25, dense and fusion, beside exact search.

``benchmarks/search.py`` builds its passages through the mapping (100k at most here); ``dense_scale.py`` times
the dense index alone.  This one times ``kg.search.search`` as users run it over N passages:

- the store: :mod:`benchmarks.synth` documents loaded as ``benchmarks/queries.py`` loads them (about 360
  documents at 1M triples), so every filter runs its SPARQL on a real store;
- the passages: each document's own (``document_passages``), then synthetic ones until N: 2–3 sentences of
  that document's passages joined, with the subject and place of the passage the first came from (the
  generator's vocabulary, the document's own names).  A passage's BM25 tokens are its sentences' tokens
  (each sentence cut once by the lexical index's tokenizer: jieba over 1M passages would take an hour);
  the lexical and dense indexes are written as ingest writes them and opened through ``BudgetKG``;
- the vectors: synthetic, clustered by document (``dense_scale.corpus``), in kg's ``DenseIndex`` (HNSW past
  its threshold); the query embedding is real (the default encoder) and inside every timing.

Timed (p50/p95, ms): no filter, and three filters (department + year; a department; phase + year: in
turn over the documents), with the parts apart (the filter's row mask, BM25, dense) and BM25 scored the
old way (bm25s' ``weight_mask`` over every row) beside the way kg scores it.  Each hit list is compared with
the same search over exact dense rankings (a flat copy of the vectors): HNSW is the one approximate part, so
filtered lists must be identical and unfiltered ones give a recall@10.

Usage::

    python benchmarks/hybrid_scale.py --passages 1000000 --keep DIR   # DIR/store kept: later runs only time
    python benchmarks/hybrid_scale.py --tiny                          # 48 documents, 6k passages (tests)
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import dense_scale, queries  # noqa: E402
from benchmarks import search as search_bench  # noqa: E402
from benchmarks.search import timed  # noqa: E402

TARGET_MS = 100.0
SENTENCE = re.compile(r"[。；;\n]")


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q * 100))


# --- building ------------------------------------------------------------------------------------------

def passages_for(store, doc_id: str, n: int, rng: random.Random, lexical, token_cache: dict) -> list:
    """``doc_id``'s own passages, then synthetic ones of its sentences until ``n``; each with its tokens."""
    from kg.search import document_passages
    from kg.search.dense import PassageRow
    from kg.search.lexical import tokenize

    def tokens(sentence: str) -> list[str]:
        if sentence not in token_cache:
            token_cache[sentence] = tokenize(sentence, lexical.tk)
        return token_cache[sentence]

    own = document_passages(store, doc_id)
    rows = [(p, [t for s in SENTENCE.split(p.text) for t in tokens(s)]) for p in own]
    sentences = [(s.strip(), p) for p in own for s in SENTENCE.split(p.text) if len(s.strip()) >= 6]
    graph = store.doc_graph(doc_id)
    for k in range(max(0, n - len(own))):
        picked = rng.sample(sentences, min(len(sentences), rng.randint(2, 3)))
        text = "；".join(s for s, _ in picked)
        first = picked[0][1]
        row = PassageRow(f"{graph}/chunk/synthetic-{k}", doc_id, text, {**first.meta, "display": text, "kind": "chunk"})
        rows.append((row, [t for s, _ in picked for t in tokens(s)]))
    return rows


def build_index(store, n: int | None, rng: random.Random, hnsw_threshold: int | None = None) -> None:
    """``n`` passages over the store's documents (``None``: their own passages only) into
    ``{store}/search/``, as ingest leaves them (every passage embedded, with a synthetic vector), so that
    opening the index finds nothing to do."""
    from kg.search.dense import HNSW_THRESHOLD, DenseIndex
    from kg.search.lexical import LexicalIndex
    from kg.search.passages import PASSAGES_FORMAT, dictionary_names

    t0 = time.perf_counter()
    folder = Path(store.path) / "search"
    lexical = LexicalIndex(folder / "lexical")
    lexical.add_words(dictionary_names(store))
    dense = DenseIndex(folder, hnsw_threshold=hnsw_threshold or HNSW_THRESHOLD)
    docs = sorted(store.document_ids())
    per_doc = 0 if n is None else -(-n // len(docs))
    cache: dict[str, list[str]] = {}
    iris: list[str] = []
    for doc_id in docs:
        rows = passages_for(store, doc_id, 0 if n is None else min(per_doc, n - len(iris)), rng, lexical, cache)
        dense.set_document(doc_id, [p for p, _ in rows], save=False)
        # the tokens as LexicalIndex.add_documents keeps them, cut from the cached sentences
        lexical.docs[doc_id] = [[p.iri, p.text, toks] for p, toks in rows]
        iris += [p.iri for p, _ in rows]
    lexical._rebuild()  # one BM25 build and one write, as add_documents ends
    t1 = time.perf_counter()
    ids = dense.iri_ids(iris)
    vectors = dense_scale.corpus(len(iris), np.random.default_rng(16), per_doc=max(1, len(iris) // len(docs)))
    for start in range(0, len(iris), 50_000):
        part = [ids[iri] for iri in iris[start:start + 50_000]]
        dense.add(part, vectors[start:start + len(part)])
    dense.db.executemany("UPDATE passage SET embedded = 1 WHERE id = ?", [(i,) for i in ids.values()])
    dense.passages_format = PASSAGES_FORMAT  # made as document_passages makes them: opening keeps them
    dense.close()
    print(f"index: {len(iris):,} passages over {len(docs)} documents ({len(cache):,} distinct sentences "
          f"tokenised); lexical and rows {t1 - t0:.0f} s, vectors ({'HNSW' if dense.is_hnsw else 'flat'}) "
          f"{time.perf_counter() - t1:.0f} s", flush=True)


# --- timing --------------------------------------------------------------------------------------------

@contextlib.contextmanager
def exact_dense(dense):
    """``dense`` searching a flat copy of its vectors meanwhile (exact rankings)."""
    import faiss

    hnsw, ids = dense.index, dense.ids()
    storage = faiss.downcast_index(faiss.downcast_index(hnsw.index).storage) if dense.is_hnsw else None
    flat = faiss.IndexIDMap2(faiss.IndexFlatIP(dense.dim))
    vecs = (faiss.rev_swig_ptr(storage.codes.data(), storage.codes.size()).view(np.float32).reshape(-1, dense.dim)
            if storage is not None else np.vstack([hnsw.reconstruct(int(i)) for i in ids]))
    flat.add_with_ids(np.ascontiguousarray(vecs), ids)
    dense.index, dense._stored = flat, None
    try:
        yield
    finally:
        dense.index, dense._stored = hnsw, None


def filters_for(kg, n: int, rng: random.Random) -> list[tuple[str, dict]]:
    """``n`` filters in turn: department + year, department, phase + year (of drawn documents)."""
    docs = kg.documents()
    out = []
    for k in range(n):
        d = rng.choice(docs)
        out.append([("department + year", {"department": d.department, "year": d.year}),
                    ("department", {"department": d.department}),
                    ("phase + year", {"phase": d.phase, "year": d.year})][k % 3])
    return out


def bm25_weight_mask(lexical, query: str, k: int, mask) -> list[tuple[str, float]]:
    """BM25 as kg scored it before: bm25s over every row, times the filter's weight mask (equal scores in
    row order, as kg ranks them)."""
    from kg.search.lexical import tokenize

    vocab = lexical._bm25.vocab_dict
    tokens = [t for t in tokenize(query, lexical.query_tokenizer(query)) if t in vocab]
    if not tokens:
        return []
    scores = lexical._bm25.get_scores(tokens, weight_mask=None if mask is None else mask.astype(np.float32))
    rows = np.flatnonzero(scores > 0)
    rows = rows[np.argsort(-scores[rows], kind="stable")][:k]
    return [(lexical._iris[int(i)], float(scores[i])) for i in rows]


def measure(kg, n_queries: int, rng: random.Random) -> None:
    from kg.search import allowed_rows, search

    index = kg.search_index
    texts = [t for t in queries_texts() if t.strip()]
    qs = (texts * (1 + n_queries // len(texts)))[:n_queries]
    flts = filters_for(kg, n_queries, rng)
    search(index, qs[0], flts[0][1])  # warm: the model, the passage table, the dictionary table
    table = index.table()
    print(f"corpus: {len(index.dense):,} passages ({'HNSW' if index.dense.is_hnsw else 'flat'}) over "
          f"{len(kg.documents())} documents, {kg.store.count():,} quads; {len(qs)} queries", flush=True)

    rows = []
    embed_ms, qvecs = timed(lambda q: index.encoder.encode_queries([q])[0], qs)
    rows.append(("query embedding alone", embed_ms, ""))
    plain_ms, plain = timed(lambda q: search(index, q, None, top_k=10), qs)
    with exact_dense(index.dense):
        exact_plain = [search(index, q, None, top_k=10, qvec=v) for q, v in zip(qs, qvecs)]
    recall = np.mean([len({h.passage for h in a} & {h.passage for h in b}) / max(1, len(b))
                      for a, b in zip(plain, exact_plain) if b])
    rows.append(("hybrid, no filter", plain_ms, f"recall@10 vs exact dense {recall:.3f}"))
    worst = 0.0
    for kind in dict.fromkeys(name for name, _ in flts):
        mine = [(q, f) for q, (name, f) in zip(qs, flts) if name == kind]
        ms, hits = timed(lambda qf: search(index, qf[0], qf[1], top_k=10), mine)
        with exact_dense(index.dense):
            exact = [search(index, q, f, top_k=10) for q, f in mine]
        same = sum([h.passage for h in a] == [h.passage for h in b] for a, b in zip(hits, exact))
        masks_ms, masks = timed(lambda qf: allowed_rows(index, qf[1]), mine)
        size = int(np.median([m.sum() for m in masks]))
        lex = [m[:table.lexical_rows] for m in masks]
        bm_ms, bm = timed(lambda qm: index.lexical.search(qm[0], 100, qm[1]), list(zip(
            [q for q, _ in mine], lex)))
        old_ms, old = timed(lambda qm: bm25_weight_mask(index.lexical, qm[0], 100, qm[1]), list(zip(
            [q for q, _ in mine], lex)))
        bm_same = sum(a == b for a, b in zip(bm, old))
        dense_ms, _ = timed(lambda vm: index.dense.search(vm[0], 100, table.ids[vm[1] & (table.ids >= 0)]),
                            list(zip([qvecs[qs.index(q)] for q, _ in mine], masks)))
        worst = max(worst, pct(ms, .95))
        rows += [(f"hybrid, {kind}", ms, f"median {size:,} passages allowed; {sum(map(bool, hits))}/{len(hits)} "
                                         f"with hits; {same}/{len(hits)} identical to exact dense"),
                 ("  filter (SPARQL, mask)", masks_ms, ""),
                 ("  BM25, kg", bm_ms, f"same hits and scores as weight_mask {bm_same}/{len(bm)}"),
                 ("  BM25, weight_mask", old_ms, ""),
                 ("  dense, allowed", dense_ms, "")]
    for name, ms, note in rows:
        print(f"{name:<28} p50 {pct(ms, .5):8.2f} ms  p95 {pct(ms, .95):8.2f} ms" + (f"  ({note})" if note else ""))
    print(f"filtered hybrid p95, worst filter, query embedding included: {worst:.1f} ms "
          f"(target < {TARGET_MS:.0f} ms: {'ok' if worst < TARGET_MS else 'over target'}) over "
          f"{len(index.dense):,} passages")


def current_index(folder: Path) -> bool:
    """Whether the search index in ``folder`` holds passages of today's format (``PASSAGES_FORMAT``): opening
    one of another format re-reads every document's own passages, dropping the synthetic ones."""
    from kg.search.dense import stored_passages_format
    from kg.search.passages import PASSAGES_FORMAT

    return stored_passages_format(folder) == PASSAGES_FORMAT


def queries_texts() -> list[str]:
    return search_bench.query_texts() + list(dense_scale.QUERIES)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--passages", type=int, default=1_000_000)
    ap.add_argument("--triples", type=int, default=1_000_000, help="quads in the store (documents until then)")
    ap.add_argument("--queries", type=int, default=150, help="queries timed (a third per filter)")
    ap.add_argument("--tiny", action="store_true", help="48 documents, 6k passages, HNSW past 2k (tests)")
    ap.add_argument("--keep", type=Path, help="build the store and index in this folder once; later runs time")
    args = ap.parse_args(argv)
    from kg.api import BudgetKG

    target, max_docs, threshold = (args.triples, None, None)
    if args.tiny:
        args.passages, args.queries, target, max_docs, threshold = 6_000, 30, 10 ** 12, 48, 2_000
    rng = random.Random(16)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        path = folder / "store"
        if (path / "search").is_dir() and not current_index(path / "search"):
            print("index: made with another passages format, made again", flush=True)  # else opening re-reads it
            shutil.rmtree(path / "search")
        if not (path / "search" / "dense.faiss").is_file():
            with BudgetKG(path) as built:  # the store as ingest writes it; the index below, of its own
                store = built.store
                if not store.document_ids():
                    t = time.perf_counter()
                    queries.build_store(built, target, Path(tmp), max_docs, index=False)
                    print(f"store: {len(store.document_ids())} documents, {store.count():,} quads, built in "
                          f"{time.perf_counter() - t:.0f} s", flush=True)
                build_index(store, args.passages, rng, threshold)
        kg = BudgetKG.open(path)
        try:
            measure(kg, args.queries, rng)
        finally:
            kg.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

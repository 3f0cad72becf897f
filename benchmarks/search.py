"""How fast search is at 100k passages: filtered and unfiltered hybrid next to bare FAISS.

The corpus is synthetic, made by a generator from the real documents' vocabulary:

1. The real documents (``samples/*.txt`` and ``tests/fixtures/docs/*.txt``) are ingested into a
   temporary store the ordinary way; their search passages are the material.  ``--base`` of them
   are embedded with the real model (embedding runs at ~20 passages/s on 2 cores, so 100k real
   embeddings are out of reach; this benchmark is about search, not embedding).
2. Each synthetic document takes a real department kind (医疗保障局, 民政局, 教育局 with their short
   names), a real region (江岸区, 东西湖区, …), a year and a phase, a real project list, and chunks
   whose text joins 2–3 sentences drawn from the real passages, about a real project or the
   department.  A chunk's vector is the mean of the vectors of the base passages its sentences
   came from plus Gaussian noise, normalised: neighbours in meaning stay neighbours.
3. The documents go through the real mapping into the RDF store (so filters run in SPARQL over
   100k chunks), their passages are read back with ``kg.search.document_passages`` and indexed in
   bulk (one BM25 rebuild, vectors added as computed).

Measured, per query (the shared and our own judged query texts): ``kg.search.search`` as users run
it, query embedding included: with a filter (department short name + year, department, or phase +
year, in turn) and without; beside the query embedding alone, FAISS flat brute force without
filters, and HNSW (M=32, efSearch 64/256 and as kg uses it) with its recall@10 against flat; then filtered
hybrid again with kg's index turned HNSW (as past the threshold: the allowed vectors are scored exactly),
with how many hit lists equal flat's.  p50/p95 and the ratios
to flat brute force are printed side by side, with the HNSW threshold the flat timing suggests.

Usage::

    python benchmarks/search.py                 # 100k passages (a few minutes, mostly building)
    python benchmarks/search.py --passages 20000
    python benchmarks/search.py --tiny          # ~1k passages from the two samples (tests)
    python benchmarks/search.py --keep DIR      # build in DIR once; later runs with DIR only time
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import re
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_MS = 100.0
FLAT_BUDGET_MS = 25.0  # a flat scan slower than this is where HNSW should take over
CHUNKS_PER_DOC = 300
YEARS = tuple(range(2019, 2027))
PHASES = ("budget", "final_account")


# --- the real material ---------------------------------------------------------------------------

@dataclass
class Material:
    """What the generator draws from: sentences (with their base passage), names, vectors."""

    sentences: list[tuple[str, int]]  # (sentence, index into vectors)
    vectors: np.ndarray  # the embedded base passages
    orgs: list[tuple[str, tuple[str, ...]]]  # (department without its region, short names)
    regions: list[str]
    projects: list[str]
    queries: list[str]


def real_documents(tiny: bool) -> list[Path]:
    docs = sorted((ROOT / "samples").glob("*.txt"))
    return docs if tiny else docs + sorted((ROOT / "tests" / "fixtures" / "docs").glob("*.txt"))


def query_texts() -> list[str]:
    from ingest.scoring import find_shared

    files = [ROOT / "tests" / "fixtures" / "queries_extra.jsonl"]
    shared = find_shared(ROOT)
    if shared and (shared / "eval" / "queries.jsonl").is_file():
        files.insert(0, shared / "eval" / "queries.jsonl")
    return [json.loads(line)["query"] for f in files for line in f.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def read_material(kg, docs: list[Path], base: int, rng: random.Random) -> Material:
    """Ingest the real documents, embed ``base`` of their passages, split them into sentences."""
    from ingest.errors import IngestError
    from ingest.pipeline import extract
    from kg.mapping import map_extraction
    from kg.search import document_passages

    for path in docs:  # extract, map and store as ingest does; the indexes are filled later, in bulk
        try:
            ex = extract(path)
        except IngestError as exc:
            raise SystemExit(f"benchmark: {exc}") from None
        kg.store.replace_document(ex, map_extraction(ex, kg.store.base))
    passages = [p for d in kg.documents() for p in document_passages(kg.store, d.doc_id)]
    chosen = rng.sample(passages, min(base, len(passages)))
    vectors = kg.search_index.encoder.encode_documents([p.text for p in chosen])
    sentences = [(s.strip(), i) for i, p in enumerate(chosen)
                 for s in re.split(r"[。；;\n]", p.meta["display"]) if len(s.strip()) >= 6]
    orgs, regions = {}, set()
    for d in kg.documents():
        rows = kg.store.select(f"""SELECT ?r ?short WHERE {{ GRAPH <{kg.store.doc_graph(d.doc_id)}> {{
            ?g bgt:region ?r . ?b bgt:department ?dept . OPTIONAL {{ ?dept skos:altLabel ?short }} }} }}""")
        region = rows[0]["r"] if rows else ""
        regions.add(region)
        district = region.removeprefix("武汉市")
        shorts = {r["short"].replace(district, "{district}") for r in rows if r["short"]}
        orgs[d.department.removeprefix(region)] = tuple(sorted(shorts))
    projects = sorted({r["l"] for r in kg.store.select(
        "SELECT DISTINCT ?l WHERE { GRAPH ?g { ?p a bgt:Project ; rdfs:label ?l } }")})
    return Material(sentences, vectors, sorted(orgs.items()), sorted(regions), projects, query_texts())


@dataclass
class Kept:
    """What the timing needs of a synthetic document: the names and keys its filters use."""

    department: str
    short_names: list[str]
    year: int
    phase: str


# --- the generator -------------------------------------------------------------------------------

def synthetic_document(i: int, m: Material, rng: random.Random, chunks: int):
    """Document ``i``: an Extraction (real names recombined) and its chunks' vectors by chunk index."""
    from ingest.records import Chunk, Document, Extraction, Project, Provenance, Unit

    doc_id = f"{i:016x}"
    region = rng.choice(m.regions)
    org, shorts = rng.choice(m.orgs)
    district = region.removeprefix("武汉市")
    dept = region + org
    year, phase = rng.choice(YEARS), rng.choice(PHASES)
    unit = f"{dept}本级"
    names = rng.sample(m.projects, min(8, len(m.projects)))
    projects = tuple(Project(name=n, code=f"S{i:07d}P{k:02d}", unit=unit, amount=Decimal(rng.randint(1, 2000)),
                             provenance=Provenance(doc_id, line=10 + k)) for k, n in enumerate(names))
    texts, vectors = [], {}
    for k in range(chunks):
        picked = rng.sample(m.sentences, rng.randint(2, 3))
        vec = m.vectors[[j for _, j in picked]].mean(axis=0)
        vec = vec + np.random.default_rng(i * 100_003 + k).normal(0, 0.02, vec.shape)
        vectors[k] = (vec / np.linalg.norm(vec)).astype(np.float32)
        subject = rng.choice(names) if rng.random() < 0.7 else None
        kind = rng.choice(("goal", "legal_basis", "implementation")) if subject else rng.choice(("function", "explanation"))
        texts.append(Chunk("。".join(s for s, _ in picked) + "。", kind, "project" if subject else "department",
                           subject or dept, Provenance(doc_id, line=100 + k)))
    document = Document(doc_id, f"synthetic/{doc_id}.txt", f"{dept}{year}年部门{'预算' if phase == 'budget' else '决算'}",
                        dept, short_names=tuple(s.format(district=district) for s in shorts), region=region,
                        year=year, phase=phase, provenance=Provenance(doc_id, line=1))
    return Extraction(document=document, units=(Unit(unit, None, Provenance(doc_id, line=5)),),
                      projects=projects, chunks=tuple(texts)), vectors


def build_corpus(kg, m: Material, passages: int, rng: random.Random) -> list:
    """Synthetic documents into the store and both indexes; returns their Document records."""
    from kg.mapping import map_extraction
    from kg.search import document_passages

    index = kg.search_index
    documents, lexical, iris, vecs = [], {}, [], []
    for i in range(max(1, passages // CHUNKS_PER_DOC)):
        ex, chunk_vecs = synthetic_document(i, m, rng, CHUNKS_PER_DOC)
        kg.store.replace_document(ex, map_extraction(ex, kg.store.base))
        rows = document_passages(kg.store, ex.document.doc_id)
        index.dense.set_document(ex.document.doc_id, rows, save=False)
        lexical[ex.document.doc_id] = [(p.iri, p.text) for p in rows]
        by_subject: dict[str, list] = {}
        for p in rows:
            k = int(p.iri.rsplit("/", 1)[-1]) if "/chunk/" in p.iri else None
            if k is not None:
                by_subject.setdefault(p.meta["subject"], []).append(chunk_vecs[k])
        for p in rows:  # a project card: the mean of its chunks (or of the document's)
            if "/chunk/" in p.iri:
                vec = chunk_vecs[int(p.iri.rsplit("/", 1)[-1])]
            else:
                vec = np.mean(by_subject.get(p.meta["subject"]) or list(chunk_vecs.values()), axis=0)
                vec = vec / np.linalg.norm(vec)
            iris.append(p.iri)
            vecs.append(vec)
        documents.append(ex.document)
    index.lexical.add_documents(lexical)
    index.dense.add_vectors(iris, np.vstack(vecs).astype(np.float32))
    return documents


# --- timing --------------------------------------------------------------------------------------

def percentiles(ms: list[float]) -> tuple[float, float]:
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95))


def timed(fn, items) -> tuple[list[float], list]:
    out, ms = [], []
    for item in items:
        t0 = time.perf_counter()
        out.append(fn(item))
        ms.append((time.perf_counter() - t0) * 1000)
    return ms, out


def filters_for(documents: list, rng: random.Random, n: int) -> list[dict]:
    """``n`` filters users would give: department short name + year, department, phase + year, in turn."""
    out = []
    for k in range(n):
        d = rng.choice(documents)
        short = next((s for s in d.short_names if not s.startswith("区")), d.department)
        out.append([{"department": short, "year": d.year}, {"department": d.department},
                    {"phase": "决算" if d.phase == "final_account" else "预算", "year": d.year}][k % 3])
    return out


def run(passages: int, base: int, n_queries: int, tiny: bool, seed: int = 7, keep: str | None = None) -> None:
    import faiss

    from kg.api import BudgetKG
    from kg.search.dense import HNSW_EF_SEARCH, HNSW_M, one_thread
    from kg.search import search

    rng = random.Random(seed)
    with contextlib.ExitStack() as stack:
        folder = Path(keep) if keep else Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="budgetkg-bench-")))
        kg = BudgetKG.open(folder / "store")
        kept = folder / "corpus.json"
        t0 = time.perf_counter()
        if kept.is_file():  # --keep: a corpus built by an earlier run
            saved = json.loads(kept.read_text())
            documents, query_list = [Kept(**d) for d in saved["documents"]], saved["queries"]
            print(f"corpus: {len(kg.search_index.dense)} passages in {len(documents)} synthetic documents, "
                  f"kept in {folder}")
        else:
            m = read_material(kg, real_documents(tiny), base, rng)
            for d in kg.documents():  # the real documents were material only
                kg.store.delete_document(d.doc_id)
            documents = [Kept(d.department, list(d.short_names), d.year, d.phase)
                         for d in build_corpus(kg, m, passages, rng)]
            query_list = m.queries
            print(f"corpus: {len(kg.search_index.dense)} passages in {len(documents)} synthetic documents from "
                  f"{len(m.sentences)} real sentences ({len(m.vectors)} real passages embedded), "
                  f"built in {time.perf_counter() - t0:.0f} s")
            if keep:
                kg.search_index.dense.save()
                kept.write_text(json.dumps({"documents": [asdict(d) for d in documents], "queries": query_list},
                                           ensure_ascii=False))
        index = kg.search_index
        n = len(index.dense)

        queries = (query_list * (1 + n_queries // max(1, len(query_list))))[:n_queries]
        flts = filters_for(documents, rng, n_queries)
        search(index, queries[0], flts[0])  # warm: model, caches
        embed_ms, qvecs = timed(lambda q: index.encoder.encode_queries([q])[0], queries)
        qmat = np.vstack(qvecs).astype(np.float32)
        if index.dense.is_hnsw:
            raise SystemExit(f"benchmark: {n} passages is past the HNSW threshold; flat is measured below it")
        flat_ms, flat_hits = timed(lambda q: [i for i, _ in index.dense.search(q, 10)], qmat)
        plain_ms, _ = timed(lambda q: search(index, q, None, top_k=10), queries)
        filt_ms, filt_hits = timed(lambda qf: search(index, qf[0], qf[1], top_k=10), list(zip(queries, flts)))
        t1 = time.perf_counter()
        index.dense.convert(hnsw=True)  # as past the threshold: ANN recall, and filtered search on it
        hnsw_build = time.perf_counter() - t1
        recalls, hnsw_ms = {}, []
        with one_thread():
            for ef in (64, 256, HNSW_EF_SEARCH):  # kg's efSearch last: its timings are reported
                params = faiss.SearchParametersHNSW(efSearch=ef)
                hnsw_ms, found = timed(lambda q: index.dense.index.search(q.reshape(1, -1), 10, params=params)[1][0]
                                       .tolist(), qmat)
                recalls[ef] = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(flat_hits, found)]))
        hfilt_ms, hfilt_hits = timed(lambda qf: search(index, qf[0], qf[1], top_k=10), list(zip(queries, flts)))
        same = sum([h.passage for h in a] == [h.passage for h in b] for a, b in zip(filt_hits, hfilt_hits))
        index.dense.convert(hnsw=False)  # a kept corpus stays flat
        kg.close()

    rows = [("query embedding alone", embed_ms, ""), ("FAISS flat, no filter", flat_ms, ""),
            (f"FAISS HNSW M={HNSW_M} ef={HNSW_EF_SEARCH}", hnsw_ms,
             f"recall@10 vs flat {recalls[HNSW_EF_SEARCH]:.3f}, at ef=64 {recalls[64]:.3f}, 256 {recalls[256]:.3f}; "
             f"built in {hnsw_build:.0f} s"),
            ("hybrid, no filter", plain_ms, "embedding included"),
            ("hybrid, filtered", filt_ms, f"embedding included; {sum(map(bool, filt_hits))}/{len(filt_hits)} with hits"),
            ("hybrid, filtered, HNSW", hfilt_ms, f"allowed vectors scored exactly: {same}/{len(filt_hits)} "
                                                 "hit lists identical to flat")]
    for name, ms, note in rows:
        p50, p95 = percentiles(ms)
        print(f"{name:<24} p50 {p50:8.2f} ms  p95 {p95:8.2f} ms" + (f"  ({note})" if note else ""))
    flat95 = percentiles(flat_ms)[1]
    ratios = ", ".join(f"{name} {percentiles(ms)[1] / flat95:.1f}x" for name, ms, _ in rows[2:])
    print(f"p95 / FAISS flat p95: {ratios}")
    filt95 = percentiles(filt_ms)[1]
    print(f"filtered hybrid p95 {filt95:.1f} ms (target < {TARGET_MS:.0f} ms: "
          f"{'ok' if filt95 < TARGET_MS else 'over target'}) over {n} passages, {len(queries)} queries")
    print(f"flat brute force stays under {FLAT_BUDGET_MS:.0f} ms up to about "
          f"{int(n * FLAT_BUDGET_MS / max(flat95, 1e-3)):,} vectors (linear in size): the HNSW threshold")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--passages", type=int, default=100_000, help="Synthetic chunks (default 100000).")
    ap.add_argument("--base", type=int, default=600, help="Real passages embedded as the generator's base.")
    ap.add_argument("--queries", type=int, default=200, help="Queries timed per method.")
    ap.add_argument("--tiny", action="store_true", help="~1k passages from the two samples, 20 queries (tests).")
    ap.add_argument("--keep", metavar="DIR", help="Build the corpus in DIR and keep it; a later run with the same DIR "
                                                  "times it again without building.")
    args = ap.parse_args(argv)
    if args.tiny:
        args.passages, args.base, args.queries = 1_200, 12, 20
    run(args.passages, args.base, args.queries, args.tiny, keep=args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())

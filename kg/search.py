"""Hybrid search (DESIGN §7): structured filters first (SPARQL), then dense + lexical ranks fused.

Passages come from the graph, one document at a time (:func:`document_passages`):
- every narrative ``bgt:Chunk`` except indicator rows, as it is (its IRI, its subject);
- a project's or a department's indicator rows, de-duplicated and packed into passages of about
  ``PACK_CHARS`` characters (the IRI of the first row names the passage);
- a project's activity rows (项目测算: what, economic class, amount, basis), packed the same way;
- one card per project: its name, other names, unit, functional class and amount.
The subject's name is put before the text that is embedded and tokenised, so a passage is found
by its subject as well (``伤残军人医疗经费：报销准确率…``); hits show the text without it.

:class:`SearchIndex` keeps the FAISS and BM25 indexes in ``{store}/search/`` in step with the
graph; :func:`search` runs :func:`filter_query` when a filter is given, ranks the allowed
passages both ways and fuses the ranks by reciprocal rank fusion, by subject entity by default.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .filters import Allowed, Filters, allowed, squash
from .index import DenseIndex, PassageRow
from .lexical import LexicalIndex

PACK_CHARS = 300
RRF_K = 10  # measured on shared/eval/queries.jsonl: 10 ranks ahead of 60 on MRR (0.919 vs 0.913)
MODES = ("hybrid", "dense", "lexical")
SUBJECT_TYPES = {"Project": "project", "Department": "department", "BudgetUnit": "unit", "Office": "office",
                 "Budget": "budget"}


# --- passages ------------------------------------------------------------------------------------

def _num(iri: str) -> tuple:
    """Sort key: the IRI with its trailing numbers as numbers (chunk/2 before chunk/10)."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", iri))


def _pack(items: list[tuple[str, str, dict]], limit: int = PACK_CHARS) -> list[tuple[str, str, dict]]:
    """Join consecutive ``(iri, text, where)`` items into passages of at most ``limit`` characters."""
    out, cur = [], None
    for iri, text, where in items:
        if cur is not None and len(cur[1]) + 1 + len(text) <= limit:
            cur = (cur[0], cur[1] + "；" + text, cur[2])
        else:
            if cur is not None:
                out.append(cur)
            cur = (iri, text, where)
    if cur is not None:
        out.append(cur)
    return out


def _where(row: dict) -> dict:
    return {"page": row.get("page"), "line": row.get("line")}


def document_passages(store, doc_id: str) -> list[PassageRow]:
    """The search passages of one stored document, read from its named graph."""
    g = f"<{store.doc_graph(doc_id)}>"
    doc = store.select(f"""SELECT ?file ?dept WHERE {{ GRAPH {g} {{ OPTIONAL {{ {g} bgt:sourceFile ?file }}
        OPTIONAL {{ ?b bgt:disclosedIn {g} ; bgt:department ?dept }} }} }} LIMIT 1""")
    source = doc[0]["file"] if doc else None
    dept = doc[0]["dept"] if doc else None
    subjects = {r["s"]: (SUBJECT_TYPES.get(r["t"].rsplit("#", 1)[-1], "entity"), r["label"]) for r in store.select(
        f"""SELECT ?s (SAMPLE(?type) AS ?t) (MIN(?l) AS ?label) WHERE {{ GRAPH {g} {{
              VALUES ?type {{ bgt:Project bgt:Department bgt:BudgetUnit bgt:Office }}
              ?s a ?type ; rdfs:label ?l }} }} GROUP BY ?s""")}

    def row(iri: str, subject: str | None, text: str, kind: str, where: dict) -> PassageRow | None:
        subject = subject if subject in subjects else dept
        stype, label = subjects.get(subject, ("department", None))
        text = text.strip()
        if not text:
            return None
        embedded = text if kind == "project" or not label else f"{label}：{text}"
        meta = {"subject": subject, "type": stype, "label": label, "kind": kind, "display": text,
                "source": source, **where}
        return PassageRow(iri, doc_id, embedded, meta)

    loc = """OPTIONAL { ?x prov:qualifiedDerivation ?loc . OPTIONAL { ?loc bgt:page ?page }
             OPTIONAL { ?loc bgt:line ?line } }"""
    out: list[PassageRow | None] = []
    for r in sorted(store.select(f"""SELECT ?x ?text ?kind ?subject (MIN(?page) AS ?page) (MIN(?line) AS ?line)
            WHERE {{ GRAPH {g} {{ ?x a bgt:Chunk ; bgt:text ?text . OPTIONAL {{ ?x bgt:chunkKind ?kind }}
            OPTIONAL {{ ?x bgt:subject ?subject }} {loc} FILTER(!BOUND(?kind) || ?kind != "indicator") }} }}
            GROUP BY ?x ?text ?kind ?subject"""), key=lambda r: _num(r["x"])):
        out.append(row(r["x"], r["subject"], r["text"], r["kind"] or "chunk", _where(r)))

    grouped: dict[tuple[str, str], list] = {}
    for r in sorted(store.select(f"""SELECT ?owner ?x ?l1 ?l2 ?l3 ?v ?amount ?econ ?desc ?basis ?name ?kind
            (MIN(?page) AS ?page) (MIN(?line) AS ?line) WHERE {{ GRAPH {g} {{
            {{ ?owner bgt:indicator ?x . BIND("indicator" AS ?kind)
               OPTIONAL {{ ?x bgt:level1 ?l1 }} OPTIONAL {{ ?x bgt:level2 ?l2 }} OPTIONAL {{ ?x bgt:level3 ?l3 }}
               OPTIONAL {{ ?x bgt:valueRaw ?v }} }}
            UNION
            {{ ?owner bgt:activity ?x . BIND("activity" AS ?kind) OPTIONAL {{ ?x rdfs:label ?name }}
               OPTIONAL {{ ?x bgt:description ?desc }} OPTIONAL {{ ?x bgt:economicClassName ?econ }}
               OPTIONAL {{ ?x bgt:amount ?amount }} OPTIONAL {{ ?x bgt:basis ?basis }} }}
            {loc} }} }} GROUP BY ?owner ?x ?l1 ?l2 ?l3 ?v ?amount ?econ ?desc ?basis ?name ?kind"""),
            key=lambda r: (r["line"] or 0, _num(r["x"]))):
        if r["kind"] == "indicator":
            text = "/".join(x for x in (r["l1"], r["l2"], r["l3"]) if x) + (f"：{r['v']}" if r["v"] else "")
        else:
            money = f"{r['amount']}万元" if r["amount"] is not None else None
            extra = "，".join(str(x) for x in (r["econ"], money) if x)
            text = "：".join(dict.fromkeys(x for x in (r["name"], r["desc"]) if x)) + (f"（{extra}）" if extra else "")
            text += f" {r['basis']}" if r["basis"] else ""
        items = grouped.setdefault((r["owner"], r["kind"]), [])
        if text and all(text != t for _, t, _ in items):
            items.append((r["x"], text, _where(r)))
    for (owner, kind), items in grouped.items():
        for iri, text, where in _pack(items):
            out.append(row(iri, owner, text, kind, where))

    for r in store.select(f"""SELECT ?p ?name (GROUP_CONCAT(DISTINCT ?alias; separator="、") AS ?aliases)
            (SAMPLE(?unit) AS ?u) (SAMPLE(?fn) AS ?f) (SAMPLE(?amount) AS ?a)
            (MIN(?page) AS ?page) (MIN(?line) AS ?line) WHERE {{
            GRAPH {g} {{ ?p a bgt:Project ; rdfs:label ?name . BIND(?p AS ?x)
              OPTIONAL {{ ?p skos:altLabel ?alias }} OPTIONAL {{ ?p bgt:budgetUnit/rdfs:label ?unit }}
              OPTIONAL {{ ?p bgt:amount ?amount }} {loc} OPTIONAL {{ ?p bgt:functionalClass ?fc }} }}
            OPTIONAL {{ GRAPH <{store.codelist_graph}> {{ ?fc skos:prefLabel ?fn }} }} }} GROUP BY ?p ?name"""):
        parts = [f"项目：{r['name']}"]
        parts += [f"又称：{r['aliases']}"] if r["aliases"] else []
        parts += [f"单位：{r['u']}"] if r["u"] else []
        parts += [f"功能科目：{r['f']}"] if r["f"] else []
        parts += [f"金额：{r['a']}万元"] if r["a"] is not None else []
        out.append(row(r["p"], r["p"], "；".join(parts), "project", _where(r)))
    return [p for p in out if p is not None]


def dictionary_names(store, doc_id: str | None = None) -> list[str]:
    """Budget terms for jieba: codelist labels, and project names and aliases (of one document or all)."""
    graph = f"GRAPH <{store.doc_graph(doc_id)}>" if doc_id else "GRAPH ?g"
    names = [r["l"] for r in store.select(f"""SELECT DISTINCT ?l WHERE {{ {graph} {{
        ?p a bgt:Project ; rdfs:label|skos:altLabel ?l }} }}""")]
    if doc_id is None:
        names += [r["l"] for r in store.select(f"""SELECT DISTINCT ?l WHERE {{ GRAPH <{store.codelist_graph}> {{
            ?c a skos:Concept ; skos:prefLabel ?l }} }}""")]
    return names


# --- the index pair ------------------------------------------------------------------------------

class SearchIndex:
    """The dense and lexical indexes of one store, in ``{store}/search/``; kept in step with its graphs."""

    def __init__(self, store, hnsw_threshold: int | None = None):
        self.store = store
        self.folder = Path(store.path) / "search"
        kwargs = {} if hnsw_threshold is None else {"hnsw_threshold": hnsw_threshold}
        self.dense = DenseIndex(self.folder, **kwargs)
        self.lexical = LexicalIndex(self.folder / "lexical")
        self._encoder = None
        self._table: tuple[tuple[int, int], PassageTable] | None = None
        self.model: str | None = None
        if not self.lexical.words:
            self.lexical.add_words(dictionary_names(store))

    @property
    def encoder(self):
        if self._encoder is None:
            from .embed import load_encoder

            encoder = load_encoder(self.model)
            self.dense.use_model(encoder.path.name)
            self._encoder = encoder
        return self._encoder

    def close(self) -> None:
        self.dense.close()

    def table(self) -> PassageTable:
        """The passages of both indexes as one :class:`PassageTable`, rebuilt after either changes."""
        key = (self.dense.version, self.lexical.version)
        if self._table is None or self._table[0] != key:
            self._table = (key, PassageTable(self.lexical.iris(), self.dense.catalog()))
        return self._table[1]

    def update_document(self, doc_id: str) -> tuple[int, int]:
        """Re-read one document's passages from the graph into both indexes; returns (kept, to embed)."""
        passages = document_passages(self.store, doc_id)
        self.lexical.add_words(dictionary_names(self.store, doc_id))
        self.lexical.add_document(doc_id, [(p.iri, p.text) for p in passages])
        return self.dense.set_document(doc_id, passages)

    def delete_document(self, doc_id: str) -> None:
        self.lexical.delete_document(doc_id)
        self.dense.delete_document(doc_id)

    def pending(self) -> int:
        return self.dense.pending()

    def embed_pending(self, progress: Callable[[int], None] | None = None) -> int:
        if not self.dense.pending():
            return 0
        return self.dense.embed_pending(self.encoder, progress=progress)

    def sync(self, progress: Callable[[int], None] | None = None) -> dict:
        """Bring both indexes in line with the store's documents, then embed what is queued."""
        stored = {d.doc_id for d in self.store.list_documents()}
        indexed = self.dense.documents() | self.lexical.documents()
        for doc_id in sorted(indexed - stored):
            self.delete_document(doc_id)
        added = sorted(stored - self.dense.documents() | (stored - self.lexical.documents()))
        for doc_id in added:
            self.update_document(doc_id)
        return {"removed": len(indexed - stored), "added": len(added), "embedded": self.embed_pending(progress)}


class PassageTable:
    """Every indexed passage as a row (the lexical index's rows first, in its order), with numpy
    columns for filtering: its dense id, its document and its subject.  A filter becomes a boolean
    row mask in microseconds; at 100k passages Python sets of IRIs cost milliseconds per search."""

    def __init__(self, lexical_iris: list[str], catalog: dict[str, tuple[int, str, str | None]]):
        self.row = {iri: i for i, iri in enumerate(lexical_iris)}
        self.lexical_rows = len(self.row)
        self.iris = list(lexical_iris) + [iri for iri in catalog if iri not in self.row]
        self.row.update((iri, i) for i, iri in enumerate(self.iris) if i >= self.lexical_rows)
        docs: dict[str | None, int] = {}
        subjects: dict[str | None, int] = {}
        n = len(self.iris)
        self.ids = np.full(n, -1, np.int64)
        self.doc = np.empty(n, np.int32)
        self.subject = np.empty(n, np.int32)
        for i, iri in enumerate(self.iris):
            pid, doc, subject = catalog.get(iri, (-1, None, None))
            self.ids[i] = pid
            self.doc[i] = docs.setdefault(doc, len(docs))
            self.subject[i] = subjects.setdefault(subject, len(subjects))
        self.docs, self.subjects = docs, subjects
        self.subject_names = list(subjects)
        self.row_of_id = {int(pid): i for i, pid in enumerate(self.ids) if pid >= 0}

    def subject_of(self, row: int) -> str | None:
        return self.subject_names[self.subject[row]]

    def mask(self, allow: Allowed) -> np.ndarray:
        """The rows ``allow`` admits, as a boolean array."""
        keep = np.isin(self.doc, [self.docs[d] for d in allow.documents if d in self.docs])
        if allow.subjects is not None:
            keep &= np.isin(self.subject, [self.subjects[s] for s in allow.subjects if s in self.subjects])
        return keep


def allowed_rows(index: SearchIndex, filters: Filters | dict | None) -> np.ndarray | None:
    """The rows of :meth:`SearchIndex.table` that ``filters`` allow, as a boolean mask; ``None`` when
    there is no filter."""
    allow = allowed(index.store, filters)
    return None if allow is None else index.table().mask(allow)


def allowed_passages(index: SearchIndex, filters: Filters | dict | None) -> list[str] | None:
    """The IRIs of the passages ``filters`` allow; ``None`` when there is no filter."""
    mask = allowed_rows(index, filters)
    return None if mask is None else [index.table().iris[i] for i in np.flatnonzero(mask)]


# --- hits and fusion -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Subject:
    iri: str
    type: str
    label: str | None


@dataclass(frozen=True)
class DocumentRef:
    id: str
    source: str | None


@dataclass(frozen=True)
class Hit:
    """One result: the passage that matched best, with its subject entity and where it was read."""

    text: str
    score: float
    subject: Subject
    document: DocumentRef
    page: int | None
    line: int | None
    passage: str
    kind: str
    ranks: dict = field(default_factory=dict)  # method -> 1-based rank of this passage, where ranked

    def as_dict(self) -> dict:
        d = asdict(self)
        d["score"] = round(self.score, 6)
        return d


def rrf(rankings: dict[str, list], weights: dict[str, float] | None = None, k: int = RRF_K) -> list[tuple[object, float]]:
    """Reciprocal rank fusion: each key scores Σ weight / (k + rank) over the rankings that hold it."""
    scores: dict[object, float] = {}
    first: dict[object, tuple[int, int]] = {}
    for m, (name, ranking) in enumerate(rankings.items()):
        w = 1.0 if weights is None else float(weights.get(name, 1.0))
        for rank, key in enumerate(ranking, 1):
            scores[key] = scores.get(key, 0.0) + w / (k + rank)
            first.setdefault(key, (rank, m))
    return sorted(scores.items(), key=lambda kv: (-kv[1], first[kv[0]]))


def first_per_subject(order: list[tuple[object, float]], subject_of: Callable) -> list[tuple[object, float]]:
    """The first (best) ``(passage, score)`` of each subject, in the order of ``order``."""
    best: dict = {}
    for key, score in order:
        best.setdefault(subject_of(key), (key, score))
    return list(best.values())


def search(index: SearchIndex, query: str, filters: Filters | dict | None = None, top_k: int = 10,
           weights: dict[str, float] | None = None, mode: str = "hybrid", by_subject: bool = True,
           pool: int | None = None, qvec=None, rrf_k: int = RRF_K) -> list[Hit]:
    """Hits for ``query`` among the passages ``filters`` allow (see the module docstring)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if not query or not query.strip():
        raise ValueError("search needs a query")
    index.embed_pending()
    table = index.table()
    mask = allowed_rows(index, filters)
    if mask is not None and not mask.any():
        return []
    pool = pool or max(5 * top_k, 100)
    rankings: dict[str, list[int]] = {}  # method -> table rows, best first
    if mode in ("hybrid", "dense"):
        if qvec is None:
            qvec = index.encoder.encode_queries([query])[0]
        ids = None if mask is None else table.ids[mask & (table.ids >= 0)]
        rankings["dense"] = [table.row_of_id[i] for i, _ in index.dense.search(qvec, pool, ids)
                             if i in table.row_of_id]
    if mode in ("hybrid", "lexical"):
        lexical_mask = None if mask is None else mask[:table.lexical_rows]
        rankings["lexical"] = [table.row[iri] for iri, _ in index.lexical.search(query, pool, lexical_mask)]
    order = rrf(rankings, weights, rrf_k)
    if by_subject:
        order = first_per_subject(order, table.subject_of)
    order = order[:top_k]
    meta = index.dense.rows(int(table.ids[row]) for row, _ in order)  # read for the hits only
    positions = {m: {row: i for i, row in enumerate(r, 1)} for m, r in rankings.items()}
    hits = []
    for row, score in order:
        if (pid := int(table.ids[row])) not in meta:
            continue
        iri, doc, m = meta[pid]
        hits.append(Hit(
            text=m.get("display", ""), score=score,
            subject=Subject(m.get("subject") or "", m.get("type") or "entity", m.get("label")),
            document=DocumentRef(doc, m.get("source")), page=m.get("page"), line=m.get("line"),
            passage=iri, kind=m.get("kind", ""),
            ranks={name: pos[row] for name, pos in positions.items() if row in pos},
        ))
    return hits


# --- evaluation ----------------------------------------------------------------------------------

@dataclass
class SearchEval:
    """Relevance of each method over a query set: mean recall@5, MRR and nDCG@10, and per query."""

    metrics: dict[str, dict[str, float]]
    per_query: list[dict]
    unresolved: list[str]
    seconds: dict[str, float]

    def format_table(self) -> str:
        names = ["recall@5", "MRR", "nDCG@10"]
        lines = [f"{'method':<10}" + "".join(f"{n:>10}" for n in names)]
        for method, m in self.metrics.items():
            lines.append(f"{method:<10}" + "".join(f"{m[n]:>10.3f}" for n in names))
        lines.append(f"({len(self.per_query)} queries; seconds: "
                     + ", ".join(f"{k} {v:.1f}" for k, v in self.seconds.items()) + ")")
        if self.unresolved:
            lines.append("unresolved names: " + "; ".join(self.unresolved))
        return "\n".join(lines)


def entity_names(store) -> list[dict]:
    """Every project, department and unit with its names, unit name and source file."""
    return store.select("""SELECT ?s ?type ?name ?unit ?file WHERE { GRAPH ?g {
        VALUES ?type { bgt:Project bgt:Department bgt:BudgetUnit }
        ?s a ?type ; rdfs:label|skos:prefLabel|skos:altLabel ?name .
        OPTIONAL { ?s bgt:budgetUnit/rdfs:label ?unit }
        OPTIONAL { ?g bgt:sourceFile ?file } } }""")


def resolve_relevant(rows: list[dict], item: dict) -> set[str]:
    """The IRIs a judged ``{doc, type, name[, unit]}`` names (by name or alias, NFKC, no whitespace)."""
    want = {"project": "Project", "department": "Department", "unit": "BudgetUnit"}[item["type"]]
    name = squash(item["name"])
    out = set()
    for r in rows:
        if not r["type"].endswith(want) or squash(r["name"]) != name:
            continue
        if item.get("doc") and r["file"] and r["file"] != item["doc"]:
            continue
        if item.get("unit") and squash(r["unit"] or "") != squash(item["unit"]):
            continue
        out.add(r["s"])
    return out


def _dcg(gains: list[float]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def score_ranking(ranked: list[str], relevant: dict[str, float]) -> dict[str, float]:
    """recall@5, reciprocal rank and nDCG@10 of a ranked list of subject IRIs against ``{iri: grade}``."""
    if not relevant:
        return {"recall@5": 0.0, "MRR": 0.0, "nDCG@10": 0.0}
    top5 = set(ranked[:5])
    rr = next((1.0 / i for i, s in enumerate(ranked, 1) if s in relevant), 0.0)
    ideal = _dcg(sorted(relevant.values(), reverse=True)[:10])
    ndcg = _dcg([relevant.get(s, 0.0) for s in ranked[:10]]) / ideal if ideal else 0.0
    return {"recall@5": len(top5 & set(relevant)) / len(relevant), "MRR": rr, "nDCG@10": ndcg}


def evaluate(index: SearchIndex, queries: Iterable[dict], modes: Iterable[str] = MODES,
             weights: dict[str, float] | None = None) -> SearchEval:
    """Run every query in every mode and score the subjects it ranks (entity-level judgments)."""
    import time

    queries = list(queries)
    index.embed_pending()
    rows = entity_names(index.store)
    unresolved, judged = [], []
    for q in queries:
        rel: dict[str, float] = {}
        grades = q.get("graded", {})
        for item in q["relevant"]:
            iris = resolve_relevant(rows, item)
            if not iris:
                unresolved.append(f"{q['id']}: {item['name']}")
            for iri in iris:
                rel[iri] = max(rel.get(iri, 0.0), float(grades.get(item["name"], 1)))
        judged.append(rel)
    t0 = time.perf_counter()
    qvecs = index.encoder.encode_queries([q["query"] for q in queries])
    seconds = {"encode queries": time.perf_counter() - t0}
    metrics, per_query = {}, [{"id": q["id"], "query": q["query"]} for q in queries]
    for mode in modes:
        t0 = time.perf_counter()
        sums = {"recall@5": 0.0, "MRR": 0.0, "nDCG@10": 0.0}
        for q, rel, vec, out in zip(queries, judged, qvecs, per_query):
            hits = search(index, q["query"], q.get("filters") or None, top_k=10, weights=weights, mode=mode,
                          qvec=vec)
            s = score_ranking([h.subject.iri for h in hits], rel)
            out[mode] = s
            for k in sums:
                sums[k] += s[k]
        metrics[mode] = {k: v / max(len(queries), 1) for k, v in sums.items()}
        seconds[mode] = time.perf_counter() - t0
    return SearchEval(metrics, per_query, unresolved, seconds)


def read_queries(path: Path | str) -> list[dict]:
    import json

    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]

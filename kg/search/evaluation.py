"""Search quality over judged queries: recall@5, MRR and nDCG@10 of each mode (``budgetkg eval-search``)."""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..filters import squash
from .fusion import MODES, search
from .index import SearchIndex


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
    """Judged queries, one JSON object a line."""
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]

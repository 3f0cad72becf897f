"""What ``budgetkg serve``'s checking front costs a query: the same queries straight to Oxigraph and through
the front, side by side in one run (issue 16, item 4).

Oxigraph is started on a store directory as ``budgetkg serve`` starts it, the front in this process before it
(:func:`kg.serve.started`: a private port, no ``connect()``).  Each query is sent through :class:`kg.endpoint.EndpointEngine` (our client), in rounds that interleave
the two ways so that a noisy machine slows them alike; p50 of each and the ratio are printed.  The queries:
an ``ASK``, a label ``SELECT``, a ``VALUES`` of 300 IRIs (a named query's shape), and a query whose literal
says "service" (the front then parses it with rdflib, the app's checker).  Then the update check of a
document-sized ``INSERT DATA`` (:func:`kg.sparql_check.check_update`).

Usage::

    python benchmarks/serve_front.py                 # a fresh store (ontology and code lists), 30 rounds
    python benchmarks/serve_front.py --store DIR     # an existing store directory (not in use)
    python benchmarks/serve_front.py --rounds 3      # tests
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg.endpoint import EndpointEngine  # noqa: E402
from kg.serve import free_port, server_command, started  # noqa: E402
from kg.settings import endpoint  # noqa: E402
from kg.sparql_check import check_update  # noqa: E402

QUERIES = {
    "ASK": "ASK { ?s ?p ?o }",
    "labels": "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?s ?l WHERE { ?s rdfs:label ?l } LIMIT 50",
    "VALUES of 300": "SELECT ?s ?p WHERE { VALUES ?s { " + " ".join(f"<https://e.example/{i}>" for i in range(300))
                     + " } ?s ?p ?o }",
    "says service": 'SELECT ?s WHERE { ?s ?p ?o FILTER(STR(?o) = "customer service") } LIMIT 5',
}


def document_update(triples: int) -> str:
    """An ``INSERT DATA`` of ``triples`` Chinese literals into one graph, as a document's write is."""
    body = " ".join(f'<https://e.example/s{i}> <https://e.example/p> "医疗救助 资金 {i} 说明"@zh .'
                    for i in range(triples))
    return f"INSERT DATA {{ GRAPH <https://e.example/g> {{ {body} }} }}"


def p50_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store directory (default: a fresh one in a temp folder)")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--triples", type=int, default=200_000, help="of the update checked")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="budgetkg-front-") as tmp:
        folder = args.store or Path(tmp) / "kg"
        private = free_port()
        with started(server_command(folder, private), private, ("127.0.0.1", 0), False, 10) as served:
            ways = {"direct": EndpointEngine(endpoint(f"http://127.0.0.1:{private}")),
                    "front": EndpointEngine(endpoint(served.url))}
            times = {(q, w): [] for q in QUERIES for w in ways}
            for q, text in QUERIES.items():  # warm both (rdflib's first parse builds its grammar)
                for engine in ways.values():
                    engine.query(text)
            for _ in range(args.rounds):
                for q, text in QUERIES.items():
                    for w, engine in ways.items():
                        start = time.perf_counter()
                        engine.query(text)  # read to its end (rows) or its boolean
                        times[q, w].append(time.perf_counter() - start)
            print(f"store: {folder}; {args.rounds} rounds")
            for q in QUERIES:
                direct, through = p50_ms(times[q, "direct"]), p50_ms(times[q, "front"])
                print(f"{q:<14} direct p50 {direct:7.2f} ms | front p50 {through:7.2f} ms | "
                      f"ratio {through / direct:5.2f}x")
    update = document_update(args.triples)
    start = time.perf_counter()
    check_update(update)
    plain = time.perf_counter() - start
    start = time.perf_counter()
    check_update(update.replace("说明", "load 说明", 1))  # one "load" in a literal: the full lexical scan
    scanned = time.perf_counter() - start
    print(f"update check ({len(update.encode()) / 2**20:.1f} MiB, {args.triples:,} triples): "
          f"{plain * 1000:.0f} ms; with the word in a literal {scanned * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

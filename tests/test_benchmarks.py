"""The benchmarks run end to end at tiny size and report their ratios."""

import re
import subprocess
import sys
import time

import pytest

from helpers import ROOT, needs_pdfs

pytestmark = pytest.mark.slow


@needs_pdfs
def test_ingest_pdf_benchmark_tiny_prints_the_ratio():
    start = time.monotonic()
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "ingest_pdf.py"), "--tiny"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - start < 60
    out = proc.stdout
    assert re.search(r"^bare pdfplumber .*: \d+\.\d+ s \(cpu \d+\.\d+ s\), \d+\.\d+ pages/s over \d+ pages$",
                     out, re.M), out
    assert re.search(r"^ours .*: \d+\.\d+ s \(cpu \d+\.\d+ s\), \d+\.\d+ pages/s .*\d+ triples\)$", out, re.M), out
    ratio = re.search(r"^ratio ours/bare \[.*\]: (\d+\.\d+) \(target <= 1\.3: (ok|over target)\); cpu \d+\.\d+$",
                      out, re.M)
    assert ratio, out
    assert 0 < float(ratio.group(1)) < 10
    indexed = re.search(r"^ours .* with indexes: (\d+\.\d+) s \(index \d+\.\d+ s, embed \d+\.\d+ s: (\d+) passages, "
                        r"\d+\.\d+ passages/s\)$", out, re.M)
    assert indexed and int(indexed.group(2)) > 10, out  # the document's passages were embedded
    with_indexes = re.search(r"^ratio ours with indexes/bare \[.*\]: (\d+\.\d+) \(target <= 2: (ok|over target)\)$",
                             out, re.M)
    assert with_indexes and float(with_indexes.group(1)) >= float(ratio.group(1)), out


def test_ingest_pdf_benchmark_says_so_when_a_file_is_missing(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "ingest_pdf.py"), str(tmp_path / "none.pdf")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "no such file" in proc.stderr


def _search_benchmark(*args) -> str:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "search.py"), "--tiny", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_search_benchmark_tiny_reports_latencies_and_ratios(tmp_path):
    """The search benchmark on ~1k synthetic passages: every method timed, ratios to flat FAISS, HNSW recall;
    with ``--keep`` a second run times the corpus the first one built."""
    out = _search_benchmark("--keep", str(tmp_path))
    built = re.search(r"^corpus: (\d+) passages in (\d+) synthetic documents from \d+ real sentences", out, re.M)
    assert built, out
    again = _search_benchmark("--keep", str(tmp_path))
    assert f"corpus: {built.group(1)} passages in {built.group(2)} synthetic documents, kept in {tmp_path}" in again
    for name in ("query embedding alone", "FAISS flat, no filter", "FAISS HNSW M=32 ef=512", "hybrid, no filter",
                 "hybrid, filtered", "hybrid, filtered, HNSW"):
        assert re.search(rf"^{re.escape(name)} +p50 +\d+\.\d+ ms  p95 +\d+\.\d+ ms", out, re.M), (name, out)
    recall = re.search(r"recall@10 vs flat (\d\.\d+)", out)
    assert recall and float(recall.group(1)) > 0.8, out
    assert re.search(r"^p95 / FAISS flat p95: .*hybrid, filtered \d+\.\dx, hybrid, filtered, HNSW \d+\.\dx$",
                     out, re.M), out
    same = re.search(r"(\d+)/(\d+) hit lists identical to flat", out)
    assert same and same.group(1) == same.group(2), out  # exact over the allowed vectors, like flat
    assert re.search(r"^filtered hybrid p95 .* \(target < 100 ms: (ok|over target)\)", out, re.M), out
    with_hits = re.search(r"(\d+)/(\d+) with hits", out)
    assert with_hits and int(with_hits.group(1)) > 0, out


def _tiny(script: str) -> str:
    """The output of ``benchmarks/<script> --tiny``, which must succeed."""
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--tiny"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_embed_benchmark_tiny_reports_speed_and_agreement():
    out = _tiny("embed.py")
    assert re.search(r"^passages: 32 from the bundled samples; 1 round\(s\), medians$", out, re.M), out
    for name in ("torch", "fast"):
        assert re.search(rf"^{name} +\d+\.\d+ s +\d+\.\d+ passages/s$", out, re.M), out
    ratio = re.search(r"^ratio fast/torch passages/s: (\d+\.\d+)x \(goal >= 5x: (ok|under goal)\)$", out, re.M)
    assert ratio and float(ratio.group(1)) > 0, out
    cosine = re.search(r"^cosine fast vs torch: mean (\d\.\d+), min (\d\.\d+) \(goal mean >= 0\.99: ok\)$", out, re.M)
    assert cosine and float(cosine.group(2)) >= 0.98, out


def test_first_use_benchmark_tiny_exports_ingests_and_embeds_on_a_fresh_cache():
    out = _tiny("first_use.py")
    assert re.search(r"^fresh first use \(empty model cache, new store, the bundled samples\); 1 round\(s\), medians$",
                     out, re.M), out
    line = re.search(r"^this +(\d+\.\d+) s imports, +(\d+\.\d+) s ingested, +(\d+\.\d+) s embedded \((\d+) passages; "
                     r"goal <= 30 s: (ok|over)\)", out, re.M)
    assert line and float(line.group(1)) < float(line.group(2)) < float(line.group(3)) and int(line.group(4)) > 100, out


def test_cli_latency_benchmark_times_the_first_result_of_search_and_cites(samples_store):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "cli_latency.py"), "--store", str(samples_store),
                           "--rounds", "1"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert re.search(r"^first result of a new process, warm caches \(1 rounds; goal ≤ 2\.0 s\)$", out, re.M), out
    for name in ("search", "cites"):
        line = re.search(rf"^  budgetkg {name} +median (\d+\.\d+) s   worst (\d+\.\d+) s   (meets|misses) the goal$",
                         out, re.M)
        assert line and 0 < float(line.group(1)) <= float(line.group(2)) < 60, out


def test_ingest_parallel_benchmark_tiny_reports_files_per_second_side_by_side():
    """Sequential vs a local Dask cluster of 2 workers on the same two files, in one run."""
    out = _tiny("ingest_parallel.py")
    assert re.search(r"^sequential: \d+\.\d+ s, \d+\.\d+ files/s$", out, re.M), out
    assert re.search(r"^dask 2 workers: \d+\.\d+ s, \d+\.\d+ files/s \(cluster start and shutdown included\)$",
                     out, re.M), out
    ratio = re.search(r"^ratio dask/sequential files/s: (\d+\.\d+); same documents: yes$", out, re.M)
    assert ratio and 0 < float(ratio.group(1)) < 10, out
    assert re.search(r"^embedding model load \(once per process that needs it\): \d+\.\d+ s$", out, re.M), out


def test_synthetic_documents_read_without_findings(tmp_path):
    """Three synthetic documents (a 预算 and a 决算 of one year, the 预算 of the year before): each parses with
    its projects, citations and no finding of the generator's making."""
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), "--docs", "3", "--out", str(tmp_path),
                           "--check"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = re.findall(r"^(synth-\S+\.txt): (\d+) projects, (\d+) citations, (\d+) findings$", proc.stdout, re.M)
    assert len(lines) == 3, proc.stdout
    assert {name.rsplit("-", 1)[1] for name, *_ in lines} == {"budget.txt", "final_account.txt"}
    assert all(int(p) >= 3 and int(c) >= 4 and f == "0" for _, p, c, f in lines), proc.stdout
    assert "0 of 3 documents with findings" in proc.stdout
    again = tmp_path / "again"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), "--docs", "3", "--out", str(again)],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    assert all((again / p.name).read_bytes() == p.read_bytes() for p in tmp_path.glob("*.txt"))  # deterministic


def test_queries_benchmark_tiny_compares_answers_and_reports_ratios():
    """Two synthetic departments: the load rate beside pyoxigraph's bulk loader, and each named query on our
    store and rdflib's with the same answers."""
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "queries.py"), "--tiny"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    store = re.search(r"^store: 48 documents, (\d+) quads in named graphs \((\d+) in document graphs\)", out, re.M)
    assert store and int(store.group(1)) > int(store.group(2)) > 48 * 1000, out
    load = re.search(r"^load \(map \+ write \+ search index, end to end\): ([\d,]+) triples/s \(map \+ write "
                     r"[\d,]+\); pyoxigraph bulk_extend alone ([\d,]+) triples/s; ratio (\d+\.\d\d)", out, re.M)
    assert load and 0 < float(load.group(3)) < 10, out
    for name in ("cites X", "projects of a unit", "totals by functional class", "year-by-year comparison",
                 "entity page"):
        row = re.search(rf"^{re.escape(name)} +ours p50 +(\d+\.\d+) ms  p95 +(\d+\.\d+) ms .*\| rdflib p50 +"
                        rf"(\d+\.\d+) ms .*\| ratio +(\d+\.\d)x \| same answers (\d+)/(\d+)", out, re.M)
        assert row, (name, out)
        assert float(row.group(1)) <= float(row.group(2)) and row.group(5) == row.group(6) != "0", (name, out)
    assert re.search(r"^  \d+ instances, 100% with an answer$", out, re.M), out


def test_dense_scale_benchmark_tiny_reports_recall_and_latencies():
    """3k vectors past a lowered HNSW threshold: recall@10 against exact search for each search, and p50/p95."""
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "dense_scale.py"), "--tiny", "--queries", "20"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert re.search(r"^corpus: 3,000 vectors .* kg's index HNSW \(threshold 1,000, M=\d+, efSearch \d+\)", out, re.M), out
    for name in ("no filter", "filtered, one document", "filtered, one department", "filtered, one year of all"):
        row = re.search(rf"^{re.escape(name)} +p50 +(\d+\.\d+) ms  p95 +(\d+\.\d+) ms  with the query embedding "
                        rf"p95 +(\d+\.\d+) ms  recall@10 vs exact (\d\.\d+)$", out, re.M)
        assert row, (name, out)
        assert float(row.group(1)) <= float(row.group(2)) <= float(row.group(3)), (name, out)
        assert 0.5 <= float(row.group(4)) <= 1.0, (name, out)
        if name.startswith("filtered"):
            assert float(row.group(4)) == 1.0, (name, out)  # the allowed vectors are scored exactly
    assert re.search(r"^filtered dense search p95 with the query embedding, worst filter: \d+\.\d ms "
                     r"\(target < 100 ms: (ok|over target)\)", out, re.M), out


def test_serve_front_benchmark_tiny_reports_each_query_side_by_side():
    """The same queries straight to Oxigraph and through budgetkg serve's front, and the update check."""
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "serve_front.py"), "--rounds", "2",
                           "--triples", "2000"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for name in ("ASK", "labels", "VALUES of 300", "says service"):
        row = re.search(rf"^{re.escape(name)} +direct p50 +(\d+\.\d\d) ms \| front p50 +(\d+\.\d\d) ms \| ratio +"
                        rf"(\d+\.\d\d)x$", proc.stdout, re.M)
        assert row and float(row.group(3)) > 0, (name, proc.stdout)
    assert re.search(r"^update check \(0\.\d MiB, 2,000 triples\): \d+ ms; with the word in a literal \d+ ms$",
                     proc.stdout, re.M), proc.stdout


def test_hybrid_scale_benchmark_tiny_gives_exact_filtered_answers_and_latencies():
    """48 synthetic documents, 6k passages past a lowered HNSW threshold: the full hybrid search unfiltered and
    under each filter, its parts apart; filtered hit lists identical to exact dense search, BM25 over the
    allowed rows identical to bm25s' masked scores, unfiltered recall@10 sane."""
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "hybrid_scale.py"), "--tiny"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert re.search(r"^corpus: 6,000 passages \(HNSW\) over 48 documents", out, re.M), out
    timing = r" +p50 +(\d+\.\d+) ms  p95 +(\d+\.\d+) ms"
    plain = re.search(rf"^hybrid, no filter{timing}  \(recall@10 vs exact dense (\d\.\d+)\)$", out, re.M)
    assert plain and float(plain.group(1)) <= float(plain.group(2)) and float(plain.group(3)) >= 0.8, out
    for kind in ("department \\+ year", "department", "phase \\+ year"):
        row = re.search(rf"^hybrid, {kind}{timing}  \(median ([\d,]+) passages allowed; (\d+)/(\d+) with hits; "
                        rf"(\d+)/(\d+) identical to exact dense\)$", out, re.M)
        assert row, (kind, out)
        assert int(row.group(4)) > 0 and row.group(6) == row.group(7) == row.group(5), (kind, out)
    for same in re.findall(r"same hits and scores as weight_mask (\d+)/(\d+)", out):
        assert same[0] == same[1] != "0", out
    assert re.search(r"^filtered hybrid p95, worst filter, query embedding included: \d+\.\d ms "
                     r"\(target < 100 ms: (ok|over target)\)", out, re.M), out

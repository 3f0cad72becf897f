"""Many documents in one write (``Store.add_documents``): the bulk path, its fallback and its crash repair hold the
store's guarantees (the same graphs as one write per document, the default graph the union, all or nothing)."""

import os
import subprocess
import sys

import pyoxigraph as ox
import pytest

from helpers import ROOT
from kg import links
from kg.mapping import map_extraction
from kg.queries import cites_rows, cites_sparql
from kg.store import BULK, Store

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """Six synthetic documents: one department's 预算 and 决算 of two years, and one year of the next one."""
    specs = synth.specs(24 + 2)
    chosen = specs[:4] + specs[24:]
    folder = tmp_path_factory.mktemp("synth")
    paths = []
    for spec in chosen:
        path = folder / f"{spec.name}.txt"
        path.write_text(synth.text(spec), encoding="utf-8")
        paths.append(path)
    return list(synth.extractions(paths))


def _quads(store: Store) -> set:
    """The named quads, blank nodes (the ontology's) left out: they differ between stores."""
    return {q for q in store.named_quads() if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))}


def _union_holds(store: Store) -> bool:
    named = {ox.Triple(q.subject, q.predicate, q.object) for q in store.named_quads()}
    default = {ox.Triple(q.subject, q.predicate, q.object)
               for q in store.engine.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    return named == default


def _batch(store: Store, extractions) -> list:
    return [(ex, map_extraction(ex, store.base), ()) for ex in extractions]


def _bulk(store: Store) -> list[int]:
    """The store's bulk loader taken for any write of new graphs (not only past :data:`kg.store.BULK_MIN`
    triples); the sizes of its loads, recorded."""
    loads: list[int] = []
    load = store.engine.bulk_load
    store.bulk_min = 0
    store.engine.bulk_load = lambda nquads: (loads.append(len(nquads)), load(nquads))[1]
    return loads


def test_one_write_of_many_documents_equals_one_write_each(synthetic, tmp_path):
    with Store(tmp_path / "each") as each:
        for ex, graph, files in _batch(each, synthetic):
            each.replace_document(ex, graph, files)
        expected = _quads(each)
    with Store(tmp_path / "bulk") as bulk:
        loads = _bulk(bulk)
        counts = bulk.add_documents(_batch(bulk, synthetic))  # new documents of new departments: the bulk loader
        assert len(loads) == 1
        assert counts == [len(map_extraction(ex, bulk.base)) for ex in synthetic]
        assert _quads(bulk) == expected
        assert _union_holds(bulk)
        assert not (bulk.path / BULK).exists()
        assert bulk.document_ids() == {ex.document.doc_id for ex in synthetic}


@pytest.mark.parametrize("through", ["loader", "update"])
def test_a_batch_touching_a_stored_department(synthetic, tmp_path, through):
    """The second batch adds to a department already stored and replaces a stored document: its new documents
    through the bulk loader and the rest (the department's links graph, the document replaced) as one update
    after it, or all as one update (below :data:`kg.store.BULK_MIN`), with the links graph rebuilt as one write
    per document would."""
    with Store(tmp_path / "each") as each:
        for ex, graph, files in _batch(each, synthetic):
            each.replace_document(ex, graph, files)
        expected = _quads(each)
    with Store(tmp_path / "two") as two:
        loads = _bulk(two)
        two.add_documents(_batch(two, synthetic[:2]))
        two.bulk_min = 0 if through == "loader" else 10 ** 9
        two.add_documents(_batch(two, synthetic[1:]))
        assert len(loads) == (2 if through == "loader" else 1)
        assert _quads(two) == expected
        assert _union_holds(two)
        assert links.stale_departments(two) == ([], [])
        assert not (two.path / BULK).exists()


EXTRA = '<https://example.org/r> <https://example.org/said> "又一次导入" .\n'  # marks the stored document written again


@pytest.mark.parametrize("kill_at", ["bulk:marked", "bulk:loaded", "bulk:updated"])
def test_a_killed_bulk_write_is_all_or_nothing_on_open(synthetic, tmp_path, kill_at):
    """A batch of new documents (one of them of a department already stored, whose links graph an update after
    the load replaces) and the stored document written again: killed before the load, after it, or after the
    update that commits it, the next open leaves either the earlier store (undone) or the whole batch (kept:
    the update had committed), the default graph the union, the links graphs reflecting what is stored, and
    no marker or token."""
    store_dir, batch_dir = tmp_path / "store", tmp_path / "batch"
    batch_dir.mkdir()
    with Store(store_dir) as store:
        store.bulk_min = 0
        store.add_documents(_batch(store, synthetic[4:5]))
        before = _quads(store)
    for spec in [*synth.specs(4), synth.specs(26)[25]]:  # four of a new department, one of the stored one's
        (batch_dir / f"{spec.name}.txt").write_text(synth.text(spec), encoding="utf-8")
    stored_path = tmp_path / "stored.txt"
    stored_path.write_text(synth.text(synth.specs(25)[24]), encoding="utf-8")
    script = lambda target: f"""
import sys
sys.path.insert(0, {str(ROOT / 'benchmarks')!r})
import synth
from pathlib import Path
from kg.mapping import map_extraction, map_ntriples
from kg.store import Store
exs = list(synth.extractions(sorted(Path({str(batch_dir)!r}).glob("*.txt"))))
[stored] = synth.extractions([Path({str(stored_path)!r})])
with Store({str(target)!r}) as store:
    store.bulk_min = 0
    store.add_documents([(ex, map_extraction(ex, store.base), ()) for ex in exs]
                        + [(stored, map_ntriples(stored, store.base) + {EXTRA!r}, ())])
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", script(store_dir)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**env, "BUDGETKG_TEST_KILL_AT": kill_at})
    assert proc.returncode == -9, proc.stderr
    assert (store_dir / BULK).is_file()
    with Store(store_dir) as store:
        assert not (store_dir / BULK).exists()
        quads = _quads(store)
        assert _union_holds(store)
        assert links.stale_departments(store) == ([], [])
        assert not store.engine.contains_named_graph(ox.NamedNode(store.base + "graph/bulk"))
    if kill_at == "bulk:updated":
        whole = tmp_path / "whole"  # the batch written without a kill, for comparison
        with Store(whole) as store:
            store.bulk_min = 0
            store.add_documents(_batch(store, synthetic[4:5]))
        proc = subprocess.run([sys.executable, "-c", script(whole)], cwd=ROOT, capture_output=True, text=True,
                              timeout=300, env=env)
        assert proc.returncode == 0, proc.stderr
        with Store(whole) as store:
            assert quads == _quads(store) and len(store.document_ids()) == 6  # the whole batch kept
        assert any(str(q.object) == '"又一次导入"' for q in quads)
    else:
        assert quads == before  # the killed load's graphs gone, the stored document as it was


def test_cites_reads_the_rows_of_its_query(synthetic, tmp_path):
    """``cites_rows`` (index lookups) gives exactly the rows, in the order, of the query it stands for."""
    with Store(tmp_path / "s") as store:
        store.add_documents(_batch(store, synthetic))
        keys = sorted({r["k"] for r in store.select("SELECT ?k WHERE { ?law eli:id_local|eli:title ?k }")})
        assert len(keys) > 20
        for key in keys:
            assert cites_rows(store, key) == store.select(cites_sparql(key)), key

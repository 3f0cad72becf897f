"""Each document's passages are its own in both search indexes: a project named alike in two documents (its
预算 and its 决算 of one year) has a card passage in each, and a hit shows the document it was read in.

Uses the multi-year fixtures (tests/fixtures/multiyear: 江夏区城管局's 2024 预算 and 2024 决算 among them),
embedded with the real default model."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from kg.api import BudgetKG
from kg.search.passages import PASSAGES_FORMAT

DEPT = "武汉市江夏区城市管理执法局"


@pytest.fixture(scope="module")
def store(multiyear_store_template, tmp_path_factory) -> Path:
    path = Path(shutil.copytree(multiyear_store_template, tmp_path_factory.mktemp("sources") / "store"))
    with BudgetKG.open(path) as kg:
        kg.embed()
    return path


def _docs(kg: BudgetKG, year: int) -> dict[str, str]:
    """phase → doc id of the department's documents of ``year``."""
    return {d.phase: d.doc_id for d in kg.documents() if d.department == DEPT and d.year == year}


def test_a_project_in_two_documents_has_a_card_in_each(store):
    with BudgetKG.open(store) as kg:
        docs = _docs(kg, 2024)
        assert set(docs) == {"budget", "final_account"}
        index = kg.search_index
        dense_rows = index.dense.count_rows()
        iris = index.lexical.iris()
        assert len(iris) == len(set(iris)) == dense_rows  # no passage IRI shared by two documents
        cards = {}
        for iri, (_, doc, subject) in index.dense.catalog().items():
            if iri.endswith(subject.rsplit("/", 1)[-1]) and "/project/" in iri:
                cards.setdefault(subject, set()).add(doc)
        both = [s for s, in_docs in cards.items() if {docs["budget"], docs["final_account"]} <= in_docs]
        assert both, "some project of 2024 is in both its 预算 and its 决算"


@pytest.mark.parametrize("phase", ["budget", "final_account"])
def test_a_hit_shows_the_document_it_was_read_in(store, phase):
    """Filtered to one of the two documents, every hit (project cards included) is of that document, and
    its project's card is found there by dense search as well as by BM25."""
    with BudgetKG.open(store) as kg:
        doc = _docs(kg, 2024)[phase]
        hits = kg.search("生活垃圾分类经费", {"department": DEPT, "year": 2024, "phase": phase}, top_k=10)
        assert hits
        assert {h.document.id for h in hits} == {doc}
        assert all(h.facts.phase == phase for h in hits)
        cards = [h for h in hits if h.kind == "project"]
        assert cards and all(h.passage.startswith(str(kg.store.doc_graph(doc)) + "/") for h in cards)
        assert any("dense" in h.ranks and "lexical" in h.ranks for h in cards)


def test_an_index_of_older_passages_is_read_again_on_open(store, tmp_path):
    """A search index whose passages were made before cards were named per document (no stamp) is read
    again from the graphs when the store opens: afterwards it holds each document's own cards."""
    path = Path(shutil.copytree(store, tmp_path / "store"))
    with BudgetKG.open(path) as kg:
        before = sorted(kg.search_index.lexical.iris())
    db = sqlite3.connect(path / "search" / "passages.sqlite")
    with db:
        db.execute("DELETE FROM info WHERE key = 'passages'")
        db.execute("UPDATE passage SET iri = iri || '#old' WHERE iri LIKE '%/project/%'")
    db.close()
    with BudgetKG.open(path) as kg:
        index = kg.search_index
        assert index.dense.passages_format == PASSAGES_FORMAT
        assert sorted(index.dense.all_iris()) == before == sorted(index.lexical.iris())

"""Issue 13, problem 2: an indexed passage says only what the graph says.

For every passage in the dense index (what is embedded and shown) of the bundled seeds, our fixture
documents, the hand-built extractions and (when present) the shared PDFs, each fact it states is looked
up in its document's graph: the project card's name, other names, unit, functional class and amount; an
activity or indicator row's words and amounts; a chunk's text; the subject, its kind and name, the department
a passage without its own subject falls back to, the source file and the page.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from helpers import FIXTURE_DOCS, SAMPLES, SHARED_PDFS, needs_pdfs
from kg import sparql_terms as terms
from kg.api import BudgetKG
from kg.search.passages import SUBJECT_TYPES, card_iri
from kg_fixtures import dongxihu, jiangan

CARD_HEADS = ("项目", "又称", "单位", "功能科目", "金额")


def values(store, doc_id: str, node: str, path: str) -> set:
    """What ``node path ?v`` gives in the document's graph (``path`` a SPARQL property path)."""
    g = terms.iri(store.doc_graph(doc_id))
    return {r["v"] for r in store.select(f"SELECT DISTINCT ?v WHERE {{ GRAPH {g} {{ {terms.iri(node)} {path} ?v }} }}")}


def class_names(store, doc_id: str, project: str) -> set:
    """The names of a project's functional classes: the document's own label, else the codelist's."""
    g, p = terms.iri(store.doc_graph(doc_id)), terms.iri(project)
    return {r["n"] for r in store.select(f"""SELECT DISTINCT ?n WHERE {{ GRAPH {g} {{ {p} bgt:functionalClass ?c }}
        {{ GRAPH {g} {{ ?c rdfs:label ?n }} }} UNION
        {{ FILTER NOT EXISTS {{ GRAPH {g} {{ ?c rdfs:label ?own }} }}
           GRAPH {terms.iri(store.codelist_graph)} {{ ?c skos:prefLabel ?n }} }} }}""")}


def card_parts(text: str) -> dict[str, str]:
    """``项目：A；单位：B；…`` as ``{head: value}`` (a value may itself hold "；")."""
    parts: dict[str, str] = {}
    head = None
    for piece in text.split("；"):
        name, sep, value = piece.partition("：")
        if sep and name in CARD_HEADS and name not in parts:
            head, parts[name] = name, value
        else:
            assert head is not None, text
            parts[head] += "；" + piece
    return parts


def joined(text: str, names: set) -> bool:
    """``text`` is exactly the names joined by 、 (in any order)."""
    return bool(names) and all(n in text for n in names) and len(text) == sum(map(len, names)) + len(names) - 1


def check_card(store, doc_id: str, project: str, text: str) -> None:
    parts = card_parts(text)
    assert parts["项目"] in values(store, doc_id, project, "rdfs:label"), text
    aliases = values(store, doc_id, project, "skos:altLabel")
    assert ("又称" in parts) == bool(aliases) and (not aliases or joined(parts["又称"], aliases)), text
    units = values(store, doc_id, project, "bgt:budgetUnit/rdfs:label")
    assert ("单位" in parts) == bool(units) and (not units or parts["单位"] in units), text
    classes = class_names(store, doc_id, project)
    assert ("功能科目" in parts) == bool(classes), (text, classes)
    assert not classes or joined(parts["功能科目"], classes), (text, classes)
    amounts = values(store, doc_id, project, "bgt:amount")
    assert ("金额" in parts) == bool(amounts), text
    if amounts:
        assert parts["金额"].endswith("万元") and Decimal(parts["金额"][:-2]) in amounts, text


def only_graph_words(store, doc_id: str, first: str, link: str, fields: str, text: str) -> None:
    """Every word of a packed passage (activity or indicator rows, ``first`` the row naming it) is a value
    of one of the ``fields`` of its owner's rows in the graph (amounts in 万元): what is left once they are
    taken out is punctuation."""
    found = values(store, doc_id, first, f"^{link}/{link}/({fields})")
    words = {f"{v}万元" if isinstance(v, Decimal) else str(v).strip() for v in found}
    rest = text
    for word in sorted(words, key=len, reverse=True):
        rest = rest.replace(word, "")
    assert set(rest) <= set("：；（），/ "), (rest, text)


def document_of(store, doc_id: str) -> dict:
    g = terms.iri(store.doc_graph(doc_id))
    rows = store.select(f"""SELECT ?file ?dept WHERE {{ GRAPH {g} {{ OPTIONAL {{ {g} bgt:sourceFile ?file }}
        ?b bgt:disclosedIn {g} ; bgt:department ?dept }} }}""")
    assert len({(r["file"], r["dept"]) for r in rows}) == 1, rows
    return rows[0]


def check_passages(kg: BudgetKG) -> int:
    """Every indexed passage of the store checked against its graph; returns how many."""
    store = kg.store
    rows = kg.search_index.dense.db.execute("SELECT iri, doc_id, text, meta FROM passage").fetchall()
    assert {r[1] for r in rows} == {d.doc_id for d in kg.documents()}
    cards = 0
    for iri, doc_id, text, meta in rows:
        meta = json.loads(meta)
        doc = document_of(store, doc_id)
        assert meta["source"] == doc["file"]
        subject, kind = meta["subject"], meta["kind"]
        types = {t.rsplit("#", 1)[-1] for t in values(store, doc_id, subject, "a")}
        assert {cls for cls, name in SUBJECT_TYPES.items() if name == meta["type"]} & types, (meta, types)
        if meta["type"] == "department":
            assert subject == doc["dept"], meta  # the department of this document's budget
        labels = values(store, doc_id, subject, "rdfs:label")
        assert meta["label"] is None and not labels or meta["label"] in labels, meta
        if meta["page"] is not None:
            located = iri if kind != "project" else subject
            assert meta["page"] in values(store, doc_id, located, "prov:qualifiedDerivation/bgt:page"), meta
        if kind == "project":
            assert iri == card_iri(store, doc_id, subject)  # the card of this document's project
            check_card(store, doc_id, subject, text)
            cards += 1
        elif kind == "activity":
            only_graph_words(store, doc_id, iri, "bgt:activity",
                             "rdfs:label|bgt:description|bgt:economicClassName|bgt:amount|bgt:basis", meta["display"])
        elif kind == "indicator":
            only_graph_words(store, doc_id, iri, "bgt:indicator", "bgt:level1|bgt:level2|bgt:level3|bgt:valueRaw",
                             meta["display"])
        else:  # a chunk: its own words
            assert meta["display"] == next(iter(values(store, doc_id, iri, "bgt:text"))).strip(), iri
    assert cards, "no project card was checked"
    return len(rows)


def test_passages_of_the_hand_built_documents(kg):
    kg.ingest_extraction(dongxihu())
    kg.ingest_extraction(jiangan())
    assert check_passages(kg) > 5
    # two of the three 东西湖 projects have no functional class: their cards name none
    texts = [r[0] for r in kg.search_index.dense.db.execute("SELECT text FROM passage").fetchall()]
    assert sum("功能科目" in t for t in texts) == 1


@pytest.fixture(scope="module")
def seeds_and_fixtures(tmp_path_factory):
    with BudgetKG.open(tmp_path_factory.mktemp("passages") / "store") as kg:
        results = kg.ingest([*SAMPLES, *FIXTURE_DOCS])
        assert all(r.ok for r in results), [r.error for r in results]
        yield kg


def test_passages_of_the_seeds_and_fixture_documents(seeds_and_fixtures):
    assert check_passages(seeds_and_fixtures) > 100


@needs_pdfs
def test_passages_of_the_shared_pdfs(tmp_path):
    with BudgetKG.open(tmp_path / "store") as kg:
        results = kg.ingest(sorted(SHARED_PDFS.glob("*.pdf")))
        assert all(r.ok for r in results), [r.error for r in results]
        assert check_passages(kg) > 100

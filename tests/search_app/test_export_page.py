"""The export page (search_app/views/export.py) and the entity description it offers (kg.export.describe)."""

from __future__ import annotations

import pytest
from apptest_helpers import page_test
from rdflib import URIRef
from rdflib.namespace import RDFS

from kg.api import BudgetKG
from kg.export import FORMATS, parse
from search_app.views.export import export_bytes, file_name

LAW = "law/武政规〔2016〕32号"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_scope_in_every_format_parses_back(app_store, fmt):
    with BudgetKG.open(app_store) as kg:
        doc_id = kg.documents()[0].doc_id
        law = kg.entity(LAW).iri
        whole = kg.store.count() if fmt in ("nt", "jsonld") else len(parse(export_bytes(kg, fmt), fmt))  # slow ones
        one = parse(export_bytes(kg, fmt, doc_id=doc_id), fmt)
        entity = parse(export_bytes(kg, fmt, iri=LAW), fmt)
    assert whole > len(one) > len(entity) > 0
    # the law's description: its statements in both documents, and the labels of what it links to
    assert any(p == RDFS.label for _, p, _, _ in entity.quads((URIRef(law), None, None, None)))
    if FORMATS[fmt].quads:
        assert len({g.identifier for g in entity.graphs() if len(g)}) >= 2


def test_file_names_are_ascii_and_typed():
    assert file_name("ttl") == "budgetkg.ttl"
    assert file_name("nq", doc_id="abc") == "budgetkg-abc.nq"
    name = file_name("jsonld", iri="https://w3id.org/budgetkg/law/武政规")
    assert name.startswith("budgetkg-entity-") and name.endswith(".jsonld") and name.isascii()


def test_page_offers_the_whole_store_by_default(app_store):
    at = page_test("export").run()
    assert not at.exception
    assert at.radio(key="export_scope").value == "all" and at.radio(key="export_fmt").value == "ttl"
    assert [b.label for b in at.get("download_button")] == ["下载 budgetkg.ttl"]
    at.radio(key="export_fmt").set_value("trig").run()
    assert [b.label for b in at.get("download_button")] == ["下载 budgetkg.trig"]
    assert at.query_params == {"scope": "all", "fmt": "trig"}


def test_permalink_to_an_entity_export(app_store):
    at = page_test("export")
    at.query_params.update({"iri": LAW, "fmt": "nq"})
    at.run()
    assert not at.exception
    assert at.radio(key="export_scope").value == "entity"
    label = at.get("download_button")[0].label
    assert label.startswith("下载 budgetkg-entity-") and label.endswith(".nq")
    assert at.query_params["iri"] == "https://w3id.org/budgetkg/law/武政规〔2016〕32号"
    assert any("https://w3id.org/budgetkg/law/武政规〔2016〕32号" in c.value for c in at.caption)  # the IRI as stored


def test_unknown_entity_and_document_choice(app_store):
    at = page_test("export")
    at.query_params.update({"scope": "entity", "iri": "law/没有这个文件"})
    at.run()
    assert "没有关于" in at.error[0].value and not at.get("download_button")
    at.radio(key="export_scope").set_value("doc").run()
    doc = at.selectbox(key="export_doc")
    assert len(doc.options) == 2 and "武汉市" in doc.options[0]
    assert at.get("download_button")[0].label == f"下载 budgetkg-{doc.value}.ttl"

"""An entity's description (kg.export.describe) and ``budgetkg export --entity``, on the hand-built store."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from budgetkg_cli.main import cli
from kg.export import EntityNotFound, describe

LAW = "law/武政规〔2016〕32号"


def test_law_description_has_its_statements_in_each_document(kg_small):
    ds = describe(kg_small.store, LAW, quads=True)
    law = URIRef(kg_small.entity(LAW).iri)
    graphs = {str(g) for s, _, _, g in ds.quads((law, None, None, None))}
    assert graphs == {str(kg_small.store.doc_graph(d)) for d in ("aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb")}


def test_project_description_owns_its_nodes_and_names_its_links(kg_small):
    project = kg_small.cites("武政规〔2016〕32号")[0].project
    g = describe(kg_small.store, project)
    subjects = {str(s) for s in g.subjects()}
    assert any("/indicator/" in s for s in subjects) and any("/citation/" in s for s in subjects)
    owned = {s for s in subjects if s == project or "/doc/" in s}
    assert {p for s, p, _ in g if str(s) not in owned} <= {RDFS.label, SKOS.prefLabel}
    with pytest.raises(EntityNotFound):
        describe(kg_small.store, "law/没有这个文件")


def test_cli_export_entity(kg_small, store_dir):
    kg_small.close()
    result = CliRunner().invoke(cli, ["export", "--entity", LAW, "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "武政规〔2016〕32号" in {str(o) for o in Graph().parse(data=result.output, format="turtle").objects()}
    result = CliRunner().invoke(cli, ["export", "--entity", "law/没有", "--store", str(store_dir)])
    assert result.exit_code == 1 and result.output == "错误：知识库中没有关于 https://w3id.org/budgetkg/law/没有 的内容\n"

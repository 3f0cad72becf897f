"""A store written by an older budgetkg is brought up to date from the copies of the files it keeps
(``bgt:graphFormat``, :meth:`kg.api.BudgetKG.refresh_outdated`, ``budgetkg reindex``)."""

from __future__ import annotations

from click.testing import CliRunner

from budgetkg_cli.main import cli
from kg import sparql_terms as terms
from kg.api import BudgetKG
from kg.mapping import GRAPH_FORMAT
from kg.vocab import BGT


def _age(kg: BudgetKG, doc_id: str) -> None:
    """Make ``doc_id``'s graph look as an older budgetkg wrote it: no format stamp, in its graph or the union."""
    g = terms.iri(kg.store.doc_graph(doc_id))
    kg.store.engine.update(f"DELETE WHERE {{ GRAPH {g} {{ {g} {terms.iri(BGT.graphFormat)} ?v }} }} ;\n"
                       f"DELETE WHERE {{ {g} {terms.iri(BGT.graphFormat)} ?v }}")


def _state(kg: BudgetKG) -> dict:
    return {d.doc_id: (d.source_file, d.title, d.triples, d.source_files) for d in kg.documents()}


def test_an_outdated_document_is_read_again_from_its_kept_copy(samples_store):
    with BudgetKG.open(samples_store) as kg:
        assert kg.outdated() == []  # a store this version wrote
        before = _state(kg)
        doc_id = sorted(before)[0]
        findings = len(kg.findings([doc_id]))
        _age(kg, doc_id)
        assert kg.outdated() == [doc_id]

        results = kg.refresh_outdated()
        assert [(r.ok, r.doc_id) for r in results] == [(True, doc_id)], [r.message for r in results]
        assert kg.outdated() == []
        # the same document as ingested first: its file's own name (not the store's copy name), its facts
        assert _state(kg) == before
        assert len(kg.findings([doc_id])) == findings
        stamp = kg.sparql(f"SELECT ?v WHERE {{ {terms.iri(kg.store.doc_graph(doc_id))} bgt:graphFormat ?v }}")
        assert stamp.rows == [{"v": GRAPH_FORMAT}]  # once, in the union the user queries
        assert kg.search("医疗救助", top_k=3)  # its passages are indexed again


def test_a_document_whose_copy_is_gone_keeps_its_graph_and_says_so(samples_store):
    with BudgetKG.open(samples_store) as kg:
        doc_id = sorted(_state(kg))[0]
        _age(kg, doc_id)
        for kept in kg.store.source_files(doc_id):
            kept.unlink()
        [result] = kg.refresh_outdated()
        assert not result.ok and doc_id in result.error
        assert kg.store.has_document(doc_id) and kg.outdated() == [doc_id]


def test_reindex_renews_outdated_documents_and_says_how_many(samples_store):
    with BudgetKG.open(samples_store) as kg:
        doc_id = sorted(_state(kg))[0]
        _age(kg, doc_id)
    result = CliRunner().invoke(cli, ["reindex", "--store", str(samples_store), "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "重新读取旧版本导入的 1 份文档" in result.output and "已更新 1 份，0 份未能更新" in result.output
    with BudgetKG.open(samples_store) as kg:
        assert kg.outdated() == []

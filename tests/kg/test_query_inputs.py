"""Every kg entry point that builds a query, given strings that would change a query spliced as text.

Each must refuse the input (``QueryError`` with code ``query_input``) or answer exactly what an input
that names nothing answers; it never fails another way and never returns rows of a changed query.
The store is never written by a read.  Values from documents (a department named with quotes, braces
and a line break) go through the same door and still find what they name.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest

from kg import charts, queries
from kg import sparql_terms as terms
from kg.api import BudgetKG
from kg.browse import entity_view, landmarks, lookup
from kg.errors import DocumentNotFound, EntityNotFound, PageImageError, QueryError
from kg.export import describe, export
from kg.filters import Filters, allowed, filter_query, squash
from kg.page_image import page_image, source_pdf
from kg.search import dictionary_names, document_passages
from kg.store import Store
from kg_fixtures import dongxihu, jiangan
from test_sparql_terms import INJECTIONS

# The injections as page paths, names, 文号 and numbers, on top of the IRI-shaped ones
TEXT_INJECTIONS = INJECTIONS + [
    '" ) } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . FILTER("1',
    "武政规〔2016〕\" } UNION { ?s ?p ?o } #32号",
    "} } UNION { GRAPH ?g { ?s ?p ?o } } #",
    "a\\\" } #",
    "'''",
    "\\u0022 } #",
    "1 } ; DROP ALL",
    '")||true||("',  # spliced into a FILTER, this one would match everything
    '" "武政规〔2016〕32号',  # spliced into VALUES, this one would add a real key
]
NOTHING = "http://example.org/没有这个"
ODD_DEPARTMENT = '武汉市"测试}局\n ; DROP ALL ; #'
ODD_ID = "cccccccccccccccc"


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    """The two hand-built documents and one whose department name carries quotes, a brace and a line
    break, embedded once."""
    odd = jiangan(ODD_ID)
    odd = replace(odd, document=replace(odd.document, department=ODD_DEPARTMENT, title="测试局预算"))
    with BudgetKG.open(tmp_path_factory.mktemp("inputs") / "store") as kg:
        for ex in (dongxihu(), jiangan(), odd):
            kg.ingest_extraction(ex)
        kg.embed()
        yield kg


@pytest.fixture
def store(kg):
    before = kg.store.count()
    yield kg.store
    assert kg.store.count() == before  # nothing was written


def refused_or(call, benign):
    """``call()`` refuses with ``query_input``, or answers what ``benign()`` answers."""
    try:
        got = call()
    except QueryError as err:
        assert err.code == "query_input", err
        return
    assert got == benign()


def refused_or_raises(call, expected: type[Exception]):
    """``call()`` refuses with ``query_input``, or raises ``expected`` as for a name that names nothing."""
    with pytest.raises((QueryError, expected)) as err:
        call()
    if isinstance(err.value, QueryError) and not isinstance(err.value, expected):
        assert err.value.code == "query_input", err.value


def _shown(view):
    return (view.found, view.facts, view.outgoing, view.incoming, view.sources, view.alt_labels)


@pytest.mark.parametrize("text", TEXT_INJECTIONS)
def test_entity_pages(store, text):
    refused_or(lambda: _shown(entity_view(store, text)), lambda: _shown(entity_view(store, NOTHING)))
    refused_or(lambda: queries.entity(store, text).found, lambda: False)


@pytest.mark.parametrize("text", TEXT_INJECTIONS)
def test_lookup_and_landmarks(store, text):
    refused_or(lambda: lookup(store, text), lambda: [])
    refused_or(lambda: landmarks(store, text), lambda: landmarks(store))


@pytest.mark.parametrize("text", TEXT_INJECTIONS)
def test_cites(store, text):
    if not text.strip():
        return  # an empty reference is refused before any query (test_queries)
    refused_or(lambda: queries.cites(store, text), lambda: [])


FILTER_FIELDS = ["department", "region", "unit", "fund", "code", "cites", "phase", "year", "min_amount",
                 "max_amount"]


@pytest.mark.parametrize("field", FILTER_FIELDS)
@pytest.mark.parametrize("text", TEXT_INJECTIONS)
def test_filters(kg, store, field, text):
    if not text.strip():
        return  # an empty condition is no condition
    nothing = Filters(**{field: "没有这个"}) if field not in ("phase", "year", "min_amount", "max_amount") else None

    def benign_allowed():
        return allowed(store, nothing)

    def benign_hits():
        return kg.search("医疗救助", nothing) if nothing is not None else None

    if nothing is None:  # a phase, a year or an amount: none of these texts is one
        for call in (lambda: allowed(store, Filters(**{field: text})),
                     lambda: kg.search("医疗救助", Filters(**{field: text}))):
            with pytest.raises(QueryError) as err:
                call()
            assert err.value.code == "query_input"
        return
    refused_or(lambda: allowed(store, Filters(**{field: text})), benign_allowed)
    refused_or(lambda: kg.search("医疗救助", Filters(**{field: text})), benign_hits)


def _skeleton(query: str, text: str) -> str:
    """``query`` with the terms made of ``text`` (its literals and comment) blanked out."""
    for t in dict.fromkeys([squash(text), *queries.ref_keys(text)]):
        query = query.replace(terms.literal(t), "LIT").replace(terms.comment(t), "# NAME")
    return re.sub(r"LIT( LIT)*", "LIT", query)


@pytest.mark.parametrize("field", ["department", "region", "unit", "fund", "code", "cites"])
@pytest.mark.parametrize("text", [t for t in TEXT_INJECTIONS if t.strip()])
def test_printed_queries_differ_from_a_benign_one_only_in_their_terms(store, field, text):
    assert _skeleton(filter_query(Filters(**{field: text}), store), text) == _skeleton(
        filter_query(Filters(**{field: "没有这个"}), store), "没有这个")
    benign = _skeleton(queries.cites_sparql("没有这个"), "没有这个")
    assert _skeleton(queries.cites_sparql(text), text) == benign


@pytest.mark.parametrize("text", TEXT_INJECTIONS)
def test_exports(store, text):
    refused_or_raises(lambda: describe(store, text), EntityNotFound)
    refused_or_raises(lambda: export(store, "nt", io.BytesIO(), entity=text), EntityNotFound)
    refused_or_raises(lambda: export(store, "nq", io.BytesIO(), doc_id=text), DocumentNotFound)


@pytest.mark.parametrize("text", TEXT_INJECTIONS)
def test_documents_by_id(store, text):
    refused_or(lambda: document_passages(store, text), lambda: [])
    if text:  # no id: every document's names
        refused_or(lambda: dictionary_names(store, text), lambda: [])
    refused_or(lambda: store.has_document(text), lambda: False)
    refused_or_raises(lambda: store.graph(text), DocumentNotFound)
    refused_or_raises(lambda: store.delete_document(text), DocumentNotFound)
    refused_or_raises(lambda: source_pdf(store, text), PageImageError)
    refused_or_raises(lambda: page_image(store, text, 1), PageImageError)


@pytest.mark.parametrize("text", TEXT_INJECTIONS)
def test_charts_of_a_budget(store, text):
    def frames(budget):
        tables = (charts.functional, charts.economic, charts.basic_vs_project, charts.top_projects)
        return ([t(store, budget).to_dict("records") for t in tables], charts.totals(store, budget),
                charts.expenditure_total(store, budget))

    refused_or(lambda: frames(text), lambda: frames(NOTHING))
    refused_or(lambda: charts.functional_by_year(store, text).to_dict("records"), lambda: [])
    if text:
        refused_or(lambda: charts.find_budget(store, text), lambda: None)


def test_a_bad_base_cannot_open_a_store(tmp_path):
    with pytest.raises(QueryError) as err:
        Store(tmp_path / "store", base="http://x/a> } ; DROP ALL ; <http://y/")
    assert err.value.code == "query_input"


# --- values from documents and legitimate IRIs still work ---------------------------------------

def test_a_department_named_with_quotes_and_braces_is_found_by_its_name(kg, store):
    assert allowed(store, Filters(department=ODD_DEPARTMENT)).documents == {ODD_ID}
    query = filter_query(Filters(department=ODD_DEPARTMENT), store)
    assert query.count("\n") == filter_query(Filters(department="没有这个"), store).count("\n")  # no line added
    hits = kg.search("医疗救助", Filters(department=ODD_DEPARTMENT))
    assert hits and {h.document.id for h in hits} == {ODD_ID}
    [match] = [m for m in lookup(store, "测试}局") if m.kind == "department"]
    assert match.label == ODD_DEPARTMENT
    assert entity_view(store, match.iri).label == ODD_DEPARTMENT


def test_example_queries_name_a_department_with_quotes_and_still_run(kg, store):
    [title] = [t for t in kg.example_queries() if t.startswith("某部门的项目")]
    assert ODD_DEPARTMENT in title
    rows = kg.sparql(kg.example_queries()[title]).rows
    assert [r["name"] for r in rows] == ["统筹和组织实施医疗救助工作经费"]


@pytest.mark.parametrize("iri", [
    "law/武政规〔2016〕32号",
    "https://w3id.org/budgetkg/law/武政规〔2016〕32号",
    "https://w3id.org/budgetkg/law/%E6%AD%A6%E6%94%BF%E8%A7%84%E3%80%942016%E3%80%9532%E5%8F%B7",
])
def test_chinese_and_percent_encoded_iris_name_the_same_law(store, iri):
    view = entity_view(store, iri)
    assert view.found and view.label == "市人民政府关于印发武汉市医疗救助实施办法的通知"
    assert view.iri == "https://w3id.org/budgetkg/law/武政规〔2016〕32号"  # the one (readable) form
    assert queries.entity(store, iri).found
    assert len(describe(store, iri)) > 0


def test_charts_take_a_readable_budget_iri(store):
    budget = charts.find_budget(store, "武汉市江岸区医疗保障局")
    assert "/budget/武汉市江岸区医疗保障局/" in budget.iri  # the stored form is readable
    assert not charts.top_projects(store, budget.iri).empty

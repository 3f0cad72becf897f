"""Issue 13, problem 4: one IRI form everywhere.

The IRI minted into the store is readable (RFC 3987: Chinese as it is, ``…/org/上海市普陀区财政局``) and is the
string the CLI prints and a SPARQL query names; what an IRI cannot hold raw stays percent-encoded, and the
percent-encoded spelling of the same IRI is accepted on input (:func:`kg.iri.normalize_iri`).  Exports of
names full of such characters parse back with rdflib.  (The app side: tests/search_app/test_iri_shown.py.)
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import warnings
from urllib.parse import quote, unquote

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, URIRef

from kg.api import BudgetKG
from kg.iri import Minter, normalize_iri, segment

from helpers import FIXTURES, ROOT

BASE = "https://w3id.org/budgetkg/"
# what no IRIREF of SPARQL, Turtle or N-Triples may hold raw (their common grammar), and '%', '/', '?', '#'
FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\%/?#\x7f]')
HOSTILE = ["a b", 'x<y>"z"', "{}|^`\\", "制表\t换行\n回车\r", "零宽\u200b连接\u200d", "反向\u202e文字",
           "私用\ue000区", "百分之百%", "斜/线", "问?号#井", "全角（括号）", "不\u00a0断", "\ufffe非字符", "😀表情"]


def _valid_everywhere(iri: str) -> None:
    """``iri`` is accepted by Oxigraph, by rdflib without a warning, and serialises into N-Triples as is."""
    pyoxigraph.NamedNode(iri)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        node = URIRef(iri)
    for seg in iri[len(BASE):].split("/"):
        assert not FORBIDDEN.search(re.sub("%[0-9A-F]{2}", "", seg)), seg
    g = Graph()
    g.add((node, node, node))
    assert set(Graph().parse(data=g.serialize(format="nt"), format="nt").subjects()) == {node}


def test_a_department_iri_is_readable_and_the_encoded_spelling_names_it():
    iri = Minter(BASE).department("上海市普陀区财政局")
    assert str(iri) == BASE + "org/上海市普陀区财政局"
    encoded = BASE + "org/" + quote("上海市普陀区财政局")
    assert normalize_iri(encoded) == normalize_iri(str(iri)) == str(iri)
    assert Minter(BASE).resolve("org/上海市普陀区财政局") == iri


@pytest.mark.parametrize("name", HOSTILE)
def test_what_an_iri_cannot_hold_stays_encoded(name):
    iri = str(Minter(BASE).project("某局", 2025, name))
    _valid_everywhere(iri)
    assert unquote(iri.rsplit("/", 1)[1]) == name  # nothing lost
    assert normalize_iri(iri) == iri and normalize_iri(quote(iri, safe=":/%")) == iri


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_text_makes_one_valid_segment_that_reads_back(text):
    seg = segment(text)
    assert unquote(seg) == text and "/" not in seg
    _valid_everywhere(BASE + "x/" + seg)
    assert normalize_iri(BASE + "x/" + seg) == BASE + "x/" + seg
    assert normalize_iri(BASE + "x/" + quote(text, safe="")) == BASE + "x/" + seg


# a project and a unit of the fixture renamed to what an IRI cannot hold raw
RENAMED = {"城市最低生活保障金": 'A B<保障>"金"{}|^`\\%20/?#零宽\u200b反向\u202e私用\ue000',
           "武汉市汉阳区社会福利院": "福利院 (本级) 100%"}


@pytest.fixture(scope="module")
def kg_store(tmp_path_factory):
    """The hanyang disclosure with :data:`RENAMED` names, and a plain one."""
    tmp = tmp_path_factory.mktemp("iri")
    text = (FIXTURES / "docs" / "100_hanyang_civil_2024_final.txt").read_text(encoding="utf-8")
    for old, new in RENAMED.items():
        assert old in text
        text = text.replace(old, new)
    hostile = tmp / "hostile.txt"
    hostile.write_text(text, encoding="utf-8")
    store = tmp / "store"
    with BudgetKG.open(store) as kg:
        docs = [hostile, FIXTURES / "docs" / "101_qiaokou_edu_2025_budget.txt"]
        assert all(r.ok for r in kg.ingest(docs))
    return store


def _label_of(kg: BudgetKG, iri: str) -> set[str]:
    return {str(r["l"]) for r in kg.sparql(f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }}").rows}


def test_every_minted_iri_is_valid_and_pastes_into_sparql(kg_store):
    with BudgetKG.open(kg_store) as kg:
        iris = {str(r["s"]) for r in kg.sparql("SELECT DISTINCT ?s WHERE { ?s rdfs:label ?l }").rows}
        assert any("/org/武汉市汉阳区民政局" in i for i in iris)
        assert not [i for i in iris if re.search("%E[4-9]", i)]  # no Chinese character percent-encoded
        minted = sorted(i for i in iris if i.startswith(BASE) and "#" not in i)  # not vocabulary terms
        for iri in minted:
            _valid_everywhere(iri)
        some = minted[::max(1, len(minted) // 40)] + [i for i in minted if "%22" in i or "%25" in i]
        assert any("%22金%22%7B%7D%7C%5E%60%5C%2520%2F%3F%23" in i for i in some) and any("%28本级%29100%25" in i for i in some)
        assert all(_label_of(kg, i) for i in some)
        assert all(kg.entity(quote(i, safe=":/%")).found for i in some)  # the encoded spelling on input


def _cli(store, *args) -> str:
    proc = subprocess.run([sys.executable, "-c", "from budgetkg_cli.main import cli; cli()", *args, "--store", str(store)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_the_iri_the_cli_prints_is_the_one_sparql_and_entity_take(kg_store):
    dept = BASE + "org/武汉市汉阳区民政局"
    encoded = BASE + "org/" + quote("武汉市汉阳区民政局")
    out = _cli(kg_store, "entity", encoded)  # the other spelling on input
    printed = out.splitlines()[0].strip()
    assert printed == dept
    rows = _cli(kg_store, "sparql", f"SELECT ?b WHERE {{ ?b a bgt:Budget ; bgt:department <{printed}> }}",
                "--format", "csv")
    budget = rows.splitlines()[1].strip()
    assert budget.startswith(BASE + "budget/武汉市汉阳区民政局/")  # printed whole and readable
    assert _cli(kg_store, "entity", budget).splitlines()[0].strip() == budget
    with BudgetKG.open(kg_store) as kg:
        assert _label_of(kg, printed) and kg.sparql(f"ASK {{ <{budget}> ?p ?o }}").boolean


@pytest.mark.parametrize("fmt, rdflib_format", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"),
                                                ("nq", "nquads"), ("trig", "trig")])
def test_exports_of_hostile_names_parse_back(kg_store, fmt, rdflib_format):
    with BudgetKG.open(kg_store) as kg:
        out = io.BytesIO()
        kg.export(fmt, out)
        count = kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0]["n"]
    data = out.getvalue()
    parsed = Dataset().parse(data=data, format=rdflib_format)
    quads = len(parsed) if fmt in ("ttl", "nt") else sum(len(g) for g in parsed.graphs())
    assert quads >= int(count) * (fmt in ("nq", "trig", "jsonld")) and quads > 100
    subjects = {str(s) for s, _, _, _ in parsed.quads()} if fmt not in ("ttl", "nt") else {
        str(s) for s in Graph().parse(data=data, format=rdflib_format).subjects()}
    assert BASE + "org/武汉市汉阳区民政局" in subjects


def test_tables_show_an_iri_as_stored_and_a_vocabulary_term_short():
    from kg.render import display

    iri = BASE + "unit/某局/福利院%28本级%29"
    assert display(iri) == iri  # whole, escapes kept: it pastes into SPARQL and `entity`
    assert display("https://w3id.org/budgetkg/def#Project") == "bgt:Project"
    assert display("http://www.w3.org/2000/01/rdf-schema#label") == "rdfs:label"

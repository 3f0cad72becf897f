"""A fact's 出处 is where its value was read, not the entity's first places.

城乡医疗救助 (the first sample) is read from the project table (line 511), the 项目支出 explanation (162), the
整体绩效 list (584) and its form (1063–1098); its code, executing unit and goals come from the form's
own lines.  The entity page and ``budgetkg entity`` say so; the store says it with ``bgt:forProperty``.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from budgetkg_cli.main import cli
from helpers import SAMPLES
from kg.api import BudgetKG
from kg.vocab import BGT

PROJECT = "城乡医疗救助"
ENTITY_SOURCES = {162, 511, 584, 1063}  # where the project itself was read


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("facts") / "store"
    with BudgetKG.open(path) as kg:
        assert all(r.ok for r in kg.ingest(SAMPLES))
        iri = next(h.iri for h in kg.lookup(PROJECT) if "/project/" in h.iri)
    return path, iri


def _lines(sources) -> set[int]:
    return {s.line for s in sources}


def test_entity_page_facts_cite_the_form_lines(store):
    path, iri = store
    with BudgetKG.open(path) as kg:
        view = kg.entity_view(iri)
    facts = {f.label: f for f in view.facts}
    assert _lines(view.sources) == ENTITY_SOURCES
    assert _lines(facts["项目编码"].sources) == {1069}
    assert _lines(facts["实施单位"].sources) == {1070}
    assert _lines(facts["长期目标"].sources) == {1097}
    assert _lines(facts["年度目标"].sources) == {1098}
    assert _lines(facts["金额（万元）"].sources) == {511}
    assert all(s.snippet for f in facts.values() for s in f.sources)
    assert _lines(view.name_sources["医疗救助款"]) == {1069}
    assert _lines(view.name_sources["城乡居民医疗救助资金"]) == {162}


def test_property_sources_are_queryable(store):
    path, iri = store
    with BudgetKG.open(path) as kg:
        rows = kg.sparql(f"""SELECT ?line WHERE {{ <{iri}> prov:qualifiedDerivation ?loc .
          ?loc bgt:forProperty bgt:executingUnit ; bgt:line ?line }}""").rows
    assert [int(r["line"]) for r in rows] == [1070]
    assert str(BGT.forProperty).endswith("#forProperty")


def test_cli_entity_prints_each_values_own_source(store):
    path, iri = store
    out = CliRunner().invoke(cli, ["entity", iri, "--store", str(path), "--format", "json"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    rows = rows if isinstance(rows, list) else rows["rows"]
    source = {r["predicate"]: r["source"] for r in rows if r["direction"] == "out"}
    assert source[str(BGT.projectCode)] == "第 1069 行"
    assert source[str(BGT.executingUnit)] == "第 1070 行"
    assert source[str(BGT.longTermGoal)] == "第 1097 行"
    assert source[str(BGT.amount)] == "第 511 行"


def test_form_goal_citation_is_placed_on_the_goal_row(store):
    """The law a form's goal cites is shown at the goal's row (630), not at the form's title (595)."""
    path, _ = store
    with BudgetKG.open(path) as kg:
        iri = next(h.iri for h in kg.lookup("统筹和组织实施医疗救助工作经费") if "/project/" in h.iri)
        view = kg.entity_view(iri)
    cites = view.group(str(BGT.cites), "out")
    lines = {s.line for it in cites.items for s in it.sources}
    assert 630 in lines and 595 not in lines

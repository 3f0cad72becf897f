"""Claims checked across documents (issue 15): a figure one document states of another budget of its
department (:class:`ingest.records.StatedFigure`: last year's, implied by ``比 2024 年预算增加 X``, or a 决算's
年初预算) against that budget's own figure (a total, a 项 line, a 三公 line of the same key) once its document
is stored; where it is not, against what another stored document states of it.  A difference beyond the
printed precision is a finding (``cross_document.*`` in :func:`ingest.rules.catalogue`) with both values and
their places, concerning both documents and budgets.  The findings live in the department's links graph
(:mod:`kg.links`), so they appear and go as the other document is ingested or deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF, RDFS

from ingest.normalise import fold_width, squash
from ingest.records import Check, Figure
from ingest.reconcile.figures import tolerance as rounding_tolerance
from ingest.rules import check_message, check_rule

from . import sparql_terms as terms
from .iri import digest
from .labels import PHASE_ZH, value_label
from .vocab import BGT

CENT = Decimal("0.01")
_LOC = (("page", BGT.page), ("line", BGT.line), ("table", BGT.sourceTable), ("row", BGT.row),
        ("snippet", BGT.snippet), ("bbox", BGT.bbox), ("file", BGT.sourceFile))
LINE_ROLES = ("expenditure", "gpb_expenditure")  # the tables whose 合计 column is a 项's whole figure


@dataclass(frozen=True)
class FigureFact:
    """A figure of one budget: stated by another document (``kind``) or the budget's own record (kind "")."""

    doc: str
    node: str
    budget: str  # the budget of the document it is read from
    key: str
    amount: Decimal
    step: Decimal
    label: str
    year: int | None = None  # a stated figure's year and phase (an own figure: its budget's)
    final: bool | None = None
    kind: str = ""


def three_key(item: str) -> str:
    """A 三公 line's key, as :func:`ingest.audit.growth.stated_figures` names it."""
    return "three:" + squash(fold_width(item))


def figure_queries(budget: str, head: str, tail: str, doc_prefix: str) -> dict[str, str]:
    """The SELECTs of the stated figures and of the budgets' own totals, 项 lines and 三公 lines (no
    places: :func:`places_query` reads those of the few figures a finding cites)."""
    def q(vars_: str, body: str) -> str:
        return f"""SELECT ?g ?b ?n {vars_} WHERE {{ {head} GRAPH ?g {{ {budget} {body} }}
            FILTER(STRSTARTS(STR(?g), {doc_prefix})) {tail} }}"""
    return {
        "stated": q("?key ?fy ?fph ?a ?step ?kind ?label", """?g bgt:statedFigure ?n . ?n bgt:figureKey ?key ;
            bgt:fiscalYear ?fy ; bgt:phase ?fph ; bgt:amount ?a ; bgt:step ?step ; bgt:statedKind ?kind ;
            rdfs:label ?label ."""),
        "total": q("?key ?a", "?b bgt:total ?n . ?n bgt:totalKey ?key ; bgt:amount ?a ."),
        "line": q("?key ?role ?a ?label", f"""{terms.values("?role", LINE_ROLES, terms.literal)}
            ?ds bgt:inBudget ?b ; qb:structure bgt:functionalStructure ; bgt:tableRole ?role .
            ?n qb:dataSet ?ds ; bgt:code ?key ; bgt:totalAmount ?a . OPTIONAL {{ ?n bgt:printedName ?label }}"""),
        "three": q("?key ?a", "?b bgt:threePublic ?n . ?n bgt:item ?key ; bgt:amount ?a ."),
    }


def places_query(graphs, nodes) -> str:
    """The SELECT of the source locations of each of ``nodes`` (a figure's, not one of its fields') in the
    document graphs ``graphs``."""
    return f"""SELECT ?n ?{' ?'.join(v for v, _ in _LOC)} WHERE {{ {terms.values("?g", graphs)}
        {terms.values("?n", nodes)} GRAPH ?g {{
        ?n prov:qualifiedDerivation ?loc . FILTER NOT EXISTS {{ ?loc bgt:forProperty ?fp }}
        {' '.join(f'OPTIONAL {{ ?loc <{p}> ?{v} }}' for v, p in _LOC)} }} }}"""


def places_of(rows: list[dict]) -> dict[str, tuple]:
    """The rows of :func:`places_query`: node → (page, line, table, row, snippet, bbox, file), its first."""
    out: dict[str, tuple] = {}
    for r in rows:
        out.setdefault(r["n"], tuple(r[v] for v, _ in _LOC))
    return out


def figures_of(kind: str, rows: list[dict]) -> list[FigureFact]:
    """The rows of one :func:`figure_queries` SELECT as figures (one per node: its first place)."""
    out: dict[str, FigureFact] = {}
    for r in rows:
        if r["n"] in out or r["a"] is None:
            continue
        amount = Decimal(r["a"])
        if kind == "stated":
            out[r["n"]] = FigureFact(r["g"], r["n"], r["b"], r["key"], amount, Decimal(r["step"]), r["label"],
                                     int(r["fy"]), r["fph"] == str(BGT.finalAccountPhase), r["kind"])
        elif kind == "line":
            out[r["n"]] = FigureFact(r["g"], r["n"], r["b"], f"fn:{r['key']}", amount, CENT,
                                     f"{r['key']} {r['label'] or ''}".strip(), kind=r["role"])
        else:
            key = f"total:{r['key']}" if kind == "total" else three_key(r["key"])
            out[r["n"]] = FigureFact(r["g"], r["n"], r["b"], key, amount, CENT, _what(key))
    return list(out.values())


def _what(key: str) -> str:
    """What a figure key names, in Chinese: 基本支出, 科目 2120104, 公务接待费."""
    kind, _, rest = key.partition(":")
    if kind == "total":
        return value_label(str(BGT.totalKey), rest)
    return f"科目 {rest}" if kind == "fn" else rest


def _own_figure(own: list[FigureFact], key: str, stated: Decimal) -> FigureFact | None:
    """The one figure a budget's documents give for ``key``; None when they give none or disagree.  A 项's
    figure is printed in the 支出总表 (every fund) and the 一般公共预算支出表, and a text may state either
    (a 决算's 年初预算 is of 一般公共预算): each table's figure is one candidate, the one nearer the stated
    amount is the one it is checked against (the 一般公共预算's on a tie)."""
    found = [f for f in own if f.key == key]
    if not key.startswith("fn:"):
        return found[0] if found and len({f.amount for f in found}) == 1 else None
    candidates = []
    for role in reversed(LINE_ROLES):
        printed = [f for f in found if f.kind == role]
        if printed and len({f.amount for f in printed}) == 1:
            candidates.append(printed[0])
    return min(candidates, key=lambda f: abs(f.amount - stated), default=None)


def claim_findings(graph: str, budgets, titles: dict[str, str], stated: list[FigureFact],
                   own: list[FigureFact], places) -> list[ox.Triple]:
    """The findings of the stated figures of one department's documents that differ from the figure of the
    budget they are of (``budgets``: the department's :class:`kg.links.BudgetFact` s); ``places(nodes)``
    gives the source places of the figures they cite (:func:`places_of`)."""
    level = {b.budget: (b.department, b.level) for b in budgets}
    by_budget: dict[tuple, list[str]] = {}
    for b in budgets:
        by_budget.setdefault((b.department, b.year, b.final, b.level), []).append(b.budget)
    found: list[_Claim] = []
    done: set[frozenset] = set()
    for s in stated:
        dept, lv = level.get(s.budget, (None, None))
        targets = by_budget.get((dept, s.year, s.final, lv), [])
        if targets:
            other = _own_figure([f for f in own if f.budget in targets], s.key, s.amount)
        else:  # the budget is not stored: what another document states of it
            others = [t for t in stated if t.doc != s.doc and (t.key, t.year, t.final) == (s.key, s.year, s.final)
                      and level.get(t.budget) == (dept, lv)]
            other = others[0] if others and len({t.amount for t in others}) == 1 else None
        if other is None or frozenset((s.node, other.node)) in done:
            continue
        done.add(frozenset((s.node, other.node)))
        claim = _Claim.of(titles, s, other, targets[0] if targets else other.budget)
        if claim is not None:
            found.append(claim)
    where = places(sorted({n for c in found for n in (c.stated.node, c.other.node)})) if found else {}
    return [t for c in found for t in c.triples(graph, titles, where)]


def _n(iri) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


_DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


@dataclass(frozen=True)
class _Claim:
    """A stated figure that differs from the other document's figure beyond rounding."""

    stated: FigureFact
    other: FigureFact
    other_budget: str
    left: Figure
    right: Figure
    tol: Decimal

    @classmethod
    def of(cls, titles: dict[str, str], s: FigureFact, other: FigureFact, other_budget: str) -> _Claim | None:
        left = Figure(s.amount, s.step, f"{titles.get(s.doc, s.doc)} 所述")
        right = Figure(other.amount, other.step, f"{titles.get(other.doc, other.doc)} {other.label}")
        # a figure implied by a change carries both amounts' rounding: half of each step; one printed: by precision
        tol = (s.step + other.step) / 2 if s.kind == "previous_year" else rounding_tolerance(left, right)
        return None if abs(left.amount - right.amount) <= tol else cls(s, other, other_budget, left, right, tol)

    def triples(self, graph: str, titles: dict[str, str], places: dict[str, tuple]) -> list[ox.Triple]:
        s, other = self.stated, self.other
        rule = "cross_document.initial_budget" if s.kind == "initial_budget" else "cross_document.previous_year"
        params = (("statement", s.label), ("year", str(s.year)),
                  ("phase", PHASE_ZH["final_account" if s.final else "budget"]), ("what", _what(s.key)),
                  ("other", titles.get(other.doc, other.doc) + ("所述" if other.kind in (
                      "previous_year", "initial_budget") else "所列")))
        check = Check(rule, False, self.left, self.right, self.tol, "", params)
        f = _n(f"{graph}/finding/{digest(s.node, other.node)}")
        lit = ox.Literal
        out = [ox.Triple(_n(s.doc), _n(BGT.finding), f), ox.Triple(f, _n(RDF.type), _n(BGT.Finding)),
               ox.Triple(f, _n(BGT.rule), lit(rule)), ox.Triple(f, _n(BGT.severity), lit(check_rule(check).severity)),
               ox.Triple(f, _n(BGT.message), lit(check_message(check))),
               ox.Triple(f, _n(BGT.tolerance), lit(str(self.tol), datatype=_DECIMAL))]
        for about in dict.fromkeys((s.doc, other.doc, s.budget, self.other_budget, other.node, s.node)):
            out.append(ox.Triple(f, _n(BGT.concerns), _n(about)))
        for position, (fig, fact) in enumerate(((self.left, s), (self.right, other)), 1):
            v = _n(f"{f.value}/value/{position}")
            out += [ox.Triple(f, _n(BGT.comparedValue), v), ox.Triple(v, _n(RDF.type), _n(BGT.ComparedValue)),
                    ox.Triple(v, _n(RDFS.label), lit(fig.label)),
                    ox.Triple(v, _n(BGT.amount), lit(str(fig.amount), datatype=_DECIMAL)),
                    ox.Triple(v, _n(BGT.position), lit(position)), ox.Triple(v, _n(BGT.concerns), _n(fact.node))]
            out += _place(v, fact, places.get(fact.node, ()))
            if position == 1:
                out += _place(f, fact, places.get(fact.node, ()))
        return out


def _place(node: ox.NamedNode, fact: FigureFact, place: tuple) -> list[ox.Triple]:
    """A source location of ``node`` copying the place ``fact`` was read (its document's graph holds the original)."""
    loc = _n(f"{node.value}/src")
    out = [ox.Triple(node, _n(PROV.qualifiedDerivation), loc), ox.Triple(loc, _n(RDF.type), _n(BGT.SourceLocation)),
           ox.Triple(loc, _n(PROV.entity), _n(fact.doc)), ox.Triple(node, _n(PROV.wasDerivedFrom), _n(fact.doc))]
    for (name, prop), value in zip(_LOC, place):
        if value is not None:
            out.append(ox.Triple(loc, _n(prop), ox.Literal(int(value)) if name in ("page", "line", "row")
                                 else ox.Literal(value)))
    return out

"""Links across documents (issue 15): one department's budgets, projects and budget lines across years,
phases and levels, each link a triple with its evidence (DESIGN §6a).

The links of a department are derived: they live in a named graph of their own,
``graph/links/{department}``, rebuilt from the department's documents in the same write as every write that
changes one of them (:meth:`kg.store.Store._write_graphs`: one SPARQL update, or a bulk load and the update that
commits it), so they hold in any order of ingest, after a re-ingest or delete, and after a crash (all or
nothing).  The graph records the documents it reflects (``bgt:reflects``) and :data:`LINKS_FORMAT`; opening a
store rebuilds the graphs that disagree (a store written before links, or by another version of this module).

Each link is the triple itself (``?this bgt:previousYear ?last``) and a reified statement saying why:
``rdf:subject``/``rdf:predicate``/``rdf:object``, ``bgt:linkedBy`` (``project_code``, ``project_name``,
``functional_code``, ``economic_code``, ``same_department``), ``bgt:linkKey`` (the shared code or
normalised name), the names on both sides and the documents each side was read from.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Iterable

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF

from ingest.normalise import nfkc_key

from . import sparql_terms as terms
from .crossdoc import FigureFact, claim_findings, figure_queries, figures_of, places_of, places_query
from .engine import EmbeddedEngine, Engine
from .iri import budget_unit, digest
from .namespaces import sparql_prologue
from .vocab import BGT

if TYPE_CHECKING:
    from .store import Store

LINKS_FORMAT = 1  # raised whenever what a links graph holds changes: stores rebuild theirs on open
LINKS = "graph/links/"  # under the base: one graph per department

# why two things are linked (bgt:linkedBy)
PROJECT_CODE, PROJECT_NAME = "project_code", "project_name"
FUNCTIONAL_CODE, ECONOMIC_CODE = "functional_code", "economic_code"
SAME_DEPARTMENT = "same_department"  # two budgets of one department (consecutive years, 预算/决算, 单位/部门)


def links_graph(store: Store, department: str) -> str:
    """The IRI of the links graph of ``department`` (its ``org/…`` IRI)."""
    return store.base + LINKS + department[len(store.base + "org/"):] if department.startswith(
        store.base + "org/") else store.base + LINKS + digest(department)


# --- the facts a department's documents give ------------------------------------------------------------

@dataclass(frozen=True)
class BudgetFact:
    doc: str
    budget: str
    department: str
    year: int
    final: bool  # a 决算
    level: str  # "" for a 部门 budget, the unit's key for a 单位 budget


@dataclass(frozen=True)
class ProjectFact:
    doc: str
    project: str
    budget: str
    code: str
    name: str


@dataclass(frozen=True)
class LineFact:
    doc: str
    line: str
    budget: str
    role: str
    code: str
    economic: bool
    name: str


def _where(docs: str, departments: str, exclude: Iterable[str]) -> tuple[str, str]:
    """The VALUES and FILTER restricting a fact query to some departments and away from some graphs."""
    away = sorted(exclude)
    return f"{docs} {departments}", f"FILTER(?g NOT IN ({terms.iri_list(away)}))" if away else ""


def _rows(store: Engine, base: str, query: str):
    sols = store.query(sparql_prologue(base) + query)
    names = [v.value for v in sols.variables]
    return [{n: (None if s[n] is None else s[n].value) for n in names} for s in sols]


@dataclass
class Facts:
    budgets: list[BudgetFact]
    projects: list[ProjectFact] = field(default_factory=list)
    lines: list[LineFact] = field(default_factory=list)
    stated: list[FigureFact] = field(default_factory=list)  # figures of other budgets the documents state
    own: list[FigureFact] = field(default_factory=list)  # the budgets' own totals, 项 lines and 三公 lines
    titles: dict[str, str] = field(default_factory=dict)  # document graph → title
    # the stores they were read from, each with the document graphs read there (for a finding's places)
    sources: tuple[tuple[Engine, tuple[str, ...]], ...] = ()

    def __add__(self, other: Facts) -> Facts:
        return Facts(self.budgets + other.budgets, self.projects + other.projects, self.lines + other.lines,
                     self.stated + other.stated, self.own + other.own, {**self.titles, **other.titles},
                     self.sources + other.sources)

    def places(self, base: str, nodes: list[str]) -> dict[str, tuple]:
        """The source places of some figures (:func:`kg.crossdoc.places_of`), from whichever store holds them."""
        out: dict[str, tuple] = {}
        for source, graphs in self.sources:
            if graphs:
                out.update(places_of(_rows(source, base, places_query(graphs, nodes))))
        return out

    def of(self, department: str) -> Facts:
        """The facts of one department's documents."""
        budgets = [b for b in self.budgets if b.department == department]
        mine = {b.budget for b in budgets}
        return Facts(budgets, [p for p in self.projects if p.budget in mine],
                     [ln for ln in self.lines if ln.budget in mine], [f for f in self.stated if f.budget in mine],
                     [f for f in self.own if f.budget in mine], {b.doc: self.titles.get(b.doc, b.doc) for b in budgets},
                     self.sources)

    @property
    def departments(self) -> set[str]:
        return {b.department for b in self.budgets}

    @property
    def docs(self) -> set[str]:
        return {b.doc for b in self.budgets}


def _department_graphs(store: Engine, base: str, departments: Iterable[str]) -> list[str]:
    """The document graphs disclosing a budget of one of ``departments``."""
    rows = _rows(store, base, f"""SELECT DISTINCT ?g WHERE {{ {terms.values("?dept", departments)}
        GRAPH ?g {{ ?b a bgt:Budget ; bgt:disclosedIn ?g ; bgt:department ?dept }} }}""")
    return sorted(r["g"] for r in rows)


def read_facts(store: Engine, base: str, departments: Iterable[str] | None = None,
               graphs: Iterable[str] | None = None, exclude: Iterable[str] = ()) -> Facts:
    """The budgets, projects and coded lines stated in the document graphs of ``store`` (those of
    ``departments``, of ``graphs``; never of the graphs ``exclude`` names)."""
    if departments is not None:  # the departments' graphs first: a query bound to its graphs reads only them
        found = _department_graphs(store, base, departments)
        graphs = found if graphs is None else sorted(set(found) & set(graphs))
        if not graphs:
            return Facts([])
    head, tail = _where("" if graphs is None else terms.values("?g", graphs),
                        "" if departments is None else terms.values("?dept", departments), exclude)
    doc_prefix = terms.literal(base + "doc/")
    budget = f"""?b a bgt:Budget ; bgt:disclosedIn ?g ; bgt:department ?dept ; bgt:fiscalYear ?year ;
                    bgt:phase ?ph ."""
    budgets, titles = [], {}
    for r in _rows(store, base, f"""SELECT ?g ?b ?dept ?year ?ph ?title WHERE {{ {head} GRAPH ?g {{ {budget}
                                  OPTIONAL {{ ?g dcterms:title ?title }} }}
                                  FILTER(STRSTARTS(STR(?g), {doc_prefix})) {tail} }}"""):
        titles[r["g"]] = r["title"] or r["g"][len(base + "doc/"):]
        budgets.append(BudgetFact(r["g"], r["b"], r["dept"], int(r["year"]), r["ph"] == str(BGT.finalAccountPhase),
                                  budget_unit(r["b"])))
    projects = [ProjectFact(r["g"], r["p"], r["b"], nfkc_key(r["code"] or ""), r["name"]) for r in _rows(
        store, base, f"""SELECT ?g ?p ?b ?code ?name WHERE {{ {head} GRAPH ?g {{ {budget}
            ?p a bgt:Project ; bgt:inBudget ?b ; rdfs:label ?name . OPTIONAL {{ ?p bgt:projectCode ?code }} }}
            FILTER(STRSTARTS(STR(?g), {doc_prefix})) {tail} }}""")]
    lines = [LineFact(r["g"], r["l"], r["b"], r["role"], r["code"], r["st"] == str(BGT.economicStructure),
                      r["name"] or "") for r in _rows(
        store, base, f"""SELECT ?g ?l ?b ?role ?code ?st ?name WHERE {{ {head} GRAPH ?g {{ {budget}
            ?ds bgt:inBudget ?b ; bgt:tableRole ?role ; qb:structure ?st . ?l qb:dataSet ?ds ; bgt:code ?code .
            OPTIONAL {{ ?l bgt:printedName ?name }} }}
            FILTER(STRSTARTS(STR(?g), {doc_prefix})) {tail} }}""")]
    figures = {kind: figures_of(kind, _rows(store, base, q))
               for kind, q in figure_queries(budget, head, tail, doc_prefix).items()}
    own = figures["total"] + figures["line"] + figures["three"]
    return Facts(budgets, projects, lines, figures["stated"], own, titles, ((store, tuple(sorted(titles))),))


def facts_of_bodies(base: str, bodies: dict[str, str]) -> Facts:
    """The facts of document graphs not stored yet (graph name → its N-Triples), read by the same queries."""
    mem = EmbeddedEngine()
    for name, body in bodies.items():
        mem.load_ntriples(body, terms.node(name))
    return read_facts(mem, base)


# --- the links --------------------------------------------------------------------------------------------

_YEAR = re.compile(r"^(?:20\d\d|19\d\d)年度?|[（(](?:20\d\d|19\d\d)年?度?[)）]")


def project_name_key(name: str) -> str:
    """A project's name as compared across years: NFKC, no whitespace, no year (``2024年`` 某某经费 → 某某经费)."""
    return nfkc_key(_YEAR.sub("", nfkc_key(name)))


@dataclass(frozen=True)
class Link:
    subject: str
    predicate: str
    object: str
    linked_by: str
    key: str = ""
    subject_names: tuple[str, ...] = ()
    object_names: tuple[str, ...] = ()
    subject_docs: tuple[str, ...] = ()
    object_docs: tuple[str, ...] = ()


def _budget_links(facts: Facts) -> list[Link]:
    by_key = {(b.department, b.year, b.final, b.level): b.budget for b in facts.budgets}
    docs = defaultdict(set)
    for b in facts.budgets:
        docs[b.budget].add(b.doc)
    out = []

    def link(s: str, p, o: str) -> None:
        out.append(Link(s, str(p), o, SAME_DEPARTMENT, "", (), (), tuple(sorted(docs[s])), tuple(sorted(docs[o]))))

    for (dept, year, final, level), b in sorted(by_key.items()):
        if (last := by_key.get((dept, year - 1, final, level))) is not None:
            link(b, BGT.previousYear, last)
        if not final and (fa := by_key.get((dept, year, True, level))) is not None:
            link(b, BGT.finalAccount, fa)
        if level and (whole := by_key.get((dept, year, final, ""))) is not None:
            link(b, BGT.partOfBudget, whole)
    return out


def _line_links(facts: Facts) -> list[Link]:
    """Each budget line → the line of the same table role and code in the budget of the year before (same
    department, phase and level), where each budget has one such line."""
    budgets = {b.budget: b for b in facts.budgets}
    by_budget_key: dict[tuple, list[LineFact]] = defaultdict(list)
    for ln in facts.lines:
        by_budget_key[(ln.budget, ln.role, ln.economic, ln.code)].append(ln)
    previous = {b.budget: p.object for p in _budget_links(facts) if p.predicate == str(BGT.previousYear)
                for b in [budgets[p.subject]]}
    out = []
    for (budget, role, economic, code), lines in sorted(by_budget_key.items()):
        last = previous.get(budget)
        before = by_budget_key.get((last, role, economic, code), []) if last else []
        if len({ln.line for ln in lines}) != 1 or len({ln.line for ln in before}) != 1:
            continue
        this, that = lines[0], before[0]
        out.append(Link(this.line, str(BGT.previousYear), that.line, ECONOMIC_CODE if economic else FUNCTIONAL_CODE,
                        code, (this.name,) if this.name else (), (that.name,) if that.name else (),
                        tuple(sorted({ln.doc for ln in lines})), tuple(sorted({ln.doc for ln in before}))))
    return out


@dataclass
class _YearProjects:
    """One department's projects of one year (over its 预算 and 决算, 部门 and 单位 documents)."""

    names: dict[str, set[str]]  # project IRI → its names as printed
    docs: dict[str, set[str]]
    by_code: dict[str, set[str]]  # code → projects (a code two projects of one document share: both)
    by_name: dict[str, set[str]]  # normalised name → projects

    @classmethod
    def of(cls, projects: list[ProjectFact]) -> _YearProjects:
        yp = cls(defaultdict(set), defaultdict(set), defaultdict(set), defaultdict(set))
        for p in projects:
            yp.names[p.project].add(p.name)
            yp.docs[p.project].add(p.doc)
            if p.code:
                yp.by_code[p.code].add(p.project)
            yp.by_name[project_name_key(p.name)].add(p.project)
        return yp

    def keys(self, project: str) -> set[str]:
        return {project_name_key(n) for n in self.names[project]}


def _pairs(now: _YearProjects, last: _YearProjects) -> list[tuple[str, str, str, str]]:
    """``(this, that, by, key)``: each project of ``now`` and the same project of ``last``, by its code where
    one project of each bears it, else by its normalised name where one project of each bears it."""
    out, taken_now, taken_last = [], set(), set()
    for code, iris in sorted(now.by_code.items()):
        before = last.by_code.get(code, set())
        if len(iris) == 1 and len(before) == 1:
            this, that = next(iter(iris)), next(iter(before))
            taken_now.add(this)
            taken_last.add(that)
            out.append((this, that, PROJECT_CODE, code))
    for key, iris in sorted(now.by_name.items()):
        before = last.by_name.get(key, set())
        if len(iris) != 1 or len(before) != 1 or not key:
            continue
        this, that = next(iter(iris)), next(iter(before))
        if this in taken_now or that in taken_last:
            continue
        # a name another project of either side also bears (under another of its names) links nothing
        if any(len(now.by_name[k]) > 1 for k in now.keys(this)) or any(
                len(last.by_name[k]) > 1 for k in last.keys(that)):
            continue
        taken_now.add(this)
        taken_last.add(that)
        out.append((this, that, PROJECT_NAME, key))
    return out


def _link(this: str, prop, that: str, by: str, key: str, now: _YearProjects, last: _YearProjects) -> Link:
    return Link(this, str(prop), that, by, key, tuple(sorted(now.names[this])), tuple(sorted(last.names[that])),
                tuple(sorted(now.docs[this])), tuple(sorted(last.docs[that])))


def _project_links(facts: Facts) -> list[Link]:
    """Each project of a 预算 → the same project of its year's 决算 where the two print it under other IRIs
    (a 决算 without codes), and each project → the same project of the year before (a 预算 and 决算 pair of
    one year counted as one project): by code where the code persists, else by normalised name."""
    budgets = {b.budget: b for b in facts.budgets}
    by_year: dict[tuple[str, int], list[ProjectFact]] = defaultdict(list)
    for p in facts.projects:
        b = budgets.get(p.budget)
        if b is not None:
            by_year[(b.department, b.year)].append(p)
    out, years = [], {}
    for (dept, year), projects in sorted(by_year.items()):
        plan = _YearProjects.of([p for p in projects if not budgets[p.budget].final])
        final = _YearProjects.of([p for p in projects if budgets[p.budget].final])
        alias = {}
        for this, that, by, key in _pairs(plan, final):
            if this != that:
                out.append(_link(this, BGT.finalAccount, that, by, key, plan, final))
                alias[that] = this
        years[(dept, year)] = _YearProjects.of([replace(p, project=alias.get(p.project, p.project)) for p in projects])
    for (dept, year), now in sorted(years.items()):
        last = years.get((dept, year - 1))
        if last is not None:
            out += [_link(this, BGT.previousYear, that, by, key, now, last)
                    for this, that, by, key in _pairs(now, last) if this != that]
    return out


def department_links(facts: Facts) -> list[Link]:
    """Every link between the documents of ``facts`` (one department's)."""
    return _budget_links(facts) + _project_links(facts) + _line_links(facts)


# --- the links graph ----------------------------------------------------------------------------------------

def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _triples(base: str, graph: str, department: str, facts: Facts, links: list[Link]) -> list[ox.Triple]:
    g = _n(graph)
    out = [ox.Triple(g, _n(RDF.type), _n(BGT.LinkGraph)), ox.Triple(g, _n(BGT.linksOf), _n(department)),
           ox.Triple(g, _n(BGT.linksFormat), ox.Literal(LINKS_FORMAT))]
    out += [ox.Triple(g, _n(BGT.reflects), _n(d)) for d in sorted(facts.docs)]
    for ln in links:
        node = _n(f"{graph}/link/{digest(ln.subject, ln.predicate, ln.object)}")
        s, p, o = _n(ln.subject), _n(ln.predicate), _n(ln.object)
        out += [ox.Triple(s, p, o), ox.Triple(node, _n(RDF.type), _n(BGT.Link)),
                ox.Triple(node, _n(RDF.type), _n(RDF.Statement)), ox.Triple(node, _n(RDF.subject), s),
                ox.Triple(node, _n(RDF.predicate), p), ox.Triple(node, _n(RDF.object), o),
                ox.Triple(node, _n(BGT.linkedBy), ox.Literal(ln.linked_by))]
        if ln.key:
            out.append(ox.Triple(node, _n(BGT.linkKey), ox.Literal(ln.key)))
        out += [ox.Triple(node, _n(BGT.fromName), ox.Literal(n)) for n in ln.subject_names]
        out += [ox.Triple(node, _n(BGT.toName), ox.Literal(n)) for n in ln.object_names]
        out += [ox.Triple(node, _n(BGT.fromDocument), _n(d)) for d in ln.subject_docs]
        out += [ox.Triple(node, _n(BGT.toDocument), _n(d)) for d in ln.object_docs]
        out += [ox.Triple(node, _n(PROV.wasDerivedFrom), _n(d)) for d in sorted({*ln.subject_docs, *ln.object_docs})]
    return out + claim_findings(graph, facts.budgets, facts.titles, facts.stated, facts.own,
                                lambda nodes: facts.places(base, nodes))


def department_graph(store: Store, department: str, facts: Facts) -> str | None:
    """The N-Triples of ``department``'s links graph over ``facts`` (its documents' links and the findings
    of the figures they state of each other's budgets); ``None`` when it has no document left."""
    mine = facts.of(department)
    if not mine.budgets:
        return None
    graph = links_graph(store, department)
    return "".join(f"{t} .\n" for t in _triples(store.base, graph, department, mine, department_links(mine)))


def rebuilt_graphs(store: Store, bodies: dict[str, str | None]) -> dict[str, str | None]:
    """The links graphs of the departments the document graphs of ``bodies`` were or become part of, once
    each holds its body (``None``: deleted): links graph → its N-Triples (``None``: no document left)."""
    bodies = {name: body for name, body in bodies.items() if name.startswith(store.base + "doc/")}
    if not bodies:
        return {}
    new = facts_of_bodies(store.base, {n: b for n, b in bodies.items() if b is not None})
    stored = [n for n in sorted(bodies) if store.engine.contains_named_graph(terms.node(n))]
    # graphs not stored have no facts yet: not asked (a query bound to graphs still reads every graph's facts)
    old = read_facts(store.engine, store.base, graphs=stored) if stored else Facts([])
    departments = sorted(old.departments | new.departments)
    if not departments:
        return {}
    facts = read_facts(store.engine, store.base, departments=departments, exclude=bodies) + new
    return {links_graph(store, d): department_graph(store, d, facts) for d in departments}


def stale_departments(store: Store) -> tuple[list[str], list[str]]:
    """The departments whose links graph does not reflect their documents at :data:`LINKS_FORMAT`, and the
    links graphs of departments with no document left."""
    reflected: dict[str, set[str]] = defaultdict(set)
    graphs: dict[str, str] = {}
    for r in _rows(store.engine, store.base, f"""SELECT ?lg ?dept ?doc ?fmt WHERE {{ GRAPH ?lg {{
            ?lg a bgt:LinkGraph ; bgt:linksOf ?dept ; bgt:linksFormat ?fmt . OPTIONAL {{ ?lg bgt:reflects ?doc }} }} }}"""):
        graphs[r["lg"]] = r["dept"]
        if int(r["fmt"]) == LINKS_FORMAT and r["doc"]:
            reflected[r["dept"]].add(r["doc"])
    stored: dict[str, set[str]] = defaultdict(set)
    for b in read_facts(store.engine, store.base).budgets:
        stored[b.department].add(b.doc)
    stale = sorted(d for d, docs in stored.items() if reflected.get(d) != docs)
    orphans = sorted(g for g, d in graphs.items() if d not in stored)
    return stale, orphans


def settle_update(store: Store, graph_update) -> str:
    """The update rebuilding every stale links graph and dropping the orphaned ones ("" when all agree)."""
    stale, orphans = stale_departments(store)
    if not stale and not orphans:
        return ""
    facts = read_facts(store.engine, store.base, departments=stale) if stale else Facts([])
    parts = [graph_update(links_graph(store, d), department_graph(store, d, facts)) for d in stale]
    parts += [graph_update(g, None) for g in orphans]
    return " ;\n".join(parts)



def same_projects(store: Store, department: str) -> list[tuple[str, str]]:
    """The pairs of project IRIs the links graph of ``department`` says are one project (across years, and a
    预算's project and its 决算's under another IRI): what every comparison takes as one project."""
    rows = store.select(f"""SELECT ?a ?b WHERE {{ GRAPH {terms.iri(links_graph(store, department))} {{
      ?n a bgt:Link ; rdf:subject ?a ; rdf:object ?b ; bgt:linkedBy ?by .
      {terms.values("?by", (PROJECT_CODE, PROJECT_NAME), terms.literal)} }} }} ORDER BY ?a ?b""")
    return [(r["a"], r["b"]) for r in rows]

"""Named queries (``cites``, ``entity``) and read-only user SPARQL.

The named queries run on the store's pyoxigraph handle directly (DESIGN §6: the fast route), with
the union of the named graphs as the default graph; user SPARQL runs in the query child
(:mod:`kg.query_runner`).  Each named query has a pure builder
(``cites_sparql``…) so that it can be printed before it runs (STYLE 1.2).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox
from rdflib.namespace import PROV, RDFS

from ingest.citations import normalize_doc_number, normalize_ref, normalize_title

from . import sparql_terms as terms
from .errors import QueryError
from .money import cents
from .namespaces import sparql_prologue
from .query_limits import DEFAULT_MEMORY_LIMIT, DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_S, rows_in_time
from .query_runner import QueryResult, plain, runner
from .store import Store, _py
from .vocab import BGT, ELI


# --- cites ---------------------------------------------------------------------------------------

_N = {name: ox.NamedNode(str(iri)) for name, iri in (
    ("id_local", ELI.id_local), ("title", ELI.title), ("cites", BGT.cites), ("label", RDFS.label),
    ("amount", BGT.amount), ("budgetUnit", BGT.budgetUnit), ("inBudget", BGT.inBudget),
    ("department", BGT.department), ("phase", BGT.phase), ("fiscalYear", BGT.fiscalYear),
    ("citation", BGT.citation), ("citedLaw", BGT.citedLaw), ("field", BGT.field),
    ("qualifiedDerivation", PROV.qualifiedDerivation), ("page", BGT.page), ("line", BGT.line),
    ("sourceTable", BGT.sourceTable))}

@dataclass(frozen=True)
class Location:
    page: int | None
    line: int | None
    field: str | None = None
    table: str | None = None


@dataclass(frozen=True)
class CitesHit:
    """One project in one document that cites the law asked for."""

    project: str
    name: str
    department: str | None
    year: int | None
    phase: str | None
    amount: Decimal | None
    unit: str | None
    doc_id: str
    law: str
    locations: tuple[Location, ...] = ()

    def as_dict(self) -> dict:
        return {
            "project": self.project, "name": self.name, "department": self.department, "year": self.year,
            "phase": self.phase, "amount": None if self.amount is None else str(self.amount), "unit": self.unit,
            "doc_id": self.doc_id, "law": self.law,
            "locations": [{"page": x.page, "line": x.line, "field": x.field, "table": x.table} for x in self.locations],
        }


def ref_keys(ref: str) -> list[str]:
    """The keys a user's reference may be stored under: its 文号 form and its title form."""
    kind, key = normalize_ref(ref)
    keys = [key]
    if kind == "title":
        keys.append(normalize_doc_number(ref))  # a 文号 we did not recognise as one
    else:
        keys.append(normalize_title(ref))
    return list(dict.fromkeys(k for k in keys if k))


def cites_sparql(ref: str) -> str:
    """The SELECT behind :func:`cites` (without prefixes)."""
    return f"""SELECT ?g ?project ?name ?dept ?year ?ph ?amount ?unit ?law ?field ?page ?line ?table WHERE {{
  {terms.values("?key", ref_keys(ref), terms.literal)}
  GRAPH ?g {{
    ?law eli:id_local|eli:title ?key .
    ?project bgt:cites ?law ; rdfs:label ?name .
    OPTIONAL {{ ?project bgt:amount ?amount }}
    OPTIONAL {{ ?project bgt:budgetUnit/rdfs:label ?unit }}
    OPTIONAL {{ ?project bgt:inBudget ?b . ?b bgt:department/rdfs:label ?dept ; bgt:phase ?ph .
               OPTIONAL {{ ?b bgt:fiscalYear ?year }} }}
    OPTIONAL {{ ?project bgt:citation ?c . ?c bgt:citedLaw ?law .
               OPTIONAL {{ ?c bgt:field ?field }}
               OPTIONAL {{ ?c prov:qualifiedDerivation ?loc .
                          OPTIONAL {{ ?loc bgt:page ?page }} OPTIONAL {{ ?loc bgt:line ?line }}
                          OPTIONAL {{ ?loc bgt:sourceTable ?table }} }} }}
  }}
}} ORDER BY ?year ?dept ?name ?page ?line"""


REMEMBERED = 1024  # answers kept per store generation and kind (the same 文号 or entity is asked again by pages)


def remembered(store: Store, kind: str, key, compute):
    """``compute()``, remembered until the store is next written (:meth:`Store.cached`): the last
    :data:`REMEMBERED` keys of each ``kind``."""
    answers = store.cached(kind, OrderedDict)  # a new table after every write
    if key not in answers:
        answers[key] = compute()
        while len(answers) > REMEMBERED:
            answers.popitem(last=False)
    answers.move_to_end(key)
    return answers[key]


_ORDER = ("year", "dept", "name", "page", "line")  # cites_sparql's ORDER BY


def cites_rows(store: Store, ref: str) -> list[dict]:
    """The rows of :func:`cites_sparql` in its order, read by index lookups (``quads_for_pattern``) instead
    of running it: Oxigraph evaluates each of its OPTIONALs over every graph before joining (0.1–0.3 s a
    query on 24 documents, growing with the store), the lookups only touch the cited projects' own facts."""
    def objects(s, p, g):
        return [q.object for q in store.named_quads(s, _N[p], None, g)]

    def first(s, p, g):
        return next(iter(objects(s, p, g)), None)

    rows = []
    for key in ref_keys(ref):
        found = [q for p in ("id_local", "title") for q in store.named_quads(None, _N[p], ox.Literal(key))]
        for law, g in dict.fromkeys((q.subject, q.graph_name) for q in found):
            for project in dict.fromkeys(q.subject for q in store.named_quads(None, _N["cites"], law, g)):
                fixed = {"g": g.value, "project": project.value, "law": law.value}
                where = [{}]
                for name in objects(project, "label", g):
                    for opt in _optionals(project, g, law, objects, first):
                        where.append({"name": name, **opt})
                rows += [{**fixed, **w} for w in where[1:]]
    return sorted((_plain_row(r) for r in rows), key=lambda r: tuple(_sparql_order(r[k]) for k in _ORDER))


def _optionals(project, g, law, objects, first):
    """The solutions of :func:`cites_sparql`'s OPTIONALs for one project (each unbound where it finds none)."""
    amounts = objects(project, "amount", g) or [None]
    units = [u for unit in objects(project, "budgetUnit", g) for u in objects(unit, "label", g)] or [None]
    budgets = [(d, ph, first(b, "fiscalYear", g)) for b in objects(project, "inBudget", g)
               for dept in objects(b, "department", g) for d in objects(dept, "label", g)
               for ph in objects(b, "phase", g)] or [(None, None, None)]
    places = []
    for c in objects(project, "citation", g):
        if law not in objects(c, "citedLaw", g):
            continue
        for fld in objects(c, "field", g) or [None]:
            locs = [(pg, ln, tb) for loc in objects(c, "qualifiedDerivation", g)
                    for pg in objects(loc, "page", g) or [None] for ln in objects(loc, "line", g) or [None]
                    for tb in objects(loc, "sourceTable", g) or [None]]
            places += [(fld, *loc) for loc in locs or [(None, None, None)]]
    for amount in amounts:
        for unit in units:
            for dept, ph, year in budgets:
                for fld, page, line, table in places or [(None, None, None, None)]:
                    yield {"amount": amount, "unit": unit, "dept": dept, "ph": ph, "year": year, "field": fld,
                           "page": page, "line": line, "table": table}


def _plain_row(row: dict) -> dict:
    return {k: v if isinstance(v, str) or v is None else _py(v) for k, v in row.items()}


def _sparql_order(value):
    """A sort key as SPARQL's ORDER BY ranks values: unbound first, numbers by value, strings by code point."""
    return (0, 0, "") if value is None else (1, value, "") if isinstance(value, (int, Decimal)) else (2, 0, str(value))


def cites(store: Store, ref: str) -> list[CitesHit]:
    """Projects citing ``ref`` (a 文号 in any bracket/spacing variant, or a title), per document, within the named
    queries' timeout (``query_timeout`` past it) as :meth:`Store.select` is.  The answers are remembered until the store is next written (:func:`remembered`)."""
    if not ref or not ref.strip():
        raise QueryError("cites needs a 文号 (e.g. 武政规〔2016〕32号) or a title", "query_input",
                         expected="文号（如 武政规〔2016〕32号）或文件名称")
    def compute() -> tuple[CitesHit, ...]:
        if store.engine.remote:  # a server answers the query in one request (lookups would be one request each)
            return cites_hits(store, store.select(cites_sparql(ref)))
        return cites_hits(store, rows_in_time(lambda: cites_rows(store, ref), DEFAULT_TIMEOUT_S))

    return list(remembered(store, "cites", tuple(ref_keys(ref)), compute))


def cites_hits(store: Store, rows: list[dict]) -> tuple[CitesHit, ...]:
    """The hits of the rows of :func:`cites_sparql` (as :func:`cites_rows` reads them): one per project and
    document, with the places it cites the law."""
    prefix = store.base + "doc/"
    grouped: dict[tuple[str, str], dict] = {}
    for r in rows:
        k = (r["g"], r["project"])
        hit = grouped.setdefault(k, {**r, "locations": []})
        loc = Location(r["page"], r["line"], r["field"], r["table"])
        if (loc.page is not None or loc.line is not None) and loc not in hit["locations"]:
            hit["locations"].append(loc)
    return tuple(
        CitesHit(
            project=h["project"], name=h["name"], department=h["dept"], year=h["year"],
            phase=(h["ph"] or "").rsplit("#", 1)[-1].replace("Phase", "") or None,
            amount=cents(h["amount"]), unit=h["unit"], doc_id=h["g"][len(prefix):] if h["g"].startswith(prefix) else h["g"],
            law=h["law"], locations=tuple(h["locations"]),
        )
        for h in grouped.values()
    )


# --- entity --------------------------------------------------------------------------------------

@dataclass
class Entity:
    """What the store says about one IRI: outgoing triples and inverse links, with their graphs."""

    iri: str
    outgoing: list[tuple[str, object, str]] = field(default_factory=list)  # (predicate, object, graph)
    incoming: list[tuple[str, str, str]] = field(default_factory=list)  # (subject, predicate, graph)

    @property
    def found(self) -> bool:
        return bool(self.outgoing or self.incoming)


def entity(store: Store, iri: str, limit: int = 1000) -> Entity:
    """The triples of ``iri`` and its inverse links (at most ``limit`` of each), sorted; remembered until the
    store is next written (:func:`remembered`: a page asks again on every rerun; two index lookups at 1M
    triples cost 1.2 ms against rdflib Memory's 0.5, the remembered answer 0.01 ms)."""
    subject = terms.node(store.minter.resolve(iri))

    def compute() -> Entity:
        out = Entity(subject.value)
        for q in store.named_quads(subject):
            out.outgoing.append((q.predicate.value, plain(q.object), _graph(q.graph_name)))
            if len(out.outgoing) >= limit:
                break
        for q in store.named_quads(obj=subject):
            out.incoming.append((plain(q.subject), q.predicate.value, _graph(q.graph_name)))
            if len(out.incoming) >= limit:
                break
        out.outgoing.sort(key=lambda t: (t[0], str(t[1]), t[2]))
        out.incoming.sort(key=lambda t: (t[1], str(t[0]), t[2]))
        return out

    found = remembered(store, "entity", (subject.value, limit), compute)
    return Entity(found.iri, list(found.outgoing), list(found.incoming))  # the caller's own lists


def _graph(g) -> str:
    return "" if isinstance(g, ox.DefaultGraph) else g.value


# --- read-only user SPARQL -----------------------------------------------------------------------

def run_sparql(store: Store, query: str, timeout: float = DEFAULT_TIMEOUT_S, limit: int = DEFAULT_ROW_LIMIT,
               memory: int = DEFAULT_MEMORY_LIMIT) -> QueryResult:
    """A read-only query over the default graph (each fact of every document once, :mod:`kg.store`), in the query child (:mod:`kg.query_runner`):
    stopped after ``timeout`` seconds (its check included), ``limit`` rows or ``memory`` bytes."""
    return runner(memory).run(store, sparql_prologue(store.base), query, timeout, limit)

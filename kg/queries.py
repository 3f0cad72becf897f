"""Named queries (``cites``, ``entity``) and read-only user SPARQL.

The named queries run on the store's pyoxigraph handle directly (DESIGN §6: the fast route), with
the union of the named graphs as the default graph; user SPARQL runs in the query child
(:mod:`kg.query_runner`).  Each named query has a pure builder
(``cites_sparql``…) so that it can be printed before it runs (STYLE 1.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from ingest.citations import normalize_doc_number, normalize_ref, normalize_title

from . import sparql_terms as terms
from .errors import QueryError
from .money import cents
from .namespaces import sparql_prologue
from .query_limits import DEFAULT_MEMORY_LIMIT, DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_S
from .query_runner import QueryResult, plain, runner
from .store import Store


# --- cites ---------------------------------------------------------------------------------------

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


def cites(store: Store, ref: str) -> list[CitesHit]:
    """Projects citing ``ref`` (a 文号 in any bracket/spacing variant, or a title), per document."""
    if not ref or not ref.strip():
        raise QueryError("cites needs a 文号 (e.g. 武政规〔2016〕32号) or a title", "query_input",
                         expected="文号（如 武政规〔2016〕32号）或文件名称")
    rows = store.select(cites_sparql(ref))
    prefix = store.base + "doc/"
    grouped: dict[tuple[str, str], dict] = {}
    for r in rows:
        k = (r["g"], r["project"])
        hit = grouped.setdefault(k, {**r, "locations": []})
        loc = Location(r["page"], r["line"], r["field"], r["table"])
        if (loc.page is not None or loc.line is not None) and loc not in hit["locations"]:
            hit["locations"].append(loc)
    return [
        CitesHit(
            project=h["project"], name=h["name"], department=h["dept"], year=h["year"],
            phase=(h["ph"] or "").rsplit("#", 1)[-1].replace("Phase", "") or None,
            amount=cents(h["amount"]), unit=h["unit"], doc_id=h["g"][len(prefix):] if h["g"].startswith(prefix) else h["g"],
            law=h["law"], locations=tuple(h["locations"]),
        )
        for h in grouped.values()
    ]


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
    subject = terms.node(store.minter.resolve(iri))
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


def _graph(g) -> str:
    return "" if isinstance(g, ox.DefaultGraph) else g.value


# --- read-only user SPARQL -----------------------------------------------------------------------

def run_sparql(store: Store, query: str, timeout: float = DEFAULT_TIMEOUT_S, limit: int = DEFAULT_ROW_LIMIT,
               memory: int = DEFAULT_MEMORY_LIMIT) -> QueryResult:
    """A read-only query over the default graph (each fact of every document once, :mod:`kg.store`), in the query child (:mod:`kg.query_runner`):
    stopped after ``timeout`` seconds (its check included), ``limit`` rows or ``memory`` bytes."""
    return runner(memory).run(store, sparql_prologue(store.base), query, timeout, limit)

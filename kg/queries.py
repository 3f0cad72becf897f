"""Named queries (``cites``, ``entity``) and read-only user SPARQL.

All run on the store's pyoxigraph handle directly (DESIGN §6: the fast route), with the
union of the named graphs as the default graph.  Each named query has a pure builder
(``cites_sparql``…) so that it can be printed before it runs (STYLE 1.2).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from ingest.citations import normalize_doc_number, normalize_ref, normalize_title

from . import sparql_terms as terms
from .errors import QueryError
from .money import cents
from .namespaces import sparql_prologue
from .store import Store, _py

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_ROW_LIMIT = 10_000

# Update operations (rdflib's parser names) refused in user SPARQL
_UPDATE_NAMES = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD", "Move": "MOVE",
    "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}


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
        raise QueryError("cites needs a 文号 (e.g. 武政规〔2016〕32号) or a title", "query_input")
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
    for q in store.ox.quads_for_pattern(subject, None, None, None):
        out.outgoing.append((q.predicate.value, _term(q.object), _graph(q.graph_name)))
        if len(out.outgoing) >= limit:
            break
    for q in store.ox.quads_for_pattern(None, None, subject, None):
        out.incoming.append((_term(q.subject), q.predicate.value, _graph(q.graph_name)))
        if len(out.incoming) >= limit:
            break
    out.outgoing.sort(key=lambda t: (t[0], str(t[1]), t[2]))
    out.incoming.sort(key=lambda t: (t[1], str(t[0]), t[2]))
    return out


def _term(t) -> object:
    return _py(t) if isinstance(t, ox.Literal) else (t.value if hasattr(t, "value") else str(t))


def _graph(g) -> str:
    return "" if isinstance(g, ox.DefaultGraph) else g.value


# --- read-only user SPARQL -----------------------------------------------------------------------

@dataclass
class QueryResult:
    """Rows of a SELECT (``vars`` + ``rows``), the answer of an ASK, or the triples of CONSTRUCT/DESCRIBE."""

    kind: str  # "select" | "ask" | "graph"
    vars: list[str] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False


def _walk(part, found: set[str]) -> None:
    name = getattr(part, "name", None)
    if name == "ServiceGraphPattern":
        found.add("SERVICE")
    if isinstance(part, dict):
        for v in part.values():
            _walk(v, found)
    elif isinstance(part, (list, tuple)):
        for v in part:
            _walk(v, found)


def check_read_only(query: str, prologue: str = "") -> str:
    """Parse with rdflib and refuse anything but a read-only query; returns the query form.

    UPDATE operations (INSERT/DELETE/LOAD/CLEAR/DROP/CREATE/ADD/MOVE/COPY) and SERVICE are refused.
    ``prologue`` (PREFIX lines) is parsed with the query; error positions refer to ``query`` alone.
    """
    offset = prologue.count("\n")
    query = prologue + query
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = translateQuery(parseQuery(query))
    except ParseException as query_error:
        try:
            update = translateUpdate(parseUpdate(query))
        except Exception:
            where = f" at line {query_error.lineno - offset}, column {query_error.col}"
            raise QueryError(f"malformed SPARQL{where}: {query_error.msg}", "query_syntax") from None
        ops = sorted({_UPDATE_NAMES.get(op.name, op.name.upper()) for op in update.algebra})
        raise QueryError(f"read-only store: {', '.join(ops)} is not allowed; use SELECT, ASK, CONSTRUCT or DESCRIBE",
                         "query_update")
    except Exception as exc:
        raise QueryError(f"malformed SPARQL: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
                         "query_syntax") from None
    found: set[str] = set()
    _walk(parsed.algebra, found)
    if found:
        raise QueryError("SERVICE is not allowed: queries run on the local store only", "query_service")
    return parsed.algebra.name  # SelectQuery | AskQuery | ConstructQuery | DescribeQuery


def run_sparql(store: Store, query: str, timeout: float = DEFAULT_TIMEOUT_S,
               limit: int = DEFAULT_ROW_LIMIT) -> QueryResult:
    """A read-only query over the union of all graphs, stopped after ``timeout`` seconds or ``limit`` rows."""
    check_read_only(query, sparql_prologue(store.base))
    box: dict[str, object] = {}
    stop = threading.Event()

    def work() -> None:
        try:
            box["result"] = _collect(store, sparql_prologue(store.base) + query, limit, stop)
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=work, name="budgetkg-sparql", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        stop.set()
        raise QueryError(f"query stopped after {timeout:g} s; narrow it (LIMIT, more specific patterns)", "query_timeout")
    if "error" in box:
        exc = box["error"]
        raise QueryError(f"query failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc
    return box["result"]  # type: ignore[return-value]


def _collect(store: Store, query: str, limit: int, stop: threading.Event) -> QueryResult:
    res = store.ox.query(query, use_default_graph_as_union=True)
    if isinstance(res, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        out = QueryResult("select", vars=[v.value for v in res.variables])
        for sol in res:
            if stop.is_set():
                break
            if len(out.rows) >= limit:
                out.truncated = True
                break
            out.rows.append({v: _term(sol[v]) if sol[v] is not None else None for v in out.vars})
        return out
    out = QueryResult("graph", vars=["subject", "predicate", "object"])
    for t in res:
        if stop.is_set():
            break
        if len(out.rows) >= limit:
            out.truncated = True
            break
        out.rows.append({"subject": _term(t.subject), "predicate": t.predicate.value, "object": _term(t.object)})
    return out

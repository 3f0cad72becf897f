"""What a search returns: the best passage of a subject, with the subject, where it was read, and what
the subject is in that document (department, year, phase, amount, unit) for the hit to show."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal

from .. import sparql_terms as terms
from ..money import to_decimal


@dataclass(frozen=True)
class Subject:
    iri: str
    type: str
    label: str | None


@dataclass(frozen=True)
class DocumentRef:
    id: str
    source: str | None
    title: str | None = None  # the document's own title (dcterms:title), shown instead of its file name


@dataclass(frozen=True)
class SubjectFacts:
    """The subject in the hit's document: the budget's department, year and phase, the subject's own
    amount (a project's; for a department, the document's 支出合计) and its budget unit."""

    department: str | None = None
    year: int | None = None
    phase: str | None = None  # budget | final_account
    amount: Decimal | None = None  # 万元
    unit: str | None = None


@dataclass(frozen=True)
class Hit:
    """One result: the passage that matched best, with its subject entity and where it was read."""

    text: str
    score: float
    subject: Subject
    document: DocumentRef
    page: int | None
    line: int | None
    passage: str
    kind: str
    ranks: dict = field(default_factory=dict)  # method -> 1-based rank of this passage, where ranked
    facts: SubjectFacts = field(default_factory=SubjectFacts)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["score"] = round(self.score, 6)
        return d


def document_facts(store) -> dict[str, dict]:
    """Each stored document's title, department, year, phase and 支出合计 (``spent``), by graph IRI: one query
    over every document, remembered until the store is next written.  Asked for a search's few documents
    (``VALUES ?g``), Oxigraph evaluates the OPTIONALs over every graph first: 20 ms at 170k triples, growing
    with the store; the whole table is a few milliseconds more, once."""
    def read() -> dict[str, dict]:
        docs: dict[str, dict] = {}
        for r in store.select(f"""SELECT ?g ?title ?dept ?year ?phase ?spent WHERE {{
              GRAPH ?g {{ ?g dcterms:identifier ?id . OPTIONAL {{ ?g dcterms:title ?title }}
                OPTIONAL {{ ?b bgt:disclosedIn ?g ; bgt:department/rdfs:label ?dept . OPTIONAL {{ ?b bgt:fiscalYear ?year }}
                  OPTIONAL {{ ?b bgt:phase ?phaseNode
                             OPTIONAL {{ GRAPH {terms.iri(store.ontology_graph)} {{ ?phaseNode skos:notation ?phase }} }} }}
                  OPTIONAL {{ ?b bgt:total ?t . ?t bgt:totalKey "expenditure_total" ; bgt:amount ?spent }} }} }} }}"""):
            docs.setdefault(r["g"], r)  # one per document (a name in two languages reads twice)
        return docs

    return store.cached("document-facts", read)


def described(store, hits: list[Hit]) -> list[Hit]:
    """``hits`` with their document's title and their subject's :class:`SubjectFacts` (the documents' table,
    :func:`document_facts`; one query for the subjects' own amounts and units)."""
    if not hits:
        return hits
    graph = {h.document.id: str(store.doc_graph(h.document.id)) for h in hits}
    docs = document_facts(store)
    pairs = sorted({(h.subject.iri, graph[h.document.id]) for h in hits if h.subject.iri})
    own: dict[tuple[str, str], dict] = {}
    # each OPTIONAL outside the GRAPH: joined to the VALUES row by row (inside it, over every graph first)
    for r in store.select(f"""SELECT ?s ?g ?amount ?unit WHERE {{
          VALUES (?s ?g) {{ {" ".join(f"({terms.iri(s)} {terms.iri(g)})" for s, g in pairs)} }}
          OPTIONAL {{ GRAPH ?g {{ ?s bgt:amount ?amount }} }}
          OPTIONAL {{ GRAPH ?g {{ ?s bgt:budgetUnit/rdfs:label ?unit }} }} }}"""):
        own.setdefault((r["s"], r["g"]), r)
    out = []
    for h in hits:
        d = docs.get(graph[h.document.id], {})
        mine = own.get((h.subject.iri, graph[h.document.id]), {})
        amount = mine.get("amount")
        if amount is None and h.subject.type == "department":
            amount = d.get("spent")
        out.append(replace(h, document=replace(h.document, title=d.get("title")), facts=SubjectFacts(
            d.get("dept"), d.get("year"), d.get("phase"), to_decimal(amount), mine.get("unit"))))
    return out

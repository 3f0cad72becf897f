"""The values a search can be filtered by, read from the store (pickers in front-ends).

Each field holds values that :class:`kg.filters.Filters` accepts as they are: department and unit
names, fiscal years, phases (``budget``/``final_account``), funding sources, functional-class
codes (every level above a project's class too, so ``210`` keeps all of 卫生健康支出) and the
range of project amounts in 万元.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import sparql_terms as terms


@dataclass(frozen=True)
class Facets:
    departments: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    funds: list[str] = field(default_factory=list)
    codes: list[tuple[str, str]] = field(default_factory=list)  # (functional code, its name), by code
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None


def _values(store, query: str) -> list:
    return [r["v"] for r in store.select(query) if r["v"] is not None]


def facets(store) -> Facets:
    """The distinct filter values over all stored documents, sorted."""
    budgets = "GRAPH ?g { ?b bgt:disclosedIn ?g }"
    amounts = store.select("""SELECT (MIN(?a) AS ?lo) (MAX(?a) AS ?hi) WHERE {
        GRAPH ?g { ?p a bgt:Project ; bgt:amount ?a } }""")
    codes = store.select(f"""SELECT DISTINCT ?code ?name WHERE {{
        GRAPH ?g {{ ?p a bgt:Project ; bgt:functionalClass ?fc }}
        GRAPH {terms.iri(store.codelist_graph)} {{ ?fc skos:broader* ?c . ?c skos:notation ?code .
                                          OPTIONAL {{ ?c skos:prefLabel ?name }} }}
    }} ORDER BY ?code""")
    return Facets(
        departments=sorted(_values(store, f"SELECT DISTINCT ?v WHERE {{ {budgets} ?b bgt:department/rdfs:label ?v }}")),
        years=sorted(_values(store, f"SELECT DISTINCT ?v WHERE {{ {budgets} ?b bgt:fiscalYear ?v }}")),
        phases=sorted(_values(store, f"""SELECT DISTINCT ?v WHERE {{ {budgets} ?b bgt:phase ?ph .
            GRAPH {terms.iri(store.ontology_graph)} {{ ?ph skos:notation ?v }} }}""")),
        units=sorted(_values(store, "SELECT DISTINCT ?v WHERE { GRAPH ?g { ?u a bgt:BudgetUnit ; rdfs:label ?v } }")),
        funds=sorted(_values(store, """SELECT DISTINCT ?v WHERE {
            GRAPH ?g { ?f a bgt:FundingSource ; rdfs:label ?v } }""")),
        codes=[(str(r["code"]), r["name"] or "") for r in codes],
        min_amount=amounts[0]["lo"] if amounts else None,
        max_amount=amounts[0]["hi"] if amounts else None,
    )

"""Example SPARQL queries to start from (the app's SPARQL page): read-only, prefixes predefined.

The examples name a law and a department that are in the store, so each one has rows to show.
"""

from __future__ import annotations

from . import sparql_terms as terms
from .queries import cites_sparql

DEFAULT_LAW = "武政规〔2016〕32号"

PROJECTS_OF_DEPARTMENT = """SELECT ?project ?name ?amount ?unit ?year WHERE {{
  ?project a bgt:Project ; rdfs:label ?name ; bgt:department/rdfs:label ?deptName .
  FILTER(STR(?deptName) = {dept})
  OPTIONAL {{ ?project bgt:amount ?amount }}
  OPTIONAL {{ ?project bgt:budgetUnit/rdfs:label ?unit }}
  OPTIONAL {{ ?project bgt:inBudget/bgt:fiscalYear ?year }}
}} ORDER BY DESC(?amount)"""

LAWS_CITED_MOST = """SELECT ?law (SAMPLE(?id) AS ?docNumber) (SAMPLE(?title) AS ?lawTitle)
       (COUNT(DISTINCT ?project) AS ?projects) WHERE {
  ?project bgt:cites ?law .
  OPTIONAL { ?law eli:id_local ?id }
  OPTIONAL { ?law eli:title ?title }
} GROUP BY ?law ORDER BY DESC(?projects) ?docNumber LIMIT 50"""

DOCUMENTS = """SELECT ?doc ?file ?department ?year ?phase WHERE {
  GRAPH ?doc { ?b bgt:disclosedIn ?doc ; bgt:department/rdfs:label ?department ; bgt:phase ?ph .
               OPTIONAL { ?doc bgt:sourceFile ?file } OPTIONAL { ?b bgt:fiscalYear ?year } }
  OPTIONAL { ?ph skos:notation ?phase }
} ORDER BY ?department ?year"""

AMOUNT_BY_FUNCTION = """SELECT ?code ?name (COUNT(?project) AS ?projects) (SUM(?amount) AS ?total) WHERE {
  ?project a bgt:Project ; bgt:amount ?amount ; bgt:functionalClass ?fc .
  ?fc skos:notation ?code .
  OPTIONAL { ?fc skos:prefLabel ?name }
} GROUP BY ?code ?name ORDER BY DESC(?total)"""

FUNDING_SOURCES = """SELECT ?source (COUNT(DISTINCT ?project) AS ?projects) (SUM(?amount) AS ?total) WHERE {
  ?project bgt:funding ?f . ?f bgt:fundingSource/rdfs:label ?source ; bgt:amount ?amount .
} GROUP BY ?source ORDER BY DESC(?total)"""

THREE_PUBLIC = """SELECT ?department ?year ?item ?amount WHERE {
  ?b a bgt:Budget ; bgt:department/rdfs:label ?department ; bgt:threePublic ?t .
  OPTIONAL { ?b bgt:fiscalYear ?year }
  ?t bgt:item ?item ; bgt:amount ?amount .
} ORDER BY ?department ?year ?item"""


def _first(store, query: str, default: str) -> str:
    rows = store.select(query)
    return rows[0]["v"] if rows and rows[0]["v"] else default


def example_queries(store) -> dict[str, str]:
    """``{title: query}``: which projects cite a law, a department's projects, the laws cited most, …"""
    law = _first(store, """SELECT ?v (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p bgt:cites ?law . ?law eli:id_local ?v }
                           GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT 1""", DEFAULT_LAW)
    dept = _first(store, "SELECT ?v WHERE { ?b bgt:department/rdfs:label ?v } ORDER BY ?v LIMIT 1", "某部门")
    return {
        f"引用某文件的项目（{law}）": cites_sparql(law),
        f"某部门的项目及金额（{dept}）": PROJECTS_OF_DEPARTMENT.format(dept=terms.literal(dept)),
        "被引用最多的文件": LAWS_CITED_MOST,
        "已导入的文档": DOCUMENTS,
        "按功能分类汇总项目金额": AMOUNT_BY_FUNCTION,
        "按资金来源汇总项目金额": FUNDING_SOURCES,
        "“三公”经费": THREE_PUBLIC,
    }

"""Findings read back from the store (:meth:`kg.api.BudgetKG.findings`): each with its message, page, rule
family, the values it compares (label, amount, where printed; a sum with its terms) and the entities it concerns.

Three SELECTs (the findings, their values, their subjects), each restricted to the documents asked for (and
to the findings that concern one entity), with every value entering the query through :mod:`kg.sparql_terms`;
each has a pure builder for printing.  :func:`count_findings` counts the findings concerning each of some
entities (the app's badges).  A finding's family is its rule's in :func:`ingest.rules.catalogue`; a rule not
(yet) there gets one from its id (:func:`family_of`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ingest.rules import catalogue

from . import sparql_terms as terms
from .browse.views import Source, parse_bbox
from .check_findings import SEVERITY_ZH
from .labels import value_label
from .money import CENT, quantity, to_decimal
from .vocab import BGT

if TYPE_CHECKING:
    from .store import Store

__all__ = ["FAMILY_ZH", "SEVERITY_ZH", "FindingValue", "StoredFinding", "Subject", "count_findings", "family_of",
           "read_findings"]

# rule family (``ingest.records.Rule.family``) → its Chinese name, in the order the findings page lists them;
# "reading" holds what the reader noted while reading the tables (a repair, a reading chosen), no rule's finding
FAMILY_ZH = {"table_arithmetic": "表内平衡", "cross_table": "表间一致", "narrative": "文字与表格",
             "growth": "增减与占比", "names_years": "名称与年份", "completeness": "完整性",
             "document_facts": "基本信息", "text": "文字规范", "project": "项目", "cross_document": "跨文件核对",
             "reading": "读取说明"}


def family_of(rule: str) -> str:
    """The family (a key of :data:`FAMILY_ZH`) of a finding's rule, as the rule catalogue defines it; a rule
    the catalogue lacks (a store written by an older budgetkg) counts as a note of the reader."""
    known = catalogue().get(rule)
    return known.family if known is not None else "reading"


@dataclass(frozen=True)
class FindingValue:
    """One value a finding compares: label, amount (万元) and where it was printed (a sum: ``terms``)."""

    label: str
    amount: Decimal | None = None
    page: int | None = None
    line: int | None = None
    table: str | None = None
    row: int | None = None
    snippet: str | None = None
    bbox: str | None = None
    source_file: str | None = None
    terms: tuple["FindingValue", ...] = ()
    unit: str = "万元"  # a share or a count: "%", "人" …

    @property
    def quantity(self) -> str:
        """The amount with its unit: ``1,152.46 万元``, ``74.54%``, ``7 人``; "" when it has none."""
        return quantity(self.amount, self.unit)

    def source(self, doc_id: str, doc_title: str | None = None, doc_file: str | None = None) -> Source:
        """Where the value was printed, as the entity pages show a fact's source (``doc_file``: the
        document's file, when the place names none)."""
        return Source(doc_id, doc_title, self.source_file or doc_file, self.page, self.line, self.row, self.table,
                      self.snippet or "", parse_bbox(self.bbox))

    def as_dict(self) -> dict:
        out = {"label": self.label, "amount": _amount_text(self.amount), "unit": self.unit, "page": self.page,
               "snippet": self.snippet, "line": self.line, "table": self.table, "row": self.row, "bbox": self.bbox,
               "source_file": self.source_file}
        if self.terms:
            out["terms"] = [t.as_dict() for t in self.terms]
        return out


@dataclass(frozen=True)
class Subject:
    """An entity a finding concerns (document, budget, budget line, project, total): its IRI and name."""

    iri: str
    label: str | None


@dataclass(frozen=True)
class StoredFinding:
    """One finding of one stored document (:meth:`kg.api.BudgetKG.findings`)."""

    doc_id: str
    iri: str
    rule: str
    severity: str
    message: str
    page: int | None = None
    line: int | None = None
    tolerance: Decimal | None = None
    values: tuple[FindingValue, ...] = ()
    subjects: tuple[Subject, ...] = ()
    family: str = "reading"  # a key of FAMILY_ZH (:func:`family_of` its rule)

    def as_dict(self) -> dict:
        return {"rule": self.rule, "family": self.family, "severity": self.severity, "message": self.message,
                "page": self.page,
                "values": [v.as_dict() for v in self.values],
                "subjects": [{"iri": s.iri, "label": s.label} for s in self.subjects],
                "doc_id": self.doc_id, "line": self.line,
                "tolerance": _amount_text(self.tolerance)}


def _amount_text(amount: Decimal | None) -> str | None:
    """An amount of 万元 as text to the cent (``1096.50``), or with the further digits a 元 figure has."""
    if amount is None:
        return None
    return str(amount.quantize(CENT) if amount == amount.quantize(CENT) else amount.normalize())


def _docs(store: Store, doc_ids) -> str:
    """The documents whose findings are asked for (a document's IRI is its graph's)."""
    return "" if doc_ids is None else terms.values("?doc", [store.minter.document(d) for d in doc_ids])


def _graphs(store: Store, doc_ids) -> str:
    """The graphs holding those documents' findings: their own, and the links graphs, where the findings
    of the figures one document states of another's budget live (:mod:`kg.crossdoc`)."""
    if doc_ids is None:
        return ""
    links = [r["g"] for r in store.select("SELECT ?g WHERE { GRAPH ?g { ?g a bgt:LinkGraph } }")]
    return terms.values("?g", [store.minter.document(d) for d in doc_ids] + links)


def findings_sparql(store: Store, doc_ids=None, severity: str | None = None, rule_prefix: str | None = None,
                    concerning: str | None = None) -> str:
    """The SELECT of the findings themselves (without prefixes); ``concerning``: only those about that entity
    (an IRI as the store holds it)."""
    conditions = [] if concerning is None else [f"?f bgt:concerns {terms.iri(concerning)} ."]
    if severity:
        conditions.append(f"FILTER(?severity = {terms.literal(severity)})")
    if rule_prefix:
        conditions.append(f"FILTER(STRSTARTS(STR(?rule), {terms.literal(rule_prefix)}))")
    return f"""SELECT (?doc AS ?g) ?f ?rule ?severity ?message ?tolerance ?page ?line WHERE {{
  {_docs(store, doc_ids)}
  GRAPH ?graph {{
    ?doc bgt:finding ?f . ?f bgt:rule ?rule ; bgt:severity ?severity ; bgt:message ?message .
    OPTIONAL {{ ?f bgt:tolerance ?tolerance }}
    OPTIONAL {{ ?f prov:qualifiedDerivation ?loc . OPTIONAL {{ ?loc bgt:page ?page }} OPTIONAL {{ ?loc bgt:line ?line }} }}
    {' '.join(conditions)}
  }}
}} ORDER BY ?doc ?page ?line ?rule ?f"""


def values_sparql(store: Store, doc_ids=None) -> str:
    """The SELECT of every compared value (and term) with its place; a finding ingest made with its values
    as text (``bgt:value``): each text as a value's label."""
    return f"""SELECT ?owner ?v ?pos ?label ?amount ?quantity ?unit ?page ?line ?table ?row ?snippet ?bbox ?file WHERE {{
  {_graphs(store, doc_ids)}
  GRAPH ?g {{
    {{ ?owner bgt:comparedValue|bgt:term ?v . ?v bgt:position ?pos .
      OPTIONAL {{ ?v rdfs:label ?label }} OPTIONAL {{ ?v bgt:amount ?amount }}
      OPTIONAL {{ ?v bgt:quantity ?quantity ; bgt:measureUnit ?unit }}
      OPTIONAL {{ ?v prov:qualifiedDerivation ?loc .
                 OPTIONAL {{ ?loc bgt:page ?page }} OPTIONAL {{ ?loc bgt:line ?line }}
                 OPTIONAL {{ ?loc bgt:sourceTable ?table }} OPTIONAL {{ ?loc bgt:row ?row }}
                 OPTIONAL {{ ?loc bgt:snippet ?snippet }} OPTIONAL {{ ?loc bgt:bbox ?bbox }}
                 OPTIONAL {{ ?loc bgt:sourceFile ?file }} }} }}
    UNION {{ ?owner bgt:value ?label . BIND(?label AS ?v) BIND(0 AS ?pos) }}
  }}
}} ORDER BY ?owner ?pos ?label"""


def subjects_sparql(store: Store, doc_ids=None) -> str:
    """The SELECT of what each finding concerns, with a label (a budget line: its code and printed name)."""
    return f"""SELECT ?f ?s ?label ?code ?name ?key ?item WHERE {{
  {_docs(store, doc_ids)}
  GRAPH ?g {{ ?doc bgt:finding ?f . ?f bgt:concerns ?s . }}
  OPTIONAL {{ ?s rdfs:label ?label }} OPTIONAL {{ ?s bgt:code ?code }} OPTIONAL {{ ?s bgt:printedName ?name }}
  OPTIONAL {{ ?s bgt:totalKey ?key }}
}}"""


def _subject_label(r: dict) -> str | None:
    if r["label"]:
        return r["label"]
    if r["code"] or r["name"]:
        return " ".join(str(x) for x in (r["code"], r["name"]) if x)
    return value_label(str(BGT.totalKey), r["key"]) if r["key"] else None


def count_findings_sparql(subjects) -> str:
    """The SELECT counting the findings that concern each of ``subjects`` (IRIs as the store holds them)."""
    return f"""SELECT ?s (COUNT(DISTINCT ?f) AS ?n) WHERE {{
  {terms.values("?s", subjects)}
  GRAPH ?g {{ ?doc bgt:finding ?f . ?f bgt:concerns ?s }}
}} GROUP BY ?s"""


def count_findings(store: Store, subjects) -> dict[str, int]:
    """How many findings concern each of ``subjects`` (an IRI or a path under the base; every one is a key,
    keyed as given)."""
    resolved = {str(store.minter.resolve(s.strip())): s for s in subjects}
    counts = dict.fromkeys(resolved.values(), 0)
    if resolved:
        for r in store.select(count_findings_sparql(list(resolved))):
            counts[resolved[r["s"]]] = int(r["n"])
    return counts


def read_findings(store: Store, doc_ids=None, severity: str | None = None, rule_prefix: str | None = None,
                  concerning: str | None = None, family: str | None = None) -> list[StoredFinding]:
    """The findings of the stored documents ``doc_ids`` (all: None), of one ``severity``, whose rule starts
    with ``rule_prefix``, that concern the entity ``concerning`` (an IRI or a path under the base), of one
    ``family`` (a key of :data:`FAMILY_ZH`); in document, page and line order."""
    doc_ids = None if doc_ids is None else list(doc_ids)
    if doc_ids == []:
        return []
    about = None if concerning is None else str(store.minter.resolve(concerning.strip()))
    heads: dict[str, dict] = {}
    for r in store.select(findings_sparql(store, doc_ids, severity, rule_prefix, about)):
        if family is None or family_of(r["rule"]) == family:
            heads.setdefault(r["f"], r)
    if not heads:
        return []
    rows_by_owner: dict[str, list[dict]] = {}
    for r in store.select(values_sparql(store, doc_ids)):
        rows_by_owner.setdefault(r["owner"], []).append(r)

    def values(owner: str) -> tuple[FindingValue, ...]:
        rows = sorted({r["v"]: r for r in rows_by_owner.get(owner, [])}.values(), key=lambda r: int(r["pos"]))
        return tuple(FindingValue(
            r["label"] or "", to_decimal(r["amount"] if r["unit"] is None else r["quantity"]), r["page"], r["line"],
            r["table"], r["row"], r["snippet"], r["bbox"], r["file"], values(r["v"]), r["unit"] or "万元")
            for r in rows)

    subjects: dict[str, list[Subject]] = {}
    for r in store.select(subjects_sparql(store, doc_ids)):
        if r["f"] in heads:
            s = Subject(r["s"], _subject_label(r))
            if all(x.iri != s.iri for x in subjects.setdefault(r["f"], [])):
                subjects[r["f"]].append(s)
    prefix = store.base + "doc/"
    return [StoredFinding(
        h["g"][len(prefix):] if h["g"].startswith(prefix) else h["g"], f, h["rule"], h["severity"], h["message"],
        h["page"], h["line"], to_decimal(h["tolerance"]), values(f),
        tuple(sorted(subjects.get(f, []), key=lambda s: s.iri)), family_of(h["rule"])) for f, h in heads.items()]

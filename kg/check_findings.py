"""Findings in the graph: each failed reconciliation check as a ``bgt:Finding`` with its evidence (read back
by :mod:`kg.findings`).

A failed :class:`~ingest.records.Check` becomes a finding with its rule id (``reconcile.<rule>``), severity,
a Chinese message (its rule's template in the catalogue: :func:`ingest.rules.check_message`), its tolerance
(万元) and one ``bgt:ComparedValue`` per side (``bgt:position`` 1 and 2): label, amount (``xsd:decimal``, 万元) and the place it was printed (a
``bgt:SourceLocation``).  A side that is a sum (Σ 项 of 21015) was printed nowhere: its terms are values of
their own (``bgt:term``), each with its place.  The finding and each value ``bgt:concerns`` what they are
about: the document and budget, and the record read at a value's place (the budget line, project, total or
三公 line whose source location is the figure's table row or line).

Passed checks stay out of the graph: a document runs about 90 of them, which would triple the finding
nodes for no reader.  The plain :class:`~ingest.records.Finding` ingest makes of a failed check (same rule
and message) is not mapped again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import PROV, RDF

from ingest.records import Check, Extraction, Figure, Provenance
from ingest.rules import MONEY_UNIT, check_message, check_rule

from .iri import digest
from .vocab import BGT

if TYPE_CHECKING:
    from .mapping import _Mapper

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def rule_id(check: Check) -> str:
    """The finding's stable rule id: ``reconcile.level_sum`` …; an audit rule's own id (``growth.direction``)."""
    return check_rule(check).id


def severity(check: Check) -> str:
    return check_rule(check).severity


# --- checks → RDF ----------------------------------------------------------------------------

def _place(pv: Provenance) -> tuple:
    return (pv.source, pv.page, pv.table, pv.row, pv.line)


# the records a figure may have been read from (a row or a line of their own)
_RECORD_CLASSES = (BGT.BudgetLine, BGT.Project, BGT.Total, BGT.ThreePublic, BGT.Procurement)
_AMOUNTS = (BGT.amount, BGT.totalAmount, BGT.basicAmount, BGT.projectAmount)


class FindingMapper:
    """Maps one extraction's failed checks into the mapper's graph (after every record was mapped)."""

    def __init__(self, mapper: _Mapper):
        self.m = mapper
        self._records: dict[tuple, list[URIRef]] | None = None
        self._by_line: dict[tuple, list[URIRef]] | None = None

    @property
    def records(self) -> dict[tuple, list[URIRef]]:
        """:meth:`_records_by_place`, read on first use (a document without failed checks needs none)."""
        if self._records is None:
            self._records = self._records_by_place()
        return self._records

    def _records_by_place(self) -> dict[tuple, list[URIRef]]:
        """Each place (file, page, table, row, line) a record was read at → the records read there."""
        g, out = self.m.g, {}
        for cls in _RECORD_CLASSES:
            for node in sorted(g.subjects(RDF.type, cls)):
                for loc in g.objects(node, PROV.qualifiedDerivation):
                    if g.value(loc, BGT.forProperty) is not None:
                        continue  # a field's own source, not where the record itself was read
                    key = tuple(None if (v := g.value(loc, p)) is None else v.toPython()
                                for p in (BGT.sourceFile, BGT.page, BGT.sourceTable, BGT.row, BGT.line))
                    out.setdefault(key, [])
                    if node not in out[key]:
                        out[key].append(node)
        return out

    def records_on_line(self, pv: Provenance | None) -> list[URIRef]:
        """The records with a source (their own or a field's) on the line ``pv`` names."""
        if pv is None or pv.line is None:
            return []
        if self._by_line is None:
            g, self._by_line = self.m.g, {}
            for cls in _RECORD_CLASSES:
                for node in sorted(g.subjects(RDF.type, cls)):
                    for loc in g.objects(node, PROV.qualifiedDerivation):
                        key = tuple(None if (v := g.value(loc, p)) is None else v.toPython()
                                    for p in (BGT.sourceFile, BGT.page, BGT.line))
                        if node not in self._by_line.setdefault(key, []):
                            self._by_line[key].append(node)
        return self._by_line.get((pv.source, pv.page, pv.line), [])

    def record_at(self, figure: Figure) -> list[URIRef]:
        """The records read where ``figure`` was printed; of several (a 合计 row is the place of the 基本支出
        and 项目支出 totals), those stating its amount."""
        here = [] if figure.provenance is None else self.records.get(_place(figure.provenance), [])
        same = [n for n in here if any(o.toPython() == figure.amount for p in _AMOUNTS for o in self.m.g.objects(n, p))]
        return same or here

    def check(self, check: Check) -> URIRef:
        m = self.m
        node = m.m.in_doc(m.doc_id, "finding", digest(check.rule, check.message))
        m.part(m.doc, BGT.finding, node, BGT.Finding)
        m.add(node, BGT.rule, rule_id(check))
        m.add(node, BGT.severity, severity(check))
        m.add(node, BGT.message, check_message(check))
        m.add(node, BGT.tolerance, check.tolerance)
        m.add(node, BGT.concerns, m.doc)
        m.add(node, BGT.concerns, m.budget)
        for position, figure in enumerate((check.left, check.right), 1):
            for record in self.value(node, BGT.comparedValue, figure, (digest(check.rule, check.message), position)):
                m.add(node, BGT.concerns, record)
        printed = next((f for f in (check.left, check.right) if not f.terms), check.left)
        m.derive(node, printed.provenance)
        return node

    def value(self, owner: URIRef, link: URIRef, figure: Figure, key: tuple) -> list[URIRef]:
        """``figure`` as a value node of ``owner`` (its terms as values of its own); ``key``: the finding's key
        and the value's positions down to it.  Returns the records it and its terms were read from."""
        m = self.m
        position = key[-1]
        node = m.part(owner, link, m.m.in_doc(m.doc_id, "finding", key[0], "value", *key[1:]), BGT.ComparedValue)
        m.label(node, figure.label)
        if figure.unit == MONEY_UNIT:
            m.add(node, BGT.amount, figure.amount)
        else:
            m.add(node, BGT.quantity, figure.amount)
            m.add(node, BGT.measureUnit, figure.unit)
        m.add(node, BGT.position, position)
        records = []
        if figure.terms:
            m.derive(node)  # a sum is printed nowhere: its terms say where they were
            for i, term in enumerate(figure.terms, 1):
                records += self.value(node, BGT.term, term, (*key, i))
        else:
            m.derive(node, figure.provenance)
            records = self.record_at(figure)
        for record in dict.fromkeys(records):
            m.add(node, BGT.concerns, record)
        return list(dict.fromkeys(records))


def map_findings(mapper: _Mapper, ex: Extraction) -> None:
    """The failed checks of ``ex`` as findings with their values, then every other finding of ingest (a
    reading note, a text rule's finding) with its text values; each concerns the document and the records
    read at its line (a project whose 项目编码 line a duplicate-code finding names)."""
    failed = [c for c in ex.checks if not c.passed]
    findings = FindingMapper(mapper)
    for c in failed:
        findings.check(c)
    mapped = {(rule_id(c), check_message(c)) for c in failed}  # ingest made a plain finding of each
    m = mapper
    for i, f in enumerate(ex.findings):
        if (f.rule, f.message) in mapped:
            continue
        node = m.part(m.doc, BGT.finding, m.m.in_doc(m.doc_id, "finding", i), BGT.Finding)
        m.add(node, BGT.rule, f.rule)
        m.add(node, BGT.severity, f.severity)
        m.add(node, BGT.message, f.message)
        m.add(node, BGT.concerns, m.doc)
        for record in findings.records_on_line(f.provenance):
            m.add(node, BGT.concerns, record)
        for v in f.values:
            m.add(node, BGT.value, v)
        m.derive(node, f.provenance)

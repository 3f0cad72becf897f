"""Findings in the graph: each failed reconciliation check as a ``bgt:Finding`` with its evidence (read back
by :mod:`kg.findings`).

A failed :class:`~ingest.records.Check` becomes a finding with its rule id (``reconcile.<rule>``), severity,
a Chinese message (:data:`RULES`: one template per rule), its tolerance (万元) and one ``bgt:ComparedValue``
per side (``bgt:position`` 1 and 2): label, amount (``xsd:decimal``, 万元) and the place it was printed (a
``bgt:SourceLocation``).  A side that is a sum (Σ 项 of 21015) was printed nowhere: its terms are values of
their own (``bgt:term``), each with its place.  The finding and each value ``bgt:concerns`` what they are
about: the document and budget, and the record read at a value's place (the budget line, project, total or
三公 line whose source location is the figure's table row or line).

Passed checks stay out of the graph: a document runs about 90 of them, which would triple the finding
nodes for no reader.  The plain :class:`~ingest.records.Finding` ingest makes of a failed check (same rule
and message) is not mapped again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import PROV, RDF

from ingest.records import Check, Extraction, Figure, Provenance
from ingest.rules import catalogue

from .iri import digest
from .money import quantity, wan
from .vocab import BGT

if TYPE_CHECKING:
    from .mapping import _Mapper

RULE_PREFIX = "reconcile."
MONEY_UNIT = "万元"  # a figure in any other unit is a quantity with its unit (bgt:quantity, bgt:measureUnit)
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}

_DIFFERENCE = "（相差 {difference} 万元，容差 {tolerance} 万元）"


@dataclass(frozen=True)
class Rule:
    """A check rule's severity and Chinese message template.

    The template's fields: ``left``/``right`` (the figures' labels), ``left_amount``/``right_amount`` (万元),
    ``table``/``right_table`` (the tables they were read from); the difference and tolerance follow."""

    severity: str
    template: str


RULES: dict[str, Rule] = {
    "level_sum": Rule("warning", "{table}：{left} {left_amount} 万元，不等于其下一级科目之和 {right_amount} 万元"),
    "table_total": Rule("warning", "{table}：合计 {left_amount} 万元，不等于各顶层科目之和 {right_amount} 万元"),
    "column_total": Rule("warning", "{table}：合计行的 {left} {left_amount} 万元，不等于各顶层科目该栏之和 "
                                    "{right_amount} 万元"),
    # used to confirm a column's income role (ingest/reconcile/similar_columns.py); a template all the same
    "income_parts": Rule("warning", "{table}：{left} {left_amount} 万元，不等于上年结转与各项收入之和 "
                                    "{right_amount} 万元"),
    "basic_plus_project": Rule("warning", "{table}：{left} {left_amount} 万元，不等于基本支出与项目支出之和 "
                                          "{right_amount} 万元"),
    "line_across_tables": Rule("warning", "同一科目两表金额不同：{table} 为 {left_amount} 万元，"
                                          "{right_table} 为 {right_amount} 万元"),
    "summary_balance": Rule("warning", "{table} 收支不平衡：收入总计 {left_amount} 万元，支出总计 {right_amount} 万元"),
    "fiscal_summary_balance": Rule("warning", "财政拨款收支总表收支不平衡：收入总计 {left_amount} 万元，"
                                              "支出总计 {right_amount} 万元"),
    "side_lines": Rule("warning", "{table}：{left} {left_amount} 万元，不等于其上各项之和 {right_amount} 万元"),
    "side_total": Rule("warning", "{table}：{left} {left_amount} 万元，不等于本年合计与结转各项之和 {right_amount} 万元"),
    "expenditure_vs_summary": Rule("warning", "{table} 合计 {left_amount} 万元，与收支总表本年支出 "
                                              "{right_amount} 万元不一致"),
    "income_vs_summary": Rule("warning", "{table} 合计 {left_amount} 万元，与收支总表收入 {right_amount} 万元不一致"),
    "gpb_vs_fiscal_summary": Rule("warning", "{table} 合计 {left_amount} 万元，与财政拨款收支总表一般公共预算支出 "
                                             "{right_amount} 万元不一致"),
    "gov_fund_vs_fiscal_summary": Rule("warning", "{table} 合计 {left_amount} 万元，与财政拨款收支总表政府性基金预算支出 "
                                                  "{right_amount} 万元不一致"),
    "state_capital_vs_fiscal_summary": Rule("warning", "{table} 合计 {left_amount} 万元，与财政拨款收支总表国有资本经营"
                                                       "预算支出 {right_amount} 万元不一致"),
    "summary_line": Rule("warning", "{left} {left_amount} 万元，与{right_table}中该类合计 "
                                    "{right_amount} 万元不一致"),
    "basic_vs_economic": Rule("warning", "{table} 合计 {left_amount} 万元，与{right_table}的基本支出 "
                                         "{right_amount} 万元不一致"),
    "three_public_parts": Rule("warning", "“三公”经费合计 {left_amount} 万元，不等于因公出国（境）、公务用车购置及运行、"
                                          "公务接待之和 {right_amount} 万元"),
    "projects_vs_project_expenditure": Rule("warning", "项目支出表各项目金额之和 {left_amount} 万元，与{right_table}的"
                                                       "项目支出 {right_amount} 万元不一致"),
    "narrative_vs_table": Rule("warning", "文字说明所述 {left_amount} 万元（{left}），与{right_table}所列 "
                                          "{right_amount} 万元不一致"),
}
_OTHER = Rule("warning", "{left} {left_amount} 万元，与 {right} {right_amount} 万元不一致")  # a rule added later


def rule_id(check: Check) -> str:
    """The finding's stable rule id: ``reconcile.level_sum`` …; an audit rule's own id (``growth.direction``)."""
    return check.rule if check.rule in catalogue() else RULE_PREFIX + check.rule


def severity(check: Check) -> str:
    audit_rule = catalogue().get(check.rule)
    return audit_rule.severity if audit_rule else RULES.get(check.rule, _OTHER).severity


def _quantity(figure: Figure, amount=None) -> str:
    """A figure's amount for a template: ``2,933.20`` in 万元 (the template says 万元), else with its unit
    (``74.54%``, ``7 人``)."""
    amount = figure.amount if amount is None else amount
    if amount is None:
        return "（缺）"
    return wan(amount, places="exact") if figure.unit == MONEY_UNIT else quantity(amount, figure.unit)


def message(check: Check) -> str:
    """The Chinese message of a failed check, from its rule's template (an audit rule's: with the check's
    ``params``; a reconcile rule's: with the difference and tolerance after it)."""
    left, right = check.left, check.right
    difference = (left.amount - right.amount) if left.amount is not None and right.amount is not None else None
    fields = {
        "left": left.label, "right": right.label, "left_amount": _quantity(left), "right_amount": _quantity(right),
        "table": _table(left) or "表", "right_table": _table(right) or "表",
        "difference": _quantity(left, difference) if difference is not None else "（缺）",
        "tolerance": _quantity(left, check.tolerance),
    }
    audit_rule = catalogue().get(check.rule)
    if audit_rule is not None:
        return audit_rule.template.format(**fields, **dict(check.params))
    return (RULES.get(check.rule, _OTHER).template + _DIFFERENCE).format(**fields)


def _table(figure: Figure) -> str | None:
    pv = figure.provenance or next((t.provenance for t in figure.terms if t.provenance), None)
    return pv.table if pv is not None else None


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
        self.records = self._records_by_place()

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
        m.add(node, BGT.message, message(check))
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


def map_checks(mapper: _Mapper, ex: Extraction) -> set[tuple[str, str]]:
    """The failed checks of ``ex`` as findings with their values; returns the (rule, message) of the plain
    findings ingest made of them, which are not to be mapped again."""
    failed = [c for c in ex.checks if not c.passed]
    findings = FindingMapper(mapper)
    for c in failed:
        findings.check(c)
    return {(rule_id(c), c.message) for c in failed}

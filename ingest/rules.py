"""Every rule by its stable id, and the Chinese message of a finding made by one.

The rules are defined beside the code that applies them: each family module of :mod:`ingest.audit` has a
``RULES`` tuple, and so have the readers (:data:`READERS`: what reading a file, its tables and its
reconciliation warn of).  This module only collects them, so that a rule id names one template everywhere
(the graph, ``budgetkg ingest``/``check``, the app).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import import_module

from .numbers import amount_text, count_text
from .records import Check, Figure, Finding, Provenance, Rule

# the modules of the readers' rules (each defines ``RULES``), besides the audit families
READERS = (
    "ingest.limits", "ingest.reader_pdf", "ingest.sections", "ingest.document", "ingest.aliases",
    "ingest.tables.rules", "ingest.reconcile.rules",
)
RECONCILE_PREFIX = "reconcile."  # a reconciliation check's rule (``level_sum``) is ``reconcile.level_sum``
MONEY_UNIT = "万元"  # a figure in any other unit is a quantity with its unit
MISSING = "（缺）"


@cache
def catalogue() -> dict[str, Rule]:
    """Rule id → rule, over every family and reader; a rule id defined twice is a programming error."""
    from .audit import FAMILIES

    out: dict[str, Rule] = {}
    for module in (*(import_module(name) for name in READERS), *FAMILIES):
        for rule in module.RULES:
            if rule.id in out:
                raise ValueError(f"rule {rule.id} is defined twice")
            out[rule.id] = rule
    return out


def message(rule_id: str, **params: object) -> str:
    """The Chinese message of rule ``rule_id`` with its template's fields ``params``."""
    return catalogue()[rule_id].template.format(**_texts(params))


def _texts(params: dict[str, object]) -> dict[str, str]:
    return {k: "" if v is None else str(v) for k, v in params.items()}


def finding(rule_id: str, provenance: Provenance | None = None, values: tuple[str, ...] = (),
            **params: object) -> Finding:
    """A finding of rule ``rule_id``: its severity, its message from the rule's template filled with
    ``params``, the text ``values`` it is about and where it was read."""
    rule = catalogue()[rule_id]
    fields = _texts(params)
    return Finding(rule.id, rule.severity, rule.template.format(**fields), tuple(values), provenance,
                   tuple(sorted(fields.items())))


# --- a comparison of figures -------------------------------------------------------------------

def check_rule(check: Check) -> Rule:
    """The rule of ``check``: an audit rule by its own id (``growth.direction``), a reconciliation check's
    as ``reconcile.<rule>``."""
    rules = catalogue()
    return rules[check.rule] if check.rule in rules else rules[RECONCILE_PREFIX + check.rule]


def quantity(figure: Figure, amount: Decimal | None = None) -> str:
    """A figure's amount as text with its unit: ``2,933.20`` (万元: the template says 万元, as many decimals
    as printed and at least two), ``74.54%``, ``7 人``."""
    amount = figure.amount if amount is None else amount
    if amount is None:
        return MISSING
    if figure.unit == MONEY_UNIT:
        return amount_text(amount)
    return count_text(amount, figure.unit)


def _table(figure: Figure) -> str | None:
    pv = figure.provenance or next((t.provenance for t in figure.terms if t.provenance), None)
    return pv.table if pv is not None else None


def check_fields(check: Check) -> dict[str, str]:
    """The template fields of a check: ``left``/``right`` (labels), ``left_amount``/``right_amount``,
    ``table``/``right_table``, ``difference``, ``tolerance``, and the check's own ``params``."""
    left, right = check.left, check.right
    difference = left.amount - right.amount if left.amount is not None and right.amount is not None else None
    return {
        "left": left.label, "right": right.label, "left_amount": quantity(left), "right_amount": quantity(right),
        "table": _table(left) or "表", "right_table": _table(right) or "表",
        "difference": quantity(left, difference) if difference is not None else MISSING,
        "tolerance": quantity(left, check.tolerance), "culprit": "", **dict(check.params),
    }


def check_message(check: Check) -> str:
    """The Chinese message of a failed check, from its rule's template."""
    return check_rule(check).template.format(**check_fields(check))


def check_finding(check: Check) -> Finding:
    """A failed check as a plain finding (its message from the template, its two values, where the left
    one was read)."""
    rule = check_rule(check)
    values = tuple(f"{f.label}={f.amount}" for f in (check.left, check.right))
    return Finding(rule.id, rule.severity, check_message(check), values, check.left.provenance,
                   tuple(sorted(check_fields(check).items())))

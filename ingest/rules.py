"""Every consistency rule by its stable id, and the Chinese message of a finding made by one.

The rules are defined beside the code that applies them (each family module of :mod:`ingest.audit` has a
``RULES`` tuple); this module only collects them, so that a rule id names one template everywhere (the
graph, ``budgetkg check``, the app's findings page).
"""

from __future__ import annotations

from functools import cache

from .records import Finding, Provenance, Rule


@cache
def catalogue() -> dict[str, Rule]:
    """Rule id → rule, over every family; a rule id defined twice is a programming error."""
    from .audit import FAMILIES

    out: dict[str, Rule] = {}
    for family in FAMILIES:
        for rule in family.RULES:
            if rule.id in out:
                raise ValueError(f"rule {rule.id} is defined twice")
            out[rule.id] = rule
    return out


def finding(rule_id: str, provenance: Provenance | None = None, values: tuple[str, ...] = (),
            **params: object) -> Finding:
    """A finding of rule ``rule_id``: its severity, its message from the rule's template filled with
    ``params``, the text ``values`` it is about and where it was read."""
    rule = catalogue()[rule_id]
    fields = {k: "" if v is None else str(v) for k, v in params.items()}
    return Finding(rule.id, rule.severity, rule.template.format(**fields), tuple(values), provenance,
                   tuple(sorted(fields.items())))

"""The consistency rules an auditor runs over a whole disclosure once it is read (issue 14): growth and share
arithmetic, names and years, completeness, text hygiene, project level …, one module per concern (the
narrative family has two: narrative, economic).

Each family module defines ``RULES`` (its :class:`~ingest.records.Rule` s, collected by :mod:`ingest.rules`)
and ``audit(ctx, ex) -> Iterable[Check | Finding]``: a :class:`~ingest.records.Check` for a comparison of
figures (a failed one is a finding with its values), a :class:`~ingest.records.Finding` (made with
:func:`ingest.rules.finding`) for what is wrong in the text itself.  A rule that cannot read its inputs says
nothing: no finding comes from a failed parse.  The table reconciliation of :mod:`ingest.reconcile` runs
before, while the tables are read, because its checks choose between readings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from types import ModuleType

from ..context import Context
from ..records import Check, Extraction, Finding
from . import completeness, document_facts, economic, growth, names_years, narrative, projects, text

# every family module, in the order their findings are listed
FAMILIES: tuple[ModuleType, ...] = (
    completeness,
    document_facts,
    narrative,
    economic,
    growth,
    text,
    names_years,
    projects,
)


def audit(ctx: Context, ex: Extraction) -> Extraction:
    """``ex`` with the checks and findings of every family added."""
    checks: list[Check] = []
    findings: list[Finding] = []
    for family in FAMILIES:
        for item in family.audit(ctx, ex):
            (checks if isinstance(item, Check) else findings).append(item)
    if not checks and not findings:
        return ex
    return replace(ex, checks=ex.checks + tuple(checks), findings=ex.findings + tuple(findings))


"""The variants that fail on the parser as it is, each with its kinds of failure: the suite marks them
``xfail(strict=True)``, so a fix makes them pass and the suite then asks for their line to be removed.

Parser developers: delete a variant's line (or one kind of it) as you fix; ``python -m tests.metamorphic.report``
shows what fails and how.  A pair's store test is listed as ``<variant id>:store``.
"""

from __future__ import annotations

# each kind: the layout parameter, a minimal reproducer, expected vs got
KINDS = {
    "form_break": "text export, form_break=indicators|continued: the indicator rows of a performance form after a "
                  "page break (running footer and header, with or without 续表 and the header again) are lost "
                  "(python -m tests.metamorphic.render --seed 0 --medium text --layout default --set forms=kv "
                  "--set form_break=indicators --out /tmp/v --check)",
    "budget_unit": "scope=unit_own|unit_sub: a 单位预算 does not name the unit it budgets: document.budget_unit "
                   "expected the unit (XX局本级), got None (… --layout default --set scope=unit_own --pair --check)",
    "sub_department": "scope=unit_sub: the 单位预算 of a 下属单位 reads document.department as 'XX局预算' (the cover "
                      "line （主管部门：XX局　预算单位：…）), expected 'XX局' (… --set scope=unit_sub --pair --check)",
    "unit_iri": "scope=unit_own, unit_title=paren (XX局2025年单位预算（本级））: the unit budget entity is "
                "…/budget/unit/<department> and its label does not name the unit 'XX局本级' "
                "(… --set scope=unit_own --set unit_title=paren --pair --check)",
}

KNOWN_FAILURES: dict[str, tuple[str, ...]] = {
}


def marks(variant_id: str) -> list:
    """The pytest marks of a variant: ``xfail(strict=True)`` with its failure kinds when it is listed."""
    import pytest

    kinds = KNOWN_FAILURES.get(variant_id)
    if not kinds:
        return []
    return [pytest.mark.xfail(strict=True, reason="; ".join(f"{k}: {KINDS[k]}" for k in kinds))]

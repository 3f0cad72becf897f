"""Table parsers, one module per table family, registered by block role.

Like rdflib's plugin registry: a role maps to a dotted path that is imported
only when a document has such a table.  Each parser is
``parse(block: Block, ctx: Context) -> None`` and writes what it finds into ``ctx``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable

from ..context import Context
from ..layout import Block

Parser = Callable[[Block, Context], None]

_REGISTRY: dict[str, str] = {}


def register(role: str, target: str) -> None:
    """Register ``"package.module:function"`` as the parser for blocks of ``role``."""
    _REGISTRY[role] = target


def get(role: str) -> Parser | None:
    """The parser for ``role``, or ``None`` when no parser handles it."""
    target = _REGISTRY.get(role)
    if target is None:
        return None
    module, _, func = target.partition(":")
    return getattr(import_module(module), func)


def roles() -> list[str]:
    return sorted(_REGISTRY)


# Built-in parsers.  Roles come from ingest.sections.TABLE_ROLES.
register("summary", "ingest.tables.summary:parse_summary")
register("fiscal_summary", "ingest.tables.summary:parse_fiscal_summary")
register("income", "ingest.tables.summary:parse_income")
register("expenditure", "ingest.tables.classification:parse_functional")
register("gpb_expenditure", "ingest.tables.classification:parse_functional")
register("gov_fund", "ingest.tables.classification:parse_functional")
register("state_capital", "ingest.tables.classification:parse_functional")
register("basic_economic", "ingest.tables.classification:parse_economic")
register("three_public", "ingest.tables.three_public:parse_three_public")
register("procurement", "ingest.tables.procurement:parse_procurement")
register("purchased_service", "ingest.tables.procurement:parse_purchased_service")
register("projects", "ingest.tables.projects:parse_project_table")
register("project_form", "ingest.tables.forms:parse_project_form")
register("dept_performance", "ingest.tables.performance:parse_department_performance")
register("project_writeup", "ingest.tables.writeup:parse_project_writeup")

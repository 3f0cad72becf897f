"""What front-ends may see of kg besides :class:`kg.api.BudgetKG`: the values its methods return, the
filters and settings they take, the errors they raise (each with a ``code``), labels and formatters.

Front-ends (the CLI, the app) import kg only through ``kg.api`` and this module; re-exporting the
names defined across kg is its point.  :class:`IngestResult`, :class:`Extracted` and
:class:`BudgetCharts` belong to the facade and are defined here.  Names of other modules are imported on
first use (:data:`_LAZY`), so that a command loads only what it needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import IngestError

from .errors import (
    ERROR_CODES, ERROR_MESSAGES, UNKNOWN, BudgetKGError, ClusterError, CompareError, DocumentNotFound, EntityNotFound, ModelError, PageImageError,
    QueryError, StoreError, error_message,
)
from .money import wan
from .query_limits import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_S

# the rest is imported on first use (``budgetkg search`` must not pay for the entity pages' modules)
_LAZY = {
    "EntityView": ".browse", "LinkGroup": ".browse", "Source": ".browse",
    "Match": ".browse",  # an entity found by name (lookup, landmarks)
    "EXPORT_FORMATS": (".export", "FORMATS"), "Facets": ".facets",
    "PHASE_WORDS": ".filters", "STRICT": ".filters", "Filters": ".filters", "amount_text": ".filters",
    "FAMILY_ZH": ".findings", "SEVERITY_ZH": ".check_findings", "FindingValue": ".findings", "StoredFinding": ".findings",
    "Subject": ".findings", "PHASE_ZH": ".labels", "place_text": ".labels", "CitesHit": ".queries", "Entity": ".queries",
    "QueryResult": ".query_runner", "ROW_FORMATS": ".render", "display": ".render", "Hit": ".search.hits",
    "Answer": ".search.answer", "AnswerValue": ".search.answer", "Span": ".search.understand",
    "Understood": ".search.understand", "DEFAULT_STORE": ".settings", "Settings": ".settings",
    "resolve_settings": (".settings", "resolve"), "DocumentInfo": ".store", "Cluster": ".settings",
    "resolve_cluster": ".settings",
    "BudgetRef": ".charts",  # one department-year-phase (kg.charts needs pandas)
    "Comparison": ".compare",
}

if TYPE_CHECKING:
    from pandas import DataFrame

    from .browse import EntityView, LinkGroup, Match, Source
    from .check_findings import SEVERITY_ZH
    from .export import FORMATS as EXPORT_FORMATS
    from .facets import Facets
    from .filters import PHASE_WORDS, STRICT, Filters, amount_text
    from .findings import FAMILY_ZH, FindingValue, StoredFinding, Subject
    from .labels import PHASE_ZH, place_text
    from .queries import CitesHit, Entity
    from .query_runner import QueryResult
    from .render import ROW_FORMATS, display
    from .search.answer import Answer, AnswerValue
    from .search.hits import Hit
    from .search.understand import Span, Understood
    from .settings import DEFAULT_STORE, Cluster, Settings, resolve_cluster
    from .settings import resolve as resolve_settings
    from .store import DocumentInfo

__all__ = [
    "Answer", "AnswerValue", "Asked", "Span", "Understood", "BudgetCharts", "BudgetKGError", "BudgetRef", "CHART_COLUMNS",
    "CitesHit", "Cluster", "ClusterError", "CompareError", "Comparison", "DEFAULT_ROW_LIMIT", "DEFAULT_STORE",
    "DEFAULT_TIMEOUT_S", "DocumentInfo", "DocumentNotFound", "ERROR_CODES", "ERROR_MESSAGES", "EXPORT_FORMATS", "Entity",
    "EntityNotFound", "EntityView", "Extracted", "FAMILY_ZH", "Facets", "Filters", "FindingValue", "Hit", "IngestError", "IngestResult",
    "LinkGroup", "Match", "ModelError", "PHASE_WORDS", "PHASE_ZH", "PageImageError", "QueryError", "QueryResult",
    "ROW_FORMATS", "SEVERITY_ZH", "STRICT", "Settings", "Source", "StoreError", "StoredFinding", "Subject", "UNKNOWN", "display",
    "amount_text", "error_message", "place_text", "resolve_cluster", "resolve_settings", "wan",
]


@dataclass(frozen=True)
class Asked:
    """What :meth:`kg.api.BudgetKG.ask` gives: the question as understood, the filters in force, the
    answer card (``None``: nothing asked) and the hits."""

    understood: Understood
    filters: Filters
    answer: Answer | None
    hits: list


@dataclass(frozen=True)
class IngestResult:
    """The outcome for one disclosure: ``ok`` with the document id and triple count, or a one-line ``error``."""

    path: Path  # its (first) file
    ok: bool
    doc_id: str | None = None
    triples: int = 0
    warnings: tuple[str, ...] = ()  # one line each: file, place, what
    error: str | None = None
    files: tuple[Path, ...] = ()  # every file of the disclosure (several: its parts published apart)
    note: str | None = None  # why several files were joined into one disclosure
    error_code: str | None = None  # a failure's code: the IngestError's (ingest.errors.MESSAGES), else "internal"

    @property
    def message(self) -> str:
        if self.ok:
            return f"{self.path.name}：{self.doc_id}，{self.triples} 个三元组，{len(self.warnings)} 条警告"
        return self.error or f"{self.path.name}：导入失败"


@dataclass(frozen=True)
class Extracted:
    """What one file yields, the store untouched: its document, how many records of each kind
    (``units``, ``line_items``, …, in that order) and the records in the gold JSON schema."""

    doc_id: str
    department: str | None
    year: int | None
    phase: str | None
    counts: dict[str, int]
    gold: dict


@dataclass(frozen=True)
class BudgetCharts:
    """The chart data of one budget (frames named by :data:`CHART_COLUMNS`, amounts in 万元)."""

    functional: DataFrame  # by functional class: code, name, amount, basic, project
    economic: DataFrame  # basic expenditure by economic class: code, name, amount
    split: DataFrame  # 基本支出 and 项目支出: name, amount, share (percent to 0.01, adding up to 100)
    projects: DataFrame  # the largest projects: 项目, amount, 预算单位, iri, label (one per project)
    total: Decimal  # 支出合计


def _chart_columns():
    from types import SimpleNamespace

    from . import charts

    return SimpleNamespace(code=charts.CODE, name=charts.NAME, amount=charts.AMOUNT, basic=charts.BASIC,
                           project=charts.PROJECT, department=charts.DEPARTMENT, year=charts.YEAR,
                           phase=charts.PHASE, period=charts.PERIOD, share=charts.SHARE, label=charts.LABEL,
                           budget=charts.BUDGET)


def __getattr__(name: str):
    """The names of :data:`_LAZY`, imported when first asked for, and ``CHART_COLUMNS`` (the column names
    of the chart frames)."""
    if name == "CHART_COLUMNS":
        value = _chart_columns()
    elif name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name] if isinstance(_LAZY[name], tuple) else (_LAZY[name], name)
        value = getattr(import_module(module, __package__), attr)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value

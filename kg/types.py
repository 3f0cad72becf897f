"""What front-ends may see of kg besides :class:`kg.api.BudgetKG`: the values its methods return, the
filters and settings they take, the errors they raise (each with a ``code``), labels and formatters.

Front-ends (the CLI, the app) import kg only through ``kg.api`` and this module; re-exporting the
names defined across kg is its point.  :class:`IngestResult`, :class:`Extracted` and
:class:`BudgetCharts` belong to the facade and are defined here.  The chart names (``BudgetRef``,
``CHART_COLUMNS``) are loaded on first use, since :mod:`kg.charts` needs pandas.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import IngestError

from .browse import EntityView, LinkGroup, Source
from .browse import Match  # an entity found by name (lookup, landmarks)
from .errors import (
    ERROR_CODES, ERROR_MESSAGES, UNKNOWN, BudgetKGError, ClusterError, CompareError, DocumentNotFound, EntityNotFound, ModelError, PageImageError,
    QueryError, StoreError, error_message,
)
from .export import FORMATS as EXPORT_FORMATS
from .facets import Facets
from .filters import PHASE_WORDS, STRICT, Filters, amount_text
from .findings import FAMILY_ZH, SEVERITY_ZH, FindingValue, StoredFinding, Subject
from .labels import PHASE_ZH, place_text
from .money import wan
from .queries import CitesHit, Entity
from .query_limits import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_S
from .query_runner import QueryResult
from .render import ROW_FORMATS, display
from .search import Hit
from .search.answer import Answer, AnswerValue
from .search.understand import Span, Understood
from .settings import DEFAULT_STORE, Cluster, Settings, resolve_cluster
from .settings import resolve as resolve_settings
from .store import DocumentInfo

if TYPE_CHECKING:
    from pandas import DataFrame

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
    """``BudgetRef`` (one department-year-phase), ``Comparison`` (:mod:`kg.compare`) and ``CHART_COLUMNS`` (the column names of the chart
    frames), imported from :mod:`kg.charts` when first asked for."""
    if name == "BudgetRef":
        from .charts import BudgetRef

        return BudgetRef
    if name == "Comparison":
        from .compare import Comparison

        return Comparison
    if name == "CHART_COLUMNS":
        globals()[name] = columns = _chart_columns()
        return columns
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

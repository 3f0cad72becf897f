"""Typed records: the contract between ``ingest`` and ``kg``.

Plain frozen dataclasses, no RDF.  Every record that comes from a place in a
document carries a :class:`Provenance`.  Money is ``Decimal`` in 万元.
Collections are tuples so that records stay hashable and immutable; use
``dataclasses.replace`` to derive a changed copy.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass, replace
from decimal import Decimal
from typing import Any

BUDGET = "budget"  # 预算
FINAL_ACCOUNT = "final_account"  # 决算
PHASES = (BUDGET, FINAL_ACCOUNT)

FUNCTIONAL = "functional"  # 功能分类
ECONOMIC = "economic"  # 经济分类

LONG_TERM = "long_term"
ANNUAL = "annual"


@dataclass(frozen=True)
class Provenance:
    """Where a fact was read: document, page, table, row or line, and the text.

    ``source`` names the file of a disclosure published as several files (its name within the
    disclosure); page and line count within that file.  ``None`` for a disclosure of one file."""

    doc_id: str
    page: int | None = None
    table: str | None = None
    row: int | None = None
    line: int | None = None
    snippet: str = ""
    bbox: tuple[float, float, float, float] | None = None
    source: str | None = None


@dataclass(frozen=True)
class FieldSource:
    """Where one field's value was read: the record attribute (a goal: ``long_term_goal`` |
    ``annual_goal``), the place, and for a field of several values (aliases, goals, short names) which
    value.  Records whose fields may be read on different lines (:class:`Document`, :class:`Staffing`,
    :class:`Indicator`, :class:`Project`) keep a tuple of them in ``field_sources``."""

    field: str
    provenance: Provenance
    value: str | None = None


@dataclass(frozen=True)
class Staffing:
    """编制 and 实有 head counts; ``None`` where the document does not say."""

    authorized_total: int | None = None
    authorized_admin: int | None = None
    authorized_institution: int | None = None
    actual_total: int | None = None
    actual_admin: int | None = None
    actual_institution: int | None = None
    retired_total: int | None = None
    provenance: Provenance | None = None
    field_sources: tuple[FieldSource, ...] = ()  # the line stating each count


@dataclass(frozen=True)
class Unit:
    """A budget unit (预算单位) or an affiliated institution named in the text."""

    name: str
    code: str | None = None
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Total:
    """A document-level total, keyed as in the gold schema (``income_total`` …)."""

    key: str
    amount: Decimal | None
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Document:
    """One disclosure: who, where, when, which phase."""

    doc_id: str
    path: str
    title: str
    department: str
    short_names: tuple[str, ...] = ()
    region: str | None = None
    year: int | None = None
    phase: str = BUDGET
    scope: str = "department"  # 部门预算/决算: "department" (all its units); 单位预算/决算: "unit" (one unit)
    budget_unit: str | None = None  # 单位预算/决算: the unit it is of, as the document prints it
    contact_phone: str | None = None
    provenance: Provenance | None = None  # the title line
    field_sources: tuple[FieldSource, ...] = ()  # where each field (each short name) is printed


@dataclass(frozen=True)
class LineItem:
    """One coded row of a classification table (功能分类 or 经济分类)."""

    table: str  # the table's title as printed
    role: str  # which kind of table: see ingest.sections.TABLE_ROLES
    classification: str  # FUNCTIONAL | ECONOMIC
    code: str
    name: str
    total: Decimal | None
    basic: Decimal | None = None
    project: Decimal | None = None
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Citation:
    """A cited legal basis: a 文号 (``doc_number``) or a 《title》 (``title``).

    ``key`` is the normalised form; ``doc_number`` is set on a title that was
    immediately followed by its 文号 (one citation with both keys).
    """

    kind: str  # "doc_number" | "title"
    key: str
    raw: str
    doc_number: str | None = None
    field: str | None = None  # legal_basis | implementation | activity_calc | performance_goal …
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Funding:
    source: str
    amount: Decimal | None
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Activity:
    name: str
    description: str = ""
    economic_class: str | None = None
    amount: Decimal | None = None
    basis: str = ""  # 测算依据及说明
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Indicator:
    """A performance indicator row (一级/二级/三级指标, value, basis)."""

    goal: str  # LONG_TERM | ANNUAL for project forms; the goal title for department tables
    level1: str | None
    level2: str | None
    level3: str
    value_raw: str | None
    comparator: str | None = None  # ≥ ≤ > < = or None
    number: Decimal | None = None
    unit: str | None = None
    basis: str | None = None
    goal_type: str | None = None  # LONG_TERM | ANNUAL (department tables)
    subject_unit: str | None = None  # the unit a department table belongs to
    actual: str | None = None  # 决算: 实际完成值
    score: Decimal | None = None  # 决算: 得分
    provenance: Provenance | None = None
    field_sources: tuple[FieldSource, ...] = ()  # a field read on another line than the row's (a wrapped name)


@dataclass(frozen=True)
class ProcurementRow:
    """A row of the 政府采购 or 政府购买服务 table."""

    table: str  # "procurement" | "purchased_service"
    unit: str | None
    project_name: str | None
    item: str | None  # 采购品目 / 购买服务内容
    amount: Decimal | None
    quantity: str | None = None
    provenance: Provenance | None = None


@dataclass(frozen=True)
class ThreePublic:
    """A line of the 三公 table (因公出国（境）, 公务用车, 公务接待, 合计)."""

    item: str
    amount: Decimal | None
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Project:
    """A project (项目) merged from every place it appears in a document."""

    name: str
    aliases: tuple[str, ...] = ()
    code: str | None = None
    unit: str | None = None
    executing_unit: str | None = None
    amount: Decimal | None = None  # budget: 预算数; final account: 全年执行数
    budget_initial: Decimal | None = None  # 决算: 年初预算数
    budget_full_year: Decimal | None = None  # 决算: 全年预算数
    form_total_budget: Decimal | None = None  # 项目总预算 on the form
    form_current_year_budget: Decimal | None = None  # 项目当年预算 on the form
    attribute: str | None = None  # 项目属性
    category: str | None = None  # 支出项目类别
    start_year: int | None = None
    end_year: int | None = None
    legal_basis_text: str = ""
    implementation_text: str = ""
    functional_code: str | None = None
    functional_name: str | None = None
    citations: tuple[Citation, ...] = ()
    funding: tuple[Funding, ...] = ()
    activities: tuple[Activity, ...] = ()
    procurement: tuple[ProcurementRow, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    goals: tuple[tuple[str, str], ...] = ()  # (LONG_TERM|ANNUAL, goal text)
    provenance: Provenance | None = None  # the project-table row (or the form when no row)
    sources: tuple[Provenance, ...] = ()  # every other place it was seen
    field_sources: tuple[FieldSource, ...] = ()  # where each field's value (each alias, each goal) was read


GOAL_FIELDS = {LONG_TERM: "long_term_goal", ANNUAL: "annual_goal"}  # a goal's FieldSource.field, by its kind
# the Project fields a FieldSource names (citations, funding, activities … carry their own provenance)
PROJECT_SOURCED_FIELDS = (
    "name", "code", "unit", "executing_unit", "amount", "budget_initial", "budget_full_year", "form_total_budget",
    "form_current_year_budget", "attribute", "category", "start_year", "end_year", "legal_basis_text",
    "implementation_text", "functional_code", "functional_name",
)
DOCUMENT_SOURCED_FIELDS = ("title", "department", "region", "year", "phase", "scope", "budget_unit", "contact_phone")
STAFFING_FIELDS = ("authorized_total", "authorized_admin", "authorized_institution", "actual_total", "actual_admin",
                   "actual_institution", "retired_total")
INDICATOR_SOURCED_FIELDS = ("level1", "level2", "level3", "value_raw", "comparator", "number", "unit", "basis",
                            "actual", "score")
Sourced = Document | Staffing | Indicator | Project  # the records that keep a source per field
# each such record's single-valued fields a FieldSource names (and, below, its fields of several values)
SOURCED_FIELDS: dict[type, tuple[str, ...]] = {
    Document: DOCUMENT_SOURCED_FIELDS, Staffing: STAFFING_FIELDS, Indicator: INDICATOR_SOURCED_FIELDS,
    Project: PROJECT_SOURCED_FIELDS,
}


def field_source(record: Sourced, name: str, value: str | None = None) -> FieldSource | None:
    """Where ``record``'s field ``name`` (its value ``value``, for aliases, goals, short names) was read."""
    return next((s for s in record.field_sources if s.field == name and s.value == value), None)


def _listed_values(record: Sourced) -> list[tuple[str, str]]:
    """(field, value) of each value of the record's fields of several values that a FieldSource names."""
    if isinstance(record, Project):
        return [(GOAL_FIELDS[kind], text) for kind, text in record.goals]
    return []


def with_field_sources(record: Sourced) -> Sourced:
    """``record`` with every filled field its reader did not place said to be read where the record was
    (its ``provenance``): a table row, a narrative line, a procurement row states all its fields at once."""
    if record.provenance is None:
        return record
    given = {(s.field, s.value) for s in record.field_sources}
    added = [FieldSource(name, record.provenance) for name in SOURCED_FIELDS[type(record)]
             if getattr(record, name) not in (None, "") and (name, None) not in given]
    added += [FieldSource(field, record.provenance, value) for field, value in _listed_values(record)
              if (field, value) not in given]
    if not added:
        return record
    return replace(record, field_sources=record.field_sources + tuple(added))


@dataclass(frozen=True)
class Chunk:
    """A passage of narrative text for search, tied to its subject entity."""

    text: str
    kind: str  # function | task | explanation | legal_basis | implementation | goal | indicator …
    subject_type: str  # department | unit | project
    subject: str  # the subject's name (department, unit or project name)
    provenance: Provenance | None = None
    subject_unit: str | None = None  # a project subject's budget unit, as its form names it
    subject_code: str | None = None  # a project subject's code, where its form gives one


@dataclass(frozen=True)
class Finding:
    """A warning or inconsistency found while reading (rule id, severity, where).

    ``params``: the named values its rule's message template (:mod:`ingest.rules`) was filled with."""

    rule: str
    severity: str  # "warning" | "error" | "info"
    message: str
    values: tuple[str, ...] = ()
    provenance: Provenance | None = None
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Rule:
    """A consistency rule: its stable id (``growth.direction``), family, severity, Chinese message template
    (``str.format`` fields) and how its tolerance follows the document's own rounding and units."""

    id: str
    # table_arithmetic | cross_table | narrative | growth | names_years | completeness | document_facts | text | project
    family: str
    severity: str  # "warning" | "error" | "info"
    template: str
    tolerance: str = ""


@dataclass(frozen=True)
class Figure:
    """An amount as a document states it (or as a sum of such amounts), for reconciliation.

    ``amount`` is in 万元; ``step`` is one unit of the last printed digit, in 万元 (``0.01`` for
    ``2933.20`` in a 万元 table, ``0.000001`` for ``1,252,300.00`` in a 元 table); for a sum, the steps of
    its terms added.  ``label`` says what the figure is (``合计/基本支出``, ``Σ 款 of 210``).
    """

    amount: Decimal | None
    step: Decimal
    label: str = ""
    provenance: Provenance | None = None
    terms: tuple["Figure", ...] = ()  # the figures summed, for a sum
    unit: str = "万元"  # or "%" (a share or growth rate), "人", "个" … (a count)


@dataclass(frozen=True)
class Check:
    """One reconciliation check: ``left`` = ``right`` within ``tolerance`` (万元), by arithmetic.

    ``rule`` names the equality (``level_sum``, ``basic_plus_project``, ``summary_balance`` …); a failed
    check is also a warning :class:`Finding` ``reconcile.<rule>`` whose message says which side is the
    likely culprit (the document or the parse) where that can be told.
    """

    rule: str
    passed: bool
    left: Figure
    right: Figure
    tolerance: Decimal
    message: str
    params: tuple[tuple[str, str], ...] = ()  # named values for its rule's template (:mod:`ingest.rules`)


@dataclass(frozen=True)
class StatedFigure:
    """A figure a document states of another budget of its department (issue 15): last year's, implied by
    ``比 2024 年预算增加 X 万元`` (the current amount less the change) or printed (``上年预算数为 X``), or a 决算's
    年初预算.  ``key`` names the figure as the document's own records do (``total:basic_expenditure``,
    ``fn:2120104``, ``three:公务接待费``), so that another document's record of that key can be compared."""

    key: str
    year: int
    phase: str  # the phase of the budget the figure is of: "budget" | "final_account"
    amount: Decimal
    step: Decimal  # one unit of its last digit (a figure implied by a change: both amounts' steps added)
    kind: str  # "previous_year" | "initial_budget"
    statement: str  # the statement as quoted
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything read from one document."""

    document: Document
    units: tuple[Unit, ...] = ()
    offices: tuple[str, ...] = ()
    staffing: Staffing | None = None
    totals: tuple[Total, ...] = ()
    line_items: tuple[LineItem, ...] = ()
    three_public: tuple[ThreePublic, ...] = ()
    procurement: tuple[ProcurementRow, ...] = ()
    projects: tuple[Project, ...] = ()
    department_indicators: tuple[Indicator, ...] = ()
    chunks: tuple[Chunk, ...] = ()
    findings: tuple[Finding, ...] = ()
    checks: tuple[Check, ...] = ()
    stated: tuple[StatedFigure, ...] = ()  # figures of other budgets the narrative states

    def total(self, key: str) -> Decimal | None:
        for t in self.totals:
            if t.key == key:
                return t.amount
        return None


def to_plain(obj: Any) -> Any:
    """Records → JSON-ready plain data (Decimal → str, tuples → lists)."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_plain(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items()}
    if isinstance(obj, Decimal):
        return str(obj)
    return obj


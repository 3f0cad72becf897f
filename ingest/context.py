"""The state one document's parsers share while it is read."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .layout import Block, Line
from .records import (
    Chunk, Finding, Indicator, LineItem, ProcurementRow, Project, Provenance, Staffing, ThreePublic, Total, Unit,
)
from .rules import finding
from .vocabulary.table_roles import Similarity


@dataclass
class ProjectMention:
    """A project as one place names it (table row, form, narrative list, procurement row).

    ``source`` says which place: ``table`` | ``form`` | ``writeup`` | ``narrative`` | ``counted`` (a list the
    text counts, ``项目共4个…其中：…``) | ``dept_form`` | ``procurement``.
    The alias merger (ingest.aliases) joins mentions into :class:`Project` records.
    """

    source: str
    project: Project


@dataclass
class Context:
    """Collects what the block parsers find in one document."""

    doc_id: str
    path: Path
    blocks: list[Block]
    lines: list[Line]
    units: list[Unit] = field(default_factory=list)
    offices: list[str] = field(default_factory=list)
    staffing: Staffing | None = None
    totals: dict[str, Total] = field(default_factory=dict)
    line_items: list[LineItem] = field(default_factory=list)
    three_public: list[ThreePublic] = field(default_factory=list)
    procurement: list[ProcurementRow] = field(default_factory=list)
    mentions: list[ProjectMention] = field(default_factory=list)
    department_indicators: list[Indicator] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    similarity: Similarity | None = None  # matches header labels no wording names (ingest.reconcile.similar_columns)

    def prov(self, line: Line, table: str | None = None, row: int | None = None) -> Provenance:
        return line.provenance(self.doc_id, table=table, row=row)

    def set_total(self, key: str, amount: Decimal | None, provenance: Provenance | None = None) -> None:
        """Record a total unless one was already read (the first, most authoritative table wins;
        a blank read earlier gives way to an amount)."""
        if key not in self.totals or self.totals[key].amount is None:
            self.totals[key] = Total(key, amount, provenance)

    def warn(self, rule: str, provenance: Provenance | None = None, *values: str, **params: object) -> None:
        """A finding of ``rule`` (:mod:`ingest.rules`: its message from the rule's template and ``params``)
        about the text ``values``, read at ``provenance``."""
        self.findings.append(finding(rule, provenance, tuple(values), **params))

    def mention(self, source: str, project: Project) -> None:
        self.mentions.append(ProjectMention(source, project))

    def blocks_with_role(self, role: str) -> list[Block]:
        return [b for b in self.blocks if b.role == role]

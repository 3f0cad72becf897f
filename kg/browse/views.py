"""The entity page as plain dataclasses: what :func:`kg.browse.entity_view` returns and front-ends render."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..labels import place_text
from .graph import Edge, neighbourhood_dot


@dataclass(frozen=True)
class Source:
    """One place a fact was read: document, page, line or table row, the text, and the box on a PDF page."""

    doc_id: str
    doc_title: str | None
    source_file: str | None
    page: int | None = None
    line: int | None = None
    row: int | None = None
    table: str | None = None
    snippet: str = ""
    bbox: tuple[float, float, float, float] | None = None

    @property
    def is_pdf(self) -> bool:
        return bool(self.source_file and self.source_file.lower().endswith(".pdf"))

    @property
    def where(self) -> str:
        """``第 12 页（表名，表内第 3 行）`` (what is known: :func:`kg.labels.place_text`)."""
        return place_text(self.page, self.line, self.table, self.row, pdf=self.is_pdf)


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """A stored ``bgt:bbox`` (``"x0 top x1 bottom"``, PDF points) as a tuple; None when there is none."""
    parts = (text or "").split()
    return tuple(float(p) for p in parts) if len(parts) == 4 else None  # type: ignore[return-value]


def source_order(s: Source):
    """Sort key of sources: document, page, line, row."""
    return (s.doc_id, s.page or 0, s.line or 0, s.row or 0)


@dataclass(frozen=True)
class Value:
    """A value as shown: its text, and the IRI it links to when it is an entity."""

    text: str
    iri: str | None = None

    def __str__(self) -> str:
        return self.text


@dataclass
class Fact:
    """One value of one property, with where that value was read."""

    prop: str
    label: str
    value: Value
    sources: list[Source] = field(default_factory=list)
    raw: str = ""  # the object as stored: the literal's lexical form or the IRI


@dataclass
class Item:
    """A linked entity in a group: its name, type and the columns worth showing, with its sources."""

    iri: str
    label: str
    kind: str
    type_label: str
    fields: dict[str, Value] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)


@dataclass
class LinkGroup:
    prop: str
    label: str
    direction: str  # "out" | "in"
    items: list[Item] = field(default_factory=list)
    count: int = 0  # items in the store (``items`` stops at MAX_ITEMS)

    @property
    def columns(self) -> list[str]:
        cols: dict[str, None] = {}
        for it in self.items:
            cols.update(dict.fromkeys(it.fields))
        return list(cols)

    def rows(self) -> list[dict[str, str]]:
        """The items as table rows: 名称, 类型, then the columns."""
        cols = self.columns
        return [{"名称": it.label, "类型": it.type_label, **{c: str(it.fields.get(c, "")) for c in cols}}
                for it in self.items]


@dataclass(frozen=True)
class CrossLink:
    """A link to the same thing in another document (上年度, 下年度, 决算, 预算, 所属部门预决算 …) with its
    evidence: why (``linked_by``, in Chinese, and the shared ``key``), the names on both sides, the documents."""

    relation: str
    iri: str
    label: str
    linked_by: str
    key: str = ""
    names: tuple[str, ...] = ()  # this entity's names as the linked documents print them
    other_names: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()  # the titles (or ids) of the documents each side was read from

    @property
    def evidence(self) -> str:
        """``项目编码相同：P001；本方名称“甲”，对方名称“乙”``."""
        parts = [f"{self.linked_by}：{self.key}" if self.key else self.linked_by]
        if self.names and self.other_names and set(self.names) != set(self.other_names):
            parts.append(f"本方名称“{'、'.join(self.names)}”，对方名称“{'、'.join(self.other_names)}”")
        return "；".join(parts)


@dataclass
class EntityView:
    iri: str
    found: bool = False
    label: str = ""
    kind: str = ""
    type_label: str = ""
    alt_labels: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    outgoing: list[LinkGroup] = field(default_factory=list)
    incoming: list[LinkGroup] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)  # where the entity itself was read
    name_sources: dict[str, list[Source]] = field(default_factory=dict)  # its name and each alias → where read
    nodes: dict[str, tuple[str, str]] = field(default_factory=dict)  # iri → (label, kind), for the picture
    edges: list[Edge] = field(default_factory=list)
    budgets: list = field(default_factory=list)  # a department's: kg.charts.BudgetTotals by year, phase and scope
    links: list[CrossLink] = field(default_factory=list)  # the same thing in other years and phases (kg.links)

    def group(self, label_or_prop: str, direction: str | None = None) -> LinkGroup | None:
        for g in (*self.outgoing, *self.incoming):
            if label_or_prop in (g.label, g.prop) and direction in (None, g.direction):
                return g
        return None

    def fact_values(self, label: str) -> list[str]:
        return [f.value.text for f in self.facts if f.label == label]

    def dot(self, url_for=None) -> str:
        """The neighbourhood as a Graphviz DOT graph; ``url_for(iri)`` makes nodes links."""
        return neighbourhood_dot(self, url_for)

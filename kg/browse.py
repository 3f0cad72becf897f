"""The entity page as data: what one IRI is, what the store says about it, and where each fact was read.

:func:`entity_view` gathers an IRI's label, type, facts, outgoing and incoming links (grouped by
property, with Chinese labels from :mod:`kg.labels`), the source locations behind them and the
edges of its neighbourhood.  Plain dataclasses, no front-end code: the Streamlit page only renders.

Facts and links live in document graphs; every link row knows its document, so a law page can say
which department, year and phase each citing project belongs to.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import unquote

from rdflib.namespace import DCTERMS, ORG, PROV, QB, RDF, RDFS, SKOS

from .labels import PHASE_ZH, local_name, term_label, value_label
from .money import wan
from .store import Store
from .vocab import BGT, ELI

MAX_ITEMS = 500  # rows kept per link group (the count says how many there are)
MAX_EDGES_PER_GROUP = 6  # neighbours drawn per property in the picture

# rdf:type → kind slug, most specific first
KINDS: list[tuple[str, str]] = [
    (str(BGT.Project), "project"), (str(BGT.BudgetUnit), "unit"), (str(BGT.Office), "office"),
    (str(BGT.Department), "department"), (str(ELI.LegalResource), "law"), (str(BGT.FundingSource), "fund"),
    (str(BGT.Budget), "budget"), (str(BGT.Disclosure), "document"), (str(BGT.BudgetLine), "line"),
    (str(BGT.TableDataSet), "table"), (str(BGT.Funding), "funding"), (str(BGT.Activity), "activity"),
    (str(BGT.Indicator), "indicator"), (str(BGT.Citation), "citation"), (str(BGT.Procurement), "procurement"),
    (str(BGT.Total), "total"), (str(BGT.ThreePublic), "three_public"), (str(BGT.Staffing), "staffing"),
    (str(BGT.Chunk), "chunk"), (str(BGT.Finding), "finding"), (str(BGT.SourceLocation), "location"),
    (str(BGT.Phase), "phase"), (str(SKOS.Concept), "concept"),
]
KIND_BY_CLASS = dict(KINDS)
CROSS_DOCUMENT_KINDS = {"law", "concept", "fund", "department", "unit", "office"}

MONEY = {str(BGT[n]) for n in ("amount", "totalAmount", "basicAmount", "projectAmount", "budgetInitial",
                               "budgetFullYear", "formTotalBudget", "formCurrentYearBudget")}
LONG_TEXT = {str(BGT.text), str(BGT.legalBasisText), str(BGT.implementationText), str(BGT.description),
             str(BGT.basis), str(BGT.rawText), str(BGT.message)}
# never shown as facts or fields: provenance plumbing and parsed copies of a printed value
HIDDEN = {str(RDF.type), str(PROV.qualifiedDerivation), str(PROV.entity), str(BGT.comparator),
          str(BGT.targetNumber), str(BGT.measureUnit), str(BGT.subjectName), str(BGT.subjectType)}
LIST_PROPS = {str(BGT.cites), str(ORG.hasUnit)}  # always a list of links, however short
HIDDEN_INCOMING = {str(PROV.wasDerivedFrom), str(PROV.entity), str(BGT.citedLaw)}
# an incoming group that repeats an outgoing one (department ← unitOf ≡ department → hasUnit)
INVERSE = {str(ORG.unitOf): str(ORG.hasUnit), str(BGT.procuredFor): str(BGT.procurement)}
INCOMING_LABELS = {
    str(BGT.cites): "引用该文件的项目",
    str(BGT.functionalClass): "使用该科目的项目与科目行",
    str(BGT.economicClass): "使用该科目的科目行",
    str(SKOS.broader): "下级科目",
    str(BGT.department): "所属预决算与项目",
    str(BGT.inBudget): "项目与预算表",
    str(BGT.budgetUnit): "本单位的项目、指标与采购",
    str(BGT.executingUnit): "实施的项目",
    str(BGT.subject): "相关文本",
    str(BGT.fundingSource): "使用该资金来源的项目资金",
    str(ORG.unitOf): "下属单位/机构",
    str(BGT.disclosedIn): "公开的预决算",
    str(DCTERMS.subject): "公开文件",
    str(QB.dataSet): "表中各行",
    str(BGT.procuredFor): "采购/购买服务",
    str(BGT.procurement): "所属项目",
}
LABEL_PROPS = [str(RDFS.label), str(SKOS.prefLabel), str(DCTERMS.title), str(ELI.title), str(ELI.id_local),
               str(BGT.item), str(BGT.level3), str(BGT.rawText), str(BGT.message)]
CONTEXT_COLUMNS = ("部门", "年度", "阶段")


# --- the view model ----------------------------------------------------------------------------

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
        """``第 12 页 · 第 3 行 · 表名`` (what is known)."""
        parts = [f"第 {self.page} 页" if self.page else "", f"表内第 {self.row} 行" if self.row else "",
                 f"第 {self.line} 行" if self.line and not self.is_pdf else "", self.table or ""]
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class Value:
    """A value as shown: its text, and the IRI it links to when it is an entity."""

    text: str
    iri: str | None = None

    def __str__(self) -> str:
        return self.text


@dataclass
class Fact:
    prop: str
    label: str
    value: Value
    sources: list[Source] = field(default_factory=list)


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
class Edge:
    source: str
    target: str
    label: str


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
    nodes: dict[str, tuple[str, str]] = field(default_factory=dict)  # iri → (label, kind), for the picture
    edges: list[Edge] = field(default_factory=list)

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


# --- store access ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DocContext:
    """A document graph and the department-year-phase it discloses."""

    graph: str
    doc_id: str
    title: str | None
    source_file: str | None
    budget: str | None
    department: str | None
    department_iri: str | None
    year: int | None
    phase: str | None  # 预算 | 决算


def documents(store: Store) -> dict[str, DocContext]:
    """Every document graph → its context."""
    rows = store.select("""SELECT ?g ?id ?title ?file ?b ?d ?dept ?year ?ph WHERE {
      GRAPH ?g { ?g dcterms:identifier ?id .
        OPTIONAL { ?g dcterms:title ?title } OPTIONAL { ?g bgt:sourceFile ?file }
        OPTIONAL { ?b bgt:disclosedIn ?g ; bgt:department ?d . ?d rdfs:label ?dept .
                   OPTIONAL { ?b bgt:fiscalYear ?year } OPTIONAL { ?b bgt:phase ?ph } } } }""")
    out = {}
    for r in rows:
        phase = term_label(r["ph"]) if r["ph"] else None
        out[r["g"]] = DocContext(r["g"], r["id"], r["title"], r["file"], r["b"], r["dept"], r["d"],
                                 r["year"], phase)
    return out


def _values(iris) -> str:
    return " ".join(f"<{i}>" for i in sorted(iris))


def _triples(store: Store, iris: set[str]) -> dict[str, list[tuple[str, object, bool, str]]]:
    """Outgoing ``(p, o, o is an IRI, graph)`` of each node."""
    out: dict[str, list] = defaultdict(list)
    if not iris:
        return out
    rows = store.select(f"""SELECT ?s ?p ?o ?g (isIRI(?o) AS ?k) WHERE {{
      VALUES ?s {{ {_values(iris)} }} GRAPH ?g {{ ?s ?p ?o }} }}""")
    for r in rows:
        out[r["s"]].append((r["p"], r["o"], r["k"] == "true", r["g"]))
    return out


def _bbox(text: str | None) -> tuple[float, float, float, float] | None:
    parts = (text or "").split()
    return tuple(float(p) for p in parts) if len(parts) == 4 else None  # type: ignore[return-value]


def _sources(store: Store, iris: set[str], docs: dict[str, DocContext]) -> dict[str, list[Source]]:
    """The source locations of each node, in page and line order."""
    out: dict[str, list[Source]] = defaultdict(list)
    if not iris:
        return out
    rows = store.select(f"""SELECT ?n ?g ?page ?line ?row ?table ?snippet ?bbox WHERE {{
      VALUES ?n {{ {_values(iris)} }}
      GRAPH ?g {{ ?n prov:qualifiedDerivation ?loc .
        OPTIONAL {{ ?loc bgt:page ?page }} OPTIONAL {{ ?loc bgt:line ?line }} OPTIONAL {{ ?loc bgt:row ?row }}
        OPTIONAL {{ ?loc bgt:sourceTable ?table }} OPTIONAL {{ ?loc bgt:snippet ?snippet }}
        OPTIONAL {{ ?loc bgt:bbox ?bbox }} }} }} ORDER BY ?n ?g ?page ?line""")
    for r in rows:
        d = docs.get(r["g"])
        out[r["n"]].append(Source(
            d.doc_id if d else local_name(r["g"]), d and d.title, d and d.source_file, r["page"], r["line"],
            r["row"], r["table"], r["snippet"] or "", _bbox(r["bbox"])))
    return out


@dataclass
class _Cited:
    """What the citation nodes of one (project, law) pair say: where, in which field, in which words."""

    sources: list[Source] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    raws: list[str] = field(default_factory=list)


def _citations(store: Store, pairs: set[tuple[str, str]], docs) -> dict[tuple[str, str], _Cited]:
    """Each (project, law) citation: the locations, fields and raw text of its citation nodes."""
    if not pairs:
        return {}
    projects = {p for p, _ in pairs}
    rows = store.select(f"""SELECT ?p ?law ?c ?field ?raw WHERE {{ VALUES ?p {{ {_values(projects)} }}
      ?p bgt:citation ?c . ?c bgt:citedLaw ?law . OPTIONAL {{ ?c bgt:field ?field }} OPTIONAL {{ ?c bgt:rawText ?raw }}
    }} ORDER BY ?c""")
    rows = [r for r in rows if (r["p"], r["law"]) in pairs]
    locs = _sources(store, {r["c"] for r in rows}, docs)
    out: dict[tuple[str, str], _Cited] = defaultdict(_Cited)
    for r in rows:
        cited = out[(r["p"], r["law"])]
        cited.sources = sorted(set(cited.sources) | set(locs.get(r["c"], [])), key=_source_order)
        for bucket, value in ((cited.fields, value_label(str(BGT.field), r["field"] or "")), (cited.raws, r["raw"])):
            if value and value not in bucket:
                bucket.append(value)
    return out


def _source_order(s: Source):
    return (s.doc_id, s.page or 0, s.line or 0, s.row or 0)


# --- labels and display ------------------------------------------------------------------------

def kind_of(types: list[str], schemes: list[str] = ()) -> tuple[str, str]:
    """``(kind, Chinese type name)`` from a node's rdf:types (and SKOS schemes for concepts)."""
    for cls, kind in KINDS:
        if cls in types:
            if kind == "concept":
                if str(BGT.economicScheme) in schemes:
                    return kind, "经济分类科目"
                if str(BGT.functionalScheme) in schemes:
                    return kind, "功能分类科目"
            return kind, term_label(cls)
    return "", term_label(types[0]) if types else ""


def _first(triples, props: list[str]) -> str | None:
    for p in props:
        vals = sorted(str(o) for q, o, is_iri, _ in triples if q == p and not is_iri)
        if vals:
            return vals[0]
    return None


def label_of(iri: str, triples) -> str:
    """A node's display name: its label, title, 文号 or printed name; its IRI's last segment if none."""
    return own_label(triples) or unquote(local_name(iri))


def own_label(triples) -> str | None:
    code = _first(triples, [str(BGT.code), str(SKOS.notation)])
    printed = _first(triples, [str(BGT.printedName)])
    if printed:
        return f"{code} {printed}" if code else printed
    name = _first(triples, LABEL_PROPS)
    if name:
        return f"{code} {name}" if code and not name.startswith(code) else name
    key = _first(triples, [str(BGT.totalKey)])
    if key:
        return value_label(str(BGT.totalKey), key)
    text = _first(triples, [str(BGT.text)])
    if text:
        return text[:60] + ("…" if len(text) > 60 else "")
    return None


def display(prop: str, value: object) -> str:
    if value is None:
        return ""
    if prop in MONEY:
        try:
            return wan(value, places="exact")
        except Exception:
            return str(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return value_label(prop, str(value))


def is_vocabulary(iri: str) -> bool:
    """A term of the ontology (a phase, a scheme), shown as text rather than as a link."""
    return iri.startswith(str(BGT._NS))


# --- building the view -------------------------------------------------------------------------

class _Builder:
    def __init__(self, store: Store, iri: str):
        self.store = store
        self.iri = str(store.minter.resolve(iri.strip()))
        self.docs = documents(store)
        self.doc_prefix = store.base + "doc/"

    def is_child(self, iri: str) -> bool:
        """A node scoped to one document (row, funding, indicator…), not the document itself."""
        return iri.startswith(self.doc_prefix) and "/" in iri[len(self.doc_prefix):]

    def build(self) -> EntityView:
        view = EntityView(self.iri)
        out = _triples(self.store, {self.iri}).get(self.iri, [])
        incoming = self.store.select(f"""SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p <{self.iri}> }}
          FILTER(?p NOT IN ({", ".join(f"<{p}>" for p in sorted(HIDDEN_INCOMING))})) }}""")
        if not out and not incoming:
            return view
        view.found = True
        types = [str(o) for p, o, k, _ in out if p == str(RDF.type)]
        schemes = [str(o) for p, o, k, _ in out if p == str(SKOS.inScheme)]
        view.kind, view.type_label = kind_of(types, schemes)
        view.label = label_of(self.iri, out)
        view.alt_labels = sorted({str(o) for p, o, k, _ in out if p in (str(SKOS.altLabel), str(RDFS.label))
                                  and str(o) != view.label})
        own_graphs = {g for *_, g in out}

        # neighbours: linked entities out and in
        out_links = [(p, str(o), g) for p, o, k, g in out if k and p not in HIDDEN and not is_vocabulary(str(o))]
        in_links = [(r["p"], r["s"], r["g"]) for r in incoming]
        neighbours = {o for _, o, _ in out_links} | {s for _, s, _ in in_links}
        desc = _triples(self.store, neighbours)
        second = {str(o) for n in neighbours for p, o, k, _ in desc.get(n, [])
                  if k and self.shows(n, desc[n], p) and not is_vocabulary(str(o)) and str(o) != self.iri}
        labels = {i: label_of(i, t) for i, t in _triples(self.store, second - neighbours).items()}
        labels.update({i: label_of(i, t) for i, t in desc.items()})
        self.labels = labels
        sources = _sources(self.store, neighbours | {self.iri}, self.docs)
        view.sources = sorted(sources.get(self.iri, []), key=_source_order)
        pairs = {(self.iri, o) for p, o, _ in out_links if p == str(BGT.cites)}
        pairs |= {(s, self.iri) for p, s, _ in in_links if p == str(BGT.cites)}
        cited = _citations(self.store, pairs, self.docs)
        self.cited = cited

        # facts: literals, vocabulary terms and single links
        by_prop: dict[str, list] = defaultdict(list)
        for p, o, k, g in out:
            if p not in HIDDEN:
                by_prop[p].append((o, k, g))
        cross = view.kind in CROSS_DOCUMENT_KINDS or len(own_graphs - {str(self.store.codelist_graph)}) > 1
        for p in sorted(by_prop, key=_prop_order):
            vals = by_prop[p]
            links = [(str(o), g) for o, k, g in vals if k and not is_vocabulary(str(o))]
            if p == str(RDFS.label) or p == str(SKOS.altLabel):
                continue
            if p == str(BGT.citation):
                continue  # shown in the cites list: field, words and place of each citation
            if links and (p in LIST_PROPS or any(self.is_child(o) for o, _ in links)
                          or len({o for o, _ in links}) > 3):
                group = LinkGroup(p, term_label(p), "out")
                for o in sorted({o for o, _ in links}, key=lambda i: labels.get(i, i)):
                    group.items.append(self.item(o, desc.get(o, []), sources.get(o, []), p, cross))
                self.finish(group, view.outgoing)
                continue
            seen = set()
            for o, k, g in vals:
                text = labels.get(str(o), "") if k and not is_vocabulary(str(o)) else (
                    term_label(str(o)) if k else display(p, o))
                val = Value(text, str(o) if k and not is_vocabulary(str(o)) else None)
                if val in seen:
                    continue
                seen.add(val)
                src = _matching([s for s in view.sources if self.docs.get(g) and s.doc_id == self.docs[g].doc_id],
                                val.text)
                view.facts.append(Fact(p, term_label(p), val, src))

        # incoming groups
        grouped: dict[str, set[str]] = defaultdict(set)
        for p, s, g in in_links:
            grouped[p].add(s)
        out_props = {g.prop for g in view.outgoing} | set(by_prop)
        for p in sorted(grouped, key=_prop_order):
            if INVERSE.get(p) in out_props:
                continue
            group = LinkGroup(p, INCOMING_LABELS.get(p) or f"以此为「{term_label(p)}」", "in")
            for s in grouped[p]:
                group.items.append(self.item(s, desc.get(s, []), sources.get(s, []), p, cross))
            group.items.sort(key=_item_order)
            self.finish(group, view.incoming)
        self.picture(view)
        return view

    def item(self, iri: str, triples, sources: list[Source], via: str, cross: bool) -> Item:
        types = [str(o) for p, o, k, _ in triples if p == str(RDF.type)]
        schemes = [str(o) for p, o, k, _ in triples if p == str(SKOS.inScheme)]
        kind, type_label = kind_of(types, schemes)
        it = Item(iri, label_of(iri, triples), kind, type_label, sources=sorted(sources, key=_source_order))
        if via == str(BGT.cites):  # a law cited by this project, or a project citing this law
            c = self.cited.get((self.iri, iri) if kind == "law" else (iri, self.iri), _Cited())
            it.sources = c.sources
        graphs = sorted({g for *_, g in triples if g in self.docs})
        if cross and graphs:
            d = self.docs[graphs[0]]
            it.fields["部门"] = Value(d.department or "", d.department_iri)
            it.fields["年度"] = Value(str(d.year or ""))
            it.fields["阶段"] = Value(d.phase or "")
        for p, o, k, g in sorted(triples, key=lambda t: _prop_order(t[0])):
            if p == via or not self.shows(iri, triples, p):
                continue
            col = term_label(p)
            if k:
                if str(o) == self.iri:
                    continue
                val = Value(term_label(str(o)), None) if is_vocabulary(str(o)) else Value(
                    self.labels.get(str(o), unquote(local_name(str(o)))), str(o))
            else:
                text = display(p, o)
                val = Value(text[:120] + "…" if p in LONG_TEXT and len(text) > 120 else text)
            if p == str(BGT.goal) and str(o) in ("long_term", "annual"):
                continue  # the goal kind says it
            if col in it.fields and it.fields[col] != val:
                it.fields[col] = Value(f"{it.fields[col].text}；{val.text}")
            else:
                it.fields[col] = val
        if via == str(BGT.cites):
            it.fields["引用位置"] = Value("、".join(c.fields))
            it.fields["引用原文"] = Value("；".join(c.raws))
        if own_label(triples) is None and it.fields:  # no name of its own (a funding row)
            first_link = next((v for v in it.fields.values() if v.iri), None)
            it.label = (first_link or next(iter(it.fields.values()))).text
        return it

    def shows(self, iri: str, triples, prop: str) -> bool:
        """Whether ``prop`` is a column of ``iri`` in a link list: all fields of a document's row or
        form part, a chosen few of a shared entity (a project's amount and unit)."""
        if prop in HIDDEN or prop in LABEL_PROPS or prop in _NOT_COLUMNS:
            return False
        kind = kind_of([str(o) for p, o, k, _ in triples if p == str(RDF.type)])[0]
        if kind in _ITEM_FIELDS:
            return prop in _ITEM_FIELDS[kind]
        return self.is_child(iri)

    def finish(self, group: LinkGroup, into: list[LinkGroup]) -> None:
        group.count = len(group.items)
        group.items = group.items[:MAX_ITEMS]
        into.append(group)

    def picture(self, view: EntityView) -> None:
        view.nodes[view.iri] = (view.label, view.kind)
        for f in view.facts:
            if f.value.iri:
                view.nodes.setdefault(f.value.iri, (f.value.text, ""))
                view.edges.append(Edge(view.iri, f.value.iri, f.label))
        for g in (*view.outgoing, *view.incoming):
            for it in g.items[:MAX_EDGES_PER_GROUP]:
                view.nodes.setdefault(it.iri, (it.label, it.kind))
                a, b = (view.iri, it.iri) if g.direction == "out" else (it.iri, view.iri)
                view.edges.append(Edge(a, b, term_label(g.prop)))
            if g.count > MAX_EDGES_PER_GROUP:
                more = f"{g.prop}#more-{g.direction}"
                view.nodes[more] = (f"等 {g.count} 项", "more")
                a, b = (view.iri, more) if g.direction == "out" else (more, view.iri)
                view.edges.append(Edge(a, b, term_label(g.prop)))


# Columns of a shared entity in someone else's list (a project in a law's list…)
_NOT_COLUMNS = {str(SKOS.altLabel), str(BGT.printedName), str(PROV.wasDerivedFrom), str(BGT.text), str(BGT.code)}
_ITEM_FIELDS: dict[str, set[str]] = {
    "project": {str(BGT.amount), str(BGT.budgetUnit)},
    "unit": {str(BGT.unitCode)},
    "concept": {str(SKOS.notation)},
    "law": {str(ELI.id_local)},
    "budget": {str(BGT.fiscalYear), str(BGT.phase)},
    "document": {str(BGT.sourceFile)},
    "department": set(), "office": set(), "fund": set(),
}

_ORDER = [str(p) for p in (
    DCTERMS.title, ELI.id_local, ELI.title, BGT.code, SKOS.notation, BGT.projectCode, BGT.department, ORG.unitOf,
    BGT.inBudget, BGT.fiscalYear, BGT.phase, BGT.budgetUnit, BGT.executingUnit, BGT.amount, BGT.totalAmount,
    BGT.basicAmount, BGT.projectAmount, BGT.budgetInitial, BGT.budgetFullYear, BGT.formTotalBudget,
    BGT.formCurrentYearBudget, BGT.attribute, BGT.category, BGT.startYear, BGT.endYear, BGT.functionalClass,
    BGT.economicClass, BGT.cites, BGT.legalBasisText, BGT.implementationText, BGT.longTermGoal, BGT.annualGoal)]


def _prop_order(p: str):
    return (_ORDER.index(p) if p in _ORDER else len(_ORDER), term_label(p))


def _item_order(it: Item):
    year = it.fields.get("年度")
    return (-(int(year.text) if year and year.text.isdigit() else 0), str(it.fields.get("部门", "")), it.label)


_NUMBER = re.compile(r"[\d,]+(?:\.\d+)?")


def _matching(sources: list[Source], text: str) -> list[Source]:
    """The sources whose snippet shows ``text`` (its start, for long text; amounts compared as numbers);
    all of them if none does."""
    if not text:
        return sources
    want = text.replace(",", "")
    head = re.sub(r"\s+", "", text)[:12]
    hits = []
    for s in sources:
        snippet = re.sub(r"\s+", "", s.snippet)
        if want in snippet or head in snippet:
            hits.append(s)
            continue
        try:
            w = Decimal(want)
        except Exception:
            continue
        if any(Decimal(n.replace(",", "")) == w for n in _NUMBER.findall(s.snippet) if n.replace(",", "")):
            hits.append(s)
    return hits or sources


def entity_view(store: Store, iri: str) -> EntityView:
    """Everything an entity page shows about ``iri`` (a full IRI or a path under the base, e.g.
    ``law/武政规〔2016〕32号``); ``found`` is False when the store says nothing about it."""
    return _Builder(store, iri).build()


# --- the neighbourhood picture -----------------------------------------------------------------

_COLOURS = {"project": "#dbeafe", "law": "#fde68a", "department": "#fecaca", "unit": "#fed7aa", "office": "#fed7aa",
            "concept": "#bbf7d0", "fund": "#e9d5ff", "budget": "#fbcfe8", "document": "#e5e7eb",
            "line": "#d1fae5", "more": "#ffffff"}


def _dot_text(text: str, width: int = 12) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    if len(text) > 3 * width:
        text = text[:3 * width - 1] + "…"
    return "\\n".join(text[i:i + width] for i in range(0, len(text), width))


def neighbourhood_dot(view: EntityView, url_for=None) -> str:
    lines = ['digraph G {', '  graph [rankdir=LR, fontname="Noto Sans CJK SC", bgcolor="transparent"];',
             '  node [shape=box, style="rounded,filled", fontname="Noto Sans CJK SC", fontsize=11, fillcolor="#f3f4f6"];',
             '  edge [fontname="Noto Sans CJK SC", fontsize=9, color="#6b7280"];']
    ids = {iri: f"n{i}" for i, iri in enumerate(view.nodes)}
    for iri, (label, kind) in view.nodes.items():
        attrs = [f'label="{_dot_text(label)}"', f'fillcolor="{_COLOURS.get(kind, "#f3f4f6")}"']
        if iri == view.iri:
            attrs += ['penwidth=2.5', 'color="#b91c1c"']
        elif url_for is not None and kind != "more":
            attrs += [f'URL="{url_for(iri)}"', 'target="_self"']
        lines.append(f'  {ids[iri]} [{", ".join(attrs)}];')
    for e in dict.fromkeys(view.edges):
        lines.append(f'  {ids[e.source]} -> {ids[e.target]} [label="{_dot_text(e.label, 8)}"];')
    lines.append("}")
    return "\n".join(lines)


# --- finding entities by name ------------------------------------------------------------------

LOOKUP_CLASSES = [BGT.Department, BGT.BudgetUnit, BGT.Office, BGT.Project, ELI.LegalResource, BGT.FundingSource,
                  BGT.Budget, SKOS.Concept]


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    kind: str
    type_label: str


def lookup(store: Store, text: str, limit: int = 30) -> list[Hit]:
    """Entities whose name, 文号 or code contains ``text`` (departments, units, projects, laws, funds,
    budgets, classification codes), shortest name first."""
    from ingest.citations import normalize_doc_number

    from .iri import norm_key
    from .queries import _literal

    keys = {k for k in (norm_key(text), normalize_doc_number(text)) if k}
    if not keys:
        return []
    classes = ", ".join(f"<{c}>" for c in LOOKUP_CLASSES)
    contains = " || ".join(f'CONTAINS(REPLACE(STR(?name), "\\\\s", ""), {_literal(k)})' for k in sorted(keys))
    rows = store.select(f"""SELECT DISTINCT ?s ?t ?name WHERE {{
      ?s rdfs:label|skos:altLabel|eli:id_local|skos:notation ?name ; a ?t .
      FILTER(?t IN ({classes})) FILTER({contains}) }} LIMIT {limit * 20}""")
    found: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        found[r["s"]].append(r["t"])
    triples = _triples(store, set(found))
    hits = []
    for iri, types in found.items():
        t = triples.get(iri, [])
        kind, type_label = kind_of([str(o) for p, o, k, _ in t if p == str(RDF.type)] or types,
                                   [str(o) for p, o, k, _ in t if p == str(SKOS.inScheme)])
        hits.append(Hit(iri, label_of(iri, t), kind, type_label))
    hits.sort(key=lambda h: (len(h.label), h.label))
    return hits[:limit]


def landmarks(store: Store, limit: int = 12) -> dict[str, list[Hit]]:
    """Starting points for browsing: the departments, and the laws cited by the most projects."""
    depts = store.select("""SELECT DISTINCT ?d ?name WHERE { ?d a bgt:Department ; rdfs:label ?name } ORDER BY ?name""")
    laws = store.select(f"""SELECT ?law (SAMPLE(?l) AS ?name) (COUNT(DISTINCT ?p) AS ?n) WHERE {{
      ?p bgt:cites ?law . ?law rdfs:label ?l }} GROUP BY ?law ORDER BY DESC(?n) ?name LIMIT {limit}""")
    return {
        "部门": [Hit(r["d"], r["name"], "department", term_label(str(BGT.Department))) for r in depts],
        "常被引用的政策文件": [Hit(r["law"], f"{r['name']}（{r['n']} 个项目）", "law", term_label(str(ELI.LegalResource)))
                       for r in laws],
    }

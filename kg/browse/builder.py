"""Building an :class:`~kg.browse.views.EntityView`: one IRI's name, facts, link lists and picture, in steps.

:func:`entity_view` reads the node's own statements and the statements that point at it, then
its neighbours (their triples, names and sources, and the citation nodes between a project and a
law), and lays them out: literals and single links become facts, lists of links become groups
(outgoing, then incoming), and the first few of each group become the edges of the picture.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from urllib.parse import unquote

from rdflib.namespace import RDFS, SKOS

from ingest.normalise import squash

from ..labels import local_name, term_label
from ..store import Store
from ..vocab import BGT
from .crosslinks import cross_links
from .display import LABEL_PROPS, display, label_of, own_label, shorten
from .graph import Edge
from .kinds import CROSS_DOCUMENT_KINDS, is_vocabulary, node_kind
from .placement import (
    HIDDEN, HIDDEN_INCOMING, INCOMING_LABELS, INVERSE, ITEM_FIELDS, LIST_PROPS, MAX_EDGES_PER_GROUP, MAX_ITEMS,
    NOT_COLUMNS, item_order, prop_order,
)
from .reads import Cited, Triple, citations, documents, incoming, node_sources, node_triples, property_sources
from .views import EntityView, Fact, Item, LinkGroup, Source, Value, source_order

Link = tuple[str, str, str]  # (property, the other node, graph)


def entity_view(store: Store, iri: str) -> EntityView:
    """Everything an entity page shows about ``iri`` (a full IRI or a path under the base, e.g.
    ``law/武政规〔2016〕32号``); ``found`` is False when the store says nothing about it."""
    return _Builder(store, iri).build()


class _Builder:
    """The reads and the layout of one entity page."""

    def __init__(self, store: Store, iri: str):
        self.store = store
        self.iri = str(store.minter.resolve(iri.strip()))
        self.docs = documents(store)
        self.doc_prefix = store.base + "doc/"

    def build(self) -> EntityView:
        view = EntityView(self.iri)
        out = node_triples(self.store, {self.iri}).get(self.iri, [])
        in_links = [(r["p"], r["s"], r["g"]) for r in incoming(self.store, self.iri, HIDDEN_INCOMING)]
        if not out and not in_links:
            return view
        self.name(view, out)
        if view.kind == "department":
            from ..charts import department_budgets  # pandas, only for a department's page

            view.budgets = department_budgets(self.store, self.iri)
        out_links = [(p, str(o), g) for p, o, k, g in out if k and p not in HIDDEN and not is_vocabulary(str(o))]
        self.read_neighbours(view, out_links, in_links)
        graphs = {g for *_, g in out if not g.startswith(self.store.base + "graph/")}  # documents' graphs
        self.cross = view.kind in CROSS_DOCUMENT_KINDS or len(graphs) > 1
        by_prop = self.outgoing(view, out)
        self.incoming(view, in_links, {g.prop for g in view.outgoing} | set(by_prop))
        view.links = cross_links(self.store, self.iri, self.docs)
        self.picture(view)
        return view

    # --- steps ---
    def name(self, view: EntityView, out: list[Triple]) -> None:
        """Found: its kind, type name, label and other names."""
        view.found = True
        view.kind, view.type_label = node_kind(out)
        view.label = label_of(self.iri, out)
        view.alt_labels = sorted({str(o) for p, o, k, _ in out if p in (str(SKOS.altLabel), str(RDFS.label))
                                  and str(o) != view.label})

    def read_neighbours(self, view: EntityView, out_links: list[Link], in_links: list[Link]) -> None:
        """The neighbours' triples, the names of what they link to, everyone's sources, and the citations."""
        neighbours = {o for _, o, _ in out_links} | {s for _, s, _ in in_links}
        self.desc = desc = node_triples(self.store, neighbours)
        second = {str(o) for n in neighbours for p, o, k, _ in desc.get(n, [])
                  if k and self.shows(n, desc[n], p) and not is_vocabulary(str(o)) and str(o) != self.iri}
        labels = {i: label_of(i, t) for i, t in node_triples(self.store, second - neighbours).items()}
        labels.update({i: label_of(i, t) for i, t in desc.items()})
        self.labels = labels
        self.sources = node_sources(self.store, neighbours | {self.iri}, self.docs)
        view.sources = sorted(self.sources.get(self.iri, []), key=source_order)
        self.by_property = property_sources(self.store, self.iri, self.docs)
        names = [(str(RDFS.label), None, view.label)] + [(str(SKOS.altLabel), a, a) for a in view.alt_labels]
        view.name_sources = {name: sorted(self.by_property[(p, v)], key=source_order)
                             for p, v, name in names if self.by_property.get((p, v))}
        pairs = {(self.iri, o) for p, o, _ in out_links if p == str(BGT.cites)}
        pairs |= {(s, self.iri) for p, s, _ in in_links if p == str(BGT.cites)}
        self.cited = citations(self.store, pairs, self.docs)

    def outgoing(self, view: EntityView, out: list[Triple]) -> dict[str, list]:
        """Facts (literals, vocabulary terms and single links) and outgoing link lists; returns the
        shown statements by property."""
        by_prop: dict[str, list] = defaultdict(list)
        for p, o, k, g in out:
            if p not in HIDDEN:
                by_prop[p].append((o, k, g))
        for p in sorted(by_prop, key=prop_order):
            if p in (str(RDFS.label), str(SKOS.altLabel), str(BGT.citation)):
                continue  # names are the title; citations are shown in the cites list (field, words, place)
            vals = by_prop[p]
            links = [(str(o), g) for o, k, g in vals if k and not is_vocabulary(str(o))]
            if links and (p in LIST_PROPS or any(self.is_child(o) for o, _ in links)
                          or len({o for o, _ in links}) > 3):
                group = LinkGroup(p, term_label(p), "out")
                for o in sorted({o for o, _ in links}, key=lambda i: self.labels.get(i, i)):
                    group.items.append(self.item(o, p))
                self.finish(group, view.outgoing)
            else:
                view.facts.extend(self.facts(view, p, vals))
        return by_prop

    def facts(self, view: EntityView, p: str, vals: list) -> list[Fact]:
        """One fact per distinct shown value of ``p``, with where that value was read."""
        facts, seen = [], set()
        for o, k, g in vals:
            link = k and not is_vocabulary(str(o))
            text = self.labels.get(str(o), "") if link else (term_label(str(o)) if k else display(p, o))
            val = Value(text, str(o) if link else None)
            if val in seen:
                continue
            seen.add(val)
            facts.append(Fact(p, term_label(p), val, self.fact_sources(view, p, o, g, val.text), str(o)))
        return facts

    def fact_sources(self, view: EntityView, p: str, o: object, graph: str, text: str) -> list[Source]:
        """Where the value ``o`` of ``p`` was read, in document ``graph``: its own source location (the value's,
        for a property of several: a project's, the department's and the budget's fields, a head count, an
        indicator's field read off its row), else — a fact of a record read on one row (a line item, a unit),
        or the link to the document — the entity's sources whose snippet shows it."""
        doc = self.docs.get(graph)
        in_doc = lambda sources: [s for s in sources if doc and s.doc_id == doc.doc_id]  # noqa: E731
        own = in_doc(self.by_property.get((p, str(o)), []) or self.by_property.get((p, None), []))
        return sorted(own, key=source_order) if own else _matching(in_doc(view.sources), text)

    def incoming(self, view: EntityView, in_links: list[Link], out_props: set[str]) -> None:
        """One list per property pointing here, but for the inverses of lists already shown."""
        grouped: dict[str, set[str]] = defaultdict(set)
        for p, s, g in in_links:
            grouped[p].add(s)
        for p in sorted(grouped, key=prop_order):
            if INVERSE.get(p) in out_props:
                continue
            group = LinkGroup(p, INCOMING_LABELS.get(p) or f"以此为「{term_label(p)}」", "in")
            for s in grouped[p]:
                group.items.append(self.item(s, p))
            group.items.sort(key=item_order)
            self.finish(group, view.incoming)

    def picture(self, view: EntityView) -> None:
        """The nodes and edges drawn: single links, and the first items of each group (``等 N 项`` for more)."""
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

    # --- one linked entity in a list ---
    def item(self, iri: str, via: str) -> Item:
        """``iri`` as a row of the list of ``via``: name, type, context and columns, with its sources."""
        triples = self.desc.get(iri, [])
        kind, type_label = node_kind(triples)
        it = Item(iri, label_of(iri, triples), kind, type_label,
                  sources=sorted(self.sources.get(iri, []), key=source_order))
        cited = Cited()
        if via == str(BGT.cites):  # a law cited by this project, or a project citing this law
            cited = self.cited.get((self.iri, iri) if kind == "law" else (iri, self.iri), Cited())
            it.sources = cited.sources
        graphs = sorted({g for *_, g in triples if g in self.docs})
        if self.cross and graphs:
            d = self.docs[graphs[0]]
            it.fields["部门"] = Value(d.department or "", d.department_iri)
            it.fields["年度"] = Value(str(d.year or ""))
            it.fields["阶段"] = Value(d.phase or "")
        for p, o, k, g in sorted(triples, key=lambda t: prop_order(t[0])):
            if p == via or not self.shows(iri, triples, p):
                continue
            if k and str(o) == self.iri:
                continue
            if p == str(BGT.goal) and str(o) in ("long_term", "annual"):
                continue  # the goal kind says it
            val = self.cell(p, o, k)
            col = term_label(p)
            if col in it.fields and it.fields[col] != val:
                it.fields[col] = Value(f"{it.fields[col].text}；{val.text}")
            else:
                it.fields[col] = val
        if via == str(BGT.cites):
            it.fields["引用位置"] = Value("、".join(cited.fields))
            it.fields["引用原文"] = Value("；".join(cited.raws))
        if own_label(triples) is None and it.fields:  # no name of its own (a funding row)
            first_link = next((v for v in it.fields.values() if v.iri), None)
            it.label = (first_link or next(iter(it.fields.values()))).text
        return it

    def cell(self, p: str, o: object, is_iri: bool) -> Value:
        """An object of ``p`` as a table cell: a linked name, a vocabulary term, or a value's text."""
        if not is_iri:
            return Value(shorten(p, display(p, o)))
        if is_vocabulary(str(o)):
            return Value(term_label(str(o)), None)
        return Value(self.labels.get(str(o), unquote(local_name(str(o)))), str(o))

    def shows(self, iri: str, triples: list[Triple], prop: str) -> bool:
        """Whether ``prop`` is a column of ``iri`` in a link list: all fields of a document's row or
        form part, a chosen few of a shared entity (a project's amount and unit)."""
        if prop in HIDDEN or prop in LABEL_PROPS or prop in NOT_COLUMNS:
            return False
        kind = node_kind(triples)[0]
        if kind in ITEM_FIELDS:
            return prop in ITEM_FIELDS[kind]
        return self.is_child(iri)

    def is_child(self, iri: str) -> bool:
        """A node scoped to one document (row, funding, indicator…), not the document itself."""
        return iri.startswith(self.doc_prefix) and "/" in iri[len(self.doc_prefix):]

    @staticmethod
    def finish(group: LinkGroup, into: list[LinkGroup]) -> None:
        group.count = len(group.items)
        group.items = group.items[:MAX_ITEMS]
        into.append(group)


_NUMBER = re.compile(r"[\d,]+(?:\.\d+)?")


def _matching(sources: list[Source], text: str) -> list[Source]:
    """The sources whose snippet shows ``text`` (its start, for long text; amounts compared as numbers);
    all of them if none does."""
    if not text:
        return sources
    want = text.replace(",", "")
    head = squash(text)[:12]
    hits = []
    for s in sources:
        snippet = squash(s.snippet)
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

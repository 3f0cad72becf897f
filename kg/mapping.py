"""Records → triples: one :class:`~ingest.records.Extraction` becomes one document's named graph.

Every node has a deterministic IRI (kg.iri), never a blank node, so re-mapping the
same extraction gives an isomorphic graph with the identical triple count.  Shared
entities (department, units, projects, laws, concepts) use keys that link documents;
rows, indicators, chunks and source locations are scoped to the document.
Every entity is ``prov:wasDerivedFrom`` the document, and each place it was read is a
``prov:qualifiedDerivation`` (a ``bgt:SourceLocation`` with page/table/row/line/snippet).

A record's plain fields go through tables of :class:`Field` (record attribute → predicate, and how the
object is made when it is not the value itself), applied by :meth:`_Mapper.fields`; what needs more
than one triple or a lookup (units named in a row, laws, concepts, chunk subjects) is a method.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Callable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, QB, RDF, RDFS, SKOS, XSD

from ingest.citations import normalize_title
from ingest.document.title import UNIT_SCOPE
from ingest.records import (
    ANNUAL, ECONOMIC, FINAL_ACCOUNT, GOAL_FIELDS, LONG_TERM, Activity, Chunk, Citation, Extraction, Funding,
    Indicator, ProcurementRow, Project, Provenance, Sourced,
)

from .check_findings import map_findings
from .iri import Minter, digest, norm_key, project_keys
from .namespaces import DEFAULT_BASE, bind_all
from .ntriples import ntriples
from .vocab import BGT, ELI, ONTOLOGY_DIR

PHASES = {"budget": BGT.budgetPhase, FINAL_ACCOUNT: BGT.finalAccountPhase}
PHASE_ZH = {"budget": "部门预算", FINAL_ACCOUNT: "部门决算"}
# what a document's graph holds and how: raise it whenever ingest or this mapping changes the facts a stored
# document would have (new records, IRIs, findings), so that stores written before are brought up to date
# from their kept source files (:meth:`kg.api.BudgetKG.refresh_outdated`)
GRAPH_FORMAT = 3


@lru_cache(maxsize=None)
def codelist_codes(scheme: str) -> frozenset[str]:
    """Codes the shipped codelist (``functional`` | ``economic``) defines."""
    g = Graph().parse(ONTOLOGY_DIR / "codelists" / f"{scheme}.ttl")
    return frozenset(str(o) for o in g.objects(None, SKOS.notation))


def _literal(value) -> Literal:
    """A Python value as the literal :meth:`_Mapper.add` states."""
    if isinstance(value, Decimal):
        return Literal(value, datatype=XSD.decimal)
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    return Literal(str(value))


def _parent_code(code: str) -> str | None:
    return code[:-2] if len(code) > 3 and code.isdigit() else None


# --- field → predicate tables ------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One record attribute as one triple: ``(node, pred, object)``.

    The object is the attribute's value as a literal typed by its Python type (:meth:`_Mapper.add`),
    or ``make(mapper, value, record)`` when given (an IRI, or a value in another form); empty values
    (``None``, ``""``) give no triple.
    """

    attr: str
    pred: URIRef
    make: Callable[[_Mapper, object, object], object] | None = None


def _unit(mapper: _Mapper, name: str, record) -> URIRef | None:
    """The unit a record names, read where the record was read."""
    return mapper.unit_ref(name, record.provenance)


DOCUMENT = (Field("doc_id", DCTERMS.identifier), Field("title", DCTERMS.title),
            Field("path", BGT.sourceFile, lambda mapper, path, d: Path(path).name), Field("region", BGT.region),
            Field("contact_phone", BGT.contactPhone))
SOURCE_LOCATION = (Field("page", BGT.page), Field("line", BGT.line), Field("row", BGT.row),
                   Field("table", BGT.sourceTable), Field("snippet", BGT.snippet),
                   Field("bbox", BGT.bbox, lambda mapper, box, pv: " ".join(f"{v:g}" for v in box)),
                   Field("source", BGT.sourceFile))  # the file of a disclosure read from several
STAFFING = (Field("authorized_total", BGT.authorizedTotal), Field("authorized_admin", BGT.authorizedAdmin),
            Field("authorized_institution", BGT.authorizedInstitution), Field("actual_total", BGT.actualTotal),
            Field("actual_admin", BGT.actualAdmin), Field("actual_institution", BGT.actualInstitution),
            Field("retired_total", BGT.retiredTotal))
TOTAL = (Field("key", BGT.totalKey), Field("amount", BGT.amount))
THREE_PUBLIC = (Field("item", BGT.item), Field("amount", BGT.amount))
TABLE = (Field("role", BGT.tableRole),)
LINE_ITEM = (Field("code", BGT.code), Field("name", BGT.printedName), Field("total", BGT.totalAmount),
             Field("basic", BGT.basicAmount), Field("project", BGT.projectAmount))
PROCUREMENT = (Field("table", BGT.procurementKind), Field("unit", BGT.budgetUnit, _unit),
               Field("project_name", BGT.projectName), Field("item", BGT.item), Field("amount", BGT.amount),
               Field("quantity", BGT.quantity))
INDICATOR = (Field("goal", BGT.goal), Field("level1", BGT.level1), Field("level2", BGT.level2),
             Field("level3", BGT.level3), Field("value_raw", BGT.valueRaw), Field("comparator", BGT.comparator),
             Field("number", BGT.targetNumber), Field("unit", BGT.measureUnit), Field("basis", BGT.basis),
             Field("actual", BGT.actualValue), Field("score", BGT.score),
             Field("subject_unit", BGT.budgetUnit, _unit))
PROJECT = (Field("code", BGT.projectCode), Field("amount", BGT.amount), Field("budget_initial", BGT.budgetInitial),
           Field("budget_full_year", BGT.budgetFullYear), Field("form_total_budget", BGT.formTotalBudget),
           Field("form_current_year_budget", BGT.formCurrentYearBudget), Field("unit", BGT.budgetUnit, _unit),
           Field("executing_unit", BGT.executingUnit, _unit), Field("attribute", BGT.attribute),
           Field("category", BGT.category), Field("start_year", BGT.startYear), Field("end_year", BGT.endYear),
           Field("legal_basis_text", BGT.legalBasisText), Field("implementation_text", BGT.implementationText))
STATED = (Field("key", BGT.figureKey), Field("year", BGT.fiscalYear), Field("amount", BGT.amount),
          Field("step", BGT.step), Field("kind", BGT.statedKind), Field("statement", RDFS.label))
CITATION = (Field("kind", BGT.citationKind), Field("field", BGT.field), Field("raw", BGT.rawText))
FUNDING = (Field("source", BGT.fundingSource, lambda mapper, source, f: mapper.fund(source)),
           Field("amount", BGT.amount))
ACTIVITY = (Field("description", BGT.description), Field("economic_class", BGT.economicClassName),
            Field("amount", BGT.amount), Field("basis", BGT.basis))
CHUNK = (Field("text", BGT.text), Field("kind", BGT.chunkKind), Field("subject_type", BGT.subjectType),
         Field("subject", BGT.subjectName))


# a Project FieldSource's field → the property its value is stated by (the PROJECT table's, and these)
PROJECT_FIELD_PROPERTIES = {
    **{f.attr: f.pred for f in PROJECT}, "name": RDFS.label, "aliases": SKOS.altLabel,
    "functional_code": BGT.functionalClass, GOAL_FIELDS[LONG_TERM]: BGT.longTermGoal,
    GOAL_FIELDS[ANNUAL]: BGT.annualGoal,
}


# a Document FieldSource's field → the properties of the department / of the budget its value is stated by
DEPARTMENT_FIELD_PROPERTIES = {"department": (RDFS.label, SKOS.prefLabel), "short_names": SKOS.altLabel}
BUDGET_FIELD_PROPERTIES = {"department": BGT.department, "year": BGT.fiscalYear, "phase": BGT.phase}
STAFFING_FIELD_PROPERTIES = {f.attr: f.pred for f in STAFFING}
INDICATOR_FIELD_PROPERTIES = {f.attr: f.pred for f in INDICATOR}


def _field_sources(record: Sourced, properties: dict[str, URIRef | tuple[URIRef, ...]],
                   ) -> tuple[tuple[URIRef, Provenance, str | None], ...]:
    """(property, provenance, value) of each field source of ``record`` whose field the graph states by
    ``properties`` (a property, or several stating the same value)."""
    props = {f: p if isinstance(p, tuple) else (p,) for f, p in properties.items()}
    return tuple((prop, s.provenance, s.value) for s in record.field_sources for prop in props.get(s.field, ()))


def _goal_kind(ind: Indicator) -> str | None:
    """long_term | annual: as the department table says, else the project form's goal column."""
    return ind.goal_type or (ind.goal if ind.goal in (LONG_TERM, "annual") else None)


class _Triples:
    """A document's triples as the mapping adds them, each once (in order of first addition), with the few
    lookups the mapping makes of its own work (``in``, :meth:`subjects`, :meth:`objects`, :meth:`value`, as
    rdflib's ``Graph`` names them).

    Not an rdflib ``Graph``: its store's indexes cost half of the mapping (profiled at 1M triples), and the
    store takes N-Triples.  The lookups are indexed from the first one on, and only for the predicates looked
    up (the mapping reads only at its end, a few predicates: laws' labels, findings), so the adds before cost
    one dict entry each."""

    def __init__(self):
        self.triples: dict[tuple, None] = {}
        self._by_p: dict | None = None  # predicate → its triples, once a lookup was made
        self._sp: dict = {}  # predicate → subject → objects, for the predicates looked up
        self._po: dict = {}  # predicate → object → subjects

    def add(self, triple: tuple) -> None:
        if triple in self.triples:
            return
        self.triples[triple] = None
        if self._by_p is not None:
            s, p, o = triple
            self._by_p.setdefault(p, []).append(triple)
            if p in self._sp:
                self._sp[p].setdefault(s, []).append(o)
            if p in self._po:
                self._po[p].setdefault(o, []).append(s)

    def _of(self, p, index: dict, key: int, value: int) -> dict:
        """``index``'s table of predicate ``p`` (key position → value positions), built on first use."""
        if self._by_p is None:
            self._by_p = {}
            for t in self.triples:
                self._by_p.setdefault(t[1], []).append(t)
        table = index.get(p)
        if table is None:
            table = index[p] = {}
            for t in self._by_p.get(p, ()):
                table.setdefault(t[key], []).append(t[value])
        return table

    def __contains__(self, triple: tuple) -> bool:
        return triple in self.triples

    def __len__(self) -> int:
        return len(self.triples)

    def __iter__(self):
        return iter(self.triples)

    def subjects(self, p, o) -> list:
        return list(self._of(p, self._po, 2, 0).get(o, ()))

    def objects(self, s, p) -> list:
        return list(self._of(p, self._sp, 0, 2).get(s, ()))

    def value(self, s, p):
        """One object of ``(s, p)`` (the first added), or ``None``."""
        found = self._of(p, self._sp, 0, 2).get(s)
        return found[0] if found else None


class Mapped:
    """One document's graph as mapped: its name, its triples, and the two forms they take (N-Triples for the
    store, an rdflib ``Graph`` for the rest), both from the one mapping."""

    def __init__(self, name: URIRef, triples: _Triples, base: str):
        self.name, self.triples, self.base = name, triples, base

    def __len__(self) -> int:
        return len(self.triples)

    def ntriples(self) -> str:
        return ntriples(self.triples)

    def graph(self) -> Graph:
        g = bind_all(Graph(store="SimpleMemory", identifier=self.name), self.base)
        g.addN((s, p, o, g) for s, p, o in self.triples)
        return g


class _Mapper:
    """Holds the triples and lookups while one extraction is mapped."""

    def __init__(self, ex: Extraction, minter: Minter):
        self.ex, self.m = ex, minter
        d = ex.document
        self.doc_id = d.doc_id
        self.doc = minter.document(d.doc_id)
        self.g = _Triples()
        self.literals: dict[tuple, Literal] = {}  # a value's literal, made once (pages, rows, codes recur)
        self.dept_name = d.department or d.title or d.doc_id
        self.dept = minter.department(self.dept_name)
        self.budget_unit = (d.budget_unit or self.dept_name) if d.scope == UNIT_SCOPE else None
        self.budget = minter.budget(self.dept_name, d.year, d.phase, self.budget_unit)
        self.units: dict[str, URIRef] = {}
        keys = project_keys(ex.projects)
        self.project_iris = [minter.project(self.dept_name, d.year, k) for k in keys]
        self.project_keys = keys
        self.project_by_name: dict[str, URIRef] = {}
        for p, iri in zip(ex.projects, self.project_iris):
            for name in (p.name, *p.aliases):
                self.project_by_name.setdefault(norm_key(name), iri)
        # a title cited anywhere in this document together with its 文号 is that 文号's law
        self.title_numbers = {
            c.key: c.doc_number for p in ex.projects for c in p.citations if c.kind == "title" and c.doc_number
        }

    # --- small helpers ---
    def add(self, s, p, o) -> None:
        """Add a triple; ``None`` and empty strings are skipped, Python values become literals."""
        if o is None or o == "":
            return
        if not isinstance(o, (URIRef, Literal)):
            key = (o.__class__, o if isinstance(o, (int, str)) else str(o))  # Decimal 1.0 and 1.00: two literals
            lit = self.literals.get(key)
            if lit is None:
                lit = self.literals[key] = _literal(o)
            o = lit
        self.g.add((s, p, o))

    def fields(self, node: URIRef, record, table: tuple[Field, ...]) -> None:
        """One triple per :class:`Field` of ``table`` that ``record`` fills."""
        for f in table:
            value = getattr(record, f.attr)
            if f.make is not None and value is not None and value != "":
                value = f.make(self, value, record)
            self.add(node, f.pred, value)

    def typed(self, node: URIRef, *classes: URIRef) -> None:
        for cls in classes:
            self.g.add((node, RDF.type, cls))

    def label(self, s, text: str | None, p=RDFS.label) -> None:
        if text:
            self.g.add((s, p, Literal(text, lang="zh")))

    def part(self, owner: URIRef, link: URIRef, node: URIRef, *classes: URIRef) -> URIRef:
        """``owner link node``, and ``node``'s classes: a part of the document (a row, a total…)."""
        self.add(owner, link, node)
        self.typed(node, *classes)
        return node

    def derive(self, node: URIRef, *provs: Provenance | None,
               by_property: tuple[tuple[URIRef, Provenance, str | None], ...] = ()) -> None:
        """``prov:wasDerivedFrom`` the document, plus one source location per provenance; and one per
        ``(property, provenance, value)`` of ``by_property`` saying which property's value (which value,
        for a property of several) was read there (``bgt:forProperty``, ``bgt:forValue``)."""
        self.add(node, PROV.wasDerivedFrom, self.doc)
        places = [(None, pv, None) for pv in provs if pv is not None] + list(by_property)
        for prop, pv, value in places:
            where = (pv.page, pv.table, pv.row, pv.line, pv.snippet, *((pv.source,) if pv.source else ()))
            key = (node, *where) + ((prop, value) if prop else ())
            loc = self.m.in_doc(self.doc_id, "src", digest(*key))
            self.add(node, PROV.qualifiedDerivation, loc)
            self.typed(loc, BGT.SourceLocation)
            self.add(loc, PROV.entity, self.doc)
            self.add(loc, BGT.forProperty, prop)
            self.add(loc, BGT.forValue, value)
            self.fields(loc, pv, SOURCE_LOCATION)

    def unit_ref(self, name: str | None, provenance: Provenance | None = None) -> URIRef | None:
        """The unit named ``name``: a listed unit (exact or by name suffix), else a new unit node."""
        if not name:
            return None
        key = norm_key(name)
        if key in self.units:
            return self.units[key]
        for known, iri in sorted(self.units.items()):
            if known.endswith(key) or key.endswith(known):
                return iri
        own = self._own_level(key)
        return own if own is not None else self.unit(name, None, provenance)

    def _own_level(self, key: str) -> URIRef | None:
        """The department's own name, short or with 本级 (``区医保局本级``) → its one 本级 unit, if listed."""
        names = {norm_key(n) for n in (self.dept_name, *self.ex.document.short_names)}
        if key.removesuffix("本级") not in names:
            return None
        own = [iri for known, iri in sorted(self.units.items()) if known.endswith("本级")]
        return own[0] if len(own) == 1 else None

    def org_unit(self, iri: URIRef, name: str, *classes: URIRef) -> URIRef:
        """A unit or office of the department: its classes, name and both links with the department."""
        self.typed(iri, *classes, ORG.OrganizationalUnit)
        self.label(iri, name)
        self.add(iri, ORG.unitOf, self.dept)
        self.add(self.dept, ORG.hasUnit, iri)
        return iri

    def unit(self, name: str, code: str | None, provenance: Provenance | None) -> URIRef:
        iri = self.m.unit(self.dept_name, name, code)
        self.units.setdefault(norm_key(name), iri)
        self.org_unit(iri, name, BGT.BudgetUnit)
        self.add(iri, BGT.unitCode, code)
        self.derive(iri, provenance)
        return iri

    def concept(self, classification: str, code: str, name: str | None) -> URIRef:
        scheme_name = "economic" if classification == ECONOMIC else "functional"
        mint = self.m.economic if classification == ECONOMIC else self.m.functional
        scheme = BGT.economicScheme if classification == ECONOMIC else BGT.functionalScheme
        code = norm_key(code)
        iri = mint(code)
        self.add(iri, RDF.type, SKOS.Concept)
        self.add(iri, SKOS.inScheme, scheme)
        self.add(iri, SKOS.notation, code)
        parent = _parent_code(code)
        if parent:
            self.add(iri, SKOS.broader, mint(parent))
        if code not in codelist_codes(scheme_name):
            self.label(iri, name)
        return iri

    def fund(self, source: str) -> URIRef:
        """The funding source named ``source`` (a concept of the funding-source scheme)."""
        fund = self.m.fund(source)
        self.typed(fund, BGT.FundingSource, SKOS.Concept)
        self.add(fund, SKOS.inScheme, BGT.fundingSourceScheme)
        self.label(fund, norm_key(source))
        self.label(fund, norm_key(source), SKOS.prefLabel)
        self.derive(fund)
        return fund

    # --- the parts of a document ---
    def document(self) -> None:
        d, doc = self.ex.document, self.doc
        self.typed(doc, BGT.Disclosure, PROV.Entity)
        self.fields(doc, d, DOCUMENT)
        self.add(doc, BGT.graphFormat, GRAPH_FORMAT)
        self.label(doc, d.title)
        self.add(doc, DCTERMS.subject, self.budget)

        self.typed(self.dept, BGT.Department, ORG.Organization)
        self.label(self.dept, self.dept_name)
        self.label(self.dept, self.dept_name, SKOS.prefLabel)
        for short in d.short_names:
            if short != self.dept_name:
                self.label(self.dept, short, SKOS.altLabel)
        self.derive(self.dept, d.provenance, by_property=_field_sources(d, DEPARTMENT_FIELD_PROPERTIES))

        b = self.budget
        self.typed(b, BGT.Budget)
        phase = PHASE_ZH.get(d.phase, d.phase)
        if self.budget_unit:  # 某局本级 2025年单位预算; a 部门预算 keeps the label it always had
            label = f"{self.budget_unit} {f'{d.year}年' if d.year else ''}{phase.replace('部门', '单位')}"
        else:
            label = f"{self.dept_name} {d.year or ''} {phase}"
        self.label(b, label.replace("  ", " "))
        self.add(b, BGT.department, self.dept)
        self.add(b, BGT.fiscalYear, d.year)
        self.add(b, BGT.phase, PHASES.get(d.phase))
        self.add(b, BGT.disclosedIn, doc)
        self.derive(b, d.provenance, by_property=_field_sources(d, BUDGET_FIELD_PROPERTIES))

    def organisation(self) -> None:
        for u in self.ex.units:
            self.unit(u.name, u.code, u.provenance)
        for name in self.ex.offices:
            self.derive(self.org_unit(self.m.office(self.dept_name, name), name, BGT.Office))
        s = self.ex.staffing
        if s is not None:
            iri = self.part(self.budget, BGT.staffing, self.m.in_doc(self.doc_id, "staffing"), BGT.Staffing)
            self.fields(iri, s, STAFFING)
            self.derive(iri, s.provenance, by_property=_field_sources(s, STAFFING_FIELD_PROPERTIES))

    def totals(self) -> None:
        for t in self.ex.totals:
            iri = self.part(self.budget, BGT.total, self.m.in_doc(self.doc_id, "total", t.key), BGT.Total)
            self.fields(iri, t, TOTAL)
            self.derive(iri, t.provenance)
        for i, tp in enumerate(self.ex.three_public):
            iri = self.part(self.budget, BGT.threePublic, self.m.in_doc(self.doc_id, "three-public", i),
                            BGT.ThreePublic)
            self.fields(iri, tp, THREE_PUBLIC)
            self.label(iri, tp.item)
            self.derive(iri, tp.provenance)

    def line_items(self) -> None:
        for i, li in enumerate(self.ex.line_items):
            ds = self.m.in_doc(self.doc_id, "table", digest(li.table))
            economic = li.classification == ECONOMIC
            if (ds, RDF.type, QB.DataSet) not in self.g:
                self.typed(ds, QB.DataSet, BGT.TableDataSet)
                self.label(ds, li.table)
                self.fields(ds, li, TABLE)
                self.add(ds, QB.structure, BGT.economicStructure if economic else BGT.functionalStructure)
                self.add(ds, BGT.inBudget, self.budget)
                self.derive(ds, li.provenance)
            obs = self.m.in_doc(self.doc_id, "line", i)
            self.typed(obs, QB.Observation, BGT.BudgetLine)
            self.add(obs, QB.dataSet, ds)
            self.fields(obs, li, LINE_ITEM)
            if li.code:
                self.add(obs, BGT.economicClass if economic else BGT.functionalClass,
                         self.concept(li.classification, li.code, li.name))
            self.derive(obs, li.provenance)

    def procurement_row(self, row: ProcurementRow, project: URIRef | None = None) -> URIRef:
        pv = row.provenance
        key = digest(row.table, row.unit, row.project_name, row.item, row.amount, row.quantity,
                     pv and pv.page, pv and pv.line, pv and pv.row)
        iri = self.part(self.budget, BGT.procurement, self.m.in_doc(self.doc_id, "procurement", key),
                        BGT.Procurement)
        self.fields(iri, row, PROCUREMENT)
        self.label(iri, row.item or row.project_name)
        project = project or (self.project_by_name.get(norm_key(row.project_name)) if row.project_name else None)
        if project is not None:
            self.add(iri, BGT.procuredFor, project)
            self.add(project, BGT.procurement, iri)
        self.derive(iri, row.provenance)
        return iri

    def indicator(self, iri: URIRef, ind: Indicator) -> None:
        self.typed(iri, BGT.Indicator)
        self.label(iri, ind.level3)
        self.add(iri, BGT.goalKind, _goal_kind(ind))
        self.fields(iri, ind, INDICATOR)
        self.derive(iri, ind.provenance, by_property=_field_sources(ind, INDICATOR_FIELD_PROPERTIES))

    def law(self, c: Citation) -> URIRef:
        number = c.key if c.kind == "doc_number" else (c.doc_number or self.title_numbers.get(c.key))
        iri = self.m.law_number(number) if number else self.m.law_title(c.key)
        self.add(iri, RDF.type, ELI.LegalResource)
        if c.kind == "doc_number":
            self.add(iri, ELI.id_local, c.key)
        else:
            self.add(iri, ELI.title, normalize_title(c.key))
            self.add(iri, ELI.id_local, number)
        self.derive(iri)
        return iri

    def law_labels(self) -> None:
        """One display label per law: its title where known, else its 文号."""
        for law in sorted(set(self.g.subjects(RDF.type, ELI.LegalResource))):
            titles = sorted(str(t) for t in self.g.objects(law, ELI.title))
            numbers = sorted(str(n) for n in self.g.objects(law, ELI.id_local))
            self.label(law, (titles or numbers or [None])[0])

    def project(self, p: Project, iri: URIRef, key: str) -> None:
        scoped = lambda kind, *k: self.m.in_doc(self.doc_id, "project", key, kind, *k)  # noqa: E731
        self.typed(iri, BGT.Project)
        self.label(iri, p.name)
        for alias in p.aliases:
            if alias != p.name:
                self.label(iri, alias, SKOS.altLabel)
        self.add(iri, BGT.inBudget, self.budget)
        self.add(iri, BGT.department, self.dept)
        self.fields(iri, p, PROJECT)
        if p.functional_code:
            self.add(iri, BGT.functionalClass, self.concept("functional", p.functional_code, p.functional_name))
        for kind, text in p.goals:
            self.add(iri, BGT.longTermGoal if kind == LONG_TERM else BGT.annualGoal, text)
        for c in p.citations:
            self.citation(iri, c, p.provenance)
        for i, f in enumerate(p.funding):
            self.funding(self.part(iri, BGT.funding, scoped("funding", i), BGT.Funding), f)
        for i, a in enumerate(p.activities):
            self.activity(self.part(iri, BGT.activity, scoped("activity", i), BGT.Activity), a)
        for i, ind in enumerate(p.indicators):
            self.indicator(self.part(iri, BGT.indicator, scoped("indicator", i)), ind)
        for row in p.procurement:
            self.procurement_row(row, iri)
        self.derive(iri, p.provenance, *p.sources, by_property=_field_sources(p, PROJECT_FIELD_PROPERTIES))

    def citation(self, project: URIRef, c: Citation, fallback: Provenance | None) -> None:
        """``project bgt:cites`` the law, and the citation node saying where and in which words."""
        law = self.law(c)
        self.add(project, BGT.cites, law)
        cit = self.m.in_doc(self.doc_id, "citation", digest(project, law, c.kind, c.field, c.raw))
        self.part(project, BGT.citation, cit, BGT.Citation)
        self.add(cit, BGT.citedLaw, law)
        self.fields(cit, c, CITATION)
        self.derive(cit, c.provenance or fallback)

    def funding(self, node: URIRef, f: Funding) -> None:
        self.fields(node, f, FUNDING)
        self.derive(node, f.provenance)

    def activity(self, node: URIRef, a: Activity) -> None:
        self.label(node, a.name)
        self.fields(node, a, ACTIVITY)
        self.derive(node, a.provenance)

    def subject(self, chunk: Chunk) -> URIRef | None:
        kind, name = chunk.subject_type, chunk.subject
        if kind == "department":
            return self.dept
        if kind == "unit":
            return self.unit_ref(name)
        if kind == "project":
            return self.project_ref(name, chunk.subject_unit, chunk.subject_code)
        return None

    def project_ref(self, name: str, unit: str | None = None, code: str | None = None) -> URIRef | None:
        """The project named ``name`` (or so aliased); where several share the name (two units' 体检费),
        the one with ``code``, else the one whose budget unit is ``unit`` (equal, or one ends the other)."""
        key = norm_key(name)
        named = [(p, iri) for p, iri in zip(self.ex.projects, self.project_iris)
                 if key in {norm_key(n) for n in (p.name, *p.aliases)}]
        if len({iri for _, iri in named}) > 1:
            code, unit = norm_key(code or ""), norm_key(unit or "")
            by_code = [iri for p, iri in named if code and norm_key(p.code or "") == code]
            by_unit = [iri for p, iri in named if unit and p.unit
                       and (norm_key(p.unit).endswith(unit) or unit.endswith(norm_key(p.unit)))]
            for found in (by_code, by_unit):
                if len(found) == 1:
                    return found[0]
        return self.project_by_name.get(key)

    def texts(self) -> None:
        for i, ind in enumerate(self.ex.department_indicators):
            self.indicator(self.part(self.budget, BGT.indicator, self.m.in_doc(self.doc_id, "indicator", i)), ind)
        for i, ch in enumerate(self.ex.chunks):
            node = self.m.in_doc(self.doc_id, "chunk", i)
            self.typed(node, BGT.Chunk)
            self.fields(node, ch, CHUNK)
            self.add(node, BGT.subject, self.subject(ch))
            self.derive(node, ch.provenance)
        for i, f in enumerate(self.ex.stated):  # figures of other budgets, checked across documents (kg.crossdoc)
            node = self.part(self.doc, BGT.statedFigure, self.m.in_doc(self.doc_id, "stated", i), BGT.StatedFigure)
            self.fields(node, f, STATED)
            self.add(node, BGT.phase, PHASES.get(f.phase))
            self.derive(node, f.provenance)
        map_findings(self, self.ex)  # failed checks with their values, and every other finding (kg.findings)

    def run(self) -> Mapped:
        self.document()
        self.organisation()
        self.totals()
        self.line_items()
        for p, iri, key in zip(self.ex.projects, self.project_iris, self.project_keys):
            self.project(p, iri, key)
        for row in self.ex.procurement:
            self.procurement_row(row)
        self.texts()
        self.law_labels()
        return Mapped(self.doc, self.g, self.m.base)


def mapped(extraction: Extraction, base: str = DEFAULT_BASE) -> Mapped:
    """Everything one document says, as the triples of its named graph (``doc/{doc_id}``)."""
    return _Mapper(extraction, Minter(base)).run()


def map_extraction(extraction: Extraction, base: str = DEFAULT_BASE) -> Graph:
    """The named graph (identifier ``doc/{doc_id}``) holding everything one document says, in rdflib."""
    return mapped(extraction, base).graph()


def map_ntriples(extraction: Extraction, base: str = DEFAULT_BASE) -> str:
    """The named graph of one document as N-Triples: what the store writes (:func:`mapped`, no rdflib graph)."""
    return mapped(extraction, base).ntriples()

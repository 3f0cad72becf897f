"""Records → triples: one :class:`~ingest.records.Extraction` becomes one document's named graph.

Every node has a deterministic IRI (kg.iri), never a blank node, so re-mapping the
same extraction gives an isomorphic graph with the identical triple count.  Shared
entities (department, units, projects, laws, concepts) use keys that link documents;
rows, indicators, chunks and source locations are scoped to the document.
Every entity is ``prov:wasDerivedFrom`` the document, and each place it was read is a
``prov:qualifiedDerivation`` (a ``bgt:SourceLocation`` with page/table/row/line/snippet).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, QB, RDF, RDFS, SKOS, XSD

from ingest.citations import normalize_title
from ingest.records import (
    ECONOMIC, FINAL_ACCOUNT, LONG_TERM, Chunk, Citation, Extraction, Indicator, ProcurementRow, Project, Provenance,
)

from .iri import Minter, digest, norm_key, project_keys
from .namespaces import DEFAULT_BASE, bind_all
from .vocab import BGT, ELI

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
PHASES = {"budget": BGT.budgetPhase, FINAL_ACCOUNT: BGT.finalAccountPhase}
PHASE_ZH = {"budget": "部门预算", FINAL_ACCOUNT: "部门决算"}


@lru_cache(maxsize=None)
def codelist_codes(scheme: str) -> frozenset[str]:
    """Codes the shipped codelist (``functional`` | ``economic``) defines."""
    g = Graph().parse(ONTOLOGY_DIR / "codelists" / f"{scheme}.ttl")
    return frozenset(str(o) for o in g.objects(None, SKOS.notation))


def _parent_code(code: str) -> str | None:
    return code[:-2] if len(code) > 3 and code.isdigit() else None


class _Mapper:
    """Holds the graph and lookups while one extraction is mapped."""

    def __init__(self, ex: Extraction, minter: Minter):
        self.ex, self.m = ex, minter
        d = ex.document
        self.doc_id = d.doc_id
        self.doc = minter.document(d.doc_id)
        self.g = bind_all(Graph(identifier=self.doc), minter.base)
        self.dept_name = d.department or d.title or d.doc_id
        self.dept = minter.department(self.dept_name)
        self.budget = minter.budget(self.dept_name, d.year, d.phase)
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
            if isinstance(o, Decimal):
                o = Literal(o, datatype=XSD.decimal)
            elif isinstance(o, bool):
                o = Literal(o)
            elif isinstance(o, int):
                o = Literal(o, datatype=XSD.integer)
            else:
                o = Literal(str(o))
        self.g.add((s, p, o))

    def label(self, s, text: str | None, p=RDFS.label) -> None:
        if text:
            self.g.add((s, p, Literal(text, lang="zh")))

    def derive(self, node: URIRef, *provs: Provenance | None) -> None:
        """``prov:wasDerivedFrom`` the document, plus one source location per provenance."""
        self.add(node, PROV.wasDerivedFrom, self.doc)
        for pv in provs:
            if pv is None:
                continue
            loc = self.m.in_doc(self.doc_id, "src", digest(node, pv.page, pv.table, pv.row, pv.line, pv.snippet))
            self.add(node, PROV.qualifiedDerivation, loc)
            self.add(loc, RDF.type, BGT.SourceLocation)
            self.add(loc, PROV.entity, self.doc)
            self.add(loc, BGT.page, pv.page)
            self.add(loc, BGT.line, pv.line)
            self.add(loc, BGT.row, pv.row)
            self.add(loc, BGT.sourceTable, pv.table)
            self.add(loc, BGT.snippet, pv.snippet)
            if pv.bbox:
                self.add(loc, BGT.bbox, " ".join(f"{v:g}" for v in pv.bbox))

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

    def unit(self, name: str, code: str | None, provenance: Provenance | None) -> URIRef:
        iri = self.m.unit(self.dept_name, name, code)
        self.units.setdefault(norm_key(name), iri)
        self.add(iri, RDF.type, BGT.BudgetUnit)
        self.add(iri, RDF.type, ORG.OrganizationalUnit)
        self.label(iri, name)
        self.add(iri, BGT.unitCode, code)
        self.add(iri, ORG.unitOf, self.dept)
        self.add(self.dept, ORG.hasUnit, iri)
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

    # --- the parts of a document ---
    def document(self) -> None:
        d, doc = self.ex.document, self.doc
        self.add(doc, RDF.type, BGT.Disclosure)
        self.add(doc, RDF.type, PROV.Entity)
        self.add(doc, DCTERMS.identifier, d.doc_id)
        self.add(doc, DCTERMS.title, d.title)
        self.label(doc, d.title)
        self.add(doc, BGT.sourceFile, Path(d.path).name if d.path else None)
        self.add(doc, BGT.region, d.region)
        self.add(doc, BGT.contactPhone, d.contact_phone)
        self.add(doc, DCTERMS.subject, self.budget)

        self.add(self.dept, RDF.type, BGT.Department)
        self.add(self.dept, RDF.type, ORG.Organization)
        self.label(self.dept, self.dept_name)
        self.label(self.dept, self.dept_name, SKOS.prefLabel)
        for short in d.short_names:
            if short != self.dept_name:
                self.label(self.dept, short, SKOS.altLabel)
        self.derive(self.dept, d.provenance)

        b = self.budget
        self.add(b, RDF.type, BGT.Budget)
        self.label(b, f"{self.dept_name} {d.year or ''} {PHASE_ZH.get(d.phase, d.phase)}".replace("  ", " "))
        self.add(b, BGT.department, self.dept)
        self.add(b, BGT.fiscalYear, d.year)
        self.add(b, BGT.phase, PHASES.get(d.phase))
        self.add(b, BGT.disclosedIn, doc)
        self.derive(b, d.provenance)

    def organisation(self) -> None:
        for u in self.ex.units:
            self.unit(u.name, u.code, u.provenance)
        for name in self.ex.offices:
            iri = self.m.office(self.dept_name, name)
            self.add(iri, RDF.type, BGT.Office)
            self.add(iri, RDF.type, ORG.OrganizationalUnit)
            self.label(iri, name)
            self.add(iri, ORG.unitOf, self.dept)
            self.add(self.dept, ORG.hasUnit, iri)
            self.derive(iri)
        s = self.ex.staffing
        if s is not None:
            iri = self.m.in_doc(self.doc_id, "staffing")
            self.add(self.budget, BGT.staffing, iri)
            self.add(iri, RDF.type, BGT.Staffing)
            for prop in ("authorized_total", "authorized_admin", "authorized_institution", "actual_total",
                         "actual_admin", "actual_institution", "retired_total"):
                head, _, tail = prop.partition("_")
                self.add(iri, getattr(BGT, head + tail.capitalize()), getattr(s, prop))
            self.derive(iri, s.provenance)

    def totals(self) -> None:
        for t in self.ex.totals:
            iri = self.m.in_doc(self.doc_id, "total", t.key)
            self.add(self.budget, BGT.total, iri)
            self.add(iri, RDF.type, BGT.Total)
            self.add(iri, BGT.totalKey, t.key)
            self.add(iri, BGT.amount, t.amount)
            self.derive(iri, t.provenance)
        for i, tp in enumerate(self.ex.three_public):
            iri = self.m.in_doc(self.doc_id, "three-public", i)
            self.add(self.budget, BGT.threePublic, iri)
            self.add(iri, RDF.type, BGT.ThreePublic)
            self.add(iri, BGT.item, tp.item)
            self.label(iri, tp.item)
            self.add(iri, BGT.amount, tp.amount)
            self.derive(iri, tp.provenance)

    def line_items(self) -> None:
        for i, li in enumerate(self.ex.line_items):
            ds = self.m.in_doc(self.doc_id, "table", digest(li.table))
            if (ds, RDF.type, QB.DataSet) not in self.g:
                self.add(ds, RDF.type, QB.DataSet)
                self.add(ds, RDF.type, BGT.TableDataSet)
                self.label(ds, li.table)
                self.add(ds, BGT.tableRole, li.role)
                economic = li.classification == ECONOMIC
                self.add(ds, QB.structure, BGT.economicStructure if economic else BGT.functionalStructure)
                self.add(ds, BGT.inBudget, self.budget)
                self.derive(ds, li.provenance)
            obs = self.m.in_doc(self.doc_id, "line", i)
            self.add(obs, RDF.type, QB.Observation)
            self.add(obs, RDF.type, BGT.BudgetLine)
            self.add(obs, QB.dataSet, ds)
            self.add(obs, BGT.code, li.code)
            self.add(obs, BGT.printedName, li.name)
            dim = BGT.economicClass if li.classification == ECONOMIC else BGT.functionalClass
            if li.code:
                self.add(obs, dim, self.concept(li.classification, li.code, li.name))
            self.add(obs, BGT.totalAmount, li.total)
            self.add(obs, BGT.basicAmount, li.basic)
            self.add(obs, BGT.projectAmount, li.project)
            self.derive(obs, li.provenance)

    def procurement_row(self, row: ProcurementRow, project: URIRef | None = None) -> URIRef:
        pv = row.provenance
        key = digest(row.table, row.unit, row.project_name, row.item, row.amount, row.quantity,
                     pv and pv.page, pv and pv.line, pv and pv.row)
        iri = self.m.in_doc(self.doc_id, "procurement", key)
        self.add(self.budget, BGT.procurement, iri)
        self.add(iri, RDF.type, BGT.Procurement)
        self.add(iri, BGT.procurementKind, row.table)
        self.add(iri, BGT.budgetUnit, self.unit_ref(row.unit, row.provenance))
        self.add(iri, BGT.projectName, row.project_name)
        self.add(iri, BGT.item, row.item)
        self.label(iri, row.item or row.project_name)
        self.add(iri, BGT.amount, row.amount)
        self.add(iri, BGT.quantity, row.quantity)
        project = project or (self.project_by_name.get(norm_key(row.project_name)) if row.project_name else None)
        if project is not None:
            self.add(iri, BGT.procuredFor, project)
            self.add(project, BGT.procurement, iri)
        self.derive(iri, row.provenance)
        return iri

    def indicator(self, iri: URIRef, ind: Indicator) -> None:
        self.add(iri, RDF.type, BGT.Indicator)
        self.label(iri, ind.level3)
        self.add(iri, BGT.goal, ind.goal)
        self.add(iri, BGT.goalKind, ind.goal_type or (ind.goal if ind.goal in (LONG_TERM, "annual") else None))
        self.add(iri, BGT.level1, ind.level1)
        self.add(iri, BGT.level2, ind.level2)
        self.add(iri, BGT.level3, ind.level3)
        self.add(iri, BGT.valueRaw, ind.value_raw)
        self.add(iri, BGT.comparator, ind.comparator)
        self.add(iri, BGT.targetNumber, ind.number)
        self.add(iri, BGT.measureUnit, ind.unit)
        self.add(iri, BGT.basis, ind.basis)
        self.add(iri, BGT.actualValue, ind.actual)
        self.add(iri, BGT.score, ind.score)
        if ind.subject_unit:
            self.add(iri, BGT.budgetUnit, self.unit_ref(ind.subject_unit, ind.provenance))
        self.derive(iri, ind.provenance)

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
        self.add(iri, RDF.type, BGT.Project)
        self.label(iri, p.name)
        for alias in p.aliases:
            if alias != p.name:
                self.label(iri, alias, SKOS.altLabel)
        self.add(iri, BGT.projectCode, p.code)
        self.add(iri, BGT.inBudget, self.budget)
        self.add(iri, BGT.department, self.dept)
        self.add(iri, BGT.amount, p.amount)
        self.add(iri, BGT.budgetInitial, p.budget_initial)
        self.add(iri, BGT.budgetFullYear, p.budget_full_year)
        self.add(iri, BGT.formTotalBudget, p.form_total_budget)
        self.add(iri, BGT.formCurrentYearBudget, p.form_current_year_budget)
        self.add(iri, BGT.budgetUnit, self.unit_ref(p.unit, p.provenance))
        self.add(iri, BGT.executingUnit, self.unit_ref(p.executing_unit, p.provenance))
        self.add(iri, BGT.attribute, p.attribute)
        self.add(iri, BGT.category, p.category)
        self.add(iri, BGT.startYear, p.start_year)
        self.add(iri, BGT.endYear, p.end_year)
        self.add(iri, BGT.legalBasisText, p.legal_basis_text)
        self.add(iri, BGT.implementationText, p.implementation_text)
        if p.functional_code:
            self.add(iri, BGT.functionalClass, self.concept("functional", p.functional_code, p.functional_name))
        for kind, text in p.goals:
            self.add(iri, BGT.longTermGoal if kind == LONG_TERM else BGT.annualGoal, text)
        for c in p.citations:
            law = self.law(c)
            self.add(iri, BGT.cites, law)
            cit = self.m.in_doc(self.doc_id, "citation", digest(iri, law, c.kind, c.field, c.raw))
            self.add(iri, BGT.citation, cit)
            self.add(cit, RDF.type, BGT.Citation)
            self.add(cit, BGT.citedLaw, law)
            self.add(cit, BGT.citationKind, c.kind)
            self.add(cit, BGT.field, c.field)
            self.add(cit, BGT.rawText, c.raw)
            self.derive(cit, c.provenance or p.provenance)
        for i, f in enumerate(p.funding):
            fund = self.m.fund(f.source)
            self.add(fund, RDF.type, BGT.FundingSource)
            self.add(fund, RDF.type, SKOS.Concept)
            self.add(fund, SKOS.inScheme, BGT.fundingSourceScheme)
            self.label(fund, norm_key(f.source))
            self.label(fund, norm_key(f.source), SKOS.prefLabel)
            self.derive(fund)
            node = scoped("funding", i)
            self.add(iri, BGT.funding, node)
            self.add(node, RDF.type, BGT.Funding)
            self.add(node, BGT.fundingSource, fund)
            self.add(node, BGT.amount, f.amount)
            self.derive(node, f.provenance)
        for i, a in enumerate(p.activities):
            node = scoped("activity", i)
            self.add(iri, BGT.activity, node)
            self.add(node, RDF.type, BGT.Activity)
            self.label(node, a.name)
            self.add(node, BGT.description, a.description)
            self.add(node, BGT.economicClassName, a.economic_class)
            self.add(node, BGT.amount, a.amount)
            self.add(node, BGT.basis, a.basis)
            self.derive(node, a.provenance)
        for i, ind in enumerate(p.indicators):
            node = scoped("indicator", i)
            self.add(iri, BGT.indicator, node)
            self.indicator(node, ind)
        for row in p.procurement:
            self.procurement_row(row, iri)
        self.derive(iri, p.provenance, *p.sources)

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
            node = self.m.in_doc(self.doc_id, "indicator", i)
            self.add(self.budget, BGT.indicator, node)
            self.indicator(node, ind)
        for i, ch in enumerate(self.ex.chunks):
            node = self.m.in_doc(self.doc_id, "chunk", i)
            self.add(node, RDF.type, BGT.Chunk)
            self.add(node, BGT.text, ch.text)
            self.add(node, BGT.chunkKind, ch.kind)
            self.add(node, BGT.subjectType, ch.subject_type)
            self.add(node, BGT.subjectName, ch.subject)
            self.add(node, BGT.subject, self.subject(ch))
            self.derive(node, ch.provenance)
        for i, f in enumerate(self.ex.findings):
            node = self.m.in_doc(self.doc_id, "finding", i)
            self.add(self.doc, BGT.finding, node)
            self.add(node, RDF.type, BGT.Finding)
            self.add(node, BGT.rule, f.rule)
            self.add(node, BGT.severity, f.severity)
            self.add(node, BGT.message, f.message)
            for v in f.values:
                self.add(node, BGT.value, v)
            self.derive(node, f.provenance)

    def run(self) -> Graph:
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
        return self.g


def map_extraction(extraction: Extraction, base: str = DEFAULT_BASE) -> Graph:
    """The named graph (identifier ``doc/{doc_id}``) holding everything one document says."""
    return _Mapper(extraction, Minter(base)).run()

"""Where each property goes on an entity page (hidden, a fact, a link list, a column) and in what order."""

from __future__ import annotations

from rdflib.namespace import DCTERMS, ORG, PROV, QB, RDF, SKOS

from ..labels import term_label
from ..vocab import BGT, ELI
from .views import Item

MAX_ITEMS = 500  # rows kept per link group (the count says how many there are)
MAX_EDGES_PER_GROUP = 6  # neighbours drawn per property in the picture

# never shown as facts or fields: provenance plumbing and parsed copies of a printed value
HIDDEN = {str(RDF.type), str(PROV.qualifiedDerivation), str(PROV.entity), str(BGT.comparator),
          str(BGT.targetNumber), str(BGT.measureUnit), str(BGT.subjectName), str(BGT.subjectType),
          # links across documents: shown with their evidence (EntityView.links, kg.browse.crosslinks)
          str(BGT.previousYear), str(BGT.finalAccount), str(BGT.partOfBudget)}
LIST_PROPS = {str(BGT.cites), str(ORG.hasUnit)}  # always a list of links, however short
HIDDEN_INCOMING = {str(PROV.wasDerivedFrom), str(PROV.entity), str(BGT.citedLaw), str(RDF.subject), str(RDF.object),
                   str(BGT.fromDocument), str(BGT.toDocument), str(BGT.reflects), str(BGT.linksOf),
                   str(BGT.previousYear), str(BGT.finalAccount), str(BGT.partOfBudget)}
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

# Columns of a shared entity in someone else's list (a project in a law's list…)
NOT_COLUMNS = {str(SKOS.altLabel), str(BGT.printedName), str(PROV.wasDerivedFrom), str(BGT.text), str(BGT.code)}
ITEM_FIELDS: dict[str, set[str]] = {
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


def prop_order(p: str):
    """Sort key of properties: the page's order, then by Chinese label."""
    return (_ORDER.index(p) if p in _ORDER else len(_ORDER), term_label(p))


def item_order(it: Item):
    """Sort key of an incoming list: latest year first, then department and name."""
    year = it.fields.get("年度")
    return (-(int(year.text) if year and year.text.isdigit() else 0), str(it.fields.get("部门", "")), it.label)

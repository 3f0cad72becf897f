"""Chinese display labels: our terms from ``ontology/budget.ttl``, the few borrowed terms, and coded values.

One place for every label the entity pages and charts print.  Our own terms carry
``rdfs:label …@zh`` in the ontology; ORG, SKOS, DCTERMS, PROV, QB, ELI and RDF(S) terms
are labelled here; coded literal values (``long_term``, ``income_total``…) are spelled out.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, ORG, PROV, QB, RDF, RDFS, SKOS

from .vocab import ELI, ONTOLOGY_DIR

# Borrowed vocabulary terms used by the mapping
BORROWED: dict[str, str] = {
    str(RDF.type): "类型",
    str(RDFS.label): "名称",
    str(SKOS.prefLabel): "规范名称",
    str(SKOS.altLabel): "别名",
    str(SKOS.notation): "编码",
    str(SKOS.broader): "上级科目",
    str(SKOS.inScheme): "所属分类体系",
    str(SKOS.scopeNote): "层级",
    str(SKOS.topConceptOf): "顶层科目",
    str(ORG.hasUnit): "下属单位/机构",
    str(ORG.unitOf): "所属部门",
    str(ORG.Organization): "组织",
    str(ORG.OrganizationalUnit): "组织单位",
    str(DCTERMS.identifier): "文档编号",
    str(DCTERMS.title): "标题",
    str(DCTERMS.subject): "所述预决算",
    str(PROV.wasDerivedFrom): "来源文件",
    str(PROV.qualifiedDerivation): "来源位置",
    str(PROV.entity): "来源文件",
    str(PROV.Entity): "来源实体",
    str(QB.dataSet): "所在表",
    str(QB.structure): "表结构",
    str(QB.DataSet): "数据表",
    str(QB.Observation): "表格行",
    str(SKOS.Concept): "分类科目",
    str(ELI.LegalResource): "政策文件",
    str(ELI.id_local): "文号",
    str(ELI.title): "文件标题",
}

# Coded literal values, per property local name
VALUES: dict[str, dict[str, str]] = {
    "goalKind": {"long_term": "长期目标", "annual": "年度目标"},
    "goal": {"long_term": "长期目标", "annual": "年度目标"},
    "citationKind": {"doc_number": "文号", "title": "文件标题"},
    "field": {"legal_basis": "立项依据", "implementation": "实施方案", "performance_goal": "绩效目标",
              "activity_calc": "测算依据", "overview": "项目概述"},
    "chunkKind": {"explanation": "说明", "function": "部门职能", "glossary": "名词解释", "goal": "绩效目标",
                  "implementation": "实施方案", "indicator": "绩效指标", "legal_basis": "立项依据", "other": "其他",
                  "task": "重点工作", "overview": "项目概述"},
    "subjectType": {"department": "部门", "unit": "单位", "project": "项目"},
    "procurementKind": {"procurement": "政府采购", "purchased_service": "政府购买服务"},
    "severity": {"warning": "警告", "error": "错误", "info": "提示"},
    "tableRole": {"basic_economic": "基本支出表（经济分类）", "expenditure": "支出总表", "gov_fund": "政府性基金支出表",
                  "gpb_expenditure": "一般公共预算支出表", "projects": "项目支出表", "summary": "收支总表",
                  "income": "收入总表", "fiscal_summary": "财政拨款收支总表", "three_public": "三公经费表",
                  "procurement": "政府采购表", "purchased_service": "政府购买服务表",
                  "state_capital": "国有资本经营预算表"},
    "totalKey": {
        "income_total": "收入合计", "expenditure_total": "支出合计", "basic_expenditure": "基本支出",
        "project_expenditure": "项目支出", "fiscal_appropriation_total": "财政拨款合计",
        "carryover_from_last_year": "上年结转", "org_running_cost": "机关运行经费",
        "personnel_expenditure": "人员经费", "public_expenditure": "公用经费", "three_public_total": "三公经费合计",
        "government_procurement_total": "政府采购合计", "government_purchase_services_total": "政府购买服务合计",
    },
    "linkedBy": {"project_code": "项目编码相同", "project_name": "项目名称相同（去掉年份后，部门内唯一）",
                 "functional_code": "功能分类科目编码相同", "economic_code": "经济分类科目编码相同",
                 "same_department": "同一部门的预决算", "same_entity": "预算与决算列为同一项目"},
}

PHASE_ZH = {"budget": "预算", "final_account": "决算"}


@lru_cache(maxsize=1)
def _ontology_labels() -> dict[str, str]:
    g = Graph().parse(ONTOLOGY_DIR / "budget.ttl")
    out: dict[str, str] = {}
    for s, o in g.subject_objects(RDFS.label):
        if isinstance(o, Literal) and o.language == "zh":
            out[str(s)] = str(o)
    return out


def term_label(iri: str) -> str:
    """The Chinese label of a vocabulary term (property, class or individual); its local name if none."""
    return _ontology_labels().get(iri) or BORROWED.get(iri) or local_name(iri)


def value_label(prop_iri: str, value: str) -> str:
    """A coded literal spelled out (``long_term`` → 长期目标); other values as they are."""
    return VALUES.get(local_name(prop_iri), {}).get(value, value)


def local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def place_text(page: int | None = None, line: int | None = None, table: str | None = None,
               row: int | None = None, *, pdf: bool = False) -> str:
    """Where something was printed, in words: ``第 3 页第 428 行``, ``第 257 行（2023 年部门收支总表，表内第 7 行）``,
    ``第 12 页（表名）``; "" when nothing is known.  A PDF's line number counts lines of the text read from
    it, which a reader cannot find on the page: ``pdf`` leaves it out."""
    head = "".join(x for x in (page and f"第 {page} 页", line and not pdf and f"第 {line} 行") if x)
    table_part = "，".join(x for x in (table, row and f"表内第 {row} 行") if x)
    return f"{head}（{table_part}）" if head and table_part else head or table_part

"""Hand-built extractions shaped like the two seed disclosures (usable outside pytest).

``dongxihu()`` and ``jiangan()`` both cite 武政规〔2016〕32号 (one with its title attached),
so cross-document queries have something to find.  ``dongxihu`` also has two projects
sharing one code, as the real 000 seed does.
"""

from __future__ import annotations

from decimal import Decimal as D

from ingest.citations import find_citations
from ingest.records import (
    ANNUAL, ECONOMIC, FUNCTIONAL, LONG_TERM, Activity, Chunk, Document, Extraction, Finding, Funding, Indicator,
    LineItem, ProcurementRow, Project, Provenance, Staffing, ThreePublic, Total, Unit,
)

CITED = "武政规〔2016〕32号"
TITLE = "市人民政府关于印发武汉市医疗救助实施办法的通知"


def _p(doc_id: str, page: int, line: int, table: str | None = None, row: int | None = None, text: str = "") -> Provenance:
    return Provenance(doc_id, page=page, table=table, row=row, line=line, snippet=text)


def dongxihu(doc_id: str = "aaaaaaaaaaaaaaaa") -> Extraction:
    """武汉市东西湖区医疗保障局 2023 预算: three projects, two sharing a code."""
    unit = "武汉市东西湖区医疗保障局本级"
    basis = "贯彻落实《市人民政府关于印发武汉市医疗救助实施办法的通知》（武政规[2016]32号），实施医疗救助。"
    basis_prov = _p(doc_id, 40, 812, "项目绩效目标申报表", None, basis[:40])
    rescue = Project(
        name="城乡医疗救助",
        aliases=("医疗救助款", "城乡居民医疗救助资金"),
        code="42011222026T000000100",
        unit=unit,
        executing_unit="医疗保障服务中心",
        amount=D("260.00"),
        attribute="延续性项目",
        category="特定目标类项目",
        start_year=2023,
        end_year=2023,
        legal_basis_text=basis,
        citations=tuple(find_citations(basis, "legal_basis", basis_prov)),
        functional_code="2101301",
        functional_name="城乡医疗救助",
        funding=(Funding("一般公共预算财政拨款", D("260"), basis_prov),),
        activities=(Activity("医疗救助款", "对政府认定的特定人群进行救助", "其他对个人和家庭的补助", D("260")),),
        indicators=(
            Indicator(LONG_TERM, "产出指标", "数量指标", "各类医疗费用救助应报尽报率", "100%", "=", D("100"), "%", "历史数据"),
            Indicator(ANNUAL, "满意度指标", "服务对象满意度指标", "医疗救助对象满意度", "≥98%", "≥", D("98"), "%"),
        ),
        goals=((LONG_TERM, "落实医疗救助主体责任"), (ANNUAL, "实施重特大疾病医疗救助")),
        provenance=_p(doc_id, 30, 700, "项目支出表", 1, "城乡医疗救助 260.00"),
        sources=(_p(doc_id, 40, 800, "项目绩效目标申报表"),),
    )
    shared_code = "42011222026T000000106"
    service = Project(
        name="医保服务中心工作经费", code=shared_code, unit=unit, amount=D("40.00"),
        legal_basis_text="依据《中华人民共和国社会保险法》", 
        citations=tuple(find_citations("依据《中华人民共和国社会保险法》", "legal_basis", _p(doc_id, 45, 900))),
        procurement=(ProcurementRow("procurement", unit, "医保服务中心工作经费", "印刷服务", D("5.00"), None,
                                    _p(doc_id, 33, 760, "政府采购表", 2)),),
        provenance=_p(doc_id, 30, 705, "项目支出表", 4, "医保服务中心工作经费 40.00"),
    )
    business = Project(
        name="医保业务科工作经费", code=shared_code, unit=unit, amount=D("55.50"),
        provenance=_p(doc_id, 30, 706, "项目支出表", 5, "医保业务科工作经费 55.50"),
    )
    fn_table = "区医保局2023年部门支出总表"
    ec_table = "区医保局2023年一般公共预算基本支出表（经济分类款级）"
    return Extraction(
        document=Document(doc_id, f"/data/{doc_id}.txt", "东西湖区医疗保障局2023年部门预算公开", "武汉市东西湖区医疗保障局",
                          short_names=("区医保局",), region="武汉市东西湖区", year=2023, phase="budget",
                          contact_phone="027-8220905", provenance=_p(doc_id, 1, 1)),
        units=(Unit(unit, "26001", _p(doc_id, 5, 60)), Unit("医疗保障服务中心", None, _p(doc_id, 2, 20))),
        offices=("办公室", "业务科"),
        staffing=Staffing(authorized_total=20, actual_total=18, provenance=_p(doc_id, 2, 25)),
        totals=(Total("income_total", D("3233.20"), _p(doc_id, 10, 200, "部门收支总表")),
                Total("three_public_total", D("4.00"), _p(doc_id, 20, 400))),
        line_items=(
            LineItem(fn_table, "expenditure", FUNCTIONAL, "210", "卫生健康支出", D("2500.00"), D("90.00"), D("2410.00"),
                     _p(doc_id, 12, 250, fn_table, 1)),
            LineItem(fn_table, "expenditure", FUNCTIONAL, "2101301", "城乡医疗救助", D("260.00"), None, D("260.00"),
                     _p(doc_id, 12, 251, fn_table, 2)),
            LineItem(ec_table, "basic_economic", ECONOMIC, "30101", "基本工资", D("120.5"), D("120.5"), None,
                     _p(doc_id, 15, 300, ec_table, 1)),
        ),
        three_public=(ThreePublic("公务接待费", D("4.00"), _p(doc_id, 20, 401)),),
        procurement=(ProcurementRow("procurement", unit, "医保服务中心工作经费", "印刷服务", D("5.00"), None,
                                    _p(doc_id, 33, 760, "政府采购表", 2)),),
        projects=(rescue, service, business),
        department_indicators=(Indicator("长期目标1:医疗保障制度更加完善", "产出指标", "时效指标", "基本医疗保险市级统筹", "逐步完善",
                                         goal_type=LONG_TERM, subject_unit="武汉市东西湖区医疗保障局", provenance=_p(doc_id, 50, 1000)),),
        chunks=(Chunk("负责全区医疗保障基金监督管理。", "function", "department", "武汉市东西湖区医疗保障局", _p(doc_id, 2, 10)),
                Chunk(basis, "legal_basis", "project", "城乡医疗救助", basis_prov)),
        findings=(Finding("duplicate_project_code", "warning", "two projects share a code", (shared_code,),
                          _p(doc_id, 30, 705)),),
    )


def jiangan(doc_id: str = "bbbbbbbbbbbbbbbb") -> Extraction:
    """武汉市江岸区医疗保障局 2026 预算: one project citing 武政规【2016】32号 without its title."""
    basis = "根据武政规【2016】32号文件，统筹和组织实施医疗救助工作。"
    prov = _p(doc_id, 60, 1200, "项目支出绩效目标表", None, basis)
    project = Project(
        name="统筹和组织实施医疗救助工作经费", code="42010226303T000000105", unit="武汉市江岸区医疗保障局",
        amount=D("12.00"), legal_basis_text=basis, citations=tuple(find_citations(basis, "legal_basis", prov)),
        provenance=_p(doc_id, 35, 900, "项目支出表", 6, "统筹和组织实施医疗救助工作经费 12.00"),
    )
    return Extraction(
        document=Document(doc_id, f"/data/{doc_id}.txt", "江岸区医疗保障局2026年部门预算", "武汉市江岸区医疗保障局",
                          region="武汉市江岸区", year=2026, phase="budget", provenance=_p(doc_id, 1, 1)),
        units=(Unit("武汉市江岸区医疗保障局", "303001", _p(doc_id, 5, 50)),),
        totals=(Total("income_total", D("1500"), _p(doc_id, 10, 150)),),
        projects=(project,),
    )

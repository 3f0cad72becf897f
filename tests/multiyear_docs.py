"""Hand-built documents of one department over four years (预算, one 决算, one 单位预算), with renamed,
continued and ambiguous projects: the links tests and the entity page test share them."""

from __future__ import annotations

from decimal import Decimal as D

from ingest.records import ECONOMIC, FUNCTIONAL, Document, Extraction, LineItem, Project, Provenance

DEPT = "上海市某某区测试局"


def _doc(doc_id: str, year: int, phase: str = "budget", projects=(), unit: str | None = None) -> Extraction:
    p = Provenance(doc_id, page=1, line=1)
    table = f"{year}年部门支出总表"
    lines = (LineItem(table, "expenditure", FUNCTIONAL, "2010101", "行政运行", D("100") + year - 2023, provenance=p),
             LineItem(table, "expenditure", FUNCTIONAL, "2010102", "一般行政管理事务", D("5"), provenance=p),
             LineItem(f"{year}年基本支出表", "basic_economic", ECONOMIC, "30101", "基本工资", D("50"), provenance=p))
    return Extraction(
        Document(doc_id, f"/d/{doc_id}.txt", f"{DEPT}{year}年{'决算' if phase != 'budget' else '预算'}", DEPT,
                 year=year, phase=phase, provenance=p, scope="unit" if unit else "department", budget_unit=unit),
        line_items=lines,
        projects=tuple(Project(name=n, code=c, amount=D("10"), provenance=p) for n, c in projects))


DOCS = {
    "a" * 16: _doc("a" * 16, 2023, projects=[("信息化运维", "P001"), ("课题研究经费", None), ("2023年宣传经费", None),
                                            ("培训费", None)]),
    "b" * 16: _doc("b" * 16, 2024, projects=[("信息系统运维费", "P001"),  # renamed, same code
                                            ("课题研究经费", None), ("2024年宣传经费", None),  # continued by name
                                            ("培训费", "P777"), ("培训费", "P778")]),  # two of one name: no link
    "c" * 16: _doc("c" * 16, 2024, "final_account", projects=[("信息系统运维费", "P001")]),
    "d" * 16: _doc("d" * 16, 2025, projects=[("信息系统运维费", "P001"), ("甲经费", "P900"), ("乙经费", "P900")]),
    "e" * 16: _doc("e" * 16, 2026, projects=[("甲经费", "P900")]),  # 2025 prints P900 twice: no code link
    "f" * 16: _doc("f" * 16, 2024, unit="某某区测试局本级"),
}


def put(store, doc_id: str) -> None:
    """Map and store one of :data:`DOCS` (no search index)."""
    from kg.mapping import map_extraction

    ex = DOCS[doc_id]
    store.replace_document(ex, map_extraction(ex, store.base))

"""A 单位预算 names the unit it is of (document.budget_unit); a 下属单位's 单位预算 still names its department (its
主管部门); in the store the unit budget is an entity of its own that names the unit."""

from pathlib import Path

import pytest

from ingest.pipeline import extract
from ingest.records import Extraction


def _unit_budget(cover: list[str], unit: str, code: str, income: str = "612.40") -> list[str]:
    """A 单位预算 as a text export: its cover, a short narrative and its 收支总表 (编制单位 the unit)."""
    return [*cover, "", "公开咨询电话：0719-8861203", "",
            "第一部分　单位概况", "",
            f"本单位{income}万元收入全部纳入单位预算管理。", "",
            "表一　2025年单位收支总表", "",
            f"编制单位：{unit}\t\t\t单位：万元",
            "收 入\t\t支 出\t",
            "项目\t预算数\t项目\t预算数",
            f"一、一般公共预算拨款收入\t{income}\t一、社会保障和就业支出\t{income}",
            f"本年收入合计\t{income}\t本年支出合计\t{income}",
            f"收入总计\t{income}\t支出总计\t{income}", "",
            "表二　2025年单位收入总表", "",
            "单位：万元",
            "单位编码\t单位名称\t合计\t一般公共预算拨款收入",
            f"{code}\t{unit}\t{income}\t{income}", ""]


def _read(tmp_path: Path, lines: list[str], name: str = "unit.txt") -> Extraction:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return extract(path)


@pytest.mark.parametrize("title", ["十堰市张湾区人力资源和社会保障局本级2025年单位预算",
                                   "十堰市张湾区人力资源和社会保障局2025年单位预算（本级）"])
def test_the_departments_own_unit_budget_names_its_unit(tmp_path, title):
    unit = "十堰市张湾区人力资源和社会保障局本级"
    ex = _read(tmp_path, _unit_budget([title], unit, "127001"))
    d = ex.document
    assert (d.scope, d.department, d.budget_unit) == ("unit", "十堰市张湾区人力资源和社会保障局", unit)


def test_a_subordinate_units_budget_names_the_unit_and_its_department_from_the_cover(tmp_path):
    unit = "十堰市张湾区就业服务中心"
    cover = [f"{unit}2025年单位预算", "",
             f"（主管部门：十堰市张湾区人力资源和社会保障局　预算单位：{unit}　单位编码：127003）"]
    d = _read(tmp_path, _unit_budget(cover, unit, "127003")).document
    assert (d.budget_unit, d.department) == (unit, "十堰市张湾区人力资源和社会保障局")
    assert d.region == "十堰市张湾区"


def test_a_department_budget_names_no_unit(tmp_path):
    dept = "十堰市张湾区人力资源和社会保障局"
    lines = _unit_budget([f"{dept}2025年部门预算"], dept, "127")
    d = _read(tmp_path, [ln.replace("单位收", "部门收") for ln in lines]).document
    assert (d.scope, d.department, d.budget_unit) == ("department", dept, None)


def test_the_unit_budget_entity_names_its_unit_beside_the_department_budget(tmp_path):
    from kg.api import BudgetKG

    dept, unit = "十堰市张湾区人力资源和社会保障局", "十堰市张湾区人力资源和社会保障局本级"
    dept_ex = _read(tmp_path, _unit_budget([f"{dept}2025年部门预算"], dept, "127", "1,208.75"), "dept.txt")
    unit_ex = _read(tmp_path, _unit_budget([f"{dept}2025年单位预算（本级）"], unit, "127001"), "unit.txt")
    kg = BudgetKG.open(tmp_path / "store")
    try:
        kg.ingest_extraction(dept_ex)
        kg.ingest_extraction(unit_ex)
        rows = kg.sparql("SELECT ?b ?label WHERE { ?b a bgt:Budget ; rdfs:label ?label }").rows
    finally:
        kg.close()
    from urllib.parse import unquote

    got = sorted((unquote(str(r["b"])).split("/budget/", 1)[1], str(r["label"])) for r in rows)
    assert got == [(f"{dept}/2025/budget", f"{dept} 2025 部门预算"),
                   (f"{dept}/2025/budget/unit/{unit}", f"{unit} 2025年单位预算")]

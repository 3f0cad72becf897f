"""Comparisons (kg.compare) on the multi-year fixtures, against their gold (tests/fixtures/multiyear/gold.json):
every amount, change and rate shown, the sources of the amounts, and the labels."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal as D

import pytest

from helpers import MULTIYEAR, SHARED_PDFS, extracted, load_json, needs_pdfs
from kg import compare
from kg.api import BudgetKG
from kg.errors import CompareError, QueryError, error_message

GOLD = load_json(MULTIYEAR / "gold.json")
CG, YL = "武汉市江夏区城市管理执法局", "武汉市江夏区园林和林业局"
DASH = "—"


@pytest.fixture(scope="module")
def kg(multiyear_store_template):
    with BudgetKG.open(multiyear_store_template) as kg:
        yield kg


@pytest.fixture(scope="module")
def years(kg):
    return kg.compare(CG, years="2023-2025")


@pytest.fixture(scope="module")
def execution(kg):
    return kg.compare("区城管执法局", vs_final=2024)


def files(kg) -> dict[str, str]:
    """doc_id → fixture file, by the gold's department, year, phase and level."""
    refs = kg.budgets()
    out = {}
    for d in GOLD["documents"]:
        ref = next(b for b in refs if (b.department, b.year, b.phase, b.scope) ==
                   (d["department"], d["year"], d["phase"], d["level"]))
        out[ref.doc_id] = d["file"]
    return out


def rows(table) -> dict[str, list]:
    """A table's rows by code (or name where there is none)."""
    return {(r[0].text or r[1].text): list(r) for r in table.rows}


def cent(text: str) -> D:
    return D(text).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def change_cells(now: str, before: str | None) -> tuple[str, str]:
    """The change the gold figures give, as the table should show it."""
    if before is None:
        return DASH, DASH
    diff = D(now) - D(before)
    sign = "+" if diff > 0 else ""
    pct = DASH if not D(before) else sign + f"{cent(str(diff * 100 / D(before))):,.2f}"
    return sign + f"{diff:,.2f}", pct


def test_year_columns_and_labels_are_chinese(years):
    assert years.title == f"{CG} 预算逐年比较"
    assert years.table("totals").columns == (
        "编码", "名称", "2023年（万元）", "2024年（万元）", "2024年较上年增减（万元）", "2024年较上年增减（%）",
        "2025年（万元）", "2025年较上年增减（万元）", "2025年较上年增减（%）")
    assert [t.title for t in years.tables] == [
        "收支合计", "基本支出与项目支出", "支出功能分类（类）", "支出功能分类（款）", "基本支出经济分类（类）",
        "基本支出经济分类（款）", "“三公”经费", "主要项目"]


def _check_year_row(row: list, gold_by_year: dict[str, str | None]):
    """Amount, change in 万元 and in % of each year, against the gold figures."""
    cells = row[2:]
    previous = None
    for i, year in enumerate(("2023", "2024", "2025")):
        amount = cells[0] if i == 0 else cells[3 * i - 2]
        value = gold_by_year[year]
        assert amount.text == (DASH if value is None else f"{D(value):,.2f}"), (row[1].text, year)
        if value is not None:
            assert amount.value == D(value) and isinstance(amount.value, D)
        if i:
            change, pct = cells[3 * i - 1], cells[3 * i]
            want = change_cells(value, previous) if value is not None else (DASH, DASH)
            assert (change.text, pct.text) == want, (row[1].text, year)
        previous = value


def test_totals_split_functional_and_three_public_against_gold(years):
    gold = GOLD["comparisons"]["years"]
    split = rows(years.table("split"))
    for key, label in (("total", "本年支出合计"), ("basic", "基本支出"), ("project", "项目支出")):
        _check_year_row(split[label], {y: gold[y][key] for y in gold})
    _check_year_row(rows(years.table("totals"))["支出总计"], {y: gold[y]["total"] for y in gold})
    codes = {c for y in gold.values() for c in y["functional"]}
    shown = {**rows(years.table("functional_类")), **rows(years.table("functional_款"))}
    assert set(shown) == codes
    for code in codes:
        _check_year_row(shown[code], {y: gold[y]["functional"].get(code) for y in gold})
    assert shown["21203"][1].text == "城乡社区公共设施" and shown["21299"][1].text == "其他城乡社区支出"
    three = rows(years.table("three_public"))
    for key, label in (("total", "“三公”经费合计"), ("abroad", "因公出国（境）费"), ("reception", "公务接待费"),
                       ("vehicle", "公务用车购置及运行费")):
        _check_year_row(three[label], {y: gold[y]["three_public"][key] for y in gold})
    assert three["因公出国（境）费"][-1].text == DASH  # 0.00 → 0.00: no percentage of nothing


def test_economic_classes_against_gold(years):
    gold = GOLD["comparisons"]["years"]
    shown = {**rows(years.table("economic_类")), **rows(years.table("economic_款"))}
    assert set(shown) == {c for y in gold.values() for c in y["economic"]}
    for code, row in shown.items():
        for year, column in (("2023", 2), ("2025", 6)):
            assert row[column].text == (f"{D(gold[year]['economic'][code]):,.2f}" if code in gold[year]["economic"]
                                        else DASH), (code, year)


def test_economic_classes_of_2024(years):
    gold = GOLD["comparisons"]["years"]["2024"]["economic"]
    shown = {**rows(years.table("economic_类")), **rows(years.table("economic_款"))}
    assert {code: shown[code][3].text for code in gold} == {c: f"{D(a):,.2f}" for c, a in gold.items()}


def test_projects_are_followed_across_years_by_code_or_name(years):
    gold = GOLD["comparisons"]["years"]
    table = years.table("projects")
    # one row per project of the gold's links: the renamed one by its code, 网格化 by its name without the year
    expected = {
        "数字城管平台运维经费": ("85.00", "88.00", "90.40"), "2025年网格化管理经费": ("60.00", "64.00", "66.50"),
        "生活垃圾分类推进工作经费": ("40.00", "52.00", "55.00"), "城管执法队员培训经费": ("12.00", None, None),
        "城区道路清扫保洁经费": ("320.00", "335.00", "342.00"), "户外广告招牌整治经费": (None, "30.00", "25.00"),
        "公共厕所提升改造经费": (None, None, "45.00"), "城区道路清扫保洁监管经费": (None, None, "18.00")}
    by_name = {r[1].text: r for r in table.rows}
    assert set(by_name) == set(expected)
    for name, amounts in expected.items():
        for year, amount in zip(("2023", "2024", "2025"), amounts):
            if amount is not None:  # the expectation is the gold's own figure of that year's name
                assert amount in gold[year]["projects"].values()
        _check_year_row(list(by_name[name]), dict(zip(("2023", "2024", "2025"), amounts)))
    assert by_name["生活垃圾分类推进工作经费"][1].note == "曾用名：生活垃圾分类宣传经费"
    assert by_name["生活垃圾分类推进工作经费"][0].text == "42011522135T000000202"
    assert [r[1].text for r in table.rows][:2] == ["城区道路清扫保洁经费", "数字城管平台运维经费"]  # largest first


def _names(row) -> set[str]:
    """The names a project row of a comparison shows: its own and its 曾用名."""
    note = row[1].note.removeprefix("曾用名：")
    return {row[1].text, *(note.split("、") if note else ())}


def test_projects_never_joined_wrongly(years):
    department = {d["file"]: d["department"] for d in GOLD["documents"]}
    within = [p for p in GOLD["must_not_link"] if department[p["from"]["file"]] == department[p["to"]["file"]]]
    assert len(within) >= 2  # the others are of two departments, never compared (the next test)
    shown = [_names(r) for r in years.table("projects").rows]
    for pair in within:
        a, b = pair["from"]["name"], pair["to"]["name"]
        assert any(a in n for n in shown) or any(b in n for n in shown)
        assert not any(a in n and b in n for n in shown if a != b), pair["why"]


def test_the_table_joins_the_projects_the_links_join_and_no_others(tmp_path):
    """The hand-built department: 2025 prints P900 for 甲经费 and 乙经费, 2024 two 培训费 — the links
    join neither, so the table must not either; 信息化运维 renamed under P001 is one row."""
    from multiyear_docs import DEPT, DOCS, put
    from kg.store import Store

    with Store(tmp_path / "store") as s:
        for doc_id in DOCS:
            put(s, doc_id)
        table = compare.by_year(s, DEPT).table("projects")
        execution = compare.execution(s, DEPT, 2024).table("projects")
    amounts = (2, 3, 6, 9)  # each year's column (the later ones followed by their changes)
    assert [table.columns[i] for i in amounts] == ["2023年（万元）", "2024年（万元）", "2025年（万元）", "2026年（万元）"]
    by_year = [dict(zip(("2023", "2024", "2025", "2026"), (r[i].text for i in amounts))) for r in table.rows]
    named = list(zip((_names(r) for r in table.rows), by_year))
    jia = [y for n, y in named if "甲经费" in n]
    yi = [y for n, y in named if "乙经费" in n]
    assert [(y["2025"], y["2026"]) for y in jia] == [("10.00", "10.00")]  # by its name, one of each year
    assert [(y["2025"], y["2026"]) for y in yi] == [("10.00", DASH)]
    assert not any("甲经费" in n and "乙经费" in n for n, _ in named)
    training = [y for n, y in named if "培训费" in n]
    assert sorted(tuple(y.values()) for y in training) == sorted([
        ("10.00", DASH, DASH, DASH), (DASH, "10.00", DASH, DASH), (DASH, "10.00", DASH, DASH)])
    assert [y for n, y in named if {"信息系统运维费", "信息化运维"} <= n] == [
        {"2023": "10.00", "2024": "10.00", "2025": "10.00", "2026": DASH}]
    # 预算 vs 决算: the 决算's one project beside the 预算's; the 预算's others shown as not in the 决算
    ex = {r[1].text: [c.text for c in r[2:5]] for r in execution.rows}
    assert ex["信息系统运维费"] == ["10.00", "10.00", "100.00"]
    assert ex["课题研究经费"] == ["10.00", DASH, DASH]
    assert next(r for r in execution.rows if r[1].text == "课题研究经费")[3].note == compare.NOT_IN_FINAL
    assert len(execution.rows) == 5


def test_other_departments_project_is_not_in_the_table(years):
    # 区园林局's 2025年网格化管理经费 (22.00) has the same name without its year, but another department
    assert all("22.00" not in c.text for r in years.table("projects").rows for c in r)


def test_execution_against_gold(execution):
    gold = GOLD["execution"]
    assert execution.table("split").columns == ("编码", "名称", "年初预算（万元）", "决算（万元）", "执行率（%）",
                                                "年初预算依据")
    split = rows(execution.table("split"))
    for key, label in (("total", "本年支出合计"), ("basic", "基本支出"), ("project", "项目支出")):
        want = gold[key]
        assert [c.text.replace(",", "") for c in split[label][2:5]] == [want["budget"], want["final"], want["rate"]]
        assert split[label][5].text == "预算文件"
    lines = {**rows(execution.table("functional_类")), **rows(execution.table("functional_款")),
             **rows(execution.table("functional_项"))}
    assert set(lines) == set(gold["functional"])
    for code, want in gold["functional"].items():
        assert [c.text.replace(",", "") for c in lines[code][2:5]] == [want["budget"], want["final"], want["rate"]], code
    three = rows(execution.table("three_public"))["“三公”经费合计"]
    assert [c.text for c in three[2:5]] == [gold["three_public"][k] for k in ("budget", "final", "rate")]
    projects = {r[1].text: r for r in execution.table("projects").rows}
    assert set(projects) == {p["name"] for p in gold["projects"]}
    for p in gold["projects"]:
        row = projects[p["name"]]
        assert [c.text.replace(",", "") for c in row[2:5]] == [p["budget"], p["final"], p["rate"]], p["name"]
        assert row[5].text == "决算所列年初预算数"  # the 决算's 项目支出决算表 prints its 年初预算数
        assert row[0].text == (p["code"] or "")  # the code the 预算 printed, though the 决算 has none
    assert isinstance(split["本年支出合计"][4].value, D)


def test_side_by_side_against_gold(kg):
    gold = GOLD["side_by_side"]
    shown = kg.compare("江夏区城市管理执法局", with_departments=["区园林局"], years="2025")
    assert shown.table("split").columns == ("编码", "名称", f"{CG}（万元）", f"{YL}（万元）")
    split = rows(shown.table("split"))
    for key, label in (("total", "本年支出合计"), ("basic", "基本支出"), ("project", "项目支出")):
        assert [c.text.replace(",", "") for c in split[label][2:]] == [
            gold["departments"][CG][key], gold["departments"][YL][key]], label
    classes = rows(shown.table("functional_类"))
    assert classes["213"][2].text == DASH and classes["212"][3].text == DASH
    assert kg.compare(CG, with_departments=[YL]).budgets == shown.budgets  # the latest year both have


AMOUNT_IN_LINE = re.compile(r"[\d,]+\.\d+")


def amount_columns(table) -> list[int]:
    """The columns of amounts read from a document (not changes or rates)."""
    return [i for i, c in enumerate(table.columns) if "（万元）" in c and "增减" not in c]


def test_every_amount_is_sourced_in_its_own_document_at_a_line_printing_it(kg, years, execution):
    by_doc = files(kg)
    text = {f: (MULTIYEAR / f).read_text(encoding="utf-8").splitlines() for f in by_doc.values()}
    checked = 0
    for comparison in (years, execution, kg.compare(CG, with_departments=[YL])):
        docs = {b.doc_id for b in comparison.budgets}
        for table in comparison.tables:
            for row in table.rows:
                for cell in (row[i] for i in amount_columns(table)):
                    if cell.value is None:
                        assert cell.text == DASH and not cell.sources
                        continue
                    assert cell.sources, (table.title, row[1].text)
                    assert cell.source_text.startswith("武汉市江夏区")
                    for s in cell.sources:
                        assert s.doc_id in docs and s.line, (table.title, cell)
                        line = text[by_doc[s.doc_id]][s.line - 1]
                        printed = {D(n.replace(",", "")) for n in AMOUNT_IN_LINE.findall(line)}
                        if cell.note in ("", "决算所列年初预算数"):  # read as printed (万元, or 元 in some tables)
                            assert cell.value in printed or cell.value * 10000 in printed, (table.title, cell, line)
                        checked += 1
    assert checked > 150


def test_cells_are_decimal_and_json_has_no_float(years):
    import json

    for table in years.tables:
        for row in table.rows:
            assert all(c.value is None or isinstance(c.value, D) for c in row)
    dumped = json.dumps(years.as_dict(), ensure_ascii=False)
    assert not re.search(r'"value": \d', dumped)  # values are strings
    first = years.as_dict()["tables"][0]["rows"][0][2]
    assert first["value"] == "1394.88" and first["sources"][0]["line"]


def test_unknown_department_years_and_phase_are_refused_in_chinese(kg):
    with pytest.raises(CompareError) as e:
        kg.compare("不存在的局")
    assert error_message(e.value) == "知识库中没有部门“不存在的局”"
    with pytest.raises(CompareError) as e:
        kg.compare("局")  # the end of every name
    assert e.value.code == "department_ambiguous" and CG in error_message(e.value)
    with pytest.raises(QueryError) as e:
        kg.compare(CG, years="2023-20x5")
    assert error_message(e.value) == "查询的输入有误：“2023-20x5”不是年度（如 2023-2025 或 2023,2024）"
    with pytest.raises(QueryError):
        kg.compare(CG, phase="中期")
    with pytest.raises(CompareError) as e:
        kg.compare(CG, years="2019,2020")
    assert error_message(e.value) == f"知识库中没有{CG} 2019、2020 年的预算"
    with pytest.raises(CompareError) as e:
        kg.compare(YL, vs_final=2025)
    assert error_message(e.value) == f"知识库中没有{YL} 2025 年的决算"


def test_years_may_skip_a_year_and_then_there_is_no_change(kg):
    shown = kg.compare(CG, years="2023,2025")
    total = rows(shown.table("split"))["本年支出合计"]
    assert [c.text for c in total[2:]] == ["1,394.88", "1,558.53", DASH, DASH]
    assert kg.compare(CG, phase="决算").budgets[0].phase == "final_account"
    assert compare.parse_years("2023 - 2025") == (2023, 2024, 2025)
    assert compare.parse_years("2024,2023") == (2023, 2024)


@needs_pdfs
def test_the_shared_pairs_execution_takes_the_initial_budget_the_final_account_states(tmp_path):
    """上海市普陀区财政局: its 2024 预算 is not stored, so a 项 line's 年初预算 is the one the 2024 决算 states
    (``ingest.audit.growth.stated_figures``), with that place as its source."""
    from kg.mapping import map_extraction
    from kg.store import Store

    final = extracted(SHARED_PDFS / "putuo_czj_2024_juesuan_dept.pdf")
    with Store(tmp_path / "store") as s:
        s.replace_document(final, map_extraction(final, s.base))
        table = compare.execution(s, "普陀区财政局", 2024).table("functional_项")
    row = rows(table)["2010601"]  # 行政运行（项）: "年初预算为 1560.05 万元，支出决算为 1511.89 万元"
    assert [c.text for c in row[2:]] == ["1,560.05", "1,511.89", "96.91", compare.STATED_BASIS]
    assert row[2].sources and all(src.doc_id == final.document.doc_id and src.page for src in row[2].sources)
    assert rows(table)["2010602"][2].text == DASH  # a line the text states no 年初预算 of


def _two_funds(doc_id: str, phase: str, total: str, gpb: str, stated=()):
    """A budget of the hand-built department printing 2120501 for every fund and for 一般公共预算 apart."""
    from multiyear_docs import DEPT
    from ingest.records import FUNCTIONAL, Document, Extraction, LineItem, Provenance

    p = Provenance(doc_id, page=1, line=1)
    word = "预算" if phase == "budget" else "决算"
    return Extraction(
        Document(doc_id, f"/d/{doc_id}.txt", f"{DEPT}2024年{word}", DEPT, year=2024, phase=phase, provenance=p,
                 scope="department"),
        line_items=(LineItem(f"部门支出{word}表", "expenditure", FUNCTIONAL, "2120501", "城乡社区环境卫生", D(total),
                             provenance=p),
                    LineItem(f"一般公共预算财政拨款支出{word}表", "gpb_expenditure", FUNCTIONAL, "2120501",
                             "城乡社区环境卫生", D(gpb), provenance=p)),
        stated=tuple(stated))


def test_a_final_accounts_initial_budget_is_of_the_general_public_budget(tmp_path):
    """A 决算's text states the 年初预算 of a 项 as the 一般公共预算 prints it (300), while the 预算's 支出总表
    prints every fund (500): no cross-document finding; and with the 预算 gone, the execution rate sets that
    300 against the 决算's 一般公共预算 figure (290), not against every fund's (480)."""
    from multiyear_docs import DEPT
    from ingest.records import Provenance, StatedFigure
    from kg.mapping import map_extraction
    from kg.store import Store

    said = StatedFigure("fn:2120501", 2024, "budget", D("300.00"), D("0.01"), "initial_budget",
                        "城乡社区环境卫生（项）。年初预算为300.00万元", Provenance("2" * 16, page=3, line=7))
    plan, final = _two_funds("1" * 16, "budget", "500", "300"), _two_funds("2" * 16, "final_account", "480", "290",
                                                                          [said])
    with Store(tmp_path / "store") as s:
        for ex in (plan, final):
            s.replace_document(ex, map_extraction(ex, s.base))
        found = s.select("""SELECT ?m WHERE { ?f a bgt:Finding ; bgt:rule ?r ; bgt:message ?m
                            FILTER(STRSTARTS(?r, "cross_document")) }""")
        assert found == []
        s.delete_document("1" * 16)
        row = rows(compare.execution(s, DEPT, 2024).table("functional_项"))["2120501"]
    assert [c.text for c in row[2:]] == ["300.00", "290.00", "96.67", compare.STATED_BASIS]
    assert row[2].sources[0].line == 7 and row[3].note == "一般公共预算财政拨款支出"


def test_a_budget_without_a_year_is_not_a_column(tmp_path):
    from multiyear_docs import DEPT, DOCS, put
    from ingest.records import Document
    from dataclasses import replace
    from kg.mapping import map_extraction
    from kg.store import Store

    yearless = DOCS["a" * 16]
    yearless = replace(yearless, document=replace(yearless.document, doc_id="9" * 16, year=None, title=f"{DEPT}预算"))
    with Store(tmp_path / "store") as s:
        put(s, "b" * 16)
        s.replace_document(yearless, map_extraction(yearless, s.base))
        shown = compare.by_year(s, DEPT)
    assert shown.tables[0].columns == ("编码", "名称", "2024年（万元）")
    assert [b.year for b in shown.budgets] == [2024]

"""The gold-schema writer and the scorer, on small hand-made inputs and on the gold files themselves."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.records import (
    ECONOMIC, FUNCTIONAL, Activity, Citation, Document, Extraction, Finding, Funding, Indicator, LineItem,
    ProcurementRow, Project, Staffing, Total, Unit,
)
from ingest import scoring
from ingest.scoring import (
    ANNOTATION_ONLY_KEYS, KINDS, DocResult, EvalReport, KindScore, evaluate_files, extraction_to_gold,
    find_document, find_shared, match_projects, score,
)

from ingest.scoring.gold import EXTRACTOR_ONLY_KEYS

from helpers import SHARED, SHARED_GOLD_FILES

GOLD_FILES = SHARED_GOLD_FILES  # the seeds' gold


def by_kind(gold: dict, got: dict) -> dict[str, KindScore]:
    return {s.kind: s for s in score(gold, got)}


def counts(s: KindScore) -> tuple[int, int, int]:
    return s.tp, s.fp, s.fn


def proj(name: str, aliases=(), amount=None, **extra) -> dict:
    return {"name": name, "aliases": list(aliases), "amount": amount, **extra}


# ---------------------------------------------------------------- projects


def test_project_matches_by_alias_and_normalised_name():
    gold = {"projects": [proj("城乡医疗救助", ["医疗救助款"]), proj("医保服务中心工作经费")]}
    got = {"projects": [proj("医疗救助款"), proj("医保服务中心工作经\n费.")]}
    s = by_kind(gold, got)["projects"]
    assert counts(s) == (2, 0, 0) and s.f1 == 1.0


def test_predicted_alias_matches_gold_name():
    gold = {"projects": [proj("保优离医疗经费")]}
    got = {"projects": [proj("2022保优离医疗经费", ["保优离医疗经费"])]}
    assert counts(by_kind(gold, got)["projects"]) == (1, 0, 0)


def test_matching_is_one_to_one():
    gold = {"projects": [proj("后勤服务支出")]}
    got = {"projects": [proj("后勤服务支出"), proj("后勤服务支出")]}
    s = by_kind(gold, got)["projects"]
    assert counts(s) == (1, 1, 0)
    assert s.precision == 0.5 and s.recall == 1.0


def test_matching_finds_the_largest_one_to_one_pairing():
    # p0 prefers g1 (same main name) but could also take g0; p1 can only take g1.
    gold = [proj("X", ["Y"]), proj("Y", ["V"])]
    got = [proj("Y"), proj("Q", ["V"])]
    assert match_projects(gold, got) == {0: 0, 1: 1}


def test_same_named_projects_pair_by_unit_and_amount():
    gold = [proj("在职人员体检费", amount=0.48, unit="本级"), proj("在职人员体检费", amount=1.2, unit="中心")]
    got = [proj("在职人员体检费", amount=1.2, unit="中心"), proj("在职人员体检费", amount=0.48, unit="本级")]
    assert match_projects(gold, got) == {0: 1, 1: 0}
    assert counts(by_kind({"projects": gold}, {"projects": got})["project_amounts"]) == (2, 0, 0)


def test_project_amounts_exact_to_the_cent():
    gold = {"projects": [proj("A", amount=3233.2), proj("B", amount=6.48), proj("C", amount=1.0), proj("D", amount=5)]}
    got = {"projects": [proj("A", amount=3233.20), proj("B", amount=6.49), proj("C", amount=None),
                        proj("甲", amount=5)]}
    s = by_kind(gold, got)["project_amounts"]
    assert counts(s) == (1, 0, 2)  # only matched projects count: A right, B and C wrong, D unmatched
    assert s.precision == s.recall == s.f1 == pytest.approx(1 / 3)


def test_project_amounts_fail_when_no_project_is_matched():
    s = by_kind({"projects": [proj("A", amount=1.0)]}, {"projects": []})["project_amounts"]
    assert s.f1 == 0.0 and s.note == "no matched projects"
    assert by_kind({"projects": []}, {"projects": []})["project_amounts"].f1 == 1.0


# ---------------------------------------------------------------- citations


def test_citation_variants_normalise_and_follow_the_project_match():
    gold = {"projects": [proj("城乡医疗救助", ["医疗救助款"], cited_doc_numbers=["武政规〔2016〕32号", "武医保〔2022〕21号"],
                              cited_titles=["市人民政府关于印发武汉市医疗救助实施办法的通知"])]}
    got = {"projects": [proj("医疗救助款", cited_doc_numbers=["武政规[2016]32 号", "武医保【2022】21号", "鄂办发(2019)18号"],
                             cited_titles=["《市人民政府关于印发武汉市医疗救助实施办法的通知 》"])]}
    assert counts(by_kind(gold, got)["citations"]) == (3, 1, 0)


def test_citation_of_an_unmatched_project_is_a_false_positive():
    gold = {"projects": [proj("A", cited_doc_numbers=["岸编〔2025〕4号"])]}
    got = {"projects": [proj("A"), proj("B", cited_doc_numbers=["岸编〔2025〕4号"])]}
    assert counts(by_kind(gold, got)["citations"]) == (0, 1, 1)


def test_citation_map_is_used_when_projects_carry_no_citations():
    gold = {"projects": [proj("医保稽核专项经费", cited_doc_numbers=["医保办发〔2018〕21号"],
                              cited_titles=["关于当前加强医保协议管理确保基金安全有关工作的通知"])]}
    got = {"projects": [proj("医保稽核专项经费")],
           "citations": {"医保办发[2018]21号": ["医保稽核专项经费"],
                         "《关于当前加强医保协议管理确保基金安全有关工作的通知》": ["医保稽核专项经费"]}}
    assert counts(by_kind(gold, got)["citations"]) == (2, 0, 0)


# ---------------------------------------------------------------- indicators


def test_indicators_are_counted_per_gold_project_with_whitespace_removed():
    ind = {"goal": "annual", "level1": "产出指标", "level2": "数量指标", "level3": "食堂支出保障人数", "value": "6人"}
    gold = {"projects": [proj("后勤服务支出", ["食堂经费"], indicators=[ind, {**ind, "goal": "long_term"}])]}
    got = {"projects": [proj("食堂经费", indicators=[{**ind, "level3": "食堂支出\n保障人数", "value": "6 人"}])]}
    s = by_kind(gold, got)["indicators"]
    assert counts(s) == (1, 0, 1)  # the long-term twin is a separate row and is missed


def test_indicator_levels_count_a_row_under_another_parent_as_wrong():
    ind = {"goal": "annual", "level1": "产出指标", "level2": "成本指标", "level3": "预算内经费", "value": "合规"}
    gold = {"projects": [proj("新建社区公共服务中心", indicators=[ind])]}
    got = {"projects": [proj("新建社区公共服务中心", indicators=[{**ind, "level1": "成本指标", "level2": None}])]}
    assert counts(by_kind(gold, got)["indicators"]) == (1, 0, 0)  # same 三级指标 and value
    assert counts(by_kind(gold, got)["indicator_levels"]) == (0, 1, 1)
    assert counts(by_kind(gold, {"projects": [proj("新建社区公共服务中心", indicators=[{**ind, "level2": "成 本指标"}])]})
                  ["indicator_levels"]) == (1, 0, 0)


def test_department_indicators_ignore_goal_and_use_unit_when_given():
    row = {"goal": "长期目标1:完善", "level3": "成本控制率", "value": "≤100%", "unit": "本级"}
    gold = {"department_indicators": [row, {**row, "unit": "中心"}]}
    got = {"department_indicators": [{**row, "goal": "长期目标1：完善制度"}, {**row, "unit": "本级"}]}
    assert counts(by_kind(gold, got)["department_indicators"]) == (1, 1, 1)
    no_unit = {"department_indicators": [{**row, "unit": None}, {**row, "unit": None}]}
    s = by_kind(gold, no_unit)["department_indicators"]
    assert counts(s) == (2, 0, 0) and "unit" in s.note


# ---------------------------------------------------------------- lines, units, totals, document


def test_functional_lines_are_a_multiset_of_code_and_total():
    row = {"table": "部门支出总表", "code": "2101301", "name": "行政单位医疗", "total": 4.3}
    gold = {"functional_lines": [row, row, {**row, "code": "2080505", "total": 50.98}]}
    assert counts(by_kind(gold, {"functional_lines": [row]})["functional_lines"]) == (1, 0, 2)
    got = {"functional_lines": [{**row, "name": "other name", "total": 4.30}] * 3 + [{**row, "code": "2080505",
                                                                                       "total": 50.97}]}
    assert counts(by_kind(gold, got)["functional_lines"]) == (2, 2, 1)


def test_other_and_economic_lines_are_scored_apart():
    gold = {"functional_lines_other": [{"code": "208", "total": 27.09}],
            "economic_lines": [{"code": "301", "name": "工资福利支出", "amount": 320.16}]}
    got = {"functional_lines": [{"code": "208", "total": 27.09}],
           "economic_lines": [{"code": "301", "name": "工资福利支出", "amount": 320.16}]}
    s = by_kind(gold, got)
    assert counts(s["functional_lines_other"]) == (0, 0, 1)
    assert counts(s["functional_lines"]) == (0, 1, 0)
    assert counts(s["economic_lines"]) == (1, 0, 0)


def test_units_by_code_when_both_have_one_else_by_name():
    gold = {"units": [{"code": "303001", "name": "武汉市江岸区医疗保障局本级"}, {"code": None, "name": "医疗保障服务中心"}]}
    got = {"units": [{"code": "303001", "name": "局本级"}, {"code": "26002", "name": "医疗保障 服务中心"},
                     {"code": "303009", "name": "武汉市江岸区医疗保障局本级"}]}
    assert counts(by_kind(gold, got)["units"]) == (2, 1, 0)


def test_totals_none_equals_none_and_missing_is_a_miss():
    gold = {"totals": {"income_total": 2304.44, "expenditure_total": 2304.44, "carryover_from_last_year": None,
                       "three_public_total": 0.2, "basic_expenditure": 344.01, "project_expenditure": 1960.43,
                       "fiscal_appropriation_total": 2304.44}}
    got = {"totals": {"income_total": 2304.440, "expenditure_total": 2304.45, "carryover_from_last_year": None,
                      "three_public_total": 0.2, "basic_expenditure": None, "project_expenditure": 1960.43,
                      "personnel_expenditure": 1.0}}
    s = by_kind(gold, got)["totals"]
    # right: income, carryover (None == None), three_public, project; wrong value: expenditure (fp + fn);
    # None for a value: basic (fn); not extracted: fiscal (fn); unscored keys are ignored
    assert counts(s) == (4, 1, 3)
    assert s.note == "wrong: expenditure_total; missing: fiscal_appropriation_total, basic_expenditure"
    assert counts(by_kind({"totals": {"carryover_from_last_year": None}},
                          {"totals": {"carryover_from_last_year": 0.0}})["totals"]) == (0, 1, 1)


def test_document_fields_right_or_wrong():
    gold = {"document": {"department": "武汉市江岸区医疗保障局", "region": "武汉市江岸区", "year": 2026, "phase": "budget"}}
    got = {"document": {"department": "武汉市江岸区 医疗保障局", "region": None, "year": 2025, "phase": "budget"}}
    assert counts(by_kind(gold, got)["document"]) == (2, 1, 2)


def test_nothing_expected_nothing_found_scores_one():
    scores = score({}, {})
    assert [s.kind for s in scores] == list(KINDS)
    assert all(s.f1 == 1.0 for s in scores if s.kind not in ("totals", "document"))
    assert KindScore.from_counts("x", 0, 0, 3).f1 == 0.0
    assert KindScore.from_counts("x", 0, 2, 0).precision == 0.0


# ---------------------------------------------------------------- extraction_to_gold


def small_extraction(path: str = "/data/999_small.txt") -> Extraction:
    cites = (
        Citation("title", "市人民政府关于印发武汉市医疗救助实施办法的通知", "《…》", doc_number="武政规〔2016〕32号",
                 field="legal_basis"),
        Citation("doc_number", "武政规〔2016〕32号", "武政规[2016]32号", field="legal_basis"),
        Citation("doc_number", "武医保〔2022〕21号", "武医保【2022】21号", field="activity_calc"),
    )
    ind = Indicator("annual", "产出指标", "数量指标", "救助人次", "≥100人次", basis="计划数据")
    project = Project(
        name="城乡医疗救助", aliases=("医疗救助款",), code="42011222026T000000100", unit="本级", executing_unit="中心",
        amount=Decimal("260.00"), attribute="延续性项目", category="特定目标类项目", start_year=2023, end_year=2023,
        legal_basis_text="根据…", implementation_text="落实…", functional_code="2101301", functional_name="城乡医疗救助",
        citations=cites, funding=(Funding("一般公共预算财政拨款", Decimal("260")),),
        activities=(Activity("医疗救助款", "救助", "其他对个人和家庭的补助", Decimal("260")),),
        procurement=(ProcurementRow("procurement", "本级", "城乡医疗救助", "印刷", Decimal("1.5"), "1"),),
        indicators=(ind,),
    )
    lines = (
        LineItem("部门支出总表", "expenditure", FUNCTIONAL, "2101301", "城乡医疗救助", Decimal("560"), None, Decimal("560")),
        LineItem("一般公共预算支出总表", "gpb_expenditure", FUNCTIONAL, "2101301", "城乡医疗救助", Decimal("260")),
        LineItem("一般公共预算基本支出表", "basic_economic", ECONOMIC, "301", "工资福利支出", Decimal("702.57")),
    )
    return Extraction(
        document=Document("abc", path, "2023年部门预算", "武汉市东西湖区医疗保障局", ("区医保局",), "武汉市东西湖区", 2023,
                          "budget", "027-83220905"),
        units=(Unit("武汉市东西湖区医疗保障局本级", "26001"),),
        offices=("办公室",),
        staffing=Staffing(31, 6, 25, 27, 7, 20, 2),
        totals=(Total("income_total", Decimal("3233.20")), Total("carryover_from_last_year", None)),
        line_items=lines,
        projects=(project,),
        department_indicators=(Indicator("长期目标1:完善", "产出指标", "时效指标", "市级统筹", "逐步完善",
                                         goal_type="long_term", subject_unit="武汉市东西湖区医疗保障局"),),
        findings=(Finding("numeric", "warning", "[numeric] 2399.20 vs 2933.20"),),
    )


def test_extraction_to_gold_values():
    out = extraction_to_gold(small_extraction())
    json.dumps(out, ensure_ascii=False)  # plain data only
    assert out["source"] == "999_small.txt"
    assert out["totals"] == {"income_total": 3233.2, "carryover_from_last_year": None}
    assert [ln["code"] for ln in out["functional_lines"]] == ["2101301"]
    assert out["functional_lines"][0]["total"] == 560.0 and out["functional_lines"][0]["basic"] is None
    assert out["functional_lines_other"][0]["table"] == "一般公共预算支出总表"
    assert out["economic_lines"] == [{"code": "301", "name": "工资福利支出", "amount": 702.57}]
    p = out["projects"][0]
    assert p["amount"] == 260.0 and isinstance(p["amount"], float)
    assert p["cited_doc_numbers"] == ["武政规〔2016〕32号", "武医保〔2022〕21号"]
    assert p["cited_titles"] == ["市人民政府关于印发武汉市医疗救助实施办法的通知"]
    assert p["citation_locations"] == {"《市人民政府关于印发武汉市医疗救助实施办法的通知》": ["legal_basis"],
                                       "武政规〔2016〕32号": ["legal_basis"], "武医保〔2022〕21号": ["activity_calc"]}
    assert out["citations"] == {k: ["城乡医疗救助"] for k in p["citation_locations"]}
    assert p["indicators"] == [{"goal": "annual", "level1": "产出指标", "level2": "数量指标", "level3": "救助人次",
                                "value": "≥100人次", "basis": "计划数据"}]
    assert p["procurement_items"] == [{"item": "印刷", "quantity": "1", "amount": 1.5}]
    assert out["department_indicators"][0]["goal_type"] == "long_term"
    assert out["inconsistencies"] == ["[numeric] 2399.20 vs 2933.20"]


def test_extraction_to_gold_without_staffing_gives_nulls():
    ex = Extraction(document=Document("abc", "x.txt", "", "某局"))
    out = extraction_to_gold(ex)
    assert set(out["staffing"].values()) == {None}
    assert out["projects"] == [] and out["citations"] == {}


def _gold_keys(gold_files: list[Path]) -> dict[str, set[str]]:
    """The key set at each level, over every gold file and row."""
    levels: dict[str, set[str]] = {}

    def add(level: str, rows) -> None:
        for row in rows:
            levels.setdefault(level, set()).update(row)

    for f in gold_files:
        g = json.loads(f.read_text(encoding="utf-8"))
        add("top", [g])
        add("document", [g["document"]])
        add("staffing", [g["staffing"]])
        for level in ("units", "functional_lines", "functional_lines_other", "economic_lines", "projects",
                      "department_indicators"):
            add(level, g[level])
        for p in g["projects"]:
            for level in ("funding", "activities", "procurement_items", "indicators"):
                add(level, p[level])
    return levels


def _produced_keys(out: dict) -> dict[str, set[str]]:
    p = out["projects"][0]
    return {
        "top": set(out), "document": set(out["document"]), "staffing": set(out["staffing"]),
        **{level: set(out[level][0]) for level in ("units", "functional_lines", "functional_lines_other",
                                                   "economic_lines", "projects", "department_indicators")},
        **{level: set(p[level][0]) for level in ("funding", "activities", "procurement_items", "indicators")},
    }


@pytest.mark.skipif(not GOLD_FILES, reason="shared gold files not found")
def test_extraction_to_gold_has_the_gold_key_sets():
    gold = _gold_keys(GOLD_FILES)
    produced = _produced_keys(extraction_to_gold(small_extraction()))
    assert set(produced) == set(gold)
    for level, keys in produced.items():
        assert keys - EXTRACTOR_ONLY_KEYS.get(level, frozenset()) == \
            gold[level] - ANNOTATION_ONLY_KEYS.get(level, frozenset()), level


def test_extraction_scored_against_itself_is_perfect():
    out = extraction_to_gold(small_extraction())
    assert all(s.f1 == 1.0 for s in score(out, out))


# ---------------------------------------------------------------- gold files


@pytest.mark.skipif(not GOLD_FILES, reason="shared gold files not found")
@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_scored_against_itself_is_perfect(gold_file):
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    scores = score(gold, json.loads(gold_file.read_text(encoding="utf-8")))
    assert [s.kind for s in scores] == list(KINDS)
    assert {s.kind: s.f1 for s in scores} == {k: 1.0 for k in KINDS}
    assert all(s.tp > 0 for s in scores if s.kind != "units" or gold["units"])


@pytest.mark.skipif(not GOLD_FILES, reason="shared gold files not found")
@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_files_find_their_seed(gold_file):
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    assert find_document(gold_file, gold) == SHARED / "seeds" / gold["source"]


# ---------------------------------------------------------------- evaluate_files and the report


@pytest.fixture
def fake_extract(monkeypatch):
    """ingest.pipeline.extract replaced by the hand-built extraction (the seen paths are recorded)."""
    seen: list[Path] = []

    def extract(path, **options):
        seen.append(Path(path))
        return small_extraction(str(path))

    monkeypatch.setattr("ingest.pipeline.extract", extract)
    return seen


def write_gold(folder: Path, stem: str, source: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    gold = {**extraction_to_gold(small_extraction()), "source": source}
    path = folder / f"{stem}.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return path


def test_evaluate_files_finds_docs_beside_or_in_docs(tmp_path, fake_extract):
    g1 = write_gold(tmp_path / "fixtures" / "gold", "a", "a.txt")
    (tmp_path / "fixtures" / "docs").mkdir()
    (tmp_path / "fixtures" / "docs" / "a.txt").write_text("x", encoding="utf-8")
    g2 = write_gold(tmp_path / "other", "b", "b.md")
    (tmp_path / "other" / "b.md").write_text("x", encoding="utf-8")
    report = evaluate_files([g1, g2])
    assert fake_extract == [tmp_path / "fixtures" / "docs" / "a.txt", tmp_path / "other" / "b.md"]
    assert report.ok() and not report.failures()
    table = report.format_table()
    assert table.splitlines()[0].split()[:8] == ["document", "kind", "P", "R", "F1", "tp", "fp", "fn"]
    assert "a.txt" in table and "project_amounts" in table and table.rstrip().endswith("every threshold met")
    assert len([ln for ln in table.splitlines() if ln.startswith("b.md")]) == len(KINDS)
    d = report.as_dict()
    assert d["ok"] and d["documents"][0]["scores"]["projects"]["f1"] == 1.0


def test_evaluate_files_pairs_explicit_docs_by_stem(tmp_path, fake_extract):
    g1, g2 = write_gold(tmp_path, "a", "a.txt"), write_gold(tmp_path, "b", "b.txt")
    docs = [tmp_path / "elsewhere" / "b.pdf", tmp_path / "elsewhere" / "a.txt"]
    evaluate_files([g1, g2], docs)
    assert fake_extract == [docs[1], docs[0]]


def test_evaluate_files_reports_missing_and_failing_documents(tmp_path, monkeypatch):
    g1 = write_gold(tmp_path / "g", "a", "a.txt")
    g2 = write_gold(tmp_path / "g", "b", "b.txt")
    (tmp_path / "g" / "b.txt").write_text("x", encoding="utf-8")

    def broken(path, **options):
        raise ValueError("cannot read")

    monkeypatch.setattr("ingest.pipeline.extract", broken)
    report = evaluate_files([g1, g2])
    assert not report.ok()
    assert [r.error for r in report.results] == ["no document found for a.txt", "ValueError: cannot read"]
    assert "ERROR" in report.format_table()


def test_report_ok_applies_thresholds_per_document():
    good = [KindScore.from_counts(k, 10, 0, 0) for k in scoring.THRESHOLDS]
    weak = [KindScore.from_counts("indicators", 9, 1, 1)]  # F1 0.9 < 0.95
    report = EvalReport([DocResult("g1.json", "a.txt", good), DocResult("g2.json", "b.txt", weak)])
    assert not report.ok()
    assert report.failures() == ["b.txt: indicators 0.900 < 0.95"]
    assert report.ok({"indicators": 0.9})
    assert "0.900 *" in report.format_table()
    assert not EvalReport().ok()


def test_find_shared_honours_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETKG_SHARED", str(tmp_path))
    assert find_shared() == tmp_path
    monkeypatch.delenv("BUDGETKG_SHARED")
    (tmp_path / "shared" / "seeds").mkdir(parents=True)
    (tmp_path / "repo" / "tests").mkdir(parents=True)
    assert find_shared(tmp_path / "repo" / "tests") == tmp_path / "shared"

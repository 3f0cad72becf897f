"""Each line of the 部门 expenditure table against the same line of the 一般公共预算 table: equal in a column whose
合计 is the same in both tables, else 部门 ≥ 一般公共预算; the tolerance is the printed precision (元 vs 万元)."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.pipeline import extract

AUDIT = Path(__file__).resolve().parents[1] / "fixtures" / "audit"
RULES = ("department_line_vs_gpb", "department_line_below_gpb")

# the 卫生健康 rows of the 2025 budget fixture (表3 部门支出总表 in 元 here, 表5 一般公共预算支出表 in 万元)
DEPARTMENT = [
    "2025 年部门支出总表（表 3）",
    "金额单位：元",
    "科目编码\t科目名称\t合计\t基本支出\t项目支出",
    "\t合计\t{total}\t299,000.00\t{project}",
    "210\t卫生健康支出\t{total}\t299,000.00\t{project}",
    "21011\t行政事业单位医疗\t{total}\t299,000.00\t{project}",
    "2101101\t行政单位医疗\t{first}\t{first}\t",
    "2101102\t事业单位医疗\t{second}\t{second_basic}\t{project}",
]
GPB = [
    "2025 年一般公共预算支出表（分功能科目）（表 5）",
    "金额单位：万元",
    "科目编码\t科目名称\t合计\t基本支出\t项目支出",
    "\t合计\t29.90\t29.90\t",
    "210\t卫生健康支出\t29.90\t29.90\t",
    "21011\t行政事业单位医疗\t29.90\t29.90\t",
    "2101101\t行政单位医疗\t11.70\t11.70\t",
    "2101102\t事业单位医疗\t18.20\t18.20\t",
]


def document(tmp_path, first: str, project: str = "") -> list:
    """The two tables, 2101101 printed as ``first`` 元 in the 部门 table (2101102 takes the rest of 299,000.00
    元 basic, plus ``project`` 元 of 项目支出 from another source)."""
    basic = Decimal(first.replace(",", ""))
    extra = Decimal(project.replace(",", "") or 0)
    fmt = lambda d: f"{d:,.2f}"  # noqa: E731
    second_basic = Decimal(299000) - basic
    values = dict(total=fmt(Decimal(299000) + extra), project=project, first=first,
                  second=fmt(second_basic + extra), second_basic=fmt(second_basic))
    text = ["某区政务服务和大数据管理局 2025 年部门预算", ""]
    text += [line.format(**values) for line in DEPARTMENT] + [""] + GPB
    path = tmp_path / "doc.txt"
    path.write_text("\n".join(text), encoding="utf-8")
    return [c for c in extract(path).checks if c.rule in RULES]


def failed(checks) -> list[tuple[str, str, Decimal, Decimal]]:
    return [(c.rule, c.left.label, c.left.amount, c.right.amount) for c in checks if not c.passed]


def test_equal_totals_require_equal_lines_within_the_printed_precision(tmp_path):
    # 117,049.99 元 = 11.704999 万元: within half a unit of 11.70's last digit (0.005 万元)
    checks = document(tmp_path, "117,049.99")
    assert {c.rule for c in checks} == {"department_line_vs_gpb"} and not failed(checks)
    assert all(c.tolerance == Decimal("0.005") for c in checks)
    # 117,051.00 元 = 11.7051 万元: beyond it, both lines differ (2101102 takes the rest)
    assert failed(document(tmp_path, "117,051.00")) == [
        ("department_line_vs_gpb", "2101101 合计", Decimal("11.7051"), Decimal("11.70")),
        ("department_line_vs_gpb", "2101102 合计", Decimal("18.1949"), Decimal("18.20")),
        ("department_line_vs_gpb", "2101101 基本支出", Decimal("11.7051"), Decimal("11.70")),
        ("department_line_vs_gpb", "2101102 基本支出", Decimal("18.1949"), Decimal("18.20")),
    ]


def test_other_sources_allow_a_larger_department_line_never_a_smaller_one(tmp_path):
    # 20,000.00 元 of 项目支出 from another source: the 合计 column differs, its lines need only be ≥
    checks = document(tmp_path, "116,950.00", project="20,000.00")  # 11.695 万元 = 11.70 − 0.005
    totals = [c for c in checks if c.left.label.endswith("合计")]
    assert {c.rule for c in totals} == {"department_line_below_gpb"} and all(c.passed for c in totals)
    low = failed(document(tmp_path, "116,949.00", project="20,000.00"))  # 11.6949 万元: below by more
    assert ("department_line_below_gpb", "2101101 合计", Decimal("11.6949"), Decimal("11.70")) in low
    # the 基本支出 column still agrees in its 合计, so its lines must be equal
    assert ("department_line_vs_gpb", "2101101 基本支出", Decimal("11.6949"), Decimal("11.70")) in low


@pytest.mark.parametrize("name, ids", [("caidian_data_2025_budget", ("A03", "A04")),
                                       ("xinzhou_cdc_2024_unit_final", ("B03", "B04"))])
def test_swapped_lines_of_the_seeded_fixtures(name, ids):
    errors = {e["id"]: e for e in json.loads((AUDIT / f"{name}.seeded.json").read_text(encoding="utf-8"))["errors"]}
    checks = [c for c in extract(AUDIT / f"{name}.seeded.txt").checks if c.rule in RULES and not c.passed]
    for seeded in ids:
        error = errors[seeded]
        hits = [c for c in checks if c.left.provenance.line in error["lines"]
                and c.right.provenance.line in error["compared_lines"]]
        assert hits, seeded
        basic = next(c for c in hits if c.left.label.endswith("基本支出"))
        assert basic.rule == "department_line_vs_gpb"
        assert basic.left.amount == Decimal(error["printed"]) and basic.right.amount == Decimal(error["expected"])
    clean = extract(AUDIT / f"{name}.txt").checks
    assert [c for c in clean if c.rule in RULES] and all(c.passed for c in clean if c.rule in RULES)

"""The 基本支出表's 人员经费 / 公用经费 columns: 基本支出 = 人员经费 + 公用经费 on every row, 人员经费 = 301 + 303 and
公用经费 = 302 + 310 (+ 399) on the 合计 row; tolerances on both sides of the printed precision."""

from decimal import Decimal

from ingest.pipeline import extract

RULES = ("personnel_plus_public", "personnel_public_classes")

# the 2025 budget fixture's 表7 (tests/fixtures/audit/caidian_data_2025_budget.txt), 302 shortened to two 款
BASIC = [
    "某区政务服务和大数据局 2025 年一般公共预算基本支出表（表 7）",
    "金额单位：万元",
    "经济科目编码\t经济科目名称\t基本支出预算金额\t人员经费\t公用经费",
    "合计\t\t{total}\t{personnel}\t{public}",
    "301\t工资福利支出\t547.67\t547.67\t",
    "30101\t基本工资\t158.70\t158.70\t",
    "30102\t津贴补贴\t388.97\t388.97\t",
    "302\t商品和服务支出\t22.00\t\t22.00",
    "30201\t办公费\t20.00\t\t{office}",
    "30205\t水费\t2.00\t\t2.00",
    "303\t对个人和家庭的补助\t6.30\t6.30\t",
    "30302\t退休费\t6.30\t6.30\t",
]


def run(tmp_path, office="20.00", total="575.97", personnel="553.97", public="22.00"):
    text = ["某区政务服务和大数据管理局 2025 年部门预算", "", *(
        line.format(office=office, total=total, personnel=personnel, public=public) for line in BASIC)]
    path = tmp_path / "doc.txt"
    path.write_text("\n".join(text), encoding="utf-8")
    return [c for c in extract(path).checks if c.rule in RULES]


def test_a_consistent_table_passes_both_rules(tmp_path):
    checks = run(tmp_path)
    assert {c.rule for c in checks} == set(RULES) and all(c.passed for c in checks)
    classes = {c.left.label: c.right for c in checks if c.rule == "personnel_public_classes"}
    assert classes["合计行 人员经费"].amount == Decimal("553.97") and classes["合计行 人员经费"].label == "301、303 之和"
    assert classes["合计行 公用经费"].amount == Decimal("22.00")


def test_a_cell_beside_its_basic_figure_is_compared_without_slack(tmp_path):
    (row,) = [c for c in run(tmp_path, office="20.01") if not c.passed]  # one part printed: tolerance 0
    assert row.rule == "personnel_plus_public" and row.tolerance == 0
    assert (row.left.label, row.left.amount, row.right.amount) == ("30201 合计", Decimal("20.00"), Decimal("20.01"))


def test_the_total_row_adds_its_two_parts_within_their_rounding(tmp_path):
    # 合计 575.97 against 553.97 + 22.01: half a unit of each of three printed figures (0.015)
    assert all(c.passed for c in run(tmp_path, total="575.98") if c.left.label == "合计行")
    (total,) = [c for c in run(tmp_path, total="576.00") if not c.passed and c.left.label == "合计行"]
    assert total.tolerance == Decimal("0.015") and total.right.amount == Decimal("575.97")


def test_the_personnel_total_is_301_plus_303(tmp_path):
    failed = [c for c in run(tmp_path, total="576.07", personnel="554.07") if not c.passed]
    (classes,) = [c for c in failed if c.rule == "personnel_public_classes"]
    assert classes.left.amount == Decimal("554.07") and classes.right.amount == Decimal("553.97")
    assert [t.provenance.line for t in classes.right.terms] == [7, 13]  # the 301 and 303 rows

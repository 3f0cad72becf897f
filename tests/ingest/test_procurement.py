"""政府采购 tables by column meaning: a 决算 情况表 whose amount column is 采购支出合计, split by kind."""

from decimal import Decimal

from table_helpers import parse_lines


def test_procurement_final_account_by_kind_of_purchase():
    """单位名称 | 采购支出合计 | 货物 | 工程 | 服务: the 合计 column is the amount, the 合计 row the total;
    rows of units without a project or item are aggregates, not purchases."""
    ctx = parse_lines([
        "政府采购情况表",
        "单位：万元",
        "单位名称\t采购支出合计\t货物\t工程\t服务",
        "合计\t71.80\t32.00\t\t39.80",
        "某市公证处\t32.00\t32.00\t\t",
        "某市社区矫正指导中心\t39.80\t\t\t39.80",
    ], ("procurement",))
    assert ctx.totals["government_procurement_total"].amount == Decimal("71.80")
    assert ctx.procurement == [] and ctx.findings == []


def test_a_project_name_carrying_its_code_is_mentioned_as_name_and_code():
    ctx = parse_lines([
        "政府采购预算表",
        "单位：万元",
        "项目名称\t采购品目\t采购类别\t数量\t预算金额",
        "合计\t\t\t\t72.50",
        "卫生应急物资储备经费T000000018\t医用防护用品及消杀物资\t货物\t1批\t72.50",
    ], ("procurement",))
    assert [(r.project_name, r.item, r.quantity, r.amount) for r in ctx.procurement] == [
        ("卫生应急物资储备经费", "医用防护用品及消杀物资", "1批", Decimal("72.50"))]
    assert [(m.project.name, m.project.code, m.project.amount) for m in ctx.mentions] == [
        ("卫生应急物资储备经费", "T000000018", None)]

"""The rules of the reconciliation: each check's equality (``reconcile.level_sum`` …, families table_arithmetic,
cross_table, narrative) and how a table's reading was chosen (family reading), with their Chinese templates.

A check's template has the fields of :func:`ingest.rules.check_fields`; its difference and tolerance follow,
then which side to suspect (``culprit``: the check's param, empty where it names none).
"""

from __future__ import annotations

from ..records import Rule

_DIFFERENCE = "（相差 {difference} 万元，容差 {tolerance} 万元）"
_HALF_UNIT = "两数各自末位有效数字的半个单位之和（元表换算为万元）"
_EXACT = "两表所印数字应完全相同（容差为两数末位半个单位之和）"


def _check(rule: str, family: str, template: str, tolerance: str = _HALF_UNIT) -> Rule:
    return Rule(f"reconcile.{rule}", family, "warning", template + _DIFFERENCE + "{culprit}", tolerance)


def _reading(rule: str, template: str) -> Rule:
    return Rule(rule if rule.startswith("column_role") else f"reconcile.{rule}", "reading", "warning", template)


RULES: tuple[Rule, ...] = (
    _check("level_sum", "table_arithmetic",
           "{table}：{left} {left_amount} 万元，不等于其下一级科目之和 {right_amount} 万元"),
    _check("table_total", "table_arithmetic",
           "{table}：合计 {left_amount} 万元，不等于各顶层科目之和 {right_amount} 万元"),
    _check("column_total", "table_arithmetic",
           "{table}：合计行的 {left} {left_amount} 万元，不等于各顶层科目该栏之和 {right_amount} 万元"),
    # used to confirm a column's income role (ingest/reconcile/similar_columns.py); a template all the same
    _check("income_parts", "table_arithmetic",
           "{table}：{left} {left_amount} 万元，不等于上年结转与各项收入之和 {right_amount} 万元"),
    _check("basic_plus_project", "table_arithmetic",
           "{table}：{left} {left_amount} 万元，不等于基本支出与项目支出之和 {right_amount} 万元"),
    _check("personnel_plus_public", "table_arithmetic",
           "{table}：{left} {left_amount} 万元，不等于人员经费与公用经费之和 {right_amount} 万元",
           "两栏都印出时为各数末位半个单位之和；只印出一栏时该数应与基本支出完全相同"),
    _check("personnel_public_classes", "table_arithmetic",
           "{table}：{left} {left_amount} 万元，不等于对应经济分类类级科目（{right}）{right_amount} 万元",
           "各数末位半个单位之和；只有一个类级科目时两数应完全相同"),
    _check("summary_balance", "table_arithmetic",
           "{table} 收支不平衡：收入总计 {left_amount} 万元，支出总计 {right_amount} 万元"),
    _check("fiscal_summary_balance", "table_arithmetic",
           "财政拨款收支总表收支不平衡：收入总计 {left_amount} 万元，支出总计 {right_amount} 万元"),
    _check("side_lines", "table_arithmetic",
           "{table}：{left} {left_amount} 万元，不等于其上各项之和 {right_amount} 万元"),
    _check("side_total", "table_arithmetic",
           "{table}：{left} {left_amount} 万元，不等于本年合计与结转各项之和 {right_amount} 万元"),
    _check("three_public_parts", "table_arithmetic",
           "“三公”经费合计 {left_amount} 万元，不等于因公出国（境）、公务用车购置及运行、公务接待之和 "
           "{right_amount} 万元"),
    _check("line_across_tables", "cross_table",
           "同一科目两表金额不同：{table} 为 {left_amount} 万元，{right_table} 为 {right_amount} 万元", _EXACT),
    _check("department_line_vs_gpb", "cross_table",
           "{table} {left} {left_amount} 万元，与{right_table}同一科目 {right_amount} 万元不一致", _EXACT),
    _check("department_line_below_gpb", "cross_table",
           "{table} {left} {left_amount} 万元，小于{right_table}同一科目 {right_amount} 万元",
           "部门支出不小于一般公共预算支出，容差为两数末位半个单位之和"),
    _check("expenditure_vs_summary", "cross_table",
           "{table} 合计 {left_amount} 万元，与收支总表本年支出 {right_amount} 万元不一致"),
    _check("income_vs_summary", "cross_table",
           "{table} 合计 {left_amount} 万元，与收支总表收入 {right_amount} 万元不一致"),
    _check("gpb_vs_fiscal_summary", "cross_table",
           "{table} 合计 {left_amount} 万元，与财政拨款收支总表一般公共预算支出 {right_amount} 万元不一致"),
    _check("gov_fund_vs_fiscal_summary", "cross_table",
           "{table} 合计 {left_amount} 万元，与财政拨款收支总表政府性基金预算支出 {right_amount} 万元不一致"),
    _check("state_capital_vs_fiscal_summary", "cross_table",
           "{table} 合计 {left_amount} 万元，与财政拨款收支总表国有资本经营预算支出 {right_amount} 万元不一致"),
    _check("summary_line", "cross_table",
           "{left} {left_amount} 万元，与{right_table}中该类合计 {right_amount} 万元不一致"),
    _check("basic_vs_economic", "cross_table",
           "{table} 合计 {left_amount} 万元，与{right_table}的基本支出 {right_amount} 万元不一致"),
    _check("projects_vs_project_expenditure", "cross_table",
           "项目支出表各项目金额之和 {left_amount} 万元，与{right_table}的项目支出 {right_amount} 万元不一致"),
    _check("narrative_vs_table", "narrative",
           "文字说明所述 {left_amount} 万元（{left}），与{right_table}所列 {right_amount} 万元不一致",
           "文字所印数字末位的半个单位加表中数字末位的半个单位（元表换算为万元）"),
    # how a table was read
    _reading("total_column", "{table}（合计栏按核对选定）：{what}"),
    _reading("code_repaired", "{table}（编码已修复）：{note}"),
    _reading("code_unrepairable", "{table}（编码无法修复）：{note}"),
    _reading("scope", "{table}：{lines} 行按一般公共预算支出读取，而非部门支出；部门支出取自{department}（{why}）"),
    _reading("department_totals", "基本支出、项目支出取自部门支出表{department}"),
    # a warning where a repair is taken; an info where the checks confirm the table as printed
    _reading("reading", "{table}{page}：按“{chosen}”读取；{why}"),
    _reading("title_row", "“{title}”（{where}）印在{before}的表格内且不是已知表名：{what}；{why}"),
    _reading("column_role_similarity_failed", "{table}{where}：相似度计算失败（{detail}），按措辞读取各栏"),
    _reading("column_role_by_similarity", "{table}{where}：第 {column} 栏“{label}”按相似度 {score} 读作“{role}”"
                                          "（最接近“{nearest}”，领先 {margin}）{why}"),
    _reading("column_role_similarity_refused", "{table}{where}：第 {column} 栏“{label}”与“{role}”相似度 {score}"
                                               "（最接近“{nearest}”，领先 {margin}），未采用：{why}"),
)

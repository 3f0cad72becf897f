"""The rules of reading tables (family reading): a repair the grid reader made, a cell or a column that could
not be read, a table without what its kind must have; each with its Chinese template.
"""

from __future__ import annotations

from ..records import Rule


def _rule(rule: str, template: str, severity: str = "warning") -> Rule:
    return Rule(rule, "reading", severity, template)


RULES: tuple[Rule, ...] = (
    # the grid (ingest.tables.grid)
    _rule("grid_repeated_header", "{table}：表头在表内再次印出（分页），未作为数据行读取", "info"),
    _rule("grid_spacer_columns", "{table}：第 {columns} 栏在每一行都为空，已略去", "info"),
    _rule("grid_short_row", "{table}：该行只有 {cells} 个单元格而表格有 {width} 栏，金额按“{reading}”放入金额栏"),
    _rule("malformed_amount", "{table}：第 {column} 栏“{text}”不是金额，未读入"),
    # classification tables (ingest.tables.classification)
    _rule("table_header_missing", "{table}：未找到表头行，按位置读取编码、名称和合计"),
    _rule("row_without_code", "{table}：该行没有科目编码，未读入"),
    _rule("unexpected_code", "{table}：编码 {code} 既不是功能分类科目编码，也不是单位编码，未读入"),
    _rule("unexpected_economic_codes", "{table}：{count} 行的编码不是经济分类科目编码，未读入"),
    # totals of the summary tables (ingest.tables.summary)
    _rule("total_missing", "{table}：未找到“{label}”行，该合计未读入"),
    # procurement (ingest.tables.procurement)
    _rule("procurement.no_amount", "{table}：没有金额栏，各行金额未读入"),
    # the project table (ingest.tables.projects)
    _rule("projects.no_header", "{table}：项目表没有“项目名称”栏，未读入"),
    _rule("projects.no_amount", "{table}：项目表没有金额栏，未读入"),
    _rule("projects.missing_amount", "{table}：项目“{name}”所在行没有金额（可能被截断），未读入"),
    _rule("projects.unit_row", "{table}：“{name}”是单位行（其金额 {amount} 万元等于其下 {count} 行之和），不是项目"),
    _rule("projects.bad_amount", "{table}：“{text}”不是金额，未读入"),
    _rule("projects.functional_code_mismatch",
          "{table}：项目表的“科目编码”与“科目名称”不一致（栏位错开），科目编码未读入"),
    _rule("projects.functional_code_unknown",
          "{table}：功能科目编码 {codes} 不在本文件的功能分类表中（{projects}），未读入"),
    # project forms and write-ups (ingest.tables.forms, ingest.tables.writeup)
    _rule("form.no_name", "{table}：项目表单没有“项目名称”，未读入"),
    _rule("form.bad_amount", "{table}：“{text}”不是金额，未读入"),
    _rule("writeup.no_name", "{table}：项目说明没有写明项目名称，未读入"),
    # the department's performance forms (ingest.tables.performance)
    _rule("dept_performance.no_amount", "{table}：项目“{name}”列出时没有金额"),
)

"""政府采购 and 政府购买服务 tables: one :class:`ProcurementRow` per detail row.

Columns by header meaning: 单位名称, 项目名称, the item (采购品目 / 购买服务内容,
not its 编码), 采购数量, and the amount (the 资金来源 / 采购支出总额 / 采购支出合计 group's 总计/合计, or a
金额 column; never the 授予中小企业 part).  The 合计 row gives the table's total; the department's own
aggregate row (no project, no item) is skipped.  Every named project is also
mentioned to the alias merger, with no amount (a procurement amount is not the
project's amount).
"""

from __future__ import annotations

import re

from ..context import Context
from ..layout import Block
from ..normalise import squash
from ..records import ProcurementRow, Project
from ..sections import table_unit
from .grid import (
    Grid, amount_sum, find_columns, group_columns, is_continuation, is_total_label, join_wrapped, read_grid,
)
from .projects import name_and_code

# a figure that is part of the total: 其中 / 授予中小企业合同金额 / 预留份额
PART_OF_TOTAL = r"其中|中小企业|小微企业|授予|预留"


def _amount_cols(grid: Grid) -> list[int]:
    """The amount column: the total of the 资金来源 / 采购金额 / 采购支出总额(合计) group, else the first
    金额/总额/总计/合计 column; never a figure that is part of the total (中小企业 合同金额)."""
    paths = [p if not re.search(PART_OF_TOTAL, "/".join(p)) else () for p in grid.paths]
    cols = group_columns(paths, r"^资金来源|^预算金额|^采购预算|^金额|^(政府)?采购(支出|预算)?(总额|金额|合计|总计)")
    if cols:
        return cols
    col = next(iter(find_columns(paths, r"^(总计|合计)|金额|总额", exclude=r"编码|名称")), None)
    return [col] if col is not None else []


def _parse(block: Block, ctx: Context, kind: str, item_header: str, total_key: str) -> None:
    grid = read_grid(block)
    unit = table_unit(block)
    title = block.title
    unit_col = grid.column(r"单位名称")
    project_col = grid.column(r"项目名称")
    item_col = grid.column(item_header, exclude=r"编码|代码")
    qty_col = grid.column(r"数量")
    amount_cols = _amount_cols(grid)
    code_cols = grid.columns(r"编码|代码")
    if not amount_cols:
        ctx.warn("procurement.no_amount", ctx.prov(block.lines[0], table=title), table=title)
    rows = join_wrapped(grid.body, lambda r: is_continuation(r.cells, code_cols))
    for row in rows:
        prov = ctx.prov(row.line, table=title, row=row.index)
        value = amount_sum(ctx, row, amount_cols, unit, title)
        if any(is_total_label(c) for c in row.cells[:4]):
            ctx.set_total(total_key, value, prov)
            continue
        project, code = name_and_code(row.cell(project_col))  # …经费T000000013: the name and its code
        project = project or None
        item = squash(row.cell(item_col)) or None
        if project is None and item is None:
            continue  # the department's or a unit's aggregate row
        qty = squash(row.cell(qty_col)) or None
        ctx.procurement.append(ProcurementRow(kind, squash(row.cell(unit_col)) or None, project, item, value,
                                              qty, prov))
        if project:
            ctx.mention("procurement", Project(name=project, code=code, amount=None,
                                               unit=squash(row.cell(unit_col)) or None, provenance=prov))


def parse_procurement(block: Block, ctx: Context) -> None:
    """Rows of the 政府采购(预算)表; total ``government_procurement_total``."""
    _parse(block, ctx, "procurement", r"品目|采购内容|采购项目", "government_procurement_total")


def parse_purchased_service(block: Block, ctx: Context) -> None:
    """Rows of the 政府购买服务(支出)表; total ``government_purchase_services_total``."""
    _parse(block, ctx, "purchased_service", r"服务内容|购买内容|服务项目", "government_purchase_services_total")

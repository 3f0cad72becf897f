"""Totals stated in the narrative that the tables did not give (部门收支总预算…万元, “三公”经费…)."""

from __future__ import annotations

import re
from decimal import Decimal

from ..context import Context
from ..normalise import fold_width, squash
from ..numbers import to_wan
from ..paragraphs import all_paragraphs


_AMT = r"(?:为|是|共计|合计|总计)?(?P<amt>\d[\d,]*(?:\.\d+)?)(?P<unit>万元|万|亿元|元)"
TOTAL_PATTERNS: list[tuple[str, re.Pattern]] = [
    (key, re.compile(p + _AMT)) for key, p in [
        ("income_total", r"部门收支总(?:预算|决算)"),
        ("income_total", r"部门收入(?:预算|决算)"),
        ("income_total", r"(?<!拨款)收入总计"),
        ("income_total", r"收、?支总计各?"),
        ("expenditure_total", r"部门收支总(?:预算|决算)"),
        ("expenditure_total", r"部门支出(?:预算|决算)"),
        ("expenditure_total", r"(?<!拨款)支出总计"),
        ("expenditure_total", r"收、?支总计各?"),
        ("basic_expenditure", r"部门支出(?:预算|决算)[^。]*?基本支出(?:预算|决算)?"),
        ("basic_expenditure", r"支出包括[:：]?基本支出"),
        ("project_expenditure", r"部门支出(?:预算|决算)[^。]*?项目支出(?:预算|决算)?"),
        ("project_expenditure", r"支出包括[:：]?[^。]*?项目支出"),
        ("three_public_total", r"“?三公”?经费(?:财政拨款)?(?:支出)?(?:预算|决算)?数?"),
        ("org_running_cost", r"机关运行经费(?:支出)?(?:预算|决算)?数?"),
        ("government_procurement_total", r"政府采购(?:支出|预算)?(?:预算|决算)?(?:总额|金额|合计)"),
        ("government_purchase_services_total", r"政府购买服务(?:支出)?(?:预算|决算)?(?:总额|金额|合计)?"),
    ]
]


def prose_totals(ctx: Context) -> None:
    """Totals the tables did not give, read from the narrative (the first statement of each wins)."""
    paras = all_paragraphs(ctx)
    for key, pattern in TOTAL_PATTERNS:
        if key in ctx.totals:
            continue
        for para in paras:
            m = pattern.search(squash(fold_width(para.text)))
            if m:
                amount = to_wan(Decimal(m["amt"].replace(",", "")), m["unit"])
                ctx.set_total(key, amount, ctx.prov(para.first, table=para.heading))
                break

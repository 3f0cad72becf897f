"""What a row of a 收支总表 states, by the label printed on it: the canonical row labels with their wordings.

A 收支总表 (and a 财政拨款收支总表) is a label/amount table with an income side and an expenditure side.  Its
figures are found by the label of their row (numbering such as ``一、`` stripped), on a side (``income`` |
``expenditure`` | ``any``), never by a row's position.  A :class:`RowLabel` lists its wordings in the order they
are tried: ``收入总计`` on the income side, else the income side's ``总计``.  Both the summary parsers
(:mod:`ingest.tables.summary`) and the reconciliation (:mod:`ingest.reconcile.stated`) look labels up here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RowLabel:
    """A figure a summary table states on a row of its own: its key and ``(wording, side)`` in the order tried."""

    key: str
    wordings: tuple[tuple[re.Pattern, str], ...]


def _label(key: str, *wordings: tuple[str, str]) -> RowLabel:
    return RowLabel(key, tuple((re.compile(w), side) for w, side in wordings))


INCOME_TOTAL = _label("income_total", (r"^收入总计$", "income"), (r"^总计$", "income"))
EXPENDITURE_TOTAL = _label("expenditure_total", (r"^支出总计$", "expenditure"), (r"^支出总计$", "any"),
                           (r"^总计$", "expenditure"))
CARRYOVER_IN = _label("carryover_from_last_year", (r"^(上年结转|年初结转)", "income"))
# 本年收入合计, or 一、本年收入 heading the year's lines (its amount is their sum); likewise for 支出
THIS_YEAR_INCOME = _label("current_year_income", (r"^(本年)?收入合计$|^本年收入$", "income"))
SPENT_THIS_YEAR = _label("current_year_expenditure", (r"^(本年)?支出合计$|^本年支出$", "expenditure"))
# the income side's line of each 财政拨款 source (the 财政拨款收支总表)
GENERAL_PUBLIC_INCOME = _label("general_public_income", (r"^一般公共预算", "income"))
GOV_FUND_INCOME = _label("gov_fund_income", (r"^政府性基金", "income"))
STATE_CAPITAL_INCOME = _label("state_capital_income", (r"^国有资本经营", "income"))

# The lines a side of a 收支总表 adds to its year's total to make its 总计, beside the year's own lines (决算:
# 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余 = 收入总计, 本年支出合计 + 结余分配 + 年末结转和结余 =
# 支出总计; 预算: + 上年结转 / + 结转下年).  Matched on the label with its numbering stripped.
BROUGHT_FORWARD = _label("brought_forward", (r"^(上年|年初)(财政拨款)?结转(和|及)?(结余)?$", "income"))
RESERVES_USED = _label("reserves_used", (r"^(用事业基金弥补收支差额|使用非财政拨款结余|使用专用结余|使用事业基金)", "income"))
SURPLUS_DISTRIBUTION = _label("surplus_distribution", (r"^结余分配$", "expenditure"))
CARRIED_FORWARD = _label("carried_forward",
                         (r"^(年末|年终)(财政拨款)?结转(和|及)?(结余)?$|^结转下年(度)?$", "expenditure"))
SIDE_TOTAL_TERMS = {"income": (BROUGHT_FORWARD, RESERVES_USED), "expenditure": (SURPLUS_DISTRIBUTION, CARRIED_FORWARD)}
# a line under such a term that breaks it down (by source of funds, 基本/项目, 经营结余): a part of the term above
TERM_BREAKDOWN = _label("term_breakdown", (r"^(一般公共预算|政府性基金|国有资本经营|财政拨款|非财政拨款|基本支出|项目支出|"
                                           r"经营结余|其他结转|其他结余)", "any"))

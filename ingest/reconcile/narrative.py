"""The totals the narrative states (收支总预算, 基本支出, 项目支出, “三公”经费 …) checked against the figure the
tables give for the same key (``narrative_vs_table``).

Each statement is read with the wordings of :mod:`ingest.document.totals`; its figure keeps the digits it is
printed with (``1,096.50万元``: half a 0.01 万元 step of tolerance).  A total the tables did not give (one read
from the narrative itself) is not checked against itself.  A failed check blames the document where the
table figure is confirmed by another check that passed.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..context import Context
from ..document.totals import TOTAL_PATTERNS
from ..normalise import fold_width, squash
from ..numbers import to_wan
from ..paragraphs import all_paragraphs, narrative_blocks
from ..records import BUDGET, FINAL_ACCOUNT, Check, Figure, Provenance
from ..tables.three_public import document_period
from ..vocabulary.row_labels import SPENT_THIS_YEAR, THIS_YEAR_INCOME
from .checks import compare
from .stated import label_figure, stated_total


def _where(prov: Provenance | None) -> tuple[str | None, int | None, int | None] | None:
    return (prov.source, prov.page, prov.line) if prov is not None else None


def _narrative_lines(ctx: Context) -> set:
    return {(ln.source, ln.page, ln.no) for block in narrative_blocks(ctx) for ln in block.lines}


# a statement naming only the other phase's figure (a 决算's 预算数, a 预算's 上年决算数) is not the key's
_OTHER_PHASE = {FINAL_ACCOUNT: ("预算", "决算"), BUDGET: ("决算", "预算")}


# the department's own totals; a statement of them in a paragraph about the 财政拨款 (一般公共预算 …) scope
# (``财政拨款收支总预算…。支出包括：基本支出…``) speaks of that scope's figures, not the department's
_DEPARTMENT_KEYS = ("income_total", "expenditure_total", "basic_expenditure", "project_expenditure")
FISCAL_SCOPE = re.compile(r"财政拨款|一般公共预算|政府性基金|国有资本经营")


def _other_scope(key: str, before: str) -> bool:
    return key in _DEPARTMENT_KEYS and bool(FISCAL_SCOPE.search(before))


def other_phase(words: str, phase: str | None) -> bool:
    other, own = _OTHER_PHASE.get(phase, ("", ""))
    return bool(other) and other in words and own not in words


def narrative_figures(ctx: Context) -> list[tuple[str, Figure]]:
    """``(key, figure)`` for every total a narrative paragraph states of the document's phase, in order."""
    phase = document_period(ctx).phase
    out = []
    for para in all_paragraphs(ctx):
        text = squash(fold_width(para.text))
        prov = ctx.prov(para.first, table=para.heading)
        seen: set[tuple[str, int]] = set()
        for key, pattern in TOTAL_PATTERNS:
            for m in pattern.finditer(text):
                if (key, m.start("amt")) in seen:
                    continue
                seen.add((key, m.start("amt")))
                if other_phase(m[0], phase) or _other_scope(key, text[: m.start("amt")]):
                    continue
                printed = m["amt"].replace(",", "")
                places = len(printed.split(".", 1)[1]) if "." in printed else 0
                amount = to_wan(Decimal(printed), m["unit"])
                step = to_wan(Decimal(1).scaleb(-places), m["unit"])
                words = m[0] if len(m[0]) <= 30 else "…" + m[0][-24:]
                out.append((key, Figure(amount, step, f"“{words}”", prov)))
    return out


def _this_year(ctx: Context, key: str) -> Figure | None:
    """The 收支总表's 本年收入合计 / 本年支出合计, which a narrative not saying 总计 may state for the total."""
    if key == "income_total":
        return label_figure(ctx, "summary", THIS_YEAR_INCOME, "收支总表 本年收入合计")
    if key == "expenditure_total":
        return label_figure(ctx, "summary", SPENT_THIS_YEAR, "收支总表 本年支出合计")
    return None


def narrative_checks(ctx: Context, passed: list[Check]) -> list[Check]:
    """One check per narrative statement of a total the tables give; ``passed`` are the document's other
    checks, which tell whether the table figure is confirmed."""
    prose = _narrative_lines(ctx)
    out = []
    for key, figure in narrative_figures(ctx):
        total = ctx.totals.get(key)
        if total is None or total.amount is None or _where(total.provenance) in prose:
            continue
        table = stated_total(ctx, key, f"{key} in {total.provenance.table if total.provenance else 'the tables'}")
        if table is None:
            continue
        this_year = _this_year(ctx, key) if "总计" not in figure.label else None
        if this_year is not None and compare("", figure, this_year, "").passed:
            table = this_year  # 部门支出决算1,783.69万元: the year's spending, without 年末结转和结余
        confirmed = sorted({c.rule for c in passed if c.passed and any(
            _where(f.provenance) == _where(table.provenance) for f in (c.left, c.right))})
        culprit = ("可能是文件本身的问题：表中数字已由其他核对证实（" + "、".join(confirmed) + "）" if confirmed
                   else "文字说明或表格的读取有误")
        out.append(compare("narrative_vs_table", figure, table, f"{key}: narrative vs tables", culprit))
    return out

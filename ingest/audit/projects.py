"""Project-level consistency (issue 14): each project's amounts, codes, names, indicators and 测算 arithmetic.

Amounts: the project table's amount against its form's 项目当年预算 (and 项目总预算 of a one-year project),
the sum of the form's 资金来源 and of its 项目活动 against the form's own 当年预算, the form's 项目采购 against
the 政府采购 table rows for the project, procurement (either's) that exceeds the project's or an activity's
money, a 决算 自评表's 全年执行数 against the 项目支出决算表's, an amount another place (the narrative, the 部门整体
form) gives the same project, and the 部门整体 form's 收入构成 against the 收支总表's income lines.
Codes: one code on two projects, a code whose length differs from the document's others.  Names: a form that names its project
otherwise than the table, where code or amount show it is the same project; an activity named after
another project, a 申请理由 / 主要内容 copied from another project that names it.  Indicators: a goal whose
indicators are another goal's of the same table, an indicator filed under another category in the
long-term and the annual table, a one-year project's long-term target that is not its annual one, a
部门整体 table's value that is not the project form's, an indicator copied from another project's form (in
that project's words, none of its own).  测算: an equation printed in the 测算依据
(``a 元 × b 人 = c 万元``) recomputed.

Which mention belongs to which project is the alias merger's decision (:mod:`ingest.aliases`): a mention is
the project's when its place is among the project's places.  A figure the document does not print, a sum
over a part it could not read, says nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..aliases import Names, code_key, same_code
from ..context import Context, ProjectMention
from ..normalise import fold_brackets, fold_width, name_key, squash
from ..sections import table_unit
from ..numbers import WAN
from ..reconcile.figures import stated, tolerance, total_of
from ..reconcile.stated import block_titled, income_rows
from ..vocabulary.column_roles import NON_FISCAL_SOURCES, ColumnRole
from .growth import form_rows
from ..records import (
    ANNUAL, BUDGET, FINAL_ACCOUNT, LONG_TERM, Check, Extraction, Figure, Finding, Indicator, ProcurementRow, Project, Provenance,
    Rule, field_source,
)
from ..rules import finding

FAMILY = "project"
_ROUNDING = "半个末位单位（按各数所印位数，ingest.reconcile.figures.tolerance）"

RULES: tuple[Rule, ...] = (
    Rule("projects.form_budget", FAMILY, "warning",
         "项目“{project}”：{table}所列金额 {left_amount} 万元，与其申报表{right} {right_amount} 万元不一致",
         "两数所印位数相同则须相等，否则相差不超过较粗一数的半个末位单位；只比预算；无当年预算时，"
         "项目起止同一年度才以总预算比"),
    Rule("projects.executed_vs_table", FAMILY, "warning",
         "项目“{project}”：{table}年度资金总额全年执行数 {left_amount} 万元，与{right_table}所列全年执行数 "
         "{right_amount} 万元不一致",
         "元与万元按 1 万元 = 10000 元换算；两数所印位数相同则须相等，否则相差不超过较粗一数的半个末位单位；"
         "只比决算自评表执行数一列的年度资金总额，且其不等于各资金来源之和（等于时由 projects.funding_sum 比）"),
    Rule("projects.total_vs_current", FAMILY, "warning",
         "项目“{project}”起止同一年度，申报表项目总预算 {left_amount} 万元，与项目当年预算 {right_amount} 万元不一致",
         _ROUNDING),
    Rule("projects.funding_sum", FAMILY, "warning",
         "项目“{project}”：申报表资金来源合计 {left_amount} 万元，与{right} {right_amount} 万元不一致",
         "各来源半个末位单位之和加上对比数的半个末位单位"),
    Rule("projects.activity_sum", FAMILY, "warning",
         "项目“{project}”：申报表各项目活动金额之和 {left_amount} 万元，与{right} {right_amount} 万元不一致",
         "各活动半个末位单位之和加上对比数的半个末位单位；有一项活动未列金额则不比"),
    Rule("projects.procurement_tables", FAMILY, "warning",
         "项目“{project}”：申报表项目采购合计 {left_amount} 万元，与{right_table}所列 {right_amount} 万元不一致",
         "两边各项半个末位单位之和"),
    Rule("projects.procurement_exceeds", FAMILY, "warning",
         "项目“{project}”：{table}所列采购 {left_amount} 万元，超过项目金额 {right_amount} 万元",
         "政府采购表各行之和、申报表项目采购各行之和（合计、小计行不计），大于项目金额（申报表的当年预算，"
         "无则项目表金额）超过两边半个末位单位之和才报；有一行未列金额则不比"),
    Rule("projects.procurement_activity", FAMILY, "warning",
         "项目“{project}”：项目采购“{item}” {left_amount} 万元，超过同名项目活动“{activity}” {right_amount} 万元",
         "大于超过两数半个末位单位之和才报；采购品目只对应唯一一项同名活动时才比"),
    Rule("projects.amount_restated", FAMILY, "warning",
         "项目“{project}”：{table}所列 {left_amount} 万元，与{right_table}所列 {right_amount} 万元不一致",
         "两数所印位数相同则须相等，否则相差不超过较粗一数的半个末位单位"),
    Rule("projects.calc_equation", FAMILY, "warning",
         "项目“{project}”的测算“{equation}”：按所印各数计算为 {left_amount}，所写结果为 {right_amount}{hint}",
         "带小数的因数末位半个单位带来的相对误差之和（整数因数为准确数），加上结果的半个末位单位；元与万元按 1 万元 = 10000 元换算"),
    Rule("projects.activity_of_other_project", FAMILY, "warning",
         "项目“{project}”的项目活动名为“{activity}”，这是另一项目“{other}”的名称，不是本项目的",
         "活动名（不少于 6 字，去掉全角半角、括号、标点差异）不含于本项目的任何名称，只含于另一个项目的名称"),
    Rule("projects.text_of_other_project", FAMILY, "warning",
         "项目“{project}”的{field}“{text}”与项目“{other}”的一字不差，写的是“{words}”，不是本项目",
         "两段文字去掉全角半角、括号、标点差异后相同；文字含另一项目名称中至少 4 个相连的字，且这几个字不在本项目的"
         "任何名称中，本项目名称中也没有 4 个相连的字见于这段文字"),
    Rule("projects.duplicate_code", FAMILY, "warning",
         "项目编码 {code} 同时用于两个项目：“{first}”与“{second}”", "编码去掉空格、横线后完全相同"),
    Rule("projects.code_length", FAMILY, "warning",
         "项目“{project}”的编码 {code} 为 {length} 位，本文件其他同类编码均为 {usual} 位",
         "同一编码格式（数字、字母的排列）的编码不少于 3 个且其余长度一致时才比"),
    Rule("projects.name_differs", FAMILY, "info",
         "项目名称不一致：{table}为“{table_name}”，申报表为“{form_name}”",
         "去掉全角半角、括号、标点及年度、级别、单位名前缀后仍不同，且一方不含另一方（加限定语不算）；须编码相同或金额相同，确认是同一项目"),
    Rule("projects.goal_indicators_duplicated", FAMILY, "warning",
         "{table}：“{goal}”的 {count} 项绩效指标与“{other}”的指标相同（{indicators}）",
         "两个同类目标共有至少 3 项指标，且占较少一方指标的 80% 以上；多个目标都用的通用指标不计"),
    Rule("projects.indicator_of_other_project", FAMILY, "warning",
         "项目“{project}”的绩效指标“{indicator}”（{value}）与项目“{other}”申报表中的一字不差，"
         "而本项目申报表的文字无其字样，疑从该项目复制",
         "指标名与指标值（去掉全角半角、空白差异）相同；指标名中任何相邻两字都不见于本项目的名称、申请理由、"
         "主要内容、绩效目标、活动及其他指标，而见于另一项目的这些文字；本项目申报表须有申请理由、主要内容或"
         "绩效目标；同一指标见于三个以上项目（通用指标）的不比"),
    Rule("projects.dept_form_income", FAMILY, "warning",
         "{table}收入构成列“{source}” {left_amount} 万元，{right_table}“{line}”为 {right_amount} 万元",
         "两数所印位数相同则须相等，否则相差不超过较粗一数的半个末位单位；收支总表印出该来源一行而未填数的按 0 计；"
         "只比财政拨款以外的来源（财政专户管理资金、事业收入、经营收入、上级补助、附属单位上缴、其他收入），"
         "且表的收入合计须等于收支总表的收入总计或本年收入合计（同一范围）"),
    Rule("projects.indicator_value", FAMILY, "warning",
         "{table}“{goal}”的指标“{indicator}”为 {left_amount}，项目“{project}”申报表中同一指标为 {right_amount}",
         "同一单位、同类目标（长期/年度）中名称相同、计量单位相同的指标，数值须相等（所印位数相同则不容差）"),
    Rule("projects.indicator_target", FAMILY, "warning",
         "项目“{project}”起止同一年度，指标“{indicator}”长期目标为 {left_amount}，年度目标为 {right_amount}",
         "计量单位相同（“每年”“/年”不计，万、千折算）的数须相等；标“左右”“约”的数容许相差 10%"),
    Rule("projects.indicator_category", FAMILY, "warning",
         "项目“{project}”的指标“{indicator}”：长期目标表列为{long_term}，年度目标表列为{annual}",
         "同一项目长期、年度两表中名称相同且各只出现一次的指标"),
)


def audit(ctx: Context, ex: Extraction) -> Iterator[Check | Finding]:
    """Every project-level check and finding of ``ex``."""
    for p in ex.projects:
        yield from _amount_checks(ctx, ex, p)
        yield from calc_checks(p)
        yield from _indicator_categories(p)
        yield from _one_year_targets(p)
    yield from _restated_amounts(ctx, ex)
    yield from _executed_amounts(ctx, ex)
    yield from _code_findings(ex.projects)
    yield from _name_findings(ctx, ex)
    yield from _activities_of_other_projects(ex.projects)
    yield from _indicators_of_other_projects(ex.projects)
    yield from _texts_of_other_projects(ex.projects)
    yield from _duplicated_goals(ex.department_indicators)
    yield from _department_vs_form_values(ex)
    yield from _department_form_income(ctx)


# --- figures ---------------------------------------------------------------------------------


def _field_figure(p: Project, field: str, label: str) -> Figure | None:
    amount = getattr(p, field)
    if amount is None:
        return None
    src = field_source(p, field)
    return stated(amount, "万元", label, src.provenance if src else p.provenance)


def _sum(parts: list[tuple[Decimal | None, Provenance | None]], label: str) -> Figure | None:
    """The sum of printed parts, ``None`` when there are none or one of them has no amount."""
    if not parts or any(a is None for a, _ in parts):
        return None
    return total_of([stated(a, "万元", label, pv) for a, pv in parts], label)


def _check(rule: str, left: Figure, right: Figure, p: Project, *, at_most: bool = False, **params: str) -> Check:
    """``left`` = ``right`` (``at_most``: ``left`` ≤ ``right``) within their rounding."""
    tol = tolerance(left, right)
    diff = left.amount - right.amount
    passed = diff <= tol if at_most else abs(diff) <= tol
    relation = "≤" if at_most else "="
    return Check(rule, passed, left, right, tol,
                 f"{p.name}: {left.label} {left.amount} {relation} {right.label} {right.amount} (±{tol})",
                 tuple(sorted({"project": p.name, **params}.items())))


def _amount_checks(ctx: Context, ex: Extraction, p: Project) -> Iterator[Check]:
    table = _field_figure(p, "amount", "项目表金额")
    table_name = p.provenance.table if p.provenance else None
    current = _field_figure(p, "form_current_year_budget", "项目当年预算")
    total = _field_figure(p, "form_total_budget", "项目总预算")
    from_table = table is not None and table_name is not None and _is_table_row(ctx, p)
    one_year = bool(p.start_year and p.start_year == p.end_year)  # its 总预算 is this year's
    form_fig = current or (total if one_year else None)
    if from_table and form_fig is not None and ex.document.phase == BUDGET:
        yield _check("projects.form_budget", table, form_fig, p)
    if total is not None and current is not None and one_year:
        yield _check("projects.total_vs_current", total, current, p)
    reference = current or (table if from_table else None)
    if reference is not None:
        funding = _sum([(f.amount, f.provenance) for f in p.funding], "资金来源合计")
        if funding is not None:
            yield _check("projects.funding_sum", funding, reference, p)
        activities = _sum([(a.amount, a.provenance) for a in p.activities], "项目活动合计")
        if activities is not None:
            yield _check("projects.activity_sum", activities, reference, p)
    yield from _procurement_checks(ex, p, table if from_table else None, reference)


def _is_table_row(ctx: Context, p: Project) -> bool:
    """Whether ``p``'s base is a project-table row (not a form kept on its own)."""
    return any(m.source == "table" and m.project.provenance == p.provenance for m in ctx.mentions)


_TOTAL_ITEM = re.compile(r"^(?:合计|小计|总计)$")


def _procurement_checks(ex: Extraction, p: Project, table: Figure | None,
                        reference: Figure | None) -> Iterator[Check]:
    """The form's 项目采购 against the 政府采购 table's rows for ``p``; either more than the project's money
    (the 政府采购 rows: than its ``table`` row; the form's: than its ``reference``, the form's 当年预算 or the
    table row); each procured item against the activity that names it."""
    places = {p.provenance, *p.sources}
    listed = [r for r in (*p.procurement, *ex.procurement) if r.table == "procurement" and r.provenance in places]
    listed = list(dict.fromkeys(listed))
    form_rows = [r for r in p.procurement if r.table == "form" and not _TOTAL_ITEM.match(squash(r.item or ""))]
    on_form = _sum([(r.amount, r.provenance) for r in form_rows], "项目采购合计")
    in_tables = _sum([(r.amount, r.provenance) for r in listed], "政府采购表合计")
    if on_form is not None and in_tables is not None:
        yield _check("projects.procurement_tables", on_form, in_tables, p)
    if in_tables is not None and table is not None:
        yield _check("projects.procurement_exceeds", in_tables, table, p, at_most=True)
    if on_form is not None and reference is not None:
        yield _check("projects.procurement_exceeds", on_form, reference, p, at_most=True)
    yield from _procurement_vs_activities(p, form_rows)


def _procurement_vs_activities(p: Project, rows: list[ProcurementRow]) -> Iterator[Check]:
    """A procured item can cost no more than the one activity that names it."""
    for r in rows:
        item = name_key(r.item)
        if r.amount is None or len(item) < 2:
            continue
        named = [a for a in p.activities if item in name_key(a.name) or name_key(a.name) in item and
                 len(name_key(a.name)) >= 2]
        if len(named) != 1 or named[0].amount is None:
            continue
        act = named[0]
        yield _check("projects.procurement_activity", stated(r.amount, "万元", "项目采购", r.provenance),
                     stated(act.amount, "万元", "项目活动", act.provenance), p, at_most=True,
                     item=r.item or "", activity=act.name)


def _restated_amounts(ctx: Context, ex: Extraction) -> Iterator[Check]:
    """An amount the 部门整体 form gives a project, against the project table's (the narrative's amounts are
    the narrative family's: :mod:`ingest.audit.narrative`)."""
    for p in ex.projects:
        table = _field_figure(p, "amount", "项目表金额")
        if table is None or not _is_table_row(ctx, p):
            continue
        for m in _mentions_of(ctx, p, ("dept_form",)):
            if m.project.amount is None:
                continue
            other = stated(m.project.amount, "万元", "另处所列金额", m.project.provenance)
            yield _check("projects.amount_restated", other, table, p)


def _executed_amounts(ctx: Context, ex: Extraction) -> Iterator[Check]:
    """A 决算 自评表's 年度资金总额 全年执行数 against the 项目支出决算表's 全年执行数 of the same project, each in its
    table's unit.  The form's amount is that total where the form has source rows and no 当年预算 / 总预算
    (:mod:`ingest.tables.forms` prefers the printed total only in its 执行数 column); a total equal to its
    sources' sum is :func:`_amount_checks`' (``projects.funding_sum``)."""
    if ex.document.phase != FINAL_ACCOUNT:
        return
    for p in ex.projects:
        if p.amount is None or p.provenance is None or not _is_table_row(ctx, p):
            continue
        block = block_titled(ctx, p.provenance.table)
        table = stated(p.amount, table_unit(block) if block else "万元", "项目表全年执行数", p.provenance)
        for m in _mentions_of(ctx, p, ("form",)):
            form = m.project
            src = field_source(form, "amount")
            if form.amount is None or src is None or not form.funding or form.form_current_year_budget is not None \
                    or form.form_total_budget is not None or form.amount == sum(f.amount for f in form.funding):
                continue
            yield _check("projects.executed_vs_table", stated(form.amount, "万元", "自评表全年执行数", src.provenance),
                         table, p)


def _mentions_of(ctx: Context, p: Project, sources: tuple[str, ...]) -> list[ProjectMention]:
    places = set(p.sources)
    return [m for m in ctx.mentions if m.source in sources and m.project.provenance in places]


# --- 测算 arithmetic ------------------------------------------------------------------------------

_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_TIMES = "*×xX＊✕"
_OPERATORS = rf"{_TIMES}+＋\-－/÷()（）"  # a product's words hold none of these
# a factor: a few words, a number, its unit (元/平方米, 人, 月, %); the unit may hold a / (元/人/月)
_FACTOR = rf"[^\d{_OPERATORS}]{{0,8}}?({_NUMBER})((?:[^\d\s{_OPERATORS}]|/(?=[^\d\s{_OPERATORS}])){{0,8}})"
_PRODUCT = rf"{_FACTOR}(?:[{_TIMES}]{_FACTOR})+"
_PRODUCT_AT_END = re.compile(rf"(?<![\d.{_OPERATORS}])(?:{_PRODUCT})$")
_PRODUCT_AT_START = re.compile(rf"^(?:{_PRODUCT})(?![{_OPERATORS}\d])")
_RESULT_AT_START = re.compile(rf"^[^\d{_OPERATORS}]{{0,6}}?({_NUMBER})(万元|元)(?![{_OPERATORS}])")
_RESULT_AT_END = re.compile(rf"(?<![\d.{_OPERATORS}])({_NUMBER})(万元|元)$")
_FACTOR_RE = re.compile(_FACTOR)
_CLAUSE = re.compile(r"[，,。；;：:、\n]")
_MONTHS = Decimal(12)


@dataclass(frozen=True)
class _Equation:
    text: str
    factors: tuple[tuple[Decimal, str], ...]  # (number, its unit)
    result: Decimal
    result_unit: str  # 元 | 万元


def equations(text: str) -> list[_Equation]:
    """The equations ``a × b (× c) = d 元|万元`` (or ``d = a × b``) a 测算 text prints: a product of printed
    factors on one side of ``=`` and nothing else (a sum ``a×b+c×d`` is not one), a sum of money on the other."""
    out = []
    for clause in _CLAUSE.split(fold_width(squash(text))):
        sides = re.split(r"[=＝]", clause)
        for before, after in zip(sides, sides[1:]):
            for product, result in ((_PRODUCT_AT_END.search(before), _RESULT_AT_START.match(after)),
                                    (_PRODUCT_AT_START.match(after), _RESULT_AT_END.search(before))):
                if product and result:
                    factors = tuple((Decimal(n.replace(",", "")), u) for n, u in _FACTOR_RE.findall(product[0]))
                    out.append(_Equation(f"{before}={after}", factors, Decimal(result[1].replace(",", "")),
                                         result[2]))
    return out


def _money_factor(unit: str) -> str | None:
    """The money unit a factor's unit starts with (``元/平方米`` → 元), ``None`` for a count."""
    return "万元" if unit.startswith("万元") else "元" if unit.startswith("元") else None


def _step(n: Decimal) -> Decimal:
    return Decimal(1).scaleb(min(int(n.as_tuple().exponent), 0))


def calc_checks(p: Project) -> Iterator[Check]:
    """Each printed 测算 equation of ``p``'s activities with exactly one money factor, recomputed in the result's unit."""
    for act in p.activities:
        for eq in equations(act.basis):
            money = [_money_factor(u) for _, u in eq.factors if _money_factor(u)]
            if len(money) != 1:
                continue  # no price, or two: not a product of a price and counts
            product = Decimal(1)
            relative = Decimal(0)
            for n, unit in eq.factors:
                if n == 0:
                    break
                product *= n / 100 if unit.startswith("%") else n
                if n.as_tuple().exponent < 0:  # a printed fraction is rounded; a whole count or price is exact
                    relative += _step(n) / 2 / n
            else:
                scale = {("元", "万元"): 1 / WAN, ("万元", "元"): WAN}.get((money[0], eq.result_unit), Decimal(1))
                computed = product * scale
                shown = computed.quantize(_step(eq.result)) if computed.adjusted() >= -4 else computed
                unit = "万元" if eq.result_unit == "万元" else "元"
                left = Figure(shown, Decimal(0), "按所印各数计算", act.provenance, unit=unit)
                right = Figure(eq.result, _step(eq.result), "所写结果", act.provenance, unit=unit)
                tol = computed * relative + right.step / 2
                passed = abs(computed - eq.result) <= tol
                hint = ""
                if not passed and abs(computed * _MONTHS - eq.result) <= tol * _MONTHS:
                    hint = "；乘以 12（个月）才等于所写结果，算式漏列月数"
                yield Check("projects.calc_equation", passed, left, right, tol,
                            f"{p.name}: {eq.text}: computed {computed} vs printed {eq.result} (±{tol})",
                            tuple(sorted({"project": p.name, "equation": eq.text, "hint": hint}.items())))


# --- codes and names ---------------------------------------------------------------------------


def _code_shape(code: str) -> str:
    """Digits → 9, letters → A, repeated: ``42010226303T000000100`` → ``9A9``."""
    return re.sub(r"(9)9+|(A)A+", r"\1\2", re.sub(r"[A-Z]", "A", re.sub(r"\d", "9", code_key(code))))


def _code_place(p: Project) -> Provenance | None:
    src = field_source(p, "code")
    return src.provenance if src else p.provenance


def _code_findings(projects: Iterable[Project]) -> Iterator[Finding]:
    coded = [p for p in projects if p.code]
    seen: dict[str, Project] = {}
    for p in coded:
        key = code_key(p.code)
        first = seen.setdefault(key, p)
        if first is not p and name_key(first.name) != name_key(p.name):
            yield finding("projects.duplicate_code", _code_place(p), (p.code, first.name, p.name),
                          code=p.code, first=first.name, second=p.name)
    by_shape: dict[str, list[Project]] = {}
    for p in coded:
        by_shape.setdefault(_code_shape(p.code), []).append(p)
    for group in by_shape.values():
        lengths = Counter(len(code_key(p.code)) for p in group)
        usual, count = lengths.most_common(1)[0]
        if len(group) < 3 or count < 2 or len(lengths) == 1 or count <= len(group) - count:
            continue
        for code, p in {code_key(p.code): p for p in reversed(group)}.items():
            if len(code) != usual:
                yield finding("projects.code_length", _code_place(p), (p.code,), project=p.name, code=p.code,
                              length=len(code), usual=usual)


def _printed_key(name: str) -> str:
    """A name without width, bracket, dash and punctuation differences."""
    return re.sub(r"[^\w]", "", fold_brackets(fold_width(squash(name))))


def _name_findings(ctx: Context, ex: Extraction) -> Iterator[Finding]:
    """A form that names its project otherwise than the project table, where the code or the amount says it
    is the same project."""
    names = Names({u.name for u in ex.units} | {p.unit for p in ex.projects if p.unit})
    for p in ex.projects:
        row = next((m.project for m in ctx.mentions if m.source == "table" and m.project.provenance == p.provenance),
                   None)
        if row is None:
            continue
        for m in _mentions_of(ctx, p, ("form",)):
            form = m.project
            by_code = bool(row.code and form.code and same_code(row.code, form.code))
            by_amount = row.amount is not None and row.amount in (form.form_current_year_budget, form.amount)
            if not (by_code or by_amount) or _printed_key(row.name) == _printed_key(form.name):
                continue
            short, long_ = sorted((names.core(row.name), names.core(form.name)), key=len)
            if short in long_:
                continue  # a year, grade, level or unit name before the same words, or a qualifier added
            named = field_source(form, "name")
            yield finding("projects.name_differs", named.provenance if named else form.provenance,
                          (row.name, form.name), table=p.provenance.table or "项目表", table_name=row.name,
                          form_name=form.name)


_MIN_ACTIVITY_NAME = 6  # shorter activity names (印刷, 日常运转) are words any project may use


def _activities_of_other_projects(projects: tuple[Project, ...]) -> Iterator[Finding]:
    """An activity named after another project of the document (a form copied from its sibling)."""
    names = [{_printed_key(n) for n in (p.name, *p.aliases)} for p in projects]
    for p, own in zip(projects, names):
        for act in p.activities:
            key = _printed_key(act.name)
            if len(key) < _MIN_ACTIVITY_NAME or any(key in n for n in own):
                continue
            others = [q for q, theirs in zip(projects, names) if q is not p and any(key in n for n in theirs)]
            if len(others) == 1:
                yield finding("projects.activity_of_other_project", act.provenance, (act.name, others[0].name),
                              project=p.name, activity=act.name, other=others[0].name)


_MIN_NAMED = 4  # characters of a project's name a text must hold to be about that project
_TEXT_FIELDS = (("legal_basis_text", "申请理由"), ("implementation_text", "主要内容"))


def _shared_run(text: str, name: str) -> str:
    """The longest run of characters of ``name`` that ``text`` holds (the first of equal length)."""
    best = ""
    for i in range(len(name)):
        for j in range(len(name), i + len(best), -1):
            if name[i:j] in text:
                best = name[i:j]
                break
    return best


def _texts_of_other_projects(projects: tuple[Project, ...]) -> Iterator[Finding]:
    """A 申请理由 / 主要内容 that is another project's word for word and names that project, not its own: a
    form filled from its sibling's (the form names a field once, by the first such field)."""
    names = [[_printed_key(n) for n in (p.name, *p.aliases)] for p in projects]
    for p, own in zip(projects, names):
        for attr, label in _TEXT_FIELDS:
            text = _printed_key(getattr(p, attr))
            if not text or any(len(_shared_run(text, n)) >= _MIN_NAMED for n in own):
                continue
            found = []
            for q, theirs in zip(projects, names):
                if q is p or name_key(q.name) == name_key(p.name) or \
                        text not in (_printed_key(getattr(q, a)) for a, _ in _TEXT_FIELDS):
                    continue
                words = max((_shared_run(text, n) for n in theirs), key=len)
                if len(words) >= _MIN_NAMED and not any(words in n for n in own):
                    found.append((q, words))
            if len(found) == 1:
                [(q, words)] = found
                src = field_source(p, attr)
                yield finding("projects.text_of_other_project", src.provenance if src else p.provenance,
                              (getattr(p, attr), q.name), project=p.name, field=label, text=getattr(p, attr),
                              other=q.name, words=words)
                break


# --- indicators --------------------------------------------------------------------------------


def _pairs_of_characters(text: str) -> set[str]:
    """Every two adjacent characters of ``text`` that are letters or digits (its words, unsegmented)."""
    key = _printed_key(text)
    return {key[i:i + 2] for i in range(len(key) - 1)}


def _own_words(p: Project, leave_out: Indicator | None = None) -> set[str]:
    """The character pairs of what ``p``'s form says it is: names, 申请理由, 主要内容, goals, activities, and its
    indicators but ``leave_out``."""
    texts = [p.name, *p.aliases, p.legal_basis_text, p.implementation_text, *(t for _, t in p.goals),
             *(f"{a.name} {a.description} {a.basis}" for a in p.activities),
             *(i.level3 for i in p.indicators if i is not leave_out)]
    return set().union(*map(_pairs_of_characters, texts))


_GENERIC_INDICATOR = 3  # an indicator on this many projects' forms is one any project may set


def _indicators_of_other_projects(projects: tuple[Project, ...]) -> Iterator[Finding]:
    """An indicator (name and value) that another project's form prints too, in words of that project's and
    none of its own: a row copied from its sibling's form."""
    def key(i: Indicator) -> tuple[str, str]:
        return name_key(i.level3), squash(fold_width(i.value_raw or ""))

    on: dict[tuple[str, str], list[tuple[Project, Indicator]]] = {}
    for p in projects:
        for i in p.indicators:
            if i.value_raw and _pairs_of_characters(i.level3):
                on.setdefault(key(i), []).append((p, i))
    for rows in on.values():
        owners = list(dict.fromkeys(p.name for p, _ in rows))
        if len(owners) < 2 or len(owners) >= _GENERIC_INDICATOR:
            continue
        for p, i in rows:
            if not (p.legal_basis_text or p.implementation_text or p.goals):
                continue  # a form that says nothing of what its project is: nothing is foreign to it
            words = _pairs_of_characters(i.level3)
            if words & _own_words(p, i):
                continue
            others = [q for q, j in rows if q.name != p.name and words & _own_words(q, j)]
            if len(others) == 1:
                yield finding("projects.indicator_of_other_project", i.provenance, (i.level3, i.value_raw or "",
                              others[0].name), project=p.name, indicator=i.level3, value=i.value_raw,
                              other=others[0].name)


def _once(p: Project, goal: str) -> dict[str, Indicator]:
    """``p``'s indicators of one kind of goal by name, those named once only."""
    rows = [i for i in p.indicators if i.goal == goal]
    counts = Counter(name_key(i.level3) for i in rows)
    return {name_key(i.level3): i for i in rows if counts[name_key(i.level3)] == 1}


def _pairs(p: Project) -> Iterator[tuple[Indicator, Indicator]]:
    """(long-term, annual) rows of one indicator on ``p``'s form."""
    long_term = _once(p, LONG_TERM)
    for key, a in _once(p, ANNUAL).items():
        if key in long_term:
            yield long_term[key], a


def _indicator_categories(p: Project) -> Iterator[Finding]:
    """The same indicator filed under another 二级指标 in the long-term and the annual table of a form."""
    for lt, a in _pairs(p):
        if lt.level2 and a.level2 and _other_category(name_key(lt.level2), name_key(a.level2)):
            yield finding("projects.indicator_category", a.provenance, (a.level3, lt.level2, a.level2),
                          project=p.name, indicator=a.level3, long_term=lt.level2, annual=a.level2)


_PER_YEAR = re.compile(r"(?:/|每)(?:年|年度)$")
_APPROXIMATE = re.compile(r"左右|约|大约")
_SCALE = {"万": Decimal(10000), "千": Decimal(1000)}
_ABOUT = Decimal("0.1")


def _measure(i: Indicator) -> tuple[Decimal, str, bool] | None:
    """An indicator's number in its base unit (``1.4万份每年`` → 14000, 份), and whether it is approximate."""
    if i.number is None or not i.unit:
        return None
    unit = _PER_YEAR.sub("", _APPROXIMATE.sub("", squash(i.unit)))
    number = i.number
    if len(unit) > 1 and unit[0] in _SCALE:
        number, unit = number * _SCALE[unit[0]], unit[1:]
    return (number, unit, bool(_APPROXIMATE.search(i.value_raw or ""))) if unit else None


def _one_year_targets(p: Project) -> Iterator[Check]:
    """A project that starts and ends in one year has one target per indicator: long-term = annual."""
    if not (p.start_year and p.start_year == p.end_year):
        return
    for lt, a in _pairs(p):
        ml, ma = _measure(lt), _measure(a)
        if ml is None or ma is None or ml[1] != ma[1]:
            continue
        left = Figure(ml[0], _step(lt.number), lt.level3, lt.provenance, unit=ml[1])
        right = Figure(ma[0], _step(a.number), a.level3, a.provenance, unit=ma[1])
        tol = max(ml[0], ma[0]) * _ABOUT if ml[2] or ma[2] else tolerance(left, right)
        yield Check("projects.indicator_target", abs(ml[0] - ma[0]) <= tol, left, right, tol,
                    f"{p.name}: {lt.level3} long-term {lt.value_raw} vs annual {a.value_raw}",
                    tuple(sorted({"project": p.name, "indicator": a.level3}.items())))


def _other_category(a: str, b: str) -> bool:
    """Two categories, neither a coarser name of the other (``满意度指标`` of ``服务对象满意度指标``)."""
    return a not in b and b not in a


_MIN_SHARED = 3
_SHARED_PART = Decimal("0.8")


def _duplicated_goals(indicators: Iterable[Indicator]) -> Iterator[Finding]:
    """A goal of a 部门整体 table whose indicators are another goal's (same table, unit and kind of goal)."""
    tables: dict[tuple, dict[str, list[Indicator]]] = {}
    for i in indicators:
        table = i.provenance.table if i.provenance else None
        tables.setdefault((table, i.subject_unit, i.goal_type), {}).setdefault(i.goal, []).append(i)
    for (table, _, _), goals in tables.items():
        if len(goals) < 2:
            continue
        named = {g: {name_key(i.level3) for i in rows} for g, rows in goals.items()}
        uses = Counter(k for keys in named.values() for k in keys)
        generic = {k for k, n in uses.items() if n > 2}  # 成本控制率, 满意度 … of most goals
        titles = list(goals)
        for x, first in enumerate(titles):
            for second in titles[x + 1:]:
                shared = named[first] & named[second]
                specific = shared - generic
                smaller = min(len(named[first]), len(named[second]))
                if len(specific) < _MIN_SHARED or Decimal(len(shared)) < _SHARED_PART * smaller:
                    continue
                rows = [i for i in goals[first] if name_key(i.level3) in shared]
                start = next(i for i in rows if name_key(i.level3) in specific)
                yield finding("projects.goal_indicators_duplicated", start.provenance,
                              tuple(i.level3 for i in rows), table=table or "绩效目标表", goal=first,
                              other=second, count=len(rows), indicators="、".join(i.level3 for i in rows))


def _department_vs_form_values(ex: Extraction) -> Iterator[Check]:
    """A 部门整体 table's indicator against the same indicator on its unit's project forms (same kind of goal,
    name and measure unit; the forms agreeing among themselves)."""
    for d in ex.department_indicators:
        if d.number is None or not d.unit:
            continue
        same = [(p, i) for p in ex.projects if p.unit == d.subject_unit for i in p.indicators
                if i.goal == d.goal_type and name_key(i.level3) == name_key(d.level3)]
        values = {(i.number, i.unit) for _, i in same}
        if len(values) != 1:
            continue  # not on a form, or the forms disagree among themselves
        [(number, unit)] = values
        if number is None or unit != d.unit:
            continue  # 100% beside 251家 says nothing
        p, i = same[0]
        left = Figure(d.number, _step(d.number), d.level3, d.provenance, unit=d.unit)
        right = Figure(i.number, _step(i.number), i.level3, i.provenance, unit=i.unit)
        tol = tolerance(left, right)
        yield Check("projects.indicator_value", abs(left.amount - right.amount) <= tol, left, right, tol,
                    f"{d.goal}: {d.level3} {d.value_raw} vs form of {p.name}: {i.value_raw}",
                    tuple(sorted({"project": p.name, "goal": d.goal, "indicator": d.level3}.items())))


_TOTAL_LABEL = re.compile(r"^(?:合计|总计)$")
_WHOLE_INCOME = re.compile(r"^(?:收入总计|本年收入合计)$")


def _source_of(label: str) -> ColumnRole | None:
    """The one income source beside 财政拨款 a line's label names (财政专户管理资金, 其他收入 …)."""
    if re.search(r"支出|结转|结余|合计|总计", label):
        return None
    hits = [r for r in NON_FISCAL_SOURCES if r.matches((label,))]
    return hits[0] if len(hits) == 1 else None


def _department_form_income(ctx: Context) -> Iterator[Check]:
    """Each income source beside 财政拨款 the 部门整体 form's 收入构成 lists, against that source's line of the
    收支总表, where the form's 合计 is the 收支总表's (the same scope: not a unit's form)."""
    summary = next(income_rows(ctx, "summary"), [])
    wholes = {f.amount for label, f, _ in summary if f is not None and _WHOLE_INCOME.match(squash(label))}
    lines: dict[ColumnRole, tuple[str, Figure | None, Provenance]] = {}
    for label, figure, prov in summary:
        source = _source_of(label)
        if source is not None:
            lines.setdefault(source, (label, figure, prov))
    for block in ctx.blocks_with_role("dept_performance"):
        rows = form_rows(ctx, block)
        total = next((r for r in rows if _TOTAL_LABEL.match(squash(r.label))), None)
        if total is None or total.amount.amount not in wholes:
            continue
        for row in rows[:rows.index(total)]:
            source = _source_of(row.label)
            if source is None or source not in lines:
                continue
            label, figure, prov = lines[source]
            printed = figure if figure is not None else Figure(Decimal(0), row.amount.step, label, prov)
            tol = tolerance(row.amount, printed)
            yield Check("projects.dept_form_income", abs(row.amount.amount - printed.amount) <= tol, row.amount,
                        printed, tol, f"{block.title}: {row.label} {row.amount.amount} vs {label} {printed.amount}",
                        tuple(sorted({"source": row.label, "line": label}.items())))

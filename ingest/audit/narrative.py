"""Narrative vs table, and the narrative against itself (issue 14), beyond the totals that
:mod:`ingest.reconcile.narrative` checks (``narrative_vs_table``: 收支总预算, 基本支出, 项目支出, 三公 …).

Every amount the narrative states about a named table line is read as a statement: the words before the
amount name the item (an income source, a 类/款/项 of the functional classification by code or name path, an
economic class, 人员经费/公用经费, a “三公” item, a named project) and its scope (the 部门's figures, or the
财政拨款 / 一般公共预算's) from the words before it and the headings over it.  A statement about another year
(``2025年预算数``), another phase, or a change (``比…增加``) is not the item's figure.  The department's and
the 财政拨款's own totals (基本支出, 项目支出, 收入, 支出) are read in any wording that does not narrow them
(``涉及项目支出``, ``本年财政拨款支出``), except where ``narrative_vs_table`` already compares them.  A statement is checked
against the tables only when every table of its scope that prints the item gives it one figure
(``narrative.line_vs_table``); an item stated twice that no table ties to one figure is checked against
itself (``narrative.same_item``); a list the narrative says makes up a total is added up
(``narrative.list_sum``); the 一般公共预算 funds the 绩效目标 are said to cover cannot exceed the year's
一般公共预算 appropriation (``narrative.goal_funds``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from ..context import Context
from ..layout import Line
from ..narrative import heading_level
from ..normalise import fold_width, squash
from ..numbers import to_wan
from ..paragraphs import LIST_MARK, Paragraph, narrative_blocks, paragraphs
from ..reconcile.checks import compare
from ..reconcile.figures import read_figure, stated, total_of
from ..reconcile.ledger import ledgers, table_figure
from ..reconcile.narrative import FISCAL_SCOPE, narrative_figures, other_phase
from ..reconcile.stated import block_titled, income_lines, label_figure, stated_total
from ..records import ECONOMIC, FUNCTIONAL, Check, Extraction, Figure, Rule
from ..sections import table_unit
from ..tables.classification import body_rows, is_total_row, layout
from ..tables.grid import read_grid
from ..tables.three_public import document_period
from ..vocabulary.column_roles import (
    CARRYOVER, FISCAL, GENERAL_PUBLIC, GOV_FUND, INCOME_SOURCES, STATE_CAPITAL, ColumnRole,
)
from ..vocabulary.row_labels import SPENT_THIS_YEAR, THIS_YEAR_INCOME

_SAME_DIGIT = ("half a unit of the last printed digit of the coarser figure, nothing when both are printed to "
               "the same digit; 元 tables are converted to 万元")
RULES: tuple[Rule, ...] = (
    Rule("narrative.line_vs_table", "narrative", "warning",
         "文字说明所述{item} {left_amount} 万元，与{right_table}所列 {right_amount} 万元不一致（相差 {difference} 万元）",
         _SAME_DIGIT + "; a 元 table figure may also be cut off at the text's last digit (87.708 → 87.70)"),
    Rule("narrative.same_item", "narrative", "warning",
         "文字说明两处所述{item}金额不同：{left_amount} 万元与 {right_amount} 万元", _SAME_DIGIT),
    Rule("narrative.list_sum", "narrative", "warning",
         "文字说明所述{item} {left_amount} 万元，与其下所列各项之和 {right_amount} 万元不一致（相差 {difference} 万元）",
         "half a unit of the finest digit the list prints, for the total and for each item (a list printing "
         "10.93 and 17 writes 17 for 17.00)"),
    Rule("narrative.goal_funds", "narrative", "warning",
         "文字说明所述绩效目标涉及的一般公共预算财政拨款 {left_amount} 万元，超过{right_table}所列一般公共预算"
         "本年财政拨款 {right_amount} 万元",
         "the stated funds may exceed the appropriation by half a unit of the coarser figure's last digit"),
)

FISCAL_SCOPE_NAME, DEPARTMENT_SCOPE = "fiscal", "department"

# an amount as the narrative prints it: 2,933.20万元, 5 万元, 3 万；
_AMOUNT = re.compile(r"(?<![\d.])(?P<amt>\d[\d,]*(?:\.\d+)?)(?P<unit>亿元|万元|元|万(?=[；;，,。、)）]|$))")
_THRESHOLD = re.compile(r"[（(]?含[)）]?(?:以上|以下)|以上|以下|以内")  # 单价50万元(含)以上: a bound, not an amount
_CLAUSE_END = re.compile(r"[，,；;。：:、！？]|[（(](?![类款项境\d一二三四五六七八九十])|其中|包括")
_CHANGE = re.compile(r"比|增加|减少|增长|下降|增减|同比|较|上年(?!结转|结余)|去年|上一年|占")
_SOURCE_BUDGETS = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算")  # a source's name, not a phase word
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
# the words between an item's name and its amount: 2026年预算数, 预算, 为, 共计 …
_CONNECTOR = re.compile(r"(?:(?:19|20)\d\d年度?)?(?:年初|全年)?(?:安排|支出预算|支出决算|预算数|预算|决算数|决算|执行数)?"
                        r"(?:数)?(?:为|是|共计|合计|总计|计|达)?$")
_OPENER = re.compile(r"^(?:其中|包括|主要用于|分别为|分别是|含)[:：]?")
_PATH_LEVEL = re.compile(r"[（(](类|款|项)[)）]")
_CODE_NAME = re.compile(r"^[\[【]?(?P<code>[23]\d{2}(?:\d{2}){0,2})[\]】]?(?P<name>\D.*)$")
_THREE_PUBLIC_CONTEXT = re.compile(r"三公")
_GOAL_FUNDS = re.compile(r"绩效目标[^。]*?涉及(?:项目)?一般公共预算(?:本年|当年)?财政拨款(?:资金|数)?(?:为|共计)?$")
# an amount named by its phase alone (``公务接待费：预算2.00万元，决算1.20万元``): the list item it belongs to is
# the name before the item's colon
_PHASE_ONLY = re.compile(r"^(?:支出)?(?:决算|预算)(?:数)?(?:为|是)?$")
_ITEM_NAME = re.compile(r"^([^：:，,；;。]+)[：:]")
_PROJECT_SOURCES = ("table", "dept_form", "form", "writeup", "procurement")


# --- statements ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """An amount the narrative states after the name of an item: the name as printed, the figure (万元, its
    printed step), its scope (``fiscal`` | ``department`` | ``None``) and whether it sits under a “三公” text."""

    name: str
    figure: Figure
    scope: str | None
    three_public: bool
    para: int  # the paragraph's index, in document order
    start: int  # where the amount starts in the paragraph's text
    sentence: str  # the sentence's words before the amount
    first_line: Line  # the paragraph's first line


def _scope(words: str) -> str | None:
    """The scope the last scope word of ``words`` names: ``fiscal`` (财政拨款, 一般公共预算 …), ``department``
    (部门), else ``None``."""
    fiscal = [m.end() for m in FISCAL_SCOPE.finditer(words)]
    dept = [m.end() for m in re.finditer(r"部门", words)]
    if not fiscal and not dept:
        return None
    return FISCAL_SCOPE_NAME if max(fiscal, default=-1) > max(dept, default=-1) else DEPARTMENT_SCOPE


def _figure(printed: str, unit: str, label: str, ctx: Context, line: Line, heading: str | None) -> Figure:
    number = printed.replace(",", "")
    places = len(number.split(".", 1)[1]) if "." in number else 0
    unit = "万元" if unit == "万" else unit
    return Figure(to_wan(Decimal(number), unit), to_wan(Decimal(1).scaleb(-places), unit), label,
                  ctx.prov(line, table=heading))


def _line_at(para: Paragraph, words: str) -> Line:
    """The paragraph's line that prints ``words`` (else the one with their start, else its first)."""
    for probe in (words, words[-8:]):
        hit = next((ln for ln in para.lines if probe in fold_width(squash(ln.plain))), None)
        if hit is not None:
            return hit
    return para.first


@dataclass(frozen=True)
class _Para:
    para: Paragraph
    text: str  # squashed, full-width folded
    headings: tuple[str, ...]  # the headings over it, outermost first


def _paras(ctx: Context) -> list[_Para]:
    out: list[_Para] = []
    stack: list[tuple[int, str]] = []
    for block in narrative_blocks(ctx):
        if block.title:
            level = heading_level(block.title)
            stack = [(lv, t) for lv, t in stack if lv < level] + [(level, block.title)]
        for para in paragraphs(block):
            out.append(_Para(para, squash(fold_width(para.text)), tuple(t for _, t in stack)))
    return out


def _statements(ctx: Context, paras: list[_Para]) -> list[Statement]:
    """Every amount printed right after a name, of the document's year and phase, not a change."""
    period = document_period(ctx)
    out = []
    for i, p in enumerate(paras):
        heading_scope = next((s for s in (_scope(squash(fold_width(h))) for h in reversed(p.headings)) if s), None)
        three_public = any(_THREE_PUBLIC_CONTEXT.search(h) for h in p.headings[-1:])
        for m in _AMOUNT.finditer(p.text):
            if p.text[m.end():m.end() + 1] in ("%", "％", "/", "每") or _THRESHOLD.match(p.text, m.end()):
                continue
            before = p.text[: m.start()]
            ends = [e.end() for e in _CLAUSE_END.finditer(before)] + [a.end() for a in _AMOUNT.finditer(before)]
            head = LIST_MARK.sub("", before[max(ends, default=0):], count=1).strip()
            head = _OPENER.sub("", head)
            sentence = before[before.rfind("。") + 1:]
            in_three_public = three_public or bool(_THREE_PUBLIC_CONTEXT.search(sentence))
            if in_three_public and _PHASE_ONLY.match(head):
                item = _ITEM_NAME.match(LIST_MARK.sub("", sentence, count=1).strip())
                head = item[1] + head if item else head
            years = {int(y) for y in _YEAR.findall(head)}
            if not head or _CHANGE.search(head) or other_phase(_SOURCE_BUDGETS.sub("", head), period.phase) \
                    or (period.year is not None and years - {period.year}):
                continue
            opening = _CLAUSE_END.search(sentence)  # the words that frame the sentence (部门收入预算…万元，其中：)
            scope = _scope(head) or _scope(sentence[: opening.start()] if opening else "") or heading_scope
            label = f"narrative “{head}{m[0]}”"
            figure = _figure(m["amt"], m["unit"], label, ctx, _line_at(p.para, head[-12:] + m["amt"]),
                             p.para.heading)
            out.append(Statement(head, figure, scope, in_three_public, i, m.start(), sentence, p.para.first))
    return out


def _printed(statement: Statement) -> str:
    """The words naming the amount as printed, without quotes (``2023年一般公共预算财政拨款支出预算``)."""
    return re.sub(r"[“”\"‘’]", "", statement.name)


def _name(statement: Statement) -> str:
    """The item's name: the words before the amount without its quotes and the connector (``2026年预算数``)."""
    name = _printed(statement)
    return _CONNECTOR.sub("", name) or name


def _key(name: str) -> str:
    """A name as names are compared: brackets and 和/及/与/的 dropped (商品服务支出 = 商品和服务支出)."""
    return re.sub(r"[()（）“”\"'‘’《》和及与的、\s]", "", fold_width(name))


# --- the table figure of a statement's item -------------------------------------------------------------

_SPECIFIC = (GENERAL_PUBLIC, GOV_FUND, STATE_CAPITAL)  # parts of 财政拨款


def _source_role(label: str, known_only: bool) -> ColumnRole | None:
    """The income source a label names (the most specific: 一般公共预算 over 财政拨款), ``None`` if none or
    several.  ``known_only``: the label must be one of the source's wordings (a narrative name)."""
    text = re.sub(r"^(?:其中[:：]?|纳入)|本年|当年|(?<=拨款)补助|[()（）]", "", fold_width(squash(label)))
    if known_only:
        forms = {text, re.sub(r"收入$", "", text), text.replace("财政拨款", "拨款")}
        if text in ("上年结转", "年初结转"):
            return CARRYOVER
        hits = [r for r in INCOME_SOURCES if forms & ({fold_width(k) for k in r.known}
                                                       | {fold_width(k) + "收入" for k in r.known})]
    else:
        if re.search(r"支出|结转|结余|合计|总计", text):
            return CARRYOVER if CARRYOVER.matches((text,)) else None
        hits = [r for r in INCOME_SOURCES if r.matches((text,))]
    if any(r in _SPECIFIC for r in hits):
        hits = [r for r in hits if r is not FISCAL]
    return hits[0] if len(hits) == 1 else None


def _income_side(ctx: Context, roles: tuple[str, ...]) -> Iterator[tuple[ColumnRole, Figure, str]]:
    """``(source, figure, table role)`` for each income line of the 收支总表s of ``roles``."""
    for role in roles:
        for table in income_lines(ctx, role):
            lines = [(source, figure) for label, figure in table
                     if (source := _source_role(label, known_only=False)) is not None]
            yield from ((s, f, role) for s, f in lines if f is not None)
            yield from ((GENERAL_PUBLIC, f, role) for f in _fiscal_is_general_public(lines))


def _fiscal_is_general_public(lines: list[tuple[ColumnRole, Figure | None]]) -> list[Figure]:
    """A 财政拨款 line whose table prints the 政府性基金 line with nothing in it (and no 国有资本经营 amount)
    holds the 一般公共预算 alone."""
    def empty(role: ColumnRole) -> bool:
        return all(f is None or f.amount == 0 for s, f in lines if s is role)
    gov_printed = any(s is GOV_FUND for s, _ in lines)
    if not gov_printed or not empty(GOV_FUND) or not empty(STATE_CAPITAL) or any(s is GENERAL_PUBLIC for s, _ in lines):
        return []
    return [f for s, f in lines if s is FISCAL and f is not None][:1]


def _income_table(ctx: Context) -> Iterator[tuple[ColumnRole, Figure, str]]:
    """``(source, figure, 'income')`` for each source column of the 收入总表's 合计 row."""
    for block in ctx.blocks_with_role("income"):
        grid = read_grid(block)
        lay = layout(grid)
        row = next((r for r in body_rows(grid, lay) if is_total_row(r, lay)), None)
        if row is None:
            continue
        for c, path in enumerate(grid.paths):
            if CARRYOVER.matches(path):
                continue
            source = _source_role("/".join(path[-1:]), known_only=False)
            if source is None or source is FISCAL and any(r.matches(path) for r in _SPECIFIC):
                continue
            figure = read_figure(row.cell(c), table_unit(block), f"{block.title} 合计/{path[-1]}",
                                 ctx.prov(row.line, table=block.title, row=row.index))
            if figure is not None:
                yield source, figure, "income"


_FISCAL_TABLES = ("fiscal_summary", "gpb_expenditure", "gov_fund", "state_capital")


def _table_scope(role: str, title: str | None) -> str:
    if role in _FISCAL_TABLES or FISCAL_SCOPE.search(squash(title or "")):
        return FISCAL_SCOPE_NAME
    return DEPARTMENT_SCOPE


def _one_money(ctx: Context) -> bool:
    """True when the department's spending is all 财政拨款 (its total = the 财政拨款 total): then a line of
    either scope has one figure."""
    dept, fiscal = ctx.totals.get("expenditure_total"), ctx.totals.get("fiscal_appropriation_total")
    return bool(dept and fiscal and dept.amount is not None and dept.amount == fiscal.amount)


def _in_scope(ctx: Context, scope: str | None, table_scope: str) -> bool:
    return scope is None or scope == table_scope or _one_money(ctx)


def _line_figure(ctx: Context, item) -> Figure:
    block = block_titled(ctx, item.table)
    return stated(item.total, table_unit(block) if block else "万元", f"{item.table} {item.code} {item.name}",
                  item.provenance)


def _functional_codes(ctx: Context, name: str) -> set[str]:
    """The codes a functional name (``卫生健康支出(类)医疗保障管理事务(款)行政运行(项)``, ``2101501 行政运行``,
    ``社会保障和就业支出``) names among the document's functional lines."""
    items = [li for li in ctx.line_items if li.classification == FUNCTIONAL]
    names = {(li.code, _functional_key(li.name)) for li in items}
    m = _CODE_NAME.match(name)
    if m:
        return {m["code"]} if any(c == m["code"] for c, _ in names) else set()
    parts = [p for p in _PATH_LEVEL.split(name) if p and p not in ("类", "款", "项")]
    levels = _PATH_LEVEL.findall(name)
    if levels and len(parts) != len(levels):
        return set()
    keys = [_functional_key(p) for p in parts] if levels else [_functional_key(name)]
    width = {"类": 3, "款": 5, "项": 7}
    codes = {c for c, k in names if k == keys[-1] and (not levels or len(c) == width[levels[-1]])}
    for depth, key in enumerate(keys[:-1]):  # every level above the last must name the code's ancestor
        n = width[levels[depth]]
        codes = {c for c in codes if (c[:n], key) in names}
    return codes


def _functional_key(name: str) -> str:
    return re.sub(r"支出$", "", _key(name))


def _candidates(ctx: Context, s: Statement) -> tuple[str, list[Figure]] | None:
    """The item a statement names (``(what, table figures in its scope)``), ``None`` when it names none."""
    name = _name(s)
    if s.three_public:
        part = _three_public_part(name)
        if part is None:
            return None
        return f"“三公”经费{name}", [stated(t.amount, _unit_of(ctx, t.provenance), t.item, t.provenance)
                                   for t in ctx.three_public if t.amount is not None and _three_public_part(t.item) == part]
    source = None if _spending_named(s) else (_source_role(s.name, known_only=True)
                                                 or _source_role(name, known_only=True))
    if source is not None and _funds_a_spending(s):
        return None  # ``项目支出433.20万元，其中一般公共预算当年财政拨款413.20万元``: not the income line
    if source is not None:
        if source is CARRYOVER:
            roles = ("fiscal_summary",) if s.scope == FISCAL_SCOPE_NAME else ("summary",)
        else:
            roles = ("summary", "fiscal_summary")
        figures = [f for r, f, _ in _income_side(ctx, roles) if r is source]
        if source is not CARRYOVER:
            figures += [f for r, f, _ in _income_table(ctx) if r is source]
        return name, figures
    part = _FISCAL_PARTS.get(re.sub(_SCOPE_WORDS, "", _key(name)))
    if part is not None:
        if s.scope != FISCAL_SCOPE_NAME:
            return None  # the department's 基本支出/项目支出: narrative_vs_table (ingest.reconcile.narrative)
        return name, _general_public_part(ctx, part)
    for key, words in (("personnel_expenditure", "人员经费"), ("public_expenditure", "公用经费")):
        if _key(name) == words:
            total = ctx.totals.get(key)
            if total is None or total.amount is None or not _in_scope(
                    ctx, s.scope, _table_scope("", total.provenance.table if total.provenance else None)):
                return name, []
            block = block_titled(ctx, total.provenance.table if total.provenance else None)
            return name, [stated(total.amount, table_unit(block) if block else "万元", words, total.provenance)]
    codes = _functional_codes(ctx, name)
    kind = FUNCTIONAL
    if not codes:
        kind = ECONOMIC
        m = _CODE_NAME.match(name)
        codes = {li.code for li in ctx.line_items if li.classification == ECONOMIC and (
            li.code == m["code"] if m else _key(li.name) == _key(name))}
    if len(codes) != 1:
        return None
    code = next(iter(codes))
    figures = [_line_figure(ctx, li) for li in ctx.line_items
               if li.classification == kind and li.code == code and li.total is not None
               and _in_scope(ctx, s.scope, _table_scope(li.role, li.table))]
    return name, figures


# --- the department's and the 财政拨款's own totals, in any wording ----------------------------------------

# a total named by its noun alone, after words that do not narrow it (a year, 本年, 部门/单位, 财政拨款, a verb
# such as 涉及/安排): ``涉及项目支出``, ``本年财政拨款支出``, ``2024年度部门支出合计``, ``单位收入总计``
_TOTAL_NAME = re.compile(
    r"^(?:(?:19|20)\d\d年度?)?(?P<year1>本年度?|当年)?(?P<who>本?部门|本?单位)?(?:(?:19|20)\d\d年度?)?"
    r"(?:涉及|安排|共|合计|累计|实际)?(?P<fiscal>财政拨款)?(?P<year2>本年|当年)?"
    r"(?P<noun>基本支出|项目支出|支出|收入)(?P<kind>合计|总计|总额)?"
    r"(?:预算|决算)?数?(?:为|是|共计|合计|总计|计|达)?$")
_PART_KEYS = {"基本支出": ("basic_expenditure", "basic"), "项目支出": ("project_expenditure", "project")}
# noun → (the 收支总表's line of the year, the document total with the carry-overs: 收入总计 / 支出总计)
_SIDE_KEYS = {"支出": (SPENT_THIS_YEAR, "expenditure_total", "fiscal_appropriation_total"),
              "收入": (THIS_YEAR_INCOME, "income_total", "fiscal_appropriation_total")}


def _table_total(ctx: Context, key: str, label: str) -> Figure | None:
    """A document total the tables give (not one read from the narrative)."""
    total = ctx.totals.get(key)
    if total is None or total.provenance is None or block_titled(ctx, total.provenance.table) is None \
            or block_titled(ctx, total.provenance.table).role == "narrative":
        return None
    return stated_total(ctx, key, label)


def _names_a_subject(ctx: Context, s: Statement) -> bool:
    """The sentence names a unit or a project before the amount: its total is that one's, not the document's."""
    words = _key(s.sentence)
    names = [u.name for u in ctx.units] + [m.project.name for m in ctx.mentions]
    return any(len(k) >= 3 and k in words for k in map(_key, names))


def _total_item(ctx: Context, s: Statement) -> tuple[str, list[Figure]] | None:
    """The department's (or the 财政拨款's) 基本支出, 项目支出, 收入 or 支出 a statement names, with the figures
    the tables give it (``(what, figures)``); ``None`` when the name is not such a total.  A 基本支出/项目支出
    of no stated scope is the department's and the 财政拨款's (they must agree to be compared); 收入/支出 need
    their scope in the name (部门/单位/财政拨款); 本年 or 合计 names the 收支总表's line of the year, 总计 the
    total with the carry-overs, neither both (they must agree)."""
    m = _TOTAL_NAME.match(fold_width(_printed(s)))
    if m is None or _names_a_subject(ctx, s):
        return None
    scope = DEPARTMENT_SCOPE if m["who"] else FISCAL_SCOPE_NAME if m["fiscal"] else s.scope
    noun = m["noun"]
    what = "".join(m[g] or "" for g in ("year1", "who", "fiscal", "year2", "noun", "kind"))
    if noun in _PART_KEYS:
        key, part = _PART_KEYS[noun]
        if scope == FISCAL_SCOPE_NAME:
            return None  # the 财政拨款's 基本支出/项目支出: :func:`_general_public_part`
        figures = [f for f in [_table_total(ctx, key, f"部门{noun}")] if f is not None]
        if scope is None and not _one_money(ctx):
            fiscal = _general_public_part(ctx, part)
            figures = figures + fiscal if fiscal else []
        return (what, figures) if figures else None
    if not (m["who"] or m["fiscal"]):
        return None
    line, dept_key, fiscal_key = _SIDE_KEYS[noun]
    role, key = ("fiscal_summary", fiscal_key) if scope == FISCAL_SCOPE_NAME else ("summary", dept_key)
    this_year = label_figure(ctx, role, line, f"收支总表 本年{noun}合计")
    whole = _table_total(ctx, key, f"{noun}总计")
    if m["year1"] or m["year2"] or m["kind"] == "合计":
        figures = [this_year]
    elif m["kind"] == "总计":
        figures = [whole]
    else:
        figures = [this_year, whole]
    figures = [f for f in figures if f is not None]
    return (what, figures) if figures else None


def _stated_in_totals(ctx: Context) -> set[tuple]:
    """Where :func:`ingest.reconcile.narrative.narrative_checks` already compares a stated total (the paragraph's
    first line and the amount): a statement there is not compared twice."""
    return {(f.provenance.source, f.provenance.page, f.provenance.line, f.amount)
            for _, f in narrative_figures(ctx) if f.provenance is not None}


def _spending_named(s: Statement) -> bool:
    """The words before the amount end in 支出预算/支出决算 (``一般公共预算财政拨款支出决算1478.81万元``): a
    spending, never the income source the rest of the name would be."""
    return bool(re.search(r"支出(?:预算|决算)数?(?:为|是|共计|合计|总计|计|达)?$", _printed(s)))


def _funds_a_spending(s: Statement) -> bool:
    """The statement is a ``其中`` part of a part of the spending (项目支出, 基本支出, projects, 经费) named earlier
    in its sentence: the source that funds that part.  (A ``其中`` after the whole spending of a scope,
    ``一般公共预算财政拨款支出预算…，其中：当年预算…；上年结转…``, gives the scope's sources: the income lines.)"""
    split = s.sentence.rfind("其中")
    return split >= 0 and bool(re.search(r"项目支出|基本支出|项目|经费", s.sentence[:split]))


_FISCAL_PARTS = {"基本支出": "basic", "项目支出": "project"}
_SCOPE_WORDS = r"^(?:(?:19|20)\d\d年度?)?(?:本年|当年|一般公共预算|财政拨款|安排|的)*"


def _general_public_part(ctx: Context, part: str) -> list[Figure]:
    """The 一般公共预算 table's 合计 ``basic`` / ``project`` figure, which a 财政拨款 statement of 基本支出 or
    项目支出 states where the document's 财政拨款 is all 一般公共预算 (no 政府性基金 or 国有资本经营 amount in any
    table)."""
    books = ledgers(ctx)
    others = [table_figure(b) for b in books if b.role in ("gov_fund", "state_capital")]
    others += [f for r, f, _ in [*_income_side(ctx, ("summary", "fiscal_summary")), *_income_table(ctx)]
               if r in (GOV_FUND, STATE_CAPITAL)]
    if any(f is not None and f.amount for f in others):
        return []
    return [replace(f, label=f"{b.title} 合计/{'基本支出' if part == 'basic' else '项目支出'}") for b in books
            if b.role == "gpb_expenditure" and (f := table_figure(b, part)) is not None]


def _unit_of(ctx: Context, prov) -> str:
    block = block_titled(ctx, prov.table if prov else None)
    return table_unit(block) if block else "万元"


def _three_public_part(name: str) -> str | None:
    """Which “三公” line a name is: ``abroad`` | ``car`` | ``car_purchase`` | ``car_running`` | ``reception``."""
    if "出国" in name:
        return "abroad"
    if "接待" in name:
        return None if re.search(r"外宾|国内|外事", name) else "reception"
    if "公务用车" in name or re.match(r"^(其中[:：]?)?(购置|运行)", name):
        buy, run = "购置" in name, "运行" in name
        return "car" if buy and run else "car_purchase" if buy else "car_running" if run else None
    return None


def _agreed(figures: list[Figure]) -> Figure | None:
    """The one figure every table gives (the first printed), ``None`` when none or when they differ."""
    if not figures or any(not compare("", figures[0], f, "").passed for f in figures[1:]):
        return None
    return figures[0]


# --- named projects ---------------------------------------------------------------------------------------


def _project_figures(ctx: Context, name: str) -> list[Figure]:
    """The amounts the tables and forms give the project a narrative names: by its name, or by the name of
    one unit's project after that unit's name (``江岸区医疗保障服务中心后勤服务支出``)."""
    key = _key(name)
    out = []
    for mention in ctx.mentions:
        p = mention.project
        if mention.source not in _PROJECT_SOURCES or p.amount is None:
            continue
        own = _key(p.name)
        prefix = key[: -len(own)] if own and key.endswith(own) else None
        if key == own or prefix and len(prefix) >= 4 and p.unit and _key(p.unit).endswith(prefix):
            out.append(stated(p.amount, _unit_of(ctx, p.provenance), f"{p.provenance.table if p.provenance else ''} "
                              f"{p.name}", p.provenance))
    return out


# --- the rules --------------------------------------------------------------------------------------------


def _with(check: Check, **params: str) -> Check:
    return replace(check, params=tuple(sorted(params.items())))


def _cut_off(text: Figure, table: Figure) -> bool:
    """True when ``text`` is a 元 ``table`` figure cut off (not rounded) at the text's last digit (87.708 →
    87.70), as a writer converting 元 to 万元 may do."""
    if text.amount is None or table.amount is None or table.step >= Decimal("0.01") or text.step <= table.step:
        return False
    return Decimal(0) <= abs(table.amount) - abs(text.amount) < text.step


def _line_checks(ctx: Context, statements: list[Statement]) -> tuple[list[Check], list[tuple[str, Statement]]]:
    """One check per statement tied to one table figure; the statements of an item no table ties, by item."""
    out, untied = [], []
    listed = {_key(m.project.name) for m in ctx.mentions if m.source in ("narrative", "counted")}
    covered = _stated_in_totals(ctx)
    for s in statements:
        name = _name(s)
        total = None if s.three_public or _key(name) in listed else _total_item(ctx, s)
        if total is not None and (s.first_line.source, s.first_line.page, s.first_line.no, s.figure.amount) in covered:
            continue
        found = total or (None if _key(name) in listed else _candidates(ctx, s))  # a listed project is a project
        if found is None:
            found = (name, _project_figures(ctx, name))
            if not found[1] and _key(name) not in listed:
                continue
        what, figures = found
        table = _agreed(figures)
        if table is None:
            if not figures:
                untied.append((f"{s.scope}|{s.three_public}|{_key(what)}", s))
            continue
        check = compare("narrative.line_vs_table", s.figure, table, f"{what}: narrative vs tables")
        if not check.passed and _cut_off(s.figure, table):
            check = replace(check, passed=True, message=f"{check.message}; the 元 figure cut off at the text's digit")
        out.append(_with(check, item=what))
    return out, untied


def _same_item(untied: list[tuple[str, Statement]]) -> list[Check]:
    """Two statements of one item no table ties, in two paragraphs, with two amounts."""
    out: list[Check] = []
    first: dict[str, Statement] = {}
    for key, s in untied:
        seen = first.setdefault(key, s)
        if seen is s or seen.para == s.para:
            continue
        check = compare("narrative.same_item", s.figure, seen.figure, f"{_name(s)}: stated twice")
        if not check.passed:
            out.append(_with(check, item=_name(s)))
    return out


def _goal_funds(ctx: Context, statements: list[Statement]) -> list[Check]:
    """The 一般公共预算 funds the 绩效目标 cover ≤ the year's 一般公共预算 appropriation."""
    whole = _agreed([f for r, f, _ in [*_income_side(ctx, ("summary", "fiscal_summary")), *_income_table(ctx)]
                     if r is GENERAL_PUBLIC])
    out = []
    for s in statements:
        if whole is None or not _GOAL_FUNDS.search(s.sentence) or s.figure.amount is None or whole.amount is None:
            continue
        check = compare("narrative.goal_funds", s.figure, whole, "绩效目标 funds vs 一般公共预算")
        passed = s.figure.amount <= whole.amount + check.tolerance
        out.append(replace(check, passed=passed, message=check.message if not passed else
                           f"绩效目标 funds {s.figure.amount} ≤ 一般公共预算 {whole.amount}"))
    return out


_LIST_STYLES = (re.compile(r"^\d{1,2}\s*[.、．]"), re.compile(r"^[（(]\d{1,2}[)）]"),
                re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]"), re.compile(r"^[一二三四五六七八九十]+、"))
_OPENS = re.compile(r"(?:其中|包括|用于|如下|分别)[^。]{0,20}[:：]?$")
_NUMERALS = "一二三四五六七八九十"


def _chinese_number(text: str) -> int:
    """``三`` → 3, ``十二`` → 12, ``二十一`` → 21."""
    if "十" not in text:
        return _NUMERALS.index(text[-1]) + 1 if text else 0
    tens, _, ones = text.partition("十")
    return (_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (_NUMERALS.index(ones) + 1 if ones else 0)


def _list_mark(text: str) -> tuple[int, int] | None:
    """``(style, number)`` of a list item's mark (``2.`` → (0, 2), ``（二）`` → (2, 2))."""
    for style, rx in enumerate(_LIST_STYLES):
        m = rx.match(text)
        if m:
            digits = re.sub(r"[^0-9]", "", m[0])
            return style, int(digits) if digits else _chinese_number(re.sub(f"[^{_NUMERALS}]", "", m[0]))
    return None


def _list_total(figure: Figure, items: list[Figure], what: str) -> Check:
    """Σ items = total, each figure taken to the finest digit the list prints."""
    finest = min(f.step for f in (figure, *items))
    terms = [replace(f, step=finest) for f in items]
    return _with(compare("narrative.list_sum", replace(figure, step=finest), total_of(terms, f"{what} 所列各项之和"),
                         f"{what}: stated total vs its listed items"), item=what)


def _outside_parentheses(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` sits in no parenthesis opened after ``end``… before it (a sub-part)."""
    depth = 0
    for ch in text[:start]:
        depth += ch in "(（"
        depth -= ch in ")）" and depth > 0
    return depth == 0


def _inline_lists(p: _Para, own: list[Statement]) -> Iterator[Check]:
    """``部门支出预算3233.20万元，其中：基本支出823.10万元，占25.46%；项目支出2410.10万元，占74.54%。``: the one
    total of the sentence before ``其中``, and one item per ``；``-separated part (its sub-parts in parentheses
    aside)."""
    for m in re.finditer(r"其中[:：，,]", p.text):
        sentence = p.text.rfind("。", 0, max(m.start() - 1, 0)) + 1
        totals = [s for s in own if sentence <= s.start < m.start()]
        end = p.text.find("。", m.end())
        end = end if end >= 0 else len(p.text)
        items, at = [], m.end()
        for seg in re.split(r"[；;]", p.text[m.end():end]):
            found = [s for s in own if at <= s.start < at + len(seg) and _outside_parentheses(p.text, s.start, at)]
            items.append(found[0] if len(found) == 1 else None)
            at += len(seg) + 1
        if len(totals) == 1 and len(items) >= 2 and all(items):
            yield _list_total(totals[0].figure, [s.figure for s in items], _printed(totals[0]))


_NAMES_NOTHING = re.compile(r"其中|主要|具体|安排|情况|如下|用于|包括|分别|(?:19|20)\d\d年度?|[为是:：，,\s]")


def _sentence_total(text: str, own: list[Statement], start: int, end: int) -> Statement | None:
    """The sentence's one statement (or its first, when the rest follow its ``其中``)."""
    found = [s for s in own if start <= s.start < end]
    if not found:
        return None
    split = text.find("其中", found[0].start, end)
    return found[0] if all(split >= 0 and s.start > split for s in found[1:]) else None


def _opening_total(p: _Para, own: list[Statement], before: list[Statement], prev: _Para | None) -> Statement | None:
    """The total a paragraph ending ``…：`` opens a list of: its last sentence's statement, or, when that
    sentence names nothing (``其中：``, ``主要安排情况如下：``), the sentence's before it (in the paragraph, else
    the paragraph before)."""
    text = p.text.rstrip(":：")
    last = text.rfind("。") + 1
    if _NAMES_NOTHING.sub("", text[last:]):
        return _sentence_total(p.text, own, last, len(p.text))
    if last:
        return _sentence_total(p.text, own, text.rfind("。", 0, last - 1) + 1, last)
    if prev is None:
        return None
    body = prev.text.rstrip("。")
    return _sentence_total(prev.text, before, body.rfind("。") + 1, len(prev.text))


def _numbered_lists(paras: list[_Para], by_para: dict[int, list[Statement]]) -> Iterator[Check]:
    """``(二)项目支出1960.43万元,…,其中:`` and then ``1.部门日常经费10.93万元。…``, ``2.…``: the paragraph's first
    amount (or, for an opening ``其中…：`` without one, the paragraph's before) against the first amount of
    each item numbered 1, 2, 3 … in one style (an item's unnumbered continuation and its sub-items in
    another style are part of it)."""
    for i, p in enumerate(paras):
        if not p.text.endswith((":", "：")) or not _OPENS.search(p.text):
            continue
        total = _opening_total(p, by_para.get(i, []), by_para.get(i - 1, []) if i else [], paras[i - 1] if i else None)
        if total is None:
            continue
        groups: list[list[int]] = []
        style = None
        for j in range(i + 1, len(paras)):
            if paras[j].headings != p.headings:
                break
            mark = _list_mark(paras[j].text)
            if mark is not None and style is None:
                style = mark[0]
            if mark is not None and mark[0] == style:
                if mark[1] != len(groups) + 1:
                    break
                groups.append([j])
            elif groups:
                groups[-1].append(j)
            else:
                break
        items = [next((s for j in group for s in by_para.get(j, [])), None) for group in groups]
        if len(items) >= 2 and all(items):
            yield _list_total(total.figure, [s.figure for s in items], _printed(total))


def _list_sums(paras: list[_Para], statements: list[Statement]) -> list[Check]:
    """A total followed by ``其中：`` and its items, in the sentence or as the numbered paragraphs after it."""
    by_para: dict[int, list[Statement]] = {}
    for s in statements:
        by_para.setdefault(s.para, []).append(s)
    inline = [c for i, p in enumerate(paras) for c in _inline_lists(p, by_para.get(i, []))]
    return inline + list(_numbered_lists(paras, by_para))


def audit(ctx: Context, ex: Extraction) -> Iterable[Check]:
    """Every statement checked against the tables (but a 款's whole total, :mod:`ingest.audit.economic`'s),
    against itself, against its listed items."""
    from .economic import whole_class  # (imported here: it reads statements with this module)

    paras = _paras(ctx)
    statements = _statements(ctx, paras)
    lines, untied = _line_checks(ctx, [s for s in statements if whole_class(ctx, paras, s) is None])
    return [*lines, *_same_item(untied), *_list_sums(paras, statements), *_goal_funds(ctx, statements)]

"""Economic classes (issue 14): an amount the narrative states for a 款 of the 经济分类 (``2026年委托业务费
52.27万元``; 会议费, 培训费, 印刷费, 咨询费, 劳务费 … any 款 of ``ontology/codelists/economic.ttl`` or of the
document's own basic-expenditure table) against the document's own total of that class: the
basic-expenditure table's line of the class, plus the 项目活动 of every project form classed so
(``economic.class_total``).

The total is the document's only when it is complete, and otherwise nothing is said: a 预算; one
basic-expenditure table, read at 款 level (every 类 row with its 款 rows: a 款 it lacks is 0), whose 类 rows add
up to the department's 基本支出; the 项目支出表's rows adding up to the department's 项目支出, each row with
exactly one form, each form's activities adding up to its amount, each activity with an amount and a class
the code list or the table names at least as finely as the stated one.  The narrative's statements are read
by :mod:`ingest.audit.narrative` (year, phase, change words, scope); a statement under 基本支出 / 人员经费 /
公用经费 / 机关运行经费 / 三公 (that basic table's figure: ``narrative.line_vs_table``), of another scope than
the department's whole money, or naming a unit or a project, is not the class's total.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from ..context import Context
from ..document.names import department_name
from ..narrative import _unit_forms
from ..normalise import fold_width, squash
from ..numbers import amount_text
from ..paragraphs import LIST_MARK
from ..records import BUDGET, ECONOMIC, Activity, Check, Extraction, Figure, LineItem, Project, Rule
from ..reconcile.checks import compare
from ..reconcile.figures import stated, total_of
from ..reconcile.stated import block_titled, stated_total
from .names_years import codelist_names
from .narrative import (
    _CODE_NAME, _CONNECTOR, FISCAL_SCOPE_NAME, Statement, _general_public_part, _key, _line_figure, _one_money,
    _Para, _paras, _statements,
)

RULES: tuple[Rule, ...] = (
    Rule("economic.class_total", "narrative", "warning",
         "文字说明所述{item} {left_amount} 万元，与基本支出表和项目申报表所列{item}合计 {right_amount} 万元"
         "（基本支出表 {basic_amount} 万元，{count} 项项目活动 {activity_amount} 万元）不一致（相差 {difference} 万元）",
         "half a unit of the last printed digit of the stated amount and of every term of the sum (the basic "
         "table's line, each activity as its form prints it: 17 is ±0.5); only a complete total is compared"),
)

# words before a class's name that do not narrow it: a year, 本年, 部门, 全年, 安排 …
_LEAD = re.compile(r"^(?:(?:19|20)\d\d年度?)?(?:本年度?|当年|全年|本?部门|一般公共预算|财政拨款|安排|的)*")
# the frame of the basic expenditure (its table's figure, narrative.line_vs_table's) or of the “三公”
_BASIC_FRAME = re.compile(r"基本支出|人员经费|公用经费|机关运行经费|三公|日常公用")
_OPENS = (":", "：")  # a paragraph that opens a list


def _classes(ctx: Context) -> dict[str, str]:
    """Name key → code of every 经济分类 class the code list or the document's tables name."""
    names = {_class_key(n): c for c, n in codelist_names("economic").items()}
    names.update({_class_key(li.name): li.code for li in ctx.line_items if li.classification == ECONOMIC})
    return names


def _class_key(name: str) -> str:
    return _key(squash(name)).replace("其它", "其他")


def _code_of(text: str | None, classes: dict[str, str]) -> str | None:
    """The class a printed class (``委托业务费``, ``30227 委托业务费``) names, ``None`` if none."""
    text = fold_width(squash(text or ""))
    m = _CODE_NAME.match(text)
    if m and len(m["code"]) in (3, 5):
        return m["code"]
    return classes.get(_class_key(text))


# --- the complete total -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Basis:
    """What a class total is made of: the basic table's lines and every project's activities (each with its
    class's code)."""

    table: str
    lines: dict[str, LineItem]
    activities: list[tuple[str, Activity, Project]]


def _basic_lines(ctx: Context) -> tuple[str, dict[str, LineItem]] | None:
    """The one basic-expenditure table's lines by code, when it is read at 款 level (each 类 row with 款 rows)
    and its 类 rows add up to the department's 基本支出."""
    items = [li for li in ctx.line_items if li.classification == ECONOMIC and li.role == "basic_economic"]
    tables = {li.table for li in items}
    if len(tables) != 1 or any(li.total is None for li in items):
        return None
    lines = {li.code: li for li in items}
    if len(lines) != len(items):
        return None
    classes = [li for li in items if len(li.code) == 3]
    if not classes or any(not any(len(c) == 5 and c.startswith(li.code) for c in lines) for li in classes):
        return None
    department = stated_total(ctx, "basic_expenditure", "部门基本支出")
    if department is None:
        return None
    if not compare("", total_of([_line_figure(ctx, li) for li in classes], "基本支出表各类之和"), department,
                   "").passed:
        return None
    return tables.pop(), lines


def _one_form(ctx: Context, p: Project) -> Project | None:
    """The one form of a project-table row, ``None`` when it has none or several."""
    places = set(p.sources)
    forms = [m.project for m in ctx.mentions if m.source == "form" and m.project.provenance in places]
    return forms[0] if len(forms) == 1 else None


def _project_activities(ctx: Context, ex: Extraction,
                        classes: dict[str, str]) -> list[tuple[str, Activity, Project]] | None:
    """Every project's activities with their class's code, when every project is a row of the 项目支出表 (the
    rows adding up to the department's 项目支出) with one form whose activities add up to its amount."""
    rows = [m.project for m in ctx.mentions if m.source == "table" and m.project.amount is not None]
    department = stated_total(ctx, "project_expenditure", "部门项目支出")
    if not rows or department is None or len(rows) != len(ex.projects):
        return None
    listed = total_of([stated(r.amount, "万元", r.name, r.provenance) for r in rows], "项目支出表各项目之和")
    if not compare("", listed, department, "").passed:
        return None
    out = []
    for p in ex.projects:
        form = _one_form(ctx, p)
        if form is None or not form.activities or p.amount is None:
            return None
        acts = [(a, _code_of(a.economic_class, classes)) for a in form.activities]
        if any(a.amount is None or code is None for a, code in acts):
            return None
        own = form.form_current_year_budget if form.form_current_year_budget is not None else p.amount
        summed = total_of([stated(a.amount, "万元", a.name, a.provenance) for a, _ in acts], "项目活动之和")
        if not compare("", summed, stated(own, "万元", p.name, p.provenance), "").passed:
            return None
        out += [(code, a, p) for a, code in acts]
    return out


def _basis(ctx: Context, ex: Extraction, classes: dict[str, str]) -> _Basis | None:
    basic = _basic_lines(ctx)
    activities = _project_activities(ctx, ex, classes) if basic is not None else None
    return _Basis(basic[0], basic[1], activities) if basic is not None and activities is not None else None


def _class_total(ctx: Context, basis: _Basis, code: str, name: str) -> Figure | None:
    """The basic table's line of ``code`` (0 where the table lacks it) plus every activity of the class or of a
    finer class in it; ``None`` when an activity is classed more coarsely (a 类 for a 款)."""
    if any(code.startswith(c) and c != code for c, _, _ in basis.activities):
        return None
    line = basis.lines.get(code)
    if line is not None:
        basic = _line_figure(ctx, line)
    else:
        block = block_titled(ctx, basis.table)
        where = ctx.prov(block.lines[0], table=basis.table) if block is not None and block.lines else None
        basic = Figure(Decimal(0), Decimal(0), f"{basis.table}：无 {code} {name} 行（按 0 计）", where)
    terms = [basic] + [stated(a.amount, "万元", f"{a.provenance.table if a.provenance else p.name} {a.name}",
                              a.provenance) for c, a, p in basis.activities if c.startswith(code)]
    return total_of(terms, f"{name}合计（基本支出表 + 项目活动）")


# --- the statements ---------------------------------------------------------------------------------------


def _class_name(s: Statement) -> str:
    """The words naming a statement's item without what does not narrow it (``2026年委托业务费`` → 委托业务费)."""
    name = re.sub(r"[“”\"‘’]", "", s.name)
    return _LEAD.sub("", _CONNECTOR.sub("", name) or name)


def _framed_by_basic(paras: list[_Para], s: Statement) -> bool:
    """The statement sits under 基本支出 / 公用经费 / 三公 …: in its sentence, a heading over it, or the list
    item it is of (the paragraphs before it, back to the one that opens the list)."""
    p = paras[s.para]
    if s.three_public or _BASIC_FRAME.search(s.sentence) or any(_BASIC_FRAME.search(squash(h)) for h in p.headings):
        return True
    j = s.para
    while j > 0 and paras[j - 1].headings == p.headings and (
            LIST_MARK.match(paras[j].text) or paras[j].text.endswith(_OPENS) or paras[j - 1].text.endswith(_OPENS)):
        j -= 1
        if _BASIC_FRAME.search(paras[j].text):
            return True
    return False


def _names_other(ctx: Context, s: Statement) -> bool:
    """The sentence names a unit (not the 本级, in any of the forms a paragraph may give it) or a project: its
    amount is that one's, not the document's."""
    words = _key(s.sentence)
    names = [f for _, forms in _unit_forms(ctx, department_name(ctx)) for f in forms]
    names += [m.project.name for m in ctx.mentions]
    return any(len(k) >= 3 and k in words for k in map(_key, names))


def _all_general_public(ctx: Context) -> bool:
    """The department's money is all 财政拨款 and that all 一般公共预算: a statement of the 财政拨款's (一般公共预算's)
    class is then the department's."""
    return _one_money(ctx) and bool(_general_public_part(ctx, "basic"))


def whole_class(ctx: Context, paras: list[_Para], s: Statement) -> tuple[str, str] | None:
    """``(code, name)`` of the 款 whose whole total ``s`` states (this family's statement, which
    ``narrative.line_vs_table`` leaves to it), ``None`` when ``s`` names no 款, or names it under 基本支出 …,
    or names a unit or a project."""
    name = _class_name(s)
    classes = _classes(ctx)
    code = classes.get(_class_key(name)) or classes.get(_class_key(re.sub(r"支出$", "", name)))
    if code is None or len(code) != 5 or _framed_by_basic(paras, s) or _names_other(ctx, s) \
            or any(_key(name) == _key(m.project.name) for m in ctx.mentions):
        return None
    return code, name


def audit(ctx: Context, ex: Extraction) -> Iterator[Check]:
    """Each class amount the narrative states against the document's complete total of that class."""
    if ex.document.phase != BUDGET:
        return
    paras = _paras(ctx)
    wanted = []
    for s in _statements(ctx, paras):
        named = whole_class(ctx, paras, s)
        if named is not None and (s.scope != FISCAL_SCOPE_NAME or _all_general_public(ctx)):
            wanted.append((s, *named))  # (a 财政拨款 class of a department with other money too is not compared)
    basis = _basis(ctx, ex, _classes(ctx)) if wanted else None
    if basis is None:
        return
    for s, code, name in wanted:
        total = _class_total(ctx, basis, code, name)
        if total is not None:
            check = compare("economic.class_total", s.figure, total, f"{name}: narrative vs basic table + activities")
            basic, *activities = total.terms
            yield replace(check, params=(
                ("activity_amount", amount_text(sum((a.amount for a in activities), Decimal(0)))),
                ("basic_amount", amount_text(basic.amount)), ("count", str(len(activities))), ("item", name)))

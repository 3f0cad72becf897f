"""Join the mentions of a project (table row, form, 整体绩效 list, narrative, procurement) into one record.

The project table is the authority for the canonical name, amount and unit;
without one, the forms (then the 整体绩效 list) are the base.  Every other
mention is scored against every base project by meaning (name equality, the
name without years / grade and level prefixes / unit names / brackets,
containment, character overlap unless words were substituted, amount, code —
one code may be the serial part of the other — and unit agreement) and assigned
greedily by best score,
one-to-one for forms and for each 整体绩效 list, so two distinct projects are
never merged into one.  Narrative and procurement mentions may share a project
(a project is named twice in a text; two procurement tables list it) but each
joins at most one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from difflib import SequenceMatcher

from .context import Context, ProjectMention
from .normalise import clean_name, name_key
from .records import GOAL_FIELDS, FieldSource, ProcurementRow, Project, Rule, field_source, with_field_sources

SOURCES = ("table", "form", "writeup", "dept_form", "narrative", "counted", "procurement")
ONE_TO_ONE = ("form", "writeup", "dept_form")
FORM_LIKE = ("form", "writeup")  # their details fill the base; kept as projects of their own when unmatched

# a project a form, a write-up or a 整体绩效 table names that no project-table row matches (kept as its own)
_UNMATCHED = {"form": "项目绩效目标表", "writeup": "项目情况说明", "dept_form": "部门整体绩效目标表"}
RULES = tuple(Rule(f"projects.{source}_unmatched", "project", "warning",
                   f"{where}中的项目“{{name}}”在项目支出表中没有对应的行") for source, where in _UNMATCHED.items())

_YEAR_PREFIX = re.compile(r"^(?:19|20)\d\d(?:年度?|年)?")
_GRADE_PREFIX = re.compile(r"^\d+(?:-\d+)?级")
# the level that pays (国家基本公共卫生服务项目 / 区级…); a bracket around a qualifier (…项目（区级配套）)
_LEVEL_PREFIX = re.compile(r"^(?:中央|国家|(?:省|市|区|县|镇|街道|乡|本)级)")
_BRACKET = re.compile(r"[()（）]")
# names that differ by words put in place of others (not only added) are never alike enough on their own
_SUBSTITUTED = 0.7


@dataclass(frozen=True)
class Evidence:
    """How well a mention fits a base project."""

    name: float  # 0..1
    amount_agree: bool
    amount_conflict: bool
    code_agree: bool
    code_conflict: bool
    unit_agree: bool
    unit_conflict: bool

    @property
    def score(self) -> float:
        return (self.name + 0.6 * self.amount_agree - 0.2 * self.amount_conflict + 1.0 * self.code_agree
                + 0.3 * self.unit_agree - 0.5 * self.unit_conflict)

    def accepts(self, source: str) -> bool:
        if self.code_conflict:
            return False
        if self.code_agree:
            return True
        if source == "procurement":  # amounts there are a part of the project's money
            return self.name >= 0.9 and not self.unit_conflict
        if self.unit_conflict and not self.amount_agree:
            return False
        if self.name >= 1.0 or self.name >= 0.9 and not self.amount_conflict:
            return True
        if self.amount_agree and self.name >= (0.5 if source in ("narrative", "counted") else 0.25):
            return True
        return self.name >= 0.75 and not self.amount_conflict


class Names:
    """Name comparison that knows the document's unit names (stripped as prefixes)."""

    def __init__(self, unit_names: set[str]):
        variants = set()
        for unit in unit_names:
            u = name_key(unit)
            variants |= {u, re.sub(r"^.*?市", "", u), re.sub(r"^.*?[区县]", "", u)}
        self.units = sorted((v for v in variants if len(v) >= 4), key=len, reverse=True)

    def core(self, name: str) -> str:
        """The name without years, grade and level prefixes, unit names and brackets."""
        s = _BRACKET.sub("", name_key(name))
        for _ in range(3):
            before = s
            s = _YEAR_PREFIX.sub("", s)
            s = _GRADE_PREFIX.sub("", s)
            s = _LEVEL_PREFIX.sub("", s) if len(s) >= 6 else s
            for unit in self.units:
                if s.startswith(unit) and len(s) - len(unit) >= 4:
                    s = s[len(unit):]
                    break
            if s == before:
                break
        return s

    def similarity(self, a: str, b: str) -> float:
        ka, kb = name_key(a), name_key(b)
        if ka == kb:
            return 1.0
        ca, cb = self.core(a), self.core(b)
        if ca == cb:
            return 0.9
        short, long_ = sorted((ca, cb), key=len)
        if len(short) >= 4 and short in long_:
            return 0.8
        matcher = SequenceMatcher(None, ca, cb)
        if any(tag == "replace" for tag, *_ in matcher.get_opcodes()):
            return min(matcher.ratio(), _SUBSTITUTED)  # 学生… / 学前教育…: other words, another project
        return matcher.ratio()


def _amounts(p: Project) -> set[Decimal]:
    out = {a for a in (p.amount, p.form_current_year_budget, p.form_total_budget) if a is not None}
    if p.funding:
        out.add(sum((f.amount for f in p.funding if f.amount is not None), Decimal(0)))
    return out


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= max(Decimal("0.011"), abs(b) * Decimal("0.005"))


def _unit_relation(a: str | None, b: str | None, names: Names) -> tuple[bool, bool]:
    """(agree, conflict) between two unit names, tolerant of 武汉市/区 prefixes."""
    if not a or not b:
        return False, False
    ka, kb = name_key(a), name_key(b)
    strip = lambda s: re.sub(r"^.*?[区县]", "", re.sub(r"^.*?市", "", s))  # noqa: E731
    sa, sb = strip(ka), strip(kb)
    agree = ka in kb or kb in ka or sa == sb or sa in sb or sb in sa
    return agree, not agree


def code_key(code: str) -> str:
    """A project code without spaces and dashes, upper case."""
    return re.sub(r"[-\s]", "", code).upper()


def _code_shape(code: str) -> str:
    return re.sub(r"[A-Z]", "A", re.sub(r"\d", "9", code_key(code)))


def same_code(a: str, b: str) -> bool:
    """Two project codes name one project: equal, or one is the other's serial part
    (``T000000013`` of ``42010222025T000000013``), dashes and case aside."""
    short, long_ = sorted((code_key(a), code_key(b)), key=len)
    return short == long_ or len(short) >= 6 and long_.endswith(short) and (not short.isdigit() or len(short) >= 10)


def comparable_codes(a: str, b: str) -> bool:
    """Two codes of one numbering (their shapes agree, or one's is the other's tail), so that unequal codes
    are two projects; a code of another numbering (``420102-25-001`` beside ``…T000000013``) says nothing."""
    short, long_ = sorted((_code_shape(a), _code_shape(b)), key=len)
    return long_.endswith(short)


def evidence(base: Project, m: Project, names: Names) -> Evidence:
    amounts = _amounts(m)
    amount_agree = base.amount is not None and any(a == base.amount for a in amounts)
    amount_conflict = base.amount is not None and bool(amounts) and not any(_close(a, base.amount) for a in amounts)
    code_agree = bool(base.code and m.code and same_code(base.code, m.code))
    code_conflict = bool(base.code and m.code and not code_agree and comparable_codes(base.code, m.code))
    unit_agree, unit_conflict = _unit_relation(base.unit, m.unit, names)
    return Evidence(names.similarity(base.name, m.name), amount_agree, amount_conflict, code_agree, code_conflict,
                    unit_agree, unit_conflict)


def assign(bases: list[Project], mentions: list[Project], source: str, names: Names,
           one_to_one: bool) -> dict[int, int]:
    """mention index → base index, greedy by best score."""
    scored = []
    for mi, m in enumerate(mentions):
        for bi, b in enumerate(bases):
            ev = evidence(b, m, names)
            if ev.accepts(source):
                scored.append((ev.score, mi, bi))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, mi, bi in scored:
        if mi in out or (one_to_one and bi in used):
            continue
        out[mi] = bi
        used.add(bi)
    return out


def merge_projects(ctx: Context) -> list[Project]:
    """One Project per project-table row (or per form when there is no table), with every mention merged."""
    by_source = {s: [m for m in ctx.mentions if m.source == s] for s in SOURCES}
    by_source["procurement"] = by_source["procurement"] or _procurement_mentions(ctx)
    by_source = {s: [ProjectMention(m.source, with_field_sources(m.project)) for m in ms]
                 for s, ms in by_source.items()}
    names = Names({u.name for u in ctx.units} | {m.project.unit for m in ctx.mentions if m.project.unit})
    bases = [m.project for m in by_source["table"]]
    order = ["form", "writeup", "dept_form", "narrative", "counted", "procurement"]
    for source in FORM_LIKE:  # no table: the forms are the base, else the write-ups
        if not bases:
            bases = [m.project for m in by_source[source]]
            order.remove(source)
    merged: list[list[tuple[str, Project]]] = [[] for _ in bases]
    for source in order:
        for group in _groups(by_source[source], source):
            mentions = [m.project for m in group]
            matches = assign(bases, mentions, source, names, one_to_one=source in ONE_TO_ONE)
            for mi, bi in matches.items():
                merged[bi].append((source, mentions[mi]))
            if _keeps_unmatched(source, by_source):
                for mi, m in enumerate(mentions):
                    if mi not in matches:  # a form whose project is not in the table: keep it
                        if source != "counted":  # there is no table it could miss
                            _warn_unmatched(ctx, source, m)
                        bases.append(m)
                        merged.append([])
    return [_combine(base, parts) for base, parts in zip(bases, merged)]


def _keeps_unmatched(source: str, by_source: dict[str, list[ProjectMention]]) -> bool:
    """Whether a mention that matches no base becomes a project of its own: a form or write-up always,
    a 整体绩效 row when there is neither table nor form, a project the text counts (``项目共4个，其中：…``)
    when there is no table."""
    if source in FORM_LIKE:
        return True
    if source == "dept_form":
        return not by_source["table"] and not by_source["form"]
    return source == "counted" and not by_source["table"]


def _groups(mentions: list[ProjectMention], source: str) -> list[list[ProjectMention]]:
    """Mentions that must be assigned one-to-one together: all forms; each 整体绩效 table."""
    if source != "dept_form":
        return [mentions] if mentions else []
    groups: dict[str | None, list[ProjectMention]] = {}
    for m in mentions:
        prov = m.project.provenance
        groups.setdefault((prov.table, m.project.unit) if prov else m.project.unit, []).append(m)
    return list(groups.values())


def _procurement_mentions(ctx: Context) -> list[ProjectMention]:
    """Procurement rows that name a project, when no parser emitted them as mentions."""
    return [ProjectMention("procurement", Project(name=clean_name(r.project_name), unit=r.unit, amount=r.amount,
                                                  procurement=(r,), provenance=r.provenance))
            for r in ctx.procurement if r.project_name]


def _warn_unmatched(ctx: Context, source: str, m: Project) -> None:
    ctx.warn(f"projects.{source}_unmatched", m.provenance, m.name, name=m.name)


def _combine(base: Project, parts: list[tuple[str, Project]]) -> Project:
    """The base project with the form's details and every mention's name and provenance; each alias
    keeps where its mention names it."""
    p = base
    for source, m in parts:
        if source in FORM_LIKE:
            p = _merge_form(p, m)
        elif source == "procurement":
            p = replace(p, procurement=p.procurement + tuple(r for r in m.procurement if r not in p.procurement))
    canonical = name_key(p.name)
    aliases: list[str] = list(p.aliases)
    alias_sources: list[FieldSource] = []
    for _, m in parts:
        alias = clean_name(m.name)
        if alias and name_key(alias) != canonical and alias not in aliases:
            aliases.append(alias)
            named = field_source(m, "name")
            where = named.provenance if named else m.provenance
            if where is not None:
                alias_sources.append(FieldSource("aliases", where, alias))
    sources = list(p.sources)
    for _, m in parts:
        for prov in (m.provenance, *m.sources):
            if prov is not None and prov != p.provenance and prov not in sources:
                sources.append(prov)
    return replace(p, aliases=tuple(aliases), sources=tuple(sources),
                   field_sources=p.field_sources + tuple(alias_sources))


def _merge_form(p: Project, form: Project) -> Project:
    """Fill what the table does not say from the form, each field with the form's source of it (amounts
    that disagree are compared by :mod:`ingest.audit.projects`)."""
    taken = {}
    for field in ("code", "executing_unit", "attribute", "category", "start_year", "end_year",
                  "form_total_budget", "form_current_year_budget", "functional_code", "functional_name"):
        if getattr(p, field) is None and getattr(form, field) is not None:
            taken[field] = getattr(form, field)
    if p.unit is None and form.unit:
        taken["unit"] = form.unit
    if p.amount is None and form.amount is not None:
        taken["amount"] = form.amount
    for field in ("legal_basis_text", "implementation_text"):
        if not getattr(p, field):
            taken[field] = getattr(form, field)
    procurement = form.procurement + tuple(r for r in p.procurement if r not in form.procurement)
    sourced = tuple(s for s in form.field_sources if s.field in taken or s.field in GOAL_FIELDS.values())
    return replace(p, **taken, citations=p.citations + form.citations, funding=form.funding or p.funding,
                   activities=p.activities + form.activities, procurement=_named(procurement, p.name),
                   indicators=p.indicators + form.indicators, goals=p.goals + form.goals,
                   field_sources=p.field_sources + sourced)


def _named(rows: tuple[ProcurementRow, ...], name: str) -> tuple[ProcurementRow, ...]:
    return tuple(replace(r, project_name=name) if r.table == "form" else r for r in rows)

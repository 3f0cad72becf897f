"""Comparison tables across documents: one department year by year, 预算 vs 决算 of one year, and
several departments side by side.

Each budget is read once into :class:`Figures` (sections of rows, each amount with the places it was
read: :mod:`kg.charts` reads the tables, :mod:`kg.browse.reads` the source locations); the three
comparisons lay those out as :class:`Table`s of :class:`Cell`s.  Every number is ``Decimal`` to the
cent (changes and rates half up), shown as text, ``—`` where it cannot be computed; every amount
keeps its sources.  Projects of different budgets are one project where the links graph says so
(:class:`SameProjects`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import charts
from .browse.reads import documents as document_contexts
from .browse.reads import value_sources
from .browse.views import Source
from .charts import AMOUNT, CODE, LINES, NAME, SUMMED, BudgetRef
from .errors import CompareError, QueryError
from .filters import PHASE_WORDS, department_names, named, squash
from .labels import PHASE_ZH
from .links import same_projects
from .money import CENT, to_decimal, wan
from .store import Store
from .vocab import BGT

DASH = "—"
HUNDRED = Decimal(100)
LABEL_COLUMNS = ("编码", "名称")
SECTIONS = {  # section key → title
    "totals": "收支合计", "split": "基本支出与项目支出", "functional_类": "支出功能分类（类）",
    "functional_款": "支出功能分类（款）", "functional_项": "支出功能分类（项）", "economic_类": "基本支出经济分类（类）",
    "economic_款": "基本支出经济分类（款）", "three_public": "“三公”经费", "projects": "主要项目",
}
TOTAL_ROWS = (("income_total", "收入总计"), ("expenditure_total", "支出总计"))
CURRENT, BASIC, PROJECT = "current", "basic_expenditure", "project_expenditure"
SPLIT_ROWS = ((CURRENT, "本年支出合计"), (BASIC, "基本支出"), (PROJECT, "项目支出"))
THREE_PUBLIC_ROWS = (("total", "“三公”经费合计"), ("abroad", "因公出国（境）费"), ("reception", "公务接待费"),
                     ("vehicle", "公务用车购置及运行费"))


# --- cells and tables -------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """One cell as shown: its ``text``, the number behind it (万元 or %; None for a label or ``—``), the
    places its amount was read, and how it was got (``note``)."""

    text: str
    value: Decimal | None = None
    sources: tuple[Source, ...] = ()
    note: str = ""

    @property
    def source_text(self) -> str:
        """``文档 第 3 页第 12 行（表名）；…`` and the note: what a page shows on hover."""
        places = "；".join(f"{s.doc_title or s.doc_id} {s.where}".strip() for s in self.sources)
        return "；".join(x for x in (places, self.note) if x)

    def as_dict(self) -> dict:
        return {"text": self.text, "value": None if self.value is None else str(self.value), "note": self.note,
                "sources": [{"doc_id": s.doc_id, "document": s.doc_title, "file": s.source_file, "page": s.page,
                             "line": s.line, "table": s.table, "where": s.where} for s in self.sources]}


@dataclass(frozen=True)
class Table:
    """One section of a comparison: its title, the column headers (the first two are labels) and rows."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def records(self) -> list[dict[str, str]]:
        """The rows as header → shown text."""
        return [{c: cell.text for c, cell in zip(self.columns, row)} for row in self.rows]

    def as_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "columns": list(self.columns),
                "rows": [[cell.as_dict() for cell in row] for row in self.rows]}


@dataclass(frozen=True)
class Comparison:
    """A comparison: ``kind`` (``years`` | ``execution`` | ``departments``), a title, its tables and the
    budgets it compares."""

    kind: str
    title: str
    tables: tuple[Table, ...]
    budgets: tuple[BudgetRef, ...] = ()

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "title": self.title, "tables": [t.as_dict() for t in self.tables],
                "budgets": [{"iri": b.iri, "department": b.department, "year": b.year, "phase": b.phase,
                             "doc_id": b.doc_id} for b in self.budgets]}


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def amount_cell(figure: Figure | None) -> Cell:
    """An amount in 万元 with its sources; ``—`` when the budget has none."""
    if figure is None:
        return Cell(DASH)
    value = cents(figure.amount)
    return Cell(wan(value), value, tuple(dict.fromkeys(figure.sources)), figure.note)


def signed_cell(value: Decimal | None, unit: str = "") -> Cell:
    """A change (``+72.23``, ``-2.70``) or a percentage, to the cent; ``—`` for None."""
    if value is None:
        return Cell(DASH)
    value = cents(value)
    return Cell(("+" if value > 0 else "") + wan(value) + unit, value)


def percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    """``part / whole × 100`` to the cent, half up; None where ``whole`` is missing or 0."""
    return None if not whole else cents(part * HUNDRED / whole)


# --- one budget's figures ---------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    """An amount of 万元 and where it was read (``note``: how it was got, when not read as it is)."""

    amount: Decimal
    sources: tuple[Source, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Row:
    """A row of a section: its code and name, and the budget's figure."""

    code: str
    name: str
    figure: Figure
    project: dict | None = None  # a project row: charts.projects' record


@dataclass
class Figures:
    """One budget's sections (:data:`SECTIONS`), each row by key."""

    budget: BudgetRef
    sections: dict[str, dict[str, Row]] = field(default_factory=dict)


def read_figures(store: Store, ref: BudgetRef, levels: tuple[str, ...] = ("类", "款"),
                 contexts: dict | None = None) -> Figures:
    """Everything the comparisons show of one budget, each amount with its sources."""
    contexts = contexts if contexts is not None else document_contexts(store)
    out = Figures(ref)
    nodes = charts.total_nodes(store, ref.iri)
    three = _three_public(store, ref.iri)
    projects = charts.projects(store, ref.iri)
    functional, economic = charts.functional_lines(store, ref.iri), charts.economic_lines(store, ref.iri)
    level_rows = {(kind, level): charts.level_rows(store, lines, charts.LEVELS[level])
                  for kind, lines in (("functional", functional), ("economic", economic)) for level in levels}
    iris = {iri for iri, _ in nodes.values()} | {iri for _, iri, _ in three.values()}
    iris |= {line for rows in level_rows.values() for r in rows for line in r[LINES]}
    where = value_sources(store, iris, contexts, str(BGT.amount))
    where_projects = value_sources(store, {p["iri"] for p in projects}, contexts, str(BGT.amount))

    def of(*iris_) -> tuple[Source, ...]:
        return tuple(s for i in iris_ for s in where.get(i, ()) if s.doc_id == ref.doc_id)

    out.sections["totals"] = {k: Row("", label, Figure(nodes[k][1], of(nodes[k][0])))
                              for k, label in TOTAL_ROWS if k in nodes}
    split = {k: Row("", label, Figure(nodes[k][1], of(nodes[k][0]))) for k, label in SPLIT_ROWS if k in nodes}
    if BASIC in split and PROJECT in split:  # 本年支出合计: 基本 + 项目 (a 决算's 支出总计 adds what is carried over)
        b, p = split[BASIC].figure, split[PROJECT].figure
        split[CURRENT] = Row("", "本年支出合计", Figure(b.amount + p.amount, b.sources + p.sources, "基本支出 + 项目支出"))
    out.sections["split"] = {k: split[k] for k, _ in SPLIT_ROWS if k in split}
    for (kind, level), rows in level_rows.items():
        out.sections[f"{kind}_{level}"] = {
            r[CODE]: Row(r[CODE], r[NAME], Figure(r[AMOUNT], of(*r[LINES]), "由下级科目合计" if r[SUMMED] else ""))
            for r in rows}
    out.sections["three_public"] = {k: Row("", label, Figure(three[k][0], of(three[k][1])))
                                    for k, label in THREE_PUBLIC_ROWS if k in three}
    out.sections["projects"] = {
        p["iri"]: Row(p["code"], p["项目"], Figure(p[AMOUNT], tuple(
            s for s in where_projects.get(p["iri"], ()) if s.doc_id == ref.doc_id)), p) for p in projects}
    return out


def _three_public(store: Store, budget: str) -> dict[str, tuple[Decimal, str, str]]:
    """The 三公 lines by what they are (total, abroad, reception, vehicle): amount, IRI and item as printed."""
    from . import sparql_terms as terms

    rows = store.select(f"""SELECT ?t ?item ?a WHERE {{ {terms.iri(budget)} bgt:threePublic ?t .
      ?t bgt:item ?item ; bgt:amount ?a }} ORDER BY ?t""")
    out: dict[str, tuple[Decimal, str, str]] = {}
    for r in rows:
        kind = three_public_kind(r["item"])
        if kind and kind not in out:
            out[kind] = (to_decimal(r["a"]) or Decimal(0), r["t"], r["item"])
    return out


def three_public_kind(item: str) -> str | None:
    """What a 三公 line is, by its words: ``total`` (合计), ``abroad`` (因公出国), ``reception`` (公务接待),
    ``vehicle`` (公务用车购置及运行, not its parts); None for a part (购置费, 运行费)."""
    item = squash(item)
    if "合计" in item:
        return "total"
    if "出国" in item:
        return "abroad"
    if "接待" in item:
        return "reception"
    if "公务用车" in item and ("购置及运行" in item or item.endswith("公务用车")):
        return "vehicle"
    return None


# --- which rows are one -----------------------------------------------------------------------

class SameProjects:
    """Which projects of a department's budgets are one: those its links graph links (:func:`kg.links.same_projects`,
    by code where it persists, else by the name without its year, each only where it is unique), and a 预算's
    and its 决算's project printed under one IRI — one rule for the links, the entity pages and the tables."""

    def __init__(self, pairs: list[tuple[str, str]] = ()):
        self._parent: dict[str, str] = {}
        for a, b in pairs:
            ra, rb = self.root(a), self.root(b)
            if ra != rb:
                self._parent[ra] = rb

    @classmethod
    def of(cls, store: Store, department_iri: str) -> SameProjects:
        return cls(same_projects(store, department_iri))

    def root(self, iri: str) -> str:
        while iri in self._parent:
            iri = self._parent[iri]
        return iri

    def groups(self, all_figures: list[Figures]) -> list[dict[int, Row]]:
        """The projects of several budgets, one group per project: index of the budget → its row (a second
        project of one budget in a group, which consistent links never give, gets a row of its own)."""
        by_root: dict[str, dict[int, Row]] = {}
        out: list[dict[int, Row]] = []
        for i, figures in enumerate(all_figures):
            for iri, row in figures.sections.get("projects", {}).items():
                group = by_root.get(self.root(iri))
                if group is None or i in group:
                    group = {}
                    out.append(group)
                    by_root.setdefault(self.root(iri), group)
                group[i] = row
        return out


def _keyed(all_figures: list[Figures], section: str, top: int,
           same: SameProjects | None = None) -> list[tuple[str, list[Row | None]]]:
    """The rows of one section across budgets: (row key, the row of each budget or None)."""
    if section == "projects":
        groups = (same or SameProjects()).groups(all_figures)
        groups.sort(key=lambda g: (-g[max(g)].figure.amount, g[max(g)].name))
        return [(str(n), [g.get(i) for i in range(len(all_figures))]) for n, g in enumerate(groups[:top])]
    keys: list[str] = []
    for figures in all_figures:
        keys += [k for k in figures.sections.get(section, {}) if k not in keys]
    if section.startswith(("functional", "economic")):
        keys.sort()
    return [(k, [f.sections.get(section, {}).get(k) for f in all_figures]) for k in keys]


def _labels(rows: list[Row | None]) -> tuple[Cell, Cell]:
    """The code and name of a row across budgets: the latest's, with earlier names noted."""
    present = [r for r in rows if r is not None]
    last = present[-1]
    names = list(dict.fromkeys(r.name for r in present))
    code = next((r.code for r in reversed(present) if r.code), "")
    note = f"曾用名：{'、'.join(n for n in names if n != last.name)}" if len(names) > 1 else ""
    return Cell(code), Cell(last.name, note=note)


# --- the three comparisons --------------------------------------------------------------------

def resolve_department(store: Store, name: str) -> tuple[str, str]:
    """A department by any name it goes by (:func:`kg.filters.named`; or its IRI): its IRI and label."""
    refs = charts.budgets(store)
    labels = {b.department_iri: b.department for b in refs}
    iris = [name] if name in labels else [i for i in named(department_names(store), name) if i in labels]
    if not iris:
        raise CompareError(f"no department named {name!r}", "department_not_found", name=name)
    if len(iris) > 1:
        raise CompareError(f"{name!r} names {len(iris)} departments", "department_ambiguous", name=name,
                           names="、".join(labels[i] for i in iris))
    return iris[0], labels[iris[0]]


def parse_years(text: str | None) -> tuple[int, ...] | None:
    """``2023-2025`` → (2023, 2024, 2025); ``2023,2024`` → (2023, 2024); empty → None (every year)."""
    if text is None or not str(text).strip():
        return None
    text = squash(str(text)).replace("，", ",").replace("—", "-").replace("–", "-").replace("至", "-")
    try:
        if re.fullmatch(r"\d{4}-\d{4}", text):
            first, last = (int(x) for x in text.split("-"))
            if 0 <= last - first <= 50:
                return tuple(range(first, last + 1))
        elif re.fullmatch(r"\d{4}(,\d{4})*", text):
            return tuple(sorted({int(x) for x in text.split(",")}))
    except ValueError:
        pass
    raise QueryError(f"not years: {text!r}", "query_input", value=text, expected="年度（如 2023-2025 或 2023,2024）")


def parse_phase(text: str | None) -> str:
    """``预算``/``budget``… → ``budget``; ``决算``/``final_account``… → ``final_account``; empty → budget."""
    if not text:
        return "budget"
    phase = PHASE_WORDS.get(squash(text).lower())
    if phase is None:
        raise QueryError(f"not a phase: {text!r}", "query_input", value=text,
                         expected="预算（budget）或决算（final_account）")
    return phase


def _department_budgets(store: Store, department_iri: str, phase: str | None = None,
                        years: tuple[int, ...] | None = None) -> list[BudgetRef]:
    return [b for b in charts.budgets(store) if b.department_iri == department_iri and b.scope == "department"
            and (phase is None or b.phase == phase) and (years is None or b.year in years)]


def by_year(store: Store, department: str, years: tuple[int, ...] | None = None, phase: str = "budget",
            top: int = 15) -> Comparison:
    """One department's 部门预算 (or 决算) year by year: every section, with each year's change against
    the year before in 万元 and % (``—`` where that year is not compared or its figure is missing or 0)."""
    iri, label = resolve_department(store, department)
    refs = sorted((b for b in _department_budgets(store, iri, phase, years) if b.year is not None),
                  key=lambda b: b.year)  # a budget whose document states no year has no place in the row
    if not refs:
        raise CompareError("no budgets to compare", "budget_not_found",
                           what=f"{label}{_years_text(years)}的{PHASE_ZH[phase]}")
    contexts = document_contexts(store)
    figures = [read_figures(store, b, contexts=contexts) for b in refs]
    columns = list(LABEL_COLUMNS)
    for i, b in enumerate(refs):
        columns.append(f"{b.year}年（万元）")
        if i:
            columns += [f"{b.year}年较上年增减（万元）", f"{b.year}年较上年增减（%）"]
    same = SameProjects.of(store, iri)
    tables = []
    for section, title in SECTIONS.items():
        if section == "functional_项" or not any(f.sections.get(section) for f in figures):
            continue
        rows = []
        for _, per_budget in _keyed(figures, section, top, same):
            cells = list(_labels(per_budget))
            for i, (b, row) in enumerate(zip(refs, per_budget)):
                cells.append(amount_cell(row and row.figure))
                if i:
                    previous = per_budget[i - 1] if refs[i - 1].year == b.year - 1 else None
                    cells += _change(row, previous)
            rows.append(tuple(cells))
        tables.append(Table(section, title, tuple(columns), tuple(rows)))
    return Comparison("years", f"{label} {PHASE_ZH[phase]}逐年比较", tuple(tables), tuple(refs))


def _years_text(years: tuple[int, ...] | None) -> str:
    return f" {'、'.join(str(y) for y in years)} 年" if years else ""


def _change(row: Row | None, previous: Row | None) -> list[Cell]:
    """The change against the previous year in 万元 and %."""
    if row is None or previous is None:
        return [Cell(DASH), Cell(DASH)]
    now, before = cents(row.figure.amount), cents(previous.figure.amount)
    return [signed_cell(now - before), signed_cell(percent(now - before, before))]


def execution(store: Store, department: str, year: int) -> Comparison:
    """预算 vs 决算 of one year: per total, functional line (类/款/项) and project, 年初预算, 决算 and the
    execution rate (决算 ÷ 年初预算 × 100).  A project's 年初预算 is the 决算's own 年初预算数 where it
    prints one, else the 预算 document's figure; a line's and a total's the 预算 document's (with no 预算 stored,
    a line's is the one the 决算's text states, :func:`stated_initial`); the column 依据 says which."""
    iri, label = resolve_department(store, department)
    final = _department_budgets(store, iri, "final_account", (int(year),))
    plan = _department_budgets(store, iri, "budget", (int(year),))
    if not final:
        raise CompareError("no final account", "budget_not_found", what=f"{label} {year} 年的决算")
    contexts = document_contexts(store)
    f = read_figures(store, final[0], ("类", "款", "项"), contexts)
    p = read_figures(store, plan[0], ("类", "款", "项"), contexts) if plan else None
    stated = {} if plan else stated_initial(store, final[0], contexts)
    stated_final = gpb_figures(store, final[0], contexts) if stated else {}
    same = SameProjects.of(store, iri)
    columns = (*LABEL_COLUMNS, "年初预算（万元）", "决算（万元）", "执行率（%）", "年初预算依据")
    tables = []
    for section, title in SECTIONS.items():
        if section.startswith("economic") or section == "totals":  # 总计 adds what is carried over
            continue
        rows = []
        final_rows = f.sections.get(section, {})
        planned = p.sections.get(section, {}) if p else {}
        if section == "projects":  # every project of either, one row where the links say they are one
            pairs = [(g.get(0), g.get(1)) for g in same.groups([p or Figures(final[0]), f])]
        else:
            pairs = [(planned.get(k), final_rows.get(k)) for k in dict.fromkeys([*final_rows, *planned])]
            if section.startswith("functional"):
                pairs.sort(key=lambda pr: (pr[1] or pr[0]).code)
        for before, after in pairs:
            budget, basis = _initial(before, after)
            spent = after and after.figure
            if budget is None and after is not None and section.startswith("functional") and after.code in stated:
                # the text's 年初预算 is of 一般公共预算财政拨款: a rate only against the 决算's figure of that fund
                budget, basis = stated[after.code], STATED_BASIS
                spent = stated_final.get(after.code)
            code, name = _labels([x for x in (before, after) if x is not None])
            rate = percent(cents(spent.amount), cents(budget.amount)) if spent and budget else None
            shown = amount_cell(spent or (after and after.figure)) if after else Cell(DASH, note=NOT_IN_FINAL)
            rows.append((code, name, amount_cell(budget), shown, Cell(DASH) if rate is None else Cell(wan(rate), rate),
                         Cell(basis)))
        if rows:
            tables.append(Table(section, title, columns, tuple(rows)))
    refs = (*plan[:1], final[0])
    return Comparison("execution", f"{label} {year} 年预算执行（决算与年初预算）", tuple(tables), refs)


NOT_IN_FINAL = "决算未列此项"


def gpb_figures(store: Store, ref: BudgetRef, contexts: dict) -> dict[str, Figure]:
    """The budget's 一般公共预算财政拨款 expenditure by functional code (类, 款 and 项), each with its places."""
    lines = charts.gpb_lines(store, ref.iri)
    rows = [r for digits in charts.LEVELS.values() for r in charts.level_rows(store, lines, digits)]
    where = value_sources(store, {line for r in rows for line in r[LINES]}, contexts, str(BGT.amount))
    return {r[CODE]: Figure(r[AMOUNT], tuple(s for line in r[LINES] for s in where.get(line, ())
                                             if s.doc_id == ref.doc_id), "一般公共预算财政拨款支出")
            for r in rows}


STATED_BASIS = "决算文字所述年初预算数（一般公共预算财政拨款）"


def stated_initial(store: Store, final: BudgetRef, contexts: dict) -> dict[str, Figure]:
    """The 年初预算 a 决算 states of its functional lines (``fn:{code}`` figures of its year's 预算, read by
    :func:`ingest.audit.growth.stated_figures`) by code, each with where it was printed: the 年初预算 of a
    line when the year's 预算 is not in the store."""
    from . import sparql_terms as terms

    rows = store.select(f"""SELECT ?f ?key ?a WHERE {{ {terms.iri(store.doc_graph(final.doc_id))} bgt:statedFigure ?f .
      ?f bgt:figureKey ?key ; bgt:fiscalYear ?y ; bgt:amount ?a ; bgt:statedKind "initial_budget" ;
      bgt:phase bgt:budgetPhase . FILTER(?y = {terms.integer(final.year)}) }} ORDER BY ?f""")
    where = value_sources(store, {r["f"] for r in rows}, contexts, str(BGT.amount))
    out: dict[str, Figure] = {}
    for r in rows:
        if r["key"].startswith("fn:"):
            out.setdefault(r["key"][3:], Figure(to_decimal(r["a"]), tuple(where.get(r["f"], ())), STATED_BASIS))
    return out


def _initial(before: Row | None, after: Row | None) -> tuple[Figure | None, str]:
    """The 年初预算 of a 决算 row and what it is: the 决算's own column, else the 预算 document's figure."""
    initial = after.project.get("initial") if after is not None and after.project else None
    if initial is not None:
        return Figure(initial, after.figure.sources, "决算所列年初预算数"), "决算所列年初预算数"
    if before is not None:
        return before.figure, "预算文件"
    return None, DASH


def side_by_side(store: Store, departments: list[str], year: int | None = None,
                 phase: str = "budget") -> Comparison:
    """Several departments' 部门预算 (or 决算) of one year (None: the latest they all have) side by side:
    totals, 基本/项目 and 类."""
    named_ = list(dict.fromkeys(resolve_department(store, d) for d in departments))
    if year is None:
        common = set.intersection(*({b.year for b in _department_budgets(store, iri, phase)} for iri, _ in named_))
        if not common - {None}:
            raise CompareError("no common year", "budget_not_found",
                               what=f"{'、'.join(label for _, label in named_)}同一年的{PHASE_ZH[phase]}")
        year = max(common - {None})
    refs = []
    for iri, label in named_:
        found = _department_budgets(store, iri, phase, (int(year),))
        if not found:
            raise CompareError("no budget", "budget_not_found", what=f"{label} {year} 年的{PHASE_ZH[phase]}")
        refs.append(found[0])
    contexts = document_contexts(store)
    figures = [read_figures(store, b, ("类",), contexts) for b in refs]
    columns = (*LABEL_COLUMNS, *(f"{b.department}（万元）" for b in refs))
    tables = []
    for section in ("totals", "split", "functional_类"):
        rows = [(*_labels(per), *(amount_cell(r and r.figure) for r in per))
                for _, per in _keyed(figures, section, 0)]
        if rows:
            tables.append(Table(section, SECTIONS[section], columns, tuple(rows)))
    return Comparison("departments", f"{year} 年{PHASE_ZH[phase]}部门比较", tuple(tables), tuple(refs))

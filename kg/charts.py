"""Chart data for one department-year-phase and across them: pandas frames of 万元 as ``Decimal``.

For a budget (部门 × 年度 × 预算/决算): expenditure by functional class (类 or 款 level, from the
支出总表, else the 一般公共预算支出表), basic expenditure by economic class, 基本支出 vs 项目支出, and
the largest projects.  Across budgets: the totals of every department-year-phase in the store, and one
department's functional classes year by year.  A level missing from a table is summed from the level below.
Amounts stay ``Decimal`` (never float): a front-end converts them only to draw.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Iterable

import pandas as pd

from . import sparql_terms as terms
from .iri import budget_unit
from .labels import PHASE_ZH
from .money import to_decimal
from .store import Store

LEVELS = {"类": 3, "款": 5, "项": 7}
FUNCTIONAL_ROLES = ("expenditure", "gpb_expenditure")  # 支出总表 covers every fund; the GPB table is the fallback
ECONOMIC_ROLES = ("basic_economic",)

CODE, NAME, AMOUNT, BASIC, PROJECT = "编码", "科目", "金额（万元）", "基本支出", "项目支出"
SHARE, LABEL = "占比（%）", "标签"
LINES, SUMMED = "行", "合计得出"  # a level row's printed line IRIs; whether it is summed from the level below
ZERO, HUNDRED, SHARE_STEP = Decimal(0), Decimal(100), Decimal("0.01")
DEPARTMENT, YEAR, PHASE, PERIOD, TOTAL = "部门", "年度", "阶段", "年度阶段", "支出合计"
BUDGET = "预决算"
SCOPE_ZH = {"department": "部门", "unit": "单位"}
SHOWN_TOTALS = ("income_total", "expenditure_total", "fiscal_appropriation_total")  # a department page's columns


@dataclass(frozen=True)
class BudgetRef:
    """One department-year-phase in the store."""

    iri: str
    department: str
    department_iri: str
    year: int | None
    phase: str  # budget | final_account
    doc_id: str
    scope: str = "department"  # department (部门预算/决算) | unit (单位预算/决算 of one budget unit)
    label: str = ""  # the budget's own name (a unit budget's names its unit)

    @property
    def phase_label(self) -> str:
        return PHASE_ZH.get(self.phase, self.phase)

    @property
    def scope_label(self) -> str:
        return SCOPE_ZH.get(self.scope, self.scope)

    @property
    def title(self) -> str:
        """``武汉市江岸区医疗保障局 2026年预算``; a unit budget by its own name (``…本级 2025年单位预算``)."""
        if self.scope == "unit" and self.label:
            return self.label
        return f"{self.department} {self.year}年{self.phase_label}" if self.year else f"{self.department} {self.phase_label}"


def budgets(store: Store) -> list[BudgetRef]:
    """Every budget, by department, year, phase and scope (a department's 部门预算 before its 单位预算s).

    The scope is read off the IRI (:func:`kg.iri.budget_unit`): a 单位预算's is ``…/{phase}/unit/{unit}``."""
    rows = store.select("""SELECT ?b ?dept ?d ?year ?phase ?id ?label WHERE {
      ?b a bgt:Budget ; bgt:department ?d ; bgt:disclosedIn ?doc . ?d rdfs:label ?dept . ?doc dcterms:identifier ?id .
      OPTIONAL { ?b bgt:fiscalYear ?year } OPTIONAL { ?b bgt:phase/skos:notation ?phase }
      OPTIONAL { ?b rdfs:label ?label } }
      ORDER BY ?dept ?year ?phase ?b""")
    seen, out = set(), []
    for r in rows:
        if r["b"] not in seen:
            seen.add(r["b"])
            phase = r["phase"] or "budget"
            out.append(BudgetRef(r["b"], r["dept"], r["d"], r["year"], phase, r["id"],
                                 "unit" if budget_unit(r["b"]) else "department", r["label"] or ""))
    return sorted(out, key=lambda b: (b.department, b.year or 0, b.phase, b.scope != "department", b.label))


def find_budget(store: Store, department: str | None = None, year: int | str | None = None,
                phase: str | None = None) -> BudgetRef | None:
    """The budget of a department (name, short name or IRI), year and phase (``budget``/``final_account``/预算/决算);
    unset parts pick the latest."""
    return find_budget_in(budgets(store), department, year, phase)


def find_budget_in(refs: list[BudgetRef], department: str | None = None, year: int | str | None = None,
                   phase: str | None = None, budget: str | None = None) -> BudgetRef | None:
    """:func:`find_budget` over a list already read; ``budget`` (an IRI) names one outright.  Of a
    department-year-phase, its 部门预算 comes before its 单位预算s."""
    if budget:
        return next((b for b in refs if b.iri == budget), None)
    if department:
        refs = [b for b in refs if department in (b.department, b.department_iri)] or [
            b for b in refs if department in b.department]
    if year not in (None, ""):
        refs = [b for b in refs if str(b.year) == str(year)]
    if phase:
        refs = [b for b in refs if phase in (b.phase, b.phase_label)]
    return max(refs, key=lambda b: (b.year or 0, b.phase == "final_account", b.scope == "department")) if refs else None


# --- one budget --------------------------------------------------------------------------------

def _table_lines(store: Store, budget: str, roles: tuple[str, ...]) -> dict[str, dict]:
    """The coded lines of the budget's first table with one of ``roles`` (the longest such table)."""
    rows = store.select(f"""SELECT ?ds ?l ?role ?code ?name ?t ?ba ?pa WHERE {{
      ?ds bgt:inBudget {terms.iri(budget)} ; bgt:tableRole ?role . ?l qb:dataSet ?ds ; bgt:code ?code .
      OPTIONAL {{ ?l bgt:printedName ?name }} OPTIONAL {{ ?l bgt:totalAmount ?t }}
      OPTIONAL {{ ?l bgt:basicAmount ?ba }} OPTIONAL {{ ?l bgt:projectAmount ?pa }} }} ORDER BY ?ds ?l""")
    tables: dict[str, list[dict]] = {}
    for r in rows:
        if r["role"] in roles and str(r["code"]).isdigit():
            tables.setdefault(r["ds"], []).append(r)
    if not tables:
        return {}
    best = min(tables.values(), key=lambda rs: (roles.index(rs[0]["role"]), -len(rs)))
    lines: dict[str, dict] = {}
    for r in best:
        lines.setdefault(str(r["code"]), {NAME: r["name"], AMOUNT: _amount(r["t"]), BASIC: _amount(r["ba"]),
                                          PROJECT: _amount(r["pa"]), LINES: (r["l"],)})
    return lines


def _amount(value) -> Decimal:
    """An amount read from the store; none printed is zero."""
    return to_decimal(value) or ZERO


def _sum(amounts: Iterable) -> Decimal:
    return sum(amounts, ZERO)


def _code_names(store: Store) -> dict[str, str]:
    rows = store.select(f"""SELECT ?n ?l WHERE {{ GRAPH {terms.iri(store.codelist_graph)} {{ ?c skos:notation ?n ;
      rdfs:label ?l }} }}""")
    return {str(r["n"]): r["l"] for r in rows}


def level_rows(store: Store, lines: dict[str, dict], digits: int) -> list[dict]:
    """The lines at one level of the code: a printed line where there is one, else the sum of the
    next level printed below it; each row keeps the IRIs of the printed lines it comes from (``行``)."""
    names = _code_names(store)
    out = []
    for prefix in sorted({c[:digits] for c in lines if len(c) >= digits}):
        if prefix in lines:
            row = dict(lines[prefix])
        else:
            below = [c for c in lines if c.startswith(prefix) and len(c) > digits]
            depth = min(len(c) for c in below)
            parts = [lines[c] for c in below if len(c) == depth]
            row = {k: _sum(p[k] for p in parts) for k in (AMOUNT, BASIC, PROJECT)}
            row[NAME] = names.get(prefix, prefix)
            row[LINES] = tuple(iri for p in parts for iri in p.get(LINES, ()))
        out.append({CODE: prefix, NAME: row[NAME] or names.get(prefix, prefix), AMOUNT: row[AMOUNT],
                    BASIC: row[BASIC], PROJECT: row[PROJECT], LINES: row.get(LINES, ()), SUMMED: prefix not in lines})
    return out


def _level(store: Store, lines: dict[str, dict], digits: int) -> pd.DataFrame:
    """:func:`level_rows` as a frame (without the line IRIs)."""
    return pd.DataFrame(level_rows(store, lines, digits), columns=[CODE, NAME, AMOUNT, BASIC, PROJECT])


def functional_lines(store: Store, budget: str) -> dict[str, dict]:
    """The coded lines of the budget's functional table (支出总表, else 一般公共预算支出表), by code."""
    return _table_lines(store, budget, FUNCTIONAL_ROLES)


def gpb_lines(store: Store, budget: str) -> dict[str, dict]:
    """The coded lines of the budget's 一般公共预算支出表, by code."""
    return _table_lines(store, budget, ("gpb_expenditure",))


def economic_lines(store: Store, budget: str) -> dict[str, dict]:
    """The coded lines of the budget's basic expenditure table by economic class, by code."""
    return _table_lines(store, budget, ECONOMIC_ROLES)


def functional(store: Store, budget: str, level: str = "类") -> pd.DataFrame:
    """Expenditure by functional class at ``level`` (类/款/项): 编码, 科目, 金额, 基本支出, 项目支出."""
    return _level(store, functional_lines(store, budget), LEVELS[level])


def economic(store: Store, budget: str, level: str = "类") -> pd.DataFrame:
    """Basic expenditure by economic class at ``level`` (类/款): 编码, 科目, 金额."""
    return _level(store, economic_lines(store, budget), LEVELS[level])[[CODE, NAME, AMOUNT]]


def total_nodes(store: Store, budget: str) -> dict[str, tuple[str, Decimal]]:
    """The budget's document totals by key (``expenditure_total``…): the total's IRI and amount."""
    rows = store.select(f"""SELECT ?t ?k ?a WHERE {{ {terms.iri(budget)} bgt:total ?t . ?t bgt:totalKey ?k ;
      bgt:amount ?a }} ORDER BY ?t""")
    out: dict[str, tuple[str, Decimal]] = {}
    for r in rows:
        out.setdefault(r["k"], (r["t"], _amount(r["a"])))
    return out


def totals(store: Store, budget: str) -> dict[str, Decimal]:
    """The budget's document totals (``expenditure_total``…)."""
    return {k: a for k, (_, a) in total_nodes(store, budget).items()}


def basic_vs_project(store: Store, budget: str) -> pd.DataFrame:
    """基本支出 and 项目支出: the document's totals, else the sums of the functional table's columns."""
    t = totals(store, budget)
    basic, project = t.get("basic_expenditure"), t.get("project_expenditure")
    if basic is None or project is None:
        by_class = functional(store, budget)
        basic = basic if basic is not None else _sum(by_class[BASIC])
        project = project if project is not None else _sum(by_class[PROJECT])
    return pd.DataFrame([{NAME: BASIC, AMOUNT: basic}, {NAME: PROJECT, AMOUNT: project}]).assign(
        **{SHARE: shares([basic, project])})


def shares(amounts: list[Decimal]) -> list[Decimal]:
    """Each amount's share of their sum in percent to 0.01, the cents of rounding given to the largest
    remainders so that the shares add up to exactly 100 (all zero when the sum is zero)."""
    whole = _sum(amounts)
    if not whole:
        return [ZERO for _ in amounts]
    exact = [a * HUNDRED / whole for a in amounts]
    down = [e.quantize(SHARE_STEP, rounding=ROUND_DOWN) for e in exact]
    short = int((HUNDRED - _sum(down)) / SHARE_STEP)
    for i in sorted(range(len(exact)), key=lambda i: down[i] - exact[i])[:short]:
        down[i] += SHARE_STEP
    return down


def projects(store: Store, budget: str) -> list[dict]:
    """The budget's projects as its own document states them (a 预算 and the 决算 of its year share a
    project's IRI, so each is read inside the budget's document graph): ``iri``, 项目, 金额, 预算单位,
    ``code``, ``initial`` (a 决算's 年初预算数), largest first."""
    rows = store.select(f"""SELECT ?p ?name ?a ?unit ?code ?initial WHERE {{ GRAPH ?g {{
      {terms.iri(budget)} bgt:disclosedIn ?g . ?p bgt:inBudget {terms.iri(budget)} ; a bgt:Project ;
      rdfs:label ?name ; bgt:amount ?a . OPTIONAL {{ ?p bgt:budgetUnit/rdfs:label ?unit }}
      OPTIONAL {{ ?p bgt:projectCode ?code }} OPTIONAL {{ ?p bgt:budgetInitial ?initial }} }} }}""")
    seen, out = set(), []
    for r in sorted(rows, key=lambda r: (-r["a"], r["name"], r["p"], r["unit"] or "")):
        if r["p"] not in seen:
            seen.add(r["p"])
            out.append({"iri": r["p"], "项目": r["name"], AMOUNT: _amount(r["a"]), "预算单位": r["unit"] or "",
                        "code": r["code"] or "", "initial": to_decimal(r["initial"])})
    return out


def top_projects(store: Store, budget: str, n: int = 15) -> pd.DataFrame:
    """The ``n`` largest projects: 项目, 金额, 预算单位, iri, and 标签 — the name, with its unit where
    another project shown has the same name (and a number where that is the same too), so that every
    project is a bar of its own."""
    out = [{k: p[k] for k in ("项目", AMOUNT, "预算单位", "iri")} for p in projects(store, budget)[:n]]
    for row, label in zip(out, distinct_labels([(r["项目"], r["预算单位"]) for r in out])):
        row[LABEL] = label
    return pd.DataFrame(out, columns=["项目", AMOUNT, "预算单位", "iri", LABEL])


def distinct_labels(names: list[tuple[str, str]]) -> list[str]:
    """One label per ``(name, unit)``, all different: the name; ``name（unit）`` where names repeat;
    ``name（unit）#2`` … where both repeat."""
    by_name = Counter(name for name, _ in names)
    labels = [f"{name}（{unit}）" if by_name[name] > 1 and unit else name for name, unit in names]
    count, seen = Counter(labels), Counter()
    out = []
    for label in labels:
        seen[label] += 1
        out.append(f"{label}#{seen[label]}" if count[label] > 1 else label)
    return out


def expenditure_total(store: Store, budget: str) -> Decimal:
    """支出合计: the document's total, else the sum of the functional classes."""
    t = totals(store, budget)
    if "expenditure_total" in t:
        return t["expenditure_total"]
    return _sum(functional(store, budget)[AMOUNT])


# --- across budgets ----------------------------------------------------------------------------

def across(store: Store) -> pd.DataFrame:
    """One row per budget: 预决算 (its title: a 单位预算 apart from its department's 部门预算), 部门, 年度,
    阶段, 支出合计, 基本支出, 项目支出."""
    out = []
    for b in budgets(store):
        split = basic_vs_project(store, b.iri).set_index(NAME)[AMOUNT]
        out.append({BUDGET: b.title, DEPARTMENT: b.department, YEAR: b.year, PHASE: b.phase_label,
                    TOTAL: expenditure_total(store, b.iri), BASIC: split[BASIC], PROJECT: split[PROJECT]})
    return pd.DataFrame(out, columns=[BUDGET, DEPARTMENT, YEAR, PHASE, TOTAL, BASIC, PROJECT])


@dataclass(frozen=True)
class BudgetTotals:
    """One budget of a department with the document's totals of :data:`SHOWN_TOTALS` it printed."""

    budget: BudgetRef
    totals: dict[str, Decimal]


def department_budgets(store: Store, department_iri: str) -> list[BudgetTotals]:
    """A department's budgets by year, phase and scope, each with its income, expenditure and fiscal
    appropriation totals (those the document printed)."""
    out = []
    for b in budgets(store):
        if b.department_iri == department_iri:
            t = totals(store, b.iri)
            out.append(BudgetTotals(b, {k: t[k] for k in SHOWN_TOTALS if k in t}))
    return out


def functional_by_year(store: Store, department: str, level: str = "类") -> pd.DataFrame:
    """One department's functional classes in each of its budgets: 年度阶段, 编码, 科目, 金额."""
    frames = []
    for b in budgets(store):
        if department not in (b.department, b.department_iri):
            continue
        f = functional(store, b.iri, level)[[CODE, NAME, AMOUNT]]
        period = f"{b.year or ''} {b.phase_label}".strip()
        f.insert(0, PERIOD, period if b.scope == "department" else f"{period}（{b.label or b.scope_label}）")
        frames.append(f)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[PERIOD, CODE, NAME, AMOUNT])

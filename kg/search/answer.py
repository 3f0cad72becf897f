"""The answer card: the amounts an understood question asks for, each with its source.

:func:`answer` reads, in the documents and subjects the question's filters allow, what the words left
name: a total (三公经费, 机关运行经费, 项目支出, 支出总计 …, by :data:`TOTAL_WORDS`), else a functional line
(the question's ``code`` with nothing else left: the line of the department-wide expenditure table,
:data:`LINE_TABLES` in order), else projects by name (names the words contain, else names containing
every word), else — nothing left but a condition on the subject (cites, amount, unit, fund) — the projects
it allows.  Amounts are the stored ``Decimal`` (万元); each value carries the place it was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .. import sparql_terms as terms
from ..filters import Filters, allowed, named, squash, unit_names
from ..labels import VALUES
from ..money import to_decimal
from .understand import Understood

# what a question calls a document total, beyond the totals' own labels (kg.labels)
TOTAL_WORDS = {"三公": "three_public_total", "三公经费": "three_public_total", "“三公”经费": "three_public_total",
               "总额": "expenditure_total", "支出总额": "expenditure_total", "支出总计": "expenditure_total",
               "总支出": "expenditure_total", "支出": "expenditure_total", "收入总计": "income_total",
               "总收入": "income_total"}
NOISE = ("执行率", "执行数", "金额", "预算数", "决算数", "情况")  # words that say which figure, not which entity
LINE_TABLES = ("expenditure", "summary", "gpb_expenditure")  # where a functional line's amount is read, in order
DOC_FIELDS = ("department", "region", "year", "phase")


@dataclass(frozen=True)
class AnswerValue:
    """One amount: what it is of (an entity and its kind), the document and the place it was read."""

    entity: str  # IRI
    kind: str  # project | line | budget | three_public
    name: str
    code: str | None
    amount: Decimal | None  # 万元, as stored
    doc_id: str
    page: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class Answer:
    """``figure`` (amounts of named entities), ``list`` (the projects the conditions allow) or ``none``."""

    kind: str
    values: tuple[AnswerValue, ...] = ()
    what: str = ""  # what was looked for, in the question's words


def _total_keys() -> dict[str, str]:
    words = {squash(k): v for k, v in TOTAL_WORDS.items()}
    for key, label in VALUES["totalKey"].items():
        words.setdefault(squash(label), key)
        words.setdefault(squash(label).removesuffix("合计"), key)
    return words


def _words(text: str, code: str | None) -> list[str]:
    out = []
    for word in text.split():
        if code and word == "支出":  # 社区矫正 支出: the class's own word
            continue
        for noise in NOISE:
            word = word.replace(noise, "")
        if word:
            out.append(squash(word))
    return out


_PLACE = """OPTIONAL {{ {s} prov:qualifiedDerivation ?loc . FILTER NOT EXISTS {{ ?loc bgt:forProperty ?anyp }}
                OPTIONAL {{ ?loc bgt:page ?page }} OPTIONAL {{ ?loc bgt:line ?line }} }}"""


def _doc(g: str) -> str:
    return g.rsplit("/", 1)[-1]


def _values(rows, kind: str, name_of=lambda r: r["name"]) -> list[AnswerValue]:
    """One value per (entity, document), at the entity's first place."""
    best: dict[tuple, AnswerValue] = {}
    for r in rows:
        key = (r["s"], r["g"])
        v = AnswerValue(r["s"], kind, name_of(r) or "", r.get("code"), to_decimal(r["amount"]), _doc(r["g"]),
                        r.get("page"), r.get("line"))
        old = best.get(key)
        if old is None or ((v.page or 0), (v.line or 0)) < ((old.page or 0), (old.line or 0)):
            best[key] = v
    return sorted(best.values(), key=lambda v: (v.doc_id, v.page or 0, v.line or 0, v.name))


def _totals(store, graphs: list[str], key: str, unit: str | None = None) -> list[AnswerValue]:
    """The total ``key`` of the 部门 budgets in ``graphs`` — or, with ``unit``, of that unit's 单位 budgets:
    a department's question never mixes in a unit's total (a 单位预算's 三公经费 of 0 beside the 部门's)."""
    rows = store.select(f"""SELECT ?s ?g ?b ?dept ?year ?phase ?amount ?page ?line WHERE {{ {terms.values("?g", graphs)}
      GRAPH ?g {{ ?b bgt:disclosedIn ?g ; bgt:total ?s ; bgt:department/rdfs:label ?dept .
                 ?s bgt:totalKey {terms.literal(key)} ; bgt:amount ?amount .
                 OPTIONAL {{ ?b bgt:fiscalYear ?year }} OPTIONAL {{ ?b bgt:phase ?ph }} {_PLACE.format(s="?s")} }}
      OPTIONAL {{ ?ph skos:notation ?phase }} }}""")
    table = unit_names(store)
    iris = set(named(table, unit)) if unit else set()
    units = {n for iri, n in table if iri in iris} if unit else {None}
    level = lambda r: {str(store.minter.budget(r["dept"], r["year"], r["phase"] or "budget", u))  # noqa: E731
                       for u in units}
    rows = [r for r in rows if r["b"] in level(r)]
    return _values(rows, "three_public" if key == "three_public_total" else "budget",
                   lambda r: VALUES["totalKey"].get(key, key))


def _lines(store, graphs: list[str], code: str) -> list[AnswerValue]:
    rows = store.select(f"""SELECT ?s ?g ?name ?code ?amount ?role ?page ?line WHERE {{ {terms.values("?g", graphs)}
      GRAPH ?g {{ ?s a bgt:BudgetLine ; qb:dataSet ?ds ; bgt:functionalClass ?c ; bgt:totalAmount ?amount .
                 ?c skos:notation ?code . FILTER(STR(?code) = {terms.literal(code)})
                 ?ds bgt:tableRole ?role . OPTIONAL {{ ?s bgt:printedName ?name }} {_PLACE.format(s="?s")} }} }}""")
    by_doc: dict[str, list] = {}
    for r in rows:
        by_doc.setdefault(r["g"], []).append(r)
    chosen = []
    for doc_rows in by_doc.values():
        rank = lambda r: LINE_TABLES.index(r["role"]) if r["role"] in LINE_TABLES else len(LINE_TABLES)  # noqa: E731
        first = min(rank(r) for r in doc_rows)
        chosen += [r for r in doc_rows if rank(r) == first]
    values = _values(chosen, "line")
    return [v for i, v in enumerate(values) if not any(o.doc_id == v.doc_id for o in values[:i])]


def _projects(store, graphs: list[str], subjects) -> list[dict]:
    rows = store.select(f"""SELECT ?s ?g ?name ?alias ?code ?amount ?page ?line WHERE {{ {terms.values("?g", graphs)}
      GRAPH ?g {{ ?s a bgt:Project ; rdfs:label ?name ; bgt:inBudget ?b . ?b bgt:disclosedIn ?g .
                 OPTIONAL {{ ?s bgt:amount ?amount }} OPTIONAL {{ ?s bgt:projectCode ?code }}
                 OPTIONAL {{ ?s skos:altLabel ?alias }} {_PLACE.format(s="?s")} }} }}""")
    return [r for r in rows if subjects is None or r["s"] in subjects]


def _named(rows: list[dict], words: list[str]) -> list[dict]:
    """Projects whose name (or alias) the words contain — the longest such names —, else those whose
    name holds every word."""
    text = "".join(words)
    names = lambda r: [squash(r["name"])] + ([squash(r["alias"])] if r.get("alias") else [])  # noqa: E731
    inside = [r for r in rows if any(n and n in text for n in names(r))]
    if inside:
        longest = max(len(n) for r in inside for n in names(r) if n in text)
        return [r for r in inside if any(len(n) == longest and n in text for n in names(r))]
    return [r for r in rows if any(all(w in n for w in words) for n in names(r))]


def answer(store, understood: Understood, filters: Filters | None = None) -> Answer | None:
    """The answer card of a question (``filters``: those in force, default the question's own); ``None``
    when the question names nothing to answer (no recognised condition and no word asking for a figure)."""
    f = understood.filters if filters is None else filters
    if not (understood.asks_figure or understood.spans):
        return None
    words = _words(understood.text, f.code)
    doc_filter = Filters(**{k: v for k, v in f.active().items() if k in DOC_FIELDS})
    docs = allowed(store, doc_filter)
    graphs = sorted(str(store.doc_graph(d)) for d in docs.documents) if docs is not None else \
        sorted(str(store.doc_graph(d.doc_id)) for d in store.list_documents())
    what = understood.text
    key = _total_keys().get("".join(words)) if words else None
    if key:
        return _answered("figure", _totals(store, graphs, key, f.unit), what)
    if f.code and not words:
        return _answered("figure", _lines(store, graphs, squash(f.code)), what)
    subjects = allowed(store, f).subjects if f.on_subject() else None
    if words:
        rows = _named(_projects(store, graphs, subjects), words)
        return _answered("figure", _values(rows, "project"), what)
    if f.on_subject():
        return _answered("list", _values(_projects(store, graphs, subjects), "project"), what)
    return None


def _answered(kind: str, values: list[AnswerValue], what: str) -> Answer:
    return Answer(kind if values else "none", tuple(values), what)

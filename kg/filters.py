"""Structured search filters (DESIGN §7): which documents and subjects a search may return.

:func:`filter_query` turns :class:`Filters` into one SPARQL SELECT of the document graphs ``?g``
(and, when a condition is on the subject, the subjects ``?subject``) the conditions allow.  Names
(a department's or a unit's, full or short) are looked up first in small tables read from the graph
once per store write (:func:`department_names`, :func:`unit_names`) and enter the query as IRIs:
matching names by string tests inside the query costs tens of milliseconds over hundreds of
documents, the lookup microseconds, and the printed query is exactly the one that runs.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

from ingest.normalise import nfkc_squash

from . import sparql_terms as terms
from .errors import QueryError
from .queries import ref_keys

PHASE_WORDS = {"budget": "budget", "预算": "budget", "部门预算": "budget", "final_account": "final_account",
               "final": "final_account", "决算": "final_account", "部门决算": "final_account"}
SUBJECT_CONDITIONS = ("unit", "fund", "min_amount", "max_amount", "code", "cites")
STRICT = {"min_exclusive": "min_amount", "max_exclusive": "max_amount"}  # a strictness flag → its amount


def squash(text: str | None) -> str:
    """NFKC with all whitespace removed: how names are compared."""
    return nfkc_squash(text)


@dataclass(frozen=True)
class Filters:
    """Structured conditions, all optional; names compare after NFKC with whitespace removed.

    ``department``/``unit``: full name, any short name or alias (or the name without its leading
    city); ``region``: part of the document's region; ``phase``: budget|final_account|预算|决算;
    ``fund``: part of a funding source; ``min_amount``/``max_amount``: 万元, on the project amount,
    inclusive (``100 万元以上``) unless ``min_exclusive``/``max_exclusive`` (``超过 100 万元``, ``低于 …``);
    ``code``: a functional-classification code prefix or a project code; ``cites``: a 文号 in any
    bracket variant, or a title.  A strictness flag without its amount is no condition.
    """

    department: str | None = None
    region: str | None = None
    year: int | None = None
    phase: str | None = None
    unit: str | None = None
    fund: str | None = None
    min_amount: Decimal | int | str | None = None
    max_amount: Decimal | int | str | None = None
    code: str | None = None
    cites: str | None = None
    min_exclusive: bool = False
    max_exclusive: bool = False

    def active(self) -> dict:
        """The conditions set: a strictness flag only when true and its amount is set."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in (None, "")}
        for flag, amount in STRICT.items():
            if flag in out and (amount not in out or not _flag(out[flag])):
                out.pop(flag)
            elif flag in out:
                out[flag] = True
        return out

    def __bool__(self) -> bool:
        return bool(self.active())

    def on_subject(self) -> bool:
        """Whether a condition is on the subject (not only on its document)."""
        return any(k in SUBJECT_CONDITIONS for k in self.active())

    @classmethod
    def resolve(cls, value: Filters | dict | None) -> Filters:
        """``None``, a dict (``amount_min``/``amount_max`` accepted too) or Filters → Filters."""
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        d = dict(value)
        for old, new in (("amount_min", "min_amount"), ("amount_max", "max_amount"), ("dept", "department")):
            if old in d:
                d[new] = d.pop(old)
        unknown = set(d) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown filter {', '.join(sorted(unknown))}; use {', '.join(f.name for f in fields(cls))}")
        for flag in STRICT:
            if flag in d:
                d[flag] = _flag(d[flag])
        return cls(**d)

    def over(self, under: Filters | dict | None) -> Filters:
        """These filters winning over ``under``'s: a bound brings its own strictness (a form's 下限 of 50
        replaces a question's 超过 85 as a whole)."""
        mine, theirs = self.active(), Filters.resolve(under).active()
        for flag, amount in STRICT.items():
            if amount in mine:
                theirs.pop(flag, None)
        return Filters(**{**theirs, **mine})


def amount_text(amount: str, upper: bool, exclusive: bool) -> str:
    """How a bound reads: ``超过 85 万元`` or ``85 万元以上``, ``低于 85 万元`` or ``85 万元以下`` (``amount``
    as it is to be shown, with its unit)."""
    if exclusive:
        return f"{'低于' if upper else '超过'} {amount}"
    return f"{amount}{'以下' if upper else '以上'}"


def _flag(value) -> bool:
    """A strictness flag: ``True``/``False``, or (from a URL or a command line) ``1``/``0``, ``true``/``false``."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if isinstance(value, (str, int)) else None
    if text in ("1", "true", "yes"):
        return True
    if text in ("0", "false", "no", ""):
        return False
    raise QueryError(f"a strictness flag is true or false, not {value!r}", "query_input", value=str(value),
                     expected="true 或 false")


# --- names -> IRIs ------------------------------------------------------------------------------

def department_names(store) -> list[tuple[str, str]]:
    """``(department IRI, name)`` for every name a department goes by (squashed): its labels and
    aliases, and an alias that opens with the level of its document's region (``区医保局``) also read
    with the region in front (``武汉市东西湖区医保局``).  Read once per store write."""
    def read() -> list[tuple[str, str]]:
        out = set()
        for r in store.select("""SELECT DISTINCT ?dept ?name ?region WHERE { GRAPH ?g {
                ?b bgt:disclosedIn ?g ; bgt:department ?dept .
                ?dept rdfs:label|skos:prefLabel|skos:altLabel ?name . OPTIONAL { ?g bgt:region ?region } } }"""):
            name, region = squash(r["name"]), squash(r["region"])
            out.add((r["dept"], name))
            if region and name.startswith(region[-1]):
                out.add((r["dept"], region + name[1:]))
        return sorted(out)

    return store.cached("department-names", read)


def unit_names(store) -> list[tuple[str, str]]:
    """``(unit IRI, name)`` for every budget unit's label (squashed).  Read once per store write."""
    return store.cached("unit-names", lambda: sorted({(r["unit"], squash(r["name"])) for r in store.select(
        "SELECT DISTINCT ?unit ?name WHERE { GRAPH ?g { ?unit a bgt:BudgetUnit ; rdfs:label ?name } }")}))


def named(table: list[tuple[str, str]], name: str) -> list[str]:
    """The IRIs in ``table`` whose name is ``name`` or ends with it (``江岸区医保局`` names
    ``武汉市江岸区医保局``), whitespace and character widths aside."""
    key = squash(name)
    return sorted({iri for iri, n in table if key and (n == key or n.endswith(key))})


def _amount(value) -> str:
    try:
        return terms.number(value)
    except QueryError:
        raise QueryError(f"amount must be a number of 万元 (a Decimal or its text), not {value!r}",
                         "query_input", value=str(value), expected="以万元计的金额") from None


def filter_query(filters: Filters | dict | None, store) -> str:
    """The SELECT (without prefixes) of what ``filters`` allow in ``store``: the document graphs ``?g``
    and, when a condition is on the subject (unit, fund, amount, code, cites), the subjects
    ``?subject`` in them.  A department or unit nobody goes by gives an empty ``VALUES``: no rows."""
    f = Filters.resolve(filters)
    doc, subj = [], []
    if f.department:
        depts = named(department_names(store), f.department)
        doc.append(f"{terms.comment(squash(f.department))}\n    {terms.values('?dept', depts)} ?b bgt:department ?dept .")
    if f.region:
        doc.append(f'?g bgt:region ?region . FILTER(CONTAINS(REPLACE(STR(?region), "\\\\s", ""), '
                   f'{terms.literal(squash(f.region))}))')
    if f.year is not None:
        doc.append(f"?b bgt:fiscalYear {terms.integer(f.year)} .")
    if f.phase:
        phase = PHASE_WORDS.get(squash(f.phase).lower())
        if phase is None:
            raise QueryError(f"phase must be budget/预算 or final_account/决算, not {f.phase!r}", "query_input",
                             value=f.phase, expected="预算（budget）或决算（final_account）")
        doc.append(f"?b bgt:phase {'bgt:budgetPhase' if phase == 'budget' else 'bgt:finalAccountPhase'} .")
    if f.unit:
        units = named(unit_names(store), f.unit)  # a unit's passages are the unit's and those of its projects
        subj.append(f"{terms.comment(squash(f.unit))}\n"
                    f"    {{ {terms.values('?unit', units)} ?subject bgt:budgetUnit|bgt:executingUnit ?unit }}"
                    f" UNION {{ {terms.values('?subject', units)} ?subject a bgt:BudgetUnit }}")
    if f.fund:
        subj.append("?subject bgt:funding/bgt:fundingSource/rdfs:label ?fund . "
                    f'FILTER(CONTAINS(STR(?fund), {terms.literal(squash(f.fund))}))')
    if f.min_amount is not None or f.max_amount is not None:
        tests = ([f"?amount {'>' if _flag(f.min_exclusive) else '>='} {_amount(f.min_amount)}"]
                 if f.min_amount is not None else []) + \
                ([f"?amount {'<' if _flag(f.max_exclusive) else '<='} {_amount(f.max_amount)}"]
                 if f.max_amount is not None else [])
        subj.append(f"?subject a bgt:Project ; bgt:amount ?amount . FILTER({' && '.join(tests)})")
    if f.code:
        code = terms.literal(squash(f.code))
        subj.append(f"{{ ?subject bgt:functionalClass/skos:notation ?fnCode . FILTER(STRSTARTS(STR(?fnCode), {code})) }}"
                    f" UNION {{ ?subject bgt:projectCode ?pCode . FILTER(REPLACE(STR(?pCode), \"\\\\s\", \"\") = {code}) }}")
    if f.cites:
        subj.append(f"{terms.values('?citeKey', ref_keys(f.cites), terms.literal)} ?subject bgt:cites ?law . "
                    "?law eli:id_local|eli:title ?citeKey .")
    head = "?g ?subject" if subj else "?g"
    body = "\n    ".join(doc + subj)
    return f"""SELECT DISTINCT {head} WHERE {{
  GRAPH ?g {{
    ?b bgt:disclosedIn ?g .
    {body}
  }}
}}"""


@dataclass(frozen=True)
class Allowed:
    """What a filter allows: document ids, and the subject IRIs in them (``None``: every subject)."""

    documents: frozenset[str]
    subjects: frozenset[str] | None


def allowed(store, filters: Filters | dict | None) -> Allowed | None:
    """Run :func:`filter_query`; ``None`` when ``filters`` is empty (everything is allowed)."""
    f = Filters.resolve(filters)
    if not f:
        return None
    rows = store.select(filter_query(f, store))
    subjects = frozenset(r["subject"] for r in rows) if f.on_subject() else None
    return Allowed(frozenset(r["g"].rsplit("/", 1)[-1] for r in rows), subjects)

"""A question in plain words → structured :class:`~kg.filters.Filters` and the words left to search.

:func:`understand` recognises, in this order, each on the characters earlier steps left: 《titles》 and
文号 (``cites``, normalised as ingest normalises them), amounts with a comparator (``min_amount`` /
``max_amount`` in 万元; ``min_exclusive``/``max_exclusive`` for a strict one, 超过/低于), years, budget units and departments (by the names the store's documents give
them, also short, region-prefixed, without the city or the 区 and colloquially abridged), a region when no
department is named, funding sources, phases, functional-classification names as the store prints them
(``code``; only a name standing alone, never inside a longer word such as a project's name, and only
in a question that states something else) and the
words that ask for a figure.  What is left is the text to search.  Every recognised piece is a
:class:`Span` of the query, so a front-end can show it and let the user drop it (:meth:`Understood.without`).
The names come from :func:`lookups` (read from the store once per write), never from a list in the code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ingest.citations import doc_numbers, normalize_title
from ingest.numbers import to_wan

from ..filters import Filters, department_names, squash, unit_names

# --- words ---------------------------------------------------------------------------------------

FIGURE_WORDS = ("花了多少钱", "花了多少", "是多少钱", "是多少", "多少万元", "多少万", "多少钱", "多少", "金额是",
                "预算数", "决算数", "执行数是")
PHASES = (("部门预算", "budget"), ("单位预算", "budget"), ("年初预算", "budget"), ("预算", "budget"),
          ("部门决算", "final_account"), ("单位决算", "final_account"), ("年度决算", "final_account"),
          ("决算", "final_account"))
NOT_A_PHASE = ("一般公共预算", "政府性基金预算", "国有资本经营预算")  # words that hold 预算
REF_VERBS = re.compile(r"引用了|引用|依据|根据|按照|参照")  # words before a 文号 that are not its issuer
BUDGET_WORDS = ("年度", "预算", "决算", "年初", "部门", "单位", "三公", "机关", "项目", "支出", "收入", "经费", "总额")
# question and function words dropped from the start and the end of what is left (项目 only at the end:
# 项目支出 is a total)
LEADING_WORDS = ("哪些项目", "有哪些", "哪些", "引用了", "引用", "依据", "的", "了", "是")
TRAILING_WORDS = ("的项目", "有哪些", "哪些", "安排的", "安排", "项目", "的", "了", "是", "有")
ORGAN_ENDS = "局委道处会办院心所站队厅府"
LEVELS = "省市区县"
MIN_AMOUNT_WORDS = ("超过", "高于", "大于", "多于", "不低于", "不少于", "至少")
MAX_AMOUNT_WORDS = ("不超过", "不高于", "不多于", "低于", "少于", "小于", "不足", "至多")
STRICT_WORDS = ("超过", "高于", "大于", "多于", "低于", "少于", "小于", "不足")  # the amount itself is not allowed
_NUM = r"(\d+(?:\.\d+)?)\s*(亿元|亿|万元|万|元)"
_RANGE = re.compile(rf"(\d+(?:\.\d+)?)\s*(亿元|亿|万元|万|元)?\s*(?:到|至|-|~|～)\s*{_NUM}\s*(?:之间)?")
_BEFORE = re.compile(rf"({'|'.join(sorted(MIN_AMOUNT_WORDS + MAX_AMOUNT_WORDS, key=len, reverse=True))})\s*{_NUM}"
                     r"\s*(?:以上|以下)?")
_AFTER = re.compile(rf"{_NUM}\s*(及以上|以上|及以下|以下)")
# a 4-digit number before an amount's unit (2000万元, 2020 元) or a decimal point is an amount, never a year
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?!\d|\.\d)(?!\s*(?:万|元|亿|千))\s*(?:年度|年)?")
_SHORT_YEAR = re.compile(rf"(?<!\d)(\d\d)\s*年(?:度)?(?=\s*(?:{'|'.join(BUDGET_WORDS)}))")
_TITLE = re.compile(r"《([^《》]+)》")
STRICT_FLAG = {"min_amount": "min_exclusive", "max_amount": "max_exclusive"}
GONE = "\x00"  # a recognised character in the working copy (no name or word runs across it)


@dataclass(frozen=True)
class Span:
    """``query[start:end]`` was read as ``field`` = ``value`` (``figure``: a word asking for an amount)."""

    start: int
    end: int
    field: str
    value: object


@dataclass(frozen=True)
class Understood:
    """What :func:`understand` read: the filters, the words left to search, and where each came from."""

    query: str
    filters: Filters
    text: str
    spans: tuple[Span, ...] = ()

    @property
    def asks_figure(self) -> bool:
        return any(s.field == "figure" for s in self.spans)

    def without(self, names) -> Understood:
        """The same question with the filters ``names`` dropped: their words return to the text."""
        names = set(names)
        names |= {STRICT_FLAG[n] for n in names & set(STRICT_FLAG)}  # a bound goes with its strictness
        if not names & set(self.filters.active()):
            return self
        kept = tuple(s for s in self.spans if s.field not in names)
        values = {f: False if f in STRICT_FLAG.values() else None for f in names if hasattr(self.filters, f)}
        return replace(self, filters=replace(self.filters, **values), spans=kept,
                       text=_leftover(self.query, kept))


@dataclass(frozen=True)
class Lookups:
    """The names :func:`understand` recognises, read from the store (see :func:`lookups`)."""

    departments: dict[str, str] = field(default_factory=dict)  # department IRI → its full name
    department_names: tuple[tuple[str, str, int], ...] = ()  # (IRI, squashed name, where its own part starts)
    units: tuple[tuple[str, str], ...] = ()  # (squashed name as matched, the unit's name)
    regions: tuple[str, ...] = ()
    department_years: dict[str, frozenset] = field(default_factory=dict)  # IRI → {(year, phase)}
    funds: tuple[str, ...] = ()
    codes: dict[str, dict[str, frozenset]] = field(default_factory=dict)  # class name → {code: departments printing it}


def _region_parts(region: str) -> list[str]:
    """``武汉市江岸区`` → ``["武汉市", "江岸区"]``."""
    return re.findall(rf"[^{LEVELS}]+[{LEVELS}]", region)


def _own_start(name: str, region: str) -> int:
    """Where a department's name leaves its region: after ``武汉市江岸区``, ``江岸区`` or a leading ``区``."""
    i = 0
    for part in _region_parts(region):
        if name.startswith(part, i):
            i += len(part)
    if i == 0 and region and name[:1] == region[-1]:
        i = 1
    return i


def lookups(store) -> Lookups:
    """The store's department, unit, region, fund and functional-class names (one read per store write)."""
    def read() -> Lookups:
        full, regions, years = {}, {}, {}
        for r in store.select("""SELECT DISTINCT ?dept ?label ?region ?year ?phase WHERE { GRAPH ?g {
                ?b bgt:disclosedIn ?g ; bgt:department ?dept . ?dept rdfs:label ?label .
                OPTIONAL { ?g bgt:region ?region } OPTIONAL { ?b bgt:fiscalYear ?year }
                OPTIONAL { ?b bgt:phase/skos:notation ?phase } } }"""):
            full.setdefault(r["dept"], squash(r["label"]))
            if r["region"]:
                regions[r["dept"]] = squash(r["region"])
            years.setdefault(r["dept"], set()).add((r["year"], r["phase"]))
        names = tuple((iri, n, _own_start(n, regions.get(iri, ""))) for iri, n in department_names(store))
        units = set()
        for _, n in unit_names(store):
            units.add((n, n))
            city = re.match(r"[^市]{2,3}市", n)
            if city and len(n) - city.end() >= 4:
                units.add((n[city.end():], n))
        codes: dict[str, dict[str, set]] = {}
        for r in store.select("""SELECT DISTINCT ?code ?name ?dept WHERE {
                { GRAPH ?g { ?o a bgt:BudgetLine ; bgt:functionalClass ?c ; bgt:printedName ?name . ?c skos:notation ?code .
                             ?b bgt:disclosedIn ?g ; bgt:department ?dept } }
                UNION { GRAPH ?g { ?p bgt:functionalClass ?c } ?c skos:notation ?code ; skos:prefLabel ?name } }"""):
            if len(name := squash(r["name"])) >= 2:
                depts = codes.setdefault(name, {}).setdefault(str(r["code"]), set())
                if r["dept"]:
                    depts.add(r["dept"])
        funds = {squash(r["v"]) for r in store.select(
            "SELECT DISTINCT ?v WHERE { GRAPH ?g { ?f a bgt:FundingSource ; rdfs:label ?v } }")}
        return Lookups(full, names, tuple(sorted(units)), tuple(sorted(set(regions.values()))),
                       {k: frozenset(v) for k, v in years.items()}, tuple(sorted(funds)),
                       {n: {c: frozenset(d) for c, d in by_code.items()} for n, by_code in codes.items()})

    return store.cached("question-lookups", read)


# --- the working copy --------------------------------------------------------------------------------

class _Work:
    """The query folded character by character (NFKC, so positions stay the query's), recognised spans
    blanked out as they are taken."""

    def __init__(self, query: str):
        self.query = query
        self.chars = [c2 if len(c2 := unicodedata.normalize("NFKC", c)) == 1 else c for c in query]
        self.spans: list[Span] = []

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def take(self, start: int, end: int, name: str, value) -> None:
        self.spans.append(Span(start, end, name, value))
        for i in range(start, end):
            self.chars[i] = GONE

    def squashed(self) -> tuple[str, list[int]]:
        """The characters left without whitespace, and each one's position in the query."""
        keep = [(c, i) for i, c in enumerate(self.chars) if not c.isspace()]
        return "".join(c for c, _ in keep), [i for _, i in keep]

    def has(self, name: str) -> bool:
        return any(s.field == name for s in self.spans)


def _wan(number: str, unit: str | None) -> Decimal:
    value = to_wan(Decimal(number), {"亿": "亿元", None: "万元"}.get(unit, unit))
    return Decimal(format(value.normalize(), "f"))


def _cites(w: _Work) -> None:
    for m in _TITLE.finditer(w.text):
        w.take(m.start(), m.end(), "cites", normalize_title(m[1]))
    text = REF_VERBS.sub(lambda m: " " * len(m[0]), w.text)
    for start, end, _, key in doc_numbers(text):
        if not w.has("cites"):
            w.take(start, end, "cites", key)


def _amounts(w: _Work) -> None:
    """Ranges (inclusive), a comparator before the amount (``超过`` strict, ``不低于`` inclusive, see
    :data:`STRICT_WORDS`) and 以上/以下 after it (inclusive).  A strict bound adds a ``min_exclusive`` /
    ``max_exclusive`` span over the same words; only the first bound of each side counts."""
    def bound(m, side: str, value: Decimal, strict: bool) -> None:
        first = not w.has(side)
        w.take(m.start(), m.end(), side, value)
        if first and strict:
            w.spans.append(Span(m.start(), m.end(), STRICT_FLAG[side], True))

    for m in list(_RANGE.finditer(w.text)):
        unit = m[2] or m[4]
        w.take(m.start(), m.end(), "min_amount", _wan(m[1], unit))
        w.spans.append(Span(m.start(), m.end(), "max_amount", _wan(m[3], m[4])))
    for m in list(_BEFORE.finditer(w.text)):
        bound(m, "min_amount" if m[1] in MIN_AMOUNT_WORDS else "max_amount", _wan(m[2], m[3]), m[1] in STRICT_WORDS)
    for m in list(_AFTER.finditer(w.text)):
        bound(m, "min_amount" if m[3].endswith("以上") else "max_amount", _wan(m[1], m[2]), False)


def _years(w: _Work) -> None:
    m = _YEAR.search(w.text) or _SHORT_YEAR.search(w.text)
    if m:
        year = int(m[1]) if len(m[1]) == 4 else 2000 + int(m[1])
        w.take(m.start(), m.end(), "year", year)


def _subsequence_at(q: str, name: str, start: int) -> list[int] | None:
    """Where in ``name`` each of ``q``'s characters falls when ``q`` runs through ``name`` from ``start``
    (each at its first place)."""
    at, j = [], start
    for ch in q:
        j = name.find(ch, j)
        if j < 0:
            return None
        at.append(j)
        j += 1
    return at


def _skips_a_region_part(at: list[int], name: str, own: int) -> bool:
    """Whether the characters at ``at`` name a region part of ``name`` and then leave out a later one
    entirely: ``武汉市城管局`` names 武汉市 and skips 江夏区 of 武汉市江夏区城市管理执法局 (a city-level
    bureau, not the district's).  Leading parts may be left out (江夏城管局)."""
    named = []
    i = 0
    for part in _region_parts(name[:own]):
        named.append(any(i <= j < i + len(part) for j in at))
        i += len(part)
    return any(named[k] and not named[k + 1] for k in range(len(named) - 1))


def _department_match(q: str, name: str, own: int, glued: bool) -> bool:
    """Whether ``q`` names ``name``: its characters in order, from the name's start or (unless ``q`` is
    glued to a word before it) a region part's, never naming one region part and skipping a later one,
    two or more of the department's own part among them, ending where a name can end."""
    if glued and q[0] in LEVELS:
        return False  # 区教育局 of 武侯区教育局
    starts = [i for i, ch in enumerate(name) if ch == q[0] and (i == 0 or (not glued and name[i - 1] in LEVELS + "府"))]
    for s in starts:
        at = [s] + (_subsequence_at(q[1:], name, s + 1) or [None]) if len(q) > 1 else [s]
        if None in at or _skips_a_region_part(at, name, own):
            continue
        own_chars = sum(1 for ch in q if ch in name[own:])
        if own_chars >= 2 and (at[-1] == len(name) - 1 or q[-1] in ORGAN_ENDS):
            return True
    return False


def _names(w: _Work, lk: Lookups) -> None:
    """Units and departments by the longest name at each place (a department on a tie)."""
    s, pos = w.squashed()
    i = 0
    while i < len(s):
        best = None  # (length, kind, values)
        # 教育局 inside 武侯区教育局: the end of a name glued to a place no document names
        glued = i > 0 and "\u4e00" <= s[i - 1] <= "\u9fff" and pos[i] == pos[i - 1] + 1
        for j in range(len(s), i + 1, -1):
            q = s[i:j]
            if GONE in q:
                continue
            depts = sorted({iri for iri, n, own in lk.department_names if _department_match(q, n, own, glued)})
            units = sorted({full for n, full in lk.units if n == q}) if len(q) >= 4 else []
            if depts or units:
                best = (j, "department", depts) if depts else (j, "unit", units)
                break
        if best is None:
            i += 1
            continue
        j, kind, found = best
        if kind == "department" and len(found) > 1:
            year = next((sp.value for sp in w.spans if sp.field == "year"), None)
            found = [d for d in found if year is None or any(y == year for y, _ in lk.department_years.get(d, ()))]
        if len(found) == 1 and not w.has(kind):
            value = lk.departments.get(found[0], found[0]) if kind == "department" else found[0]
            w.take(pos[i], pos[j - 1] + 1, kind, value)
        i = j


def _region(w: _Work, lk: Lookups) -> None:
    if w.has("department") or w.has("unit"):
        return
    s, pos = w.squashed()
    found = []  # (length named, region up to the part named, where)
    for region in lk.regions:
        parts = _region_parts(region)
        for k in range(len(parts), 0, -1):
            for a in range(k):
                named = "".join(parts[a:k])
                if (at := s.find(named)) >= 0:
                    found.append((len(named), "".join(parts[:k]), at))
    if found:
        n, region, at = max(found, key=lambda x: (x[0], len(x[1])))
        w.take(pos[at], pos[at + n - 1] + 1, "region", region)


FUND_TAILS = ("预算财政拨款", "预算拨款", "财政拨款", "拨款", "资金")  # what a source's name may end with beyond the source itself


def _funds(w: _Work, lk: Lookups) -> None:
    """A funding source by its name, or its name without a closing 拨款/资金 (``政府性基金预算``): the
    source is named without the word 预算 (``政府性基金``).  Only a name standing alone counts."""
    names = set(lk.funds) | {f[: -len(t)] for f in lk.funds for t in FUND_TAILS if f.endswith(t) and len(f) - len(t) >= 4}
    text = w.text
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(re.escape(name), text):
            if _bounded(w.chars, m.start(), m.end()):
                value = name[:-2] if name.endswith("预算") and name[:-2].endswith("基金") else name
                w.take(m.start(), m.end(), "fund", value)
                return


def _words(w: _Work) -> None:
    """Phases and the words asking for a figure.  A phase word standing as itself wins over one inside a
    figure word (预算数, 决算数), which still sets the phase when there is none other; none inside a
    fund's name (一般公共预算)."""
    text = w.text
    blocked = {i for word in NOT_A_PHASE for m in re.finditer(word, text) for i in range(m.start(), m.end())}
    figures, chars = [], list(text)
    for word in FIGURE_WORDS:
        for m in re.finditer(word, "".join(chars)):
            figures.append((m.start(), m.end(), word))
            chars[m.start():m.end()] = GONE * (m.end() - m.start())
    in_figure = {i for start, end, _ in figures for i in range(start, end)}
    found = [(bool(in_figure & set(range(m.start(), m.end()))), k, m.start(), m.end(), phase)
             for k, (word, phase) in enumerate(PHASES) for m in re.finditer(word, text)
             if not blocked & set(range(m.start(), m.end()))]
    if found:
        _, _, start, end, phase = min(found)
        w.take(start, end, "phase", phase)
    for start, end, word in figures:
        w.take(start, end, "figure", word)


def _bounded(chars: list[str], start: int, end: int) -> bool:
    edge = lambda c: c.isspace() or c == GONE or c.isdigit() or not ("\u4e00" <= c <= "\u9fff")  # noqa: E731
    return (start == 0 or edge(chars[start - 1])) and (end == len(chars) or edge(chars[end]))


def _codes(w: _Work, lk: Lookups) -> None:
    """A functional class named exactly as the store prints it, standing alone; a name of several codes
    (信息化建设 under several 款) is the code the named department prints, if it prints one.  Only in a
    question that states something else (a name, a year, a phase, a figure word): a query of a class
    name alone (医疗救助) is searched as words."""
    if not w.spans:
        return
    dept = next((iri for iri, full in lk.departments.items()
                 for s in w.spans if s.field == "department" and s.value == full), None)
    text = w.text
    for name in sorted(lk.codes, key=len, reverse=True):
        codes = lk.codes[name]
        if len(codes) > 1:
            codes = {c: d for c, d in codes.items() if dept in d}
        if len(codes) != 1:
            continue
        for m in re.finditer(re.escape(name), text):
            if _bounded(w.chars, m.start(), m.end()) and not w.has("code"):
                w.take(m.start(), m.end(), "code", next(iter(codes)))


def _leftover(query: str, spans) -> str:
    """The query's characters outside ``spans``, as space-separated runs without question words."""
    chars = [unicodedata.normalize("NFKC", c) if len(unicodedata.normalize("NFKC", c)) == 1 else c for c in query]
    for s in spans:
        for i in range(s.start, s.end):
            chars[i] = " "
    runs = []
    for run in "".join(chars).split():
        changed = True
        while changed and run:
            changed = False
            for word in LEADING_WORDS:
                if run.startswith(word):
                    run, changed = run[len(word):], True
            for word in TRAILING_WORDS:
                if run.endswith(word):
                    run, changed = run[: -len(word)], True
        if run:
            runs.append(run)
    return " ".join(runs)


def understand(query: str, lk: Lookups) -> Understood:
    """Filters, leftover text and spans of ``query`` (see the module docstring)."""
    w = _Work(query or "")
    _cites(w)
    _amounts(w)
    _years(w)
    _names(w, lk)
    _region(w, lk)
    _funds(w, lk)
    _words(w)
    _codes(w, lk)
    values = {}
    for s in w.spans:
        if s.field != "figure":
            values.setdefault(s.field, s.value)
    spans = tuple(sorted(w.spans, key=lambda s: (s.start, s.field)))
    return Understood(query, Filters(**values), _leftover(query, spans), spans)

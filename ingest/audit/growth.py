"""Growth and share arithmetic (issue 14): every ``比 20xx 年增加/减少 X 万元，增长/下降 P%``, every ``占 P%``
and every 决算 ``完成年初预算的 P%`` / ``决算数大于（小于、等于）预算数`` recomputed from the amounts the
sentence (or the 部门整体支出绩效目标表) prints, and the direction words and compared years checked.

The narrative is read through :func:`ingest.paragraphs.all_paragraphs`, one sentence (up to ``。``) at a
time, squashed and width-folded; every number keeps the digits it is printed with.  A rate or share is
accepted when it is the exact ratio of amounts that round to the printed ones, rounded to the rate's own
printed places: the tolerance is half a unit of the rate's last digit plus the most the ratio moves when
each amount moves by half a unit of its own last digit (:func:`_ratio_bounds`).  A statement this module
cannot read whole (no current amount, a base of zero, a template's ``增加（减少）``) is not checked.

The statements' reader (:func:`growth_statements`) is public: another family that needs the
``比…增加 X 万元`` statements of a document reads them here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from ..context import Context
from ..layout import Block, Line
from ..normalise import fold_width, squash
from ..numbers import to_wan
from ..paragraphs import Paragraph, all_paragraphs
from ..records import FUNCTIONAL, Check, Extraction, Figure, Finding, Provenance, Rule, StatedFigure
from ..rules import finding
from ..reconcile.figures import printed_step, read_figure, tolerance as rounding_tolerance
from ..sections import FORMS, NARRATIVE, table_unit
from ..tables.grid import read_grid

FAMILY = "growth"
HUNDRED = Decimal(100)


def _ratio_rule(rule_id: str, printed: str, inputs: str) -> Rule:
    """A rule comparing a printed percentage with the ratio of the amounts it is computed from."""
    return Rule(rule_id, FAMILY, "warning",
                f"{{statement}}：所列{printed} {{left_amount}}，按{{right}}计算为 {{right_amount}}（相差 {{difference}}，"
                "容差 {tolerance}）",
                f"百分比末位的半个单位（4.75% → 0.005 个百分点），加上{inputs}各在其末位半个单位内变动时比率的最大变动")


# the other rules: id → (message template, tolerance)
_RULE_TEXTS = {
    "growth.direction": ("{statement}：增减方向自相矛盾（“{first}”与“{second}”）{hint}",
                         "不涉及数值容差：同一句中增减额与幅度（或本年数与上年数）方向相反；增减为 0 时不判"),
    "growth.reason": ("{statement}：称“{first}”，但所述原因为“{second}”，方向相反",
                      "不涉及数值容差：仅当紧随的原因句以同一项目名称接相反的增减词时判定"),
    "growth.previous": ("{statement}：所列增减额 {left_amount} 万元，按{right}计算为 {right_amount} 万元"
                        "（相差 {difference} 万元，容差 {tolerance} 万元）",
                        "本年数、上年数与增减额各自末位的半个单位之和（元表换算为万元）"),
    "growth.negative_base": ("{statement}：本年 {current} 万元比上年增加 {change} 万元，则上年数为负（{previous} 万元）",
                             "增加额超过本年数的部分大于两数末位半个单位之和时判定"),
    "growth.same_base": ("同一金额 {amount} 万元与 {year} 年相比，两处所列增减额不同：{left_amount} 万元（{left}）与 "
                         "{right_amount} 万元（{right}）", "两增减额末位半个单位之和；仅比较至少四位有效数字的非零金额"),
    "growth.final_vs_budget": ("{statement}：称决算数{word}预算数，但预算 {budget} 万元、决算 {final} 万元",
                               "按印出的金额比较：两数印出相同为等于"),
}
RULES: tuple[Rule, ...] = (
    _ratio_rule("growth.rate", "增减幅度", "本年数与增减额（或上年数）"),
    _ratio_rule("growth.share", "占比", "部分与总额"),
    _ratio_rule("growth.completion", "完成预算", "决算数与预算数"),
    *(Rule(rule_id, FAMILY, "warning", template, tolerance) for rule_id, (template, tolerance) in _RULE_TEXTS.items()),
    # a year used wrongly is the names-and-years family's (issue 14), read here with the statements it is in
    Rule("names_years.compared_year", "names_years", "warning",
         "{statement}：{year_kind}（{year} 年），而文件年度为 {doc_year} 年，应与 {previous_year} 年相比",
         "不涉及数值容差：比较年份须为文件年度的上一年"),
    # checked across documents by kg.crossdoc once the other document is in the store (issue 15)
    Rule("cross_document.previous_year", "cross_document", "warning",
         "{statement}：由此得 {year} 年{phase}{what} {left_amount} 万元，而{other}为 {right_amount} 万元"
         "（相差 {difference} 万元，容差 {tolerance} 万元）",
         "所述本年数与增减额（或上年数）、另一文件所列金额各自末位的半个单位之和"),
    Rule("cross_document.initial_budget", "cross_document", "warning",
         "{statement}：所列 {year} 年年初预算{what} {left_amount} 万元，而{other}为 {right_amount} 万元"
         "（相差 {difference} 万元，容差 {tolerance} 万元）", "两文件所列金额各自末位的半个单位之和"),
)

# --- reading numbers -----------------------------------------------------------------------------------

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
AMOUNT = re.compile(rf"(?<![\d.,])(?P<num>{_NUM})(?P<unit>万元|亿元|元)(?!/)")
# a 决算's budget and final amounts: ``年初预算为100.00万元``, ``支出决算为95.00万元``
_BUDGET = re.compile(rf"(?P<kind>年初|全年|调整)?预算(?:数)?(?:为|是|[：:])?(?P<num>{_NUM})(?P<unit>万元|亿元|元)(?!/)")
_FINAL = re.compile(rf"决算(?:数)?(?:为|是|[：:])?(?P<num>{_NUM})(?P<unit>万元|亿元|元)(?!/)")
_UP = "增加|增长|上升|提高|增多"
_DOWN = "减少|下降|降低|下调|减"
_FLAT = "持平|不变"
_DIRECTION = rf"(?:{_UP}|{_DOWN}|{_FLAT})"
# a template's both-ways wording: 增加或减少, 增加（减少）, 下降（增长）
_EITHER = rf"(?:或|[（(]){_DIRECTION}[）)]?"
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")


def sign_of(word: str | None) -> int | None:
    """+1 for an increase word, -1 for a decrease, 0 for 持平; ``None`` for none."""
    if not word:
        return None
    if re.fullmatch(_UP, word):
        return 1
    if re.fullmatch(_FLAT, word):
        return 0
    return -1


@dataclass(frozen=True)
class Number:
    """A number as printed in a sentence: its value (万元 for an amount, percentage points for a rate), one
    unit of its last digit, and where it sits in the squashed paragraph."""

    value: Decimal
    step: Decimal
    text: str
    start: int
    end: int


def _amount(m: re.Match, num: str = "num", unit: str = "unit") -> Number:
    """The amount a match's groups ``num`` and ``unit`` print, in 万元, with the step of its last digit."""
    step = printed_step(m[num], "元" if m[unit] == "元" else "万元") * (10000 if m[unit] == "亿元" else 1)
    return Number(to_wan(Decimal(m[num].replace(",", "")), m[unit]), step, m[num] + m[unit], m.start(num), m.end(unit))


def _percent(m: re.Match, num: str = "num") -> Number:
    """The percentage a match's group ``num`` prints (followed by ``%``), with the step of its last digit."""
    return Number(Decimal(m[num]), printed_step(m[num], "万元"), m[num] + "%", m.start(num), m.end(num) + 1)


def amounts_in(text: str, start: int = 0, end: int | None = None) -> list[Number]:
    """Every ``N 万元`` / ``N 元`` amount of ``text[start:end]`` (positions in ``text``) outside brackets: an
    aside (``500万元（含上年结转20万元）``) is not what the sentence goes on to compare or divide."""
    return [_amount(m) for m in AMOUNT.finditer(text, start, len(text) if end is None else end)
            if not in_brackets(text, m.start(), start)]


def in_brackets(text: str, at: int, start: int = 0) -> bool:
    """True when ``text[at]`` sits inside brackets opened after ``start``."""
    depth = 0
    for ch in text[start:at]:
        depth += 1 if ch in "（(" else -1 if ch in "）)" and depth else 0
    return depth > 0


# --- paragraphs as squashed text, back to their lines ----------------------------------------------------


@dataclass
class Text:
    """A paragraph squashed and width-folded, with the line each character was printed on."""

    text: str
    para: Paragraph
    starts: list[int]  # offset of each line's first character

    @classmethod
    def of(cls, para: Paragraph) -> "Text":
        parts = [squash(fold_width(ln.plain)) for ln in para.lines]
        starts, at = [], 0
        for part in parts:
            starts.append(at)
            at += len(part)
        return cls("".join(parts), para, starts)

    def line_at(self, offset: int) -> Line:
        index = max(i for i, s in enumerate(self.starts) if s <= offset) if offset >= 0 else 0
        return self.para.lines[index]

    def sentences(self) -> Iterator[tuple[int, int]]:
        for m in _SENTENCE.finditer(self.text):
            yield m.start(), m.end()


def _texts(ctx: Context) -> list[Text]:
    return [Text.of(p) for p in all_paragraphs(ctx)]


def _prov(ctx: Context, text: Text, offset: int) -> Provenance:
    return ctx.prov(text.line_at(offset), table=text.para.heading)


def _quote(text: str, start: int, end: int, limit: int = 60) -> str:
    s = text[start:end].rstrip("。；;，,")
    return "“" + (s if len(s) <= limit else "…" + s[-(limit - 1):]) + "”"


# --- ratio arithmetic ----------------------------------------------------------------------------------


def _ratio_bounds(f: Callable[..., Decimal | None], numbers: list[Number]) -> tuple[Decimal, Decimal] | None:
    """The least and greatest value of ``f`` (monotone in each argument) over amounts that round to the
    printed ones: ``f`` at every corner of the box of half a last-digit unit around each; ``None`` where a
    corner is undefined (a base of zero)."""
    values = []
    corners = [[]]
    for n in numbers:
        corners = [c + [n.value + s * n.step / 2] for c in corners for s in (-1, 1)]
    for corner in corners:
        v = f(*corner)
        if v is None:
            return None
        values.append(v)
    return min(values), max(values)


def _div(a: Decimal, b: Decimal) -> Decimal | None:
    return a / b * HUNDRED if b > 0 else None


def _ratio_check(rule: str, printed: Number, f: Callable[..., Decimal | None], numbers: list[Number],
                 left_label: str, right_label: str, left_prov: Provenance, right_prov: Provenance,
                 statement: str) -> Check | None:
    """``printed`` (a rate in %) against ``f(numbers)``; ``None`` where ``f`` is undefined."""
    exact = f(*[n.value for n in numbers])
    bounds = _ratio_bounds(f, numbers)
    if exact is None or bounds is None:
        return None
    low, high = bounds
    tol = (printed.step / 2 + max(high - exact, exact - low)).quantize(Decimal("0.0001"), ROUND_CEILING)
    computed = exact.quantize(min(printed.step, Decimal(1)) / 100)  # two digits more than printed
    passed = abs(printed.value - exact) <= tol
    message = (f"{statement}: printed {printed.value}% vs {right_label} = {computed}% "
               f"(tolerance {tol}){'' if passed else ' — the printed rate is not the ratio of the amounts'}")
    return Check(rule, passed, Figure(printed.value, printed.step, left_label, left_prov, unit="%"),
                 Figure(computed, Decimal(0), right_label, right_prov, unit="%"), tol, message,
                 (("statement", statement),))


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


# --- growth statements ---------------------------------------------------------------------------------

_COMPARISON = re.compile(
    rf"(?:(?:比|较|与|同)(?:(?P<year>20\d\d)年度?|上年度?|上一年度?|(?P<budget>年初|调整|全年)(?=预算))|同比)"
    rf"(?P<base>[\u4e00-\u9fff]{{0,8}}?)"
    rf"(?:(?P<pnum>{_NUM})(?P<punit>万元|亿元|元)(?!/))?(?:相比|比较)?[，,]?"
    rf"(?P<subject>[^，,；;。:：\d]{{0,12}}?)(?P<d1>{_DIRECTION})(?P<either1>{_EITHER})?"
    rf"(?:(?P<x>{_NUM})(?P<xunit>万元|亿元|元)(?!/)|(?P<p1>\d+(?:\.\d+)?)%)?"
    rf"(?:[，,](?:同比)?(?P<d2>{_DIRECTION})(?P<either2>{_EITHER})?(?P<p2>\d+(?:\.\d+)?)%)?")
# a previous-year amount the sentence prints: ``2022年当年预算执行数为1.48万元`` (not a comparison's own year)
_YEAR_AMOUNT = re.compile(rf"(?<![比较与同])(?P<year>20\d\d)年度?(?:(?!{_DIRECTION}|比|较)[^，,；;。\d]){{0,14}}?(?:为|是)?"
                          rf"(?P<num>{_NUM})(?P<unit>万元|亿元|元)(?!/)")
_LEADING = re.compile(r"^(?:[（(]?[\d一二三四五六七八九十]{1,3}[)）.、．]|[-*])*")
_REASON = re.compile(r"[，,。；;]?(?:其中[：:])?(?:主要原因(?:是|为)?|原因(?:是|为)|主要是|主要由于|主要因为)[：:]?(?P<body>[^。]*)")
_REASON_SIGNS = {"压缩": -1, "压减": -1, "缩减": -1, "调减": -1, "调增": 1, "新增": 1, "追加": 1}
_REASON_WORDS = "|".join((_UP, _DOWN, *_REASON_SIGNS))
_ITEM_MARK = re.compile(r"[(（](?:类|款|项)[)）]")
_NAME_NOISE = re.compile(r"20\d\d年度?|年初|当年|全年|预算数?|决算数?|执行数|安排|支出决算|为$|是$|共$|合计$")


@dataclass(frozen=True)
class Statement:
    """One ``比 20xx 年 …`` statement: what is compared, with which year, and the numbers it prints."""

    text: Text
    start: int  # the comparison's first character in the squashed paragraph
    end: int
    sentence: tuple[int, int]
    year: int | None  # the year compared with (None: 上年, or a budget)
    budget: str | None  # a 决算 compared with its 年初 (调整, 全年) 预算 rather than with a year
    base: str  # 预算 / 预算执行数 / 年度 …
    word: str  # the direction word of the change
    rate_word: str | None  # the direction word of the rate, where it has its own
    either: bool  # a template's 增加（减少）: no direction
    current: Number | None
    previous: Number | None  # a previous-year amount the same sentence prints
    change: Number | None
    rate: Number | None
    subject: str  # the item the sentence is about, as named before its current amount ("" if none)

    @property
    def quote(self) -> str:
        """The statement as printed: from the clause of its current amount to the end of the comparison."""
        text, start = self.text.text, self.sentence[0]
        if self.current is not None and self.current.start < start:  # the amount is in the sentence before
            at = self.current.start
            start = max(text.rfind("，", 0, at), text.rfind("。", 0, at), at - 20) + 1
        else:
            at = self.current.start if self.current is not None else self.start
            start = max(start, text.rfind("；", start, at) + 1, text.rfind(";", start, at) + 1)
        return _quote(text, start, self.end)

    def sign(self) -> int | None:
        return sign_of(self.word)


def _subject(text: str, sentence_start: int, current: Number | None) -> str:
    """The item named before the current amount: the last 项/款/类 name, or the clause's words without
    years and phase words (``2.公用经费 116.23 万元`` → 公用经费)."""
    if current is None:
        return ""
    clause = re.split(r"[，,；;：:]", text[sentence_start:current.start])[-1]
    clause = re.sub(r"[“”\"‘’]", "", clause)
    parts = _ITEM_MARK.split(clause)
    if len(parts) > 1:  # 住房保障支出(类)住房改革支出(款)住房公积金(项)2026年 → 住房公积金
        clause = parts[-1] if _NAME_NOISE.sub("", parts[-1]) else parts[-2]
    name = _NAME_NOISE.sub("", _LEADING.sub("", clause))
    return name if 2 <= len(name) <= 20 else ""


def _current_of(text: Text, sentence: tuple[int, int], at: int, previous: list[Number]) -> Number | None:
    """The amount a comparison at ``at`` is about: the last one before it in its sentence, or, for a
    sentence opening with the comparison (``…总计2995.39万元。与2023年度相比，…``), the last of the sentence
    before."""
    before = amounts_in(text.text, sentence[0], at)
    if before:
        return before[-1]
    if _LEADING.sub("", text.text[sentence[0]:at]) == "":
        return previous[-1] if previous else None
    return None


def _previous_of(text: Text, start: int, m: re.Match, current: Number | None) -> Number | None:
    """The amount compared with, where the sentence prints it: inside the comparison (``比2024年预算6.50万元
    减少``), the budget a 决算 is compared with (``年初预算为A万元，支出决算为B万元，比年初预算增加…``), or the
    compared year's amount in the clause before (``2022年当年预算执行数为1.48万元，2023年预算安排2.63万元，比2022年…``)."""
    if m["pnum"]:
        return _amount(m, "pnum", "punit")
    before = current.start if current is not None else m.start()
    if m["budget"]:
        budgets = [b for b in _BUDGET.finditer(text.text, start, before) if b["kind"] == m["budget"]]
        return _amount(budgets[-1]) if budgets else None
    if not m["year"]:
        return None
    clause = max(start, text.text.rfind("；", start, m.start()) + 1, text.text.rfind(";", start, m.start()) + 1)
    years = [y for y in _YEAR_AMOUNT.finditer(text.text, clause, before) if y["year"] == m["year"]]
    return _amount(years[-1]) if years else None


def growth_statements(ctx: Context) -> list[Statement]:
    """Every ``比（与）20xx 年（上年）…增加/减少…`` statement of the narrative, in document order."""
    out: list[Statement] = []
    for text in _texts(ctx):
        last_amounts: list[Number] = []
        for s, e in text.sentences():
            for m in _COMPARISON.finditer(text.text, s, e):
                if not (m["x"] or m["p1"] or m["p2"] or re.fullmatch(_FLAT, m["d1"])):
                    continue
                current = _current_of(text, (s, e), m.start(), last_amounts)
                previous = _previous_of(text, s, m, current)
                change = _amount(m, "x", "xunit") if m["x"] else None
                rate = _percent(m, "p1") if m["p1"] else _percent(m, "p2") if m["p2"] else None
                out.append(Statement(
                    text, m.start(), m.end(), (s, e), int(m["year"]) if m["year"] else None, m["budget"],
                    m["base"] or "", m["d1"], m["d2"], bool(m["either1"] or m["either2"]), current, previous,
                    change, rate, _subject(text.text, s, current)))
            last_amounts = amounts_in(text.text, s, e) or last_amounts
    return out


def _reason(st: Statement) -> str:
    """The 主要原因 clause right after the statement (in its sentence or opening the next)."""
    m = _REASON.match(st.text.text, st.end)
    return m["body"] if m else ""


def _rate_fn(sign: int) -> Callable[[Decimal, Decimal], Decimal | None]:
    """The rate of a change ``x`` from a current amount ``c``: x / (c − x) for an increase, x / (c + x)."""
    return (lambda c, x: _div(x, c - x)) if sign > 0 else (lambda c, x: _div(x, c + x))


def _statement_checks(ctx: Context, ex: Extraction, st: Statement) -> Iterator[Check | Finding]:
    prov = _prov(ctx, st.text, st.start)
    sign = None if st.either else st.sign()
    rate_sign = None if st.either else sign_of(st.rate_word)
    nonzero = (st.change is not None and st.change.value != 0) or (st.rate is not None and st.rate.value != 0)
    # the direction words against each other
    if sign is not None and rate_sign is not None and sign != rate_sign and nonzero:
        hint = ""
        if st.current is not None and st.change is not None and st.rate is not None:
            fits = [word for word, s in (("增加", 1), ("减少", -1))
                    if (c := _ratio_check("growth.rate", st.rate, _rate_fn(s), [st.current, st.change],
                                          "", "", prov, prov, "")) is not None and c.passed]
            if len(fits) == 1:
                hint = f"；按所列金额与幅度，应为{fits[0]}"
        yield finding("growth.direction", prov, (st.quote,), statement=st.quote, first=st.word + (
            st.change.text if st.change else ""), second=f"{st.rate_word}{st.rate.text if st.rate else ''}", hint=hint)
        return
    # the year compared with
    yield from _year_findings(ex, st, prov)
    if sign is None:
        return
    # the reason given right after
    reason = _reason(st)
    if st.subject and reason and nonzero and sign != 0:
        rm = re.search(re.escape(st.subject) + rf"(?:支出|经费|费用)?(?P<w>{_REASON_WORDS})", reason)
        if rm and _REASON_SIGNS.get(rm["w"], sign_of(rm["w"])) == -sign:
            yield finding("growth.reason", prov, (st.quote, rm[0]), statement=st.quote,
                          first=st.word + (st.change.text if st.change else ""), second=rm[0])
    if st.current is not None and st.change is not None and sign != 0:
        if sign > 0 and st.change.value - st.current.value > (st.change.step + st.current.step) / 2:
            yield finding("growth.negative_base", prov, (st.quote,), statement=st.quote,
                          current=_fmt(st.current.value), change=_fmt(st.change.value),
                          previous=_fmt(st.current.value - st.change.value))
            return
        if st.rate is not None:
            check = _ratio_check(
                "growth.rate", st.rate, _rate_fn(sign), [st.current, st.change], f"{st.quote} 所列幅度",
                f"{st.change.text}÷（{_fmt(st.current.value)}{'−' if sign > 0 else '＋'}{_fmt(st.change.value)}）",
                prov, prov, st.quote)
            if check is not None:
                yield check
    if st.current is not None and st.previous is not None:
        diff = st.current.value - st.previous.value
        word_sign = (diff > 0) - (diff < 0)
        if abs(diff) > (st.current.step + st.previous.step) / 2 and word_sign != sign:
            yield finding("growth.direction", prov, (st.quote,), statement=st.quote, first=st.word,
                          second=f"{st.previous.text}→{st.current.text}", hint="")
            return
        if st.rate is not None and sign != 0 and st.change is None:
            check = _ratio_check(
                "growth.rate", st.rate, lambda c, b: _div(abs(c - b), b), [st.current, st.previous],
                f"{st.quote} 所列幅度", f"（{_fmt(st.current.value)}−{_fmt(st.previous.value)}）÷{_fmt(st.previous.value)}",
                prov, prov, st.quote)
            if check is not None:
                yield check
        if st.change is not None:
            before = Figure(st.previous.value, st.previous.step, f"上年 {st.previous.text}", prov)
            yield _previous_check(st, before, f"本年 {st.current.text}与上年 {st.previous.text}", prov)


def _year_findings(ex: Extraction, st: Statement, prov: Provenance) -> Iterator[Finding]:
    doc_year = ex.document.year
    if doc_year is None or st.year is None or st.year == doc_year - 1:
        return
    if not re.search("预算|决算|执行|年度", st.text.text[st.sentence[0]:st.end]):
        return  # not a comparison of budget figures (``基金支出30亿元，比2020年增加5亿元`` in a work review)
    kind = "与本年度自身相比" if st.year == doc_year else "比较年份不是上一年度"
    yield finding("names_years.compared_year", prov, (st.quote,), statement=st.quote, year_kind=kind, year=st.year,
                  doc_year=doc_year, previous_year=doc_year - 1)


def _signed_change(st: Statement) -> Decimal | None:
    if st.change is None or st.either or st.sign() is None:
        return None
    return st.change.value * st.sign()


def _previous_check(st: Statement, before: Figure, what: str, prov: Provenance) -> Check:
    """The stated change against the current amount minus ``before`` (the previous year's, as printed)."""
    assert st.current is not None and st.change is not None and before.amount is not None
    current = Figure(st.current.value, st.current.step, f"本年 {st.current.text}", prov)
    computed = Figure(st.current.value - before.amount, current.step + before.step, what, before.provenance,
                      (current, before))
    stated = Figure(_signed_change(st), st.change.step, f"{st.quote} 所列增减额", prov)
    tol = rounding_tolerance(stated, computed)
    passed = abs(stated.amount - computed.amount) <= tol
    return Check("growth.previous", passed, stated, computed, tol,
                 f"{st.quote}: stated change {stated.amount} vs current − previous {computed.amount} "
                 f"(tolerance {tol})", (("statement", st.quote),))


def _same_base_checks(statements: list[Statement], ctx: Context) -> Iterator[Check]:
    """Two statements of one amount against one year must state one change."""
    seen: dict[tuple[Decimal, int | str | None], Statement] = {}
    reported: set[tuple[Decimal, int | str | None, Decimal]] = set()
    for st in statements:
        change = _signed_change(st)
        if st.current is None or change is None or st.current.value == 0:
            continue
        if len(st.current.text.rstrip("万元亿").replace(",", "").replace(".", "").lstrip("0")) < 4:
            continue
        key = (st.current.value, st.year or st.budget)
        first = seen.setdefault(key, st)
        if first is st:
            continue
        a = Figure(_signed_change(first), first.change.step, first.quote, _prov(ctx, first.text, first.start))
        b = Figure(change, st.change.step, st.quote, _prov(ctx, st.text, st.start))
        tol = (a.step + b.step) / 2
        if abs(a.amount - b.amount) > tol and (key + (b.amount,)) not in reported:
            reported.add(key + (b.amount,))
            yield Check("growth.same_base", False, a, b, tol,
                        f"{first.quote} and {st.quote} compare {st.current.value} with {st.year} but state "
                        f"changes {a.amount} and {b.amount}",
                        (("amount", st.current.text.rstrip("万元")), ("year", str(st.year or "上"))))


# --- the 部门整体支出绩效目标表: amounts, shares and the two years before -------------------------------------

_FORM_ROLE = "dept_performance"
_YEAR_CELL = re.compile(r"^(20\d\d)年度?$")
_PCT_CELL = re.compile(r"^(\d+(?:\.\d+)?)%$")


@dataclass(frozen=True)
class FormRow:
    """A row of a 部门整体支出绩效目标表's 总体资金情况: label, 当年金额, 占比 and the years before."""

    label: str
    amount: Figure
    share: Number | None
    history: dict[int, Figure]
    line: Line
    printed: str  # the 当年金额 cell as printed


def form_rows(ctx: Context, block: Block) -> list[FormRow]:
    """The 总体资金情况 rows of a department performance form that print an amount followed by a share."""
    unit = table_unit(block)
    years: list[int] = []
    out: list[FormRow] = []
    for line in block.lines:
        if not line.is_row:
            continue
        cells = [squash(fold_width(c)) for c in line.values()]
        found = [int(m[1]) for c in cells if (m := _YEAR_CELL.match(c))]
        if len(found) >= 2 and not out:
            years = found
            continue
        prov = ctx.prov(line, table=block.title)
        for i in range(len(cells) - 1):
            pm = _PCT_CELL.match(cells[i + 1])
            label = next((c for c in reversed(cells[:i]) if c and read_figure(c, unit, "", None) is None), "")
            amount = read_figure(cells[i], unit, f"{block.title} {label} 当年金额", prov) if pm else None
            if amount is None:
                continue
            share = Number(Decimal(pm[1]), printed_step(pm[1], "万元"), cells[i + 1], 0, 0)
            rest = [read_figure(c, unit, f"{block.title} {label} {y}年", prov)
                    for y, c in zip(years, [c for c in cells[i + 2:] if c])]
            complete = len([c for c in cells[i + 2:] if c]) == len(years) and None not in rest
            history = {y: f for y, f in zip(years, rest) if f is not None} if complete else {}
            out.append(FormRow(label, amount, share, history, line, cells[i]))
            break
    return out


def _form_share_checks(ctx: Context, rows: list[FormRow]) -> Iterator[Check]:
    """Each row's 占比 against its amount over the next row that is 100% (its section's 合计)."""
    for i, row in enumerate(rows):
        if row.share is None or row.share.value == HUNDRED:
            continue
        whole = next((r for r in rows[i + 1:] if r.share is not None and r.share.value == HUNDRED), None)
        if whole is None or not whole.amount.amount:
            continue
        part_n = Number(row.amount.amount, row.amount.step, row.printed, 0, 0)
        whole_n = Number(whole.amount.amount, whole.amount.step, whole.printed, 0, 0)
        statement = f"{row.amount.label.rsplit(' ', 1)[0]} 占比 {row.share.text}"
        check = _ratio_check("growth.share", row.share, _div, [part_n, whole_n], statement,
                             f"{row.printed}÷{whole.printed}（{whole.label or '合计'}）", row.amount.provenance,
                             whole.amount.provenance, statement)
        if check is not None:
            yield check


_YEAR_HEADER = re.compile(r"^(?:(?P<year>20\d\d)年度?|(?P<this>本年|当年)|(?P<last>上年))[^\d]{0,6}?(?:预算|执行|决算)数?$")


def _header_year(text: str, doc_year: int) -> int | None:
    """The year a column (or row) header names: ``2024年预算数`` → 2024, ``上年执行数`` → the year before."""
    m = _YEAR_HEADER.match(squash(fold_width(text)))
    if not m:
        return None
    return int(m["year"]) if m["year"] else doc_year if m["this"] else doc_year - 1


def year_rows(ctx: Context, block: Block, doc_year: int) -> list[FormRow]:
    """The amounts of a table printing one column per year (``2025年预算数 | 2024年预算数``, ``上年执行数``) or one
    row per year, as rows of this year's amount and the other years' (no share)."""
    grid = read_grid(block)
    unit = table_unit(block)

    def figure(text: str, line: Line, index: int, what: str) -> Figure | None:
        return read_figure(text, unit, f"{block.title} {what}", ctx.prov(line, table=block.title, row=index))

    def pairs(cells: list[tuple[int | None, str]], line: Line, index: int, what: str) -> FormRow | None:
        current = next((figure(t, line, index, f"{what} {y}年") for y, t in cells if y == doc_year), None)
        history = {y: f for y, t in cells if y is not None and y != doc_year
                   and (f := figure(t, line, index, f"{what} {y}年")) is not None}
        return FormRow(what, current, None, history, line, "") if current is not None and history else None

    out: list[FormRow] = []
    years = [_header_year(path[-1], doc_year) if path else None for path in grid.paths]
    if sum(y is not None for y in years) >= 2 and doc_year in years:
        for row in grid.body:
            label = next((squash(c) for c in row.cells if c and read_figure(c, unit, "", None) is None), "")
            found = pairs(list(zip(years, row.cells)), row.line, row.index, label)
            if found:
                out.append(found)
        return out
    by_year = {y: row for row in grid.body if row.cells and (y := _header_year(row.cells[0], doc_year))}
    if doc_year in by_year and len(by_year) >= 2:
        for col, path in enumerate(grid.paths[1:], start=1):
            cells = [(y, row.cell(col)) for y, row in by_year.items()]
            found = pairs(cells, by_year[doc_year].line, by_year[doc_year].index, "/".join(path))
            if found:
                out.append(found)
    return out


def _history_checks(ctx: Context, statements: list[Statement], rows: list[FormRow],
                    doc_year: int | None) -> Iterator[Check]:
    """A statement's change against its current amount minus the figure a table (a form's 近两年 columns, a
    ``上年预算数`` column) gives for the compared year, on the row printing the same current amount."""
    for st in statements:
        if st.budget:
            continue  # compared with a budget, not with a year
        year = st.year if st.year is not None else doc_year - 1 if doc_year is not None else None
        if st.current is None or st.change is None or year is None or _signed_change(st) is None \
                or st.current.value == 0 or st.previous is not None:
            continue
        previous: dict[Decimal, FormRow] = {}  # the table's figure for that year → the first row printing it
        for row in rows:
            if row.amount.amount == st.current.value and year in row.history:
                previous.setdefault(row.history[year].amount, row)
        if len(previous) != 1:
            continue
        [(amount, row)] = previous.items()
        figure = row.history[year]
        yield _previous_check(st, figure, f"本年 {st.current.text}与{figure.label} {_fmt(amount)} 万元",
                              _prov(ctx, st.text, st.start))


# --- 占 P% in the narrative ----------------------------------------------------------------------------

_SHARE = re.compile(r"占(?:比)?(?:(?P<label>[^，,；;。%\d]{2,16}?)的)?(?:比重|比例)?(?:为)?(?P<num>\d+(?:\.\d+)?)%")
_LIST_START = re.compile(r"其中[：:]?|[：:]")


def _labelled_amount(texts: list[Text], label: str) -> tuple[Number, Text] | None:
    """The first amount the narrative states right after ``label`` (``本年支出合计9759.38万元``)."""
    pattern = re.compile(re.escape(label) + rf"(?:为|是|共|计)?(?P<num>{_NUM})(?P<unit>万元|亿元|元)(?!/)")
    for text in texts:
        m = pattern.search(text.text)
        if m:
            return _amount(m), text
    return None


def _share_checks(ctx: Context, texts: list[Text]) -> Iterator[Check]:
    for text in texts:
        for s, e in text.sentences():
            shares = list(_SHARE.finditer(text.text, s, e))
            if not shares:
                continue
            lm = _LIST_START.search(text.text, s, shares[0].start())
            whole_before = amounts_in(text.text, s, lm.start()) if lm else []
            floor = lm.end() if lm else s
            for sm in shares:
                parts = amounts_in(text.text, floor, sm.start())
                floor = sm.end()
                if not parts or in_brackets(text.text, sm.start(), s):  # a share of an aside's own whole
                    continue
                part = parts[-1]
                if sm["label"]:
                    found = _labelled_amount(texts, sm["label"])
                    if found is None:
                        continue
                    whole, whole_text = found
                    whole_label = sm["label"]
                else:
                    if not whole_before:
                        continue
                    whole, whole_text = whole_before[-1], text
                    whole_label = "总额"
                if whole.start == part.start and whole_text is text:
                    continue
                printed = _percent(sm)
                statement = _quote(text.text, s, sm.end())
                check = _ratio_check("growth.share", printed, _div, [part, whole], f"{statement} 所列占比",
                                     f"{part.text}÷{whole.text}（{whole_label}）",
                                     _prov(ctx, text, sm.start()), _prov(ctx, whole_text, whole.start), statement)
                if check is not None:
                    yield check


# --- 决算: 完成年初预算的 P%, 决算数大于（小于、等于）预算数 -----------------------------------------------------

_COMPLETION = re.compile(r"完成(?:了)?(?P<kind>年初|全年|调整)?预算(?:数)?的(?P<num>\d+(?:\.\d+)?)%")
_VERSUS = re.compile(r"决算数?(?P<word>大于|小于|等于|高于|低于|超过|同|与)(?:年初|全年|调整)?预算数?(?P<flat>持平|相等|一致|相同)?")
_SEGMENT = re.compile(r"[^。；;]+[。；;]?")


def _pairs(text: Text, start: int, end: int, kind: str | None = None) -> tuple[Number, Number] | None:
    """The budget and final amounts of ``text[start:end]``: the first 预算 amount (of ``kind`` — 年初, 调整 —
    where the text prints one of that kind) and the first 决算 amount after it."""
    budgets = list(_BUDGET.finditer(text.text, start, end))
    bm = next((b for b in budgets if kind and b["kind"] == kind), budgets[0] if budgets else None)
    if not bm:
        return None
    fm = _FINAL.search(text.text, bm.end(), end)
    if not fm:
        return None
    return _amount(bm), _amount(fm)


def _final_account_checks(ctx: Context, texts: list[Text]) -> Iterator[Check | Finding]:
    for text in texts:
        last_pair: tuple[Number, Number] | None = None
        for seg in _SEGMENT.finditer(text.text):
            floor = seg.start()
            for cm in _COMPLETION.finditer(text.text, seg.start(), seg.end()):
                pair = _pairs(text, floor, cm.start(), cm["kind"])
                floor = cm.end()
                if pair is None:
                    continue
                budget, final = pair
                printed = _percent(cm)
                statement = _quote(text.text, seg.start(), cm.end())
                check = _ratio_check("growth.completion", printed, _div, [final, budget], f"{statement} 所列完成率",
                                     f"决算 {final.text}÷预算 {budget.text}",
                                     _prov(ctx, text, cm.start()), _prov(ctx, text, budget.start), statement)
                if check is not None:
                    yield check
            pair = _pairs(text, seg.start(), seg.end())
            if pair is not None:
                last_pair = pair
            for vm in _VERSUS.finditer(text.text, seg.start(), seg.end()):
                if last_pair is None:
                    continue
                budget, final = last_pair
                word = vm["word"] if vm["word"] not in ("同", "与") else vm["flat"]
                if not word:
                    continue
                expected = {"大于": 1, "高于": 1, "超过": 1, "小于": -1, "低于": -1}.get(word, 0)
                actual = (final.value > budget.value) - (final.value < budget.value)
                if expected != actual:
                    statement = _quote(text.text, seg.start(), vm.end())
                    yield finding("growth.final_vs_budget", _prov(ctx, text, vm.start()),
                                  (statement, budget.text, final.text), statement=statement, word=word,
                                  budget=_fmt(budget.value), final=_fmt(final.value))


# --- figures of other budgets the narrative states (checked across documents by kg.crossdoc) -----------------

# a total as the narrative names it → its key (the words of :data:`ingest.records.Total` keys)
_TOTAL_WORDS = (("人员经费", "personnel_expenditure"), ("公用经费", "public_expenditure"),
                ("机关运行经费", "org_running_cost"), ("三公", "three_public_total"),
                ("基本支出", "basic_expenditure"), ("项目支出", "project_expenditure"),
                ("收支总", "expenditure_total"), ("支出总", "expenditure_total"), ("收入总", "income_total"))
_PATH = re.compile(r"(?P<kuan>[^（()）。；;，,、\d]+)[（(]款[)）](?P<xiang>[^（()）。；;，,、\d]+)[（(]项[)）]")


def _line_codes(ex: Extraction) -> dict[tuple[str, str], str]:
    """(款 name, 项 name) → the functional code of the document's lines printing them."""
    names = {li.code: squash(fold_width(li.name)) for li in ex.line_items if li.classification == FUNCTIONAL}
    out: dict[tuple[str, str], set[str]] = {}
    for code, name in names.items():
        if len(code) == 7 and code[:5] in names:
            out.setdefault((names[code[:5]], name), set()).add(code)
    return {k: next(iter(v)) for k, v in out.items() if len(v) == 1}


def _figure_key(ex: Extraction, codes: dict, text: str, start: int, at: int, amount: Decimal | None) -> str | None:
    """The key of the figure a statement is about: the 项 its clause names by 款/项 path, else the 三公 line
    or total its words name whose amount is the one printed (``amount``; None: a 决算's, not checked)."""
    paths = list(_PATH.finditer(text, start, at))
    if paths:
        code = codes.get((paths[-1]["kuan"], paths[-1]["xiang"]))
        return f"fn:{code}" if code else None
    clause = text[start:at]
    for tp in ex.three_public:
        item = squash(fold_width(tp.item))
        if len(item) >= 4 and item in clause and (amount is None or tp.amount == amount):
            return f"three:{item}"
    for word, key in _TOTAL_WORDS:
        if word in clause:
            return f"total:{key}" if amount is None or ex.total(key) == amount else None
    return None


def stated_figures(ctx: Context, ex: Extraction) -> list[StatedFigure]:
    """The previous-year figures the narrative's comparisons imply (current less the change, or the
    previous amount printed) and a 决算's 年初预算 of each 项 it names, with the key of each."""
    year, codes, out = ex.document.year, _line_codes(ex), []
    if year is None:
        return out
    for st in growth_statements(ctx):
        compared = st.year if st.year is not None else year - 1
        if st.budget or compared != year - 1 or st.current is None or st.either:
            continue
        words = st.text.text[st.start:st.end]
        phase = "final_account" if re.search("决算|执行", words) else "budget" if "预算" in words else ex.document.phase
        if st.previous is not None:
            amount, step = st.previous.value, st.previous.step
        elif st.change is not None and st.sign() is not None:
            amount, step = st.current.value - st.change.value * st.sign(), st.current.step + st.change.step
        elif st.sign() == 0:
            amount, step = st.current.value, st.current.step
        else:
            continue
        start = max(st.sentence[0], st.text.text.rfind("。", 0, st.current.start) + 1)
        key = _figure_key(ex, codes, st.text.text, start, st.current.start, st.current.value)
        if key:
            out.append(StatedFigure(key, compared, phase, amount, step, "previous_year", st.quote,
                                    _prov(ctx, st.text, st.start)))
    if ex.document.phase == "final_account":
        for text in _texts(ctx):
            floor = 0
            for bm in _BUDGET.finditer(text.text):
                if bm["kind"] != "年初":
                    continue
                paths = list(_PATH.finditer(text.text, floor, bm.start()))
                floor = bm.end()
                if not paths:
                    continue
                key = _figure_key(ex, codes, text.text, paths[-1].start(), bm.start(), None)
                figure = _amount(bm)
                if key:
                    end = text.text.find("。", bm.end())
                    out.append(StatedFigure(key, year, "budget", figure.value, figure.step, "initial_budget",
                                            _quote(text.text, paths[-1].start(), end if end > 0 else bm.end()),
                                            _prov(ctx, text, bm.start())))
    seen: dict[tuple, StatedFigure] = {}
    for f in out:  # a statement printed twice (a summary repeated) is one figure
        seen.setdefault((f.key, f.year, f.phase, f.amount, f.kind), f)
    return list(seen.values())


# --- the family ---------------------------------------------------------------------------------------


def audit(ctx: Context, ex: Extraction) -> Iterable[Check | Finding]:
    """Every growth, share and completion check of the document, and its direction and year findings."""
    statements = growth_statements(ctx)
    out: list[Check | Finding] = []
    for st in statements:
        out.extend(_statement_checks(ctx, ex, st))
    out.extend(_same_base_checks(statements, ctx))
    texts = _texts(ctx)
    out.extend(_share_checks(ctx, texts))
    out.extend(_final_account_checks(ctx, texts))
    past: list[FormRow] = []
    for block in ctx.blocks_with_role(_FORM_ROLE):
        rows = form_rows(ctx, block)
        out.extend(_form_share_checks(ctx, rows))
        past.extend(rows)
    if ex.document.year is not None:
        for block in ctx.blocks:
            if block.role not in (NARRATIVE, *FORMS):
                past.extend(year_rows(ctx, block, ex.document.year))
    out.extend(_history_checks(ctx, statements, past, ex.document.year))
    return out

"""Document facts: what a disclosure states about itself in two places must agree.

- ``facts.phone_malformed``: a landline printed with a three-digit area code (010, 02x: the cities whose local
  numbers all have eight digits) and a seven-digit local number;
- ``facts.phone_mismatch``: two phone numbers of the document that are one digit apart, one the other with a
  digit dropped (the same number printed twice, once wrongly);
- ``facts.staff_above_authorized``: 在职实有 head count of a kind of 编制 (行政编制, 事业编制) above the 编制 of
  that kind;
- ``facts.count_vs_list``: the number of 内设机构 or 下属单位 the text states, against the names it lists;
- ``facts.three_public_scope``: the units the “三公” figures cover (局机关及N个二级单位), stated twice with two
  numbers.

Counts are :class:`~ingest.records.Figure` s in 人 or 个, compared exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ..context import Context
from ..document.composition import OFFICE, UNIT, composition_items
from ..document.contact import phone_in
from ..layout import Line
from ..normalise import fold_width, squash
from ..paragraphs import Paragraph, all_paragraphs
from ..records import Check, Extraction, Figure, Finding, Rule, field_source
from ..rules import finding

FAMILY = "document_facts"

RULES: tuple[Rule, ...] = (
    Rule("facts.phone_malformed", FAMILY, "warning",
         "电话号码 {phone} 有误：区号 {area} 的本地号码为 8 位，此处只有 {digits} 位",
         "none: a digit count"),
    Rule("facts.phone_mismatch", FAMILY, "warning",
         "同一电话号码两处不同：{phone}（第 {line} 行）与 {other}（第 {other_line} 行）只差一位数字",
         "none: the two numbers differ by exactly one digit dropped"),
    Rule("facts.staff_above_authorized", FAMILY, "warning", "{left} {left_amount}，超过{right} {right_amount}",
         "0 人: counts are exact"),
    Rule("facts.count_vs_list", FAMILY, "warning",
         "文字说明“{left}”，但列出的{what}为 {right_amount}{names}",
         "0 个: counts are exact"),
    Rule("facts.three_public_scope", FAMILY, "warning",
         "“三公”经费的单位范围两处不同：“{left}”与“{right}”",
         "0 个: counts are exact"),
)

ONE = Decimal(1)
_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_N = r"(\d+|[零〇一二两三四五六七八九十]{1,3})"


def count_value(text: str) -> int | None:
    """``12`` or a Chinese numeral up to 99 (``二``, ``十二``, ``二十``) as a number."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        if (tens and tens not in _NUMERALS) or (ones and ones not in _NUMERALS):
            return None
        return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[ones] if ones else 0)
    return _NUMERALS.get(text) if len(text) == 1 else None


def audit(ctx: Context, ex: Extraction) -> Iterator[Check | Finding]:
    yield from _phones(ctx)
    yield from _staffing(ctx, ex)
    paragraphs = all_paragraphs(ctx)
    yield from _counts_against_lists(ctx, ex, paragraphs)
    yield from _three_public_scope(ctx, paragraphs)


def _count(amount: int, label: str, line: Line, ctx: Context, unit: str = "个",
           terms: tuple[Figure, ...] = ()) -> Figure:
    return Figure(Decimal(amount), ONE, label, ctx.prov(line), terms, unit)


def _line_of(para: Paragraph, text: str) -> Line:
    """The line of the paragraph that prints ``text`` (its first line when the text is wrapped over two)."""
    return next((ln for ln in para.lines if text in squash(fold_width(ln.plain))), para.first)


# --- phone numbers ---------------------------------------------------------------------------------------

_THREE_DIGIT_AREA = re.compile(r"^0[12]\d$")  # 010, 020–029: local numbers of eight digits


def _parts(phone: str) -> tuple[str | None, str] | None:
    """(area code, local number) of a landline: printed with a dash after its area code, or a local number of
    seven or eight digits alone (area ``None``); ``None`` for a mobile or a number it cannot tell apart."""
    area, sep, local = phone.partition("-")
    if sep:
        return (area, local) if area.startswith("0") and local.isdigit() else None
    return (None, phone) if len(phone) in (7, 8) and phone[0] not in "01" else None


def _printed_phones(ctx: Context) -> list[tuple[str, Line]]:
    """Each phone number printed after the word 电话 (咨询电话, 联系电话), with its line, in document order."""
    out = []
    for line in ctx.lines:
        text = squash(fold_width(line.plain))
        at = text.find("电话")
        if at < 0:
            continue
        after = re.match(r"[:：\s]*(?:[(（][^)）]{0,8}[)）])?[:：]?(.{7,16})", text[at + 2:])
        phone = phone_in(after[1]) if after and after[1][:1].isdigit() else None
        if phone:
            out.append((phone, line))
    return out


def _same_area(area: str | None, other: str | None) -> bool:
    """The same area code, or one of the numbers printed without its own."""
    return area is None or other is None or area == other


def _one_digit_dropped(short: str, long: str) -> bool:
    return len(long) == len(short) + 1 and any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _phones(ctx: Context) -> Iterator[Finding]:
    printed = _printed_phones(ctx)
    seen: set[str] = set()
    for phone, line in printed:
        parts = _parts(phone)
        if parts and parts[0] and phone not in seen and _THREE_DIGIT_AREA.match(parts[0]) and len(parts[1]) == 7:
            seen.add(phone)
            yield finding("facts.phone_malformed", ctx.prov(line), (phone,), phone=phone, area=parts[0],
                          digits=len(parts[1]))
    first = {}
    for phone, line in printed:
        first.setdefault(phone, line)
    for phone, line in first.items():
        for other, other_line in first.items():
            mine, theirs = _parts(phone), _parts(other)
            if mine and theirs and _same_area(mine[0], theirs[0]) and _one_digit_dropped(mine[1], theirs[1]):
                yield finding("facts.phone_mismatch", ctx.prov(line), (phone, other), phone=phone, line=line.no,
                              other=other, other_line=other_line.no)


# --- staffing --------------------------------------------------------------------------------------------

_KINDS = (("authorized_admin", "actual_admin", "行政编制"), ("authorized_institution", "actual_institution", "事业编制"))


def _staffing(ctx: Context, ex: Extraction) -> Iterator[Check]:
    """在职实有 of a kind of 编制 above its 编制, where the actual count is itself worded as that 编制
    (``在职实有人数27人，其中：行政编制7人``; ``行政人员29名`` may count 工勤 and is not compared)."""
    st = ex.staffing
    if st is None:
        return
    for authorized, actual, word in _KINDS:
        a, n = getattr(st, authorized), getattr(st, actual)
        a_src, n_src = field_source(st, authorized), field_source(st, actual)
        if a is None or n is None or a_src is None or n_src is None or n_src.provenance == a_src.provenance:
            continue
        if not re.search(rf"{word}\s*{n}\s*[人名]$", n_src.provenance.snippet):
            continue
        left = Figure(Decimal(n), ONE, f"在职实有人数中{word}", n_src.provenance, unit="人")
        right = Figure(Decimal(a), ONE, f"{word}数", a_src.provenance, unit="人")
        yield Check("facts.staff_above_authorized", n <= a, left, right, Decimal(0),
                    f"actual {word} {n} above the authorized {a}")


# --- counts stated against the names listed --------------------------------------------------------------

_OFFICE_COUNT = re.compile(rf"内设[^。；;，,]{{0,40}}?{_N}\s*个(?:内设|职能|业务|行政)?(?:机构|科室|处室|股室)"
                           rf"|设有?{_N}\s*个内设(?:机构|科室|处室|股室)")
_UNIT_COUNT = re.compile(rf"(?:(?:下属|下设|所属)(?:的)?\s*{_N}\s*[个家](?:二级)?(?:预算|事业)?单位"
                         rf"|(?:下属|下设|所属)(?:二级)?(?:预算|事业)?单位\s*{_N}\s*[个家]"
                         rf"|(?<![^\s，,、。；;设有])\s*{_N}\s*个(?:二级)?事业单位)")
_OTHER_KINDS = re.compile(r"参公|参照公务员|行政单位|企业|社团|机关单位")
_NOT_BUDGETED = re.compile(r"不单列预算|不单独(?:编制|编报|列示)(?:部门|单位)?预算|不单列")
_OWN_UNIT = re.compile(r"(?:本级|本部|机关)$|[（(](?:本级|本部|机关)[)）]$")


def _counts_against_lists(ctx: Context, ex: Extraction, paragraphs: list[Paragraph]) -> Iterator[Check]:
    """The one 内设机构 count and the one 下属单位 count the 单位构成 text states, against the names it lists
    there; a count given with ``等`` (a partial list) is only checked when more names are listed."""
    items = composition_items(ctx)
    if not items:
        return
    headings = {para.heading for _, _, para, _ in items}
    offices = [(name, para) for name, _, para, kind in items
               if kind == OFFICE or kind is None and name in ex.offices]
    units = [(name, para) for name, _, para, kind in items
             if (kind == UNIT or kind is None and name not in ex.offices) and not _OWN_UNIT.search(name)]
    stated_offices, stated_units = [], []
    for para in paragraphs:
        if para.heading not in headings or "三公" in para.text:
            continue
        text = squash(fold_width(para.text))
        stated_offices += [(m, para, text) for m in _OFFICE_COUNT.finditer(text)]
        if not _OTHER_KINDS.search(text):
            stated_units += [(m, para, text) for m in _UNIT_COUNT.finditer(text)]
    for stated, listed, what in ((stated_offices, offices, "内设机构"), (stated_units, units, "下属单位")):
        if len(stated) != 1 or not listed:
            continue
        m, para, text = stated[0]
        n = count_value(next(g for g in m.groups() if g))
        # a count of 预算单位 leaves out the units the list says are not budgeted on their own
        apart = [(name, p) for name, p in listed if "预算单位" in m[0] and _NOT_BUDGETED.search(p.text)]
        counted = [item for item in listed if item not in apart]
        if n is None or n == len(counted) or ("等" in text[max(0, m.start() - 3):m.end()] and len(counted) < n):
            continue
        names = tuple(dict.fromkeys(name for name, _ in counted))
        terms = tuple(_count(1, name, _line_of(p, name), ctx) for name, p in counted)
        left = _count(n, m[0], _line_of(para, m[0]), ctx)
        first_name, first_para = (counted or apart)[0]
        right = _count(len(names), f"所列{what}", _line_of(first_para, first_name), ctx, terms=terms)
        shown = ("：" + "、".join(names) if names else "") + \
            "".join(f"（{name}不单列预算）" for name in dict.fromkeys(name for name, _ in apart))
        yield Check("facts.count_vs_list", False, left, right, Decimal(0),
                    f"the text states {n} {what} but lists {len(names)}", params=(("what", what), ("names", shown)))


# --- the “三公” unit scope -------------------------------------------------------------------------------

_SCOPE = re.compile(rf"(?:机关|本级|本部)(?:及|和|与)(?:其)?(?:下属|所属)?{_N}\s*[个家](?:二级|下属|所属)?(?:事业|预算)?单位")


def _three_public_scope(ctx: Context, paragraphs: list[Paragraph]) -> Iterator[Check]:
    """Two sentences giving the 三公 figures' unit scope (``“三公”经费的单位范围…局机关及二个二级事业单位``)
    with different numbers of units."""
    stated = []
    for para in paragraphs:
        text = squash(fold_width(para.text))
        if "三公" not in text or "范围" not in text:
            continue
        for m in _SCOPE.finditer(text):
            n = count_value(m[1])
            if n is not None:
                stated.append((n, m[0], para))
    for (n, said, para), (n2, said2, para2) in zip(stated, stated[1:]):
        if n != n2:
            yield Check("facts.three_public_scope", False, _count(n, said, _line_of(para, said), ctx),
                        _count(n2, said2, _line_of(para2, said2), ctx), Decimal(0),
                        f"the 三公 scope is stated as {n} and as {n2} units")
            return

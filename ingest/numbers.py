"""Numbers as printed in disclosures → ``Decimal`` (万元) and indicator values.

Handles thousands separators (``2,304.44``), full-width digits, unit suffixes
(``74 万元``, ``74万``, ``1,252,300元``), blank or dash cells, and indicator
values with comparators (``≥95%``, ``》 97%``, ``≥4次/年``, ``800元/人``).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from .normalise import fold_width, squash

WAN = Decimal(10000)

BLANKS = {"", "-", "—", "－", "–", "/", "／", "*", "**", "无", "0.00元"}


class NumberError(ValueError):
    """A cell that should hold an amount holds something else."""


_AMOUNT = re.compile(r"^(?P<sign>[-−])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?P<unit>万元|万|元|亿元)?$")


def amount_text(value: Decimal, exact: bool = True) -> str:
    """An amount as a document prints it: ``2,933.20``; ``exact``: with the further decimals it was printed
    with (``3,121.42058``), else rounded half up to the cent.  Any size (the context's 28 digits do not cut it)."""
    with localcontext() as c:
        c.prec = max(28, value.adjusted() + 12)
        if exact and value.normalize().as_tuple().exponent < -2:
            return f"{value.normalize():,f}"
        return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def count_text(value: Decimal, unit: str) -> str:
    """A share or a count with its unit, as the text prints it: ``74.54%`` (no space before %), ``7 人``."""
    return f"{value.normalize():f}{'' if unit == '%' else ' '}{unit}"


def parse_amount(text: str | None, unit: str = "万元") -> Decimal | None:
    """Parse one amount cell; return it in 万元, ``None`` for a blank cell.

    ``unit`` is the table's unit (``万元`` or ``元``) used when the cell has none.
    Raises :class:`NumberError` for text that is neither blank nor a number.
    """
    if text is None:
        return None
    s = squash(fold_width(unicodedata.normalize("NFC", text)))
    s = s.replace("，", ",")
    if s in BLANKS:
        return None
    m = _AMOUNT.match(s)
    if not m:
        raise NumberError(f"not an amount: {text!r}")
    try:
        value = Decimal(m["num"].replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - regex guarantees digits
        raise NumberError(f"not an amount: {text!r}") from exc
    if m["sign"]:
        value = -value
    return to_wan(value, m["unit"] or unit)


def try_amount(text: str | None, unit: str = "万元") -> Decimal | None:
    """Like :func:`parse_amount` but ``None`` instead of an error."""
    try:
        return parse_amount(text, unit)
    except NumberError:
        return None


def to_wan(value: Decimal, unit: str) -> Decimal:
    """Convert ``value`` printed in ``unit`` to 万元, keeping every digit."""
    if unit in ("万元", "万"):
        return value
    if unit == "元":
        return (value / WAN).normalize() if value else Decimal(0)
    if unit == "亿元":
        return value * WAN
    raise NumberError(f"unknown unit: {unit!r}")


def is_amount(text: str | None) -> bool:
    """True when ``text`` is a number (possibly with a money unit)."""
    return text is not None and try_amount(text) is not None


_AMOUNT_IN_TEXT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(万元|万|元)")


def amount_in_text(text: str) -> Decimal | None:
    """The first ``N 万元`` / ``N 元`` amount in free text, in 万元 (e.g. ``74 万元``)."""
    m = _AMOUNT_IN_TEXT.search(fold_width(text))
    if not m:
        return try_amount(text)
    return to_wan(Decimal(m[1].replace(",", "")), m[2])


# --- indicator values -------------------------------------------------------

COMPARATORS = {
    "≥": "≥", ">=": "≥", "》=": "≥", "≧": "≥", "不低于": "≥", "不少于": "≥", "大于等于": "≥", "达到": "≥",
    "≤": "≤", "<=": "≤", "《=": "≤", "≦": "≤", "不高于": "≤", "不超过": "≤", "不多于": "≤", "小于等于": "≤",
    ">": ">", "》": ">", "大于": ">", "高于": ">", "超过": ">",
    "<": "<", "《": "<", "小于": "<", "低于": "<",
    "=": "=", "＝": "=", "等于": "=",
}
_COMP_RE = "|".join(sorted((re.escape(c) for c in COMPARATORS), key=len, reverse=True))
_VALUE = re.compile(rf"(?P<comp>{_COMP_RE})?\s*(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)\s*(?P<unit>[%‰a-zA-Z\u4e00-\u9fff/]*)")


def parse_indicator_value(text: str | None) -> tuple[str | None, Decimal | None, str | None]:
    """``'≥95%'`` → ``('≥', Decimal('95'), '%')``; qualitative text → ``(None, None, None)``.

    ``》`` as printed in some forms is read as ``>``; the raw text is kept by the caller.
    """
    if not text:
        return None, None, None
    s = fold_width(text).strip()
    m = _VALUE.search(s)
    if not m:
        return None, None, None
    comp = COMPARATORS.get(m["comp"]) if m["comp"] else None
    if comp is None:
        # a comparator word anywhere before the number ("各类培训》 4 次")
        head = s[: m.start()]
        for word, sym in sorted(COMPARATORS.items(), key=lambda kv: -len(kv[0])):
            if head.rstrip().endswith(word):
                comp = sym
                break
    unit = m["unit"] or None
    return comp, Decimal(m["num"].replace(",", "")), unit

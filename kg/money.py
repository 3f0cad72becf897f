"""One way to show an amount of 万元: from ``Decimal``, with thousands separators, to the cent.

Amounts are ``Decimal`` in 万元 everywhere (DESIGN §3); the store keeps decimals in canonical form
(``6.30`` → ``6.3``), so every display goes through :func:`wan` to read as published.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ingest.numbers import amount_text, count_text

CENT = Decimal("0.01")


def to_decimal(value: object) -> Decimal | None:
    """``value`` as a ``Decimal`` (from a ``Decimal``, an ``int``, a string or an RDF literal), else None.

    Floats are refused: money never travels as a float."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, float):
        raise TypeError("money is never a float; pass a Decimal or its text")
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def cents(value: object) -> Decimal | None:
    """An amount to the cent (``6.3`` → ``6.30``, halves rounded up as documents do), or None."""
    d = to_decimal(value)
    return None if d is None else d.quantize(CENT, rounding=ROUND_HALF_UP)


def wan(value: object, unit: bool = False, places: str = "cents") -> str:
    """``1,234.50`` (``unit``: ``1,234.50 万元``); ``""`` for no amount.

    ``places="exact"`` keeps more decimals where the document printed them (``3,121.42058``) and
    at least two otherwise."""
    d = to_decimal(value)
    if d is None:
        return "" if value in (None, "") else str(value)
    text = amount_text(d, exact=places == "exact")
    return f"{text} 万元" if unit else text


def quantity(value: object, unit: str = "万元") -> str:
    """An amount with its unit: ``1,152.46 万元`` (the digits the document printed kept), ``74.54%``, ``7 人``;
    ``""`` for no amount."""
    d = to_decimal(value)
    if d is None:
        return ""
    if unit == "万元":
        return wan(d, unit=True, places="exact")
    return count_text(d, unit)

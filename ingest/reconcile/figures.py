"""Amounts as printed, with the unit of their last digit: the tolerance a rounded figure allows."""

from __future__ import annotations

from decimal import Decimal

from ..normalise import fold_width, squash
from ..numbers import WAN, try_amount
from ..records import Figure, Provenance

ONE_YUAN = Decimal(1) / WAN  # in 万元


def printed_step(text: str, unit: str) -> Decimal:
    """One unit of the last printed digit of ``text`` in 万元 (``2933.20`` 万元 → 0.01; ``1,300`` 元 → 0.0001)."""
    s = squash(fold_width(text)).replace(",", "")
    digits = s.split(".", 1)[1] if "." in s else ""
    places = sum(1 for ch in digits if ch.isdigit())
    step = Decimal(1).scaleb(-places)
    return step / WAN if unit == "元" else step


def read_figure(text: str, unit: str, label: str, provenance: Provenance | None) -> Figure | None:
    """The figure a cell prints, ``None`` for a blank or unreadable cell."""
    value = try_amount(text, unit)
    if value is None:
        return None
    return Figure(value, printed_step(text, unit), label, provenance)


def total_of(figures: list[Figure], label: str, provenance: Provenance | None = None) -> Figure:
    """The sum of ``figures`` (their steps added: each rounded term may be off by half its step)."""
    return Figure(
        sum((f.amount for f in figures if f.amount is not None), Decimal(0)),
        sum((f.step for f in figures), Decimal(0)),
        label,
        provenance if provenance is not None else (figures[0].provenance if figures else None),
        tuple(figures),
    )


def stated(amount: Decimal | None, unit: str, label: str, provenance: Provenance | None) -> Figure:
    """A figure already read (a :class:`~ingest.records.Total`): its step from the table's unit and the
    digits the Decimal kept (万元 amounts keep their printed places; 元 amounts are taken to the 元)."""
    if unit == "元" or amount is None:
        return Figure(amount, ONE_YUAN, label, provenance)
    exponent = amount.as_tuple().exponent
    return Figure(amount, Decimal(1).scaleb(min(int(exponent), 0)), label, provenance)


def tolerance(left: Figure, right: Figure) -> Decimal:
    """How far two figures of one quantity may differ by rounding alone.

    Against a sum: half a unit of the last printed digit of every term on both sides.  One figure stated
    twice: nothing when both are printed to the same digit (rounding the same value gives the same
    figure), else half a unit of the coarser one's last digit."""
    if left.terms or right.terms:
        return (left.step + right.step) / 2
    return Decimal(0) if left.step == right.step else max(left.step, right.step) / 2

"""Money in a quote: minor units, half-up rounding, and shares that add up exactly.

Every amount is rounded half up to the destination currency's minor unit (ISO 4217's
``minor_units``: 2 for EUR, 0 for JPY) line by line, so a quote's totals are sums of what its
lines show. An amount given for a consignment (freight, a flat fee, a flat duty per category)
is shared among the lines by :func:`allocate` — floors plus the largest remainders (Hamilton's
method) — so the shares add up to the amount to the last minor unit.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cbec.tax.errors import QuoteError
from cbec.trade.types import MAX_AMOUNT

ZERO = Decimal(0)
MAX_QTY = Decimal(10_000_000)  # a line quantity's bound (cbec.trade.types.Quantity)


def is_code(text: str | None, length: int) -> bool:
    """An ISO code's shape: ``length`` upper-case ASCII letters (alpha-2, ISO 4217 …)."""
    return (
        isinstance(text, str)
        and len(text) == length
        and text.isascii()
        and text.isalpha()
        and text.isupper()
    )


def quantum(minor_units: int) -> Decimal:
    return Decimal(1).scaleb(-minor_units)


def round_to(value: Decimal, minor_units: int) -> Decimal:
    """``value`` rounded half up to ``minor_units`` decimals."""
    return value.quantize(quantum(minor_units), ROUND_HALF_UP)


def pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"


def allocate(total: Decimal, weights: Sequence[Decimal], minor_units: int) -> list[Decimal]:
    """Share ``total`` (already rounded) in proportion to ``weights`` so the shares add up to it
    exactly: each share is floored to the minor unit and the units left over go to the largest
    remainders (earlier lines first on ties). Zero weights everywhere share equally."""
    if not weights:
        return []
    unit = quantum(minor_units)
    units = int((total / unit).to_integral_value())
    weight_sum = sum(weights, ZERO)
    shares = list(weights) if weight_sum else [Decimal(1)] * len(weights)
    weight_sum = weight_sum or Decimal(len(weights))
    exact = [Decimal(units) * w / weight_sum for w in shares]
    floors = [int(e.to_integral_value(rounding=decimal.ROUND_FLOOR)) for e in exact]
    left = units - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(n) * unit for n in floors]


def money_in(
    value: Any, where: str, *, positive: bool = False, limit: Decimal = MAX_AMOUNT
) -> Decimal:
    """A money or quantity input as Decimal: floats are refused (binary rounding), so are
    values that are not finite, negative (zero too where ``positive``) or above ``limit`` —
    by default the 14 integer digits of customs' N19,5 amounts, which keeps every product and
    sum of a quote within the 28 digits of Python's decimal context."""
    if isinstance(value, float | bool) or value is None:
        raise QuoteError(where, f"must be a Decimal (or int/str), not {type(value).__name__}")
    try:
        number = Decimal(value)
    except (decimal.InvalidOperation, TypeError, ValueError):
        raise QuoteError(where, "is not a number") from None
    if not number.is_finite():
        raise QuoteError(where, "must be finite")
    if number < 0 or (positive and number == 0):
        raise QuoteError(where, "must be positive" if positive else "must not be negative")
    if number > limit:
        raise QuoteError(where, f"must be at most {limit}")
    return number

"""FX for a quote: the rate of a currency pair on the quote date, with the row it came from.

A pair is found as a row in force (1 base = rate quote), as the inverse of the opposite row,
or crossed through the USD pivot (base → USD → quote) when neither exists. Two rows for one
pair on one date make the table ambiguous and are refused, never picked between.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from cbec import ruledata
from cbec.ruledata import Row
from cbec.tax.errors import QuoteError
from cbec.tax.landed.money import ZERO
from cbec.tax.landed.result import FxUse
from cbec.tax.landed.rules import rule_id

PIVOT = "USD"  # cross rates go base -> USD -> quote when no direct or inverse row exists


class FxTable:
    """Finds the rate of a currency pair on the quote date: a row as it is, inverted, or via
    the USD pivot; remembers every rate used so the quote can show them."""

    def __init__(self, rows: Sequence[Row], on: date) -> None:
        self.rows, self.on, self.used = rows, on, {}

    def rate(self, base: str, quote: str, where: str = "currency") -> FxUse:
        if base == quote:
            return FxUse(base, quote, Decimal(1), None, "identity")
        found = self._direct(base, quote) or self._via_pivot(base, quote)
        if found is None:
            raise QuoteError(where, f"no FX rate {base}->{quote} in force on {self.on}")
        self.used.setdefault((base, quote), found)
        return found

    def _one(self, base: str, quote: str) -> Row | None:
        rows = ruledata.in_force(self.rows, self.on, base=base, quote=quote)
        if len(rows) > 1:
            lines = ", ".join(str(r.line) for r in rows)
            raise QuoteError("rules", f"FX {base}/{quote} on {self.on}: rows {lines} all apply")
        return rows[0] if rows else None

    def _direct(self, base: str, quote: str) -> FxUse | None:
        row = self._one(base, quote)
        if row is not None:
            return FxUse(base, quote, row.decimal("rate") or ZERO, row["date"], rule_id(row))
        row = self._one(quote, base)
        if row is not None:
            rate = Decimal(1) / (row.decimal("rate") or Decimal(1))
            return FxUse(base, quote, rate, row["date"], f"1/{rule_id(row)}")
        return None

    def _via_pivot(self, base: str, quote: str) -> FxUse | None:
        if PIVOT in (base, quote):
            return None
        first, second = self._direct(base, PIVOT), self._direct(PIVOT, quote)
        if first is None or second is None:
            return None
        dates = sorted(d for d in (first.date, second.date) if d)
        rule = f"{first.rule}*{second.rule}"
        return FxUse(base, quote, first.rate * second.rate, dates[0] if dates else None, rule)

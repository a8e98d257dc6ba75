"""What a landed-cost quote is asked for: the order (typed), the caller's own FX rates, and
the checks that turn them into lines the engine can price.

Inputs arrive typed — the HTTP API and the command line validate JSON against the request
models of :mod:`cbec.services.tax_models` first — and are checked again here, by field
name, so a Python caller gets the same refusals (:class:`QuoteError`) as a client.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cbec.ruledata import Row
from cbec.tax.errors import QuoteError
from cbec.tax.landed.money import MAX_QTY, ZERO, is_code, money_in, round_to
from cbec.tax.landed.result import LineQuote
from cbec.trade.types import MAX_AMOUNT

ORDER_CHANNELS = ("postal", "courier")
MAX_FX_RATE = Decimal(1_000_000)  # 1 unit of any currency buys fewer than a million of another


@dataclass(frozen=True)
class QuoteLine:
    sku: str
    qty: Decimal
    unit_price: Decimal  # in the order's currency, per unit, as sold
    hs_code: str  # at least the 6-digit sub-heading; dots and spaces are ignored
    origin: str  # ISO 3166-1 alpha-2 country of origin of the goods
    description: str = ""


@dataclass(frozen=True)
class QuoteOrder:
    currency: str  # ISO 4217 currency of prices, freight and insurance
    freight: Decimal  # international freight to the destination
    insurance: Decimal
    lines: Sequence[QuoteLine]
    channel: str = "courier"  # "courier" or "postal"
    ioss_number: str | None = None  # EU Import One-Stop Shop number of the seller/platform
    voec_number: str | None = None  # Norway VOEC number, echoed


@dataclass(frozen=True)
class GivenRate:
    """A caller's own dated rate: 1 ``base`` = ``rate`` ``quote`` on ``on``."""

    base: str
    quote: str
    rate: Decimal
    on: date
    source: str = "given with the request"


def fx_rows(rates: Sequence[GivenRate]) -> list[Row]:
    """The caller's rates as FX rule rows in force from their date — then only those are used
    (inverted or crossed through USD as needed), never the shipped sample."""
    rows = []
    for i, fx in enumerate(rates):
        where = f"fx_rates[{i}]"
        for key in ("base", "quote"):
            if not is_code(getattr(fx, key), 3):
                raise QuoteError(f"{where}.{key}", "is not an ISO 4217 code")
        if not isinstance(fx.on, date):
            raise QuoteError(f"{where}.date", "is not an ISO date")
        rate = money_in(fx.rate, f"{where}.rate", positive=True, limit=MAX_FX_RATE)
        values = {
            "date": fx.on.isoformat(),
            "base": fx.base,
            "quote": fx.quote,
            "rate": str(rate),
            "effective_from": fx.on.isoformat(),
            "effective_to": "",
            "source": fx.source or "given with the request",
        }
        rows.append(Row(values, fx.on, None, values["source"], 0))
    return rows


def hs_digits(text: str, where: str) -> str:
    digits = "".join(ch for ch in str(text) if ch not in ". ")
    if not (digits.isascii() and digits.isdigit() and 6 <= len(digits) <= 10):
        raise QuoteError(where, "needs at least the 6-digit HS sub-heading (6–10 digits)")
    return digits


def check_order(order: QuoteOrder) -> None:
    """The order-level fields and the amounts of every line; codes are checked as the lines
    are converted. The goods value is bounded like any customs amount (14 integer digits), so
    a quote's arithmetic stays exact in Python's 28-digit decimal context."""
    if not is_code(order.currency, 3):
        raise QuoteError("currency", f"{order.currency!r} is not an ISO 4217 code")
    if order.channel not in ORDER_CHANNELS:
        raise QuoteError("channel", f"must be one of {', '.join(ORDER_CHANNELS)}")
    if not order.lines:
        raise QuoteError("lines", "an order needs at least one line")
    goods = ZERO
    for i, line in enumerate(order.lines):
        qty = money_in(line.qty, f"lines[{i}].qty", positive=True, limit=MAX_QTY)
        goods += qty * money_in(line.unit_price, f"lines[{i}].unit_price")
    money_in(order.freight, "freight")
    money_in(order.insurance, "insurance")
    if goods > MAX_AMOUNT:
        raise QuoteError("lines", f"the goods value of the order must be at most {MAX_AMOUNT}")


def convert_line(index: int, line: QuoteLine, rate: Decimal, units: int) -> LineQuote:
    """A checked line with its goods value in the destination currency, rounded."""
    origin = str(line.origin or "").upper()
    if not is_code(origin, 2):
        raise QuoteError(f"lines[{index}].origin", "is not an ISO 3166-1 alpha-2 code")
    hs = hs_digits(line.hs_code, f"lines[{index}].hs_code")
    goods = round_to(Decimal(line.qty) * Decimal(line.unit_price) * rate, units)
    return LineQuote(index, line.sku, hs, origin, goods)

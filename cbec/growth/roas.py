"""Return on ad spend per channel: spend (:mod:`cbec.growth.adspend`) joined with the
seller's orders, each order attributed to one channel (pure: rows in, figures out).

The period is the spend's: from its first day to its last, both included. Over it, per
channel:

* ``revenue`` — the goods value of the orders attributed to the channel, placed in the
  period; ``roas`` = revenue / spend.
* ``new_customers`` — buyers whose first order with the seller (in all the orders given,
  not only the period) is in the period and attributed to the channel; ``cac`` = spend /
  new customers.
* ``clv`` — historical customer value: the mean, over the channel's new customers, of what
  each has spent with the seller up to the last order given (every order, any channel);
  ``clv_cac`` = clv / cac. This is the ``monetary`` of the RFM table of
  :mod:`cbec.analytics.customers` averaged over the channel's new buyers, not a model
  forecast: the BG/NBD and Gamma-Gamma fit of :mod:`cbec.analytics.clv` needs far more
  repeat buyers per channel than a channel's cohort usually has.
* ``repurchase_rate`` — the share of the channel's new customers with a second purchase day
  (several orders on one day are one purchase, as in :mod:`cbec.analytics.customers`).

Orders naming no buyer identity count in revenue and ROAS, not among customers.
A ratio whose denominator is zero is ``None``. Amounts are in one currency: the spend's
(spend in two currencies is refused); orders in another currency are left out and counted.

:func:`budget_shift` suggests moving a share of the spend of the channel with the lowest
CLV:CAC to the one with the highest, with the numbers behind it — assuming each channel's
CAC and CLV stay what they were (the marginal customer costs what the average one did,
which is optimistic for the channel that grows: say so to whoever reads it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cbec.errors import DocumentInvalid, Violation
from cbec.growth.adspend import Spend

CENT = Decimal("0.01")
RATIO = Decimal("0.0001")


@dataclass(frozen=True)
class OrderFact:
    order_no: str
    customer: str | None  # a pseudonym, one value per buyer; None: the order names none
    day: date
    market: str
    channel: str
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class MarketFigures:
    market: str
    spend: Decimal
    revenue: Decimal
    roas: Decimal | None


@dataclass(frozen=True)
class ChannelFigures:
    channel: str
    spend: Decimal
    orders: int
    revenue: Decimal
    roas: Decimal | None
    new_customers: int
    cac: Decimal | None
    clv: Decimal | None
    clv_cac: Decimal | None
    repeaters: int
    repurchase_rate: Decimal | None
    markets: list[MarketFigures]


@dataclass(frozen=True)
class Shift:
    source: str
    target: str
    share: Decimal
    amount: Decimal
    source_clv_cac: Decimal
    target_clv_cac: Decimal
    customers_lost: Decimal
    customers_gained: Decimal
    value_lost: Decimal
    value_gained: Decimal
    net_value: Decimal


@dataclass(frozen=True)
class Report:
    currency: str
    first_day: date
    last_day: date
    channels: list[ChannelFigures]
    unattributed_orders: int  # in the period, of a channel without spend
    other_currency_orders: int
    shift: Shift | None


def _div(a: Decimal, b: Decimal | int, q: Decimal) -> Decimal | None:
    return None if b == 0 else (Decimal(a) / Decimal(b)).quantize(q, ROUND_HALF_UP)


def currency_of(spend: list[Spend]) -> str:
    currencies = sorted({s.currency for s in spend})
    if not currencies:
        raise DocumentInvalid([Violation("reports", "adspend_empty")])
    if len(currencies) > 1:
        params = {"currencies": ", ".join(currencies)}
        raise DocumentInvalid([Violation("reports", "adspend_currency_mixed", params)])
    return currencies[0]


def report(spend: list[Spend], orders: Iterable[OrderFact], shift_share: Decimal) -> Report:
    currency = currency_of(spend)
    first, last = min(s.day for s in spend), max(s.day for s in spend)
    every = list(orders)
    kept = [o for o in every if o.currency == currency]
    by_customer: dict[str, list[OrderFact]] = defaultdict(list)
    for o in sorted(kept, key=lambda o: (o.day, o.order_no)):
        if o.customer is not None:  # counted in revenue, not among customers
            by_customer[o.customer].append(o)
    in_period = [o for o in kept if first <= o.day <= last]
    channels = sorted({s.channel for s in spend})
    figures = [_channel(c, spend, in_period, by_customer, first, last) for c in channels]
    unattributed = sum(1 for o in in_period if o.channel not in channels)
    return Report(
        currency=currency,
        first_day=first,
        last_day=last,
        channels=figures,
        unattributed_orders=unattributed,
        other_currency_orders=len(every) - len(kept),
        shift=budget_shift(figures, shift_share),
    )


def _channel(
    channel: str,
    spend: list[Spend],
    in_period: list[OrderFact],
    by_customer: dict[str, list[OrderFact]],
    first: date,
    last: date,
) -> ChannelFigures:
    mine = [s for s in spend if s.channel == channel]
    paid = sum((s.amount for s in mine), Decimal(0))
    orders = [o for o in in_period if o.channel == channel]
    revenue = sum((o.amount for o in orders), Decimal(0))
    new = [
        seq
        for seq in by_customer.values()
        if first <= seq[0].day <= last and seq[0].channel == channel
    ]
    value = sum((sum((o.amount for o in seq), Decimal(0)) for seq in new), Decimal(0))
    repeaters = sum(1 for seq in new if len({o.day for o in seq}) > 1)
    cac = _div(paid, len(new), CENT)
    clv = _div(value, len(new), CENT)
    markets = []
    for m in sorted({s.market for s in mine} | {o.market for o in orders}):
        m_spend = sum((s.amount for s in mine if s.market == m), Decimal(0))
        m_revenue = sum((o.amount for o in orders if o.market == m), Decimal(0))
        markets.append(MarketFigures(m, m_spend, m_revenue, _div(m_revenue, m_spend, RATIO)))
    return ChannelFigures(
        channel=channel,
        spend=paid,
        orders=len(orders),
        revenue=revenue,
        roas=_div(revenue, paid, RATIO),
        new_customers=len(new),
        cac=cac,
        clv=clv,
        clv_cac=None if clv is None or not cac else _div(clv, cac, RATIO),
        repeaters=repeaters,
        repurchase_rate=_div(Decimal(repeaters), len(new), RATIO),
        markets=markets,
    )


def budget_shift(channels: list[ChannelFigures], share: Decimal) -> Shift | None:
    """Move ``share`` of the spend of the channel with the lowest CLV:CAC to the one with
    the highest (ties: the channel named first). None when fewer than two channels have a
    CLV:CAC or they are equal. At each channel's own CAC, the source loses ``amount / CAC``
    new customers worth its CLV each and the target gains ``amount / CAC`` worth its own."""
    rated = [c for c in channels if c.clv_cac is not None and c.cac and c.clv is not None]
    if len(rated) < 2:
        return None
    low = min(rated, key=lambda c: (c.clv_cac, c.channel))
    high = min(rated, key=lambda c: (-c.clv_cac, c.channel))  # type: ignore[operator]
    if low.clv_cac == high.clv_cac:
        return None
    assert low.cac and high.cac and low.clv is not None and high.clv is not None
    amount = (low.spend * share).quantize(CENT, ROUND_HALF_UP)
    lost = (amount / low.cac).quantize(Decimal("0.01"), ROUND_HALF_UP)
    gained = (amount / high.cac).quantize(Decimal("0.01"), ROUND_HALF_UP)
    value_lost = (lost * low.clv).quantize(CENT, ROUND_HALF_UP)
    value_gained = (gained * high.clv).quantize(CENT, ROUND_HALF_UP)
    return Shift(
        source=low.channel,
        target=high.channel,
        share=share,
        amount=amount,
        source_clv_cac=low.clv_cac,  # type: ignore[arg-type]
        target_clv_cac=high.clv_cac,  # type: ignore[arg-type]
        customers_lost=lost,
        customers_gained=gained,
        value_lost=value_lost,
        value_gained=value_gained,
        net_value=value_gained - value_lost,
    )

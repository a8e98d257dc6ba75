"""Use case of the ad-spend report: a seller's ad spend per channel × market × day, read from
the ad platforms' CSV reports (:mod:`cbec.growth.adspend`), joined with its stored orders:
ROAS, CAC, CLV:CAC and repurchase per channel and a suggested budget shift
(:mod:`cbec.growth.roas`). The reports are read for the answer and not stored.

Attribution: cbec's orders carry no channel or UTM field, so an order's channel is the one
the request's attribution file names for its order number, else the order's platform name
(the marketplace it was sold on is then its channel) — spend under ``google_ads`` meets
only orders the attribution file gives to ``google_ads``. Orders are the seller's own (the
oldest :data:`cbec.services.analytics.MAX_ORDERS`), read with personal fields masked; a
buyer is the ``analytics`` pseudonym of the order's ``subject_ref``, as in the customers
view (:func:`cbec.services.analytics.customer_rows`). The amount of an order is its goods
value, its day the UTC day it was placed, its market its destination country.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cbec.errors import Forbidden
from cbec.growth import adspend, roas
from cbec.services.analytics import ANALYTICS, _my_orders
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role

MAX_CSV = 5_000_000


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["generic", "google_ads", "meta_ads"] = Field(
        description="generic (channel, market, day, spend, currency), google_ads or meta_ads"
    )
    csv: str = Field(min_length=1, max_length=MAX_CSV, description="The report, as exported")
    market: str | None = Field(
        None, pattern=r"^[A-Z]{2}$", description="The market of a report without a country column"
    )


class AdReportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reports: list[ReportIn] = Field(min_length=1, max_length=20)
    attribution_csv: str | None = Field(
        None, max_length=MAX_CSV, description="CSV order_no,channel: which channel brought an order"
    )
    shift_share: Decimal = Field(
        Decimal("0.20"), gt=0, le=1, decimal_places=2, description="Share of the spend to move"
    )


class MarketOut(BaseModel):
    market: str
    spend: Decimal
    revenue: Decimal
    roas: Decimal | None


class ChannelOut(BaseModel):
    channel: str
    spend: Decimal
    orders: int
    revenue: Decimal
    roas: Decimal | None = Field(description="revenue / spend")
    new_customers: int
    cac: Decimal | None = Field(description="spend / new customers")
    clv: Decimal | None = Field(description="mean spend to date of the new customers")
    clv_cac: Decimal | None
    repeaters: int
    repurchase_rate: Decimal | None
    markets: list[MarketOut]


class ShiftOut(BaseModel):
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
    because: str = Field(description="The numbers behind it, in a sentence")


class AdReport(BaseModel):
    currency: str
    first_day: date
    last_day: date
    channels: list[ChannelOut]
    unattributed_orders: int
    other_currency_orders: int
    shift: ShiftOut | None


def explain(s: roas.Shift, currency: str) -> str:
    return (
        f"Move {s.amount} {currency} ({s.share * 100:.0f}% of its spend) from {s.source} "
        f"(CLV:CAC {s.source_clv_cac}) to {s.target} (CLV:CAC {s.target_clv_cac}): at each "
        f"channel's CAC that is {s.customers_lost} new customers fewer from {s.source} "
        f"(worth {s.value_lost} {currency}) and {s.customers_gained} more from {s.target} "
        f"(worth {s.value_gained} {currency}), {s.net_value} {currency} net — if the "
        f"marginal customer costs what the average one did."
    )


def ad_report(uow: UnitOfWork, viewer: Viewer, req: AdReportRequest) -> AdReport:
    """The report (module doc): 403 for a tenant that is not a seller; 422 naming the
    report, line and column of every cell that cannot be read."""
    if viewer.role is not Role.SELLER:
        raise Forbidden("role_forbidden", {"allowed": "seller"})
    spend = [
        row
        for i, r in enumerate(req.reports)
        for row in adspend.parse(r.csv, r.format, i, r.market)
    ]
    roas.currency_of(spend)
    channel_of = adspend.parse_attribution(req.attribution_csv) if req.attribution_csv else {}
    orders = _my_orders(uow, viewer)
    names: dict[str, str] = {}
    facts = []
    for d, o in orders:
        if d.subject_ref and d.subject_ref not in names:
            names[d.subject_ref] = uow.vault.pseudonym(ANALYTICS, d.subject_ref)
        facts.append(
            roas.OrderFact(
                order_no=str(o["order_no"]),
                customer=names[d.subject_ref] if d.subject_ref else None,
                day=datetime.fromisoformat(o["ordered_at"]).date(),
                market=str(o["destination_country"]),
                channel=channel_of.get(str(o["order_no"]), str(o["platform"])),
                amount=Decimal(str(o["goods_value"])),
                currency=str(o["currency"]),
            )
        )
    rep = roas.report(spend, facts, req.shift_share)
    shift = None
    if rep.shift is not None:
        shift = ShiftOut(**vars(rep.shift), because=explain(rep.shift, rep.currency))
    return AdReport(
        currency=rep.currency,
        first_day=rep.first_day,
        last_day=rep.last_day,
        channels=[
            ChannelOut(
                **{k: v for k, v in vars(c).items() if k != "markets"},
                markets=[MarketOut(**vars(m)) for m in c.markets],
            )
            for c in rep.channels
        ],
        unattributed_orders=rep.unattributed_orders,
        other_currency_orders=rep.other_currency_orders,
        shift=shift,
    )

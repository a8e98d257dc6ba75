"""HTTP routes of analytics (use cases in :mod:`cbec.services.analytics`): the market view,
a seller's customers and demand from its own stored orders, and replenishment suggestions —
each chart also as the JSON spec the web console draws."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from cbec.api.body import JsonBodyRoute
from cbec.api.deps import Caller, Uow
from cbec.services import analytics as svc
from cbec.services import analytics_models as m

router = APIRouter(prefix="/analytics", tags=["analytics"], route_class=JsonBodyRoute)


@router.get(
    "/market",
    summary="China CBEC market figures",
    description=(
        "Published figures with their sources; every growth rate and share a source states is "
        "recomputed from the raw values and disagreements over 0.1 point are listed."
    ),
    response_model=m.MarketReport,
)
def market_view(caller: Caller) -> m.MarketReport:
    return svc.market_view()


@router.get(
    "/customers",
    summary="Your buyers: RFM segments, cohort retention, repurchase and CLV",
    description=(
        "From the oldest 200,000 orders you may see (at least 10 with a known buyer): RFM "
        "segments, monthly cohort retention, the repurchase rate and customer lifetime value "
        "over `weeks` (BG/NBD with Gamma-Gamma)."
    ),
    response_model=m.CustomersReport,
)
def customers_view(
    caller: Caller,
    uow: Uow,
    weeks: Annotated[float, Query(gt=0, le=520, allow_inf_nan=False)] = 52,
) -> m.CustomersReport:
    return svc.customers_view(uow, caller, m.CustomersQuery(weeks=weeks))


@router.get(
    "/demand",
    summary="Weekly demand forecast per SKU × destination from your orders",
    description=(
        "The `top` most active SKU × destination series of your orders (or the one "
        "`series` names), each forecast `horizon` weeks ahead by the model its backtest chose "
        "(MASE against Naive); `series` lists them all, `chart` draws one. Refused with "
        "`analytics_too_short` when no series is long enough to backtest."
    ),
    response_model=m.DemandReport,
)
def demand_view(
    caller: Caller,
    uow: Uow,
    horizon: Annotated[int, Query(ge=1, le=52)] = 8,
    top: Annotated[int, Query(ge=1, le=2000)] = 200,
    series: Annotated[m.SeriesId | None, Query()] = None,
) -> m.DemandReport:
    query = m.DemandQuery(horizon=horizon, top=top, series=series)
    return svc.demand_view(uow, caller, query)


@router.post(
    "/replenishment",
    summary="Safety stock, reorder point and order quantity per SKU × warehouse, explained",
    description=(
        "Per stock row with a demand figure: SS = z·√(L·σ_d² + d²·σ_L²), ROP = d·L + SS, "
        "order-up-to S for periodic review, the order rounded to MOQ and whole packs — with "
        "the numbers substituted in English and Chinese."
    ),
    response_model=m.Replenishment,
)
def replenishment(body: m.ReplenishmentRequest, caller: Caller) -> m.Replenishment:
    return svc.replenishment(body)

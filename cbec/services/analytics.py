"""Use cases of analytics: the market view, a seller's customers (RFM, cohorts, CLV) and
weekly demand forecast from its own stored orders, and replenishment suggestions.

The customers and demand views read the caller's orders — the oldest :data:`MAX_ORDERS` it may
see, a page of :data:`PAGE` at a time — with personal fields masked: analytics needs the buyer
only as the keyed reference the store already keeps. The market view and replenishment read no
stored data and take the request alone, so the command line can call them too.

Models fit by maximum likelihood can wander into overflow; their figures are checked before
they leave (JSON has no NaN or infinity, RFC 8259 §6): a CLV fit that does not give finite
estimates is reported as not available, and non-finite forecast scores become ``null``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from cbec.analytics.replenish import Demand, StockPosition, replenish
from cbec.errors import BadRequest
from cbec.services.analytics_models import (
    ClvEstimate,
    CustomersQuery,
    CustomersReport,
    DemandQuery,
    DemandReport,
    MarketReport,
    Replenishment,
    ReplenishmentRequest,
)
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.trade.kinds import KINDS

MAX_ORDERS = 200_000  # orders one view reads at most (the oldest the caller may see)
PAGE = 1000
MIN_CUSTOMER_ORDERS = 10


class TooFewOrders(BadRequest):
    """Not enough of the caller's orders for the analysis asked."""

    def __init__(self, count: int, minimum: int) -> None:
        super().__init__("analytics_too_few", {"count": count, "minimum": minimum})


def _my_orders(uow: UnitOfWork, caller: Viewer) -> list[tuple[Any, dict[str, Any]]]:
    """The caller's visible orders, oldest first, with personal fields masked."""
    out: list[tuple[Any, dict[str, Any]]] = []
    after = 0
    pii = KINDS["order"].pii
    with uow:
        while len(out) < MAX_ORDERS:
            page = uow.repo.list_documents(caller, "order", after_seq=after, limit=PAGE)
            out += [(d, uow.vault.open("order", d.id, pii, d.body, clear=False)) for d in page]
            if len(page) < PAGE:
                break
            after = page[-1].seq
    return out[:MAX_ORDERS]


def _finite(value: Any) -> Any:
    """``value`` with every float that is NaN or infinite replaced by None (recursively)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def market_view(more: Sequence[Path] = ()) -> MarketReport:
    """China CBEC market figures with their sources, stated growth and shares recomputed;
    ``more`` are further figures files (the CLI's ``--figures``), a later row replacing an
    earlier one of the same metric, scope and period."""
    from cbec.analytics import market, plots

    report = market.report(market.combine(market.load(), *(market.load(f) for f in more)))
    report["charts"] = [plots.market_spec(view) for view in report["direction"]]
    return MarketReport.model_validate(report)


def customers_view(uow: UnitOfWork, caller: Viewer, query: CustomersQuery) -> CustomersReport:
    """The caller's buyers: RFM segments, cohort retention, repurchase rate and CLV."""
    from cbec.analytics import customers, plots
    from cbec.analytics import transactions as tr

    rows = [
        (d.subject_ref, datetime.fromisoformat(o["ordered_at"]).date(), o["goods_value"])
        for d, o in _my_orders(uow, caller)
        if d.subject_ref
    ]
    if len(rows) < MIN_CUSTOMER_ORDERS:
        raise TooFewOrders(len(rows), MIN_CUSTOMER_ORDERS)
    tx = tr.from_records(rows)
    scores = customers.rfm(tx)
    matrix = customers.cohort_matrix(customers.cohort_retention(tx))
    width = max(len(s) for s in matrix.values())
    grid = [list(s) + [None] * (width - len(s)) for s in matrix.values()]
    return CustomersReport(
        customers=int(tx["customer"].n_unique()),
        orders=len(rows),
        segments=_finite(customers.segment_summary(scores).to_dicts()),
        repurchase_rate=round(customers.repurchase_rate(tx).rate, 4),
        cohort_chart=plots.cohort_spec(list(matrix), grid),
        clv=_clv(tx, query.weeks),
    )


def _clv(tx: Any, weeks: float) -> ClvEstimate:
    """BG/NBD and Gamma-Gamma fitted to the buyers' repeat purchases (Fader, Hardie & Lee
    2005); a fit that fails or overflows is reported, not answered with infinities."""
    from cbec.analytics import clv, plots
    from cbec.analytics import transactions as tr

    summary = tr.summary(tx, tx["date"].max())
    x, t_x, T, zbar = (summary[c].to_numpy() for c in ("x", "t_x", "T", "zbar"))
    try:
        count = clv.fit_bgnbd(x, t_x, T)
        spend = clv.fit_gammagamma(x, zbar)
        preds = clv.predictions(summary, count, spend, weeks)
    except (ValueError, OverflowError) as exc:  # too few repeat buyers, a fit that diverged
        return ClvEstimate(error=str(exc) or type(exc).__name__)
    params = {**count.params(), **spend.params()}
    purchases, value = float(preds["expected_purchases"].sum()), float(preds["clv"].sum())
    if not all(math.isfinite(v) for v in (*params.values(), purchases, value)):
        return ClvEstimate(error="the models did not give finite estimates for these buyers")
    return ClvEstimate(
        weeks=weeks,
        bgnbd={k: round(v, 6) for k, v in count.params().items()},
        gammagamma={k: round(v, 6) for k, v in spend.params().items()},
        converged=bool(count.converged and spend.converged),
        expected_purchases_total=round(purchases, 2),
        clv_total=f"{value:.2f}",
        chart=plots.distribution_spec(
            preds["clv"].to_list(), title=f"CLV over {weeks:g} weeks", unit="CLV"
        ),
    )


def demand_view(uow: UnitOfWork, caller: Viewer, query: DemandQuery) -> DemandReport:
    """Weekly demand forecast per SKU × destination from the caller's orders, with the
    backtest that chose each series' model."""
    from cbec.analytics.demand import demand_series, most_active, order_records
    from cbec.analytics.forecasting import ForecastConfig, forecast

    orders = [o for _, o in _my_orders(uow, caller)]
    series = demand_series(order_records(orders), freq="W")
    if series.is_empty():
        raise TooFewOrders(0, 1)
    series = most_active(series, query.top)
    result = forecast(series, ForecastConfig(freq="W", horizon=query.horizon))
    frame = result.forecasts.astype(object).where(result.forecasts.notna(), None)
    records = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
    return DemandReport(summary=_finite(result.backtest.summary()), forecasts=records)


def _plain(value: Any) -> Any:
    """A forecast cell as JSON: times as ISO text, numpy scalars as Python numbers."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    return _finite(value)


def replenishment(req: ReplenishmentRequest) -> Replenishment:
    """Safety stock, reorder point and order quantity per SKU × warehouse, each explained;
    stock rows without a demand figure are listed, not guessed."""
    demands = {
        (d.sku, d.warehouse): Demand(d.sku, d.warehouse, d.mean, d.std, d.period_days)
        for d in req.demand
    }
    stock = [
        StockPosition(
            s.sku,
            s.warehouse,
            s.on_hand,
            s.on_order,
            s.lead_time,
            s.lead_time_std,
            s.review_period,
            s.moq,
            s.pack_size,
            s.service_level,
        )
        for s in req.stock
    ]
    done, missing = replenish(demands, stock, req.service_level)
    return Replenishment.model_validate(
        {
            "suggestions": done,
            "without_forecast": [{"sku": m.sku, "warehouse": m.warehouse} for m in missing],
        }
    )

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

import hashlib
import math
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from cbec.analytics.replenish import Demand, StockPosition, replenish
from cbec.errors import BadRequest
from cbec.services.analytics_models import (
    ClvEstimate,
    CustomersQuery,
    CustomersReport,
    DemandIn,
    DemandQuery,
    DemandReport,
    MarketReport,
    Replenishment,
    ReplenishmentRequest,
    SeriesInfo,
    StockIn,
    StockTargetsQuery,
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


class TooShortHistory(BadRequest):
    """No demand series is long enough to backtest a model on: a forecast would rest on no
    measured accuracy, so none is given (the message says how many weeks are needed)."""

    def __init__(self, longest: int, minimum: int, train: int, horizon: int) -> None:
        params = {"longest": longest, "minimum": minimum, "train": train, "horizon": horizon}
        super().__init__("analytics_too_short", params)


class NoSuchSeries(BadRequest):
    """The series asked for is not among the caller's (``series`` names it)."""

    def __init__(self, series: str) -> None:
        super().__init__("analytics_no_series", {"series": series})

    def details(self, lang: str = "en") -> list[dict[str, Any]]:
        return [{"field": "series", "rule": self.rule, "message": self.message(lang)}]


class NothingToReplenish(BadRequest):
    """No stock row has a demand figure — typically market demand given for warehouses
    that are not markets: the answer would be an empty table that looks like "all fine"."""

    def __init__(self, demand: Sequence[str], stock: Sequence[str]) -> None:
        names = {"demand": ", ".join(demand) or "(none)", "stock": ", ".join(stock)}
        super().__init__("replenishment_unmatched", names)

    def details(self, lang: str = "en") -> list[dict[str, Any]]:
        return [{"field": "demand", "rule": self.rule, "message": self.message(lang)}]


class _Results:
    """Recent answers per caller and data version: a page that draws the same forecast
    again (another series picked, the language switched) does not fit every model again.
    The key holds a digest of every order read (sequence number and fingerprint), so any
    new, changed or newly visible order is another key; the oldest answers are dropped."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self.items: dict[tuple, Any] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        with self.lock:
            if key in self.items:
                return self.items[key]
        value = compute()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.pop(next(iter(self.items)))
        return value


RESULTS = _Results()


def _version(orders: list[tuple[Any, dict[str, Any]]]) -> str:
    digest = hashlib.sha256()
    for d, _ in orders:
        digest.update(f"{d.seq}:{d.fingerprint};".encode())
    return digest.hexdigest()


def _key(caller: Viewer, what: str, orders: list, query: Any) -> tuple:
    return (what, caller.tenant_id, str(caller.role), _version(orders), query)


def _my_orders(uow: UnitOfWork, caller: Viewer) -> list[tuple[Any, dict[str, Any]]]:
    """The caller's visible orders, oldest first, with personal fields masked."""
    out: list[tuple[Any, dict[str, Any]]] = []
    after = 0
    pii = KINDS["order"].pii
    with uow:
        while len(out) < MAX_ORDERS:
            page = uow.repo.list_documents(caller, "order", after_seq=after, limit=PAGE)
            uow.vault.preload(pii, (d.body for d in page))
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
    orders = _my_orders(uow, caller)
    vault = uow.vault

    def person(subject_ref: str) -> str:
        return vault.pseudonym(ANALYTICS, subject_ref)

    key = _key(caller, "customers", orders, query)
    return RESULTS.get(key, lambda: _customers(orders, query, person))


ANALYTICS = "analytics"
"""The pseudonym purpose of analytics (:mod:`cbec.privacy.pseudonym`)."""


def customer_rows(
    orders: list[tuple[Any, dict[str, Any]]], person: Callable[[str], str]
) -> tuple[list[tuple[str, Any, Any]], str | None, int]:
    """``(customer, date, amount)`` of the orders whose buyer is known, in the currency most
    of them are in (amounts of different currencies do not add up), the currency, and how
    many orders in other currencies are left out. ``person`` names the customer from the
    order's ``subject_ref``: the ``analytics`` pseudonym (:meth:`Vault.pseudonym
    <cbec.privacy.vault.Vault.pseudonym>`). It is taken of the stored ``subject_ref`` — the
    keyed hash of the buyer's normalised ID, the same for every order of one person — rather
    than of the ID itself, which would have to be decrypted from every order to be read:
    a function of a function of the person is still one value per person, and an analytics
    result keyed by it joins neither the blind index stored with the documents nor another
    purpose's pseudonyms."""
    known = [(d, o) for d, o in orders if d.subject_ref]
    counts = Counter(o["currency"] for _, o in known)
    currency = min(counts, key=lambda c: (-counts[c], c)) if counts else None
    names: dict[str, str] = {}
    rows = []
    for d, o in known:
        if o["currency"] != currency:
            continue
        if d.subject_ref not in names:
            names[d.subject_ref] = person(d.subject_ref)
        day = datetime.fromisoformat(o["ordered_at"]).date()
        rows.append((names[d.subject_ref], day, o["goods_value"]))
    return rows, currency, len(known) - len(rows)


def _customers(
    orders: list[tuple[Any, dict[str, Any]]],
    query: CustomersQuery,
    person: Callable[[str], str],
) -> CustomersReport:
    from cbec.analytics import customers, plots
    from cbec.analytics import transactions as tr

    rows, currency, other = customer_rows(orders, person)
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
        currency=currency,
        other_currency_orders=other,
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
        return ClvEstimate(error=str(exc) or type(exc).__name__, reason="fit_failed")
    params = {**count.params(), **spend.params()}
    purchases, value = float(preds["expected_purchases"].sum()), float(preds["clv"].sum())
    if not all(math.isfinite(v) for v in (*params.values(), purchases, value)):
        return ClvEstimate(
            error="the models did not give finite estimates for these buyers",
            reason="not_finite",
        )
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
    backtest that chose each series' model — of the ``top`` most active series, or of the one
    ``series`` names. Refused, saying why, when no series is long enough to backtest."""
    orders = _my_orders(uow, caller)
    return RESULTS.get(_key(caller, "demand", orders, query), lambda: _demand(orders, query))


def _demand(orders: list[tuple[Any, dict[str, Any]]], query: DemandQuery) -> DemandReport:
    import polars as pl

    from cbec.analytics import plots
    from cbec.analytics.demand import demand_series, most_active, order_records
    from cbec.analytics.forecasting import ForecastConfig, forecast

    series = demand_series(order_records([o for _, o in orders]), freq="W")
    if series.is_empty():
        raise TooFewOrders(0, 1)
    config = ForecastConfig(freq="W", horizon=query.horizon)
    listed = _series_list(most_active(series, series["unique_id"].n_unique()))
    longest = max(s.weeks for s in listed)
    if longest < config.min_length:
        raise TooShortHistory(longest, config.min_length, config.min_train, config.horizon)
    if query.series is not None:
        if query.series not in {s.id for s in listed}:
            raise NoSuchSeries(query.series)
        series = series.filter(pl.col("unique_id") == query.series)
    else:
        series = most_active(series, query.top)
    result = forecast(series, ForecastConfig(freq="W", horizon=query.horizon))
    frame = result.forecasts.astype(object).where(result.forecasts.notna(), None)
    records = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
    shown = query.series or next(s.id for s in listed if s.id in set(series["unique_id"]))
    history = series.filter(pl.col("unique_id") == shown).sort("ds")
    chart = plots.forecast_spec(
        shown,
        [(d.isoformat(), float(y)) for d, y in history.select("ds", "y").iter_rows()],
        [_chart_row(r) for r in records if r["unique_id"] == shown],
    )
    chart["series"] = shown
    chart["model"] = next(r["model"] for r in records if r["unique_id"] == shown)
    return DemandReport(
        summary=_finite(result.backtest.summary()),
        forecasts=records,
        series=listed,
        chart=_finite(chart),
    )


def _series_list(series: Any) -> list[SeriesInfo]:
    """Every series with its length and sales, in :func:`most_active` order."""
    import polars as pl

    per = series.group_by("unique_id", maintain_order=True).agg(
        pl.col("sku").first(),
        pl.col("market").first(),
        pl.len().alias("weeks"),
        (pl.col("y") > 0).sum().alias("weeks_sold"),
        pl.col("y").sum().alias("units"),
    )
    return [
        SeriesInfo(
            id=r["unique_id"],
            sku=r["sku"],
            market=r["market"],
            weeks=r["weeks"],
            weeks_sold=r["weeks_sold"],
            units=r["units"],
        )
        for r in per.iter_rows(named=True)
    ]


def _chart_row(row: dict[str, Any]) -> dict[str, Any]:
    """A forecast row as :func:`cbec.analytics.plots.forecast_spec` takes it."""
    out = {"ds": str(row["ds"])[:10], "mean": row["forecast"]}
    for level in ("80", "95"):
        for side in ("lo", "hi"):
            out[f"{side}-{level}"] = row.get(f"{side}_{level}")
    return out


def _plain(value: Any) -> Any:
    """A forecast cell as JSON: times as ISO text, numpy scalars as Python numbers."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    return _finite(value)


def replenishment(req: ReplenishmentRequest) -> Replenishment:
    """Safety stock, reorder point and order quantity per SKU × warehouse, each explained;
    stock rows without a demand figure are listed, not guessed — and a request where no
    stock row has one is refused, naming the warehouses of each side."""
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
    if not done:
        raise NothingToReplenish(
            sorted({d.warehouse for d in req.demand}), sorted({s.warehouse for s in req.stock})
        )
    return Replenishment.model_validate(
        {
            "suggestions": done,
            "without_forecast": [{"sku": m.sku, "warehouse": m.warehouse} for m in missing],
        }
    )


def stock_targets(report: DemandReport, query: StockTargetsQuery) -> Replenishment:
    """Safety stock, reorder point and order-up-to level of every forecast series, each
    market taken as the warehouse that serves it and nothing on hand or on order — the
    targets a seller compares its own stock with. Demand per week is the mean forecast over
    the horizon and σ_d the backtest error of the chosen model
    (:func:`cbec.analytics.replenish.demands_from_forecasts`)."""
    from cbec.analytics.replenish import demands_from_forecasts

    demands = demands_from_forecasts(report.forecasts)
    return replenishment(
        ReplenishmentRequest(
            service_level=query.service_level,
            demand=[
                DemandIn(
                    sku=d.sku,
                    warehouse=d.location,
                    mean=d.mean,
                    std=d.std,
                    period_days=d.period_days,
                )
                for d in demands
            ],
            stock=[
                StockIn(
                    sku=d.sku,
                    warehouse=d.location,
                    on_hand=0,
                    lead_time=query.lead_time,
                    review_period=query.review_period,
                )
                for d in demands
            ],
        )
    )

"""HTTP routes for analytics: the market view, a seller's customers (RFM, cohorts, CLV) and
demand forecast from its own stored orders, and replenishment suggestions — each chart also
as the JSON spec the web console draws."""

from decimal import Decimal
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from starlette.concurrency import run_in_threadpool

from cbec.api.body import parse_json
from cbec.errors import BadRequest, DocumentInvalid, Violation
from cbec.runtime import Runtime
from cbec.tenancy.access import Viewer
from cbec.trade.kinds import KINDS

MAX_ORDERS = 200_000


def _my_orders(rt: Runtime, v: Viewer) -> list[Any]:
    """The caller's visible orders (personal fields masked: analytics needs the buyer only
    as the keyed reference the store already keeps)."""
    out, after = [], 0
    pii = KINDS["order"].pii
    with rt.uow() as uow:
        while len(out) < MAX_ORDERS:
            page = uow.repo.list_documents(v, "order", after_seq=after, limit=1000)
            out += [(d, rt.vault.open("order", d.id, pii, d.body, clear=False)) for d in page]
            if len(page) < 1000:
                break
            after = page[-1].seq
    return out


def _customers(rt: Runtime, v: Viewer, weeks: float) -> dict[str, Any]:
    from datetime import datetime

    from cbec.analytics import clv, customers, plots
    from cbec.analytics import transactions as tr

    rows = [
        (d.subject_ref, datetime.fromisoformat(o["ordered_at"]).date(), o["goods_value"])
        for d, o in _my_orders(rt, v)
        if d.subject_ref
    ]
    if len(rows) < 10:
        raise BadRequest("analytics_too_few", {"count": len(rows), "minimum": 10})
    tx = tr.from_records(rows)
    scores = customers.rfm(tx)
    long = customers.cohort_retention(tx)
    matrix = customers.cohort_matrix(long)
    width = max(len(s) for s in matrix.values())
    out: dict[str, Any] = {
        "customers": int(tx["customer"].n_unique()),
        "orders": len(rows),
        "segments": customers.segment_summary(scores).to_dicts(),
        "repurchase_rate": round(customers.repurchase_rate(tx).rate, 4),
        "cohort_chart": plots.cohort_spec(
            list(matrix), [list(s) + [None] * (width - len(s)) for s in matrix.values()]
        ),
    }
    last = tx["date"].max()
    summary = tr.summary(tx, last)
    x, t_x, T, zbar = (summary[c].to_numpy() for c in ("x", "t_x", "T", "zbar"))
    try:
        count = clv.fit_bgnbd(x, t_x, T)
        spend = clv.fit_gammagamma(x, zbar)
    except ValueError as exc:
        out["clv"] = {"error": str(exc)}
        return out
    preds = clv.predictions(summary, count, spend, weeks)
    out["clv"] = {
        "weeks": weeks,
        "bgnbd": {k: round(val, 6) for k, val in count.params().items()},
        "gammagamma": {k: round(val, 6) for k, val in spend.params().items()},
        "converged": bool(count.converged and spend.converged),
        "expected_purchases_total": round(float(preds["expected_purchases"].sum()), 2),
        "clv_total": f"{float(preds['clv'].sum()):.2f}",
        "chart": plots.distribution_spec(
            preds["clv"].to_list(), title=f"CLV over {weeks:g} weeks", unit="CLV"
        ),
    }
    return out


def _demand(rt: Runtime, v: Viewer, horizon: int, top: int) -> dict[str, Any]:
    from cbec.analytics.demand import demand_series, most_active, order_records
    from cbec.analytics.forecasting import ForecastConfig, forecast

    orders = [o for _, o in _my_orders(rt, v)]
    series = demand_series(order_records(orders), freq="W")
    if series.is_empty():
        raise BadRequest("analytics_too_few", {"count": 0, "minimum": 1})
    series = most_active(series, top)
    result = forecast(series, ForecastConfig(freq="W", horizon=horizon))
    return {
        "summary": result.backtest.summary(),
        "forecasts": result.forecasts.astype(object)
        .where(result.forecasts.notna(), None)
        .to_dict("records"),
    }


def _replenishment(doc: dict[str, Any]) -> dict[str, Any]:
    from cbec.analytics.replenish import Demand, StockPosition, replenish

    level = doc.get("service_level", 0.95)  # the body parser gives numbers as Decimal
    if (
        isinstance(level, bool)
        or not isinstance(level, int | float | Decimal)
        or not (0.5 <= level < 1)
    ):
        raise DocumentInvalid([Violation("service_level", "out_of_range", {"min": 0.5, "max": 1})])
    demands, stock = {}, []
    for key in ("demand", "stock"):
        value = doc.get(key)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(x, dict) for x in value)
        ):
            raise DocumentInvalid([Violation(key, "invalid", {"detail": "a list of objects"})])
    for i, d in enumerate(doc.get("demand") or []):
        try:
            dem = Demand(str(d["sku"]), str(d["warehouse"]), float(d["mean"]), float(d["std"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise DocumentInvalid([Violation(f"demand[{i}]", "invalid", {"detail": exc})]) from None
        demands[(dem.sku, dem.location)] = dem
    fields = ("on_order", "lead_time", "lead_time_std", "review_period", "moq", "pack_size")
    for i, s in enumerate(doc.get("stock") or []):
        try:
            stock.append(
                StockPosition(
                    str(s["sku"]),
                    str(s["warehouse"]),
                    float(s["on_hand"]),
                    **{k: float(s[k]) for k in fields if k in s},
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DocumentInvalid([Violation(f"stock[{i}]", "invalid", {"detail": exc})]) from None
    if not stock:
        raise DocumentInvalid([Violation("stock", "missing", {})])
    try:
        done, missing = replenish(demands, stock, float(level))
    except ValueError as exc:  # e.g. a negative lead time or demand
        raise DocumentInvalid([Violation("stock", "invalid", {"detail": str(exc)})]) from None
    return {
        "suggestions": [s.as_dict() for s in done],
        "without_forecast": [{"sku": m.sku, "warehouse": m.warehouse} for m in missing],
    }


def install(app: FastAPI, rt: Runtime, auth: Any) -> None:
    Auth = Annotated[Viewer, Depends(auth)]

    @app.get("/analytics/market", tags=["analytics"], summary="China CBEC market figures")
    def market_view(v: Auth) -> dict[str, Any]:
        from cbec.analytics import market, plots

        report = market.report(market.load())
        report["charts"] = [plots.market_spec(view) for view in report["direction"]]
        return report

    @app.get(
        "/analytics/customers",
        tags=["analytics"],
        summary="Your buyers: RFM segments, cohort retention, repurchase and CLV",
    )
    def customers_view(
        v: Auth, weeks: Annotated[float, Query(gt=0, le=520)] = 52
    ) -> dict[str, Any]:
        return _customers(rt, v, weeks)

    @app.get(
        "/analytics/demand",
        tags=["analytics"],
        summary="Weekly demand forecast per SKU × destination from your orders",
    )
    async def demand_view(
        v: Auth,
        horizon: Annotated[int, Query(ge=1, le=52)] = 8,
        top: Annotated[int, Query(ge=1, le=2000)] = 200,
    ) -> dict[str, Any]:
        return await run_in_threadpool(_demand, rt, v, horizon, top)

    @app.post(
        "/analytics/replenishment",
        tags=["analytics"],
        summary="Safety stock, reorder point and order quantity per SKU × warehouse, explained",
    )
    async def replenishment(request: Request, v: Auth) -> dict[str, Any]:
        doc = parse_json(await request.body())
        if not isinstance(doc, dict):
            raise BadRequest("invalid_json", {"detail": "a JSON object"})
        return _replenishment(doc)

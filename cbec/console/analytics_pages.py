"""The analytics pages (adapters over :mod:`cbec.services.analytics`): a seller's customers —
RFM segments, the cohort heat-map, the CLV distribution — and its demand — a forecast with
its intervals and chosen model per series, picked with a GET form, and the stock targets of
every series.

The charts are the API's own chart specs (``GET /analytics/customers`` and
``/analytics/demand`` answer the same figures for the same caller), handed to
``console.js`` in a JSON data block with their labels in the page's language; every chart
is also a table, for readers without JavaScript or with a screen reader. Too little data is
said in words: the use case's refusal is shown as the page's notice.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from cbec.console import auth
from cbec.console.export import Format, export_response
from cbec.console.i18n import translations
from cbec.console.pages import N_, Lang, page_language, render
from cbec.errors import BadRequest
from cbec.services import analytics as svc
from cbec.services import analytics_models as m

router = APIRouter(include_in_schema=False)
PLAN = m.StockTargetsQuery()  # the restocking the stock targets assume, stated on the page

# The RFM segments of cbec.analytics.customers.SEGMENTS, as the console names them.
SEGMENTS = {
    "champions": N_("Champions"),
    "loyal": N_("Loyal"),
    "potential_loyalists": N_("Potential loyalists"),
    "new_customers": N_("New customers"),
    "promising": N_("Promising"),
    "need_attention": N_("Need attention"),
    "about_to_sleep": N_("About to sleep"),
    "cant_lose": N_("Can't lose them"),
    "at_risk": N_("At risk"),
    "hibernating": N_("Hibernating"),
}


# Why a CLV estimate is missing (ClvEstimate.reason), as the console says it.
CLV_REASONS = {
    "fit_failed": N_(
        "the fit failed: too few buyers came back, or the estimates ran off without converging."
    ),
    "not_finite": N_(
        "the estimates are not finite numbers: these buyers show no dropout the models can "
        "separate from their buying rate (more months of orders usually do)."
    ),
}


@router.get("/console/analytics")
def customers(request: Request, user: auth.Signed, lang: Lang = None):
    """RFM segments, cohort retention and CLV of the caller's buyers."""
    language = page_language(request, lang)
    gettext = translations(language).gettext
    try:
        report = svc.customers_view(request.app.state.rt.uow(), user.viewer, m.CustomersQuery())
    except BadRequest as exc:
        return render(request, "analytics.html", language, user=user, notice=exc.message(language))
    segments = [{**s, "label": gettext(SEGMENTS[s["segment"]])} for s in report.segments]
    charts: dict[str, Any] = {
        "rfm": {
            "type": "bar",
            "title": gettext("Customers per RFM segment"),
            "labels": [s["label"] for s in segments],
            "values": [s["customers"] for s in segments],
        },
        "cohorts": {
            "type": "heatmap",
            "title": gettext("Monthly cohort retention"),
            "x_label": gettext("Months since the first purchase"),
            "y_label": gettext("Cohort (month of the first purchase)"),
            "spec": report.cohort_chart.model_dump(),
        },
    }
    if report.clv.chart is not None:
        charts["clv"] = {
            "type": "histogram",
            "title": gettext("Customer lifetime value over %(weeks)s weeks")
            % {"weeks": f"{report.clv.weeks:g}"},
            "x_label": gettext("CLV (%(currency)s)") % {"currency": report.currency},
            "y_label": gettext("Customers"),
            "spec": report.clv.chart.model_dump(),
        }
    why = CLV_REASONS.get(report.clv.reason or "", "")
    return render(
        request,
        "analytics.html",
        language,
        user=user,
        clv_reason=gettext(why) if why else report.clv.error,
        report=report,
        segments=segments,
        charts=charts,
    )


@router.get("/console/analytics/demand")
def demand(
    request: Request,
    user: auth.Signed,
    series: Annotated[m.SeriesId | None, Query()] = None,
    lang: Lang = None,
):
    """The forecast of one series (picked with a GET form) and the stock targets of all."""
    language = page_language(request, lang)
    gettext = translations(language).gettext
    uow = request.app.state.rt.uow
    try:
        every = svc.demand_view(uow(), user.viewer, m.DemandQuery())
        one = svc.demand_view(uow(), user.viewer, m.DemandQuery(series=series)) if series else every
        targets = svc.stock_targets(every, PLAN)
    except BadRequest as exc:
        return render(
            request, "analytics_demand.html", language, user=user, notice=exc.message(language)
        )
    chart = one.chart.model_dump() if one.chart is not None else None
    shown = chart["series"] if chart else None
    charts = {}
    if chart is not None:
        charts["forecast"] = {
            "type": "forecast",
            "title": gettext("Weekly demand of %(series)s") % {"series": shown},
            "names": {
                "history": gettext("Units sold"),
                "mean": gettext("Forecast"),
                "80": gettext("%(level)s interval") % {"level": "80 %"},
                "95": gettext("%(level)s interval") % {"level": "95 %"},
            },
            "spec": chart,
        }
    return render(
        request,
        "analytics_demand.html",
        language,
        user=user,
        every=every,
        chart=chart,
        shown=shown,
        rows=[r for r in one.forecasts if r["unique_id"] == shown],
        targets=targets,
        q=PLAN,
        charts=charts,
    )


TARGET_COLUMNS = (
    N_("SKU"),
    N_("Market"),
    N_("Demand per week"),
    N_("Safety stock"),
    N_("Reorder point"),
    N_("Order-up-to level"),
)


@router.get("/console/analytics/demand/stock-targets.{fmt}")
def export_stock_targets(request: Request, user: auth.Signed, fmt: Format, lang: Lang = None):
    """The stock-targets table of the demand page as CSV or XLSX: its rows and columns, the
    units rounded to 0.1 as the page shows them, written as plain numbers. Too little data:
    the page, with its notice."""
    language = page_language(request, lang)
    try:
        every = svc.demand_view(request.app.state.rt.uow(), user.viewer, m.DemandQuery())
        targets = svc.stock_targets(every, PLAN)
    except BadRequest:
        return demand(request, user, lang=lang)
    rows = [
        [
            s.sku,
            s.warehouse,
            *(round(v, 1) for v in (s.mean_demand, s.safety_stock, s.reorder_point, s.order_up_to)),
        ]
        for s in targets.suggestions
    ]
    gettext = translations(language).gettext
    header = [gettext(c) for c in TARGET_COLUMNS]
    return export_response(fmt, "stock-targets", header, rows)

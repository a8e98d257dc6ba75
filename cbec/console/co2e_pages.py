"""The CO2e page (an adapter over :func:`cbec.services.logistics_waybills.monthly_co2e`): the
well-to-wheel CO2e of the waybills the signed-in user may read, in a year, by month and lane
(ISO 14083:2023, the factors' data-quality tiers as the report states them), drawn as bars
per month stacked by lane and shown as tables.

The report is the API's (``GET /logistics/co2e/monthly``) for the same caller: a tenant never
counts a waybill it may not read, and a waybill that names no route counts in its month's
waybills but adds no CO2e — the page says how many named theirs. The year is a query
parameter, checked as the form's other fields are; a refused one is named in the page's
language.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field, ValidationError

from cbec.console import auth
from cbec.console.forms import problems_of
from cbec.console.i18n import translations
from cbec.console.pages import N_, Lang, page_language, render
from cbec.services import logistics_models as m
from cbec.services import logistics_waybills as waybills
from cbec.trade.ports import now

router = APIRouter(include_in_schema=False)
YEARS = 5  # the years the selector offers: this one and the four before

# ISO 14083's data-quality tiers of an emission factor (EmissionFactorUsed.tier), as the
# console names them.
TIERS = {
    "default": N_("default (published factors)"),
    "modelled": N_("modelled (the carrier's model)"),
    "primary": N_("primary (the carrier's measured data)"),
}


class YearChoice(BaseModel):
    """The year of the report: waybills by their first tracking event's day."""

    year: int = Field(ge=2000, le=2100)


def _charts(report: m.MonthlyCo2e, lang: str) -> dict[str, Any]:
    """The data of the chart: one bar per month, stacked by lane (console.js draws it with
    ECharts; the page shows the same figures in its table by month and lane)."""
    gettext = translations(lang).gettext
    months = [x.month for x in report.months]
    lanes = [x.lane for x in report.lanes]
    cell = {(c.month, c.lane): float(c.co2e_wtw_kg) for c in report.by_month_lane}
    return {
        "co2e": {
            "type": "bars",
            "stacked": True,
            "title": gettext("CO2e per month, by lane"),
            "y_label": gettext("CO2e well-to-wheel (kg)"),
            "labels": months,
            "series": [
                {"name": lane, "values": [cell.get((month, lane), 0.0) for month in months]}
                for lane in lanes
            ],
        }
    }


@router.get("/console/co2e")
def co2e_page(
    request: Request,
    user: auth.Signed,
    year: Annotated[str | None, Query(max_length=16)] = None,
    lang: Lang = None,
):
    language = page_language(request, lang)
    this_year = now().year
    rt = request.app.state.rt
    try:
        chosen = YearChoice.model_validate({"year": year or this_year}).year
    except ValidationError as exc:
        return render(
            request,
            "co2e.html",
            language,
            status=422,
            user=user,
            years=list(range(this_year, this_year - YEARS, -1)),
            form={"year": (year or "")[:16]},
            problems=problems_of(exc, language),
        )
    report = waybills.monthly_co2e(rt.uow(), user.viewer, chosen, rt.settings.logistics_dir)
    gettext = translations(language).gettext
    years = sorted({chosen, *range(this_year, this_year - YEARS, -1)}, reverse=True)
    return render(
        request,
        "co2e.html",
        language,
        user=user,
        years=years,
        form={"year": str(chosen)},
        report=report,
        waybills_total=sum(x.waybills for x in report.months),
        with_route=sum(x.with_route for x in report.months),
        tiers={k: gettext(v) for k, v in TIERS.items()},
        charts=_charts(report, language),
    )

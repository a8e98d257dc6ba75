"""Supervision (adapters over :mod:`cbec.services.supervision` and
:func:`cbec.services.analytics.market_view`): order volumes by platform, seller, destination
and day over a date range — ECharts charts drawn by console.js from the page's JSON block,
and the same figures as tables without JavaScript — the orders that would fail 三单对碰 and
the rejected declarations by platform, and the market statistics with their sources, each
stated figure beside the one recomputed, highlighted where they disagree."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from cbec.console import auth
from cbec.console.formats import figures
from cbec.console.i18n import translations
from cbec.console.pages import N_, Lang, page_language, render
from cbec.errors import DocumentInvalid
from cbec.services import analytics, supervision

router = APIRouter(include_in_schema=False)


@router.get("/console/supervision")
def supervision_page(
    request: Request,
    user: auth.Signed,
    date_from: Annotated[date | None, Query()] = None,
    date_to: Annotated[date | None, Query()] = None,
    lang: Lang = None,
):
    language = page_language(request, lang)
    uow = request.app.state.rt.uow
    query = supervision.VolumeQuery(date_from=date_from, date_to=date_to)
    problems: list[dict[str, Any]] = []
    try:
        volumes = supervision.volumes(uow(), user.viewer, query)
    except DocumentInvalid as exc:
        problems = exc.details(language)
        volumes = supervision.volumes(uow(), user.viewer, supervision.VolumeQuery())
    return render(
        request,
        "supervision.html",
        language,
        status=422 if problems else 200,
        user=user,
        v=volumes,
        problems=problems,
        exceptions=supervision.exceptions(uow(), user.viewer),
        market=analytics.market_view(),
        charts=_charts(volumes, language),
    )


def _charts(v: supervision.Volumes, lang: str) -> dict[str, Any]:
    """The charts' data, labels in the page's language (console.js draws them)."""
    gettext = translations(lang).gettext
    f = figures(lang)
    # a day's label without its year when the range stays within one year
    day = f.short_day if v.date_from.year == v.date_to.year else f.day

    def bar(title: str, counts: list[supervision.Count], label=str) -> dict[str, Any]:
        return {
            "type": "bar",
            "title": gettext(title),
            "labels": [label(c.key) for c in counts],
            "values": [c.orders for c in counts],
        }

    return {
        "by-day": bar(N_("Orders per day"), v.by_day, day),
        "by-platform": bar(N_("Orders by platform"), v.by_platform),
        "by-seller": bar(N_("Orders by seller"), v.by_seller),
        "by-destination": bar(N_("Orders by destination"), v.by_destination),
    }

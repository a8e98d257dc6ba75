"""A shipment's page (an adapter over :mod:`cbec.services.tracking_views`): its map — the
legs its route plans and the places it was scanned — its timeline of EPCIS events and its
alerts, each with the reason said in the page's language from the figures the alert carries.

The page reads exactly what ``GET /logistics/waybills/{id}/tracking`` answers for the same
tenant: a waybill the user may not read is "not found" here as there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from cbec.console import auth
from cbec.console.i18n import translations
from cbec.console.pages import N_, Lang, page_language, render
from cbec.console.route_pages import MODES, place_names
from cbec.services import tracking_views
from cbec.services.tracking_models import ShipmentTrack

router = APIRouter(include_in_schema=False)

# Carrier milestones (cbec.trade.waybill.EventStatus), as the console names them.
MILESTONES = {
    "info_received": N_("label created"),
    "picked_up": N_("picked up"),
    "in_transit": N_("in transit"),
    "customs_declared": N_("declared to customs"),
    "customs_released": N_("released by customs"),
    "customs_held": N_("held by customs"),
    "out_for_delivery": N_("out for delivery"),
    "delivered": N_("delivered"),
    "failed_attempt": N_("delivery attempt failed"),
    "exception": N_("exception"),
    "returned": N_("returned"),
}

RULES = {"delay": N_("Late"), "no_scan": N_("No scan"), "sensor": N_("Sensor limit")}
SEVERITIES = {"warning": N_("warning"), "critical": N_("critical")}


def reason(alert: Any, gettext: Any, names: dict[str, str]) -> str:
    """An alert's reason in the page's language, from its figures (the API's ``reason`` is
    the English sentence made of the same figures)."""
    p = alert.params
    place = names.get(p.get("place") or "", p.get("place") or "—")
    if alert.rule == "delay":
        text = (
            gettext(
                "reached %(place)s after %(days)s days, later than %(pct)s %% of parcels "
                "planned on the same legs (planned median %(p50)s, 90th percentile %(p90)s days)"
            )
            if p.get("arrived")
            else gettext(
                "has not reached %(place)s after %(days)s days, later than %(pct)s %% of "
                "parcels planned on the same legs (planned median %(p50)s, 90th percentile "
                "%(p90)s days)"
            )
        )
        return text % {
            "place": place,
            "days": p["elapsed_days"],
            "pct": p["percentile"],
            "p50": p["planned_p50_days"],
            "p90": p["planned_p90_days"],
        }
    if alert.rule == "no_scan":
        return gettext(
            "no scan for %(hours)s hours since %(place)s on the %(mode)s leg "
            "(limit %(limit)s hours)"
        ) % {
            "hours": p["gap_hours"],
            "place": place,
            "mode": gettext(MODES.get(p["mode"], p["mode"])),
            "limit": p["limit_hours"],
        }
    side = gettext("below") if p["side"] == "below" else gettext("above")
    return gettext("%(measurement)s %(value)s %(uom)s is %(side)s the limit %(bound)s %(uom)s") % {
        "measurement": p["measurement"],
        "value": p["value"],
        "uom": p["uom"],
        "side": side,
        "bound": p["bound"],
    }


def _map(track: ShipmentTrack, names: dict[str, str], gettext: Any) -> dict[str, Any]:
    """The map's data: the planned legs as lines, the scanned places as points (console's
    shipment.js draws them over Natural Earth's land with ECharts)."""
    legs = [
        {
            "from": [g.origin_lon, g.origin_lat],
            "to": [g.destination_lon, g.destination_lat],
            "label": f"{gettext(MODES.get(g.mode, g.mode))} "
            f"{names.get(g.origin or '', g.origin)} → "
            f"{names.get(g.destination or '', g.destination)}",
        }
        for g in track.legs
        if None not in (g.origin_lat, g.origin_lon, g.destination_lat, g.destination_lon)
    ]
    scans = [
        {
            "at": [e.lon, e.lat],
            "label": f"{e.event_time:%Y-%m-%d %H:%M} UTC · "
            f"{gettext(MILESTONES.get(e.milestone or '', e.biz_step or ''))} · "
            f"{names.get(e.location or '', e.location)}",
        }
        for e in track.events
        if e.lat is not None and e.lon is not None
    ]
    return {
        "type": "shipment_map",
        "title": gettext("Planned legs and scans"),
        "names": {"legs": gettext("Planned legs"), "scans": gettext("Scans")},
        "legs": legs,
        "scans": scans,
    }


@router.get("/console/shipments/{doc_id}")
def shipment(
    request: Request,
    user: auth.Signed,
    doc_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")],
    as_of: Annotated[datetime | None, Query()] = None,
    lang: Lang = None,
):
    rt = request.app.state.rt
    language = page_language(request, lang)
    gettext = translations(language).gettext
    extra = rt.settings.logistics_dir
    track = tracking_views.shipment_track(
        rt.uow(), user.viewer, doc_id, tracking_views.aware(as_of), extra
    )
    names = place_names(language, extra)
    return render(
        request,
        "shipment.html",
        language,
        user=user,
        track=track,
        names=names,
        modes={k: gettext(v) for k, v in MODES.items()},
        milestones={k: gettext(v) for k, v in MILESTONES.items()},
        rules={k: gettext(v) for k, v in RULES.items()},
        severities={k: gettext(v) for k, v in SEVERITIES.items()},
        reasons=[reason(a, gettext, names) for a in track.alerts],
        charts={"shipment": _map(track, names, gettext)},
    )

"""The route planner page (an adapter over :mod:`cbec.services.logistics`): a shipment's routes
over the logistics network — the Pareto front of cost, 90th-percentile transit time and
well-to-wheel CO2e first — with the legs its goods may not take, drawn as a chart of the
front and shown as a table.

The form's fields are gathered into the very request model the API validates
(:class:`~cbec.services.logistics_models.RouteRequest`) and handed to the same use case, so a
plan here is the API's plan (``POST /logistics/routes``); a refused field is named in the
page's language, as the API's problem+json names it. The form is POSTed with the session's
CSRF token, as the tax quote forms are. The network is shared data: the page reads nothing
of a tenant, so every signed-in user may use it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError

from cbec.console import auth
from cbec.console.forms import problems_of
from cbec.console.i18n import translations
from cbec.console.pages import N_, Lang, page_language, render
from cbec.errors import DocumentInvalid
from cbec.services import logistics
from cbec.services import logistics_models as m

router = APIRouter(include_in_schema=False)
FIELDS = ("origin", "destination", "weight_kg", "volume_m3", "deadline_days", "lithium", "on")
MAX_FIELD = 200  # characters kept of a submitted field (the model's bounds are tighter)

# The transport modes of cbec.logistics.model.MODES, as the console names them.
MODES = {
    "sea": N_("sea"),
    "feeder": N_("feeder"),
    "air": N_("air"),
    "rail": N_("rail"),
    "road": N_("road"),
    "van": N_("van"),
    "drone": N_("drone"),
    "ferry": N_("ferry"),
}

# What a route is best on (RouteOption.best), as the console names it.
BEST = {"cost": N_("cheapest"), "transit_p90": N_("fastest"), "co2e": N_("lowest CO2e")}

# The lithium batteries a shipment may carry (RouteRequest.lithium), as the form names them.
LITHIUM = {
    "none": N_("None"),
    "contained": N_("Contained in equipment (UN3481)"),
    "packed_with": N_("Packed with equipment (UN3481)"),
    "standalone": N_("Standalone (UN3480)"),
}


def _fields(form: Any) -> dict[str, str]:
    """The form's values as the request's JSON would carry them: empty fields left out (the
    model's defaults apply), each value text for the model to read."""
    out = {}
    for name in FIELDS:
        raw = form.get(f"route-{name}")
        value = raw.strip()[:MAX_FIELD] if isinstance(raw, str) else ""
        if value:
            out[name] = value
    return out


def _raw(form: Any) -> dict[str, str]:
    """Every field as submitted, to show the form again."""
    return {n: str(form.get(f"route-{n}") or "")[:MAX_FIELD] for n in FIELDS}


def _places(lang: str, extra: Any) -> list[dict[str, str]]:
    """The choices of the origin and destination fields: each place of the network by its id,
    then each country it covers by its code (any place of that country)."""
    gettext = translations(lang).gettext
    places = logistics.list_locations(extra).items
    out = [{"value": p.id, "label": p.name_zh if lang == "zh" else p.name} for p in places]
    for country in sorted({p.country for p in places}):
        label = gettext("any place in %(country)s") % {"country": country}
        out.append({"value": country, "label": label})
    return out


def place_names(lang: str, extra: Any) -> dict[str, str]:
    """Each place's name in the page's language, by its id."""
    places = logistics.list_locations(extra).items
    return {p.id: p.name_zh if lang == "zh" else p.name for p in places}


def explain(o: m.RouteOption, lang: str, names: dict[str, str]) -> str:
    """A route's explanation in the page's language, from its figures — in English the very
    sentence the API gives (:func:`cbec.services.logistics._explain`)."""
    gettext = translations(lang).gettext
    path = " → ".join(
        [names.get(o.legs[0].origin, o.legs[0].origin_name)]
        + [
            f"{gettext(MODES.get(g.mode, g.mode))} → {names.get(g.destination, g.destination_name)}"
            for g in o.legs
        ]
    )
    best = {
        "cost": gettext("cheapest"),
        "transit_p90": gettext("fastest (90th percentile)"),
        "co2e": gettext("lowest CO2e"),
    }
    standing = ", ".join(best[b] for b in o.best) or (
        gettext("on the Pareto front") if o.pareto else gettext("dominated by another route")
    )
    return gettext(
        "%(path)s: %(cost)s, %(p50)s days median (%(p90)s at the 90th percentile), "
        "%(co2e)s kg CO2e well-to-wheel — %(standing)s"
    ) % {
        "path": path,
        "cost": f"{o.currency} {o.cost}",
        "p50": f"{o.transit_p50_days:.1f}",
        "p90": f"{o.transit_p90_days:.1f}",
        "co2e": f"{o.co2e_wtw_kg:.1f}",
        "standing": standing,
    }


def _charts(plan: m.RoutePlan, lang: str, names: dict[str, str]) -> dict[str, Any]:
    """The data of the Pareto chart, labels in the page's language (console.js draws it with
    ECharts; the page shows the same figures as the routes' table)."""
    gettext = translations(lang).gettext
    currency = plan.options[0].currency if plan.options else ""
    return {
        "pareto": {
            "type": "pareto",
            "title": gettext("Routes: cost against transit time"),
            "x_label": gettext("Transit time, 90th percentile (days)"),
            "y_label": gettext("Cost (%(currency)s)") % {"currency": currency},
            "size_label": gettext("CO2e well-to-wheel (kg)"),
            "names": {"front": gettext("Pareto front"), "other": gettext("Other routes")},
            "points": [
                {
                    "x": float(o.transit_p90_days),
                    "y": float(o.cost),
                    "co2e": float(o.co2e_wtw_kg),
                    "pareto": o.pareto,
                    "label": "; ".join(
                        f"{gettext(MODES.get(g.mode, g.mode))} "
                        f"{names.get(g.origin, g.origin_name)} → "
                        f"{names.get(g.destination, g.destination_name)}"
                        for g in o.legs
                    ),
                }
                for o in plan.options
            ],
        }
    }


def _page(request: Request, user: Any, lang: str, status: int = 200, **context: Any):
    extra = request.app.state.rt.settings.logistics_dir
    context.setdefault("form", {"lithium": "none", "volume_m3": "0"})
    gettext = translations(lang).gettext
    return render(
        request,
        "routes.html",
        lang,
        status=status,
        user=user,
        places=_places(lang, extra),
        names=place_names(lang, extra),
        modes={k: gettext(v) for k, v in MODES.items()},
        best_names={k: gettext(v) for k, v in BEST.items()},
        lithium={k: gettext(v) for k, v in LITHIUM.items()},
        **context,
    )


@router.get("/console/routes")
def routes_page(request: Request, user: auth.Signed, lang: Lang = None):
    return _page(request, user, page_language(request, lang))


@router.post("/console/routes")
async def plan(request: Request, user: auth.SignedForm, lang: Lang = None):
    language = page_language(request, lang)
    form = await request.form()
    raw = _raw(form)
    try:
        req = m.RouteRequest.model_validate(_fields(form))
        result = logistics.plan_route(req, request.app.state.rt.settings.logistics_dir)
    except (ValidationError, DocumentInvalid) as exc:
        problems = problems_of(exc, language)
        return _page(request, user, language, 422, form=raw, problems=problems)
    names = place_names(language, request.app.state.rt.settings.logistics_dir)
    charts = _charts(result, language, names)
    rows = [(o, explain(o, language, names)) for o in result.options]
    late = [(o, explain(o, language, names)) for o in result.late]
    return _page(
        request,
        user,
        language,
        form=raw,
        plan=result,
        charts=charts,
        option_rows=rows,
        late_rows=late,
    )

"""The shared container loads page, "green sharing" (an adapter over
:func:`cbec.services.logistics_consolidation.consolidate`): a seller pastes or uploads a CSV of
parcels — or loads the demo set — picks the leg, the departure and the container, and sees
the plan: the loads with their fill by weight and by volume, the parcels left out and why, and
each seller's cost and CO2e alone against shared, as a table and as bars.

The table's rows are read by :func:`cbec.services.logistics_parcels.parcel_rows` (headers in
English or Chinese) and gathered with the form's fields into the very request model the API
validates (:class:`~cbec.services.logistics_models.ConsolidationRequest`), so a plan here is
the API's plan (``POST /logistics/consolidations``) and a refused cell is named as the API
names it (``parcels[3].weight_kg``: the 4th data row), in the page's language. The form is
POSTed with the session's CSRF token. The network and the rates are shared data: the page
reads nothing of a tenant, so every signed-in user may use it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from cbec.console import auth
from cbec.console.forms import problems_of
from cbec.console.i18n import translations
from cbec.console.pages import Lang, page_language, render
from cbec.errors import DocumentInvalid
from cbec.services import logistics_consolidation as consolidation
from cbec.services import logistics_models as m
from cbec.services import logistics_parcels as parcels
from cbec.trade.ports import now

router = APIRouter(include_in_schema=False)
FIELDS = ("leg", "departure", "container")
MAX_FIELD = 200  # characters kept of a submitted field (the model's bounds are tighter)


def _raw(form: Any) -> dict[str, str]:
    """The form's fields as submitted, to show the form again and to build the request."""
    out = {n: str(form.get(f"load-{n}") or "").strip()[:MAX_FIELD] for n in FIELDS}
    text = form.get("load-parcels")
    out["parcels"] = text if isinstance(text, str) else ""
    return out


async def _table(form: Any, raw: dict[str, str]) -> bytes:
    """The parcels' CSV: the uploaded file when one was chosen, else the pasted text."""
    upload = form.get("load-file")
    if isinstance(upload, UploadFile):
        body = await upload.read()
        if body:
            return body
    return raw["parcels"].encode("utf-8")


def _charts(plan: m.ConsolidationPlan, lang: str) -> dict[str, Any]:
    """The data of the two savings charts, labels in the page's language (console.js draws
    them with ECharts; the page shows the same figures in the sellers' table)."""
    gettext = translations(lang).gettext
    sellers = [s.seller for s in plan.sellers]
    alone, shared = gettext("Alone"), gettext("Shared")
    return {
        "cost": {
            "type": "bars",
            "title": gettext("Cost per seller, alone and shared"),
            "y_label": gettext("Cost (%(currency)s)") % {"currency": plan.currency},
            "labels": sellers,
            "series": [
                {"name": alone, "values": [float(s.cost_alone) for s in plan.sellers]},
                {"name": shared, "values": [float(s.cost_shared) for s in plan.sellers]},
            ],
        },
        "co2e": {
            "type": "bars",
            "title": gettext("CO2e per seller, alone and shared"),
            "y_label": gettext("CO2e well-to-wheel (kg)"),
            "labels": sellers,
            "series": [
                {"name": alone, "values": [float(s.co2e_alone_kg) for s in plan.sellers]},
                {"name": shared, "values": [float(s.co2e_shared_kg) for s in plan.sellers]},
            ],
        },
    }


def _page(request: Request, user: Any, lang: str, status: int = 200, **context: Any):
    today = now().date()
    context.setdefault("form", {"departure": str(today), "container": "40ft_dry"})
    return render(
        request,
        "consolidation.html",
        lang,
        status=status,
        user=user,
        legs=parcels.load_choices(today),
        containers=parcels.container_kinds(today),
        columns=parcels.parcel_columns(),
        **context,
    )


@router.get("/console/consolidation")
def consolidation_page(request: Request, user: auth.Signed, lang: Lang = None):
    return _page(request, user, page_language(request, lang))


@router.post("/console/consolidation")
async def plan(request: Request, user: auth.SignedForm, lang: Lang = None):
    language = page_language(request, lang)
    form = await request.form()
    if form.get("action") == "demo":
        raw = {
            "leg": parcels.DEMO_LEG,
            "departure": str(parcels.DEMO_DEPARTURE),
            "container": "40ft_dry",
            "parcels": parcels.parcels_csv(parcels.demo_parcels(), zh=language == "zh"),
        }
        table = raw["parcels"].encode("utf-8")
    else:
        raw = _raw(form)
        table = await _table(form, raw)
    try:
        rows = parcels.parcel_rows(table)
        fields = {k: raw[k] for k in FIELDS if raw[k]}
        req = m.ConsolidationRequest.model_validate({**fields, "parcels": rows})
        extra = request.app.state.rt.settings.logistics_dir
        # the solver may take seconds: off the event loop, as the import desk's work is
        result = await run_in_threadpool(consolidation.consolidate, req, extra)
    except (ValidationError, DocumentInvalid) as exc:
        problems = problems_of(exc, language)
        return _page(request, user, language, 422, form=raw, problems=problems)
    charts = _charts(result, language)
    return _page(request, user, language, form=raw, plan=result, charts=charts)

"""HTTP routes of logistics planning (use cases in :mod:`cbec.services.logistics`)."""

from __future__ import annotations

from fastapi import APIRouter

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Rt
from cbec.services import logistics as svc
from cbec.services.logistics_models import LocationList, RoutePlan, RouteRequest

router = APIRouter(prefix="/logistics", tags=["logistics"], route_class=JsonBodyRoute)


@router.get(
    "/locations",
    summary="The places of the logistics network (ports, airports, rail terminals, warehouses)",
    description=(
        "Every place a route may start, pass or end at, with its kind, country, coordinates "
        "and the source of its position: the ids a route request names (or a country code "
        "for any place of that country). The network is shared data, the same for every "
        "tenant."
    ),
    response_model=LocationList,
)
def locations(caller: Caller, rt: Rt) -> LocationList:
    return svc.list_locations(rt.settings.logistics_dir)


@router.post(
    "/routes",
    summary="Plan a shipment's routes: the Pareto front of cost, transit time and CO2e",
    description=(
        "Enumerates the multimodal routes of the network (k shortest simple paths by each "
        "criterion), prices each leg for the shipment's chargeable weight, sums the legs' "
        "lognormal transit times (median and 90th percentile) and counts well-to-wheel CO2e "
        "per ISO 14083 (mass × distance adjusted per its Table 3 × the mode's intensity, from "
        "dated factors that name their source). Legs the goods may not take are listed with "
        "the rule (standalone lithium batteries not by air). 422 names the field for an "
        "unknown place, no route, or a deadline no route meets at its 90th percentile."
    ),
    response_model=RoutePlan,
    responses=problems(),
)
def routes(body: RouteRequest, caller: Caller, rt: Rt) -> RoutePlan:
    return svc.plan_route(body, rt.settings.logistics_dir)

"""HTTP routes of logistics planning (use cases in :mod:`cbec.services.logistics`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Rt, Uow
from cbec.api.documents import DocId
from cbec.services import logistics as svc
from cbec.services import logistics_consolidation as consolidation
from cbec.services import logistics_picking as picking
from cbec.services import logistics_waybills as waybills
from cbec.services.logistics_models import (
    ConsolidationPlan,
    ConsolidationRequest,
    EmissionsRequest,
    EmissionsResult,
    LocationList,
    MonthlyCo2e,
    PickingPlan,
    PickingRequest,
    RoutePlan,
    RouteRequest,
    WaybillCo2e,
)

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


@router.post(
    "/emissions",
    summary="The CO2e of a shipment over given legs (ISO 14083)",
    description=(
        "Well-to-wheel and tank-to-wheel CO2e of each leg — the shipment's mass × the leg's "
        "distance, adjusted per ISO 14083 Table 3, × the intensity in force for its mode and "
        "vehicle class (a carrier's own factor when `carrier` has one) — with each factor's "
        "data-quality tier and source. A leg is a network leg's id, or its mode and vehicle "
        "with a distance or two places of the network (sea legs measured by searoute). 422 "
        "names the leg field that is unknown or missing."
    ),
    response_model=EmissionsResult,
    responses=problems(),
)
def emissions(body: EmissionsRequest, caller: Caller, rt: Rt) -> EmissionsResult:
    return svc.shipment_emissions(body, rt.settings.logistics_dir)


@router.post(
    "/consolidations",
    summary="Pack many sellers' parcels into shared containers on a leg, with each one's saving",
    description=(
        "Bin packing by weight and volume with OR-Tools CP-SAT: every parcel the leg delivers "
        "by its deadline (at the 90th-percentile transit time, leaving on `departure`) in "
        "exactly one container, as few containers as possible; `optimal` says whether the "
        "count is proven the least. Each container's rate is shared in proportion to the "
        "greater of a parcel's share of payload and of volume; each seller's cost and CO2e "
        "are compared with shipping each parcel alone by the cheapest route meeting its "
        "deadline. Parcels that cannot ride are listed with the reason. 422 names the field "
        "for an unknown leg or container, a leg without a container rate or a repeated id."
    ),
    response_model=ConsolidationPlan,
    responses=problems(),
)
def consolidations(body: ConsolidationRequest, caller: Caller, rt: Rt) -> ConsolidationPlan:
    return consolidation.consolidate(body, rt.settings.logistics_dir)


@router.post(
    "/picking",
    summary="Batch a day's warehouse orders into pick waves and route the pickers",
    description=(
        "Orders by density into waves with OR-Tools CP-SAT (whole orders, carts not over, the "
        "waves' aisle traversal as short as possible), each wave routed with OR-Tools' routing "
        "solver in a single-block warehouse (parallel aisles, front and back cross aisles, the "
        "depot at the front of aisle 0); compared with first-come picking (orders as they came, "
        "a cart at a time, walked S-shape). 422 names a line outside the layout or an order a "
        "cart cannot hold."
    ),
    response_model=PickingPlan,
    responses=problems(),
)
def plan_picking(body: PickingRequest, caller: Caller) -> PickingPlan:
    return picking.plan_picking(body)


@router.get(
    "/waybills/{doc_id}/co2e",
    summary="A waybill's CO2e over the route it names (ISO 14083)",
    description=(
        "The gross weight over the waybill's `route` legs, with the factors in force on its "
        "first tracking event's day: per leg and in all, well-to-wheel and tank-to-wheel, "
        "with each factor's tier and source. A waybill that names no route answers "
        "`emissions: null` with the reason. 404 for a waybill the caller may not read, as "
        "for a missing one."
    ),
    response_model=WaybillCo2e,
    responses=problems(404),
)
def waybill_co2e(doc_id: DocId, caller: Caller, uow: Uow, rt: Rt) -> WaybillCo2e:
    return waybills.waybill_co2e(uow, caller, doc_id, rt.settings.logistics_dir)


@router.get(
    "/co2e/monthly",
    summary="The CO2e of the caller's waybills by month and lane (the monthly report)",
    description=(
        "Every waybill the caller may read whose first tracking event falls in `year`: per "
        "month, how many, how many name their route, and their CO2e; per lane (first leg's "
        "origin to last leg's destination), the CO2e, largest first."
    ),
    response_model=MonthlyCo2e,
)
def monthly_co2e(
    caller: Caller, uow: Uow, rt: Rt, year: Annotated[int, Query(ge=2000, le=2100)]
) -> MonthlyCo2e:
    return waybills.monthly_co2e(uow, caller, year, rt.settings.logistics_dir)

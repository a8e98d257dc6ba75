"""Use cases of logistics planning: the network's places, and the routes of a shipment with
their cost, transit time and CO2e (:mod:`cbec.logistics`). Pure computations over the
network data — nothing is read from or written to the database."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

from cbec.errors import DocumentInvalid, Violation
from cbec.logistics import distance, emissions
from cbec.logistics.model import EmissionFactor, Location
from cbec.logistics.network import DATA, SEA_MODES, Network, load_network, merged
from cbec.logistics.planner import NoRoute, Option, Planner, Shipment
from cbec.services.logistics_models import (
    EmissionFactorUsed,
    EmissionLegIn,
    EmissionLegOut,
    EmissionsRequest,
    EmissionsResult,
    ExcludedLeg,
    LocationList,
    LocationOut,
    RouteLeg,
    RouteOption,
    RoutePlan,
    RouteRequest,
)
from cbec.trade.ports import now

STARTER = "starter data (cbec/logistics/data): indicative published figures, not a carrier's offer"
KM = Decimal("0.1")
KG = Decimal("0.001")
DAYS = Decimal("0.1")


@cache
def _network(extra: Path | None) -> tuple[Network, str]:
    base = load_network(DATA)
    if extra is None:
        return base, STARTER
    return merged([base, load_network(extra)]), f"{STARTER}, with {extra}"


@cache
def _planner(extra: Path | None) -> Planner:
    return Planner(_network(extra)[0])


def list_locations(extra: Path | None = None) -> LocationList:
    """The places of the network, for choosing a shipment's origin and destination."""
    network, label = _network(extra)
    return LocationList(
        items=[LocationOut(**vars(p)) for p in network.locations.values()], network=label
    )


def plan_route(req: RouteRequest, extra: Path | None = None) -> RoutePlan:
    """The routes of ``req``'s shipment over the network of its day: the Pareto front of
    cost, 90th-percentile transit time and well-to-wheel CO2e first. Refused with 422 naming
    the field for a place the network does not hold, no route at all, or a deadline no
    route meets."""
    on = req.on or now().date()
    shipment = Shipment(
        origin=req.origin,
        destination=req.destination,
        weight_kg=req.weight_kg,
        volume_m3=req.volume_m3,
        on=on,
        deadline_days=float(req.deadline_days) if req.deadline_days is not None else None,
        lithium=req.lithium,
    )
    planner = _planner(extra)
    try:
        plan = planner.plan(shipment)
    except NoRoute as e:
        field = e.params.get("field", "destination")
        raise DocumentInvalid([Violation(field, e.reason, e.params)]) from None
    if not plan.options:
        fastest = plan.late[0].transit.p90
        params = {"deadline": str(req.deadline_days), "fastest": f"{fastest:.1f}"}
        raise DocumentInvalid([Violation("deadline_days", "deadline_impossible", params)])
    places = planner.network.locations
    label = _network(extra)[1]
    has_hubs = bool(emissions.hub_rows())
    return RoutePlan(
        on=on,
        options=[_option(o, places) for o in plan.options],
        late=[_option(o, places) for o in plan.late],
        excluded=[ExcludedLeg(id=k, reason=v) for k, v in sorted(plan.excluded.items())],
        hub_emissions="counted" if has_hubs else "no_factors",
        network=label,
    )


def _d(value: float, step: Decimal) -> Decimal:
    return Decimal(repr(value)).quantize(step)


def _option(o: Option, places: dict) -> RouteOption:  # type: ignore[type-arg]
    legs = []
    for p in o.legs:
        g = p.leg
        legs.append(
            RouteLeg(
                id=g.id,
                mode=g.mode,
                vehicle=g.vehicle,
                origin=g.origin,
                origin_name=places[g.origin].name,
                destination=g.destination,
                destination_name=places[g.destination].name,
                distance_km=_d(g.distance_km, KM),
                emission_distance_km=_d(p.emission_km, KM),
                cost=p.cost,
                transit_p50_days=_d(g.transit_p50_days, DAYS),
                transit_p90_days=_d(g.transit_p90_days, DAYS),
                co2e_wtw_kg=_d(p.co2e.wtw_kg, KG),
                co2e_ttw_kg=_d(p.co2e.ttw_kg, KG),
                hub_co2e_wtw_kg=_d(p.hub_co2e.wtw_kg, KG),
                factor=EmissionFactorUsed(
                    wtw_g_per_tkm=p.factor.wtw_g_per_tkm,
                    ttw_g_per_tkm=p.factor.ttw_g_per_tkm,
                    tier=p.factor.tier,
                    source=p.factor.source,
                ),
                source=g.source,
            )
        )
    return RouteOption(
        legs=legs,
        cost=o.cost,
        currency=o.currency,
        transit_p50_days=_d(o.transit.p50, DAYS),
        transit_p90_days=_d(o.transit.p90, DAYS),
        co2e_wtw_kg=_d(o.co2e.wtw_kg, KG),
        co2e_ttw_kg=_d(o.co2e.ttw_kg, KG),
        pareto=o.pareto,
        best=list(o.best),  # type: ignore[arg-type]
        explanation=_explain(o, places),
    )


def _explain(o: Option, places: dict) -> str:  # type: ignore[type-arg]
    path = " → ".join(
        [places[o.legs[0].leg.origin].name]
        + [f"{p.leg.mode} → {places[p.leg.destination].name}" for p in o.legs]
    )
    best = {"cost": "cheapest", "transit_p90": "fastest (90th percentile)", "co2e": "lowest CO2e"}
    standing = ", ".join(best[b] for b in o.best) or (
        "on the Pareto front" if o.pareto else "dominated by another route"
    )
    return (
        f"{path}: {o.currency} {o.cost}, {o.transit.p50:.1f} days median "
        f"({o.transit.p90:.1f} at the 90th percentile), {o.co2e.wtw_kg:.1f} kg CO2e "
        f"well-to-wheel — {standing}"
    )


def shipment_emissions(req: EmissionsRequest, extra: Path | None = None) -> EmissionsResult:
    """The CO2e of a shipment over the legs given (ISO 14083): each leg's mass × distance,
    adjusted per Table 3, × its intensity — a network leg by id, or a leg described by mode
    and vehicle with a distance or two places of the network. Each leg's figure is exact
    decimal arithmetic rounded to the gram, half to even (:func:`emissions.co2e_kg`); the
    total is their sum. 422 names the leg's field that is unknown or missing."""
    on = req.on or now().date()
    mass = req.weight_kg
    out = []
    for g in _legs(req.legs, on, extra):
        per_kg = emissions.intensity(g.adjusted_km, g.factor)
        out.append(
            EmissionLegOut(
                mode=g.mode,
                vehicle=g.vehicle,
                distance_km=_d(g.km, KM),
                emission_distance_km=_d(g.adjusted_km, KM),
                tonne_km=emissions.tonne_km(mass, per_kg),
                co2e_wtw_kg=emissions.co2e_kg(mass, per_kg.wtw),
                co2e_ttw_kg=emissions.co2e_kg(mass, per_kg.ttw),
                factor=EmissionFactorUsed(
                    wtw_g_per_tkm=g.factor.wtw_g_per_tkm,
                    ttw_g_per_tkm=g.factor.ttw_g_per_tkm,
                    tier=g.factor.tier,
                    source=g.factor.source,
                ),
            )
        )
    return EmissionsResult(
        on=on,
        legs=out,
        co2e_wtw_kg=sum((g.co2e_wtw_kg for g in out), Decimal(0)),
        co2e_ttw_kg=sum((g.co2e_ttw_kg for g in out), Decimal(0)),
        tiers=sorted({g.factor.tier for g in out}),  # type: ignore[arg-type]
    )


def route_intensity(
    legs: Sequence[EmissionLegIn], on: date, extra: Path | None = None
) -> tuple[emissions.Intensity, ...]:
    """The per-kilogram intensity of each leg given, on ``on``: what
    :func:`shipment_emissions` multiplies by the mass, for computing many shipments of one
    route at once (:mod:`cbec.logistics.bulk`). 422 as :func:`shipment_emissions`."""
    return tuple(emissions.intensity(g.adjusted_km, g.factor) for g in _legs(legs, on, extra))


def route_tiers(
    legs: Sequence[EmissionLegIn], on: date, extra: Path | None = None
) -> frozenset[str]:
    """The data-quality tiers (ISO 14083) of the factors :func:`route_intensity` uses."""
    return frozenset(g.factor.tier for g in _legs(legs, on, extra))


def same_data_from(extra: Path | None = None) -> Callable[[date], date]:
    """For a day, the first day of the span it lies in over which every dated row that
    :func:`route_intensity` reads — the network's legs, the emission factors, the distance
    adjustments — stays as it is: a route's intensity is the same on each day of a span, so
    many shipments are resolved once per span (the rows as they are now, read at each call)."""
    rows = [*emissions.factor_rows(), *emissions.adjustment_rows(), *_network(extra)[0].legs]
    changes = sorted(
        {r.effective_from for r in rows}
        | {r.effective_to + timedelta(days=1) for r in rows if r.effective_to is not None}
    )

    def start(on: date) -> date:
        i = bisect_right(changes, on)
        return changes[i - 1] if i else date.min

    return start


@dataclass(frozen=True)
class _Leg:
    mode: str
    vehicle: str
    km: float
    adjusted_km: float
    factor: EmissionFactor


def _legs(legs: Sequence[EmissionLegIn], on: date, extra: Path | None) -> list[_Leg]:
    """The legs given, resolved on ``on``: the network's leg or the described one, its
    planned and adjusted distance and its factor; every unknown or missing field named."""
    network = _network(extra)[0]
    places = network.locations
    by_id = {g.id: g for g in network.legs_on(on)}
    out, problems = [], []
    for i, given in enumerate(legs):
        at = f"legs[{i}]"
        if given.leg is not None:
            leg = by_id.get(given.leg)
            if leg is None:
                problems.append(Violation(f"{at}.leg", "unknown_leg", {"id": given.leg}))
                continue
            mode, vehicle, carrier, km = leg.mode, leg.vehicle, leg.carrier, leg.distance_km
        else:
            if given.mode is None or given.vehicle is None:
                field = f"{at}.mode" if given.mode is None else f"{at}.vehicle"
                problems.append(Violation(field, "leg_needs", {}))
                continue
            mode, vehicle, carrier = given.mode, given.vehicle, given.carrier
            if given.distance_km is not None:
                km = float(given.distance_km)
            else:
                ends = [given.origin, given.destination]
                bad = [(n, v) for n, v in zip(("origin", "destination"), ends, strict=True)]
                bad = [(n, v) for n, v in bad if v not in places]
                if bad:
                    name, value = bad[0]
                    problems.append(Violation(f"{at}.{name}", "unknown_location", {"id": value}))
                    continue
                a, b = places[given.origin], places[given.destination]  # type: ignore[index]
                km = _planned_km(mode, a, b)
        try:
            factor = emissions.factor_for(mode, vehicle, on, carrier)
        except emissions.UnknownFactor:
            problems.append(
                Violation(f"{at}.vehicle", "unknown_factor", {"mode": mode, "vehicle": vehicle})
            )
            continue
        out.append(_Leg(mode, vehicle, km, emissions.adjusted_km(mode, km, on), factor))
    if problems:
        raise DocumentInvalid(problems)
    return out


def _planned_km(mode: str, a: Location, b: Location) -> float:
    """The planned distance between two places: by sea over searoute's network for sea
    modes, the geodesic otherwise (a road or rail leg should give its distance)."""
    if mode in SEA_MODES:
        return distance.sea_km(a.lat, a.lon, b.lat, b.lon)
    return distance.geodesic_km(a.lat, a.lon, b.lat, b.lon)

"""The use case of shared container loads (:mod:`cbec.logistics.consolidation`): pack many
sellers' parcels into containers on one leg and give each seller its saving against shipping
alone. A pure computation over the network data: nothing is read from or written to the
database."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from cbec.errors import DocumentInvalid, Violation
from cbec.logistics import consolidation as core
from cbec.logistics import emissions
from cbec.logistics.cost import leg_cost
from cbec.logistics.planner import NoRoute, Shipment
from cbec.services.logistics import KG, _d, _network, _planner
from cbec.services.logistics_models import (
    ConsolidationPlan,
    ConsolidationRequest,
    ContainerLoad,
    LeftOut,
    SellerSaving,
)

PCT = Decimal("0.1")


def consolidate(req: ConsolidationRequest, extra: Path | None = None) -> ConsolidationPlan:
    """Pack ``req``'s parcels into the fewest containers on its leg (those the leg cannot
    deliver by their deadline left out, with the reason), share each container's rate, and
    compare each seller's cost and CO2e with shipping each parcel alone by the cheapest
    route meeting its deadline. A container whose rate exceeds what its parcels cost alone
    is not proposed: its parcels are listed as shipping alone, with both figures. 422 names
    the field for an unknown leg or container, a leg without a container rate, or a repeated
    parcel id."""
    on = req.departure
    network = _network(extra)[0]
    leg = next((g for g in network.legs_on(on) if g.id == req.leg), None)
    problems = []
    if leg is None:
        problems.append(Violation("leg", "unknown_leg", {"id": req.leg}))
    box = core.container(req.container, on)
    if box is None:
        problems.append(Violation("container", "unknown_container", {"kind": req.container}))
    rate = core.container_rate(req.leg, req.container, on) if leg and box else None
    if leg is not None and box is not None and rate is None:
        problems.append(
            Violation("leg", "no_container_rate", {"id": req.leg, "kind": req.container})
        )
    seen: set[str] = set()
    for i, p in enumerate(req.parcels):
        if p.id in seen:
            problems.append(Violation(f"parcels[{i}].id", "duplicate_parcel", {"id": p.id}))
        seen.add(p.id)
        if p.deadline < p.ready_on:
            problems.append(Violation(f"parcels[{i}].deadline", "deadline_before_ready", {}))
    if problems:
        raise DocumentInvalid(problems)
    assert leg is not None and box is not None and rate is not None
    price, currency, _ = rate
    parcels = [
        core.Parcel(p.id, p.seller, p.weight_kg, p.volume_m3, p.ready_on, p.deadline)
        for p in req.parcels
    ]
    riders, left = core.riding(parcels, on, leg.transit_p90_days, box)
    packing = core.pack(riders, box)
    factor = emissions.factor_for(leg.mode, leg.vehicle, on, leg.carrier)
    per_kg = emissions.leg(1.0, emissions.adjusted_km(leg.mode, leg.distance_km, on), factor).wtw_kg
    alone = _alone(parcels, leg.origin, leg.destination, on, extra)
    loads, share_of = [], {}
    paying = []
    for load_ in packing.loads:
        by_alone = sum((alone[p.id][0] for p in load_), Decimal(0))
        if by_alone > price:
            paying.append(load_)
            continue
        for p in load_:  # a box that costs more than its parcels alone is not filled
            left[p.id] = (
                f"ships alone: its container would cost {currency} {price}, its parcels "
                f"alone {currency} {by_alone}"
            )
    riders = [p for load_ in paying for p in load_]
    for n, load_ in enumerate(paying, start=1):
        share_of.update(core.shares(load_, box, price))
        w = sum((p.weight_kg for p in load_), Decimal(0))
        v = sum((p.volume_m3 for p in load_), Decimal(0))
        loads.append(
            ContainerLoad(
                index=n,
                parcels=[p.id for p in load_],
                weight_kg=w,
                volume_m3=v,
                weight_fill_pct=(100 * w / box.payload_kg).quantize(PCT),
                volume_fill_pct=(100 * v / box.volume_m3).quantize(PCT),
                rate=price,
            )
        )
    by_seller: dict[str, list[core.Parcel]] = defaultdict(list)
    for p in riders:
        by_seller[p.seller].append(p)
    sellers = []
    for seller, own in sorted(by_seller.items()):
        cost_alone = sum((alone[p.id][0] for p in own), Decimal(0))
        co2_alone = sum(alone[p.id][1] for p in own)
        cost_shared = sum((share_of[p.id] for p in own), Decimal(0))
        co2_shared = sum(float(p.weight_kg) * per_kg for p in own)
        sellers.append(
            SellerSaving(
                seller=seller,
                parcels=len(own),
                cost_alone=cost_alone,
                cost_shared=cost_shared,
                cost_saved=cost_alone - cost_shared,
                co2e_alone_kg=_d(co2_alone, KG),
                co2e_shared_kg=_d(co2_shared, KG),
                co2e_saved_kg=_d(co2_alone, KG) - _d(co2_shared, KG),
            )
        )
    return ConsolidationPlan(
        leg=leg.id,
        departure=on,
        container=box.kind,
        currency=currency,
        containers=loads,
        optimal=packing.optimal,
        lower_bound=packing.lower_bound,
        sellers=sellers,
        left_out=[LeftOut(id=k, reason=v) for k, v in sorted(left.items())],
        cost_saved=sum((s.cost_saved for s in sellers), Decimal(0)),
        co2e_saved_kg=sum((s.co2e_saved_kg for s in sellers), Decimal(0)),
    )


def _alone(
    parcels: list[core.Parcel], origin: str, destination: str, on, extra: Path | None
) -> dict[str, tuple[Decimal, float]]:
    """Each parcel's cost and CO2e shipped by itself: the cheapest route of the network from
    the leg's origin to its destination that meets its deadline (the fastest when none
    does). The candidate routes are found once, for a parcel of the median weight; each is
    then priced per parcel (cost per leg at its chargeable weight; CO2e mass-based, so per
    kg the same for every parcel)."""
    planner = _planner(extra)
    weights = sorted(p.weight_kg for p in parcels)
    probe = Shipment(origin, destination, weights[len(weights) // 2], Decimal(0), on)
    try:
        plan = planner.plan(probe)
    except NoRoute:
        return {p.id: (Decimal(0), 0.0) for p in parcels}
    routes = [
        (o, o.co2e.wtw_kg / float(probe.weight_kg), math.ceil(o.transit.p90))
        for o in plan.options + plan.late
    ]
    out = {}
    for p in parcels:
        priced = [
            (
                sum((leg_cost(x.leg.cost, p.weight_kg, p.volume_m3) for x in o.legs), Decimal(0)),
                per_kg,
                days,
            )
            for o, per_kg, days in routes
        ]
        feasible = [r for r in priced if p.ready_on + timedelta(days=r[2]) <= p.deadline]
        cost, per_kg, _ = min(feasible) if feasible else min(priced, key=lambda r: r[2])
        out[p.id] = (cost, float(p.weight_kg) * per_kg)
    return out

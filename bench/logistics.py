"""Route planning latency on a 500-place network, against a single shortest path.

Issue #18, point 3: **p95 < 200 ms** per plan on a network of 500 places. The shipped
starter network is small, so this script builds a synthetic one the same shape: 500 places
(seaports, airports, rail terminals, warehouses in equal numbers) spread over the globe with
a fixed seed; seaports joined to their nearest seaports by sea, airports by air, terminals by
rail, and every place to its nearest places of any kind by road (the first and last miles
and the links between modes), with the starter data's emission factors and rates and
transit times scaled by distance. Each plan is a full
:meth:`cbec.logistics.planner.Planner.plan` (k = 6 shortest simple paths by each of three
criteria, exact evaluation, Pareto front) between two random places; the baseline, measured
in the same run on the same pairs, is one Dijkstra shortest path by cost over the same graph
(``networkx.shortest_path``) — the least any planner must do. Printed: p50 and p95 of each,
and their ratio.

Point 4: **10,000 parcels planned into shared containers in < 30 s**
(:func:`cbec.services.logistics_consolidation.consolidate`: deadlines checked, CP-SAT bin
packing by weight and volume, rate shares, and each parcel priced alone); the baseline is the
first-fit-decreasing packing the solver starts from, in the same run; printed with the
containers each used and the lower bound.

**CO2e for 1,000,000 waybills in < 10 s**: the monthly report by month and lane
(:func:`cbec.services.logistics_waybills.co2e_report`, what ``GET /logistics/co2e/monthly``
computes over the waybills it read) on synthetic waybills of 2026 over the starter network's
routes — its legs alone and chained where one arrives where the next leaves, some with a
described last-mile van leg, some with none — with seeded masses and first-event times. The
baseline, in the same run, is the one-by-one path the report took before: each waybill through
:func:`cbec.services.logistics.shipment_emissions`, on a sample (``--sample``), extrapolated per
waybill; the two reports on the sample must be equal.

Usage::

    .venv/bin/python bench/logistics.py [--places 500] [--plans 200] [--parcels 10000]
        [--waybills 1000000] [--sample 20000] [--seed 18] [--one-core]
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import platform
import random
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import networkx as nx
from common import Cpus, percentile, print_goals

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cbec.logistics.distance import geodesic_km
from cbec.logistics.model import CostModel, Leg, Location
from cbec.logistics.network import Network
from cbec.logistics.planner import Planner, Shipment

GOAL_P95_MS = 200.0
ON = date(2026, 6, 1)
# mode -> (vehicle with a shipped factor, USD per kg per 1,000 km, km per day, neighbours)
MODES = {
    "sea": ("container_avg", Decimal("0.006"), 600.0, 4),
    "air": ("long_haul", Decimal("0.45"), 2000.0, 3),
    "rail": ("freight_train", Decimal("0.025"), 700.0, 2),
    "road": ("hgv_artic_gt33t", Decimal("0.07"), 500.0, 3),
}
KIND = {"sea": "seaport", "air": "airport", "rail": "rail_terminal", "road": "warehouse"}


def synthetic(n: int, seed: int) -> Network:
    rng = random.Random(seed)
    places: dict[str, Location] = {}
    for i in range(n):
        kind = list(KIND.values())[i % 4]
        lat = math.degrees(math.asin(rng.uniform(-0.9, 0.95)))
        places[f"P{i:04d}"] = Location(
            f"P{i:04d}", f"Place {i}", "", kind, "XX", lat, rng.uniform(-180, 180), "synthetic"
        )  # type: ignore[arg-type]
    ids = list(places)
    of_kind = {k: [i for i in ids if places[i].kind == k] for k in KIND.values()}
    legs: list[Leg] = []
    for mode, (vehicle, rate, speed, k) in MODES.items():
        # sea, air and rail join places of their own kind (ports, airports, terminals), each
        # to its k nearest of a sample of 60; road joins every place to its k nearest of any
        # kind (the first and last miles, and the links between modes) — both ways
        for a in ids:
            if mode != "road" and places[a].kind != KIND[mode]:
                continue
            pa = places[a]
            pool = ids if mode == "road" else of_kind[KIND[mode]]
            near = sorted(
                (geodesic_km(pa.lat, pa.lon, places[b].lat, places[b].lon), b)
                for b in rng.sample(pool, min(60, len(pool)))
                if b != a
            )[:k]
            for km, b in near:
                for x, y in ((a, b), (b, a)):
                    days = max(0.5, km / speed)
                    legs.append(
                        Leg(
                            id=f"{mode}-{x}-{y}-{len(legs)}",
                            origin=x,
                            destination=y,
                            mode=mode,  # type: ignore[arg-type]
                            vehicle=vehicle,
                            distance_km=km,
                            distance_method="data",
                            transit_p50_days=days,
                            transit_p90_days=days * 1.3,
                            cost=CostModel(
                                "USD",
                                (rate * Decimal(repr(km)) / 1000).quantize(Decimal("0.0001")),
                                Decimal(1000),
                                Decimal(0),
                                Decimal(0),
                                Decimal(0),
                            ),
                            carrier="",
                            effective_from=date(2024, 1, 1),
                            effective_to=None,
                            source="synthetic",
                        )
                    )
    return Network(places, legs)


GOAL_PARCELS_S = 30.0


def consolidation(n: int, seed: int) -> bool:
    from cbec.logistics import consolidation as core
    from cbec.services.logistics_consolidation import consolidate
    from cbec.services.logistics_models import ConsolidationRequest

    rng = random.Random(seed)
    parcels = [
        {
            "id": f"P{i:05d}",
            "seller": f"seller-{i % 200:03d}",
            "weight_kg": f"{rng.uniform(0.5, 30):.3f}",
            "volume_m3": f"{rng.uniform(0.002, 0.12):.4f}",
            "ready_on": "2026-06-01",
            "deadline": "2026-08-30" if rng.random() < 0.9 else "2026-06-25",
        }
        for i in range(n)
    ]
    req = ConsolidationRequest(leg="SEA-SHA-RTM", departure=ON, parcels=parcels)
    box = core.container("40ft_dry", ON)
    items = [
        (i, int(Decimal(p["weight_kg"]) * 1000), int(Decimal(p["volume_m3"]) * 1_000_000))
        for i, p in enumerate(parcels)
    ]
    t0 = time.perf_counter()
    start = core._first_fit_decreasing(
        items, int(box.payload_kg * 1000), int(box.volume_m3 * 1_000_000)
    )
    base_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    plan = consolidate(req)
    took = time.perf_counter() - t0
    print(
        f"\nconsolidation: {n:,} parcels of 200 sellers on SEA-SHA-RTM, 40' containers"
        f"\n  first-fit decreasing (baseline, packing only): {max(start) + 1} containers "
        f"for all, {base_s:.2f} s"
        f"\n  consolidate: {len(plan.containers)} containers (lower bound {plan.lower_bound}, "
        f"{'optimal' if plan.optimal else 'not proven optimal'}), {len(plan.left_out)} left out "
        f"by deadline, saved {plan.currency} {plan.cost_saved} against shipping alone; "
        f"{took:.2f} s ({took / base_s:.0f}× the baseline)"
    )
    return print_goals(
        [(f"{n:,} parcels in {took:.1f} s < {GOAL_PARCELS_S:.0f} s", took < GOAL_PARCELS_S)]
    )


GOAL_WAYBILLS_S = 10.0


def routes_of_starter_network() -> list[list[dict[str, str]]]:
    """Each leg of the starter network alone and chained to the legs leaving where it
    arrives (up to three), each also with a described 12 km van leg at the end."""
    from cbec.logistics.network import load_network

    legs = load_network().legs
    leaving: dict[str, list[str]] = {}
    for g in legs:
        leaving.setdefault(g.origin, []).append(g.id)
    ends = {g.id: g.destination for g in legs}
    chains: list[list[str]] = []

    def extend(chain: list[str]) -> None:
        chains.append(chain)
        if len(chain) < 3:
            for nxt in leaving.get(ends[chain[-1]], []):
                extend([*chain, nxt])

    for g in legs:
        extend([g.id])
    van = {"mode": "van", "vehicle": "diesel_avg", "distance_km": "12"}
    routes = [[{"leg": i} for i in chain] for chain in chains]
    return routes + [[*r, van] for r in routes]


def synthetic_waybills(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    routes: list[list[dict[str, str]] | None] = [*routes_of_starter_network(), None]
    out = []
    for _ in range(n):
        t = 1767225600 + rng.randrange(365 * 86400)  # a second of 2026 (UTC)
        body: dict = {
            "gross_weight_kg": f"{rng.uniform(0.1, 30000):.{rng.randrange(4)}f}",
            "events": [{"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))}],
        }
        route = rng.choice(routes)
        if route is not None:
            body["route"] = [dict(g) for g in route]
        out.append(body)
    return out


def one_by_one(waybills: list[dict]) -> dict:
    """The monthly report as it was computed before the bulk path: each waybill through
    shipment_emissions in decimal, summed by month and lane."""
    from cbec.services.logistics_waybills import _day, report_one_by_one

    return report_one_by_one(2026, ((_day(b, CREATED), b) for b in waybills))


CREATED = datetime(2026, 1, 1, tzinfo=UTC)  # unused: every synthetic waybill has an event


def waybills_co2e(n: int, sample: int, seed: int) -> bool:
    from cbec.services.logistics_waybills import _day, co2e_report

    t0 = time.perf_counter()
    bodies = synthetic_waybills(n, seed)
    made = time.perf_counter() - t0
    routes = len(routes_of_starter_network())
    co2e_report(2026, [])  # the network loaded and its sea distances computed, as in a server
    some = bodies[:sample]
    t0 = time.perf_counter()
    base = one_by_one(some)
    base_s = time.perf_counter() - t0
    same = co2e_report(2026, ((_day(b, CREATED), b) for b in some)).model_dump(mode="json") == base
    t0 = time.perf_counter()
    report = co2e_report(2026, ((_day(b, CREATED), b) for b in bodies))
    took = time.perf_counter() - t0
    per_base = base_s / len(some)
    counted = sum(m.with_route for m in report.months)
    print(
        f"\nCO2e for {n:,} waybills: synthetic, 2026, over {routes} routes of the starter network "
        "or none "
        f"(made in {made:.1f} s); {counted:,} with a route, {report.co2e_wtw_kg:,} kg CO2e "
        f"well-to-wheel, {len(report.lanes)} lanes"
        f"\n  one by one (baseline, shipment_emissions per waybill): {len(some):,} in "
        f"{base_s:.2f} s, {per_base * 1e6:.0f} µs each → {per_base * n:.0f} s for {n:,}"
        f"\n  in bulk (co2e_report): {took:.2f} s, {took / n * 1e6:.2f} µs each "
        f"({per_base * n / took:.0f}× faster than the baseline extrapolated); the same report "
        f"as one by one on the {len(some):,}: {'yes' if same else 'NO'}"
    )
    return print_goals(
        [
            (f"{n:,} waybills in {took:.1f} s < {GOAL_WAYBILLS_S:.0f} s", took < GOAL_WAYBILLS_S),
            (f"the bulk report equals one by one on {len(some):,} waybills", same),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--places", type=int, default=500)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--parcels", type=int, default=10_000)
    parser.add_argument("--waybills", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--one-core", action="store_true")
    args = parser.parse_args(argv)
    cpus = Cpus(args.one_core)
    print(
        f"cbec logistics benchmark — Python {platform.python_version()}, networkx "
        f"{nx.__version__}, {platform.machine()}, {os.cpu_count()} CPUs; {cpus.describe()}"
    )
    network = synthetic(args.places, args.seed)
    planner = Planner(network)
    rng = random.Random(args.seed + 1)
    pairs = [tuple(rng.sample(list(network.locations), 2)) for _ in range(args.plans)]
    cpus.pin()
    first = Shipment(*pairs[0], Decimal(100), Decimal("0.4"), ON)
    planner.plan(first)  # the day's legs' shipment-independent figures, computed once
    graph = planner._graph(first, frozenset())  # the places graph, weighted for the shipment

    base, plan_ms, fronts = [], [], []
    for a, b in pairs:
        t0 = time.perf_counter()
        with contextlib.suppress(nx.NetworkXNoPath):
            nx.shortest_path(graph, a, b, weight="cost")
        base.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        try:
            plan = planner.plan(Shipment(a, b, Decimal(100), Decimal("0.4"), ON))
            fronts.append(sum(o.pareto for o in plan.options))
        except LookupError:
            fronts.append(0)
        plan_ms.append((time.perf_counter() - t0) * 1000)
    p50, p95 = percentile(plan_ms, 50), percentile(plan_ms, 95)
    b50, b95 = percentile(base, 50), percentile(base, 95)
    legs = len(network.legs_on(ON))
    print(f"network: {len(network.locations)} places, {legs:,} legs; {len(pairs)} plans")
    print(f"{'way':<40}{'p50 ms':>10}{'p95 ms':>10}")
    print(f"{'one shortest path (baseline)':<40}{b50:>10.2f}{b95:>10.2f}")
    print(f"{'plan: k=6 × 3 criteria, Pareto front':<40}{p50:>10.2f}{p95:>10.2f}")
    print(
        f"ratio p95 plan / p95 baseline: {p95 / b95:.1f}×; routes on the front per plan: "
        f"median {sorted(fronts)[len(fronts) // 2]}"
    )
    ok_parcels = consolidation(args.parcels, args.seed)
    ok_waybills = waybills_co2e(args.waybills, args.sample, args.seed)
    ok = (
        ok_parcels
        and ok_waybills
        and print_goals(
            [
                (
                    f"p95 {p95:.1f} ms < {GOAL_P95_MS:.0f} ms on {len(network.locations)} places",
                    p95 < GOAL_P95_MS,
                )
            ]
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

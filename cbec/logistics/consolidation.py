"""Shared container loads for small sellers ("green sharing"): many sellers' parcels bound
for one overseas place are packed into shared containers on one leg, and each seller sees
what it saves against shipping each parcel alone.

Packing is a two-dimensional bin-packing problem (weight and volume) solved with OR-Tools'
CP-SAT (Google's maintained constraint solver): every parcel in exactly one container, no
container over its payload or cubic capacity, as few containers as possible — started from
a first-fit-decreasing packing, which also bounds the number of containers the model needs,
and cut off at a time limit, the answer saying whether the count is proven optimal and the
lower bound. A parcel rides only if the leg, leaving on the departure day, delivers it by its
deadline at the leg's 90th-percentile transit time and it is ready by then; the others are
listed with the reason.

Each container's rate (``data/container_rates.csv``) is shared among its parcels in
proportion to the share of the container each uses — the greater of its share of the
payload and of the cubic capacity (a carrier's weight-or-measure, applied within the box).
Shipping alone means the cheapest route of the network that meets the parcel's own deadline
for that parcel by itself (:mod:`cbec.logistics.planner`), priced at its chargeable weight;
its CO2e is that route's (ISO 14083, mass-based). The saving is the difference, per seller.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from cbec.ruledata import Row, in_force, load

DATA = Path(__file__).with_name("data")
CONTAINERS = DATA / "containers.csv"
RATES = DATA / "container_rates.csv"
CENT = Decimal("0.01")
WEIGHT_UNIT = 1000  # the solver works in integers: grams
VOLUME_UNIT = 1_000_000  # cubic centimetres


@dataclass(frozen=True)
class Parcel:
    id: str
    seller: str
    weight_kg: Decimal
    volume_m3: Decimal
    ready_on: date
    deadline: date


@dataclass(frozen=True)
class Container:
    kind: str
    payload_kg: Decimal
    volume_m3: Decimal
    source: str


@dataclass
class Packing:
    """Containers, each a list of parcels; whether the count is proven the least."""

    loads: list[list[Parcel]]
    optimal: bool
    lower_bound: int
    left_out: dict[str, str] = field(default_factory=dict)  # parcel id -> reason


@cache
def container_rows() -> tuple[Row, ...]:
    return tuple(
        load(
            CONTAINERS,
            required=("kind", "payload_kg", "volume_m3"),
            decimals=("payload_kg", "volume_m3"),
        )
    )


@cache
def rate_rows() -> tuple[Row, ...]:
    return tuple(load(RATES, required=("leg", "container", "currency", "rate"), decimals=("rate",)))


def container(kind: str, on: date) -> Container | None:
    rows = in_force(container_rows(), on, kind=kind)
    if not rows:
        return None
    r = rows[0]
    return Container(kind, r.decimal("payload_kg"), r.decimal("volume_m3"), r.source)  # type: ignore[arg-type]


def container_rate(leg: str, kind: str, on: date) -> tuple[Decimal, str, str] | None:
    """(rate, currency, source) of a whole ``kind`` container on ``leg`` on ``on``."""
    rows = in_force(rate_rows(), on, leg=leg, container=kind)
    if not rows:
        return None
    r = rows[0]
    return r.decimal("rate") or Decimal(0), r["currency"], r.source


def riding(
    parcels: Sequence[Parcel], departure: date, p90_days: float, box: Container
) -> tuple[list[Parcel], dict[str, str]]:
    """The parcels that can ride a leg leaving on ``departure``: ready by then, delivered by
    their deadline at the leg's 90th percentile, and fitting a container at all."""
    arrival = departure + timedelta(days=math.ceil(p90_days))
    ok, out = [], {}
    for p in parcels:
        if p.ready_on > departure:
            out[p.id] = f"ready on {p.ready_on}, after the departure on {departure}"
        elif p.deadline < arrival:
            out[p.id] = f"deadline {p.deadline} before the arrival by {arrival} (90th percentile)"
        elif p.weight_kg > box.payload_kg or p.volume_m3 > box.volume_m3:
            out[p.id] = f"larger than a {box.kind} container"
        else:
            ok.append(p)
    return ok, out


def _first_fit_decreasing(items: list[tuple[int, int, int]], cap_w: int, cap_v: int) -> list[int]:
    """A starting packing (Johnson's first-fit decreasing, by volume): each item's bin."""
    bins: list[list[int]] = []
    where = [0] * len(items)
    for i, w, v in sorted(items, key=lambda t: (-t[2], -t[1])):
        for b, (bw, bv) in enumerate(bins):
            if bw + w <= cap_w and bv + v <= cap_v:
                bins[b] = [bw + w, bv + v]
                where[i] = b
                break
        else:
            where[i] = len(bins)
            bins.append([w, v])
    return where


def pack(parcels: Sequence[Parcel], box: Container, seconds: float = 20.0) -> Packing:
    """The fewest ``box`` containers holding ``parcels`` (CP-SAT; see the module doc)."""
    from ortools.sat.python import cp_model

    if not parcels:
        return Packing([], True, 0)
    cap_w = int(box.payload_kg * WEIGHT_UNIT)
    cap_v = int(box.volume_m3 * VOLUME_UNIT)
    items = [
        (i, int(p.weight_kg * WEIGHT_UNIT), int(p.volume_m3 * VOLUME_UNIT))
        for i, p in enumerate(parcels)
    ]
    start = _first_fit_decreasing(items, cap_w, cap_v)
    n_bins = max(start) + 1
    lower = max(
        math.ceil(sum(w for _, w, _ in items) / cap_w),
        math.ceil(sum(v for _, _, v in items) / cap_v),
    )
    if n_bins == lower:  # the start is already the least: nothing to prove
        loads = [[] for _ in range(n_bins)]
        for i, b in enumerate(start):
            loads[b].append(parcels[i])
        return Packing(loads, True, lower)
    m = cp_model.CpModel()
    x = [[m.new_bool_var(f"x{i}_{b}") for b in range(n_bins)] for i in range(len(items))]
    used = [m.new_bool_var(f"y{b}") for b in range(n_bins)]
    for i in range(len(items)):
        m.add_exactly_one(x[i])
        m.add_hint(x[i][start[i]], 1)
    for b in range(n_bins):
        m.add(sum(w * x[i][b] for i, w, _ in items) <= cap_w * used[b])
        m.add(sum(v * x[i][b] for i, _, v in items) <= cap_v * used[b])
        if b + 1 < n_bins:
            m.add(used[b] >= used[b + 1])  # the used containers first: fewer symmetric answers
    m.add(sum(used) >= lower)
    m.minimize(sum(used))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 14083
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # no better answer in time
        loads = [[] for _ in range(n_bins)]
        for i, b in enumerate(start):
            loads[b].append(parcels[i])
        return Packing(loads, False, lower)
    loads = [[] for _ in range(n_bins)]
    for i in range(len(items)):
        b = next(b for b in range(n_bins) if solver.value(x[i][b]))
        loads[b].append(parcels[i])
    return Packing(
        [load_ for load_ in loads if load_],
        status == cp_model.OPTIMAL,
        max(lower, math.ceil(solver.best_objective_bound)),
    )


def shares(load_: Sequence[Parcel], box: Container, rate: Decimal) -> dict[str, Decimal]:
    """Each parcel's part of the container's ``rate``: proportional to the greater of its
    share of the payload and of the cubic capacity; parts rounded to the cent and summing to
    the rate exactly (the rounding remainder goes to the largest part)."""
    use = {p.id: max(p.weight_kg / box.payload_kg, p.volume_m3 / box.volume_m3) for p in load_}
    total = sum(use.values())
    parts = {i: (rate * u / total).quantize(CENT, rounding=ROUND_HALF_UP) for i, u in use.items()}
    biggest = max(parts, key=lambda i: use[i])
    parts[biggest] += rate - sum(parts.values())
    return parts

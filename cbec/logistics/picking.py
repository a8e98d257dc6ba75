"""Picking in an overseas warehouse by order density: a day's orders batched into pick
waves and each wave's picker routed, with the walking saved against first-come picking.

The warehouse is the single-block layout of the order-picking literature (parallel aisles
joined by a front and a back cross aisle, the depot at the front of the first aisle; De
Koster, Le-Duc and Roodbergen, "Design and control of warehouse order picking: a literature
review", EJOR 182(2), 2007): a location is an aisle number and a depth along it. Walking
between two locations in one aisle is the difference of their depths; between aisles, the
walk along the cross aisles plus the shorter of leaving by the front or by the back.

Batching is solved with OR-Tools' CP-SAT: every order in exactly one wave (never split
between pickers), no cart over its lines, and the waves' traversal walk — aisles entered and
the walk to the farthest one — as short as possible, so orders dense in the same aisles go
together. Each wave is then routed with OR-Tools' routing solver (a single-vehicle tour from
and back to the depot, guided local search), keeping the S-shape route where it is shorter.

The baseline, first-come picking, is how a warehouse without a plan works: orders taken in
the order they came, as many per wave as the cart holds, each wave walked in the traversal
(S-shape) way — every aisle holding a pick walked through, the last one out and back when
the number of aisles is odd.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

DEPOT = (0, 0.0)  # the front of the first aisle
SMALL_TOUR = 8  # stops a tour is searched by plain local search (no metaheuristic, no clock)


@dataclass(frozen=True)
class Layout:
    aisles: int
    aisle_length_m: float
    aisle_spacing_m: float  # centre to centre, along the cross aisles


@dataclass(frozen=True)
class Line:
    order: str
    aisle: int  # 0-based
    depth_m: float  # from the front cross aisle


@dataclass
class Wave:
    orders: list[str]
    stops: list[tuple[int, float]]  # in walking order, depot excluded
    distance_m: float


def walk(a: tuple[int, float], b: tuple[int, float], layout: Layout) -> float:
    """Metres between two locations (aisle, depth)."""
    (ia, da), (ib, db) = a, b
    if ia == ib:
        return abs(da - db)
    across = abs(ia - ib) * layout.aisle_spacing_m
    front = da + db
    back = (layout.aisle_length_m - da) + (layout.aisle_length_m - db)
    return across + min(front, back)


def tour_length(stops: Sequence[tuple[int, float]], layout: Layout) -> float:
    path = [DEPOT, *stops, DEPOT]
    return sum(walk(a, b, layout) for a, b in itertools.pairwise(path))


def s_shape(stops: Sequence[tuple[int, float]], layout: Layout) -> float:
    """The traversal (S-shape) route's length: enter every aisle holding a pick and walk it
    end to end, alternating direction; with an odd number of such aisles, walk the last one
    only to its deepest pick and back."""
    if not stops:
        return 0.0
    aisles = sorted({a for a, _ in stops})
    length = 0.0
    position = DEPOT
    at_front = True
    for n, aisle in enumerate(aisles):
        last_odd = n == len(aisles) - 1 and len(aisles) % 2 == 1
        side = 0.0 if at_front else layout.aisle_length_m
        length += walk(position, (aisle, side), layout) if position != (aisle, side) else 0.0
        if last_odd:
            deepest = (
                max(d for a, d in stops if a == aisle)
                if at_front
                else min(d for a, d in stops if a == aisle)
            )
            length += 2 * abs(deepest - side)
            position = (aisle, side)
        else:
            length += layout.aisle_length_m
            at_front = not at_front
            position = (aisle, 0.0 if at_front else layout.aisle_length_m)
    return length + walk(position, DEPOT, layout)


def first_come(lines: Sequence[Line], cart_lines: int, layout: Layout) -> list[Wave]:
    """Orders in the order they came, as many per wave as the cart holds, walked S-shape."""
    orders: dict[str, list[Line]] = {}
    for line in lines:
        orders.setdefault(line.order, []).append(line)
    waves: list[Wave] = []
    current: list[str] = []
    count = 0
    for order, own in orders.items():
        if current and count + len(own) > cart_lines:
            waves.append(_s_wave(current, orders, layout))
            current, count = [], 0
        current.append(order)
        count += len(own)
    if current:
        waves.append(_s_wave(current, orders, layout))
    return waves


def _s_wave(ids: list[str], orders: dict[str, list[Line]], layout: Layout) -> Wave:
    stops = [(line.aisle, line.depth_m) for i in ids for line in orders[i]]
    return Wave(ids, stops, s_shape(stops, layout))


def planned(
    lines: Sequence[Line], cart_lines: int, layout: Layout, seconds: float = 10.0
) -> list[Wave]:
    """Waves by order density, each routed by OR-Tools (see the module doc)."""
    orders: dict[str, list[Line]] = {}
    for line in lines:
        orders.setdefault(line.order, []).append(line)
    if any(len(own) > cart_lines for own in orders.values()):
        raise ValueError("an order has more lines than a cart holds")
    batches = _batches(orders, cart_lines, layout, seconds / 2)
    waves = []
    for ids in batches:
        stops = [(line.aisle, line.depth_m) for i in ids for line in orders[i]]
        routed = _route(stops, layout, max(0.2, seconds / 2 / max(1, len(batches))))
        s_len = s_shape(stops, layout)
        if s_len < tour_length(routed, layout):  # the solver's tour is kept only if shorter
            waves.append(Wave(ids, _s_order(stops), s_len))
        else:
            waves.append(Wave(ids, routed, tour_length(routed, layout)))
    return waves


def _batches(
    orders: dict[str, list[Line]], cart_lines: int, layout: Layout, seconds: float
) -> list[list[str]]:
    """Orders into waves with CP-SAT: every order in one wave, no cart over its lines, and
    the waves' traversal walk as short as possible — for each wave, its aisle length times
    the aisles it enters plus the walk along the front to its farthest aisle and back (the
    S-shape route's length, but for the last aisle's return when their number is odd)."""
    from ortools.sat.python import cp_model

    ids = list(orders)
    total = sum(len(v) for v in orders.values())
    n_waves = max(1, math.ceil(total / cart_lines))
    start = first_come([ln for i in ids for ln in orders[i]], cart_lines, layout)
    n_waves = max(n_waves, len(start))
    m = cp_model.CpModel()
    x = {(o, w): m.new_bool_var(f"x{o}_{w}") for o in range(len(ids)) for w in range(n_waves)}
    aisles = range(layout.aisles)
    enter = {(w, a): m.new_bool_var(f"e{w}_{a}") for w in range(n_waves) for a in aisles}
    far = [m.new_int_var(0, layout.aisles - 1, f"f{w}") for w in range(n_waves)]
    first_wave = {o: w for w, wave in enumerate(start) for o in wave.orders}
    for o, i in enumerate(ids):
        m.add_exactly_one(x[o, w] for w in range(n_waves))
        m.add_hint(x[o, first_wave[i]], 1)
        for a in {line.aisle for line in orders[i]}:
            for w in range(n_waves):
                m.add_implication(x[o, w], enter[w, a])
    for w in range(n_waves):
        m.add(sum(len(orders[i]) * x[o, w] for o, i in enumerate(ids)) <= cart_lines)
        for a in aisles:
            m.add(far[w] >= a).only_enforce_if(enter[w, a])
    length = round(layout.aisle_length_m * 10)
    spacing = round(2 * layout.aisle_spacing_m * 10)  # decimetres
    m.minimize(
        sum(length * enter[w, a] for w in range(n_waves) for a in aisles)
        + sum(spacing * far[w] for w in range(n_waves))
    )
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 6
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return [wave.orders for wave in start]
    waves: list[list[str]] = [[] for _ in range(n_waves)]
    for o, i in enumerate(ids):
        waves[next(w for w in range(n_waves) if solver.value(x[o, w]))].append(i)
    return [w for w in waves if w]


def _route(
    stops: list[tuple[int, float]], layout: Layout, seconds: float
) -> list[tuple[int, float]]:
    """The stops in the order OR-Tools' routing solver walks them (one picker, from and back
    to the depot)."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    points = [DEPOT, *stops]
    manager = pywrapcp.RoutingIndexManager(len(points), 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    cm = [[round(walk(a, b, layout) * 100) for b in points] for a in points]  # centimetres

    def distance(i: int, j: int) -> int:
        return cm[manager.IndexToNode(i)][manager.IndexToNode(j)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(distance))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    if len(stops) > SMALL_TOUR:  # a few stops: local search to its optimum is enough
        params.local_search_metaheuristic = (
            routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
        )
        params.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return list(stops)
    out, index = [], solution.Value(routing.NextVar(routing.Start(0)))
    while not routing.IsEnd(index):
        out.append(points[manager.IndexToNode(index)])
        index = solution.Value(routing.NextVar(index))
    return out


def _s_order(stops: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The stops in the S-shape route's order: aisle by aisle, alternating direction."""
    out = []
    for n, aisle in enumerate(sorted({a for a, _ in stops})):
        here = sorted((p for p in stops if p[0] == aisle), key=lambda p: p[1], reverse=n % 2 == 1)
        out.extend(here)
    return out

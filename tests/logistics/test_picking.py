"""Warehouse picking against second implementations: the walking distance against the
shortest path on a graph of the layout's aisles and cross aisles (networkx), the S-shape
route against walking its stops in S-shape order, and the plan's waves against the rules
(whole orders, carts not over) and the first-come baseline."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import networkx as nx
import pytest

from cbec.logistics import picking as core

LAYOUT = core.Layout(aisles=8, aisle_length_m=20.0, aisle_spacing_m=3.0)


def _graph_walk(a, b, layout) -> float:
    """Shortest walk on the layout as a graph: each aisle a line between its front and back
    ends, the cross aisles joining the ends, the two points on their aisles."""
    g = nx.Graph()
    for i in range(layout.aisles):
        g.add_edge(("f", i), ("b", i), weight=layout.aisle_length_m)
        if i + 1 < layout.aisles:
            g.add_edge(("f", i), ("f", i + 1), weight=layout.aisle_spacing_m)
            g.add_edge(("b", i), ("b", i + 1), weight=layout.aisle_spacing_m)
    for name, (aisle, depth) in (("a", a), ("b_", b)):
        g.add_edge(name, ("f", aisle), weight=depth)
        g.add_edge(name, ("b", aisle), weight=layout.aisle_length_m - depth)
    if a[0] == b[0]:
        g.add_edge("a", "b_", weight=abs(a[1] - b[1]))
    return nx.shortest_path_length(g, "a", "b_", weight="weight")


@pytest.mark.parametrize("seed", range(20))
def test_the_walk_is_the_shortest_path_on_the_layout(seed):
    rng = random.Random(seed)
    a = (rng.randrange(LAYOUT.aisles), round(rng.uniform(0, 20), 1))
    b = (rng.randrange(LAYOUT.aisles), round(rng.uniform(0, 20), 1))
    assert core.walk(a, b, LAYOUT) == pytest.approx(_graph_walk(a, b, LAYOUT))


def test_the_s_shape_route_by_hand():
    """Aisles 1 and 4 (even count): to aisle 1's front (3 m), through it (20), along the back
    to aisle 4 (9), through it (20), back to the depot along the front (12) = 64 m. Adding
    aisle 6 (odd count): from aisle 4's front (after two traversals) across to aisle 6 (6),
    to its deepest pick 5 m and back (10), home along the front (18): 3+20+9+20+6+10+18."""
    stops = [(1, 4.0), (1, 12.0), (4, 7.0)]
    assert core.s_shape(stops, LAYOUT) == pytest.approx(64.0)
    assert core.s_shape([*stops, (6, 5.0)], LAYOUT) == pytest.approx(86.0)


def _lines(seed: int, orders: int) -> list[core.Line]:
    rng = random.Random(seed)
    return [
        core.Line(f"O{o:03d}", rng.randrange(LAYOUT.aisles), round(rng.uniform(0.5, 19.5), 1))
        for o in range(orders)
        for _ in range(rng.randint(1, 3))
    ]


def test_the_plan_keeps_orders_whole_carts_full_and_walks_less():
    lines = _lines(7, 60)
    base = core.first_come(lines, 12, LAYOUT)
    waves = core.planned(lines, 12, LAYOUT, seconds=4)
    placed = [o for w in waves for o in w.orders]
    assert sorted(placed) == sorted({line.order for line in lines})  # each order once
    for w in waves:
        mine = [line for line in lines if line.order in set(w.orders)]
        assert len(w.stops) == len(mine) <= 12
        assert sorted(w.stops) == sorted((line.aisle, line.depth_m) for line in mine)
        walked = sum(
            core.walk(a, b, LAYOUT)
            for a, b in zip([core.DEPOT, *w.stops], [*w.stops, core.DEPOT], strict=True)
        )
        assert w.distance_m == pytest.approx(walked)
    assert sum(w.distance_m for w in waves) < 0.85 * sum(w.distance_m for w in base)


PICKING = "/logistics/picking"


def _request(lines, cart=12):
    orders: dict[str, list] = {}
    for line in lines:
        orders.setdefault(line.order, []).append(
            {"aisle": line.aisle, "depth_m": str(line.depth_m)}
        )
    return {
        "layout": {"aisles": 8, "aisle_length_m": "20", "aisle_spacing_m": "3"},
        "cart_lines": cart,
        "orders": [{"id": k, "lines": v} for k, v in orders.items()],
    }


def test_the_api_and_the_command_line(client, parties, cli):
    body = _request(_lines(3, 30))
    r = client.post(PICKING, json=body, headers=parties["seller-a"].headers)
    assert r.status_code == 200, r.text
    plan = r.json()
    assert Decimal(plan["saved_m"]) == Decimal(plan["first_come_distance_m"]) - Decimal(
        plan["distance_m"]
    )
    assert Decimal(plan["saved_m"]) > 0
    assert sum(len(w["orders"]) for w in plan["waves"]) == 30
    out = cli("logistics", "picking", input=json.dumps(body))
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["first_come_distance_m"] == plan["first_come_distance_m"]


def test_bad_picking_input_is_named(client, parties):
    headers = parties["seller-a"].headers
    body = _request(_lines(3, 2))
    body["orders"][0]["lines"][0]["aisle"] = 8
    body["orders"][1]["lines"] = [{"aisle": 0, "depth_m": "1"}] * 13
    r = client.post(PICKING, json=body, headers=headers)
    assert r.status_code == 422, r.text
    assert {(e["field"], e["rule"]) for e in r.json()["errors"]} == {
        ("orders[0].lines[0].aisle", "outside_layout"),
        ("orders[1].lines", "order_over_cart"),
    }

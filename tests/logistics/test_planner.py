"""The planner against a brute force: every simple path of the network between the ends,
evaluated leg by leg here and filtered to the Pareto front by definition; the goods rules
and the deadline; refusals naming the field, over the API and the command line.

Oracle for the front: networkx's ``all_simple_paths`` (every route, not the k shortest) with
the dominance test written out; for the lithium rule, the legs' modes in the data file."""

from __future__ import annotations

import itertools
import json
from datetime import date
from decimal import Decimal

import networkx as nx
import pytest

from cbec.logistics.network import load_network
from cbec.logistics.planner import Planner, Shipment

ON = date(2026, 6, 1)


def _brute_front(network, shipment):
    planner = Planner(network)
    g = nx.MultiDiGraph()
    for leg in network.legs_on(ON):
        g.add_edge(leg.origin, leg.destination, key=leg.id, leg=leg)
    sources, sinks = planner.ends(shipment)
    routes = []
    for a, b in itertools.product(sources, sinks):
        if a == b or a not in g or b not in g:
            continue
        for path in nx.all_simple_edge_paths(g, a, b):
            legs = [g.edges[u, v, k]["leg"] for u, v, k in path]
            plan = planner.plan(
                Shipment(legs[0].origin, legs[-1].destination, *_size(shipment), ON)
            )
            match = [o for o in plan.options if [p.leg.id for p in o.legs] == [x.id for x in legs]]
            if match:
                routes.append(match[0].metrics())
    return {
        m
        for m in routes
        if not any(all(x <= y for x, y in zip(o, m, strict=True)) and o != m for o in routes)
    }


def _size(s):
    return (s.weight_kg, s.volume_m3)


@pytest.mark.parametrize(
    ("origin", "destination"), [("CN", "DE"), ("CN", "US"), ("CN", "PH"), ("CN", "ID")]
)
def test_the_front_is_the_pareto_set_of_every_route(origin, destination):
    network = load_network()
    shipment = Shipment(origin, destination, Decimal(120), Decimal("0.5"), ON)
    plan = Planner(network).plan(shipment)
    front = {o.metrics() for o in plan.options if o.pareto}
    assert front == _brute_front(network, shipment)
    assert len(front) >= 2 or destination == "ID"  # a real choice on the main lanes
    for i in range(3):  # each criterion's best is on the front
        assert min(o.metrics()[i] for o in plan.options) in {m[i] for m in front}


def test_standalone_lithium_stays_off_air_legs():
    network = load_network()
    plan = Planner(network).plan(
        Shipment("CN", "DE", Decimal(20), Decimal(0), ON, lithium="standalone")
    )
    air = {g.id for g in network.legs_on(ON) if g.mode == "air"}
    assert air and set(plan.excluded) == air
    assert all(p.leg.mode != "air" for o in plan.options for p in o.legs)
    contained = Planner(network).plan(
        Shipment("CN", "DE", Decimal(20), Decimal(0), ON, lithium="contained")
    )
    assert any(p.leg.mode == "air" for o in contained.options for p in o.legs)


def test_the_deadline_keeps_routes_whose_p90_meets_it():
    plan = Planner(load_network()).plan(
        Shipment("CN", "DE", Decimal(120), Decimal(0), ON, deadline_days=20)
    )
    assert plan.options and all(o.transit.p90 <= 20 for o in plan.options)
    assert plan.late and all(o.transit.p90 > 20 for o in plan.late)


ROUTES = "/logistics/routes"


def test_the_api_plans_and_names_the_field_it_refuses(client, parties):
    headers = parties["seller-a"].headers
    body = {
        "origin": "CN",
        "destination": "DE",
        "weight_kg": "120",
        "volume_m3": "0.5",
        "on": "2026-06-01",
    }
    r = client.post(ROUTES, json=body, headers=headers)
    assert r.status_code == 200, r.text
    plan = r.json()
    front = [o for o in plan["options"] if o["pareto"]]
    assert {g["mode"] for o in front for g in o["legs"]} == {"sea", "rail", "air"}
    assert plan["hub_emissions"] == "no_factors" and "starter data" in plan["network"]
    rail = next(o for o in front if o["legs"][0]["mode"] == "rail")
    assert Decimal(rail["co2e_wtw_kg"]) == Decimal("46.549")  # 0.12 t × 11,179 km × 34.70 g
    for bad, field, rule in [
        ({"origin": "XX"}, "origin", "unknown_location"),
        ({"weight_kg": "-1"}, "weight_kg", None),
        ({"deadline_days": "5"}, "deadline_days", "deadline_impossible"),
        ({"lithium": "loose"}, "lithium", None),
    ]:
        r = client.post(ROUTES, json=body | bad, headers=headers | {"Accept-Language": "zh-CN"})
        assert r.status_code == 422, (bad, r.text)
        error = r.json()["errors"][0]
        assert error["field"] == field and (rule is None or error["rule"] == rule), error
    places = client.get("/logistics/locations", headers=headers).json()["items"]
    assert {"CNSHA", "PVG", "CNCKG-RAIL"} <= {p["id"] for p in places}


def test_the_command_line_prints_the_apis_front(client, parties, cli):
    body = {"origin": "CN", "destination": "US", "weight_kg": "60", "on": "2026-06-01"}
    api = client.post(ROUTES, json=body, headers=parties["seller-a"].headers).json()
    out = cli("logistics", "route", input=json.dumps(body))
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == api
    refused = cli("logistics", "route", input=json.dumps(body | {"origin": "ZZ"}))
    assert refused.exit_code == 2
    assert "origin" in refused.output and "unknown_location" in refused.output


def test_the_plot_draws_every_route_and_joins_the_front(client, parties, cli, tmp_path):
    from cbec.logistics.plot import Point, pareto_figure

    body = {"origin": "CN", "destination": "DE", "weight_kg": "120", "on": "2026-06-01"}
    plan = client.post(ROUTES, json=body, headers=parties["seller-a"].headers).json()
    points = [
        Point(
            float(o["transit_p90_days"]),
            float(o["cost"]),
            float(o["co2e_wtw_kg"]),
            o["pareto"],
            tuple(g["mode"] for g in o["legs"]),
            o["legs"][0]["mode"],
        )
        for o in plan["options"]
    ]
    ax = pareto_figure(points, "CN → DE", "USD").axes[0]
    drawn = sorted(tuple(c.get_offsets()[0]) for c in ax.collections)
    assert drawn == sorted((p.transit_p90_days, p.cost) for p in points)
    (line,) = ax.get_lines()
    front = sorted((p.transit_p90_days, p.cost) for p in points if p.pareto)
    assert list(zip(line.get_xdata(), line.get_ydata(), strict=True)) == front
    out = tmp_path / "front.png"
    done = cli("logistics", "route", "--front", "--plot", out, input=json.dumps(body))
    assert done.exit_code == 0, done.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    refused = cli("logistics", "route", "--plot", tmp_path / "front.txt", input=json.dumps(body))
    assert refused.exit_code == 2 and "png" in refused.output

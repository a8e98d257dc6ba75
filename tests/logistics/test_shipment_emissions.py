"""The CO2e of a shipment over given legs, against hand calculations from the DESNZ 2025
rows (copied here from the published table) and ISO 14083 Table 3's adjustments."""

from __future__ import annotations

import json
from decimal import Decimal

EMISSIONS = "/logistics/emissions"


def test_network_and_described_legs_by_hand(client, parties, cli):
    body = {
        "weight_kg": "250",
        "on": "2026-06-01",
        "legs": [
            {"leg": "RAIL-CKG-DUI"},  # 11,179 km by rail
            {"mode": "road", "vehicle": "hgv_artic_gt33t", "distance_km": "230"},  # × 1.05
            {"mode": "van", "vehicle": "bev_avg", "distance_km": "18.5"},  # × 1.05
        ],
    }
    r = client.post(EMISSIONS, json=body, headers=parties["seller-a"].headers)
    assert r.status_code == 200, r.text
    got = r.json()
    rail = 0.25 * 11179 * (0.02779 + 0.00691)  # DESNZ 2025 freight train, direct + WTT
    road = 0.25 * 230 * 1.05 * (0.07703 + 0.01799)  # HGV articulated >33 t, average laden
    van = 0.25 * 18.5 * 1.05 * (0.21992 + 0.05633)  # vans average, battery EV
    legs = [Decimal(g["co2e_wtw_kg"]) for g in got["legs"]]
    for have, want in zip(legs, (rail, road, van), strict=True):
        assert abs(float(have) - want) <= 0.0005
    assert Decimal(got["co2e_wtw_kg"]) == sum(legs)
    assert Decimal(got["legs"][1]["emission_distance_km"]) == Decimal("241.5")
    assert got["tiers"] == ["default"]
    assert json.loads(cli("logistics", "emissions", input=json.dumps(body)).stdout) == got


def test_a_described_sea_leg_is_measured_by_searoute(client, parties):
    from cbec.logistics.network import load_network

    leg = next(g for g in load_network().legs if g.id == "SEA-SHA-LAX")
    body = {
        "weight_kg": "1000",
        "on": "2026-06-01",
        "legs": [
            {"mode": "sea", "vehicle": "container_avg", "origin": "CNSHA", "destination": "USLAX"}
        ],
    }
    got = client.post(EMISSIONS, json=body, headers=parties["seller-a"].headers).json()
    assert abs(float(got["legs"][0]["distance_km"]) - leg.distance_km) <= 0.05
    want = 1.0 * leg.distance_km * 1.15 * (0.01612 + 0.00365)  # container ship average
    assert abs(float(got["co2e_wtw_kg"]) - want) <= 0.0005


def test_bad_legs_are_named(client, parties):
    headers = parties["seller-a"].headers | {"Accept-Language": "zh-CN"}
    body = {
        "weight_kg": "5",
        "legs": [
            {"leg": "NO-SUCH-LEG"},
            {"mode": "road"},
            {"mode": "road", "vehicle": "hovercraft", "distance_km": "3"},
            {"mode": "air", "vehicle": "long_haul", "origin": "PVG", "destination": "ZZZ"},
        ],
    }
    r = client.post(EMISSIONS, json=body, headers=headers)
    assert r.status_code == 422, r.text
    errors = {(e["field"], e["rule"]) for e in r.json()["errors"]}
    assert errors == {
        ("legs[0].leg", "unknown_leg"),
        ("legs[1].vehicle", "leg_needs"),
        ("legs[2].vehicle", "unknown_factor"),
        ("legs[3].destination", "unknown_location"),
    }
    assert all(any("\u4e00" <= c <= "\u9fff" for c in e["message"]) for e in r.json()["errors"])

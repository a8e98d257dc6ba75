"""Shared container loads against a brute force, the published container figures and the
tariff arithmetic by hand.

Oracles: for small sets of parcels, the least number of containers found by trying every
assignment (exhaustive search); DSV's published payload and cubic capacity (copied here);
a parcel's cost alone written out from the leg's rate (weight or measure, 1 m³ as 1,000 kg)."""

from __future__ import annotations

import itertools
import json
import random
from datetime import date
from decimal import Decimal

import pytest

from cbec.logistics import consolidation as core

ON = date(2026, 6, 2)
BOX = core.Container("test", Decimal(100), Decimal(1), "test box")


def _least(parcels, box) -> int:
    """Exhaustive: the fewest boxes any assignment of the parcels needs."""
    n = len(parcels)
    for k in range(1, n + 1):
        for assign in itertools.product(range(k), repeat=n):
            w, v = [Decimal(0)] * k, [Decimal(0)] * k
            for p, b in zip(parcels, assign, strict=True):
                w[b] += p.weight_kg
                v[b] += p.volume_m3
            if all(x <= box.payload_kg for x in w) and all(x <= box.volume_m3 for x in v):
                return k
    return n


@pytest.mark.parametrize("seed", range(6))
def test_the_packing_is_the_least_and_holds(seed):
    rng = random.Random(seed)
    parcels = [
        core.Parcel(
            f"p{i}",
            f"s{i % 3}",
            Decimal(rng.randint(5, 70)),
            Decimal(rng.randint(5, 60)) / 100,
            ON,
            ON,
        )
        for i in range(7)
    ]
    packing = core.pack(parcels, BOX, seconds=10)
    assert packing.optimal and len(packing.loads) == _least(parcels, BOX)
    assert packing.lower_bound <= len(packing.loads)
    placed = [p.id for load in packing.loads for p in load]
    assert sorted(placed) == sorted(p.id for p in parcels)
    for load in packing.loads:
        assert sum(p.weight_kg for p in load) <= BOX.payload_kg
        assert sum(p.volume_m3 for p in load) <= BOX.volume_m3


def test_the_shares_sum_to_the_rate_and_follow_weight_or_measure():
    load = [
        core.Parcel("a", "s", Decimal(50), Decimal("0.1"), ON, ON),  # half the payload
        core.Parcel("b", "s", Decimal(10), Decimal("0.25"), ON, ON),  # a quarter of the volume
        core.Parcel("c", "s", Decimal(1), Decimal("0.01"), ON, ON),
    ]
    parts = core.shares(load, BOX, Decimal("100.00"))
    assert sum(parts.values()) == Decimal("100.00")
    assert parts["a"] == pytest.approx(
        Decimal("100") * Decimal("0.5") / Decimal("0.76"), abs=Decimal("0.01")
    )
    assert parts["b"] == pytest.approx(
        Decimal("100") * Decimal("0.25") / Decimal("0.76"), abs=Decimal("0.01")
    )


def test_the_shipped_containers_are_dsvs_figures():
    forty = core.container("40ft_dry", ON)
    assert (forty.payload_kg, forty.volume_m3) == (Decimal(26700), Decimal("67.7"))
    assert core.container_rate("SEA-SHA-RTM", "40ft_dry", ON)[:2] == (Decimal(2510), "USD")


CONSOLIDATIONS = "/logistics/consolidations"


def _body(parcels):
    return {"leg": "SEA-SHA-RTM", "departure": "2026-06-02", "parcels": parcels}


def _parcel(i, seller, kg, m3, deadline="2026-08-30"):
    return {
        "id": f"P{i}",
        "seller": seller,
        "weight_kg": kg,
        "volume_m3": m3,
        "ready_on": "2026-06-01",
        "deadline": deadline,
    }


def test_sellers_save_against_shipping_alone(client, parties, cli):
    parcels = [_parcel(i, f"shop-{i % 3}", "40", "0.6") for i in range(90)]
    parcels.append(_parcel(99, "shop-late", "3", "0.02", deadline="2026-06-20"))
    r = client.post(CONSOLIDATIONS, json=_body(parcels), headers=parties["seller-a"].headers)
    assert r.status_code == 200, r.text
    plan = r.json()
    assert [c["parcels"] for c in plan["containers"]] and plan["optimal"]
    assert len(plan["containers"]) == 1 and plan["lower_bound"] == 1
    assert [o["id"] for o in plan["left_out"]] == ["P99"]  # 18 days cannot meet 48 at p90
    # alone: weight or measure on the leg's per-kg rate, 0.6 m³ = 600 kg > 40 kg
    alone = Decimal("600") * Decimal("0.1255")
    for s in plan["sellers"]:
        assert Decimal(s["cost_alone"]) == alone * s["parcels"]
        assert Decimal(s["cost_saved"]) == Decimal(s["cost_alone"]) - Decimal(s["cost_shared"])
    assert sum(Decimal(s["cost_shared"]) for s in plan["sellers"]) == Decimal(2510)
    assert (
        json.loads(cli("logistics", "consolidate", input=json.dumps(_body(parcels))).stdout) == plan
    )


def test_a_container_that_costs_more_than_its_parcels_alone_is_not_proposed(client, parties):
    """Thirty small parcels fill a tenth of a 40' box: USD 2,510 for the box against
    30 × 80 kg (0.08 m³ by measure) × USD 0.1255 = USD 301.20 alone."""
    parcels = [_parcel(i, "shop", "12.5", "0.08") for i in range(30)]
    plan = client.post(
        CONSOLIDATIONS, json=_body(parcels), headers=parties["seller-a"].headers
    ).json()
    assert plan["containers"] == [] and plan["sellers"] == []
    assert len(plan["left_out"]) == 30
    assert all("USD 2510" in o["reason"] and "USD 301.20" in o["reason"] for o in plan["left_out"])


def test_bad_consolidations_are_named(client, parties):
    headers = parties["seller-a"].headers
    twice = [_parcel(1, "s", "1", "0.01"), _parcel(1, "s", "1", "0.01")]
    for body, field, rule in [
        (_body(twice), "parcels[1].id", "duplicate_parcel"),
        (_body(twice[:1]) | {"leg": "NOPE"}, "leg", "unknown_leg"),
        (_body(twice[:1]) | {"leg": "AIR-PVG-FRA"}, "leg", "no_container_rate"),
        (_body(twice[:1]) | {"container": "53ft"}, "container", "unknown_container"),
        (
            _body([_parcel(1, "s", "1", "0.01", deadline="2026-05-01")]),
            "parcels[0].deadline",
            "deadline_before_ready",
        ),
    ]:
        r = client.post(CONSOLIDATIONS, json=body, headers=headers)
        assert r.status_code == 422, r.text
        assert (r.json()["errors"][0]["field"], r.json()["errors"][0]["rule"]) == (field, rule)

"""A waybill's CO2e over the route it names, and the monthly report, against hand
calculations from the DESNZ 2025 rows (copied here) and the reader's visibility: a tenant
never counts a waybill it may not read."""

from __future__ import annotations

import copy
import json
import random
from decimal import Decimal

from cbec.demo import synthetic


def _waybill(client, parties, number: str, route=None, first_event="2026-03-07T07:45:00Z"):
    rng = random.Random(number)
    order = synthetic.order(rng, "platform-a", "seller-a", f"O-{number}")
    assert (
        client.post("/orders", json=order, headers=parties["seller-a"].headers).status_code == 201
    )
    body = synthetic.waybill(rng, order, number)
    body["gross_weight_kg"] = "2.5"
    for event in body["events"]:  # all at once: the first event's day dates the factors
        event["time"] = first_event
    if route is not None:
        body["route"] = route
    r = client.post("/waybills", json=body, headers=parties["ship-a"].headers)
    assert r.status_code == 201, r.text
    return r.json()["id"], body


RAIL_VAN = [
    {"leg": "RAIL-CKG-DUI"},
    {"mode": "van", "vehicle": "bev_avg", "distance_km": "18.5"},
]


def _by_hand() -> float:
    rail = 0.0025 * 11179 * (0.02779 + 0.00691)  # DESNZ 2025 freight train, direct + WTT
    van = 0.0025 * 18.5 * 1.05 * (0.21992 + 0.05633)  # vans average BEV, road × 1.05
    return rail + van


def test_a_waybills_co2e_over_its_route(client, parties, cli):
    doc_id, _ = _waybill(client, parties, "WB-CO2-1", route=RAIL_VAN)
    for reader in ("ship-a", "platform-a"):  # the filer and the order's platform read it
        r = client.get(f"/logistics/waybills/{doc_id}/co2e", headers=parties[reader].headers)
        assert r.status_code == 200, r.text
        got = r.json()
        assert abs(float(got["emissions"]["co2e_wtw_kg"]) - _by_hand()) <= 0.001
        assert got["weight_kg"] == "2.5" and got["emissions"]["on"] == "2026-03-07"
    hidden = client.get(f"/logistics/waybills/{doc_id}/co2e", headers=parties["seller-b"].headers)
    assert hidden.status_code == 404
    out = cli("logistics", "waybill-co2e", doc_id, "--as", "ship-a")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == got


def test_a_waybill_without_a_route_says_so(client, parties):
    doc_id, _ = _waybill(client, parties, "WB-CO2-2")
    got = client.get(f"/logistics/waybills/{doc_id}/co2e", headers=parties["ship-a"].headers).json()
    assert got["emissions"] is None and "route" in got["reason"]


def test_a_route_changes_nothing_for_a_waybill_without_one(client, parties):
    """Adding the optional field left every earlier waybill's content, hence its evidence,
    as it was: the same body filed again is the same document."""
    doc_id, body = _waybill(client, parties, "WB-CO2-3")
    again = client.post("/waybills", json=copy.deepcopy(body), headers=parties["ship-a"].headers)
    assert again.status_code == 200 and again.json()["id"] == doc_id


def test_the_monthly_report_counts_what_the_reader_may_read(client, parties, cli):
    _waybill(client, parties, "WB-M-1", route=RAIL_VAN, first_event="2026-03-07T07:45:00Z")
    _waybill(client, parties, "WB-M-2", route=RAIL_VAN, first_event="2026-03-20T07:45:00Z")
    _waybill(client, parties, "WB-M-3", route=RAIL_VAN, first_event="2026-04-02T07:45:00Z")
    _waybill(client, parties, "WB-M-4", first_event="2026-04-03T07:45:00Z")
    _waybill(client, parties, "WB-M-5", route=RAIL_VAN, first_event="2025-12-30T07:45:00Z")
    r = client.get(
        "/logistics/co2e/monthly", params={"year": 2026}, headers=parties["platform-a"].headers
    )
    assert r.status_code == 200, r.text
    report = r.json()
    months = {m["month"]: m for m in report["months"]}
    assert (months["2026-03"]["waybills"], months["2026-03"]["with_route"]) == (2, 2)
    assert (months["2026-04"]["waybills"], months["2026-04"]["with_route"]) == (2, 1)
    assert "2025-12" not in months
    assert abs(float(months["2026-03"]["co2e_wtw_kg"]) - 2 * _by_hand()) <= 0.002
    assert report["lanes"][0]["lane"] == "CNCKG-RAIL → van" and report["lanes"][0]["waybills"] == 3
    # tonne-km by hand: 2.5 kg over 11,179 km of rail and 18.5 km × 1.05 of van, per waybill
    tkm = 0.0025 * 11179 + 0.0025 * 18.5 * 1.05
    assert abs(float(months["2026-03"]["tonne_km"]) - 2 * tkm) <= 0.002
    assert months["2026-03"]["tiers"] == ["default"] and months["2026-04"]["tiers"] == ["default"]
    assert report["tiers"] == ["default"]
    # by month and lane: the months' routed waybills, split by lane, add up to the months'
    cells = [(c["month"], c["lane"], c["waybills"]) for c in report["by_month_lane"]]
    assert cells == [("2026-03", "CNCKG-RAIL → van", 2), ("2026-04", "CNCKG-RAIL → van", 1)]
    for c in report["by_month_lane"]:
        assert Decimal(c["co2e_wtw_kg"]) == Decimal(months[c["month"]]["co2e_wtw_kg"])
    other = client.get(
        "/logistics/co2e/monthly", params={"year": 2026}, headers=parties["seller-b"].headers
    )
    assert other.json()["months"] == [] and Decimal(other.json()["co2e_wtw_kg"]) == 0
    out = cli("logistics", "co2e-monthly", "--year", "2026", "--as", "platform-a")
    assert json.loads(out.stdout) == report


def test_a_heavy_finely_weighed_waybill_has_its_co2e(client, parties):
    """A waybill may weigh up to 100,000 kg to 5 decimals: its CO2e is computed, not refused
    (the emissions request takes every weight a waybill may carry)."""
    rng = random.Random("WB-CO2-HEAVY")
    order = synthetic.order(rng, "platform-a", "seller-a", "O-WB-CO2-HEAVY")
    assert (
        client.post("/orders", json=order, headers=parties["seller-a"].headers).status_code == 201
    )
    body = synthetic.waybill(rng, order, "WB-CO2-HEAVY")
    body["gross_weight_kg"] = "45000.12345"
    for event in body["events"]:
        event["time"] = "2026-03-07T07:45:00Z"
    body["route"] = RAIL_VAN
    r = client.post("/waybills", json=body, headers=parties["ship-a"].headers)
    assert r.status_code == 201, r.text
    got = client.get(
        f"/logistics/waybills/{r.json()['id']}/co2e", headers=parties["ship-a"].headers
    )
    assert got.status_code == 200, got.text
    per_kg = _by_hand() / 2.5
    assert abs(float(got.json()["emissions"]["co2e_wtw_kg"]) - 45000.12345 * per_kg) <= 0.01

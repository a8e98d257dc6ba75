"""Analytics over the API: the market view, replenishment with hand-checked numbers, and a
seller's own customers and demand from its stored orders."""

from __future__ import annotations

import random

from cbec.demo import synthetic


def test_market_view(client, parties):
    r = client.get("/analytics/market", headers=parties["seller-a"].headers)
    assert r.status_code == 200
    body = r.json()
    assert [(d["scope"], d["recomputed_percent"]) for d in body["disagreements"]] == [
        ("import", "9.70")
    ]
    assert body["charts"] and body["charts"][0]["chart"] == "lines"


def test_replenishment_matches_the_hand_computation(client, parties):
    # d 10/week, σ_d 4, L 3 ± 1 weeks, review 1 week, 95 % (z 1.6449):
    # SS = 1.6449 × √(3 × 16 + 100 × 1) = 1.6449 × 12.166 = 20.01; ROP = 30 + 20.01 = 50.01
    # S = 10 × 4 + 1.6449 × √(4 × 16 + 100) = 40 + 21.06 = 61.06; need 61.06 − 25 − 10 = 26.06
    # → at least the MOQ 30 → whole packs of 12 → 36
    body = {
        "service_level": 0.95,
        "demand": [{"sku": "EB-01", "warehouse": "FRA-1", "mean": 10, "std": 4}],
        "stock": [
            {
                "sku": "EB-01",
                "warehouse": "FRA-1",
                "on_hand": 25,
                "on_order": 10,
                "lead_time": 3,
                "lead_time_std": 1,
                "review_period": 1,
                "moq": 30,
                "pack_size": 12,
            },
            {"sku": "PB-10", "warehouse": "FRA-1", "on_hand": 5},
        ],
    }
    r = client.post("/analytics/replenishment", json=body, headers=parties["seller-a"].headers)
    assert r.status_code == 200, r.text
    (s,) = r.json()["suggestions"]
    assert round(s["safety_stock"], 2) == 20.01 and round(s["reorder_point"], 2) == 50.01
    assert round(s["order_up_to"], 2) == 61.06 and s["order_quantity"] == 36
    assert "20.01" in s["explanation"] and s["explanation_zh"]
    assert r.json()["without_forecast"] == [{"sku": "PB-10", "warehouse": "FRA-1"}]
    bad = client.post(
        "/analytics/replenishment",
        json=body | {"stock": [{"sku": "x"}]},
        headers=parties["seller-a"].headers,
    )
    fields = {e["field"] for e in bad.json()["errors"]}
    assert bad.status_code == 422 and fields == {"stock[0].warehouse", "stock[0].on_hand"}


def test_customers_and_demand_from_stored_orders(client, parties):
    rng = random.Random(3)
    people = [synthetic.order(rng, "platform-a", "seller-a", f"P{i}")["buyer"] for i in range(6)]
    for i in range(40):
        order = synthetic.order(rng, "platform-a", "seller-a", f"AN-{i}")
        order["buyer"] = people[i % len(people)]  # repeat buyers
        r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
        assert r.status_code == 201, r.text
    h = parties["seller-a"].headers
    body = client.get("/analytics/customers", params={"weeks": 26}, headers=h).json()
    assert body["customers"] == 6 and body["orders"] == 40
    assert sum(s["customers"] for s in body["segments"]) == 6
    assert body["cohort_chart"]["chart"] == "heatmap"
    assert "clv" in body
    # A month of orders is too short to backtest any model: refused, saying so.
    demand = client.get("/analytics/demand", params={"horizon": 2, "top": 5}, headers=h)
    assert demand.status_code == 400 and demand.json()["code"] == "analytics_too_short"
    assert "the longest demand series has" in demand.json()["detail"]
    other = client.get("/analytics/customers", headers=parties["seller-b"].headers)
    assert other.status_code == 400 and other.json()["code"] == "analytics_too_few"


def test_demand_over_a_year_lists_every_series_and_charts_the_one_asked(client, parties):
    from datetime import UTC, datetime, timedelta

    rng = random.Random(8)
    h = parties["seller-a"].headers
    catalog = synthetic.CATALOG[:2]
    start = datetime(2025, 1, 6, 10, tzinfo=UTC)
    for week in range(40):
        for k in range(1 + week % 3):
            when = start + timedelta(days=7 * week + k)
            order = synthetic.order(rng, "platform-a", "seller-a", f"Y-{week}-{k}", catalog, when)
            assert client.post("/orders", json=order, headers=h).is_success
    every = client.get("/analytics/demand", params={"horizon": 4}, headers=h).json()
    ids = {s["id"] for s in every["series"]}
    assert ids == {f"{c['sku']}|CN" for c in catalog}
    assert every["summary"]["series_backtested"] == 2
    # the chart: the most active series' weekly history, as a second count from the orders
    top = every["series"][0]
    sold = sum(
        int(line["qty"])
        for item in client.get("/orders", params={"limit": 500}, headers=h).json()["items"]
        for line in item["document"]["lines"]
        if line["sku"] == top["sku"]
    )
    assert every["chart"]["series"] == top["id"]
    assert sum(p["y"] for p in every["chart"]["history"]) == sold == top["units"]
    assert len(every["chart"]["forecast"]) == 4
    other = next(i for i in ids if i != top["id"])
    one = client.get("/analytics/demand", params={"series": other}, headers=h).json()
    assert one["chart"]["series"] == other and {r["unique_id"] for r in one["forecasts"]} == {other}
    missing = client.get("/analytics/demand", params={"series": "NOPE|CN"}, headers=h)
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "series"


def test_replenishment_with_no_matching_stock_is_refused_naming_both_sides(client, parties):
    body = {
        "demand": [{"sku": "A", "warehouse": "DE", "mean": 3, "std": 1}],
        "stock": [{"sku": "A", "warehouse": "EU", "on_hand": 2}],
    }
    r = client.post("/analytics/replenishment", json=body, headers=parties["seller-a"].headers)
    assert r.status_code == 400 and r.json()["code"] == "replenishment_unmatched"
    assert "demand is for DE, stock is at EU" in r.json()["detail"]
    zh = client.post(
        "/analytics/replenishment",
        json=body,
        headers={**parties["seller-a"].headers, "Accept-Language": "zh-CN"},
    )
    assert "需求针对 DE，库存位于 EU" in zh.json()["detail"]

"""The ad-spend report over the API: spend from a generic CSV joined with seller-a's stored
orders, attributed by an order_no → channel file; figures checked against the filed
orders' goods values."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal as D

from cbec.demo import synthetic

SPEND = (
    "channel,market,day,spend,currency\n"
    "google_ads,CN,2026-03-01,50.00,CNY\n"
    "meta_ads,CN,2026-03-02,20.00,CNY\n"
)
ATTRIBUTION = "order_no,channel\nAD-1,google_ads\nAD-3,meta_ads\n"


def _file(client, parties, number: str, day: int, id_number: str) -> D:
    body = synthetic.order(
        random.Random(number),
        "platform-a",
        "seller-a",
        number,
        when=datetime(2026, 3, day, 9, tzinfo=UTC),
    )
    body["buyer"]["id_number"] = id_number
    r = client.post("/orders", json=body, headers=parties["seller-a"].headers)
    assert r.status_code in (200, 201), r.text
    return D(body["goods_value"])


def test_roas_cac_and_clv_per_channel_from_stored_orders(client, parties):
    x, y = "11010519491231002X", "110105194912310038"
    a1 = _file(client, parties, "AD-1", 1, x)  # X, via google, in the period
    a2 = _file(client, parties, "AD-2", 5, x)  # X again, later, via the platform
    b1 = _file(client, parties, "AD-3", 2, y)  # Y, via meta
    body = {
        "reports": [{"format": "generic", "csv": SPEND}],
        "attribution_csv": ATTRIBUTION,
        "shift_share": "0.50",
    }
    r = client.post("/analytics/ad-report", json=body, headers=parties["seller-a"].headers)
    assert r.status_code == 200, r.text
    rep = r.json()
    assert (rep["currency"], rep["first_day"], rep["last_day"]) == (
        "CNY",
        "2026-03-01",
        "2026-03-02",
    )
    g, m = rep["channels"]
    assert (g["channel"], D(g["spend"]), D(g["revenue"]), g["new_customers"]) == (
        "google_ads",
        D("50"),
        a1,
        1,
    )
    assert D(g["roas"]) == (a1 / 50).quantize(D("0.0001"))
    assert (D(g["cac"]), D(g["clv"]), g["repurchase_rate"]) == (D("50"), a1 + a2, "1.0000")
    assert (D(m["cac"]), D(m["clv"]), m["repurchase_rate"]) == (D("20"), b1, "0.0000")
    g_ratio, m_ratio = (a1 + a2) / 50, b1 / 20
    low, high = ("google_ads", "meta_ads") if g_ratio < m_ratio else ("meta_ads", "google_ads")
    shift = rep["shift"]
    assert (shift["source"], shift["target"]) == (low, high)
    moved = D("25.00") if low == "google_ads" else D("10.00")
    assert D(shift["amount"]) == moved
    assert f"Move {moved} CNY (50% of its spend) from {low}" in shift["because"]


def test_the_report_is_a_sellers_and_bad_cells_are_named(client, parties):
    body = {"reports": [{"format": "generic", "csv": SPEND}]}
    r = client.post("/analytics/ad-report", json=body, headers=parties["platform-a"].headers)
    assert r.status_code == 403
    bad = {"reports": [{"format": "generic", "csv": SPEND.replace("20.00", "twenty")}]}
    r = client.post("/analytics/ad-report", json=bad, headers=parties["seller-a"].headers)
    assert r.status_code == 422
    assert [(e["field"], e["rule"]) for e in r.json()["errors"]] == [
        ("reports[0].line[3].spend", "decimal_parsing")
    ]

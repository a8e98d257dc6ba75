"""The annual quota is one counter per buyer across every platform; a withholder may add to
it only for a stored order it withholds for, with that order's buyer and figures, and learns
the outcome of its own charge — not what the buyer bought elsewhere.

The attack these tests reproduce: a tenant charges a buyer it has no order for (or another
platform's order), reads the buyer's running total off the answer, and pushes the buyer's
next order on another platform into general-trade tax.
"""

from __future__ import annotations

import random

from sqlalchemy import select

from cbec.demo import synthetic
from cbec.store.tables import tax_quota_usage
from tests.tax.orders import charge_body, file_order, order_doc

BUYER = "11010519491231002X"
OTHER = "110101199003074477"
URL = "/tax/cn-import/charges"


def stored_total(rt) -> list[int]:
    with rt.engine.connect() as conn:
        return conn.execute(select(tax_quota_usage.c.used_fen)).scalars().all()


def test_a_charge_without_an_order_of_ones_own_is_not_found(client, parties, rt):
    doc = order_doc("A-1", BUYER, ["5000"])  # on platform-a, seller-a
    order_id = file_order(client, parties, "seller-a", doc)
    body = charge_body("ATTACK", order_id, doc)
    # no order at all: the field is required
    bare = {k: v for k, v in body.items() if k != "order_id"}
    r = client.post(URL, json=bare, headers=parties["platform-b"].headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "order_id"
    # another platform's order, another seller's, a carrier without a waybill for it, or an
    # order that does not exist: the very same 404
    missing = client.post(
        URL, json=body | {"order_id": "f" * 32}, headers=parties["platform-b"].headers
    )
    assert missing.status_code == 404
    for who in ("platform-b", "seller-b", "ship-a"):
        r = client.post(URL, json=body, headers=parties[who].headers)
        assert (r.status_code, r.json()) == (404, missing.json()), who
    # payment firms and regulators do not withhold
    for who in ("pay-a", "regulator"):
        assert client.post(URL, json=body, headers=parties[who].headers).status_code == 403
    assert stored_total(rt) == []  # nothing was counted, not even a row for the buyer


def test_the_parties_of_an_order_may_charge_it_once(client, parties, rt):
    rng = random.Random(5)
    doc = order_doc("P-1", BUYER, ["1000"])
    order_id = file_order(client, parties, "platform-a", doc)
    waybill = synthetic.waybill(rng, doc, "WB-P-1")
    assert client.post("/waybills", json=waybill, headers=parties["ship-a"].headers).status_code
    # the carrier of a waybill for the order may charge it …
    r = client.post(
        URL, json=charge_body("SHIP-1", order_id, doc), headers=parties["ship-a"].headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["order_id"] == order_id
    # … and then its seller and platform find it charged: one order, one count
    for who in ("seller-a", "platform-a"):
        again = client.post(URL, json=charge_body(who, order_id, doc), headers=parties[who].headers)
        assert again.status_code == 409 and again.json()["code"] == "tax_order_charged"
    assert stored_total(rt) == [1000_00]


def test_the_buyer_and_the_figures_must_be_the_orders(client, parties, rt):
    doc = order_doc("F-1", BUYER, ["300", "200"], freight="10")
    order_id = file_order(client, parties, "seller-a", doc)
    h = parties["seller-a"].headers

    def refused(body) -> set[tuple[str, str]]:
        r = client.post(URL, json=body, headers=h)
        assert r.status_code == 422, r.text
        return {(e["field"], e["rule"]) for e in r.json()["errors"]}

    good = charge_body("F-1", order_id, doc)
    assert refused(good | {"buyer_id": OTHER}) == {("buyer_id", "tax_order_buyer")}
    inflated = [good["lines"][0] | {"unit_price": "30000"}, good["lines"][1]]
    assert refused(good | {"lines": inflated}) == {("lines[0].unit_price", "tax_order_figure")}
    assert refused(good | {"lines": good["lines"][:1]}) == {("lines", "tax_order_lines")}
    assert refused(good | {"freight": "9000"}) == {("freight", "tax_order_figure")}
    assert refused(good | {"insurance": "9000"}) == {("insurance", "tax_order_figure")}
    # the order's date moves no quota into another year
    assert refused(good | {"date": "2027-01-01"}) == {("date", "tax_order_date")}
    assert refused(good | {"date": "2026-02-28"}) == {("date", "tax_order_date")}
    assert stored_total(rt) == []
    ok = client.post(URL, json=good | {"date": "2026-03-20"}, headers=h)
    assert ok.status_code == 200 and ok.json()["dutiable_value"] == "510.00"


def test_a_charge_does_not_tell_the_buyers_use_elsewhere(client, parties, rt):
    """The buyer spent RMB 25,500 through platform-a; platform-b learns whether its own order
    fits the year and the tax due — not the 25,500."""
    for i, price in enumerate(["5000"] * 5 + ["500"]):
        doc = order_doc(f"ELSE-{i}", BUYER, [price])
        oid = file_order(client, parties, "seller-a", doc)
        r = client.post(
            URL, json=charge_body(f"A-{i}", oid, doc), headers=parties["platform-a"].headers
        )
        assert r.status_code == 200
    b = parties["platform-b"].headers

    def charge(no: str, price: str) -> dict:
        doc = order_doc(no, BUYER, [price], platform="platform-b", seller="seller-b")
        oid = file_order(client, parties, "platform-b", doc)
        r = client.post(URL, json=charge_body(no, oid, doc), headers=b)
        assert r.status_code == 200, r.text
        return r.json()

    fits, over = charge("B-1", "400"), charge("B-2", "200")
    assert (fits["regime"], over["regime"]) == ("cbec", "general_trade")
    assert over["total_tax"] == "26.00"  # 200 × 13 %, general-trade VAT, what it withholds
    for answer in (fits, over):
        assert "annual_used" not in answer and "annual_after" not in answer
        for total in ("25500", "25900", "26100"):
            assert total not in str(answer)
    refund = client.post(f"{URL}/B-1/refund", json={"returned_on": "2026-03-02"}, headers=b)
    assert refund.status_code == 200 and "annual_used" not in refund.json()
    assert "26100" not in str(refund.json()) and "25700" not in str(refund.json())

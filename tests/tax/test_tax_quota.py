"""The per-buyer annual quota: charged orders add up, retries are not charged twice, returns
within 30 days restore it, and concurrent orders of one buyer cannot all slip under it — on a
real server, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

import httpx
from sqlalchemy import select

from cbec.store.tables import tax_quota_usage
from tests.serverproc import running_server, settings_env

BUYER = "11010519491231002X"  # the GB 11643 example number (valid check digit)
OTHER = "110101199003074477"  # check digit computed with python-stdnum


def order(ref: str, price: str, day: str = "2026-03-01", buyer: str = BUYER, **kw) -> dict:
    return {
        "order_ref": ref,
        "buyer_id": buyer,
        "date": day,
        "freight": "0",
        "lines": [{"sku": "A", "qty": 1, "unit_price": price, "vat_rate": "0.13"}],
        **kw,
    }


def test_charges_add_up_and_cross_the_annual_limit(client, parties):
    h = parties["platform-a"].headers
    for i in range(5):  # 5 × 5,000 = 25,000
        r = client.post("/tax/cn-import/charges", json=order(f"Q-{i}", "5000"), headers=h)
        assert r.status_code == 200, r.text
        assert r.json()["regime"] == "cbec" and r.json()["annual_used"] == f"{i * 5000}.00"
    fits = client.post("/tax/cn-import/charges", json=order("Q-5", "1000"), headers=h).json()
    assert (fits["regime"], fits["annual_after"]) == ("cbec", "26000.00")
    over = client.post("/tax/cn-import/charges", json=order("Q-6", "0.01"), headers=h).json()
    assert (over["regime"], over["cbec_eligible"]) == ("general_trade", False)
    # the quota is per person and per calendar year
    other = client.post("/tax/cn-import/charges", json=order("Q-7", "5000", buyer=OTHER), headers=h)
    assert other.json()["annual_used"] == "0.00"
    next_year = order("Q-8", "5000", day="2027-01-01")
    assert (
        client.post("/tax/cn-import/charges", json=next_year, headers=h).json()["regime"] == "cbec"
    )


def test_a_retry_is_not_charged_twice_and_a_changed_order_is_refused(client, parties):
    h = parties["seller-a"].headers
    first = client.post("/tax/cn-import/charges", json=order("R-1", "3000"), headers=h).json()
    again = client.post("/tax/cn-import/charges", json=order("R-1", "3000"), headers=h).json()
    assert first["created"] is True and again["created"] is False
    assert {k: v for k, v in again.items() if k != "created"} == {
        k: v for k, v in first.items() if k != "created"
    }
    changed = client.post("/tax/cn-import/charges", json=order("R-1", "3001"), headers=h)
    assert changed.status_code == 409 and changed.json()["code"] == "tax_charge_differs"
    third = client.post("/tax/cn-import/charges", json=order("R-2", "100"), headers=h).json()
    assert third["annual_used"] == "3000.00"  # counted once


def test_a_return_within_30_days_refunds_and_restores(client, parties, rt):
    h = parties["platform-a"].headers
    client.post("/tax/cn-import/charges", json=order("T-1", "4000"), headers=h)
    refund = client.post(
        "/tax/cn-import/charges/T-1/refund", json={"returned_on": "2026-03-31"}, headers=h
    )
    assert refund.status_code == 200, refund.text
    # 4,000 × 9.1 % = 364.00 refunded; the 4,000 leaves the annual total
    assert refund.json() | {"rule": None} == {
        "order_ref": "T-1",
        "refunded_tax": "364.00",
        "annual_restored": "4000.00",
        "annual_used": "0.00",
        "rule": None,
    }
    again = client.post(
        "/tax/cn-import/charges/T-1/refund", json={"returned_on": "2026-03-31"}, headers=h
    )
    assert again.status_code == 409 and again.json()["code"] == "tax_already_refunded"
    client.post("/tax/cn-import/charges", json=order("T-2", "4000"), headers=h)
    late = client.post(
        "/tax/cn-import/charges/T-2/refund",
        json={"returned_on": "2026-04-01"},  # day 31 after release on 2026-03-01
        headers={**h, "Accept-Language": "zh"},
    )
    assert late.status_code == 409 and late.json()["code"] == "tax_refund_window"
    assert "30 日内" in late.json()["detail"]
    # the ID is kept only as a keyed hash and a sealed copy
    with rt.engine.connect() as conn:
        rows = conn.execute(select(tax_quota_usage)).all()
    assert rows and all(BUYER not in str(tuple(r)) for r in rows)


def test_input_errors_and_roles(client, parties):
    h = parties["platform-a"].headers
    bad = client.post(
        "/tax/cn-import/charges", json=order("E-1", "10", buyer="110105194912310021"), headers=h
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "buyer_id"
    r = client.post("/tax/cn-import/charges", json=order("E-2", "ten"), headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "lines[0].unit_price"
    r = client.post(
        "/tax/cn-import/charges", json=order("E-3", "10"), headers=parties["regulator"].headers
    )
    assert r.status_code == 403
    charge_only = {"order_ref", "buyer_id"}
    body = {k: v for k, v in order("E-4", "1000").items() if k not in charge_only}
    pure = client.post("/tax/cn-import", json=body, headers=h).json()
    assert (pure["regime"], pure["total_tax"]) == ("cbec", "91.00")


def test_concurrent_orders_of_one_buyer_cannot_all_slip_under(rt, parties):
    """Eight orders of RMB 5,000 at once: exactly five fit the RMB 26,000 year (25,000);
    without the row lock several would read the same total and all pass as CBEC."""
    env = settings_env(rt.settings)
    h = parties["platform-a"].headers
    with running_server(env) as (url, _proc):
        for buyer in (BUYER, OTHER):
            barrier = threading.Barrier(8)
            regimes: list[str] = []

            def post(i: int, buyer=buyer, barrier=barrier, regimes=regimes) -> None:
                with httpx.Client(base_url=url, timeout=60) as c:
                    barrier.wait()
                    body = order(f"C-{buyer[-4:]}-{i}", "5000", buyer=buyer)
                    r = c.post("/tax/cn-import/charges", json=body, headers=h)
                    assert r.status_code == 200, r.text
                    regimes.append(r.json()["regime"])

            threads = [threading.Thread(target=post, args=(i,)) for i in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(regimes) == ["cbec"] * 5 + ["general_trade"] * 3
        with rt.engine.connect() as conn:
            used = sorted(r.used_fen for r in conn.execute(select(tax_quota_usage)))
        assert used == [40000_00, 40000_00]  # every order counted once, general trade too


def test_order_refs_belong_to_the_tenant_that_charged(client, parties):
    a, b = parties["platform-a"].headers, parties["platform-b"].headers
    first = client.post("/tax/cn-import/charges", json=order("OWN-1", "4000"), headers=a).json()
    assert first["created"] is True
    # another withholder's reference of the same name is its own charge, counted on its own
    theirs = client.post("/tax/cn-import/charges", json=order("OWN-1", "1000"), headers=b)
    assert theirs.status_code == 200 and theirs.json()["created"] is True
    assert theirs.json()["annual_used"] == "4000.00"
    # and it cannot refund the first tenant's charge
    r = client.post(
        "/tax/cn-import/charges/OWN-1/refund", json={"returned_on": "2026-03-05"}, headers=b
    )
    assert r.status_code == 200  # its own OWN-1
    again = client.post(
        "/tax/cn-import/charges/OWN-1/refund", json={"returned_on": "2026-03-05"}, headers=b
    )
    assert again.status_code == 409
    mine = client.post(
        "/tax/cn-import/charges/OWN-1/refund", json={"returned_on": "2026-03-05"}, headers=a
    )
    assert mine.status_code == 200 and mine.json()["refunded_tax"] == "364.00"
    r = client.post(
        "/tax/cn-import/charges/NONE/refund", json={"returned_on": "2026-03-05"}, headers=b
    )
    assert r.status_code == 404
    for bad in ({"lines": 5}, {"lines": [5]}, {"freight": "NaN"}):
        r = client.post("/tax/cn-import/charges", json=order("BAD", "10") | bad, headers=a)
        assert r.status_code in (400, 422), r.text

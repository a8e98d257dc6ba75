"""The per-buyer annual quota: charged orders add up, retries are not charged twice, returns
within 30 days restore it, and concurrent orders of one buyer cannot all slip under it — on a
real server, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

import httpx
from sqlalchemy import select

from cbec.store.tables import tax_quota_usage
from tests.serverproc import explained, running_server, settings_env
from tests.tax.orders import charge_body, file_order, order_doc

BUYER = "11010519491231002X"  # the GB 11643 example number (valid check digit)
OTHER = "110101199003074477"  # check digit computed with python-stdnum
URL = "/tax/cn-import/charges"


def used_fen(rt) -> dict[str, int]:
    """The buyers' annual totals as stored (the API does not show them)."""
    with rt.engine.connect() as conn:
        return {r.year: r.used_fen for r in conn.execute(select(tax_quota_usage))}


def filed(client, parties, no: str, price: str, buyer: str = BUYER, who="seller-a", **kw):
    """File an order of one item at ``price`` and answer ``(order id, order)``."""
    doc = order_doc(no, buyer, [price], **kw)
    return file_order(client, parties, who, doc), doc


def test_charges_add_up_and_cross_the_annual_limit(client, parties, rt):
    h = parties["platform-a"].headers

    def charge(no: str, price: str, buyer: str = BUYER, day: str = "2026-03-01") -> dict:
        oid, doc = filed(client, parties, no, price, buyer, day=day)
        r = client.post(URL, json=charge_body(f"Q-{no}", oid, doc), headers=h)
        assert r.status_code == 200, r.text
        return r.json()

    for i in range(5):  # 5 × 5,000 = 25,000
        done = charge(f"O-{i}", "5000")
        assert done["regime"] == "cbec" and "annual_used" not in done
    fits = charge("O-5", "1000")
    assert (fits["regime"], fits["counts_toward_annual"]) == ("cbec", True)
    over = charge("O-6", "0.01")
    assert (over["regime"], over["cbec_eligible"]) == ("general_trade", False)
    assert "26000.01" not in str(over)  # the outcome, not the buyer's total
    # the quota is per person and per calendar year
    assert charge("O-7", "5000", buyer=OTHER)["regime"] == "cbec"
    assert charge("O-8", "5000", day="2027-01-01")["regime"] == "cbec"
    assert used_fen(rt)[2027] == 5000_00


def test_a_retry_is_not_charged_twice_and_a_changed_order_is_refused(client, parties, rt):
    h = parties["seller-a"].headers
    oid, doc = filed(client, parties, "R-1", "3000")
    first = client.post(URL, json=charge_body("R-1", oid, doc), headers=h).json()
    again = client.post(URL, json=charge_body("R-1", oid, doc), headers=h).json()
    assert first["created"] is True and again["created"] is False
    assert {k: v for k, v in again.items() if k != "created"} == {
        k: v for k, v in first.items() if k != "created"
    }
    other_id, other = filed(client, parties, "R-2", "100")
    changed = client.post(URL, json=charge_body("R-1", other_id, other), headers=h)
    assert changed.status_code == 409 and changed.json()["code"] == "tax_charge_differs"
    twice = client.post(URL, json=charge_body("R-1-again", oid, doc), headers=h)
    assert twice.status_code == 409 and twice.json()["code"] == "tax_order_charged"
    third = client.post(URL, json=charge_body("R-2", other_id, other), headers=h)
    assert third.status_code == 200
    assert used_fen(rt) == {2026: 3100_00}  # counted once


def test_a_return_within_30_days_refunds_and_restores(client, parties, rt):
    h = parties["platform-a"].headers
    oid, doc = filed(client, parties, "T-1", "4000")
    client.post(URL, json=charge_body("T-1", oid, doc), headers=h)
    refund = client.post(f"{URL}/T-1/refund", json={"returned_on": "2026-03-31"}, headers=h)
    assert refund.status_code == 200, refund.text
    # 4,000 × 9.1 % = 364.00 refunded; the 4,000 leaves the annual total
    assert refund.json() | {"rule": None} == {
        "order_ref": "T-1",
        "refunded_tax": "364.00",
        "annual_restored": "4000.00",
        "rule": None,
    }
    assert used_fen(rt) == {2026: 0}
    again = client.post(f"{URL}/T-1/refund", json={"returned_on": "2026-03-31"}, headers=h)
    assert again.status_code == 409 and again.json()["code"] == "tax_already_refunded"
    oid, doc = filed(client, parties, "T-2", "4000")
    client.post(URL, json=charge_body("T-2", oid, doc), headers=h)
    late = client.post(
        f"{URL}/T-2/refund",
        json={"returned_on": "2026-04-01"},  # day 31 after release on 2026-03-01
        headers={**h, "Accept-Language": "zh"},
    )
    assert late.status_code == 409 and late.json()["code"] == "tax_refund_window"
    assert "30 日内" in late.json()["detail"]
    # the ID is kept only as a keyed hash and a sealed copy
    with rt.engine.connect() as conn:
        rows = conn.execute(select(tax_quota_usage)).all()
    assert rows and all(BUYER not in str(tuple(r)) for r in rows)


def order(ref: str, price: str, buyer: str = BUYER, **kw) -> dict:
    """A charge naming no stored order (refused before any lookup, or not found)."""
    return {
        "order_ref": ref,
        "order_id": "0" * 32,
        "buyer_id": buyer,
        "date": "2026-03-01",
        "freight": "0",
        "lines": [{"sku": "A", "qty": 1, "unit_price": price, "vat_rate": "0.13"}],
        **kw,
    }


def test_input_errors_and_roles(client, parties):
    h = parties["platform-a"].headers
    bad = client.post(URL, json=order("E-1", "10", buyer="110105194912310021"), headers=h)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "buyer_id"
    r = client.post(URL, json=order("E-2", "ten"), headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "lines[0].unit_price"
    r = client.post(URL, json=order("E-3", "10"), headers=parties["regulator"].headers)
    assert r.status_code == 403
    charge_only = {"order_ref", "order_id", "buyer_id"}
    body = {k: v for k, v in order("E-4", "1000").items() if k not in charge_only}
    pure = client.post("/tax/cn-import", json=body, headers=h).json()
    assert (pure["regime"], pure["total_tax"]) == ("cbec", "91.00")


def test_concurrent_orders_of_one_buyer_cannot_all_slip_under(client, rt, parties, tmp_path):
    """Eight orders of RMB 5,000 at once: exactly five fit the RMB 26,000 year (25,000);
    without the row lock several would read the same total and all pass as CBEC."""
    env = settings_env(rt.settings)
    h = parties["platform-a"].headers
    bodies = {
        buyer: [
            charge_body(
                f"C-{buyer[-4:]}-{i}", *filed(client, parties, f"C{buyer[-4:]}-{i}", "5000", buyer)
            )
            for i in range(8)
        ]
        for buyer in (BUYER, OTHER)
    }
    log = tmp_path / "server.log"
    with (
        running_server(env, log=log) as (url, proc),
        explained(proc, log, rt.settings.resolved_database_url()),
    ):
        for buyer in (BUYER, OTHER):
            barrier = threading.Barrier(8)
            regimes: list[str] = []

            def post(i: int, buyer=buyer, barrier=barrier, regimes=regimes) -> None:
                with httpx.Client(base_url=url, timeout=60) as c:
                    barrier.wait()
                    r = c.post(URL, json=bodies[buyer][i], headers=h)
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


def test_order_refs_belong_to_the_tenant_that_charged(client, parties, rt):
    a, b = parties["platform-a"].headers, parties["platform-b"].headers
    oid, doc = filed(client, parties, "OWN-A", "4000")
    first = client.post(URL, json=charge_body("OWN-1", oid, doc), headers=a).json()
    assert first["created"] is True
    # another withholder's reference of the same name is its own charge, of its own order
    bid, bdoc = filed(
        client, parties, "OWN-B", "1000", who="seller-b", platform="platform-b", seller="seller-b"
    )
    theirs = client.post(URL, json=charge_body("OWN-1", bid, bdoc), headers=b)
    assert theirs.status_code == 200 and theirs.json()["created"] is True
    assert used_fen(rt) == {2026: 5000_00}
    # and it cannot refund the first tenant's charge
    r = client.post(f"{URL}/OWN-1/refund", json={"returned_on": "2026-03-05"}, headers=b)
    assert r.status_code == 200  # its own OWN-1
    assert r.json()["refunded_tax"] == "91.00"
    again = client.post(f"{URL}/OWN-1/refund", json={"returned_on": "2026-03-05"}, headers=b)
    assert again.status_code == 409
    mine = client.post(f"{URL}/OWN-1/refund", json={"returned_on": "2026-03-05"}, headers=a)
    assert mine.status_code == 200 and mine.json()["refunded_tax"] == "364.00"
    r = client.post(f"{URL}/NONE/refund", json={"returned_on": "2026-03-05"}, headers=b)
    assert r.status_code == 404
    for bad in ({"lines": 5}, {"lines": [5]}, {"freight": "NaN"}):
        r = client.post(URL, json=order("BAD", "10") | bad, headers=a)
        assert r.status_code in (400, 422), r.text

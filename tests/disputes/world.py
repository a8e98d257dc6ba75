"""One sale for the dispute tests: an order seller-a files on platform-a, its payment (pay-a),
its waybill (ship-a) with two tracking scans, and the order's CEB311 declaration."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from cbec.demo import synthetic
from tests.contract.test_bola import RULE
from tests.logistics.test_tracking import scans


@dataclass
class Sale:
    order: dict[str, Any]
    order_id: str
    payment_id: str
    waybill_id: str


def sale(client, parties, cli, number: str = "DSP-1", declare: bool = True) -> Sale:
    rng = random.Random(number)
    order = synthetic.order(rng, "platform-a", "seller-a", number)

    def post(path: str, who: str, body: dict) -> dict:
        r = client.post(path, json=body, headers=parties[who].headers)
        assert r.status_code in (200, 201), r.text
        return r.json()

    # a rule of the platform's, so that the order gets a logged compliance decision
    rule_id = "platform-a.disputes.flag"
    r = client.put(
        f"/compliance/rules/{rule_id}",
        json=RULE | {"id": rule_id},
        headers=parties["platform-a"].headers,
    )
    assert r.status_code in (200, 201), r.text
    order_id = post("/orders", "seller-a", order)["id"]
    payment_id = post("/payments", "pay-a", synthetic.payment(rng, order, f"TX-{number}"))["id"]
    waybill_id = post("/waybills", "ship-a", synthetic.waybill(rng, order, f"WB-{number}"))["id"]
    post("/logistics/tracking/events", "ship-a", scans(waybill_id))
    if declare:
        for tenant, code in (("seller-a", "4403960002"), ("platform-a", "3301960001")):
            args = ["admin", "customs-profile", tenant, "--code", code, "--name", f"{tenant} 公司"]
            if tenant == "seller-a":
                args += ["--dxp-id", "DXPENT0000000002"]
            assert cli(*args).exit_code == 0
        assert (
            cli(
                "admin", "customs-profile", "pay-a", "--code", "3101960003", "--name", "pay"
            ).exit_code
            == 0
        )
        r = client.post(f"/orders/{order_id}/customs/ceb311", headers=parties["seller-a"].headers)
        assert r.status_code == 200, r.text
    return Sale(order, order_id, payment_id, waybill_id)


def open_case(client, party, order_id: str, **extra: Any):
    body = {
        "order_id": order_id,
        "reason": "not_received",
        "claim": {"amount": "120.50", "currency": "CNY"},
    }
    return client.post("/disputes", json=body | extra, headers=party.headers)

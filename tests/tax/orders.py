"""Stored orders for quota charges: a charge names the order it withholds for, with that
order's buyer and figures, so tests file the order first."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from cbec.demo import synthetic


def order_doc(
    order_no: str,
    buyer: str,
    prices: list[str],
    *,
    platform: str = "platform-a",
    seller: str = "seller-a",
    day: str = "2026-03-01",
    freight: str = "0",
) -> dict[str, Any]:
    """A valid China retail-import order of one unit per price (sku A, B, …)."""
    doc = synthetic.order(random.Random(order_no), platform, seller, order_no)
    template = doc["lines"][0]
    doc["lines"] = [
        template | {"line_no": i, "sku": chr(64 + i), "qty": "1", "unit_price": p, "line_total": p}
        for i, p in enumerate(prices, start=1)
    ]
    goods = sum((Decimal(p) for p in prices), Decimal(0))
    doc["buyer"]["id_number"] = buyer
    doc |= {
        "ordered_at": f"{day}T01:00:00Z",
        "goods_value": str(goods),
        "freight": freight,
        "discount": "0",
        "tax_withheld": "0",
        "amount_paid": str(goods + Decimal(freight)),
    }
    return doc


def file_order(client, parties, who: str, doc: dict[str, Any]) -> str:
    """File ``doc`` as ``who`` and answer its id."""
    r = client.post("/orders", json=doc, headers=parties[who].headers)
    assert r.status_code in (200, 201), r.text
    return r.json()["id"]


def charge_body(ref: str, order_id: str, doc: dict[str, Any], day: str | None = None, **kw):
    """The charge of the stored order ``doc`` (its buyer, lines and freight)."""
    return {
        "order_ref": ref,
        "order_id": order_id,
        "buyer_id": doc["buyer"]["id_number"],
        "date": day or doc["ordered_at"][:10],
        "freight": doc["freight"],
        "lines": [
            {"sku": li["sku"], "qty": li["qty"], "unit_price": li["unit_price"], "vat_rate": "0.13"}
            for li in doc["lines"]
        ],
        **kw,
    }

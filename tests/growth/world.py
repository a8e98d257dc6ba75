"""Orders of seller-a for the poll tests: filed by seller-a on platform-a (or another
platform), with the buyer's account id the test names."""

from __future__ import annotations

import random
from typing import Any

from cbec.demo import synthetic

POLL = {
    "topic": "colour",
    "question": "Which colour should the next kettle come in?",
    "sku": "KETTLE-1",
    "options": ["Red", "Sage", "Cream"],
}


def order(
    client,
    parties,
    number: str,
    account: str,
    country: str = "CN",
    platform: str = "platform-a",
    seller: str = "seller-a",
    id_number: str | None = None,
) -> tuple[str, dict[str, Any]]:
    body = synthetic.order(random.Random(number), platform, seller, number)
    body["buyer"]["account_id"] = account
    if id_number is not None:
        body["buyer"]["id_number"] = id_number
    body["destination_country"] = country
    if country == "US":  # a phone of the destination (libphonenumber's example number)
        body["buyer"]["phone"] = body["consignee"]["phone"] = "+12015550123"
    r = client.post("/orders", json=body, headers=parties[seller].headers)
    assert r.status_code in (200, 201), r.text
    return r.json()["id"], body


def open_poll(client, party, **extra: Any) -> dict[str, Any]:
    r = client.post("/polls", json=POLL | extra, headers=party.headers)
    assert r.status_code == 201, r.text
    return r.json()


def vote(client, party, poll_id: str, order_id: str, account: str, option: str = "Red"):
    body = {"order_id": order_id, "buyer_account_id": account, "option": option}
    return client.post(f"/polls/{poll_id}/votes", json=body, headers=party.headers)

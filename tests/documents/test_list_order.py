"""Lists page by keyset in either direction: oldest first by default, newest first on request
— every visible document exactly once, in filing order, whatever the page size — and a
cursor serves only the direction it was made for."""

from __future__ import annotations

import random

import pytest

from tests.conftest import make_order


def _walk(client, party, **params) -> list[str]:
    seen, cursor = [], None
    while True:
        page = client.get(
            "/orders", params=params | ({"cursor": cursor} if cursor else {}), headers=party.headers
        )
        assert page.status_code == 200, page.text
        body = page.json()
        seen += [item["document"]["order_no"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            return seen


@pytest.mark.parametrize("limit", [1, 3, 7, 50])
def test_newest_first_is_the_oldest_first_list_reversed(client, parties, limit):
    rng = random.Random(4)
    filed = [make_order(rng, i) for i in range(7)]
    for order in filed:
        r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
        assert r.status_code == 201
    oldest = _walk(client, parties["seller-a"], limit=limit)
    newest = _walk(client, parties["seller-a"], limit=limit, newest_first="true")
    assert oldest == [o["order_no"] for o in filed]
    assert newest == oldest[::-1]
    assert _walk(client, parties["seller-b"], limit=limit, newest_first="true") == []


def test_a_cursor_serves_only_its_own_direction(client, parties):
    rng = random.Random(5)
    for i in range(3):
        client.post("/orders", json=make_order(rng, i), headers=parties["seller-a"].headers)
    h = parties["seller-a"].headers
    first = client.get("/orders", params={"limit": 1}, headers=h).json()["next_cursor"]
    r = client.get(
        "/orders", params={"limit": 1, "newest_first": "true", "cursor": first}, headers=h
    )
    assert r.status_code == 400 and r.json()["code"] == "bad_cursor"

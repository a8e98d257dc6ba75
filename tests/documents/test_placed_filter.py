"""``GET /orders`` by the time orders were placed (``placed_from`` / ``placed_to``, their
``ordered_at`` in UTC) rather than the time they were filed (``created_from`` /
``created_to``): orders placed on earlier days and filed today are found on the days they
were placed and not today, a reader finds only what it may read, and a time with no UTC
equivalent is refused naming the field. Oracle: the ``ordered_at`` values written here."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from cbec.demo import synthetic

DAYS_AGO = {"seller-a": (3, 3, 10), "seller-b": (3, 20)}  # each order: placed that long ago


def _file(client, parties) -> dict[str, tuple[str, object]]:
    """Number -> (seller, UTC day placed); each placed at 07:30 in China the next day, which
    is 23:30 UTC on the day itself."""
    rng = random.Random(5)
    today = datetime.now(UTC).date()
    out = {}
    for seller, ago in DAYS_AGO.items():
        for i, days in enumerate(ago):
            day = today - timedelta(days=days)
            order = synthetic.order(rng, "platform-a", seller, f"PF-{seller}-{i}")
            local = datetime.combine(day + timedelta(days=1), time(7, 30))
            order["ordered_at"] = local.isoformat() + "+08:00"
            r = client.post("/orders", json=order, headers=parties[seller].headers)
            assert r.status_code == 201, r.text
            out[order["order_no"]] = (seller, day)
    return out


def _numbers(client, party, **params) -> list[str]:
    r = client.get("/orders", params={"limit": 500, **params}, headers=party.headers)
    assert r.status_code == 200, r.text
    return sorted(i["document"]["order_no"] for i in r.json()["items"])


def _start(day) -> str:
    return datetime.combine(day, time(), UTC).isoformat()


def test_orders_are_found_by_the_day_they_were_placed_not_filed(client, parties):
    filed = _file(client, parties)
    today = datetime.now(UTC).date()
    readers = {"regulator": lambda s: True, "platform-a": lambda s: True}
    readers |= {s: (lambda s, me=s: s == me) for s in DAYS_AGO}
    for who, may_read in readers.items():
        party = parties[who]
        for day in {d for _, d in filed.values()} | {today}:
            on_day = {"placed_from": _start(day), "placed_to": _start(day + timedelta(days=1))}
            expected = sorted(n for n, (s, d) in filed.items() if d == day and may_read(s))
            assert _numbers(client, party, **on_day) == expected, (who, day)
        # one end only; the other open
        since = today - timedelta(days=5)
        expected = sorted(n for n, (s, d) in filed.items() if d >= since and may_read(s))
        assert _numbers(client, party, placed_from=_start(since)) == expected, who
        expected = sorted(n for n, (s, d) in filed.items() if d < since and may_read(s))
        assert _numbers(client, party, placed_to=_start(since)) == expected, who
        # by filing time, all of them are today's
        mine = sorted(n for n, (s, _) in filed.items() if may_read(s))
        assert _numbers(client, party, created_from=_start(today)) == mine, who
        assert _numbers(client, party, placed_from=_start(today)) == [], who


def test_a_time_without_a_utc_equivalent_is_refused_naming_the_field(client, parties):
    headers = parties["seller-a"].headers
    for field in ("placed_from", "placed_to", "created_from"):
        for value in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"):
            r = client.get("/orders", params={field: value}, headers=headers)
            assert r.status_code == 422, (field, value, r.text)
            assert [e["field"] for e in r.json()["errors"]] == [field]


def test_only_kinds_that_record_a_placing_time_offer_the_filter(client):
    paths = client.get("/openapi.json").json()["paths"]

    def params(path: str) -> set[str]:
        return {p["name"] for p in paths[path]["get"]["parameters"]}

    assert {"placed_from", "placed_to", "created_from"} <= params("/orders")
    for path in ("/payments", "/waybills", "/products"):
        assert "created_from" in params(path) and "placed_from" not in params(path), path

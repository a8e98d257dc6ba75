"""The outbox and the deliverer end to end: a filing's event reaches a receiver on
127.0.0.1 signed (checked by the reference library) and without personal data; a rolled-back
filing sends nothing; failures back off on an injected clock and end in the dead-letter
list; replay sends again; a tenant sees only its own subscriptions and deliveries."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook

from cbec.api.app import create_app
from cbec.services import webhook_delivery
from cbec.store.tables import webhook_deliveries, webhook_messages
from cbec.trade.filing import file_one
from cbec.trade.kinds import KINDS
from cbec.webhooks import retry
from tests.conftest import make_order
from tests.webhooks.receiver import receiving


@pytest.fixture
def api(rt):
    with TestClient(create_app(rt, deliver_in_background=False)) as c:
        yield c


def _subscribe(api, party, url, events=("document.filed",)):
    r = api.post(
        "/webhooks/subscriptions",
        json={"url": url, "event_types": list(events)},
        headers=party.headers,
    )
    assert r.status_code == 201, r.text
    return r.json()


def _count(rt, table):
    with rt.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


class Clock:
    def __init__(self) -> None:
        self.at = datetime.now(UTC) + timedelta(minutes=1)  # after the event, then by hand

    def __call__(self) -> datetime:
        return self.at


def test_a_filed_order_is_delivered_signed_without_personal_data(rt, api, parties, rng):
    seller = parties["seller-a"]
    with receiving() as receiver:
        sub = _subscribe(api, seller, receiver.url)
        order = make_order(rng, 1)
        r = api.post("/orders", json=order, headers=seller.headers)
        assert r.status_code == 201, r.text
        with webhook_delivery.new_client(private_ok=True) as client:
            done = webhook_delivery.deliver_due(rt.uow, client)
        assert (done.claimed, done.delivered) == (1, 1)
        ((hdrs, body),) = receiver.wait_for(1)
    payload = Webhook(sub["secret"]).verify(body, hdrs)  # the reference library's check
    assert payload["type"] == "document.filed"
    data = payload["data"]
    assert data["id"] == r.json()["id"] and data["kind"] == "order"
    assert data["filer"] == "seller-a" and data["order_no"] == order["order_no"]
    assert set(data) == {"id", "kind", "natural_key", "filer", "order_no", "filed_at"}
    buyer = order["buyer"]
    for value in (buyer["name"], buyer["id_number"], buyer["phone"]):
        assert value not in body.decode()
    listed = api.get("/webhooks/deliveries", headers=seller.headers).json()["deliveries"]
    assert [(d["status"], d["attempts"], d["last_status"]) for d in listed] == [
        ("delivered", 1, 200)
    ]
    assert listed[0]["message_id"] == hdrs["webhook-id"]


def test_a_rolled_back_filing_delivers_nothing(rt, api, parties, rng):
    seller = parties["seller-a"]
    with receiving() as receiver:
        _subscribe(api, seller, receiver.url)
        uow = rt.uow()
        with pytest.raises(RuntimeError), uow.writing():
            file_one(uow.repo, uow.vault, seller.viewer, KINDS["order"], make_order(rng, 1))
            assert _count_in(uow, webhook_messages) == 1  # written, inside the transaction
            raise RuntimeError("the change fails after the event was written")
        assert _count(rt, webhook_messages) == 0 and _count(rt, webhook_deliveries) == 0
        with webhook_delivery.new_client(private_ok=True) as client:
            assert webhook_delivery.deliver_due(rt.uow, client).claimed == 0
        # the same filing committed is delivered: the receiver's first request is it
        uow = rt.uow()
        with uow.writing():
            doc_id, _ = file_one(
                uow.repo, uow.vault, seller.viewer, KINDS["order"], make_order(rng, 2)
            )
            uow.commit()
        with webhook_delivery.new_client(private_ok=True) as client:
            assert webhook_delivery.deliver_due(rt.uow, client).delivered == 1
        ((_, body),) = receiver.wait_for(1)
    assert json.loads(body)["data"]["id"] == doc_id


def _count_in(uow, table):
    return uow.conn.execute(select(func.count()).select_from(table)).scalar()


def test_failures_back_off_then_go_dead_and_replay_sends_again(rt, api, parties, rng):
    seller = parties["seller-a"]
    clock = Clock()
    failures = [500] * retry.MAX_ATTEMPTS
    with receiving(failures) as receiver, webhook_delivery.new_client(private_ok=True) as client:
        _subscribe(api, seller, receiver.url)
        assert api.post("/orders", json=make_order(rng, 1), headers=seller.headers).is_success
        for attempt in range(1, retry.MAX_ATTEMPTS + 1):
            done = webhook_delivery.deliver_due(rt.uow, client, clock)
            assert done.claimed == 1, attempt
            receiver.wait_for(attempt)
            (d,) = api.get("/webhooks/deliveries", headers=seller.headers).json()["deliveries"]
            assert d["attempts"] == attempt and d["last_status"] == 500
            if attempt < retry.MAX_ATTEMPTS:
                wait = retry.delay_after(attempt)
                assert d["status"] == "pending"
                assert datetime.fromisoformat(d["next_attempt_at"]) == clock.at + wait
                clock.at += wait - timedelta(seconds=1)  # not yet due
                assert webhook_delivery.deliver_due(rt.uow, client, clock).claimed == 0
                clock.at += timedelta(seconds=1)
        assert d["status"] == "dead"
        dead = api.get("/webhooks/deliveries?status=dead", headers=seller.headers).json()
        assert [x["id"] for x in dead["deliveries"]] == [d["id"]]
        clock.at += timedelta(days=30)
        assert webhook_delivery.deliver_due(rt.uow, client, clock).claimed == 0
        r = api.post(f"/webhooks/deliveries/{d['id']}/replay", headers=seller.headers)
        assert r.status_code == 200 and r.json()["status"] == "pending"
        assert r.json()["attempts"] == 0
        again = api.post(f"/webhooks/deliveries/{d['id']}/replay", headers=seller.headers)
        assert again.status_code == 409
        assert webhook_delivery.deliver_due(rt.uow, client).delivered == 1
        got = receiver.wait_for(retry.MAX_ATTEMPTS + 1)
    assert len({h["webhook-id"] for h, _ in got}) == 1  # one message, sent again and again


def test_refused_subscriptions_name_the_field(api, parties):
    h = parties["seller-a"].headers
    r = api.post(
        "/webhooks/subscriptions",
        json={"url": "ftp://x/y", "event_types": ["document.filed"]},
        headers=h,
    )
    assert r.status_code == 422
    assert [(e["field"], e["rule"]) for e in r.json()["errors"]] == [("url", "webhook_url_scheme")]
    r = api.post(
        "/webhooks/subscriptions", json={"url": "http://x/", "event_types": ["nope"]}, headers=h
    )
    assert [e["field"] for e in r.json()["errors"]] == ["event_types[0]"]


def test_tenants_see_only_their_own(rt, api, parties, rng):
    a, b = parties["seller-a"], parties["seller-b"]
    with receiving() as receiver:
        sub = _subscribe(api, a, receiver.url)
        assert api.post(
            "/orders", json=make_order(rng, 1, seller="seller-b"), headers=b.headers
        ).is_success
        assert _count(rt, webhook_deliveries) == 0  # b's filing is not a's event
        assert api.post("/orders", json=make_order(rng, 2), headers=a.headers).is_success
        (d,) = api.get("/webhooks/deliveries", headers=a.headers).json()["deliveries"]
    assert api.get("/webhooks/subscriptions", headers=b.headers).json() == {"subscriptions": []}
    assert api.get("/webhooks/deliveries", headers=b.headers).json() == {"deliveries": []}
    assert api.delete(f"/webhooks/subscriptions/{sub['id']}", headers=b.headers).status_code == 404
    assert api.post(f"/webhooks/deliveries/{d['id']}/replay", headers=b.headers).status_code == 404
    listed = api.get("/webhooks/subscriptions", headers=a.headers).json()["subscriptions"]
    assert [s["id"] for s in listed] == [sub["id"]] and "secret" not in listed[0]
    off = api.delete(f"/webhooks/subscriptions/{sub['id']}", headers=a.headers)
    assert off.status_code == 200 and off.json()["active"] is False

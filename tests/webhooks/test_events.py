"""Who hears of what: a filing reaches the filer's and the named platform's subscriptions
(one by one and in a bulk import), no other tenant's. The events beyond
``document.filed``: a screening match and a customs declaration's state
changes reach the subscriber's receiver, signed, with ids and keys only — the matched
person's name, the listed entity and the receipt's free text stay out — and only the
subscriber's own (the filer's, the declarer's)."""

from __future__ import annotations

import json
import random

import pytest
from fastapi.testclient import TestClient
from standardwebhooks.webhooks import Webhook

from cbec.api.app import create_app
from cbec.demo import synthetic
from cbec.services import webhook_delivery
from tests.conftest import DATA
from tests.customs.test_customs_api import _profiles, _receipt
from tests.customs.test_customs_build import AT, REG, sale
from tests.webhooks.receiver import receiving

LISTED = "Rostislav Evgenievich Zharkov"  # a person on the synthetic sanctions list


def _subscribe(api, party, url, events):
    r = api.post(
        "/webhooks/subscriptions",
        json={"url": url, "event_types": list(events)},
        headers=party.headers,
    )
    assert r.status_code == 201, r.text
    return r.json()["secret"]


def _deliver(rt) -> int:
    with webhook_delivery.new_client(private_ok=True) as client:
        return webhook_delivery.deliver_due(rt.uow, client).delivered


def test_a_screening_match_is_announced_to_the_filer_without_the_person(rt, parties):
    with TestClient(create_app(rt, deliver_in_background=False)) as api, receiving() as rcv:
        content = (DATA / "sanctions" / "synthetic_sanctions.ftm.json").read_bytes()
        r = api.post(
            "/screening/lists",
            params={"name": "demo", "source": "demo"},
            content=content,
            headers=parties["regulator"].headers,
        )
        assert r.status_code == 200, r.text
        secret = _subscribe(api, parties["seller-a"], rcv.url, ["screening.hit"])
        # another tenant's subscription to the same event hears nothing of seller-a's order
        _subscribe(api, parties["seller-b"], rcv.url, ["screening.hit"])
        rng = random.Random(8)
        clean = synthetic.order(rng, "platform-a", "seller-a", "HIT-0")
        hit = synthetic.order(rng, "platform-a", "seller-a", "HIT-1")
        hit["buyer"] = hit["buyer"] | {"name": LISTED}
        for order in (clean, hit):
            r = api.post("/orders", json=order, headers=parties["seller-a"].headers)
            assert r.status_code == 201, r.text
        hit_id = r.json()["id"]
        checks = api.get(f"/orders/{hit_id}/checks", headers=parties["seller-a"].headers)
        matched = [s for s in checks.json()["screening"] if s["match"]]
        assert _deliver(rt) == len(matched) >= 1
        got = rcv.wait_for(len(matched))
    assert len(got) == len(matched)  # one per matched party, none for the clean order
    for hdrs, body in got:
        payload = Webhook(secret).verify(body, hdrs)
        assert payload["type"] == "screening.hit"
        data = payload["data"]
        assert set(data) == {"document_id", "role", "score", "lists", "screened_at"}
        assert data["document_id"] == hit_id
        assert data["role"] in {s["role"] for s in matched}
        assert float(data["score"]) >= rt.settings.screening_threshold
        text = body.decode()
        for value in (LISTED, "Zharkov", "syn-person-zharkov", hit["buyer"]["id_number"]):
            assert value not in text


def test_declaration_state_changes_are_announced_to_the_declarer(rt, parties):
    from cbec.customs import build
    from cbec.customs import xml as cx

    _profiles(rt, parties)
    with TestClient(create_app(rt, deliver_in_background=False)) as api, receiving() as rcv:
        secret = _subscribe(api, parties["platform-a"], rcv.url, ["declaration.state_changed"])
        _subscribe(api, parties["seller-a"], rcv.url, ["declaration.state_changed"])
        h = {**parties["platform-a"].headers, "Content-Type": "application/xml"}
        order, payment, _ = sale(21)
        msg = build.ceb311(order, REG, at=AT, payment=payment)
        record = msg.order[0].order_head.guid
        states = []
        r = api.post("/customs/messages", content=cx.write(msg), headers=h)
        states.append(r.json()["declarations"][0]["state"])
        for status in (2, 120):
            receipt = _receipt(record, order["order_no"], status)
            r = api.post("/customs/messages", content=receipt, headers=h)
            assert r.status_code == 200, r.text
            states.append(r.json()["declarations"][0]["state"])
        history = api.get("/customs/declarations", headers=parties["platform-a"].headers)
        (declared,) = history.json()
        assert _deliver(rt) == 3
        got = rcv.wait_for(3)
    payloads = [Webhook(secret).verify(body, hdrs) for hdrs, body in got]
    assert [p["type"] for p in payloads] == ["declaration.state_changed"] * 3
    by_state = sorted(payloads, key=lambda p: states.index(p["data"]["state"]))
    assert (
        [p["data"]["state"] for p in by_state] == states == [e["state"] for e in declared["events"]]
    )
    assert [p["data"]["return_status"] for p in by_state] == [None, 2, 120]
    assert [p["data"]["event"] for p in by_state] == ["declare", "receipt", "receipt"]
    for p in by_state:
        data = p["data"]
        assert (data["message"], data["record_guid"]) == ("CEB311", record)
        assert data["business_key"] == order["order_no"] == declared["key"]
        assert "status 120" not in json.dumps(data)  # the receipt's returnInfo stays out


def test_a_filing_is_announced_to_the_filer_and_the_platform_it_names(rt, parties):
    with TestClient(create_app(rt, deliver_in_background=False)) as api, receiving() as rcv:
        secrets = {
            name: _subscribe(api, parties[name], rcv.url, ["document.filed"])
            for name in ("seller-a", "platform-a", "platform-b", "seller-b")
        }
        rng = random.Random(12)
        one = synthetic.order(rng, "platform-a", "seller-a", "READ-1")
        r = api.post("/orders", json=one, headers=parties["seller-a"].headers)
        assert r.status_code == 201, r.text
        bulk = [synthetic.order(rng, "platform-a", "seller-a", f"READ-{n}") for n in (2, 3)]
        r = api.post(
            "/orders/import",
            content="\n".join(json.dumps(o, ensure_ascii=False) for o in bulk).encode(),
            headers=parties["seller-a"].headers | {"Content-Type": "application/x-ndjson"},
        )
        assert r.status_code == 200 and r.json()["created"] == 2, r.text
        assert _deliver(rt) == 6
        got = rcv.wait_for(6)
    heard: dict[str, set[str]] = {}
    for hdrs, body in got:
        for name, secret in secrets.items():
            try:
                payload = Webhook(secret).verify(body, hdrs)
            except Exception:  # signed for another subscriber
                continue
            heard.setdefault(name, set()).add(payload["data"]["order_no"])
            assert payload["data"]["filer"] == "seller-a"
    numbers = {"READ-1", "READ-2", "READ-3"}
    assert heard == {"seller-a": numbers, "platform-a": numbers}


def test_an_alert_raised_by_recorded_events_is_announced_to_the_recorder(rt, parties):
    from scipy import stats

    from cbec.logistics.transit import Transit
    from tests.logistics.test_tracking import file_waybill, scans

    with TestClient(create_app(rt, deliver_in_background=False)) as api, receiving() as rcv:
        wid, number, _ = file_waybill(api, parties, "HOOK-1")
        secret = _subscribe(api, parties["ship-a"], rcv.url, ["tracking.alert_raised"])
        _subscribe(api, parties["seller-a"], rcv.url, ["tracking.alert_raised"])
        sea = Transit.of(17, 18)  # SEA-SHA-LAX in the starter network
        late = float(stats.lognorm(s=sea.sigma, scale=sea.p50).ppf(0.95))
        body = scans(wid, days_to_port=late)
        ship = parties["ship-a"].headers
        first = {**body, "events": body["events"][:1]}  # picked up, weeks ago
        assert api.post("/logistics/tracking/events", json=first, headers=ship).is_success
        earlier = _deliver(rt)  # what the first scan raised (silence since, as of now)
        rcv.wait_for(earlier)
        before = _alerts(api, wid, ship)
        assert api.post("/logistics/tracking/events", json=body, headers=ship).is_success
        after = _alerts(api, wid, ship)
        # the same events again raise nothing: they are held already
        assert api.post("/logistics/tracking/events", json=body, headers=ship).is_success
        delivered = _deliver(rt)
        got = rcv.wait_for(earlier + delivered)[earlier:]
    payloads = [Webhook(secret).verify(b, h) for h, b in got]  # all the carrier's
    raised = [p["data"] for p in payloads if p["type"] == "tracking.alert_raised"]
    assert len(raised) == len(payloads) >= 1
    # what the view shows now and did not before — a silence is judged at its own moment,
    # so alerts are compared by what they are, not by the hours they name
    new = sorted(set(after) - set(before))
    assert sorted({(d["rule"], d["severity"], _leg(d)) for d in raised}) == new
    delay = next(d for d in raised if d["rule"] == "delay" and d["params"].get("arrived"))
    assert delay["params"]["percentile"] == pytest.approx(95, abs=0.2)  # scipy's lognormal
    assert {(d["waybill_id"], d["waybill_no"]) for d in raised} == {(wid, number)}


def _alerts(api, wid, headers) -> list[tuple[str, str, str]]:
    track = api.get(f"/logistics/waybills/{wid}/tracking", headers=headers).json()
    return [(a["rule"], a["severity"], _leg(a)) for a in track["alerts"]]


def _leg(alert: dict) -> str:
    """Which part of the journey an alert is about: the place or leg its reason names."""
    params = alert["params"]
    return str(params.get("leg") or params.get("place") or params.get("destination") or "")

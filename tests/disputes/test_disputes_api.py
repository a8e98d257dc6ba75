"""Dispute cases over the API: opened by the order's platform, seller or a regulator on an
order it may read, read only by its parties (anyone else: the 404 of an id that names
nothing), answered, resolved or withdrawn along the state machine, each step logged in the
evidence ledger without personal data."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.disputes.world import open_case, sale


def test_a_case_is_opened_answered_and_resolved_by_its_parties(client, parties, cli, rt):
    s = sale(client, parties, cli, declare=False)
    seller, platform = parties["seller-a"], parties["platform-a"]
    r = open_case(client, seller, s.order_id, message="The buyer says the parcel never came")
    assert r.status_code == 201, r.text
    case = r.json()
    assert (case["state"], case["platform"], case["seller"], case["opened_by"]) == (
        "open",
        "platform-a",
        "seller-a",
        "seller-a",
    )
    assert case["claim"] == {"amount": "120.50", "currency": "CNY"}
    # not_received: 7 days to answer, 15 to resolve (rule data), the platform's own policy
    from datetime import datetime

    opened = datetime.fromisoformat(case["opened_at"])
    assert datetime.fromisoformat(case["response_due"]) - opened == timedelta(days=7)
    assert datetime.fromisoformat(case["resolution_due"]) - opened == timedelta(days=15)
    assert "platform's own policy" in case["deadline_source"]
    assert [m["text"] for m in case["messages"]] == ["The buyer says the parcel never came"]
    # the opener's own messages do not answer the case; the platform's does
    url = f"/disputes/{case['id']}"
    r = client.post(
        f"{url}/messages", json={"text": "Tracking shows it at LAX"}, headers=platform.headers
    )
    assert r.status_code == 200 and r.json()["state"] == "responded"
    assert r.json()["responded_at"] is not None
    # the seller may concede a refund but not reject its buyer's claim
    r = client.post(f"{url}/resolution", json={"outcome": "rejected"}, headers=seller.headers)
    assert r.status_code == 403 and r.json()["code"] == "dispute_ruling_forbidden"
    r = client.post(
        f"{url}/resolution",
        json={"outcome": "refund_partial", "refund_amount": "200.00"},
        headers=platform.headers,
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "refund_amount"
    assert r.json()["errors"][0]["rule"] == "dispute_refund_partial"
    r = client.post(
        f"{url}/resolution",
        json={"outcome": "refund_partial", "refund_amount": "60.25"},
        headers=platform.headers,
    )
    assert r.status_code == 200, r.text
    done = r.json()
    assert (done["state"], done["outcome"], done["refund_amount"]) == (
        "resolved",
        "refund_partial",
        "60.25",
    )
    assert (
        done["time_to_resolution_seconds"] is not None and done["time_to_resolution_seconds"] >= 0
    )
    assert [e["event"] for e in done["events"]] == [
        "opened",
        "message",
        "message",
        "responded",
        "resolved",
    ]
    # a final case takes nothing more
    r = client.post(f"{url}/messages", json={"text": "one more"}, headers=seller.headers)
    assert r.status_code == 409 and r.json()["code"] == "dispute_final"
    # every step is in the log, none with the messages' text or the buyer's data
    for e in done["events"]:
        data = rt.ledger.entry(e["ledger_index"]).data
        entry = json.loads(data)
        assert entry["type"] == "cbec.dispute/v1" and entry["case"] == case["id"]
        assert b"parcel" not in data and b"LAX" not in data
        assert s.order["buyer"]["name"].encode() not in data
    # the messages are stored encrypted
    from sqlalchemy import select

    from cbec.store.tables import dispute_events, dispute_messages

    with rt.engine.connect() as conn:
        stored = [
            repr(tuple(r))
            for t in (dispute_messages, dispute_events)
            for r in conn.execute(select(t))
        ]
    assert len(stored) == 7 and not any("parcel" in row or "LAX" in row for row in stored)
    listed = client.get("/disputes", headers=platform.headers).json()["cases"]
    assert [c["id"] for c in listed] == [case["id"]]


def test_only_the_parties_learn_of_a_case(client, parties, cli):
    s = sale(client, parties, cli, declare=False)
    case = open_case(client, parties["platform-a"], s.order_id).json()
    for who in ("seller-b", "platform-b", "pay-a", "ship-a", "regulator"):
        p = parties[who]
        for path in (f"/disputes/{case['id']}", f"/disputes/{case['id']}/pack"):
            r = client.get(path, headers=p.headers)
            ghost = client.get(path.replace(case["id"], "f" * 32), headers=p.headers)
            assert r.status_code == ghost.status_code == 404, (who, path)
            assert _sans_instance(r.json()) == _sans_instance(ghost.json())
        r = client.post(f"/disputes/{case['id']}/messages", json={"text": "hi"}, headers=p.headers)
        assert r.status_code == 404
        assert client.get("/disputes", headers=p.headers).json() == {"cases": []}
    # a seller not on the order cannot open a case on it: the order does not exist for it
    r = open_case(client, parties["seller-b"], s.order_id)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    # a regulator may open one; it is then a party (and the only regulator that is)
    r = open_case(client, parties["regulator"], s.order_id, reason="customs_refused")
    assert r.status_code == 201 and r.json()["opened_by"] == "regulator"
    assert (
        client.get(f"/disputes/{r.json()['id']}", headers=parties["seller-a"].headers).status_code
        == 200
    )


def test_bad_input_names_the_field(client, parties, cli):
    s = sale(client, parties, cli, declare=False)
    seller = parties["seller-a"]
    r = open_case(client, seller, s.order_id, reason="changed_my_mind")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    r = open_case(client, seller, s.order_id, claim={"amount": "-1", "currency": "CNY"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "claim.amount"
    r = open_case(client, seller, s.order_id, claim={"amount": "1", "currency": "cny"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "claim.currency"
    # withdrawing is the opener's alone
    case = open_case(client, seller, s.order_id).json()
    url = f"/disputes/{case['id']}/resolution"
    r = client.post(url, json={"outcome": "withdrawn"}, headers=parties["platform-a"].headers)
    assert r.status_code == 403 and r.json()["code"] == "dispute_withdraw_opener"
    r = client.post(url, json={"outcome": "withdrawn"}, headers=seller.headers)
    assert r.status_code == 200 and (r.json()["state"], r.json()["outcome"]) == (
        "closed",
        "withdrawn",
    )


def _sans_instance(problem: dict) -> dict:
    return {k: v for k, v in problem.items() if k != "instance"}


def test_a_case_past_its_deadlines_says_which(client, parties, cli, rt):
    from datetime import datetime

    from cbec.services import disputes

    s = sale(client, parties, cli, declare=False)
    case = open_case(client, parties["platform-a"], s.order_id, reason="damaged").json()
    opened = datetime.fromisoformat(case["opened_at"])
    seller = parties["seller-a"].viewer

    def overdue(days: int) -> list[str]:
        at = opened + timedelta(days=days)
        return disputes.show_case(rt.uow(), seller, case["id"], at=at).overdue

    assert case["overdue"] == [] and overdue(6) == []
    assert overdue(8) == ["response"] and overdue(16) == ["response", "resolution"]
    client.post(
        f"/disputes/{case['id']}/messages", json={"text": "ok"}, headers=parties["seller-a"].headers
    )
    assert overdue(8) == [] and overdue(16) == ["resolution"]

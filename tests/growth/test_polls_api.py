"""Polls over the API: opened by a seller, answered by its verified buyers through the
platforms of their orders, one vote per buyer, read by the seller alone with results by
market and segment; the vote keeps a keyed hash of the buyer, never the account id."""

from __future__ import annotations

import json

from sqlalchemy import select

from cbec.store.tables import ledger_entries, poll_votes
from tests.growth.world import POLL, open_poll, order, vote


def test_verified_buyers_vote_once_and_the_seller_reads_the_results(client, parties, rt):
    seller, platform = parties["seller-a"], parties["platform-a"]
    poll = open_poll(client, seller)
    assert (poll["state"], poll["options"], poll["results"]["votes"]) == (
        "open",
        POLL["options"],
        0,
    )
    o1, b1 = order(client, parties, "PL-1", "acct-1", "CN")
    o2, _ = order(client, parties, "PL-2", "acct-2", "US")
    # acct-3 bought twice (one ID number): a repeat buyer
    o3, b3 = order(client, parties, "PL-3", "acct-3", "US")
    order(client, parties, "PL-4", "acct-3", "US", id_number=b3["buyer"]["id_number"])
    for oid, acct, option in ((o1, "acct-1", "Red"), (o2, "acct-2", "Sage"), (o3, "acct-3", "Red")):
        r = vote(client, platform, poll["id"], oid, acct, option)
        assert r.status_code == 201, r.text
    assert r.json()["segment"] == "repeat" and r.json()["market"] == "US"
    # the same buyer again, through the same order: refused
    r = vote(client, platform, poll["id"], o1, "acct-1", "Sage")
    assert r.status_code == 409 and r.json()["code"] == "poll_voted"
    # an account id that is not the order's buyer's
    r = vote(client, platform, poll["id"], o1, "acct-9")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "buyer_account_id"
    assert r.json()["errors"][0]["rule"] == "poll_not_buyer"
    r = vote(client, platform, poll["id"], o2, "acct-2", "Purple")
    assert r.status_code == 422 and r.json()["errors"][0]["rule"] == "poll_option_unknown"
    # the seller relays nothing; another platform cannot read the order
    assert vote(client, seller, poll["id"], o2, "acct-2").json()["code"] == "poll_relay"
    assert vote(client, parties["platform-b"], poll["id"], o2, "acct-2").status_code == 404
    got = client.get(f"/polls/{poll['id']}", headers=seller.headers).json()
    res = got["results"]
    assert res["votes"] == 3
    assert [(c["option"], c["votes"], c["share"]) for c in res["options"]] == [
        ("Red", 2, "0.6667"),
        ("Sage", 1, "0.3333"),
        ("Cream", 0, "0.0000"),
    ]
    # the breakdowns, CN [1, 0, 0] and US [1, 1, 0] per market, new [1, 1, 0] and repeat
    # [1, 0, 0] per segment: every 1 is below the threshold of 5; the row of a single 1 has
    # its smallest other cell (the first 0, Sage) suppressed beside it; the Cream zeros stay
    assert res["disclosure"]["min_count"] == 5 and "Threshold rule" in res["disclosure"]["source"]
    for breakdown in ("by_market", "by_segment"):
        shown = {
            g: [(c["votes"], c["share"], c["suppressed"]) for c in cs]
            for g, cs in res[breakdown].items()
        }
        hidden = [(None, None, True), (None, None, True), (0, "0.0000", False)]
        assert shown == dict.fromkeys(
            ("CN", "US") if breakdown == "by_market" else ("new", "repeat"), hidden
        )
    # nobody but the seller reads it
    for other in ("platform-a", "seller-b", "regulator"):
        r = client.get(f"/polls/{poll['id']}", headers=parties[other].headers)
        assert r.status_code == 404, other
    # stored and logged: a keyed hash of the buyer, never the account id
    with rt.engine.connect() as conn:
        voters = [r.voter for r in conn.execute(select(poll_votes))]
        entries = [
            e.data for e in conn.execute(select(ledger_entries).order_by(ledger_entries.c.idx))
        ]
    assert len(set(voters)) == 3 and all(len(v) == 64 for v in voters)
    assert not any("acct-" in v for v in voters)
    logged = [json.loads(bytes(e)) for e in entries if b"cbec.poll/v1" in bytes(e)]
    assert [e["event"] for e in logged] == ["opened", "vote", "vote", "vote"]
    assert not any(b"acct-" in bytes(e) for e in entries)
    assert not any(v.encode() in bytes(e) for v in voters for e in entries)  # nor the hash
    assert b1["buyer"]["account_id"] == "acct-1"


def test_a_closed_poll_takes_no_votes_and_polls_are_the_sellers_own(client, parties):
    seller, platform = parties["seller-a"], parties["platform-a"]
    poll = open_poll(client, seller)
    oid, _ = order(client, parties, "PL-C1", "acct-c")
    r = client.post(f"/polls/{poll['id']}/close", headers=seller.headers)
    assert r.status_code == 200 and r.json()["state"] == "closed"
    r = client.post(f"/polls/{poll['id']}/close", headers=seller.headers)
    assert r.status_code == 409 and r.json()["code"] == "poll_closed"
    r = vote(client, platform, poll["id"], oid, "acct-c")
    assert r.status_code == 409 and r.json()["code"] == "poll_closed"
    # an order of seller-b does not verify a buyer of seller-a's poll
    bid, _ = order(client, parties, "PL-B1", "acct-b", platform="platform-b", seller="seller-b")
    r = vote(client, parties["platform-b"], poll["id"], bid, "acct-b")
    assert r.status_code == 404
    assert [p["id"] for p in client.get("/polls", headers=seller.headers).json()["polls"]] == [
        poll["id"]
    ]
    assert client.get("/polls", headers=parties["seller-b"].headers).json()["polls"] == []
    r = client.post("/polls", json=POLL, headers=platform.headers)
    assert r.status_code == 403
    r = client.post("/polls", json=POLL | {"options": ["Red", " red"]}, headers=seller.headers)
    assert r.status_code == 422
    assert (r.json()["errors"][0]["field"], r.json()["errors"][0]["rule"]) == (
        "options[1]",
        "poll_option_repeated",
    )

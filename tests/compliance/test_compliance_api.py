"""Compliance and screening end to end over the API: every filed order gets a logged,
explainable decision; rules change only by regulators and platforms, audited; what-if
replays; sandboxes relax within limits; screening lists load, match and flag orders."""

from __future__ import annotations

import json
import random

from cbec.demo import synthetic
from tests.conftest import DATA

SANCTIONS = DATA / "sanctions" / "synthetic_sanctions.ftm.json"  # invented parties
ROSTISLAV = "syn-person-zharkov-rostislav"

DENY_EARBUDS = {
    "id": "test.deny.earbuds",
    "title": {"zh": "测试：禁止耳机", "en": "test: no earbuds"},
    "kind": "deny",
    "scope": {"direction": "import"},
    "match": [{"hs": ["851830"]}],
    "effective_from": "2020-01-01",
    "source": "test rule",
}


# a sandbox that relaxes the earbuds rule for seller-a's first such order of 2026
ONE_EARBUDS_ORDER = {
    "firm": "seller-a",
    "scope": {"direction": "import"},
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "relaxed_rules": ["test.deny.earbuds"],
    "max_orders": 1,
    "source": "pilot approval 2026-01",
}


def file_order(client, parties, n: int, **changes) -> tuple[str, dict]:
    order = synthetic.order(random.Random(n), "platform-a", "seller-a", f"CMP-{n}") | changes
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code == 201, r.text
    return r.json()["id"], order


def earbuds_order(client, parties, n: int) -> tuple[str, dict]:
    rng = random.Random(n)
    item = next(c for c in synthetic.CATALOG if c["sku"] == "SZ-EB-01")
    order = synthetic.order(rng, "platform-a", "seller-a", f"EB-{n}", [item])
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code == 201, r.text
    return r.json()["id"], order


def test_every_order_gets_a_logged_explainable_decision(client, parties, rt):
    doc_id, order = file_order(client, parties, 1)
    checks = client.get(f"/orders/{doc_id}/checks", headers=parties["seller-a"].headers).json()
    (decision,) = checks["compliance"]
    assert decision["outcome"] in ("allow", "review", "needs_document", "deny")
    assert decision["ruleset_version"]["id"].startswith("active@")
    assert all(f["rule_id"] and f["field"] and f["reason"]["en"] for f in decision["fired"])
    entry = json.loads(rt.ledger.entry(decision["ledger_index"]).data)
    assert entry["type"] == "cbec.compliance/v1" and entry["document"] == doc_id
    assert entry["outcome"] == decision["outcome"]
    assert order["buyer"]["name"] not in json.dumps(entry, ensure_ascii=False)
    # others do not see it; the regulator does
    assert (
        client.get(f"/orders/{doc_id}/checks", headers=parties["seller-b"].headers).status_code
        == 404
    )
    assert (
        client.get(f"/orders/{doc_id}/checks", headers=parties["regulator"].headers).status_code
        == 200
    )


def test_rule_changes_are_role_bound_audited_and_take_effect(client, parties, rt):
    reg = parties["regulator"].headers
    r = client.put(
        "/compliance/rules/test.deny.earbuds",
        json=DENY_EARBUDS,
        headers=parties["seller-a"].headers,
    )
    assert r.status_code == 403
    r = client.put("/compliance/rules/test.deny.earbuds", json=DENY_EARBUDS, headers=reg)
    assert r.status_code == 200, r.text
    assert r.json()["revision"] == 1
    entry = json.loads(rt.ledger.entry(r.json()["ledger"]["index"]).data)
    assert entry["type"] == "cbec.rules/v1" and entry["rule"] == "test.deny.earbuds"
    doc_id, _ = earbuds_order(client, parties, 2)
    (decision,) = client.get(f"/orders/{doc_id}/checks", headers=reg).json()["compliance"]
    assert decision["outcome"] == "deny"
    fired = [f for f in decision["fired"] if f["rule_id"] == "test.deny.earbuds"]
    assert fired and fired[0]["field"] == "lines[0].hs_code" and fired[0]["effect"] == "deny"
    # a contradiction is refused, naming both rules
    allow = DENY_EARBUDS | {"id": "test.allow.earbuds", "kind": "allow"}
    r = client.put("/compliance/rules/test.allow.earbuds", json=allow, headers=reg)
    assert r.status_code == 422, r.text
    assert "test.deny.earbuds" in r.text and "test.allow.earbuds" in r.text
    bad = DENY_EARBUDS | {"kind": "forbid"}
    r = client.put("/compliance/rules/test.deny.earbuds", json=bad, headers=reg)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "kind"
    # a platform cannot undo a regulator's (or a starter) rule; its own rules it may change
    platform = parties["platform-a"].headers
    r = client.delete("/compliance/rules/test.deny.earbuds", headers=platform)
    assert r.status_code == 403 and r.json()["code"] == "rule_not_yours"
    r = client.delete("/compliance/rules/cn.prohibited.weapons", headers=platform)
    assert r.status_code == 403
    own = DENY_EARBUDS | {"id": "platform-a.flag.big", "kind": "flag", "match": [{"hs": ["9503"]}]}
    assert (
        client.put("/compliance/rules/platform-a.flag.big", json=own, headers=platform).status_code
        == 200
    )
    assert (
        client.delete("/compliance/rules/platform-a.flag.big", headers=platform).status_code == 200
    )
    # retiring it is audited too, and later orders no longer see it
    r = client.delete("/compliance/rules/test.deny.earbuds", headers=reg)
    assert r.status_code == 200 and r.json()["action"] == "retire"
    history = client.get("/compliance/rules/test.deny.earbuds/history", headers=reg).json()
    assert [(h["revision"], h["action"], h["by"]) for h in history] == [
        (1, "put", "regulator"),
        (2, "retire", "regulator"),
    ]
    doc_id, _ = earbuds_order(client, parties, 3)
    (later,) = client.get(f"/orders/{doc_id}/checks", headers=reg).json()["compliance"]
    assert not any(f["rule_id"] == "test.deny.earbuds" for f in later["fired"])


def test_what_if_replays_recent_orders(client, parties):
    earbuds_order(client, parties, 4)
    file_order(client, parties, 5)
    body = {"changes": {"test.deny.earbuds": DENY_EARBUDS}, "days": 30}
    r = client.post("/compliance/what-if", json=body, headers=parties["regulator"].headers)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["orders_replayed"] == 2 and out["current"] != out["proposed"]
    changed = [c for c in out["changes"] if c["after"] == "deny"]
    assert changed and changed[0]["order"]["order_no"] == "EB-4"
    assert any(x["rule_id"] == "test.deny.earbuds" for x in changed[0]["responsible"])
    r = client.post("/compliance/what-if", json=body, headers=parties["seller-a"].headers)
    assert r.status_code == 403


def test_sandbox_relaxes_within_its_limits_and_is_reported(client, parties):
    reg = parties["regulator"].headers
    client.put("/compliance/rules/test.deny.earbuds", json=DENY_EARBUDS, headers=reg)
    enrolment = ONE_EARBUDS_ORDER
    r = client.post("/compliance/sandboxes", json=enrolment, headers=parties["platform-a"].headers)
    assert r.status_code == 403
    r = client.post("/compliance/sandboxes", json=enrolment, headers=reg)
    assert r.status_code == 200, r.text
    first, _ = earbuds_order(client, parties, 6)
    second, _ = earbuds_order(client, parties, 7)
    outcomes = []
    for doc_id in (first, second):
        (d,) = client.get(f"/orders/{doc_id}/checks", headers=reg).json()["compliance"]
        outcomes.append((d["outcome"], d["sandbox"]["limits_crossed"] if d["sandbox"] else None))
    assert outcomes[0] == ("allow_sandbox", [])
    assert outcomes[1][0] == "deny" and outcomes[1][1][0].startswith("max_orders")
    report = client.get("/compliance/sandboxes/report", headers=reg).json()["firms"]
    activity = report["seller-a"]
    assert activity["orders_allowed_by_sandbox"] == 1 and activity["orders_stopped_by_limit"] == 1
    assert activity["relaxed_rules"] == {"test.deny.earbuds": 1}


def test_screening_lists_load_match_and_flag_orders(client, parties, rt):
    reg = parties["regulator"].headers
    content = SANCTIONS.read_bytes()
    r = client.post(
        "/screening/lists",
        params={"name": "synthetic", "source": "cbec synthetic test list"},
        content=content,
        headers=reg,
    )
    assert r.status_code == 200, r.text
    assert r.json()["entity_count"] > 5 and r.json()["format"] == "ftm"
    bad = client.post(
        "/screening/lists", params={"name": "x", "source": "y"}, content=b"nope", headers=reg
    )
    assert bad.status_code == 422
    names = {
        "names": [
            {"name": "Rostislav Zharkov", "birth_date": "1979-04-18"},
            {"name": "Жарков Ростислав"},
            {"name": "Jane Smith", "country": "GB"},
        ]
    }
    r = client.post("/screening/screen", json=names, headers=parties["platform-a"].headers)
    assert r.status_code == 200, r.text
    got = [(x["match"], x["entity_id"]) for x in r.json()["results"]]
    assert got[0] == (True, ROSTISLAV) and got[1] == (True, ROSTISLAV)
    assert got[2] == (False, None)
    # an order whose buyer is listed is flagged at ingest, and the result is logged
    doc_id, _ = file_order(client, parties, 8)  # an ordinary buyer: not listed
    rng = random.Random(9)
    listed = synthetic.order(rng, "platform-a", "seller-a", "CMP-LISTED")
    listed["buyer"] = listed["buyer"] | {"name": "Rostislav Yevgenyevich Zharkof"}  # a typo
    r = client.post("/orders", json=listed, headers=parties["seller-a"].headers)
    assert r.status_code == 201, r.text
    checks = client.get(f"/orders/{r.json()['id']}/checks", headers=reg).json()["screening"]
    buyer = next(c for c in checks if c["role"] == "buyer")
    assert buyer["match"] is True and buyer["entity_id"] == ROSTISLAV
    entry = json.loads(rt.ledger.entry(buyer["ledger_index"]).data)
    assert entry["type"] == "cbec.screening/v1" and "entity_id" not in entry
    # the entry commits to the entity (keyed hash) without naming it: the id spells his name
    assert entry["entity"] == rt.vault.blind_index("screening-entity", ROSTISLAV)
    assert not any(word in json.dumps(entry).lower() for word in ("rostislav", "zhark"))
    # the list's spelling is kept for the reviewer, the buyer's own spelling is not stored
    assert "Zharkov" in json.dumps(buyer["result"])
    assert "zharkof" not in json.dumps(buyer, ensure_ascii=False).lower()
    hits = client.get("/screening/hits", headers=reg).json()
    assert any(h["document_id"] == r.json()["id"] for h in hits)
    clean = client.get(f"/orders/{doc_id}/checks", headers=reg).json()["screening"]
    assert clean and not any(c["match"] for c in clean)


def test_a_platform_can_be_the_enrolled_firm(client, parties):
    reg = parties["regulator"].headers
    client.put("/compliance/rules/test.deny.earbuds", json=DENY_EARBUDS, headers=reg)
    enrolment = {
        "firm": "platform-a",
        "firm_role": "platform",
        "scope": {"direction": "import"},
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "relaxed_rules": ["test.deny.earbuds"],
    }
    assert client.post("/compliance/sandboxes", json=enrolment, headers=reg).status_code == 200
    doc_id, _ = earbuds_order(client, parties, 11)
    (d,) = client.get(f"/orders/{doc_id}/checks", headers=reg).json()["compliance"]
    assert d["outcome"] == "allow_sandbox" and d["sandbox"]["firm"] == "platform-a"


def test_malformed_requests_are_refused_with_the_field(client, parties):
    reg = parties["regulator"].headers
    enrolment = {
        "firm": "seller-a",
        "scope": {},
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "relaxed_kinds": ["deny"],
        "max_order_value": "5000",
    }
    r = client.post("/compliance/sandboxes", json=enrolment, headers=reg)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "max_order_value"
    r = client.post("/compliance/evaluate", json={"lines": [1], "currency": "CNY"}, headers=reg)
    assert r.status_code == 422
    content = SANCTIONS.read_bytes()
    client.post(
        "/screening/lists", params={"name": "syn", "source": "demo"}, content=content, headers=reg
    )
    r = client.post(
        "/screening/screen", json={"names": [{"name": "X", "birth_date": 1970}]}, headers=reg
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "names[0].birth_date"
    r = client.post("/analytics/replenishment", json={"stock": 5}, headers=reg)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "stock"

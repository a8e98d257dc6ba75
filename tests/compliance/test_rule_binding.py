"""Who a rule binds: a rule a platform puts decides only orders on that platform; the starter
rules and a regulator's rules decide every order. Filing, evaluation, what-if, sandboxes and
``GET /compliance/rules`` all keep to the same scope."""

from __future__ import annotations

import random

from cbec.demo import synthetic

DENY_EARBUDS = {
    "title": {"zh": "测试：禁止耳机", "en": "test: no earbuds"},
    "kind": "deny",
    "scope": {"direction": "import"},
    "match": [{"hs": ["851830"]}],
    "effective_from": "2020-01-01",
    "source": "test rule",
}
A_RULE = "platform-a.deny.earbuds"


def earbuds(platform: str, n: int) -> dict:
    item = next(c for c in synthetic.CATALOG if c["sku"] == "SZ-EB-01")
    return synthetic.order(random.Random(n), platform, "seller-a", f"BIND-{n}", [item])


def file(client, parties, order: dict) -> str:
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def decision(client, parties, doc_id: str) -> dict:
    reg = parties["regulator"].headers
    (found,) = client.get(f"/orders/{doc_id}/checks", headers=reg).json()["compliance"]
    return found


def fired(d: dict) -> set[str]:
    return {f["rule_id"] for f in d["fired"]}


def put(client, headers, rule_id: str, **changes):
    return client.put(
        f"/compliance/rules/{rule_id}",
        json=DENY_EARBUDS | {"id": rule_id} | changes,
        headers=headers,
    )


def test_a_platforms_deny_rule_does_not_change_an_order_on_another_platform(client, parties):
    a, b = parties["platform-a"].headers, parties["platform-b"].headers
    before = decision(client, parties, file(client, parties, earbuds("platform-b", 1)))
    r = put(client, a, A_RULE)
    assert r.status_code == 200, r.text
    assert "+platform-a@" in r.json()["ruleset_version"]  # the set of platform-a's orders
    # the attack: platform-a's deny rule must not touch an order on platform-b
    on_b = decision(client, parties, file(client, parties, earbuds("platform-b", 2)))
    assert on_b["outcome"] == before["outcome"] != "deny"
    assert A_RULE not in fired(on_b)
    digest = before["ruleset_version"]["id"].split("@sha256:")[1]
    assert on_b["ruleset_version"]["id"].endswith(f"@sha256:{digest}")  # the same content
    # ... and still works on platform-a's own orders
    on_a = decision(client, parties, file(client, parties, earbuds("platform-a", 3)))
    assert on_a["outcome"] == "deny" and A_RULE in fired(on_a)
    assert "+platform-a@" in on_a["ruleset_version"]["id"]
    # evaluation (nothing stored) keeps the same scope
    r = client.post("/compliance/evaluate", json=earbuds("platform-b", 4), headers=b)
    assert r.status_code == 200 and A_RULE not in fired(r.json())
    r = client.post("/compliance/evaluate", json=earbuds("platform-a", 5), headers=a)
    assert r.status_code == 200 and r.json()["outcome"] == "deny"
    r = client.post("/compliance/evaluate", json=earbuds("platform-a", 6), headers=b)
    assert r.status_code == 403 and r.json()["code"] == "platform_rules_not_yours"


def test_rules_in_force_show_each_platform_its_own(client, parties):
    a, b = parties["platform-a"].headers, parties["platform-b"].headers
    reg, seller = parties["regulator"].headers, parties["seller-a"].headers
    assert put(client, a, A_RULE).status_code == 200

    def ids(headers, **params):
        r = client.get("/compliance/rules", params=params, headers=headers)
        assert r.status_code == 200, r.text
        return r.json()["platform"], {x["id"] for x in r.json()["rules"]}

    assert ids(a) == ("platform-a", ids(a)[1]) and A_RULE in ids(a)[1]
    assert ids(b)[0] == "platform-b" and A_RULE not in ids(b)[1]
    assert ids(reg)[0] is None and A_RULE not in ids(reg)[1]  # what binds every platform
    assert A_RULE in ids(reg, platform="platform-a")[1]
    assert A_RULE in ids(seller, platform="platform-a")[1]  # a seller on platform-a
    r = client.get("/compliance/rules", params={"platform": "platform-a"}, headers=b)
    assert r.status_code == 403 and r.json()["code"] == "platform_rules_not_yours"
    assert "cn.prohibited.weapons" in ids(b)[1]  # starter rules bind everyone


def test_conflicts_are_checked_within_a_scope(client, parties):
    a, b = parties["platform-a"].headers, parties["platform-b"].headers
    reg = parties["regulator"].headers
    assert put(client, a, A_RULE).status_code == 200
    # platform-b's allow does not contradict platform-a's deny: they never decide one order
    r = put(client, b, "platform-b.allow.earbuds", kind="allow")
    assert r.status_code == 200, r.text
    assert put(client, b, "platform-b.deny.earbuds").status_code == 422  # its own set
    # a regulator's allow binds every platform, so it contradicts platform-a's deny
    r = put(client, reg, "reg.allow.earbuds", kind="allow")
    assert r.status_code == 422 and A_RULE in r.text
    # a regulator changing platform-a's rule keeps it bound to platform-a
    r = put(client, reg, A_RULE, source="amended by the regulator")
    assert r.status_code == 200, r.text
    on_b = decision(client, parties, file(client, parties, earbuds("platform-b", 7)))
    assert A_RULE not in fired(on_b)


def test_what_if_replays_each_order_under_its_own_platforms_rules(client, parties):
    a, b = parties["platform-a"].headers, parties["platform-b"].headers
    reg = parties["regulator"].headers
    file(client, parties, earbuds("platform-a", 8))
    file(client, parties, earbuds("platform-b", 9))
    proposal = {"changes": {A_RULE: DENY_EARBUDS | {"id": A_RULE}}, "days": 30}
    r = client.post("/compliance/what-if", json=proposal, headers=a)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["orders_replayed"] == 1  # platform-a sees its own orders only
    assert [c["order"]["platform"] for c in out["changes"]] == ["platform-a"]
    # the regulator replays both platforms: platform-a's proposed rule changes only its order
    r = client.post("/compliance/what-if", json=proposal | {"changes": {}}, headers=reg)
    assert r.status_code == 422  # at least one change
    assert put(client, a, A_RULE).status_code == 200
    retire = {"changes": {A_RULE: None}, "days": 30}
    out = client.post("/compliance/what-if", json=retire, headers=reg).json()
    assert out["orders_replayed"] == 2
    assert [(c["order"]["platform"], c["before"]) for c in out["changes"]] == [
        ("platform-a", "deny")
    ]
    # a platform may not propose changes to rules it could not make
    r = client.post("/compliance/what-if", json=retire, headers=b)
    assert r.status_code == 403 and r.json()["code"] == "rule_not_yours"


def test_a_sandbox_relaxes_a_platform_rule_only_where_it_binds(client, parties):
    a, reg = parties["platform-a"].headers, parties["regulator"].headers
    assert put(client, a, A_RULE).status_code == 200
    enrolment = {
        "firm": "seller-a",
        "firm_role": "seller",
        "scope": {"direction": "import"},
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "relaxed_rules": [A_RULE],
    }
    assert client.post("/compliance/sandboxes", json=enrolment, headers=reg).status_code == 200
    on_a = decision(client, parties, file(client, parties, earbuds("platform-a", 10)))
    assert on_a["outcome"] == "allow_sandbox"
    on_b = decision(client, parties, file(client, parties, earbuds("platform-b", 11)))
    assert on_b["outcome"] != "allow_sandbox" and A_RULE not in fired(on_b)

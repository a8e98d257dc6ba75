"""Who sees what: every endpoint × every role, against the policy in cbec.tenancy.access.

Another tenant's document must answer 404 — the same as a document that does not exist —
so that existence never leaks; personal information is clear only for the filer.
"""

from __future__ import annotations

import json
import random

import pytest

from cbec.demo import synthetic
from tests.conftest import ROSTER

ROLES = [name for name, _ in ROSTER]


@pytest.fixture
def world(client, parties):
    """Two sellers on two platforms, with payments, waybills and products for each."""
    rng = random.Random(11)
    o1 = synthetic.order(rng, "platform-a", "seller-a", "A-0001")
    o2 = synthetic.order(rng, "platform-b", "seller-b", "B-0001")
    ids = {}

    def post(path, who, body):
        r = client.post(path, json=body, headers=parties[who].headers)
        assert r.status_code == 201, r.text
        return r.json()["id"]

    ids["O1"] = post("/orders", "seller-a", o1)  # filed by the seller itself
    ids["O2"] = post("/orders", "platform-b", o2)  # filed by the platform for seller-b
    ids["P1"] = post("/payments", "pay-a", synthetic.payment(rng, o1, "TX-1"))
    ids["P2"] = post("/payments", "pay-a", synthetic.payment(rng, o2, "TX-2"))
    ids["W1"] = post("/waybills", "ship-a", synthetic.waybill(rng, o1, "WB-1"))
    ids["W2"] = post("/waybills", "ship-a", synthetic.waybill(rng, o2, "WB-2"))
    ids["R1"] = post("/products", "seller-a", synthetic.product(synthetic.CATALOG[0]))
    ids["R2"] = post("/products", "seller-b", synthetic.product(synthetic.CATALOG[3]))
    return ids


# document -> (path, filer, readers other than filer and regulator)
VISIBLE = {
    "O1": ("orders", "seller-a", {"platform-a"}),
    "O2": ("orders", "platform-b", {"seller-b"}),
    "P1": ("payments", "pay-a", {"platform-a", "seller-a"}),
    "P2": ("payments", "pay-a", {"platform-b", "seller-b"}),
    "W1": ("waybills", "ship-a", {"platform-a", "seller-a"}),
    "W2": ("waybills", "ship-a", {"platform-b", "seller-b"}),
    "R1": ("products", "seller-a", set()),
    "R2": ("products", "seller-b", set()),
}
FILERS = {
    "orders": {"seller-a", "seller-b", "platform-a", "platform-b"},
    "payments": {"pay-a"},
    "waybills": {"ship-a"},
    "products": {"seller-a", "seller-b"},
}


@pytest.mark.parametrize("role", ROLES)
def test_get_one(client, parties, world, role):
    for doc, (path, filer, readers) in VISIBLE.items():
        r = client.get(f"/{path}/{world[doc]}", headers=parties[role].headers)
        allowed = role == filer or role == "regulator" or role in readers
        assert r.status_code == (200 if allowed else 404), (doc, role, r.text)
        if allowed:
            assert r.json()["pii"] == ("clear" if role == filer else "masked")
        else:
            assert r.json()["code"] == "not_found"


@pytest.mark.parametrize("role", ROLES)
def test_list(client, parties, world, role):
    for path in FILERS:
        r = client.get(f"/{path}", headers=parties[role].headers)
        assert r.status_code == 200
        got = {item["id"] for item in r.json()["items"]}
        expected = {
            world[doc]
            for doc, (p, filer, readers) in VISIBLE.items()
            if p == path and (role == filer or role == "regulator" or role in readers)
        }
        assert got == expected, (path, role)


def _fresh(path: str, rng: random.Random, role: str) -> dict:
    if path == "orders":
        seller = "seller-a" if role.startswith("platform") else role
        platform = role if role.startswith("platform") else "platform-a"
        return synthetic.order(rng, platform, seller, f"N-{rng.randrange(10**9)}")
    base = synthetic.order(rng, "platform-a", "seller-a", f"N-{rng.randrange(10**9)}")
    if path == "payments":
        return synthetic.payment(rng, base, f"TX-{rng.randrange(10**9)}")
    if path == "waybills":
        return synthetic.waybill(rng, base, f"WB-{rng.randrange(10**9)}")
    return synthetic.product(synthetic.CATALOG[rng.randrange(len(synthetic.CATALOG))])


@pytest.mark.parametrize("role", ROLES)
def test_post_and_import_by_role(client, parties, role):
    rng = random.Random(role)
    for path, filers in FILERS.items():
        body = _fresh(path, rng, role)
        r = client.post(f"/{path}", json=body, headers=parties[role].headers)
        assert r.status_code == (201 if role in filers else 403), (path, role, r.text)
        if role not in filers:
            assert r.json()["code"] == "role_cannot_file"
        line = _fresh(path, rng, role)
        r = client.post(
            f"/{path}/import",
            content=json.dumps(line, ensure_ascii=False) + "\n",
            headers={**parties[role].headers, "Content-Type": "application/x-ndjson"},
        )
        assert r.status_code == (200 if role in filers else 403), (path, role, r.text)


@pytest.mark.parametrize("role", ROLES)
def test_reveal_only_for_regulator_and_audited(client, parties, world, role):
    for doc, (path, _filer, _readers) in VISIBLE.items():
        r = client.post(
            f"/{path}/{world[doc]}/reveal",
            json={"reason": "dispute case 2026-117 under review"},
            headers=parties[role].headers,
        )
        if role == "regulator":
            assert r.status_code == 200, r.text
            assert r.json()["pii"] == "clear"
        else:
            assert r.status_code == 403
    audit = client.get("/audit/reveals", headers=parties[role].headers)
    if role == "regulator":
        assert audit.status_code == 200
        assert {a["document_id"] for a in audit.json()} == set(world.values())
        assert all(a["tenant"] == "regulator" for a in audit.json())
    else:
        assert audit.status_code == 403


def test_reveal_gives_clear_values_that_masked_view_hides(client, parties, world):
    reg = parties["regulator"].headers
    masked = client.get(f"/orders/{world['O1']}", headers=reg).json()["document"]["buyer"]
    clear = client.post(
        f"/orders/{world['O1']}/reveal",
        json={"reason": "tax audit of order A-0001"},
        headers=reg,
    ).json()["document"]["buyer"]
    owner = client.get(f"/orders/{world['O1']}", headers=parties["seller-a"].headers).json()
    assert clear == owner["document"]["buyer"]
    assert masked["id_number"] == clear["id_number"][:4] + "*" * 10 + clear["id_number"][-4:]
    assert masked["phone"] == clear["phone"][:3] + "****" + clear["phone"][-4:]


def test_reveal_needs_a_reason(client, parties, world):
    r = client.post(
        f"/orders/{world['O1']}/reveal", json={"reason": "x"}, headers=parties["regulator"].headers
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "reason"


def test_reveal_of_unknown_document_is_404(client, parties, world):
    r = client.post(
        "/orders/ffffffffffffffffffffffffffffffff/reveal",
        json={"reason": "looking for a missing order"},
        headers=parties["regulator"].headers,
    )
    assert r.status_code == 404


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/orders"),
        ("GET", "/orders/x"),
        ("POST", "/orders"),
        ("POST", "/orders/import"),
        ("GET", "/payments"),
        ("GET", "/waybills"),
        ("GET", "/products"),
        ("GET", "/me"),
        ("GET", "/audit/reveals"),
        ("POST", "/orders/x/reveal"),
    ],
)
@pytest.mark.parametrize(
    "auth", [None, "Bearer nonsense", "Bearer cbec_abcdef012345_wrongsecret", "Basic Zm9vOmJhcg=="]
)
def test_unauthenticated(client, parties, method, path, auth):
    headers = {"Authorization": auth} if auth else {}
    r = client.request(method, path, headers=headers, json={})
    assert r.status_code == 401
    assert r.json()["code"] == "unauthenticated"


def test_key_of_one_tenant_cannot_be_completed_into_another(client, parties):
    a, b = parties["seller-a"].key, parties["seller-b"].key
    key_id_a = a.split("_")[1]
    secret_b = b.split("_", 2)[2]
    r = client.get("/me", headers={"Authorization": f"Bearer cbec_{key_id_a}_{secret_b}"})
    assert r.status_code == 401


def test_me(client, parties):
    r = client.get("/me", headers=parties["pay-a"].headers)
    assert r.json() == {"name": "pay-a", "role": "payment"}

"""API key management: a tenant lists, creates, revokes and rotates its own keys over the API,
the operator any tenant's from the command line. Revoked and expired keys answer 401 like
unknown ones; tokens are shown once and only their SHA-256 is stored; every change is audited
(never the secret) and logged in the evidence ledger; the last use is written at most once a
minute, so authentication stays one read."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from cbec.services import keys as svc
from cbec.store.caches import KEY_TTL_S
from cbec.store.key_store import KeyStore
from cbec.store.tables import api_key_audit, api_keys
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant


def _me(client, token: str) -> int:
    return client.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_create_list_rotate_revoke_over_the_api(client, parties, rt):
    h = parties["seller-a"].headers
    r = client.post("/keys", json={"label": "warehouse"}, headers=h)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["token"].startswith(f"cbec_{made['key_id']}_") and made["active"] is True
    assert _me(client, made["token"]) == 200
    listed = client.get("/keys", headers=h).json()
    assert [k["label"] for k in listed] == ["created with tenant", "warehouse"]
    assert all("token" not in k and "secret_hash" not in k for k in listed)

    rotated = client.post(f"/keys/{made['key_id']}/rotate", headers=h).json()
    assert rotated["key_id"] == made["key_id"] and rotated["token"] != made["token"]
    assert _me(client, made["token"]) == 401  # the old secret stops at once
    assert _me(client, rotated["token"]) == 200

    r = client.delete(f"/keys/{made['key_id']}", headers=h)
    assert r.status_code == 200 and r.json()["active"] is False and r.json()["revoked_at"]
    assert _me(client, rotated["token"]) == 401
    assert client.delete(f"/keys/{made['key_id']}", headers=h).status_code == 404
    assert client.post(f"/keys/{made['key_id']}/rotate", headers=h).status_code == 404

    # only the SHA-256 of the secret is stored, and no audit row holds either
    with rt.engine.connect() as conn:
        stored = conn.execute(select(api_keys).where(api_keys.c.key_id == made["key_id"])).one()
        audit = conn.execute(select(api_key_audit).order_by(api_key_audit.c.id)).all()
    secret = rotated["token"].split("_", 2)[2]
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert [(a.key_id, a.actor, a.action) for a in audit] == [
        (made["key_id"], "seller-a", "create"),
        (made["key_id"], "seller-a", "rotate"),
        (made["key_id"], "seller-a", "revoke"),
    ]
    for a in audit:
        entry = json.loads(rt.ledger.entry(a.ledger_index).data)
        assert entry["type"] == "cbec.keys/v1" and entry["tenants"] == ["seller-a"]
        assert (entry["api_key"], entry["action"], entry["by"]) == (a.key_id, a.action, a.actor)
        raw = rt.ledger.entry(a.ledger_index).data.decode()
        assert secret not in raw and stored.secret_hash not in raw


def test_a_tenant_reaches_only_its_own_keys(client, parties, rt):
    mine = client.post("/keys", json={}, headers=parties["seller-a"].headers).json()["key_id"]
    for other in ("seller-b", "platform-a", "regulator"):
        h = parties[other].headers
        assert mine not in {k["key_id"] for k in client.get("/keys", headers=h).json()}
        for method, path in (("DELETE", f"/keys/{mine}"), ("POST", f"/keys/{mine}/rotate")):
            r = client.request(method, path, headers=h)
            assert r.status_code == 404 and r.json()["code"] == "not_found", (other, path)
    # a regulator's own keys are out of the sellers' and the other regulators' reach
    with rt.uow(write=True) as uow:
        _, other_regulator = create_tenant(uow.repo, "regulator-b", Role.REGULATOR)
        uow.commit()
    reg = client.post("/keys", json={}, headers=parties["regulator"].headers).json()["key_id"]
    for token in (parties["seller-a"].key, other_regulator):
        r = client.delete(f"/keys/{reg}", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 404
    assert _me(client, parties["seller-a"].key) == 200


def test_the_last_active_key_is_not_revoked_by_its_tenant(client, parties):
    h = parties["pay-a"].headers
    (only,) = client.get("/keys", headers=h).json()
    r = client.delete(f"/keys/{only['key_id']}", headers=h)
    assert r.status_code == 409 and r.json()["code"] == "key_last_active"
    assert _me(client, parties["pay-a"].key) == 200


def test_an_expired_key_answers_401_like_an_unknown_one(client, parties, rt, key_clock):
    h = parties["ship-a"].headers
    soon = datetime.now(UTC) + timedelta(days=1)
    made = client.post("/keys", json={"expires_at": soon.isoformat()}, headers=h).json()
    assert _me(client, made["token"]) == 200
    with rt.engine.begin() as conn:  # let a day pass for this key
        conn.execute(
            api_keys.update()
            .where(api_keys.c.key_id == made["key_id"])
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    key_clock.advance(KEY_TTL_S)  # a change made beside cbec is seen within a second
    r = client.get("/me", headers={"Authorization": f"Bearer {made['token']}"})
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
    listed = {k["key_id"]: k for k in client.get("/keys", headers=h).json()}
    assert listed[made["key_id"]]["active"] is False
    assert client.post(f"/keys/{made['key_id']}/rotate", headers=h).status_code == 404


def test_an_expiry_in_the_past_or_without_zone_is_refused(client, parties):
    h = parties["ship-a"].headers
    r = client.post("/keys", json={"expires_at": "2020-01-01T00:00:00Z"}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["rule"] == "key_expiry_past"
    r = client.post("/keys", json={"expires_at": "2099-01-01T00:00:00"}, headers=h)
    assert r.status_code == 422


def test_last_use_is_written_at_most_once_a_minute(rt, parties):
    token = parties["seller-b"].key
    t0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def last_used() -> datetime | None:
        with rt.uow() as uow:
            (k,) = KeyStore(uow.conn).of_tenant(parties["seller-b"].viewer.tenant_id)
        return k.last_used_at

    assert svc.authenticate(rt.uow(), token, at=t0).name == "seller-b"
    assert last_used() == t0
    assert svc.authenticate(rt.uow(), token, at=t0 + timedelta(seconds=59)) is not None
    assert last_used() == t0  # within the minute: nothing written
    assert svc.authenticate(rt.uow(), token, at=t0 + timedelta(seconds=61)) is not None
    assert last_used() == t0 + timedelta(seconds=61)
    forged = token[:-2] + ("yy" if token.endswith("xx") else "xx")  # always another secret
    assert svc.authenticate(rt.uow(), forged, at=t0 + timedelta(hours=1)) is None
    assert last_used() == t0 + timedelta(seconds=61)  # a wrong secret is no use


def test_the_operator_manages_any_tenants_keys(cli, client, parties, rt, key_clock):
    """The command line is another process: the server honours its changes within a
    second (``key_clock.advance``), not at once as it does its own."""
    r = cli("admin", "key", "create", "platform-b", "--label", "ops", "--format", "json")
    assert r.exit_code == 0, r.output
    made = json.loads(r.stdout)
    assert _me(client, made["token"]) == 200
    r = cli("admin", "key", "list", "platform-b", "--format", "json")
    assert made["key_id"] in {k["key_id"] for k in json.loads(r.stdout)}
    r = cli("admin", "key", "rotate", "platform-b", made["key_id"], "--format", "json")
    assert r.exit_code == 0, r.output
    rotated = json.loads(r.stdout)["token"]
    key_clock.advance(KEY_TTL_S)
    assert _me(client, made["token"]) == 401 and _me(client, rotated) == 200
    r = cli("admin", "key", "revoke", "platform-b", made["key_id"])
    assert r.exit_code == 0 and made["key_id"] in r.stdout
    key_clock.advance(KEY_TTL_S)
    assert _me(client, rotated) == 401
    # the operator may revoke a tenant's last key (an incident), and is audited as such
    first = parties["platform-b"].key.split("_")[1]
    assert cli("admin", "key", "revoke", "platform-b", first).exit_code == 0
    key_clock.advance(KEY_TTL_S)
    assert _me(client, parties["platform-b"].key) == 401
    with rt.engine.connect() as conn:
        actors = {a.actor for a in conn.execute(select(api_key_audit))}
    assert actors == {"operator"}
    r = cli("admin", "key", "revoke", "no-such-tenant", first)
    assert r.exit_code == 2
    r = cli("admin", "key", "create", "platform-b", "--expires", "tomorrow")
    assert r.exit_code == 2 and "expires_at" in r.stderr
    r = cli("admin", "key", "rotate", "platform-b", "\udcff\x1b[2J")
    assert r.exit_code == 2 and "\x1b" not in r.output


def test_the_operator_reads_keys_as_text(cli, parties):
    expiry = ("--expires", "2099-01-01T00:00Z")
    r = cli("admin", "key", "create", "seller-a", "--label", "till 3", *expiry)
    assert r.exit_code == 0, r.output
    token = r.stdout.rsplit(": ", 1)[1].strip()
    assert token.startswith("cbec_") and "not shown again" in r.stdout
    r = cli("admin", "key", "list", "seller-a")
    assert r.exit_code == 0 and "till 3" in r.stdout and "2099-01-01" in r.stdout


def test_a_tenant_reads_the_audit_of_its_own_keys_only(cli, client, parties, rt):
    made = client.post("/keys", json={}, headers=parties["seller-a"].headers).json()
    client.post(f"/keys/{made['key_id']}/rotate", headers=parties["seller-a"].headers)
    with rt.engine.connect() as conn:  # the oracle: the audit table itself
        rows = conn.execute(
            select(api_key_audit)
            .where(api_key_audit.c.key_id == made["key_id"])
            .order_by(api_key_audit.c.id)
        ).all()
    mine = client.get("/keys/audit", headers=parties["seller-a"].headers).json()
    assert [(e["key_id"], e["actor"], e["action"], e["ledger_index"]) for e in mine] == [
        (r.key_id, r.actor, r.action, r.ledger_index) for r in rows
    ]
    for other in ("seller-b", "platform-a", "regulator"):
        theirs = client.get("/keys/audit", headers=parties[other].headers).json()
        assert made["key_id"] not in {e["key_id"] for e in theirs}, other
    r = cli("admin", "key", "audit", "seller-a")
    assert r.exit_code == 0
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(e["key_id"], e["action"]) for e in lines] == [(x.key_id, x.action) for x in rows]

"""Authentication without a database read per request: what a token was found to be is kept
for at most a second (:class:`cbec.store.caches.KeyCache`, keyed by the token's SHA-256).
A key revoked or rotated by this process stops working at once; by another process (here a
write beside cbec's services, as the command line or a second server makes), within a second
— shown with the cache's clock moved by hand, not by sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cbec.services import keys as svc
from cbec.store.caches import KEY_TTL_S, caches_of
from cbec.store.key_store import KeyStore
from cbec.store.tables import api_keys
from cbec.trade.ports import now
from tests.statements import by_shape, statements


def _me(client, token: str) -> int:
    return client.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code


def _revoke_elsewhere(rt, party) -> None:
    """Revoke ``party``'s key as another process would: in the database, behind the cache."""
    key_id = party.key.split("_")[1]
    with rt.uow(write=True) as uow:
        assert KeyStore(uow.conn).revoke(party.viewer.tenant_id, key_id, now())
        uow.commit()


def test_a_known_key_is_not_read_again_within_the_second(rt, client, parties, key_clock):
    token = parties["seller-a"].key
    assert _me(client, token) == 200
    with statements(rt.engine) as seen:
        assert _me(client, token) == 200
    assert not [s for s in by_shape(seen) if s.startswith("SELECT tenants")], seen
    key_clock.advance(KEY_TTL_S)
    with statements(rt.engine) as seen:
        assert _me(client, token) == 200
    assert by_shape(seen)["SELECT tenants"] == 1  # read again once the second is over


def test_a_key_revoked_elsewhere_fails_within_a_second(rt, client, parties, key_clock):
    party = parties["seller-b"]
    assert _me(client, party.key) == 200
    _revoke_elsewhere(rt, party)
    key_clock.advance(KEY_TTL_S * 0.9)
    assert _me(client, party.key) == 200  # still honoured: the cache is under a second old
    key_clock.advance(KEY_TTL_S * 0.1)
    assert _me(client, party.key) == 401
    assert _me(client, party.key) == 401  # a refusal is not remembered as a success


def test_a_key_revoked_or_rotated_here_fails_at_once(client, parties, key_clock):
    h = parties["seller-a"].headers
    made = client.post("/keys", json={"label": "till"}, headers=h).json()
    assert _me(client, made["token"]) == 200
    rotated = client.post(f"/keys/{made['key_id']}/rotate", headers=h).json()["token"]
    assert _me(client, made["token"]) == 401  # the clock has not moved
    assert _me(client, rotated) == 200
    assert client.delete(f"/keys/{made['key_id']}", headers=h).status_code == 200
    assert _me(client, rotated) == 401


def test_a_cached_key_still_expires_on_time(rt, parties, key_clock):
    party = parties["ship-a"]
    expires = datetime(2030, 1, 1, tzinfo=UTC)
    with rt.uow(write=True) as uow:
        key_id = party.key.split("_")[1]
        uow.conn.execute(
            api_keys.update().where(api_keys.c.key_id == key_id).values(expires_at=expires)
        )
        uow.commit()
    before = expires - timedelta(seconds=1)
    assert svc.authenticate(rt.uow(), party.key, at=before) is not None  # cached now
    assert svc.authenticate(rt.uow(), party.key, at=expires) is None  # the clock has not moved


def test_the_cache_keeps_no_token_and_tells_tokens_apart(rt, parties, key_clock):
    token = parties["seller-a"].key
    assert svc.authenticate(rt.uow(), token) is not None
    cache = caches_of(rt.engine).keys
    assert token not in repr(cache._found)  # keyed by the token's digest
    forged = token[:-2] + ("yy" if token.endswith("xx") else "xx")
    assert cache.get(forged) is None
    assert svc.authenticate(rt.uow(), forged) is None

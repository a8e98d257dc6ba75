"""Use cases of API key management: a tenant lists, creates, revokes and rotates its own keys
over the API; the operator does the same for any tenant from the command line.

A key is ``cbec_<key id>_<secret>`` (:mod:`cbec.tenancy.apikeys`): the token is shown once,
only the SHA-256 of its secret is stored. Every change is audited (who, when, which key id —
never the secret) and logged in the evidence ledger. A revoked or expired key answers 401 like
an unknown one (RFC 6750 §3.1 ``invalid_token``), and a tenant reaches no key but its own: any
other key id is not found, as a missing one is (OWASP API1:2023, BOLA).

Authentication is one read at most: what it found for a token is kept for up to a second
(:class:`cbec.store.caches.KeyCache`), so a key revoked by another process stops working
within a second — and at once when revoked or rotated by this one; the last use of a key is
written at most once a minute (:data:`TOUCH_EVERY`), on the first request that finds the
recorded one older.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy.exc import OperationalError

from cbec.errors import Busy, Conflict, DocumentInvalid, NotFound, Violation
from cbec.services.evidence import log_event
from cbec.store.caches import caches_of
from cbec.store.key_store import KeyRow, KeyStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy import apikeys
from cbec.tenancy.access import Viewer
from cbec.tenancy.records import TenantRow
from cbec.trade.ports import now
from cbec.trade.types import Text

KEYS_ENTRY_TYPE = "cbec.keys/v1"
TOUCH_EVERY = timedelta(minutes=1)
OPERATOR = "operator"  # the actor of changes made from the command line
# compared against when the key id is unknown, so that an unknown id costs the same hash
_NO_HASH = "0" * 64


class NewKey(BaseModel):
    """A key to create: a label to recognise it by and, optionally, when it expires."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: Text(64) | None = Field(None, description="What the key is for, e.g. `warehouse`")
    expires_at: AwareDatetime | None = Field(
        None, description="When the key stops working (RFC 3339, with a time zone); none: never"
    )


class KeyView(BaseModel):
    """A key as its tenant sees it: never the secret nor its hash."""

    key_id: str = Field(description="The public part of the token, `cbec_<key_id>_…`")
    label: str | None
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None = Field(
        description="To the minute: written at most once a minute"
    )
    revoked_at: datetime | None
    active: bool = Field(description="Neither revoked nor expired")


class KeyEvent(BaseModel):
    """One audited change of a key: who, when, what — never the secret nor its hash."""

    at: datetime
    key_id: str
    actor: str = Field(description="The tenant that made the change, or `operator`")
    action: str = Field(description="create, revoke or rotate")
    ledger_index: int | None = Field(description="The change's entry in the evidence log")


class IssuedKey(KeyView):
    """A key just created or rotated, with its token — shown this once."""

    token: str = Field(description="`Authorization: Bearer <token>`; shown once, not stored")
    ledger_index: int | None = Field(description="Where the change was logged (RFC 9162 index)")


class KeyRevoked(KeyView):
    ledger_index: int | None = Field(description="Where the change was logged (RFC 9162 index)")


def known_caller(uow: UnitOfWork, token: str | None, at: datetime | None = None) -> Viewer | None:
    """The caller a token stands for when this process authenticated it under a second ago
    and nothing needs writing — no read, no write, so the API answers it on its event loop
    without a thread hop. None means "ask :func:`authenticate`", not "refused"."""
    parsed = apikeys.parse(token) if token else None
    if parsed is None:
        return None
    at = at or now()
    found = caches_of(uow.engine).keys.get(token)
    if found is None or (found.expires_at is not None and found.expires_at <= at):
        return None
    if found.last_used_at is None or found.last_used_at <= at - TOUCH_EVERY:
        return None  # the last use is due to be recorded: authenticate() writes it
    return Viewer(found.tenant.id, found.tenant.name, found.tenant.role, key_id=parsed[0])


def authenticate(uow: UnitOfWork, token: str | None, at: datetime | None = None) -> Viewer | None:
    """The tenant a bearer token (RFC 6750 §2.1) belongs to, or None — for a malformed,
    unknown, revoked or expired key or a wrong secret alike. Records the key's use when the
    recorded one is over a minute old (a write only then)."""
    parsed = apikeys.parse(token) if token else None
    if parsed is None:
        return None
    key_id, secret = parsed
    at = at or now()
    cache = caches_of(uow.engine).keys
    found = cache.get(token)
    if found is not None and found.expires_at is not None and found.expires_at <= at:
        return None  # expired since it was cached
    if found is None:
        with uow:
            found = KeyStore(uow.conn).active(key_id, at)
        if not apikeys.matches(secret, found.secret_hash if found else _NO_HASH) or found is None:
            return None
        cache.put(token, key_id, found)
    if found.last_used_at is None or found.last_used_at <= at - TOUCH_EVERY:
        # Best effort: the last use is a convenience, and a request must never wait behind a
        # bulk import's write lock (or fail) to record it; a later request records it.
        with contextlib.suppress(OperationalError, Busy), uow.writing(wait_ms=0):
            KeyStore(uow.conn).touch(key_id, at, unless_since=at - TOUCH_EVERY)
            uow.commit()
            cache.update(token, replace(found, last_used_at=at))
    return Viewer(found.tenant.id, found.tenant.name, found.tenant.role, key_id=key_id)


# --- a tenant's own keys (the API) ---


def list_keys(uow: UnitOfWork, caller: Viewer) -> list[KeyView]:
    """The caller's keys, oldest first, revoked and expired ones included."""
    with uow:
        rows = KeyStore(uow.conn).of_tenant(caller.tenant_id)
    return [_view(r, now()) for r in rows]


def create_key(uow: UnitOfWork, caller: Viewer, req: NewKey) -> IssuedKey:
    return _create(uow, _tenant(caller), caller.name, req)


def revoke_key(uow: UnitOfWork, caller: Viewer, key_id: str) -> KeyRevoked:
    """Revoke one of the caller's keys — not its last active one (it would lock itself out;
    the operator can still do it)."""
    return _revoke(uow, _tenant(caller), caller.name, key_id, keep_one=True)


def rotate_key(uow: UnitOfWork, caller: Viewer, key_id: str) -> IssuedKey:
    return _rotate(uow, _tenant(caller), caller.name, key_id)


def key_audit(uow: UnitOfWork, caller: Viewer) -> list[KeyEvent]:
    """Every change of the caller's keys, oldest first."""
    with uow:
        rows = KeyStore(uow.conn).audit_of_tenant(caller.tenant_id)
    return [KeyEvent.model_validate(r) for r in rows]


# --- any tenant's keys (the operator, from the command line) ---


def operator_list_keys(uow: UnitOfWork, tenant_name: str) -> list[KeyView]:
    with uow:
        rows = KeyStore(uow.conn).of_tenant(_named(uow, tenant_name).id)
    return [_view(r, now()) for r in rows]


def operator_key_audit(uow: UnitOfWork, tenant_name: str) -> list[KeyEvent]:
    with uow:
        rows = KeyStore(uow.conn).audit_of_tenant(_named(uow, tenant_name).id)
    return [KeyEvent.model_validate(r) for r in rows]


def operator_create_key(uow: UnitOfWork, tenant_name: str, req: NewKey) -> IssuedKey:
    with uow:
        tenant = _named(uow, tenant_name)
    return _create(uow, tenant, OPERATOR, req)


def operator_revoke_key(uow: UnitOfWork, tenant_name: str, key_id: str) -> KeyRevoked:
    with uow:
        tenant = _named(uow, tenant_name)
    return _revoke(uow, tenant, OPERATOR, key_id, keep_one=False)


def operator_rotate_key(uow: UnitOfWork, tenant_name: str, key_id: str) -> IssuedKey:
    with uow:
        tenant = _named(uow, tenant_name)
    return _rotate(uow, tenant, OPERATOR, key_id)


# --- shared steps ---


def _tenant(caller: Viewer) -> TenantRow:
    return TenantRow(caller.tenant_id, caller.name, caller.role)


def _named(uow: UnitOfWork, name: str) -> TenantRow:
    tenant = uow.repo.tenant_by_name(name)
    if tenant is None:
        raise NotFound("not_found", {"kind": "tenant"})
    return tenant


def _view(row: KeyRow, at: datetime) -> KeyView:
    active = row.revoked_at is None and (row.expires_at is None or row.expires_at > at)
    return KeyView(
        key_id=row.key_id,
        label=row.label,
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
        active=active,
    )


def _record(
    uow: UnitOfWork, tenant: TenantRow, actor: str, action: str, key_id: str, at: datetime
) -> int | None:
    """Audit and log a change of ``key_id`` (inside the caller's write transaction)."""
    index = log_event(
        uow,
        KEYS_ENTRY_TYPE,
        at=at,
        tenants=[tenant.name],
        body={"api_key": key_id, "action": action, "by": actor},
    )
    KeyStore(uow.conn).audit(at, key_id, tenant.id, actor, action, index)
    return index


def _create(uow: UnitOfWork, tenant: TenantRow, actor: str, req: NewKey) -> IssuedKey:
    at = now()
    if req.expires_at is not None and req.expires_at <= at:
        raise DocumentInvalid([Violation("expires_at", "key_expiry_past", {})])
    issued = apikeys.issue()
    with uow.writing():
        store = KeyStore(uow.conn)
        store.add(tenant.id, issued.key_id, issued.secret_hash, req.label, at, req.expires_at)
        index = _record(uow, tenant, actor, "create", issued.key_id, at)
        row = store.get(tenant.id, issued.key_id)
        uow.commit()
    assert row is not None
    return IssuedKey(**_view(row, at).model_dump(), token=issued.token, ledger_index=index)


def _revoke(
    uow: UnitOfWork, tenant: TenantRow, actor: str, key_id: str, *, keep_one: bool
) -> KeyRevoked:
    at = now()
    with uow.writing():
        store = KeyStore(uow.conn)
        row = store.get(tenant.id, key_id)
        if row is None or row.revoked_at is not None:
            raise NotFound("not_found", {"kind": "api_key"})
        live = _view(row, at).active
        if keep_one and live and store.count_live(tenant.id, at) <= 1:
            raise Conflict("key_last_active", {})
        store.revoke(tenant.id, key_id, at)
        index = _record(uow, tenant, actor, "revoke", key_id, at)
        row = store.get(tenant.id, key_id)
        uow.commit()
    caches_of(uow.engine).keys.forget_key(key_id)  # this process stops honouring it at once
    assert row is not None
    return KeyRevoked(**_view(row, at).model_dump(), ledger_index=index)


def _rotate(uow: UnitOfWork, tenant: TenantRow, actor: str, key_id: str) -> IssuedKey:
    """A new secret under the same key id; the old secret stops working at once."""
    at = now()
    issued = apikeys.reissue(key_id)
    with uow.writing():
        store = KeyStore(uow.conn)
        if not store.replace_secret(tenant.id, key_id, issued.secret_hash, at):
            raise NotFound("not_found", {"kind": "api_key"})
        index = _record(uow, tenant, actor, "rotate", key_id, at)
        row = store.get(tenant.id, key_id)
        uow.commit()
    caches_of(uow.engine).keys.forget_key(key_id)  # the old secret stops working at once
    assert row is not None
    return IssuedKey(**_view(row, at).model_dump(), token=issued.token, ledger_index=index)

"""The rows of API key management: a tenant's keys (never their secrets, only SHA-256 hashes,
see :mod:`cbec.tenancy.apikeys`), their expiry and last use, and the audit of every change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from cbec.store.tables import api_key_audit, api_keys, tenants
from cbec.tenancy.records import TenantRow
from cbec.tenancy.roles import Role


@dataclass(frozen=True)
class KeyRow:
    key_id: str
    tenant_id: int
    label: str | None
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class ActiveKey:
    """What authentication needs of a key, in one read: its owner, the hash to compare and
    when it was last seen used (to touch it at most once a minute)."""

    tenant: TenantRow
    secret_hash: str
    last_used_at: datetime | None
    expires_at: datetime | None = None  # kept with a cached look-up, which must honour it


def _live(at: datetime):
    """Not revoked and not expired at ``at``."""
    return and_(
        api_keys.c.revoked_at.is_(None),
        or_(api_keys.c.expires_at.is_(None), api_keys.c.expires_at > at),
    )


def _row(r) -> KeyRow:
    return KeyRow(
        r.key_id, r.tenant_id, r.label, r.created_at, r.expires_at, r.last_used_at, r.revoked_at
    )


class KeyStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def active(self, key_id: str, at: datetime) -> ActiveKey | None:
        q = (
            select(tenants, api_keys.c.secret_hash, api_keys.c.last_used_at, api_keys.c.expires_at)
            .join(api_keys, api_keys.c.tenant_id == tenants.c.id)
            .where(api_keys.c.key_id == key_id, _live(at))
        )
        r = self.conn.execute(q).first()
        if r is None:
            return None
        tenant = TenantRow(r.id, r.name, Role(r.role))
        return ActiveKey(tenant, r.secret_hash, r.last_used_at, r.expires_at)

    def touch(self, key_id: str, at: datetime, unless_since: datetime) -> None:
        """Record a use at ``at`` unless one was recorded after ``unless_since`` (so that
        concurrent requests write it once)."""
        self.conn.execute(
            update(api_keys)
            .where(
                api_keys.c.key_id == key_id,
                or_(api_keys.c.last_used_at.is_(None), api_keys.c.last_used_at < unless_since),
            )
            .values(last_used_at=at)
        )

    def of_tenant(self, tenant_id: int) -> list[KeyRow]:
        q = select(api_keys).where(api_keys.c.tenant_id == tenant_id).order_by(api_keys.c.id)
        return [_row(r) for r in self.conn.execute(q)]

    def get(self, tenant_id: int, key_id: str) -> KeyRow | None:
        """The tenant's key ``key_id``; None for another tenant's as for a missing one."""
        q = select(api_keys).where(api_keys.c.key_id == key_id, api_keys.c.tenant_id == tenant_id)
        r = self.conn.execute(q).first()
        return _row(r) if r else None

    def add(
        self,
        tenant_id: int,
        key_id: str,
        secret_hash: str,
        label: str | None,
        at: datetime,
        expires_at: datetime | None,
    ) -> None:
        self.conn.execute(
            insert(api_keys).values(
                key_id=key_id,
                tenant_id=tenant_id,
                secret_hash=secret_hash,
                label=label,
                created_at=at,
                expires_at=expires_at,
            )
        )

    def revoke(self, tenant_id: int, key_id: str, at: datetime) -> bool:
        """Revoke a key not yet revoked; False when there is none to revoke."""
        done = self.conn.execute(
            update(api_keys)
            .where(
                api_keys.c.key_id == key_id,
                api_keys.c.tenant_id == tenant_id,
                api_keys.c.revoked_at.is_(None),
            )
            .values(revoked_at=at)
        )
        return done.rowcount == 1

    def replace_secret(self, tenant_id: int, key_id: str, secret_hash: str, at: datetime) -> bool:
        """Give a live key a new secret (the old one stops working); False if none is live."""
        done = self.conn.execute(
            update(api_keys)
            .where(api_keys.c.key_id == key_id, api_keys.c.tenant_id == tenant_id, _live(at))
            .values(secret_hash=secret_hash)
        )
        return done.rowcount == 1

    def count_live(self, tenant_id: int, at: datetime) -> int:
        q = select(func.count()).where(api_keys.c.tenant_id == tenant_id, _live(at))
        return int(self.conn.execute(q).scalar_one())

    def audit(
        self,
        at: datetime,
        key_id: str,
        tenant_id: int,
        actor: str,
        action: str,
        ledger_index: int | None,
    ) -> None:
        self.conn.execute(
            insert(api_key_audit).values(
                at=at,
                key_id=key_id,
                tenant_id=tenant_id,
                actor=actor,
                action=action,
                ledger_index=ledger_index,
            )
        )

    def audit_of_tenant(self, tenant_id: int) -> list[dict]:
        q = (
            select(api_key_audit)
            .where(api_key_audit.c.tenant_id == tenant_id)
            .order_by(api_key_audit.c.id)
        )
        return [dict(r._mapping) for r in self.conn.execute(q)]

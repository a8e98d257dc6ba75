"""SQL of the privacy compliance report (:mod:`cbec.services.privacy_report`): the reveal
audit of a period grouped by who revealed, and the people and API keys of each tenant by role.

Every query takes the tenant it is scoped to, or ``None`` for every tenant (the regulator's
report); nothing here decides who may ask."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection

from cbec.store.tables import api_keys, reveal_audit, tenants, users


@dataclass(frozen=True)
class RevealGroup:
    tenant: str
    role: str  # the user's role within its tenant, or "api_key"
    user: str | None
    key_id: str | None
    reveals: int
    documents: int
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Accounts:
    tenant: str
    tenant_role: str
    role: str  # admin | operator | viewer | api_key
    count: int


class PrivacyReportStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def reveals(self, tenant_id: int | None, start: datetime, end: datetime) -> list[RevealGroup]:
        """Reveals made in ``[start, end)`` by ``tenant_id``'s users and keys (every tenant's
        for ``None``), grouped by tenant, role, user and key."""
        r = reveal_audit
        q = (
            select(
                r.c.document_id, r.c.fields, r.c.key_id, tenants.c.name, users.c.login, users.c.role
            )
            .join(tenants, tenants.c.id == r.c.tenant_id)
            .outerjoin(users, users.c.id == r.c.user_id)
            .where(r.c.at >= start, r.c.at < end)
        )
        if tenant_id is not None:
            q = q.where(r.c.tenant_id == tenant_id)
        groups: dict[tuple, tuple[int, set[str], set[str]]] = {}
        for row in self.conn.execute(q):
            role = row.role if row.login is not None else "api_key"
            key = (row.name, role, row.login, None if row.login is not None else row.key_id)
            count, docs, fields = groups.get(key, (0, set(), set()))
            fields |= set(json.loads(row.fields))
            groups[key] = (count + 1, docs | {row.document_id}, fields)
        return [
            RevealGroup(t, role, user, key_id, n, len(docs), tuple(sorted(fields)))
            for (t, role, user, key_id), (n, docs, fields) in sorted(
                groups.items(), key=lambda kv: tuple(str(x) for x in kv[0])
            )
        ]

    def accounts(self, tenant_id: int | None, at: datetime) -> list[Accounts]:
        """Users not disabled and API keys neither revoked nor expired at ``at``, by tenant
        and role."""
        u = users
        people = (
            select(tenants.c.name, tenants.c.role, u.c.role.label("who"), func.count())
            .join(tenants, tenants.c.id == u.c.tenant_id)
            .where(u.c.disabled_at.is_(None))
            .group_by(tenants.c.name, tenants.c.role, u.c.role)
        )
        k = api_keys
        live = and_(k.c.revoked_at.is_(None), (k.c.expires_at.is_(None)) | (k.c.expires_at > at))
        machines = (
            select(tenants.c.name, tenants.c.role, func.count())
            .join(tenants, tenants.c.id == k.c.tenant_id)
            .where(live)
            .group_by(tenants.c.name, tenants.c.role)
        )
        if tenant_id is not None:
            people = people.where(u.c.tenant_id == tenant_id)
            machines = machines.where(k.c.tenant_id == tenant_id)
        out = [Accounts(r[0], r[1], r[2], r[3]) for r in self.conn.execute(people)]
        out += [Accounts(r[0], r[1], "api_key", r[2]) for r in self.conn.execute(machines)]
        return sorted(out, key=lambda a: (a.tenant, a.role))

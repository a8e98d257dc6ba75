"""The rows of console users: accounts (password hashes, sealed TOTP secrets), their
sessions (by the SHA-256 of the token, never the token) and the audit of every change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from cbec.accounts import UserRole
from cbec.store.tables import sessions, tenants, user_audit, users
from cbec.tenancy.records import TenantRow
from cbec.tenancy.roles import Role


@dataclass(frozen=True)
class UserRow:
    id: int
    tenant: TenantRow
    login: str
    display_name: str | None
    role: UserRole
    password_hash: str | None
    invite_expires_at: datetime | None
    totp_secret: str | None  # sealed
    totp_on_at: datetime | None
    totp_last_counter: int | None
    created_at: datetime
    password_changed_at: datetime | None
    disabled_at: datetime | None
    failed_logins: int
    locked_until: datetime | None


@dataclass(frozen=True)
class SessionRow:
    id: str  # SHA-256 of the token
    user: UserRow
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    csrf_hash: str
    revoked_at: datetime | None
    second_factor_done: bool


def _user(r: Any) -> UserRow:
    return UserRow(
        r.id,
        TenantRow(r.tenant_id, r.tenant_name, Role(r.tenant_role)),
        r.login,
        r.display_name,
        UserRole(r.role),
        r.password_hash,
        r.invite_expires_at,
        r.totp_secret,
        r.totp_on_at,
        r.totp_last_counter,
        r.created_at,
        r.password_changed_at,
        r.disabled_at,
        r.failed_logins,
        r.locked_until,
    )


def _select_users():
    return select(
        users, tenants.c.name.label("tenant_name"), tenants.c.role.label("tenant_role")
    ).join(tenants, tenants.c.id == users.c.tenant_id)


class UserStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- accounts ---
    def add(
        self,
        tenant_id: int,
        login: str,
        display_name: str | None,
        role: UserRole,
        password_hash: str | None,
        at: datetime,
        invite_hash: str | None = None,
        invite_expires_at: datetime | None = None,
    ) -> int:
        done = self.conn.execute(
            insert(users).values(
                tenant_id=tenant_id,
                login=login,
                display_name=display_name,
                role=role.value,
                password_hash=password_hash,
                invite_hash=invite_hash,
                invite_expires_at=invite_expires_at,
                created_at=at,
                password_changed_at=at if password_hash else None,
                failed_logins=0,
            )
        )
        return int(done.inserted_primary_key[0])

    def by_login(self, login: str) -> UserRow | None:
        r = self.conn.execute(_select_users().where(users.c.login == login)).first()
        return _user(r) if r else None

    def by_id(self, user_id: int) -> UserRow | None:
        r = self.conn.execute(_select_users().where(users.c.id == user_id)).first()
        return _user(r) if r else None

    def by_invite(self, invite_hash: str) -> UserRow | None:
        r = self.conn.execute(_select_users().where(users.c.invite_hash == invite_hash)).first()
        return _user(r) if r else None

    def of_tenant(self, tenant_id: int) -> list[UserRow]:
        q = _select_users().where(users.c.tenant_id == tenant_id).order_by(users.c.id)
        return [_user(r) for r in self.conn.execute(q)]

    def set(self, user_id: int, **values: Any) -> None:
        """Change columns of one user (the use cases name them; see :data:`users`)."""
        self.conn.execute(update(users).where(users.c.id == user_id).values(**values))

    # --- sessions ---
    def add_session(
        self,
        session_id: str,
        user_id: int,
        at: datetime,
        expires_at: datetime,
        csrf_hash: str,
        second_factor_done: bool,
    ) -> None:
        self.conn.execute(
            insert(sessions).values(
                id=session_id,
                user_id=user_id,
                created_at=at,
                last_seen_at=at,
                expires_at=expires_at,
                csrf_hash=csrf_hash,
                second_factor_done=second_factor_done,
            )
        )

    def session(self, session_id: str) -> SessionRow | None:
        q = select(sessions).where(sessions.c.id == session_id)
        s = self.conn.execute(q).first()
        if s is None:
            return None
        user = self.by_id(s.user_id)
        assert user is not None
        return SessionRow(
            s.id,
            user,
            s.created_at,
            s.last_seen_at,
            s.expires_at,
            s.csrf_hash,
            s.revoked_at,
            bool(s.second_factor_done),
        )

    def touch_session(self, session_id: str, at: datetime, unless_since: datetime) -> None:
        """Record a use at ``at`` unless one was recorded after ``unless_since``."""
        self.conn.execute(
            update(sessions)
            .where(sessions.c.id == session_id, sessions.c.last_seen_at < unless_since)
            .values(last_seen_at=at)
        )

    def revoke_session(self, session_id: str, at: datetime) -> bool:
        done = self.conn.execute(
            update(sessions)
            .where(sessions.c.id == session_id, sessions.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return done.rowcount == 1

    def revoke_sessions(self, user_id: int, at: datetime, keep: str | None = None) -> int:
        """Revoke every open session of a user but ``keep``; how many were revoked."""
        q = update(sessions).where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
        if keep is not None:
            q = q.where(sessions.c.id != keep)
        return self.conn.execute(q.values(revoked_at=at)).rowcount

    # --- audit ---
    def audit(
        self,
        at: datetime,
        tenant_id: int,
        user_id: int,
        actor: str,
        action: str,
        ledger_index: int | None,
    ) -> None:
        self.conn.execute(
            insert(user_audit).values(
                at=at,
                tenant_id=tenant_id,
                user_id=user_id,
                actor=actor,
                action=action,
                ledger_index=ledger_index,
            )
        )

    def audit_of_tenant(self, tenant_id: int) -> list[dict]:
        q = select(user_audit).where(user_audit.c.tenant_id == tenant_id).order_by(user_audit.c.id)
        return [dict(r._mapping) for r in self.conn.execute(q)]

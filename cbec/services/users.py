"""Use cases of console users: a tenant's admin invites, lists, disables, enables and
re-roles the people of its own tenant; the operator does the same for any tenant from the
command line; an invited person sets a password with the one-time invite token.

Signing in, sessions, password changes and the second factor are :mod:`cbec.services.sessions`;
the rules underneath (Argon2id, lockout, TOTP, session lifetimes) are :mod:`cbec.accounts`.

Access follows OWASP ASVS 4.0.3 V4.1/V4.2: only a user with the ``admin`` role manages users,
and only of its own tenant — another tenant's user is "not found", as a missing one is (OWASP
API1:2023, BOLA). An admin cannot disable or demote itself (the operator can). Every change is
audited in ``user_audit`` (who, when, which user id, what) and logged in the evidence ledger
with the user id only — never the login, which is often an e-mail address.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, SecretStr

from cbec.accounts import UserRole, passwords
from cbec.accounts.sessions import new_token, token_hash
from cbec.errors import Conflict, DocumentInvalid, Forbidden, NotFound
from cbec.services.evidence import log_event
from cbec.store.repository import UnitOfWork
from cbec.store.user_store import UserRow, UserStore
from cbec.tenancy.access import Viewer
from cbec.tenancy.records import TenantRow
from cbec.tenancy.roles import Role
from cbec.trade.ports import now
from cbec.trade.types import Text

USERS_ENTRY_TYPE = "cbec.users/v1"
OPERATOR = "operator"  # the actor of changes made from the command line
INVITE_LIFETIME = timedelta(days=3)


class SessionUser(BaseModel):
    """Who is signed in: the user, its role within its tenant and the tenant (as the
    :class:`~cbec.tenancy.access.Viewer` every other use case takes), and the session's CSRF
    token to put in the console's forms."""

    model_config = ConfigDict(frozen=True)

    user_id: int
    login: str
    display_name: str | None
    role: UserRole
    tenant_id: int
    tenant_name: str
    tenant_role: Role
    session_id: str = Field(description="SHA-256 of the session token (not the token)")
    csrf_token: str = Field(repr=False)
    csrf_hash: str = Field(repr=False)
    expires_at: datetime = Field(description="The absolute end of the session")

    @property
    def viewer(self) -> Viewer:
        """The tenant, for the document, customs, tax … use cases."""
        return Viewer(
            self.tenant_id,
            self.tenant_name,
            self.tenant_role,
            user_id=self.user_id,
            user_role=str(self.role),
        )


class UserView(BaseModel):
    """A user as its tenant's admin sees it: never the password hash nor the TOTP secret."""

    id: int
    login: str
    display_name: str | None
    role: UserRole
    created_at: datetime
    password_changed_at: datetime | None
    disabled_at: datetime | None
    locked_until: datetime | None
    totp_on: bool = Field(description="Signs in with a second factor")
    invite_pending: bool = Field(description="Invited; no password set yet")


class NewUser(BaseModel):
    """A user to create: with an initial password, or none for a one-time invite token."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    login: Text(254) = Field(description="An e-mail address or a name; case does not matter")
    role: UserRole
    display_name: Text(100) | None = None
    password: SecretStr | None = Field(
        None, description="Initial password; none: an invite token is returned instead"
    )


class InvitedUser(UserView):
    invite_token: str | None = Field(
        description="One-time token to set a password (shown once); none if a password was given"
    )
    invite_expires_at: datetime | None
    ledger_index: int | None


class RoleChange(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: UserRole


class AcceptInvite(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    token: SecretStr
    password: SecretStr


class Invitation(BaseModel):
    """What the holder of a valid invitation token is shown before choosing a password: the
    login it will sign in with (the password rules refer to it), its tenant and role."""

    login: str
    display_name: str | None
    role: UserRole
    tenant_name: str
    expires_at: datetime


class UserEvent(BaseModel):
    """One audited change of a user: who, when, what — no personal data."""

    at: AwareDatetime
    user_id: int
    actor: str = Field(description="`user:<id>` or `operator`")
    action: str
    ledger_index: int | None


# --- a tenant's admin (the console) ---


def invite_user(
    uow: UnitOfWork, caller: SessionUser, req: NewUser, at: datetime | None = None
) -> InvitedUser:
    """Create a user of the caller's tenant (caller: an admin)."""
    return _create(uow, _admin_tenant(caller), _actor(caller), req, at or now())


def list_users(uow: UnitOfWork, caller: SessionUser) -> list[UserView]:
    """The users of the caller's tenant, oldest first (caller: an admin)."""
    tenant = _admin_tenant(caller)
    with uow:
        return [view(u) for u in UserStore(uow.conn).of_tenant(tenant.id)]


def disable_user(uow: UnitOfWork, caller: SessionUser, user_id: int) -> UserView:
    """Disable a user of the caller's tenant: it cannot sign in, its sessions end at once."""
    _not_self(caller, user_id)
    return _change(uow, _admin_tenant(caller), _actor(caller), user_id, "disable")


def enable_user(uow: UnitOfWork, caller: SessionUser, user_id: int) -> UserView:
    """Enable a disabled user of the caller's tenant again (its lock, if any, lifted)."""
    return _change(uow, _admin_tenant(caller), _actor(caller), user_id, "enable")


def change_role(uow: UnitOfWork, caller: SessionUser, user_id: int, req: RoleChange) -> UserView:
    """Give a user of the caller's tenant another role (not the caller itself)."""
    _not_self(caller, user_id)
    return _change(uow, _admin_tenant(caller), _actor(caller), user_id, "role", req.role)


def reset_totp(uow: UnitOfWork, caller: SessionUser, user_id: int) -> UserView:
    """Turn off the second factor of a user of the caller's tenant who lost its authenticator
    (the user enrols again); its sessions end, as a precaution."""
    return _change(uow, _admin_tenant(caller), _actor(caller), user_id, "totp_off")


def user_audit(uow: UnitOfWork, caller: SessionUser) -> list[UserEvent]:
    """Every change of the caller's tenant's users, oldest first (caller: an admin)."""
    tenant = _admin_tenant(caller)
    with uow:
        rows = UserStore(uow.conn).audit_of_tenant(tenant.id)
    return [UserEvent.model_validate(r) for r in rows]


def invitation(uow: UnitOfWork, token: str, at: datetime | None = None) -> Invitation:
    """The invitation a one-time token stands for, so that its holder sees which account it
    sets a password for before it does. Unknown, used, expired and disabled-user tokens are
    "not found" alike, as :func:`accept_invite` answers them."""
    with uow:
        user = _invited(UserStore(uow.conn), token, at or now())
    assert user.invite_expires_at is not None
    return Invitation(
        login=user.login,
        display_name=user.display_name,
        role=user.role,
        tenant_name=user.tenant.name,
        expires_at=user.invite_expires_at,
    )


def accept_invite(uow: UnitOfWork, req: AcceptInvite, at: datetime | None = None) -> UserView:
    """Set the first password of an invited user with its one-time token. An unknown, used or
    expired token, or one of a user disabled since it was invited, is "not found" alike; the
    token works once."""
    at = at or now()
    password = req.password.get_secret_value()
    with uow.writing():
        store = UserStore(uow.conn)
        user = _invited(store, req.token.get_secret_value(), at)
        _check_password(password, user.login)
        store.set(
            user.id,
            password_hash=passwords.hash_password(password),
            password_changed_at=at,
            invite_hash=None,
            invite_expires_at=None,
        )
        record(uow, user.tenant, f"user:{user.id}", "accept", user.id, at)
        user = store.by_id(user.id)
        uow.commit()
    assert user is not None
    return view(user)


# --- any tenant's users (the operator, from the command line) ---


def operator_create_user(
    uow: UnitOfWork, tenant_name: str, req: NewUser, at: datetime | None = None
) -> InvitedUser:
    with uow:
        tenant = _named(uow, tenant_name)
    return _create(uow, tenant, OPERATOR, req, at or now())


def operator_list_users(uow: UnitOfWork, tenant_name: str) -> list[UserView]:
    with uow:
        tenant = _named(uow, tenant_name)
        return [view(u) for u in UserStore(uow.conn).of_tenant(tenant.id)]


def operator_disable_user(uow: UnitOfWork, tenant_name: str, login: str) -> UserView:
    return _operator_change(uow, tenant_name, login, "disable")


def operator_enable_user(uow: UnitOfWork, tenant_name: str, login: str) -> UserView:
    return _operator_change(uow, tenant_name, login, "enable")


# --- shared steps ---


def view(user: UserRow) -> UserView:
    return UserView(
        id=user.id,
        login=user.login,
        display_name=user.display_name,
        role=user.role,
        created_at=user.created_at,
        password_changed_at=user.password_changed_at,
        disabled_at=user.disabled_at,
        locked_until=user.locked_until,
        totp_on=user.totp_on_at is not None,
        invite_pending=user.password_hash is None,
    )


def record(
    uow: UnitOfWork, tenant: TenantRow, actor: str, action: str, user_id: int, at: datetime
) -> int | None:
    """Audit and log a change of user ``user_id`` (inside the caller's write transaction)."""
    index = log_event(
        uow,
        USERS_ENTRY_TYPE,
        at=at,
        tenants=[tenant.name],
        body={"user": user_id, "action": action, "by": actor},
    )
    UserStore(uow.conn).audit(at, tenant.id, user_id, actor, action, index)
    return index


def _actor(caller: SessionUser) -> str:
    return f"user:{caller.user_id}"


def _admin_tenant(caller: SessionUser) -> TenantRow:
    if caller.role is not UserRole.ADMIN:
        raise Forbidden("role_forbidden", {"allowed": UserRole.ADMIN.value})
    return TenantRow(caller.tenant_id, caller.tenant_name, caller.tenant_role)


def _not_self(caller: SessionUser, user_id: int) -> None:
    if caller.user_id == user_id:
        raise Conflict("user_self_change", {})


def _named(uow: UnitOfWork, name: str) -> TenantRow:
    tenant = uow.repo.tenant_by_name(name)
    if tenant is None:
        raise NotFound("not_found", {"kind": "tenant"})
    return tenant


def _invited(store: UserStore, token: str, at: datetime) -> UserRow:
    """The user a live invite token belongs to; "not found" for every other token alike. A
    user disabled after its invitation cannot take it up: disabling voids the invitation."""
    user = store.by_invite(token_hash(token)) if token else None
    if (
        user is None
        or user.invite_expires_at is None
        or user.invite_expires_at <= at
        or user.disabled_at is not None
    ):
        raise NotFound("not_found", {"kind": "invite"})
    return user


def _check_password(password: str, login: str) -> None:
    found = passwords.password_violations(password, login)
    if found:
        raise DocumentInvalid(found)


def _create(
    uow: UnitOfWork, tenant: TenantRow, actor: str, req: NewUser, at: datetime
) -> InvitedUser:
    login = passwords.normalise_login(req.login)
    found = passwords.login_violations(login)
    password = req.password.get_secret_value() if req.password is not None else None
    if password is not None:
        found += passwords.password_violations(password, login)
    if found:
        raise DocumentInvalid(found)
    invite = new_token() if password is None else None
    invite_expires = at + INVITE_LIFETIME if invite else None
    hashed = passwords.hash_password(password) if password is not None else None
    with uow.writing():
        store = UserStore(uow.conn)
        if store.by_login(login) is not None:
            raise Conflict("user_login_taken", {})
        user_id = store.add(
            tenant.id,
            login,
            req.display_name,
            req.role,
            hashed,
            at,
            invite_hash=token_hash(invite) if invite else None,
            invite_expires_at=invite_expires,
        )
        index = record(uow, tenant, actor, "create", user_id, at)
        user = store.by_id(user_id)
        uow.commit()
    assert user is not None
    return InvitedUser(
        **view(user).model_dump(),
        invite_token=invite,
        invite_expires_at=invite_expires,
        ledger_index=index,
    )


def _change(
    uow: UnitOfWork,
    tenant: TenantRow,
    actor: str,
    user_id: int,
    action: str,
    role: UserRole | None = None,
) -> UserView:
    at = now()
    with uow.writing():
        store = UserStore(uow.conn)
        user = store.by_id(user_id)
        if user is None or user.tenant.id != tenant.id:
            raise NotFound("not_found", {"kind": "user"})
        if action == "disable":
            store.set(user_id, disabled_at=user.disabled_at or at)
            store.revoke_sessions(user_id, at)
        elif action == "enable":
            store.set(user_id, disabled_at=None, failed_logins=0, locked_until=None)
        elif action == "totp_off":
            store.set(user_id, totp_secret=None, totp_on_at=None, totp_last_counter=None)
            store.revoke_sessions(user_id, at)
        else:
            store.set(user_id, role=role.value if role else user.role.value)
        record(uow, tenant, actor, action, user_id, at)
        user = store.by_id(user_id)
        uow.commit()
    assert user is not None
    return view(user)


def _operator_change(uow: UnitOfWork, tenant_name: str, login: str, action: str) -> UserView:
    with uow:
        tenant = _named(uow, tenant_name)
        user = UserStore(uow.conn).by_login(passwords.normalise_login(login))
    if user is None or user.tenant.id != tenant.id:
        raise NotFound("not_found", {"kind": "user"})
    return _change(uow, tenant, OPERATOR, user.id, action)

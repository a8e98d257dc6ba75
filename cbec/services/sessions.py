"""Use cases of signing in to the web console: login (with the optional TOTP second factor),
the session a request carries, logout, "log out everywhere", the CSRF check, and what a user
changes of its own account (password, second factor).

Rules (:mod:`cbec.accounts`): passwords are Argon2id (RFC 9106), codes TOTP (RFC 6238),
sessions and lockout after OWASP ASVS 4.0.3 V2/V3. A wrong password, an unknown login, a
disabled user and a locked account all get the same :class:`~cbec.errors.Unauthenticated`
(``login_failed``) after the same Argon2 work (ASVS V2.2, no user enumeration); failures
count towards the lock, and the lock is only visible to an admin.

Every function takes ``at=`` (default: now) so that lifetimes and locks are testable without
waiting. Tokens are returned once and never stored: sessions are kept under the SHA-256 of
theirs.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from sqlalchemy.exc import OperationalError

from cbec.accounts import lockout, passwords, totp
from cbec.accounts import sessions as rules
from cbec.errors import Busy, Conflict, DocumentInvalid, Unauthenticated, Violation
from cbec.services import users
from cbec.services.users import SessionUser, UserView, record, view
from cbec.store.repository import UnitOfWork
from cbec.store.user_store import SessionRow, UserRow, UserStore
from cbec.tenancy.records import TenantRow
from cbec.trade.ports import now


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    login: str = Field(max_length=254)
    password: SecretStr = Field(max_length=1024)
    totp_code: str | None = Field(None, max_length=10, description="When TOTP is on")


class SessionIssued(BaseModel):
    """A new session: the token goes in the session cookie (``Secure; HttpOnly;
    SameSite=Lax``), the CSRF token in the console's forms. Shown once."""

    token: str = Field(repr=False)
    csrf_token: str = Field(repr=False)
    expires_at: datetime = Field(description="Absolute end (sooner when idle)")
    needs_second_factor: bool = Field(
        description="Only a step towards a session: send the TOTP code to complete_second_factor"
    )


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    current: SecretStr = Field(max_length=1024)
    new: SecretStr = Field(max_length=1024)


class TotpEnrolment(BaseModel):
    """The secret to give the authenticator app (shown once), and the same as a URI."""

    secret: str = Field(repr=False)
    provisioning_uri: str = Field(repr=False)


def login(uow: UnitOfWork, req: LoginRequest, at: datetime | None = None) -> SessionIssued:
    """Check a login and password (and the TOTP code, when the user has one and sent it) and
    open a session. A user with TOTP who sent no code gets a short session that only
    :func:`complete_second_factor` accepts (``needs_second_factor``). Raises
    ``Unauthenticated("login_failed")`` for every failure alike."""
    at = at or now()
    name = passwords.normalise_login(req.login)
    with uow.writing():
        store = UserStore(uow.conn)
        user = store.by_login(name)
        ok, rehash = passwords.verify(
            user.password_hash if user else None, req.password.get_secret_value()
        )
        issued = None
        if user is not None and _may_try(user, at):
            if not ok:
                _failed(uow, user, at)
            elif user.totp_on_at is None:
                issued = _open(store, user, at, rehash, req.password)
            elif req.totp_code is None:
                issued = _issue(store, user.id, at, second_factor_done=False)
            elif (counter := _code(uow, user, req.totp_code, at)) is not None:
                store.set(user.id, totp_last_counter=counter)
                issued = _open(store, user, at, rehash, req.password)
            else:
                _failed(uow, user, at)
        uow.commit()
    if issued is None:
        raise Unauthenticated("login_failed", {})
    return issued


def accept_invite(
    uow: UnitOfWork, req: users.AcceptInvite, at: datetime | None = None
) -> SessionIssued:
    """Set an invited user's first password with its one-time token
    (:func:`cbec.services.users.accept_invite`, whose rules and answers apply) and sign it in
    with it, as :func:`login` would: the invitee lands in the console without typing the
    password again. ``Unauthenticated`` if the sign-in is refused all the same (the user was
    disabled between the two steps): the password stays set, and the sign-in page is the
    way in once the user is enabled again."""
    at = at or now()
    accepted = users.accept_invite(uow, req, at=at)
    return login(uow, LoginRequest(login=accepted.login, password=req.password), at=at)


def complete_second_factor(
    uow: UnitOfWork, token: str, code: str, at: datetime | None = None
) -> SessionIssued:
    """Finish a login that waits for its TOTP code: the waiting session ends and a new one,
    with a new token, begins (no session fixation). A wrong code counts as a failed login."""
    at = at or now()
    with uow.writing():
        store = UserStore(uow.conn)
        pending = store.session(rules.token_hash(token))
        issued = None
        if pending is not None and not pending.second_factor_done and _usable(pending, at):
            user = pending.user
            if _may_try(user, at) and (counter := _code(uow, user, code, at)) is not None:
                store.revoke_session(pending.id, at)
                store.set(user.id, totp_last_counter=counter, failed_logins=0, locked_until=None)
                issued = _issue(store, user.id, at, second_factor_done=True)
            elif _may_try(user, at):
                _failed(uow, user, at)
        uow.commit()
    if issued is None:
        raise Unauthenticated("login_failed", {})
    return issued


def session_user(
    uow: UnitOfWork, token: str | None, at: datetime | None = None
) -> SessionUser | None:
    """The signed-in user a session token belongs to, or None — for an unknown, revoked,
    expired, idle or half-done (second factor awaited) session, or a disabled user alike.
    Records the use at most once a minute (best effort, as API keys do)."""
    if not token:
        return None
    at = at or now()
    with uow:
        found = UserStore(uow.conn).session(rules.token_hash(token))
    if found is None or not found.second_factor_done or not _usable(found, at):
        return None
    if found.last_seen_at <= at - rules.TOUCH_EVERY:
        with contextlib.suppress(OperationalError, Busy), uow.writing(wait_ms=0):
            UserStore(uow.conn).touch_session(found.id, at, unless_since=at - rules.TOUCH_EVERY)
            uow.commit()
    user = found.user
    return SessionUser(
        user_id=user.id,
        login=user.login,
        display_name=user.display_name,
        role=user.role,
        tenant_id=user.tenant.id,
        tenant_name=user.tenant.name,
        tenant_role=user.tenant.role,
        session_id=found.id,
        csrf_token=rules.csrf_token_for(token),
        csrf_hash=found.csrf_hash,
        expires_at=found.expires_at,
    )


def check_csrf(session: SessionUser, token: str | None) -> bool:
    """Whether a form's CSRF token is the session's (constant-time comparison of hashes)."""
    return rules.check_csrf(session.csrf_hash, token)


def logout(uow: UnitOfWork, token: str | None, at: datetime | None = None) -> None:
    """End the session of ``token`` (nothing happens for an unknown one)."""
    if not token:
        return
    with uow.writing():
        UserStore(uow.conn).revoke_session(rules.token_hash(token), at or now())
        uow.commit()


def logout_everywhere(uow: UnitOfWork, caller: SessionUser, at: datetime | None = None) -> int:
    """End every session of the caller, this one included; how many were ended (audited)."""
    at = at or now()
    with uow.writing():
        ended = UserStore(uow.conn).revoke_sessions(caller.user_id, at)
        record(uow, _tenant(caller), _actor(caller), "logout_all", caller.user_id, at)
        uow.commit()
    return ended


def change_password(
    uow: UnitOfWork, caller: SessionUser, req: PasswordChange, at: datetime | None = None
) -> None:
    """Change the caller's own password (the current one required, ASVS V2.1.5); every other
    session of the caller ends (ASVS V3.3.3). A wrong current password counts as a failure."""
    at = at or now()
    new = req.new.get_secret_value()
    found = passwords.password_violations(new, caller.login, field="new")
    if found:
        raise DocumentInvalid(found)
    with uow.writing():
        store = UserStore(uow.conn)
        user = store.by_id(caller.user_id)
        assert user is not None
        ok, _ = passwords.verify(user.password_hash, req.current.get_secret_value())
        if ok:
            store.set(user.id, password_hash=passwords.hash_password(new), password_changed_at=at)
            store.revoke_sessions(user.id, at, keep=caller.session_id)
            record(uow, user.tenant, _actor(caller), "password", user.id, at)
        else:
            _failed(uow, user, at)
        uow.commit()
    if not ok:
        raise DocumentInvalid([Violation("current", "password_wrong", {})])


def enrol_totp(uow: UnitOfWork, caller: SessionUser, at: datetime | None = None) -> TotpEnrolment:
    """Start turning TOTP on: a new secret, shown this once (stored sealed by the field vault).
    It takes effect when :func:`confirm_totp` receives a code made with it."""
    at = at or now()
    secret = totp.new_secret()
    with uow.writing():
        store = UserStore(uow.conn)
        user = store.by_id(caller.user_id)
        assert user is not None
        if user.totp_on_at is not None:
            raise Conflict("totp_already_on", {})
        store.set(user.id, totp_secret=_seal(uow, user.id, secret), totp_last_counter=None)
        uow.commit()
    return TotpEnrolment(
        secret=secret, provisioning_uri=totp.provisioning_uri(secret, caller.login)
    )


def confirm_totp(
    uow: UnitOfWork, caller: SessionUser, code: str, at: datetime | None = None
) -> UserView:
    """Turn TOTP on once the authenticator app shows a valid code for the enrolled secret;
    from now on logins need a code (audited and logged)."""
    at = at or now()
    with uow.writing():
        store = UserStore(uow.conn)
        user = store.by_id(caller.user_id)
        assert user is not None
        if user.totp_on_at is not None:
            raise Conflict("totp_already_on", {})
        counter = _code(uow, user, code, at) if user.totp_secret else None
        if counter is None:
            raise DocumentInvalid([Violation("code", "totp_code_wrong", {})])
        store.set(user.id, totp_on_at=at, totp_last_counter=counter)
        record(uow, user.tenant, _actor(caller), "totp_on", user.id, at)
        user = store.by_id(user.id)
        uow.commit()
    assert user is not None
    return view(user)


# --- shared steps ---


def _tenant(caller: SessionUser) -> TenantRow:
    return TenantRow(caller.tenant_id, caller.tenant_name, caller.tenant_role)


def _actor(caller: SessionUser) -> str:
    return f"user:{caller.user_id}"


def _may_try(user: UserRow, at: datetime) -> bool:
    return (
        user.disabled_at is None
        and user.password_hash is not None
        and not lockout.is_locked(user.locked_until, at)
    )


def _usable(s: SessionRow, at: datetime) -> bool:
    return s.user.disabled_at is None and rules.live(s.last_seen_at, s.expires_at, s.revoked_at, at)


def _failed(uow: UnitOfWork, user: UserRow, at: datetime) -> None:
    """Count a failure; lock the account when the count calls for it (audited and logged)."""
    failures = user.failed_logins + 1
    lock = lockout.lock_for(failures)
    store = UserStore(uow.conn)
    store.set(user.id, failed_logins=failures, locked_until=at + lock if lock else None)
    if lock:
        record(uow, user.tenant, "throttle", "locked", user.id, at)


def _code(uow: UnitOfWork, user: UserRow, code: str, at: datetime) -> int | None:
    assert user.totp_secret is not None
    secret = uow.vault.open_value("user", str(user.id), "totp_secret", user.totp_secret)
    return totp.accepted_counter(secret, code, at, user.totp_last_counter)


def _seal(uow: UnitOfWork, user_id: int, secret: str) -> str:
    return uow.vault.seal_value("user", str(user_id), "totp_secret", secret)


def _open(
    store: UserStore, user: UserRow, at: datetime, rehash: bool, password: SecretStr
) -> SessionIssued:
    """A full session after every factor passed: failures forgotten, the hash renewed when its
    parameters are outdated (RFC 9106 parameters can change; argon2's check_needs_rehash)."""
    values: dict = {"failed_logins": 0, "locked_until": None}
    if rehash:
        values["password_hash"] = passwords.hash_password(password.get_secret_value())
    store.set(user.id, **values)
    return _issue(store, user.id, at, second_factor_done=True)


def _issue(
    store: UserStore, user_id: int, at: datetime, *, second_factor_done: bool
) -> SessionIssued:
    token = rules.new_token()
    csrf = rules.csrf_token_for(token)
    life = rules.ABSOLUTE_LIFETIME if second_factor_done else rules.SECOND_FACTOR_WINDOW
    expires = at + life
    store.add_session(
        rules.token_hash(token), user_id, at, expires, rules.token_hash(csrf), second_factor_done
    )
    return SessionIssued(
        token=token, csrf_token=csrf, expires_at=expires, needs_second_factor=not second_factor_done
    )

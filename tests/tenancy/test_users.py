"""Console users and sessions (cbec.services.users, cbec.services.sessions): every failed
login looks alike, the lock engages and lifts on an injected clock, session tokens are never
stored, logout revokes, the CSRF check, the TOTP second factor with a code made by an
independent authenticator, and a tenant's admin reaches its own tenant's users only."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

import pyotp
import pytest
from argon2 import PasswordHasher, Type
from pydantic import SecretStr
from sqlalchemy import select

from cbec.accounts import UserRole
from cbec.errors import Conflict, DocumentInvalid, Forbidden, NotFound, Unauthenticated
from cbec.services import sessions as ses
from cbec.services import users as svc
from cbec.store.tables import metadata, sessions, user_audit, users
from cbec.trade.ports import now

PW = "correct horse battery staple"


def _make(rt, tenant: str, login: str, role: UserRole = UserRole.ADMIN, password: str = PW):
    req = svc.NewUser(login=login, role=role, password=SecretStr(password) if password else None)
    return svc.operator_create_user(rt.uow(), tenant, req)


def _login(rt, login: str, password: str = PW, at: datetime | None = None, code=None):
    req = ses.LoginRequest(login=login, password=SecretStr(password), totp_code=code)
    return ses.login(rt.uow(), req, at=at)


def _signed_in(rt, login: str, at: datetime | None = None) -> svc.SessionUser:
    issued = _login(rt, login, at=at)
    user = ses.session_user(rt.uow(), issued.token, at=at)
    assert user is not None
    return user


def _failure(call) -> str:
    with pytest.raises(Unauthenticated) as caught:
        call()
    return f"{caught.value.code} {caught.value.rule} {caught.value.params} {caught.value}"


def test_wrong_password_unknown_login_disabled_and_locked_fail_alike(rt, parties):
    t0 = now()
    _make(rt, "seller-a", "ann@a.example")
    _make(rt, "seller-a", "bob@a.example")
    _make(rt, "seller-a", "cy@a.example")
    svc.operator_disable_user(rt.uow(), "seller-a", "bob@a.example")
    for _ in range(5):
        _failure(lambda: _login(rt, "cy@a.example", "wrong password!!", at=t0))
    answers = {
        "wrong password": _failure(lambda: _login(rt, "ann@a.example", "wrong password!!", at=t0)),
        "unknown login": _failure(lambda: _login(rt, "nobody@a.example", at=t0)),
        "disabled": _failure(lambda: _login(rt, "bob@a.example", at=t0)),
        "locked": _failure(lambda: _login(rt, "cy@a.example", at=t0)),
    }
    assert len(set(answers.values())) == 1, answers
    assert "login_failed" in answers["locked"]
    assert _login(rt, "ANN@a.example", at=t0).needs_second_factor is False  # case-folded


def test_the_lock_engages_after_five_failures_and_lifts_after_its_time(rt, parties):
    t0 = now()
    _make(rt, "seller-a", "ann@a.example")
    for _ in range(4):
        _failure(lambda: _login(rt, "ann@a.example", "wrong password!!", at=t0))
    assert _login(rt, "ann@a.example", at=t0)  # four failures: no lock, and the count resets
    for i in range(5):
        at = t0 + timedelta(seconds=i)
        _failure(lambda at=at: _login(rt, "ann@a.example", "wrong password!!", at=at))
    locked_at = t0 + timedelta(seconds=4)
    _failure(lambda: _login(rt, "ann@a.example", at=locked_at + timedelta(seconds=59)))
    # attempts while locked do not count: the lock still lifts after its minute
    assert _login(rt, "ann@a.example", at=locked_at + timedelta(seconds=61))

    # the next lock doubles: five failures (1 min), one more after it lifts (2 min)
    t1 = locked_at + timedelta(hours=1)
    for _ in range(5):
        _failure(lambda: _login(rt, "ann@a.example", "wrong password!!", at=t1))
    t2 = t1 + timedelta(seconds=61)
    _failure(lambda: _login(rt, "ann@a.example", "wrong password!!", at=t2))
    _failure(lambda: _login(rt, "ann@a.example", at=t2 + timedelta(seconds=110)))
    assert _login(rt, "ann@a.example", at=t2 + timedelta(seconds=121))
    (listed,) = svc.operator_list_users(rt.uow(), "seller-a")
    assert listed.locked_until is None
    with rt.engine.connect() as conn:
        actions = [r.action for r in conn.execute(select(user_audit).order_by(user_audit.c.id))]
    assert actions == ["create", "locked", "locked", "locked"]


@pytest.mark.usefixtures("production_passwords")
def test_session_tokens_are_stored_only_as_hashes(rt, parties):
    _make(rt, "seller-a", "ann@a.example")
    issued = _login(rt, "ann@a.example")
    with rt.engine.connect() as conn:
        (row,) = conn.execute(select(sessions)).all()
        everything = [
            str(tuple(r)) for t in metadata.sorted_tables for r in conn.execute(select(t))
        ]
    assert row.id == hashlib.sha256(issued.token.encode()).hexdigest()
    assert row.csrf_hash == hashlib.sha256(issued.csrf_token.encode()).hexdigest()
    dump = "\n".join(everything)
    assert issued.token not in dump and issued.csrf_token not in dump
    assert PW not in dump and "$argon2id$v=19$m=65536,t=3,p=4$" in dump


def test_a_session_ends_when_idle_at_its_absolute_end_and_at_logout(rt, parties):
    t0 = now()
    _make(rt, "seller-a", "ann@a.example")
    idle = _login(rt, "ann@a.example", at=t0)
    me = ses.session_user(rt.uow(), idle.token, at=t0 + timedelta(minutes=29))
    assert me is not None and me.viewer.name == "seller-a" and me.role is UserRole.ADMIN
    assert ses.session_user(rt.uow(), idle.token, at=t0 + timedelta(minutes=59)) is None

    busy = _login(rt, "ann@a.example", at=t0)
    at = t0
    while at < t0 + timedelta(hours=12) - timedelta(minutes=20):
        at += timedelta(minutes=20)
        assert ses.session_user(rt.uow(), busy.token, at=at) is not None, at
    assert ses.session_user(rt.uow(), busy.token, at=t0 + timedelta(hours=12)) is None

    # last_seen is written at most once a minute
    s = _login(rt, "ann@a.example", at=t0)
    sid = hashlib.sha256(s.token.encode()).hexdigest()

    def seen():
        with rt.engine.connect() as conn:
            q = select(sessions.c.last_seen_at).where(sessions.c.id == sid)
            return conn.execute(q).scalar_one()

    ses.session_user(rt.uow(), s.token, at=t0 + timedelta(seconds=30))
    assert seen() == t0
    ses.session_user(rt.uow(), s.token, at=t0 + timedelta(seconds=61))
    assert seen() == t0 + timedelta(seconds=61)

    ses.logout(rt.uow(), s.token)
    assert ses.session_user(rt.uow(), s.token) is None
    ses.logout(rt.uow(), "no such token")  # nothing happens
    assert ses.session_user(rt.uow(), "no such token") is None
    assert ses.session_user(rt.uow(), None) is None


def test_logout_everywhere_and_a_password_change_revoke_sessions(rt, parties):
    _make(rt, "seller-a", "ann@a.example")
    first, second = _login(rt, "ann@a.example"), _login(rt, "ann@a.example")
    assert first.token != second.token  # a new token at every login
    me = ses.session_user(rt.uow(), first.token)
    assert ses.logout_everywhere(rt.uow(), me) == 2
    assert ses.session_user(rt.uow(), first.token) is None
    assert ses.session_user(rt.uow(), second.token) is None

    a, b = _login(rt, "ann@a.example"), _login(rt, "ann@a.example")
    me = ses.session_user(rt.uow(), a.token)
    new = "a new and long passphrase"
    with pytest.raises(DocumentInvalid) as bad:
        ses.change_password(rt.uow(), me, ses.PasswordChange(current="nope", new=new))
    assert [v.rule for v in bad.value.violations] == ["password_wrong"]
    with pytest.raises(DocumentInvalid) as bad:
        ses.change_password(rt.uow(), me, ses.PasswordChange(current=PW, new="short"))
    assert [(v.field, v.rule) for v in bad.value.violations] == [("new", "password_too_short")]
    ses.change_password(rt.uow(), me, ses.PasswordChange(current=PW, new=new))
    assert ses.session_user(rt.uow(), a.token) is not None  # this session stays
    assert ses.session_user(rt.uow(), b.token) is None  # the others end
    _failure(lambda: _login(rt, "ann@a.example"))
    assert _login(rt, "ann@a.example", new)


def test_csrf_tokens_belong_to_their_session(rt, parties):
    _make(rt, "seller-a", "ann@a.example")
    one, two = _login(rt, "ann@a.example"), _login(rt, "ann@a.example")
    me = ses.session_user(rt.uow(), one.token)
    assert me.csrf_token == one.csrf_token
    assert ses.check_csrf(me, one.csrf_token)
    for wrong in (two.csrf_token, one.token, "", None, one.csrf_token.upper()):
        assert not ses.check_csrf(me, wrong), wrong


@pytest.mark.usefixtures("production_passwords")
def test_an_outdated_hash_is_replaced_at_login(rt, parties):
    _make(rt, "seller-a", "ann@a.example")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID).hash(PW)
    with rt.engine.begin() as conn:
        conn.execute(users.update().values(password_hash=weak))
    _login(rt, "ann@a.example")
    with rt.engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_totp_second_factor(rt, parties):
    t0 = now().replace(microsecond=0)
    _make(rt, "seller-a", "ann@a.example")
    me = _signed_in(rt, "ann@a.example", at=t0)
    enrolment = ses.enrol_totp(rt.uow(), me, at=t0)
    app = pyotp.TOTP(enrolment.secret)  # an independent authenticator
    with pytest.raises(DocumentInvalid):
        ses.confirm_totp(rt.uow(), me, "000000" if app.at(t0) != "000000" else "111111", at=t0)
    assert _login(rt, "ann@a.example", at=t0).needs_second_factor is False  # not on yet
    assert ses.confirm_totp(rt.uow(), me, app.at(t0), at=t0).totp_on is True
    with rt.engine.connect() as conn:
        sealed = conn.execute(select(users.c.totp_secret)).scalar_one()
    assert enrolment.secret not in sealed

    # password alone: a short session waiting for the code, good for nothing else
    t1 = t0 + timedelta(seconds=90)
    pending = _login(rt, "ann@a.example", at=t1)
    assert pending.needs_second_factor is True
    assert ses.session_user(rt.uow(), pending.token, at=t1) is None
    with pytest.raises(Unauthenticated):
        ses.complete_second_factor(rt.uow(), pending.token, app.at(t0), at=t1)  # too old
    done = ses.complete_second_factor(rt.uow(), pending.token, app.at(t1), at=t1)
    assert done.token != pending.token and not done.needs_second_factor  # no fixation
    assert ses.session_user(rt.uow(), done.token, at=t1) is not None
    assert ses.session_user(rt.uow(), pending.token, at=t1) is None
    with pytest.raises(Unauthenticated):  # the waiting session is gone
        ses.complete_second_factor(rt.uow(), pending.token, app.at(t1), at=t1)

    # the same code again, within its window: refused; the next step's code works
    _failure(lambda: _login(rt, "ann@a.example", at=t1, code=app.at(t1)))
    assert _login(rt, "ann@a.example", at=t1).needs_second_factor  # without a code: waits
    t2 = t1 + timedelta(seconds=30)
    assert not _login(rt, "ann@a.example", at=t2, code=app.at(t2)).needs_second_factor
    with pytest.raises(Conflict):
        ses.enrol_totp(rt.uow(), me, at=t2)
    (listed,) = svc.operator_list_users(rt.uow(), "seller-a")
    assert listed.totp_on

    # an admin turns it off for a user who lost the authenticator: password alone again
    _make(rt, "seller-a", "bob@a.example", UserRole.OPERATOR)
    bob = _login(rt, "bob@a.example").token
    with pytest.raises(Forbidden):
        svc.reset_totp(rt.uow(), ses.session_user(rt.uow(), bob), me.user_id)
    user_id = ses.session_user(rt.uow(), bob).user_id
    svc.change_role(rt.uow(), me, user_id, svc.RoleChange(role=UserRole.ADMIN))
    admin = ses.session_user(rt.uow(), bob)  # the role is read afresh on every request
    assert svc.reset_totp(rt.uow(), admin, me.user_id).totp_on is False
    assert not _login(rt, "ann@a.example", at=t2).needs_second_factor


def test_an_admin_manages_its_own_tenants_users_only(rt, parties):
    _make(rt, "seller-a", "ann@a.example")
    _make(rt, "seller-b", "bea@b.example")
    _make(rt, "seller-a", "vic@a.example", UserRole.VIEWER)
    ann = _signed_in(rt, "ann@a.example")
    bea = _signed_in(rt, "bea@b.example")
    vic = _signed_in(rt, "vic@a.example")

    new = svc.NewUser(login="Ola@A.example", role=UserRole.OPERATOR, password=SecretStr(PW))
    ola = svc.invite_user(rt.uow(), ann, new)
    assert ola.login == "ola@a.example" and ola.role is UserRole.OPERATOR
    with pytest.raises(Conflict):
        svc.invite_user(rt.uow(), ann, new)
    assert [u.login for u in svc.list_users(rt.uow(), ann)] == [
        "ann@a.example",
        "vic@a.example",
        "ola@a.example",
    ]
    assert [u.login for u in svc.list_users(rt.uow(), bea)] == ["bea@b.example"]

    # tenant B's admin: tenant A's users are not found, as missing ones are
    for call in (
        lambda: svc.disable_user(rt.uow(), bea, ola.id),
        lambda: svc.enable_user(rt.uow(), bea, ola.id),
        lambda: svc.change_role(rt.uow(), bea, ola.id, svc.RoleChange(role=UserRole.ADMIN)),
        lambda: svc.disable_user(rt.uow(), bea, 999_999),
    ):
        with pytest.raises(NotFound):
            call()
    # a viewer (or an operator) manages no one
    for call in (
        lambda: svc.invite_user(rt.uow(), vic, new.model_copy(update={"login": "x@a.example"})),
        lambda: svc.list_users(rt.uow(), vic),
        lambda: svc.disable_user(rt.uow(), vic, ola.id),
    ):
        with pytest.raises(Forbidden):
            call()
    with pytest.raises(Conflict):  # an admin does not lock itself out
        svc.disable_user(rt.uow(), ann, ann.user_id)

    ola_session = _login(rt, "ola@a.example")
    svc.change_role(rt.uow(), ann, ola.id, svc.RoleChange(role=UserRole.VIEWER))
    assert ses.session_user(rt.uow(), ola_session.token).role is UserRole.VIEWER
    assert svc.disable_user(rt.uow(), ann, ola.id).disabled_at is not None
    assert ses.session_user(rt.uow(), ola_session.token) is None  # sessions end at once
    _failure(lambda: _login(rt, "ola@a.example"))
    svc.enable_user(rt.uow(), ann, ola.id)
    assert _login(rt, "ola@a.example")

    events = svc.user_audit(rt.uow(), ann)
    assert [(e.user_id, e.actor, e.action) for e in events[-4:]] == [
        (ola.id, f"user:{ann.user_id}", "create"),
        (ola.id, f"user:{ann.user_id}", "role"),
        (ola.id, f"user:{ann.user_id}", "disable"),
        (ola.id, f"user:{ann.user_id}", "enable"),
    ]
    for e in events:  # logged in the ledger, with no login (often an e-mail address)
        entry = json.loads(rt.ledger.entry(e.ledger_index).data)
        assert entry["type"] == "cbec.users/v1" and entry["user"] == e.user_id
        assert "example" not in json.dumps(entry)


def test_new_users_meet_the_policy_and_invites_work_once(rt, parties):
    with pytest.raises(DocumentInvalid) as bad:
        _make(rt, "seller-a", "ann@a.example", password="too short")
    assert [v.rule for v in bad.value.violations] == ["password_too_short"]
    with pytest.raises(DocumentInvalid) as bad:
        _make(rt, "seller-a", "ann-the-seller@a.example", password="Ann-the-Seller@A.example")
    assert [v.rule for v in bad.value.violations] == ["password_is_login"]
    with pytest.raises(DocumentInvalid) as bad:
        _make(rt, "seller-a", "ann smith")
    assert [v.rule for v in bad.value.violations] == ["login_format"]
    with pytest.raises(NotFound):
        _make(rt, "no-such-tenant", "ann@a.example")

    invited = _make(rt, "seller-a", "ann@a.example", password="")
    assert invited.invite_token and invited.invite_pending
    _failure(lambda: _login(rt, "ann@a.example"))
    accept = svc.AcceptInvite(token=invited.invite_token, password=PW)
    with pytest.raises(DocumentInvalid):
        svc.accept_invite(rt.uow(), accept.model_copy(update={"password": SecretStr("short")}))
    assert svc.accept_invite(rt.uow(), accept).invite_pending is False
    assert _login(rt, "ann@a.example")
    with pytest.raises(NotFound):
        svc.accept_invite(rt.uow(), accept)  # once only
    late = _make(rt, "seller-a", "bob@a.example", password="")
    expired = late.created_at + svc.INVITE_LIFETIME + timedelta(seconds=1)
    with pytest.raises(NotFound):
        svc.accept_invite(
            rt.uow(), svc.AcceptInvite(token=late.invite_token, password=PW), at=expired
        )
    shown = svc.invitation(rt.uow(), late.invite_token)  # what its holder is shown first
    assert (shown.login, shown.tenant_name, shown.expires_at) == (
        "bob@a.example",
        "seller-a",
        late.invite_expires_at,
    )
    for token, at in ((late.invite_token, expired), (invited.invite_token, None), ("x", None)):
        with pytest.raises(NotFound):
            svc.invitation(rt.uow(), token, at=at)
    # disabling an invited user voids its invitation
    svc.operator_disable_user(rt.uow(), "seller-a", "bob@a.example")
    with pytest.raises(NotFound):
        svc.invitation(rt.uow(), late.invite_token)
    with pytest.raises(NotFound):
        svc.accept_invite(rt.uow(), svc.AcceptInvite(token=late.invite_token, password=PW))


def test_cli_creates_lists_disables_and_enables_users(cli, parties, rt):
    r = cli(
        "admin", "user", "create", "seller-a", "Ann@A.example", "--role", "admin",
        "--password-stdin", input=PW + "\n",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "ann@a.example (admin) of seller-a created" in r.stdout and PW not in r.stdout
    r = cli(
        "admin", "user", "create", "seller-a", "vic@a.example", "--role", "viewer",
        input=f"{PW}\n{PW}\n",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    r = cli("admin", "user", "create", "seller-a", "bo@a.example", "--role", "viewer", "--invite")
    assert r.exit_code == 0 and "invite token" in r.stdout
    r = cli(
        "admin", "user", "create", "seller-a", "cy@a.example", "--role", "viewer",
        "--password-stdin", input="short\n",
    )  # fmt: skip
    assert r.exit_code == 2 and "password_too_short" in r.stderr
    r = cli("admin", "user", "create", "nobody", "cy@a.example", "--role", "viewer", "--invite")
    assert r.exit_code == 2 and "no such tenant" in r.stderr

    r = cli("admin", "user", "invite", "seller-a", "di@a.example", "--role", "operator")
    assert r.exit_code == 0 and "di@a.example (operator) of seller-a invited" in r.stdout
    link = r.stdout.splitlines()[-1]
    assert link.startswith("http://127.0.0.1:8000/console/invite/")
    token = link.rsplit("/", 1)[1]
    r = cli(
        "admin", "user", "invite", "seller-a", "ed@a.example", "--role", "viewer",
        "--console-url", "https://console.example/", "--format", "json",
    )  # fmt: skip
    shown = json.loads(r.stdout)
    assert shown["invite_link"] == f"https://console.example/console/invite/{shown['invite_token']}"
    r = cli("admin", "user", "invite", "seller-a", "fy@a.example", "--role", "viewer",
            "--console-url", "javascript:alert(1)")  # fmt: skip
    assert r.exit_code == 2 and "--console-url" in r.stderr

    lines = cli("admin", "user", "list", "seller-a").stdout.splitlines()
    assert [line.split()[:3] for line in lines] == [
        ["ann@a.example", "admin", "active"],
        ["vic@a.example", "viewer", "active"],
        ["bo@a.example", "viewer", "invited"],
        ["di@a.example", "operator", "invited"],
        ["ed@a.example", "viewer", "invited"],
    ]
    assert svc.accept_invite(rt.uow(), svc.AcceptInvite(token=token, password=PW))
    assert _login(rt, "di@a.example")
    assert cli("admin", "user", "list", "seller-b", "--format", "json").stdout.strip() == "[]"
    assert _login(rt, "ann@a.example")
    r = cli("admin", "user", "disable", "seller-a", "ANN@a.example")
    assert r.exit_code == 0 and "disabled" in r.stdout
    _failure(lambda: _login(rt, "ann@a.example"))
    assert cli("admin", "user", "disable", "seller-b", "vic@a.example").exit_code == 2
    assert cli("admin", "user", "enable", "seller-a", "ann@a.example").exit_code == 0
    assert _login(rt, "ann@a.example")


def test_demo_prints_an_admin_per_tenant_who_can_sign_in(cli, rt):
    first = json.loads(cli("demo", "--format", "json").stdout)
    again = json.loads(cli("demo", "--format", "json").stdout)
    assert first == again  # idempotent: the same logins and passwords, no second user
    admins = {t["name"]: (t["admin_login"], t["admin_password"]) for t in first["tenants"]}
    assert admins["sz-gadgets"][0] == "admin@sz-gadgets.example"
    assert len({pw for _, pw in admins.values()}) == len(admins)
    login, password = admins["silk-mall"]
    me = ses.session_user(rt.uow(), _login(rt, login, password).token)
    assert me.tenant_name == "silk-mall" and me.role is UserRole.ADMIN
    assert [u.login for u in svc.list_users(rt.uow(), me)] == [login]
    table = cli("demo").stdout
    assert "Demo console admins" in table and password in table
    # the year ends where the demo was first loaded: the first demo tenant's creation
    with rt.uow() as uow:
        created = uow.repo.tenant_by_name("sz-gadgets").created_at
    assert first["year"]["anchor"] == f"{created:%Y-%m-%dT%H:%M}:00Z" == again["year"]["anchor"]
    assert f"the demo's year: {first['year']['start']} to {created:%Y-%m-%d %H:%M} UTC" in table

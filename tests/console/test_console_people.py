"""People and account pages: the same rules as the use cases — an admin invites and disables
its own tenant's users, a viewer is refused, every form needs its CSRF token — an invited
person takes up its one-time link (once, before it expires) and is signed in with its role,
and a user changes its password, turns on TOTP (a code from an independent pyotp instance)
and signs out everywhere."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pyotp
from lxml import html
from pydantic import SecretStr

from cbec.services import sessions, users
from tests.console.test_console_sign_in import PASSWORD, csrf_of, pre_csrf, sign_in
from tests.logcapture import log_lines


def _user(rt, tenant: str, login: str, role: str) -> None:
    users.operator_create_user(
        rt.uow(), tenant, users.NewUser(login=login, role=role, password=SecretStr(PASSWORD))
    )


def test_an_admin_invites_and_disables_its_own_users(rt, client, parties):
    _user(rt, "seller-a", "boss@seller-a", "admin")
    sign_in(client, "boss@seller-a")
    page = client.get("/console/users")
    assert page.status_code == 200
    csrf = csrf_of(page)
    form = {"csrf": csrf, "login": "new@seller-a", "role": "viewer", "display_name": "New"}
    invited = client.post("/console/users", data=form)
    assert invited.status_code == 200
    link = html.fromstring(invited.content).xpath("//div[@class='notice']//code/text()")
    assert len(link) == 1 and len(link[0].rsplit("/", 1)[1]) >= 40  # shown once, 256 bits
    listed = {u.login: u for u in users.operator_list_users(rt.uow(), "seller-a")}
    assert listed["new@seller-a"].invite_pending and listed["new@seller-a"].role == "viewer"
    bad = client.post("/console/users", data=form | {"login": "x@seller-a", "password": "short"})
    assert bad.status_code == 422 and "password" in bad.text
    target = listed["new@seller-a"].id
    assert (
        client.post(f"/console/users/{target}/disable", data={"csrf": "forged"}).status_code == 403
    )
    done = client.post(
        f"/console/users/{target}/disable", data={"csrf": csrf}, follow_redirects=False
    )
    assert done.status_code == 303
    after = {u.login: u for u in users.operator_list_users(rt.uow(), "seller-a")}
    assert after["new@seller-a"].disabled_at is not None


def test_a_viewer_cannot_manage_people_and_another_tenants_user_is_not_found(rt, client, parties):
    _user(rt, "seller-a", "view@seller-a", "viewer")
    _user(rt, "seller-b", "boss@seller-b", "admin")
    other = users.operator_list_users(rt.uow(), "seller-a")[0].id
    sign_in(client, "view@seller-a")
    assert client.get("/console/users").status_code == 403
    assert "People" not in client.get("/console/orders").text  # no link to what it may not do
    sign_in(client, "boss@seller-b")
    csrf = csrf_of(client.get("/console/users"))
    r = client.post(f"/console/users/{other}/disable", data={"csrf": csrf})
    assert r.status_code == 404
    assert users.operator_list_users(rt.uow(), "seller-a")[0].disabled_at is None


def test_a_user_turns_on_totp_then_signing_in_asks_for_the_code(rt, client, parties):
    _user(rt, "seller-a", "ann@seller-a", "operator")
    sign_in(client, "ann@seller-a")
    csrf = csrf_of(client.get("/console/account"))
    enrol = client.post("/console/account/totp", data={"csrf": csrf})
    secret = html.fromstring(enrol.content).xpath("//main//p/code/text()")[0]
    code = pyotp.TOTP(secret).now()  # an authenticator app of its own
    on = client.post("/console/account/totp/confirm", data={"csrf": csrf, "code": code})
    assert on.status_code == 200 and 'role="status"' in on.text
    first = sign_in(client, "ann@seller-a")
    assert first.headers["location"] == "/console/login/code"
    assert client.get("/console/orders", follow_redirects=False).status_code == 303
    csrf = pre_csrf(client, "/console/login/code")
    wrong = client.post(
        "/console/login/code", data={"code": "000000", "csrf": csrf}, follow_redirects=False
    )
    assert wrong.status_code == 401


def test_sign_out_everywhere_ends_every_session(rt, client, parties):
    _user(rt, "seller-a", "ann@seller-a", "operator")
    from fastapi.testclient import TestClient

    from cbec.api.app import create_app

    with TestClient(
        create_app(rt, integrate_in_background=False, deliver_in_background=False)
    ) as laptop:
        sign_in(laptop, "ann@seller-a")
        sign_in(client, "ann@seller-a")
        csrf = csrf_of(client.get("/console/account"))
        r = client.post(
            "/console/account/logout-everywhere", data={"csrf": csrf}, follow_redirects=False
        )
        assert r.status_code == 303
        assert laptop.get("/console/orders", follow_redirects=False).status_code == 303
        assert client.get("/console/orders", follow_redirects=False).status_code == 303


def _invite(client, role: str = "viewer", login: str = "new@seller-a") -> str:
    """An admin of seller-a invites ``login`` in the console; the address of the one-time
    link the page shows it (path only: the test client is the server's host)."""
    csrf = csrf_of(client.get("/console/users"))
    page = client.post("/console/users", data={"csrf": csrf, "login": login, "role": role})
    assert page.status_code == 200
    (link,) = html.fromstring(page.content).xpath("//code[@class='invite-link']/text()")
    assert link.startswith("http://testserver/console/invite/")
    client.cookies.clear()  # the admin hands the link over; the invitee has no session
    return urlsplit(link).path


def _token_of(address: str) -> str:
    return address.rsplit("/", 1)[1]


def _refusal(r) -> tuple[int, str]:
    """The status and the whole of the page's main part, spaces folded."""
    (main,) = html.fromstring(r.content).xpath("//main")
    return r.status_code, " ".join(main.text_content().split())


def test_an_invited_person_chooses_a_password_and_is_signed_in_with_its_role(rt, client, parties):
    _user(rt, "seller-a", "boss@seller-a", "admin")
    sign_in(client, "boss@seller-a")
    with log_lines("cbec.access") as lines:
        address = _invite(client, role="viewer")
        token = _token_of(address)
        form = client.get(address)
        assert form.status_code == 200 and "new@seller-a" in form.text
        assert form.headers["referrer-policy"] == "no-referrer"  # the link leaks to no site
        (hidden,) = html.fromstring(form.content).xpath("//input[@name='token']/@value")
        assert hidden == token  # posted in the form's body, not in an address
        pre = csrf_of(form)
        short = client.post(
            "/console/invite", data={"token": token, "password": "short", "csrf": pre}
        )
        assert short.status_code == 422 and "password" in short.text
        assert users.operator_list_users(rt.uow(), "seller-a")[1].invite_pending
        done = client.post(
            "/console/invite",
            data={"token": token, "password": "the invitee's own passphrase", "csrf": pre},
            follow_redirects=False,
        )
    assert done.status_code == 303 and done.headers["location"] == "/console/orders"
    cookie = done.headers["set-cookie"]
    assert cookie.startswith("cbec_session=") and "HttpOnly" in cookie
    account = client.get("/console/account")
    assert account.status_code == 200
    assert "Signed in as new@seller-a (Viewer) of seller-a." in " ".join(account.text.split())
    assert client.get("/console/users").status_code == 403  # a viewer, as invited
    logout = client.post("/console/logout", data={"csrf": csrf_of(account)})
    assert logout.status_code == 200  # the session's own CSRF token works
    assert sign_in(client, "new@seller-a", "the invitee's own passphrase").status_code == 303
    # the access log names the routes, never the token
    records = [json.loads(line) for line in lines]
    routes = {r["route"] for r in records}
    assert {"/console/invite/{token}", "/console/invite"} <= routes
    assert all(token not in line for line in lines)


def test_a_used_an_expired_and_an_unknown_invitation_get_one_answer(
    rt, client, parties, monkeypatch
):
    _user(rt, "seller-a", "boss@seller-a", "admin")
    sign_in(client, "boss@seller-a")
    used = _invite(client, login="used@seller-a")
    sign_in(client, "boss@seller-a")
    late = _invite(client, login="late@seller-a")
    sign_in(client, "boss@seller-a")
    voided = _invite(client, login="voided@seller-a")
    taken = client.post(
        "/console/invite",
        data={"token": _token_of(used), "password": PASSWORD, "csrf": csrf_of(client.get(used))},
        follow_redirects=False,
    )
    assert taken.status_code == 303
    client.cookies.clear()
    pre = pre_csrf(client)  # a browser's pre-session token, good for any such form
    ids = {u.login: u.id for u in users.operator_list_users(rt.uow(), "seller-a")}
    users.operator_disable_user(rt.uow(), "seller-a", "voided@seller-a")  # voids its link
    (expires,) = [
        u.created_at + users.INVITE_LIFETIME
        for u in users.operator_list_users(rt.uow(), "seller-a")
        if u.id == ids["late@seller-a"]
    ]
    answers = {}
    for what, address in (("used", used), ("voided", voided), ("unknown", "/console/invite/x")):
        answers[f"{what}, opened"] = _refusal(client.get(address))
        form = {"token": _token_of(address), "password": "another passphrase!", "csrf": pre}
        answers[f"{what}, posted"] = _refusal(client.post("/console/invite", data=form))
    assert client.get(late).status_code == 200  # still valid: the clock moves, not the test
    for module in (users, sessions):  # the clock the use cases read
        monkeypatch.setattr(module, "now", lambda: expires)
    answers["expired, opened"] = _refusal(client.get(late))
    form = {"token": _token_of(late), "password": "another passphrase!", "csrf": pre}
    answers["expired, posted"] = _refusal(client.post("/console/invite", data=form))
    assert len(set(answers.values())) == 1, answers
    status, main = next(iter(answers.values()))
    assert status == 404 and "does not work" in main
    assert "set-cookie" not in client.post("/console/invite", data=form).headers
    listed = {u.login: u for u in users.operator_list_users(rt.uow(), "seller-a")}
    assert listed["late@seller-a"].invite_pending and listed["voided@seller-a"].invite_pending

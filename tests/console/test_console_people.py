"""People and account pages: the same rules as the use cases — an admin invites and disables
its own tenant's users, a viewer is refused, every form needs its CSRF token — and a user
changes its password, turns on TOTP (a code from an independent pyotp instance) and signs
out everywhere."""

from __future__ import annotations

import pyotp
from lxml import html
from pydantic import SecretStr

from cbec.services import users
from tests.console.test_console_sign_in import PASSWORD, csrf_of, sign_in


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
    token = html.fromstring(invited.content).xpath("//div[@class='notice']//code/text()")
    assert len(token) == 1 and len(token[0]) >= 20  # the one-time invitation, shown once
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
    wrong = client.post("/console/login/code", data={"code": "000000"}, follow_redirects=False)
    assert wrong.status_code == 401


def test_sign_out_everywhere_ends_every_session(rt, client, parties):
    _user(rt, "seller-a", "ann@seller-a", "operator")
    from fastapi.testclient import TestClient

    from cbec.api.app import create_app

    with TestClient(create_app(rt, integrate_in_background=False)) as laptop:
        sign_in(laptop, "ann@seller-a")
        sign_in(client, "ann@seller-a")
        csrf = csrf_of(client.get("/console/account"))
        r = client.post(
            "/console/account/logout-everywhere", data={"csrf": csrf}, follow_redirects=False
        )
        assert r.status_code == 303
        assert laptop.get("/console/orders", follow_redirects=False).status_code == 303
        assert client.get("/console/orders", follow_redirects=False).status_code == 303

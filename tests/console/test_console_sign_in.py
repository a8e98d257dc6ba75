"""Signing in to the console and the order pages: the same use cases and access rules as the
API (a seller sees its orders and never another's; personal data masked as the API masks it
for the same caller), a session cookie that scripts cannot read, CSRF on every form, one
answer for every failed sign-in — a locked account's included — no session fixation, and
sign-out ending the session."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pyotp
import pytest
from lxml import html
from pydantic import SecretStr

from cbec.accounts import lockout
from cbec.demo import synthetic
from cbec.services import sessions, users
from cbec.services.users import NewUser
from cbec.trade.ports import now

PASSWORD = "a long enough passphrase"


@pytest.fixture
def people(rt, parties):
    """An operator of seller-a and one of seller-b, each with a password."""
    for tenant, login in (("seller-a", "ann@seller-a"), ("seller-b", "bo@seller-b")):
        users.operator_create_user(
            rt.uow(), tenant, NewUser(login=login, role="operator", password=SecretStr(PASSWORD))
        )
    return {"seller-a": "ann@seller-a", "seller-b": "bo@seller-b"}


def pre_csrf(client, path: str = "/console/login") -> str:
    """The token a form posted before there is a session carries (and, kept by the client,
    its pre-session cookie): read from the form's page, as a browser would."""
    return csrf_of(client.get(path))


def sign_in(client, login: str, password: str = PASSWORD):
    client.cookies.clear()
    form = {"login": login, "password": password, "csrf": pre_csrf(client)}
    return client.post("/console/login", data=form, follow_redirects=False)


def csrf_of(page) -> str:
    return html.fromstring(page.content).xpath("//input[@name='csrf']/@value")[0]


def test_pages_need_a_session(client):
    r = client.get("/console/orders", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/login"


def test_sign_in_sets_an_httponly_session_cookie_and_shows_the_orders(client, people):
    r = sign_in(client, people["seller-a"])
    assert r.status_code == 303 and r.headers["location"] == "/console/orders"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("cbec_session=")
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    token = re.match(r"cbec_session=([^;]+)", cookie).group(1)
    assert token not in client.get("/console/orders").text  # never echoed into a page
    page = client.get("/console/orders")
    assert page.status_code == 200 and "ann@seller-a" in page.text


def test_every_failed_sign_in_looks_the_same(client, people):
    answers = {
        "wrong password": sign_in(client, people["seller-a"], "not the password at all"),
        "unknown login": sign_in(client, "nobody@nowhere", PASSWORD),
    }
    bodies = set()
    for what, r in answers.items():
        assert r.status_code == 401, what
        assert "set-cookie" not in r.headers, what
        alert = html.fromstring(r.content).xpath("//*[@role='alert']")
        assert len(alert) == 1, what
        bodies.add(alert[0].text_content().strip())
    assert len(bodies) == 1


def test_a_seller_sees_its_orders_masked_as_the_api_shows_them_and_not_anothers(
    client, parties, people
):
    rng = random.Random(7)
    mine = synthetic.order(rng, "platform-a", "seller-a", "CON-1")
    theirs = synthetic.order(rng, "platform-a", "seller-b", "CON-2")
    by_platform = synthetic.order(rng, "platform-a", "seller-a", "CON-3")
    for who, order in (("seller-a", mine), ("seller-b", theirs), ("platform-a", by_platform)):
        assert client.post("/orders", json=order, headers=parties[who].headers).status_code == 201
    api = client.get("/orders", headers=parties["seller-a"].headers).json()["items"]
    sign_in(client, people["seller-a"])
    listing = client.get("/console/orders")
    assert "CON-1" in listing.text and "CON-3" in listing.text and "CON-2" not in listing.text
    for item in api:
        page = client.get(f"/console/orders/{item['id']}")
        assert page.status_code == 200
        shown = item["document"]["buyer"]["name"]  # clear for its filer, masked otherwise
        assert shown in page.text
        assert (item["pii"] == "masked") == (
            shown != mine["buyer"]["name"] and shown != by_platform["buyer"]["name"]
        )
    other = client.get("/orders", headers=parties["seller-b"].headers).json()["items"][0]
    r = client.get(f"/console/orders/{other['id']}")
    assert r.status_code == 404 and theirs["buyer"]["name"] not in r.text


def test_the_console_speaks_the_users_language(client, people):
    sign_in(client, people["seller-a"])
    client.cookies.set("cbec_lang", "zh")
    page = client.get("/console/orders")
    assert '<html lang="zh-CN">' in page.text and "订单" in page.text


def test_sign_out_needs_the_forms_csrf_token_and_ends_the_session(client, people):
    sign_in(client, people["seller-a"])
    page = client.get("/console/orders")
    token = csrf_of(page)
    forged = client.post("/console/logout", data={"csrf": "x" * 43}, follow_redirects=False)
    assert forged.status_code == 403
    assert client.get("/console/orders", follow_redirects=False).status_code == 200
    done = client.post("/console/logout", data={"csrf": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/console/login"
    assert client.get("/console/orders", follow_redirects=False).status_code == 303


def test_a_new_session_at_every_sign_in(client, people):
    first = sign_in(client, people["seller-a"]).cookies["cbec_session"]
    second = sign_in(client, people["seller-a"]).cookies["cbec_session"]
    assert first != second


def _failure_page(r) -> tuple[int, bool, str]:
    """What a failed sign-in shows: its status, whether it set a cookie, its alert's text."""
    (alert,) = html.fromstring(r.content).xpath("//*[@role='alert']")
    return r.status_code, "set-cookie" in r.headers, " ".join(alert.text_content().split())


def test_the_lock_answers_as_any_failure_and_refuses_the_right_password(
    client, people, monkeypatch
):
    """Five wrong passwords lock the account (cbec.accounts.lockout); the sign-in page then
    answers the right password exactly as a wrong one, so a guesser cannot tell it found the
    password, nor that the account is locked. The use case's clock is moved, not waited on."""
    clock = [now()]
    monkeypatch.setattr(sessions, "now", lambda: clock[0])
    login = people["seller-a"]
    unknown = _failure_page(sign_in(client, "nobody@nowhere", "not the password at all"))
    for _ in range(lockout.FAILURES_BEFORE_LOCK):
        assert _failure_page(sign_in(client, login, "not the password at all")) == unknown
        clock[0] += timedelta(seconds=1)
    (listed,) = users.operator_list_users(client.app.state.rt.uow(), "seller-a")
    assert listed.locked_until == clock[0] - timedelta(seconds=1) + lockout.FIRST_LOCK
    locked_right = sign_in(client, login)
    assert _failure_page(locked_right) == unknown
    assert _failure_page(sign_in(client, login, "not the password at all")) == unknown
    assert client.get("/console/orders", follow_redirects=False).status_code == 303
    # attempts while locked do not stretch the lock: it lifts after its minute
    clock[0] = listed.locked_until + timedelta(seconds=1)
    r = sign_in(client, login)
    assert r.status_code == 303 and r.headers["location"] == "/console/orders"


def _session_of(r) -> str:
    cookie = r.headers.get("set-cookie", "")
    found = re.match(r"cbec_session=([^;]+)", cookie)
    assert found, cookie
    return found.group(1)


def _with_cookie(client, token: str):
    """The orders page as a browser holding only the session cookie ``token`` asks it."""
    client.cookies.clear()
    client.cookies.set("cbec_session", token)
    return client.get("/console/orders", follow_redirects=False)


def test_a_planted_session_cookie_is_replaced_at_sign_in_and_gives_no_access(client, people):
    """Session fixation (OWASP ASVS 4.0.3 V3.2.1): an attacker who plants a session cookie in
    the victim's browser before it signs in — a value of its choosing, or its own valid
    session — must not share the victim's session afterwards. Unlike a fresh sign-in, the
    browser here keeps the planted cookie when it posts the form."""
    attacker = sign_in(client, people["seller-b"])  # a real session, of another account
    valid = _session_of(attacker)
    for planted in ("attacker-chosen-0123456789abcdefghijklmnopqrstu", valid):
        client.cookies.clear()
        client.cookies.set("cbec_session", planted)
        r = client.post(
            "/console/login",
            data={"login": people["seller-a"], "password": PASSWORD, "csrf": pre_csrf(client)},
            follow_redirects=False,
        )
        assert r.status_code == 303
        issued = _session_of(r)
        assert issued != planted
        assert "ann@seller-a" in _with_cookie(client, issued).text
        with_planted = _with_cookie(client, planted)
        assert "ann@seller-a" not in with_planted.text  # never the victim's session
        if planted == valid:  # still the attacker's own, and only that
            assert with_planted.status_code == 200 and "bo@seller-b" in with_planted.text
        else:
            assert with_planted.status_code == 303


def test_the_second_factor_step_issues_yet_another_session(client, people, monkeypatch):
    """With TOTP on, the password gives a half-done session that opens no page; the code step
    ends it and issues a new token. A value planted before, or the half-done token itself,
    opens nothing afterwards."""
    t0 = now()
    monkeypatch.setattr(sessions, "now", lambda: t0)
    uow = client.app.state.rt.uow
    signed = sessions.session_user(uow(), _session_of(sign_in(client, people["seller-a"])))
    assert signed is not None
    secret = sessions.enrol_totp(uow(), signed).secret
    early = t0 - timedelta(seconds=60)
    sessions.confirm_totp(uow(), signed, pyotp.TOTP(secret).at(early), at=early)
    planted = "attacker-chosen-0123456789abcdefghijklmnopqrstu"
    client.cookies.clear()
    client.cookies.set("cbec_session", planted)
    csrf = pre_csrf(client)
    first = client.post(
        "/console/login",
        data={"login": people["seller-a"], "password": PASSWORD, "csrf": csrf},
        follow_redirects=False,
    )
    assert first.headers["location"] == "/console/login/code"
    pending = _session_of(first)
    assert pending != planted
    assert _with_cookie(client, pending).status_code == 303  # half done: no page yet
    done = client.post(
        "/console/login/code",
        data={"code": pyotp.TOTP(secret).at(t0), "csrf": pre_csrf(client, "/console/login/code")},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/console/orders"
    full = _session_of(done)
    assert full not in (pending, planted)
    assert "ann@seller-a" in _with_cookie(client, full).text
    for stale in (pending, planted):
        assert _with_cookie(client, stale).status_code == 303
    # the half-done session is over: it cannot complete a second time
    client.cookies.clear()
    client.cookies.set("cbec_session", pending)
    again = client.post(
        "/console/login/code",
        data={"code": pyotp.TOTP(secret).at(t0), "csrf": pre_csrf(client, "/console/login/code")},
        follow_redirects=False,
    )
    assert again.status_code == 401 and "set-cookie" not in again.headers


def test_an_orders_evidence_is_verified_on_its_page_and_downloads_as_the_api_gives_it(
    client, parties, people
):
    from cbec.ledger.verify import verify_bundle

    order = synthetic.order(random.Random(8), "platform-a", "seller-a", "EV-1")
    doc_id = client.post("/orders", json=order, headers=parties["seller-a"].headers).json()["id"]
    sign_in(client, people["seller-a"])
    page = client.get(f"/console/orders/{doc_id}")
    status = html.fromstring(page.content).xpath("//*[@class='verified']")
    assert len(status) == 1
    download = client.get(f"/console/orders/{doc_id}/evidence")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    api = client.get(f"/orders/{doc_id}/evidence", headers=parties["seller-a"].headers)
    assert download.text == api.text  # the same bundle the API serves
    key = client.get("/ledger/key", headers=parties["seller-a"].headers).json()
    verdict = verify_bundle(download.text, key["verifier_keys"], origin=key["origin"])
    assert verdict.ok and verdict.entry["id"] == doc_id  # an auditor's own check agrees
    theirs = synthetic.order(random.Random(9), "platform-a", "seller-b", "EV-2")
    other = client.post("/orders", json=theirs, headers=parties["seller-b"].headers).json()["id"]
    assert client.get(f"/console/orders/{other}/evidence").status_code == 404
    assert client.get(f"/console/orders/{other}").status_code == 404


def test_forms_before_a_session_need_their_token(client, people):
    """Login CSRF (OWASP): another site cannot sign a browser into an account it chose. The
    sign-in, second-factor and invitation forms carry the keyed hash of the browser's own
    pre-session cookie; without it, with another browser's, or with a cookie but a forged
    value, the post is refused (403) and no session is issued."""
    form = {"login": people["seller-a"], "password": PASSWORD}
    client.cookies.clear()
    assert "cbec_session" not in client.post("/console/login", data=form).cookies
    assert client.post("/console/login", data=form).status_code == 403
    other = pre_csrf(client)  # a token of this browser's cookie...
    client.cookies.clear()
    pre_csrf(client)  # ...and this browser's next cookie, another value
    for csrf in (other, "x" * 43):
        refused = client.post("/console/login", data=form | {"csrf": csrf}, follow_redirects=False)
        assert refused.status_code == 403 and "set-cookie" not in refused.headers
    for path, fields in (
        ("/console/login/code", {"code": "000000"}),
        ("/console/invite", {"token": "t", "password": "p" * 16}),
    ):
        client.cookies.clear()
        assert client.post(path, data=fields, follow_redirects=False).status_code == 403
    ok = client.post(
        "/console/login", data=form | {"csrf": pre_csrf(client)}, follow_redirects=False
    )
    assert ok.status_code == 303 and "cbec_session=" in ok.headers["set-cookie"]
    client.cookies.clear()
    cookie = client.get("/console/login").headers["set-cookie"].lower()
    assert cookie.startswith("cbec_pre=") and "samesite=strict" in cookie and "httponly" in cookie

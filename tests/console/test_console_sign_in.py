"""Signing in to the console and the order pages: the same use cases and access rules as the
API (a seller sees its orders and never another's; personal data masked as the API masks it
for the same caller), a session cookie that scripts cannot read, CSRF on every form, one
answer for every failed sign-in, and sign-out ending the session."""

from __future__ import annotations

import random
import re

import pytest
from lxml import html
from pydantic import SecretStr

from cbec.demo import synthetic
from cbec.services import users
from cbec.services.users import NewUser

PASSWORD = "a long enough passphrase"


@pytest.fixture
def people(rt, parties):
    """An operator of seller-a and one of seller-b, each with a password."""
    for tenant, login in (("seller-a", "ann@seller-a"), ("seller-b", "bo@seller-b")):
        users.operator_create_user(
            rt.uow(), tenant, NewUser(login=login, role="operator", password=SecretStr(PASSWORD))
        )
    return {"seller-a": "ann@seller-a", "seller-b": "bo@seller-b"}


def sign_in(client, login: str, password: str = PASSWORD):
    client.cookies.clear()
    return client.post(
        "/console/login", data={"login": login, "password": password}, follow_redirects=False
    )


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

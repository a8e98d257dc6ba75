"""The access log: one JSON line per request naming the route template, status, time and
tenant — and nothing personal (PIPL Art. 4, GDPR Art. 4(1)): personal data sent every way a
client can (path, query string, body, form, header) never reaches a line."""

from __future__ import annotations

import json
import random

import httpx
import pytest
from lxml import html
from pydantic import SecretStr

from cbec.demo import synthetic
from cbec.services import users
from tests.logcapture import log_lines
from tests.serverproc import running_server, settings_env

FIELDS = {"time", "method", "route", "status", "ms", "bytes", "tenant", "request_id"}


@pytest.fixture
def lines():
    with log_lines("cbec.access") as out:
        yield out


def test_personal_data_sent_every_way_never_reaches_the_log(client, parties, rt, lines):
    order = synthetic.order(random.Random(11), "platform-a", "seller-a", "PII-ORDER-77")
    buyer = order["buyer"]
    email = "wang.fang@example.cn"
    users.operator_create_user(
        rt.uow(),
        "seller-a",
        users.NewUser(login=email, role="operator", password=SecretStr("p" * 16)),
    )
    seller = parties["seller-a"]
    login_form = client.get("/console/login")  # the sign-in form's pre-session token
    csrf = html.fromstring(login_form.content).xpath("//input[@name='csrf']/@value")[0]
    lines.clear()
    filed = client.post("/orders", json=order, headers=seller.headers)
    assert filed.status_code == 201
    doc_id = filed.json()["id"]
    secrets = [buyer["name"], buyer["id_number"], buyer["phone"], "PII-ORDER-77", email, doc_id]
    sent = [
        client.get("/orders", params={"order_no": "PII-ORDER-77"}, headers=seller.headers),
        client.get(f"/orders/{doc_id}", headers=seller.headers),
        client.get(f"/no-such-page/{email}"),
        client.get("/static/console/console.css"),
        client.post(
            "/console/login",
            data={"login": email, "password": "p" * 16, "csrf": csrf},
            follow_redirects=False,
        ),
        client.get("/console/orders", params={"order_no": "PII-ORDER-77"}),
        client.get("/orders", headers={"Authorization": f"Bearer {buyer['phone']}"}),
    ]
    assert [r.status_code for r in sent] == [200, 200, 404, 200, 303, 200, 401]
    records = [json.loads(line) for line in lines]
    assert len(records) == len(sent) + 1  # the filing, then each request sent
    assert all(set(r) == FIELDS for r in records)
    assert [(r["method"], r["route"], r["status"]) for r in records] == [
        ("POST", "/orders", 201),
        ("GET", "/orders", 200),
        ("GET", "/orders/{doc_id}", 200),
        ("GET", "-", 404),
        ("GET", "/static/*", 200),
        ("POST", "/console/login", 303),
        ("GET", "/console/orders", 200),
        ("GET", "/orders", 401),
    ]
    # the tenant is named when the caller is known (API key or console session), else "-"
    tenant = seller.viewer.tenant_id
    assert [r["tenant"] for r in records] == [tenant, tenant, tenant, "-", "-", "-", tenant, "-"]
    text = "\n".join(lines)
    for secret in secrets:
        assert secret not in text
    assert "testclient" not in text  # the client's address


def test_cbec_serve_writes_the_log_on_standard_error(rt):
    with running_server(settings_env(rt.settings)) as (url, proc):
        assert httpx.get(f"{url}/orders/0123456789abcdef0123456789abcdef").status_code == 401
        assert httpx.get(f"{url}/healthz").status_code == 200
        proc.terminate()
        proc.wait(timeout=60)
        proc.log.seek(0)
        said = [json.loads(x) for x in proc.log.read().decode().splitlines() if x.startswith("{")]
    # application lines share standard error (the integrator's "process N leads"): the access
    # lines are those with a route
    routes = [(r["route"], r["status"]) for r in said if "route" in r]
    assert ("/orders/{doc_id}", 401) in routes and ("/healthz", 200) in routes

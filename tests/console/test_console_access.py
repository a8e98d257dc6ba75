"""Access to every console page, generated from the application's routes (the console is not
in the OpenAPI document, so ``tests/contract/test_bola.py`` cannot see it).

Nobody lists the pages here: every route under ``/console`` is called, so a new page is
covered the day it is added. For each one:

* not signed in, it leads to the sign-in page (303) — unless it is in :data:`PUBLIC`;
* a form posted without the session's CSRF token, or with another session's, is refused (403);
* a page that names an object in its address answers an outsider (a user of a tenant that may
  not read the object) exactly as it answers for an object that does not exist — a 404 (or a
  403 for a page its role may not use at all), never a 2xx — while the object's owner is
  served (no 404, no 422), which proves the address was real. :data:`SUBJECTS` maps each
  path parameter to an object the ``world`` fixture creates; a page whose parameter is not
  mapped FAILS with its name: add it there.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from lxml import html
from pydantic import SecretStr

from cbec.demo import synthetic
from cbec.services import users
from tests.console.test_console_sign_in import pre_csrf
from tests.contract.test_bola import RULE
from tests.governance.records import record
from tests.talent.world import EXPERT, EXPERT_FORM, PROJECT_FORM, engagement

PASSWORD = "a long enough passphrase"

# Pages anyone may open, with the reason.
PUBLIC = {
    ("GET", "/console"),  # the front page (the dashboard once signed in)
    ("GET", "/console/lang/{code}"),  # the language switch: a cookie, nothing read
    ("GET", "/console/login"),
    ("POST", "/console/login"),  # signing in is how one gets a session
    ("GET", "/console/login/code"),  # the second factor's form, before the session
    ("POST", "/console/login/code"),
    # an invited person has no session yet: the one-time token in the link is its credential
    ("GET", "/console/invite/{token}"),
    ("POST", "/console/invite"),
    # a platform's algorithm transparency page: public by law (DSA Art. 27, CAC provisions
    # Art. 16); it shows only the public part of filed records
    ("GET", "/console/transparency/{platform}"),
}

# Forms posted before there is a session: they carry the pre-session token instead of a
# session's (tests/console/test_console_sign_in.py::test_forms_before_a_session_need_their_token).
NO_CSRF = {
    ("POST", "/console/login"),
    ("POST", "/console/login/code"),
    ("POST", "/console/invite"),
}

# Path parameters that name no object: a valid value.
VALUES = {"code": "zh", "action": "disable", "fmt": "csv", "kind": "order", "headers": "en"}

# (path prefix, parameter) -> (object of ``world``, its owner, the outsiders who may not read it)
SUBJECTS = {
    ("/console/orders/", "doc_id"): ("order", "seller-a", ["seller-b", "platform-b"]),
    ("/console/users/", "user_id"): ("user", "seller-a", ["seller-b", "regulator"]),
    ("/console/hits/", "hit_id"): ("hit", "platform-a", ["seller-b", "platform-b"]),
    # a rule change's log entry names platform-a only
    ("/console/ledger/entries/", "index"): ("ledger_entry", "platform-a", ["seller-b"]),
    # a platform's own rule: it and the regulators read it
    ("/console/rules/", "rule_id"): ("rule", "platform-a", ["platform-b", "seller-b"]),
    ("/console/sandboxes/", "enrolment_id"): ("enrolment", "regulator", ["platform-b"]),
    # an upload at the import desk: its uploader's alone
    ("/console/imports/", "draft_id"): ("draft", "seller-a", ["seller-b", "platform-a"]),
    # a waybill on platform-a's order: its platform reads it (its carrier has no console user)
    ("/console/shipments/", "doc_id"): ("waybill", "platform-a", ["seller-b", "platform-b"]),
    # an order's e-invoice: its parties build it
    ("/console/einvoices/orders/", "doc_id"): ("order", "seller-a", ["seller-b", "platform-b"]),
    # webhooks: the subscribing tenant's alone
    ("/console/webhooks/subscriptions/", "sub_id"): (
        "webhook_subscription",
        "seller-a",
        ["seller-b", "platform-a"],
    ),
    ("/console/webhooks/deliveries/", "delivery_id"): (
        "webhook_delivery",
        "seller-a",
        ["seller-b", "platform-a"],
    ),
    # an algorithm record: its owner's (and the regulators')
    ("/console/algorithms/", "record_id"): ("algorithm", "platform-a", ["platform-b", "seller-b"]),
    # a dispute case on seller-a's order: its platform and seller are its parties
    ("/console/disputes/", "case_id"): (
        "dispute",
        "seller-a",
        ["seller-b", "platform-b", "regulator"],
    ),
    # a project is its seller's alone; an engagement its seller's and its expert's publisher's
    # a profile's own page is its publisher's (the listing shows it to everyone)
    ("/console/talent/experts/", "expert_id"): (
        "talent_expert",
        "seller-a",
        ["seller-b", "platform-a", "regulator"],
    ),
    ("/console/talent/projects/", "project_id"): (
        "talent_project",
        "seller-a",
        ["seller-b", "platform-a", "regulator"],
    ),
    ("/console/talent/engagements/", "engagement_id"): (
        "talent_engagement",
        "seller-a",
        ["seller-b", "platform-a", "regulator"],
    ),
    # a poll of seller-a's: its own alone (platforms relay votes through the API only)
    ("/console/polls/", "poll_id"): ("poll", "seller-a", ["seller-b", "platform-a", "regulator"]),
}
MISSING = {
    "order": "0" * 32,
    "user": "999999",
    "hit": "999999999",
    "ledger_entry": "999999",
    "rule": "platform-a.no-such-rule",
    "enrolment": "999999",
    "draft": "f" * 32,
    "waybill": "0" * 32,
    "webhook_subscription": "0" * 32,
    "webhook_delivery": "0" * 32,
    "algorithm": "f" * 32,
    "dispute": "0" * 32,
    "talent_expert": "0" * 32,
    "talent_project": "0" * 32,
    "talent_engagement": "0" * 32,
    "poll": "0" * 32,
}
UPLOAD = {"file": ("orders.csv", b"order_no,platform\nACCESS-2,platform-a\n", "text/csv")}
RULE_ID = "platform-a.access.flag"
RULE_TEXT = json.dumps(RULE | {"id": RULE_ID})

# Form fields a page needs beyond the CSRF token, so that a refusal is about who asks.
FORMS = {
    ("POST", "/console/users"): {"login": "new@seller-a", "role": "viewer"},
    ("POST", "/console/account/password"): {"current": PASSWORD, "new": "another passphrase!"},
    ("POST", "/console/account/totp/confirm"): {"code": "000000"},
    ("POST", "/console/hits/{hit_id}/review"): {"decision": "dismiss", "reason": "access test"},
    ("POST", "/console/orders/{doc_id}/reveal"): {"reason": "access test"},
    ("POST", "/console/ledger/accept"): {"size": "1"},
    ("POST", "/console/rules/{rule_id}/what-if"): {"text": RULE_TEXT, "days": "30"},
    ("POST", "/console/rules/{rule_id}"): {"text": RULE_TEXT},
    ("POST", "/console/rule-drafts/what-if"): {
        "text": json.dumps(RULE | {"id": "platform-a.access.new"}),
        "days": "30",
    },
    ("POST", "/console/rule-drafts"): {"text": json.dumps(RULE | {"id": "platform-a.access.new"})},
    ("POST", "/console/import"): {"kind": "order"},
    ("POST", "/console/imports/{draft_id}/mapping"): {"col": ["order_no", "platform"]},
    ("POST", "/console/sandboxes"): {
        "firm": "seller-a",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "relaxed_rules": RULE_ID,
        "source": "access test",
    },
    ("POST", "/console/webhooks/subscriptions"): {
        "url": "https://hooks.example.com/cbec",
        "event_types": "document.filed",
    },
    ("POST", "/console/webhooks/subscriptions/{sub_id}/off"): {"confirm": "yes"},
    ("POST", "/console/marketplace/profile"): {"marketplace": "shopify"},
    ("POST", "/console/algorithms"): {"text": json.dumps(record(name="Access new"))},
    ("POST", "/console/algorithms/{record_id}"): {
        "text": json.dumps(record(name="Access v2")),
        "summary": "access test",
    },
    ("POST", "/console/algorithms/{record_id}/filing"): {"filing_number": "ACCESS-1"},
    ("POST", "/console/disputes"): {"reason": "other", "amount": "1", "currency": "CNY"},
    ("POST", "/console/disputes/{case_id}/messages"): {"text": "access test"},
    ("POST", "/console/disputes/{case_id}/resolution"): {"outcome": "refund_full"},
    ("POST", "/console/talent/engagements/{engagement_id}/steps"): {
        "number": "1",
        "to": "accepted",
    },
    ("POST", "/console/talent/engagements/{engagement_id}/rating"): {"rating": "5"},
    ("POST", "/console/talent/experts"): EXPERT_FORM,
    ("POST", "/console/talent/experts/{expert_id}"): EXPERT_FORM,
    ("POST", "/console/talent/projects"): PROJECT_FORM,
    ("POST", "/console/talent/projects/{project_id}"): PROJECT_FORM,
    ("POST", "/console/polls"): {"topic": "size", "question": "Which?", "options": "S\nM"},
    ("POST", "/console/einvoices/orders/{doc_id}"): {
        "seller.name": "Seller A Trading Ltd",
        "seller.vat_id": "CN91310000MA1FL0001",
        "seller.endpoint.scheme": "0088",
        "seller.endpoint.id": "7300010000001",
        "buyer_endpoint.scheme": "EM",
        "buyer_endpoint.id": "buyer@example.com",
        "paid": "on",
    },
    ("POST", "/console/einvoices/orders/{doc_id}/credit-note"): {
        "seller.name": "Seller A Trading Ltd",
        "seller.vat_id": "CN91310000MA1FL0001",
        "seller.endpoint.scheme": "0088",
        "seller.endpoint.id": "7300010000001",
        "buyer_endpoint.scheme": "EM",
        "buyer_endpoint.id": "buyer@example.com",
        "paid": "on",
        "reason": "access test: a unit returned",
        "credit": "amount",
        "amount": "1.00",
    },
}


@dataclass
class World:
    objects: dict[str, str]
    logins: dict[str, str]  # tenant -> the login of its admin


@pytest.fixture
def world(rt, parties, client) -> World:
    logins = {}
    for tenant in ("seller-a", "seller-b", "platform-a", "platform-b", "regulator"):
        login = f"admin@{tenant}"
        users.operator_create_user(
            rt.uow(), tenant, users.NewUser(login=login, role="admin", password=SecretStr(PASSWORD))
        )
        logins[tenant] = login
    users.operator_create_user(
        rt.uow(),
        "seller-a",
        users.NewUser(login="staff@seller-a", role="viewer", password=SecretStr(PASSWORD)),
    )
    staff = next(u for u in users.operator_list_users(rt.uow(), "seller-a") if "staff" in u.login)
    hook = {"url": "http://127.0.0.1:9/access", "event_types": ["document.filed"]}
    subscribed = client.post(
        "/webhooks/subscriptions", json=hook, headers=parties["seller-a"].headers
    )
    assert subscribed.status_code == 201, subscribed.text
    rng = random.Random(9)
    order = synthetic.order(rng, "platform-a", "seller-a", "ACCESS-1")
    filed = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert filed.status_code == 201
    carried = client.post(
        "/waybills",
        json=synthetic.waybill(rng, order, "ACCESS-WB-1"),
        headers=parties["ship-a"].headers,
    )
    assert carried.status_code == 201, carried.text
    platform = parties["platform-a"].headers
    rule_id = "platform-a.access.flag"
    changed = client.put(
        f"/compliance/rules/{rule_id}", json=RULE | {"id": rule_id}, headers=platform
    )
    assert changed.status_code in (200, 201), changed.text
    listed = {
        "id": "access-1",
        "schema": "Person",
        "properties": {"name": ["Zhang San Access"], "topics": ["sanction"]},
    }
    r = client.post(
        "/screening/lists",
        params={"name": "access", "source": "access test"},
        content=json.dumps(listed).encode(),
        headers=platform,
    )
    assert r.status_code == 200, r.text
    flagged = synthetic.order(rng, "platform-a", "seller-a", "ACCESS-HIT")
    flagged["buyer"] = flagged["buyer"] | {"name": "Zhang San Access"}
    assert client.post("/orders", json=flagged, headers=parties["seller-a"].headers).is_success
    (hit,) = client.get("/screening/hits", headers=platform).json()
    enrolment = {
        "firm": "seller-a",
        "scope": {"direction": "import"},
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "relaxed_rules": [RULE_ID],
        "max_orders": 1,
        "source": "pilot approval 2026-01",
    }
    enrolled = client.post(
        "/compliance/sandboxes", json=enrolment, headers=parties["regulator"].headers
    )
    assert enrolled.status_code == 200, enrolled.text
    csrf = sign_in(client, logins["seller-a"])
    staged = client.post(
        "/console/import",
        data={"csrf": csrf, "kind": "order"},
        files=UPLOAD,
        follow_redirects=False,
    )
    assert staged.status_code == 303, staged.text
    client.cookies.clear()
    algorithm = client.post("/algorithms", json=record(), headers=platform)
    assert algorithm.status_code == 201, algorithm.text
    deliveries = client.get("/webhooks/deliveries", headers=parties["seller-a"].headers)
    claim = {"amount": "10.00", "currency": "CNY"}
    opened = client.post(
        "/disputes",
        json={"order_id": filed.json()["id"], "reason": "other", "claim": claim},
        headers=parties["seller-a"].headers,
    )
    assert opened.status_code == 201, opened.text
    talent = engagement(client, parties)
    expert = client.post("/talent/experts", json=EXPERT, headers=parties["seller-a"].headers)
    assert expert.status_code == 201, expert.text
    poll = {"topic": "colour", "question": "Which colour?", "options": ["Red", "Blue"]}
    polled = client.post("/polls", json=poll, headers=parties["seller-a"].headers)
    assert polled.status_code == 201, polled.text
    objects = {
        "talent_expert": expert.json()["id"],
        "talent_project": talent["project"]["id"],
        "talent_engagement": talent["engagement"]["id"],
        "poll": polled.json()["id"],
        "dispute": opened.json()["id"],
        "webhook_subscription": subscribed.json()["id"],
        "algorithm": algorithm.json()["id"],
        "webhook_delivery": deliveries.json()["deliveries"][0]["id"],
        "draft": staged.headers["location"].rsplit("/", 1)[1],
        "rule": RULE_ID,
        "enrolment": str(enrolled.json()["id"]),
        "order": filed.json()["id"],
        "waybill": carried.json()["id"],
        "user": str(staff.id),
        "hit": str(hit["id"]),
        "ledger_entry": str(changed.json()["ledger"]["index"]),
    }
    return World(objects, logins)


def console_routes(client) -> list[tuple[str, str]]:
    found = []
    for route in iter_route_contexts(client.app.routes):  # through the included routers
        if (route.path or "").startswith("/console") and route.methods:
            found += [(method, route.path) for method in sorted(route.methods)]
    assert len(found) >= 15
    return found


def subject(path: str, param: str):
    for (prefix, name), value in SUBJECTS.items():
        if name == param and path.startswith(prefix):
            return value
    return None


def address(path: str, world: World, missing: bool = False) -> str:
    def fill(match: re.Match) -> str:
        param = match.group(1)
        if param in VALUES:
            return VALUES[param]
        found = subject(path, param)
        assert found, f"{path}: say what {{{param}}} names in SUBJECTS (or VALUES)"
        return MISSING[found[0]] if missing else world.objects[found[0]]

    return re.sub(r"\{(\w+)\}", fill, path)


def sign_in(client, login: str) -> str:
    """Signs in; the session's CSRF token."""
    client.cookies.clear()
    form = {"login": login, "password": PASSWORD, "csrf": pre_csrf(client)}
    r = client.post("/console/login", data=form)
    assert r.status_code == 200, r.text
    token = html.fromstring(client.get("/console/account").content).xpath(
        "//input[@name='csrf']/@value"
    )
    return token[0]


def call(client, method: str, url: str, csrf: str | None, form: dict | None = None):
    if method == "GET":
        return client.get(url, follow_redirects=False)
    data = dict(form or {})
    if csrf is not None:
        data["csrf"] = csrf
    files = UPLOAD if url == "/console/import" else None
    return client.post(url, data=data, files=files, follow_redirects=False)


def test_every_page_but_the_public_ones_needs_a_session(client, world):
    client.cookies.clear()
    for method, path in console_routes(client):
        if (method, path) in PUBLIC:
            continue
        r = call(client, method, address(path, world), None, FORMS.get((method, path)))
        assert (r.status_code, r.headers.get("location")) == (303, "/console/login"), (
            method,
            path,
        )


def test_every_form_needs_the_sessions_csrf_token(client, world):
    sign_in(client, world.logins["seller-b"])
    other = sign_in(client, world.logins["seller-a"])  # a real token, of another session
    sign_in(client, world.logins["seller-b"])
    posts = [(m, p) for m, p in console_routes(client) if m == "POST" and (m, p) not in NO_CSRF]
    assert posts
    for method, path in posts:
        url = address(path, world)
        form = FORMS.get((method, path))
        assert call(client, method, url, None, form).status_code == 403, path
        assert call(client, method, url, other, form).status_code == 403, path
        assert call(client, method, url, "x" * 40, form).status_code == 403, path


def test_an_outsider_learns_nothing_of_anothers_object(client, world):
    # each login signs in once, on a client of its own (a sign-in is an Argon2 verification,
    # a fifth of a second; once per route and login they were most of the test's time)
    sessions: dict[str, tuple[TestClient, str]] = {}

    def as_(login: str) -> tuple[TestClient, str]:
        if login not in sessions:
            own = TestClient(client.app)
            sessions[login] = (own, sign_in(own, world.logins[login]))
        return sessions[login]

    checked = 0
    for method, path in console_routes(client):
        params = re.findall(r"\{(\w+)\}", path)
        subjects = [subject(path, p) for p in params if p not in VALUES]
        if not subjects or (method, path) in PUBLIC:
            continue
        assert all(subjects), f"{path}: say what its parameters name in SUBJECTS"
        _kind, owner, outsiders = subjects[0]
        form = FORMS.get((method, path))
        for outsider in outsiders:
            theirs_client, csrf = as_(outsider)
            absent = call(theirs_client, method, address(path, world, missing=True), csrf, form)
            theirs = call(theirs_client, method, address(path, world), csrf, form)
            assert absent.status_code in (403, 404), (path, outsider, absent.status_code)
            assert theirs.status_code == absent.status_code, (path, outsider)
            checked += 1
        owners_client, csrf = as_(owner)
        mine = call(owners_client, method, address(path, world), csrf, form)
        assert mine.status_code not in (404, 422), (path, owner, mine.status_code)
    assert checked >= 6

"""Broken object-level authorisation (OWASP API1:2023 BOLA), tested from the contract: every
operation of ``/openapi.json`` that names an object in its path is called, as every tenant
that is not a party to the object, with the id of an object another tenant owns.

Nobody lists the routes here: the operations come from the OpenAPI document, so a new route
is covered the day it is added. What the test cannot do by itself is know which object a path
parameter names; :data:`SUBJECTS` maps ``(path prefix, parameter)`` to one of the objects the
``world`` fixture creates, and an operation whose parameter is not mapped FAILS with its name
— add its object to ``world`` and ``SUBJECTS`` (or, for an object that is public by design,
to :data:`PUBLIC`, with the reason).

For each outsider the answer must be a 403 or a 404 — never a 2xx, and never a validation
error that would stop the request before the access check (give the operation a body in
:data:`BODIES` instead) — and it must be the very answer (status and problem code) the same
caller gets for an id that does not exist, so that the answer does not tell whether another
tenant's object exists. Then the object's owner makes the same call: it must not get a 404 or
a 422, which proves the id and the body were real and the outsiders were refused for who they
are, not for what they sent.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from cbec.demo import synthetic
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant
from tests.conftest import Party
from tests.governance.records import record
from tests.talent.world import engagement
from tests.tax.orders import charge_body, order_doc

# Tenants beyond the shared roster: a second regulator, who must not reach the first one's
# own objects (its API keys).
EXTRA = [("regulator-b", Role.REGULATOR)]
REGULATORS = {"regulator", "regulator-b"}

# Operations whose path parameter names something public by design: skipped, with the reason.
PUBLIC = {
    # Signed tree heads name no tenant and are meant to be gossiped (c2sp.org/tlog-checkpoint).
    ("get", "/ledger/checkpoints/{size}"),
    # Reference data: the positive list is the same for every tenant.
    ("get", "/tax/cn-import/positive-list/{hs_code}"),
    # Rules bind every tenant; like the rules in force (GET /compliance/rules) their history
    # is readable by all.
    ("get", "/compliance/rules/{rule_id}/history"),
    # The path names a marketplace, and a PUT saves the caller's own profile of it: it never
    # reaches another tenant's (the GET and DELETE beside it are tested).
    ("put", "/marketplace/profiles/{marketplace}"),
    # A platform's algorithm transparency list: public by law (DSA Art. 27, CAC provisions
    # Art. 16), read without a key; it shows only filed records' public part.
    ("get", "/public/platforms/{platform}/algorithms"),
    # A published expert profile is offered to every tenant by design; its personal parts
    # (name, contact, certificate numbers) stay sealed for all but its publisher and the
    # sellers that engaged the expert (tests/talent/test_talent_api.py).
    ("get", "/talent/experts/{expert_id}"),
}

# (path prefix, path parameter) -> the object of ``world`` it names.
SUBJECTS = {
    ("/orders/", "doc_id"): "order",
    ("/payments/", "doc_id"): "payment",
    ("/waybills/", "doc_id"): "waybill",
    ("/logistics/waybills/", "doc_id"): "waybill",
    ("/logistics/orders/", "doc_id"): "order",
    ("/logistics/batches/", "gtin"): "batch_gtin",
    ("/logistics/batches/", "lot"): "batch_lot",
    ("/products/", "doc_id"): "product",
    ("/tax/cn-import/charges/", "order_ref"): "tax_charge",
    ("/compliance/rules/", "rule_id"): "rule",
    ("/compliance/sandboxes/", "enrolment_id"): "enrolment",
    ("/ledger/entries/", "index"): "ledger_entry",
    ("/keys/", "key_id"): "key",
    ("/webhooks/subscriptions/", "sub_id"): "webhook_subscription",
    ("/webhooks/deliveries/", "delivery_id"): "webhook_delivery",
    ("/screening/hits/", "hit_id"): "hit",
    ("/marketplace/profiles/", "marketplace"): "marketplace_profile",
    ("/algorithms/", "record_id"): "algorithm",
    ("/disputes/", "case_id"): "dispute",
    ("/talent/experts/", "expert_id"): "talent_expert",
    ("/talent/projects/", "project_id"): "talent_project",
    ("/talent/engagements/", "engagement_id"): "talent_engagement",
    ("/polls/", "poll_id"): "poll",
}

RULE = {
    "title": {"zh": "测试：标记玩具", "en": "test: flag toys"},
    "kind": "flag",
    "scope": {"direction": "import"},
    "match": [{"hs": ["9503"]}],
    "effective_from": "2020-01-01",
    "source": "test rule",
}
DECLARE = {
    "customs_code": "2991",
    "port_code": "2991",
    "assure_code": "4403960002",
    "voyage_no": "CA1234",
    "bill_no": "999-12345678",
}


def _product_body(_ids: dict[str, str]) -> Any:
    return synthetic.product(synthetic.CATALOG[1])


# (method, path) -> a valid body, given the path parameters' values.
BODIES: dict[tuple[str, str], Callable[[dict[str, str]], Any]] = {
    ("put", "/products/{doc_id}"): _product_body,
    ("post", "/orders/{doc_id}/customs/ceb621"): lambda _ids: DECLARE,
    ("post", "/orders/{doc_id}/invoice"): lambda _ids: {
        "seller": {
            "name": "Seller A",
            "endpoint": {"scheme": "0060", "id": "123456789"},
            "company_id": "91310000MA1FL0001",
        },
        "buyer_endpoint": {"scheme": "0060", "id": "987654321"},
        "vat_category": "O",
    },
    ("post", "/orders/{doc_id}/credit-note"): lambda _ids: {
        "seller": {
            "name": "Seller A",
            "endpoint": {"scheme": "0060", "id": "123456789"},
            "company_id": "91310000MA1FL0001",
        },
        "buyer_endpoint": {"scheme": "0060", "id": "987654321"},
        "vat_category": "O",
        "reason": "Goods returned",
    },
    ("post", "/tax/cn-import/charges/{order_ref}/refund"): lambda _ids: {
        "returned_on": "2026-03-10"
    },
    ("put", "/compliance/rules/{rule_id}"): lambda ids: RULE | {"id": ids["rule_id"]},
    ("post", "/disputes/{case_id}/messages"): lambda _ids: {"text": "access test"},
    ("post", "/disputes/{case_id}/resolution"): lambda _ids: {"outcome": "refund_full"},
    ("patch", "/talent/experts/{expert_id}"): lambda _ids: {"headline": "BOLA"},
    ("patch", "/talent/projects/{project_id}"): lambda _ids: {"title": "BOLA"},
    ("post", "/talent/engagements/{engagement_id}/deliverables"): lambda _ids: {"title": "BOLA"},
    ("post", "/talent/engagements/{engagement_id}/steps"): lambda _ids: {
        "number": 1,
        "to": "accepted",
    },
    ("post", "/talent/engagements/{engagement_id}/rating"): lambda _ids: {"rating": 5},
    ("post", "/polls/{poll_id}/votes"): lambda _ids: {
        "order_id": "f" * 32,
        "buyer_account_id": "access-test",
        "option": "Red",
    },
    ("post", "/screening/hits/{hit_id}/review"): lambda _ids: {
        "decision": "dismiss",
        "reason": "access test: a namesake",
    },
    ("put", "/algorithms/{record_id}"): lambda _ids: {
        "record": record(name="BOLA feed v2"),
        "change_summary": "access test",
    },
    ("post", "/algorithms/{record_id}/filing"): lambda _ids: {"filing_number": "BOLA-1"},
}
REVEAL = {"reason": "access test: another tenant's object"}


@dataclass
class Obj:
    """An object of the world: its id, an id of the same shape that names nothing, and the
    tenants who may legitimately act on it (everyone else is an outsider)."""

    id: str
    ghost: str | None  # None: the id is public (so its existence is no secret)
    owner: str
    parties: set[str] = field(default_factory=set)

    def outsiders(self, everyone: list[str]) -> list[str]:
        return [n for n in everyone if n != self.owner and n not in self.parties]


@pytest.fixture
def people(rt, parties) -> dict[str, Party]:
    out = dict(parties)
    with rt.uow(write=True) as uow:
        for name, role in EXTRA:
            tenant, key = create_tenant(uow.repo, name, role)
            out[name] = Party(Viewer(tenant.id, name, role), key)
        uow.commit()
    return out


@pytest.fixture
def world(client, people) -> dict[str, Obj]:
    """One object of each kind the API has, owned by the ``-a`` tenants (and the regulator)."""
    rng = random.Random(13)
    order = synthetic.order(rng, "platform-a", "seller-a", "BOLA-1")

    def call(method: str, path: str, who: str, body: Any) -> dict:
        r = client.request(method, path, json=body, headers=people[who].headers)
        assert r.status_code in (200, 201), r.text
        return r.json()

    def post_doc(path: str, who: str, body: dict) -> str:
        return call("POST", path, who, body)["id"]

    ghost_doc = "f" * 32
    readers = {"platform-a"} | REGULATORS
    objs = {
        "order": Obj(post_doc("/orders", "seller-a", order), ghost_doc, "seller-a", readers),
        "payment": Obj(
            post_doc("/payments", "pay-a", synthetic.payment(rng, order, "BOLA-TX")),
            ghost_doc,
            "pay-a",
            {"seller-a"} | readers,
        ),
        "waybill": Obj(
            post_doc("/waybills", "ship-a", synthetic.waybill(rng, order, "BOLA-WB")),
            ghost_doc,
            "ship-a",
            {"seller-a"} | readers,
        ),
        "product": Obj(
            post_doc("/products", "seller-a", synthetic.product(synthetic.CATALOG[1])),
            ghost_doc,
            "seller-a",
            set(REGULATORS),
        ),
    }
    # a quota charge names a stored order it withholds for: platform-a charges one of its own
    taxed = order_doc("BOLA-TAXED", "11010519491231002X", ["100"])
    taxed_id = post_doc("/orders", "seller-a", taxed)
    call(
        "POST", "/tax/cn-import/charges", "platform-a", charge_body("BOLA-CHARGE", taxed_id, taxed)
    )
    objs["tax_charge"] = Obj("BOLA-CHARGE", "NO-SUCH-CHARGE", "platform-a")
    rule_id = "platform-a.bola.flag"
    changed = call("PUT", f"/compliance/rules/{rule_id}", "platform-a", RULE | {"id": rule_id})
    objs["rule"] = Obj(rule_id, None, "platform-a", set(REGULATORS))
    # the rule change's log entry names platform-a only
    objs["ledger_entry"] = Obj(
        str(changed["ledger"]["index"]), "999999", "platform-a", set(REGULATORS)
    )
    enrolment = {
        "firm": "seller-a",
        "scope": {"direction": "import"},
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "relaxed_rules": [rule_id],
        "max_orders": 1,
        "source": "pilot approval 2026-01",
    }
    enrolled = call("POST", "/compliance/sandboxes", "regulator", enrolment)
    objs["enrolment"] = Obj(str(enrolled["id"]), "999999", "regulator", {"regulator-b"})
    # a screening hit on platform-a's order: platform-a reviews it, seller-a sees it (403)
    listed = {
        "id": "bola-1",
        "schema": "Person",
        "properties": {"name": ["Zhang San Bola"], "topics": ["sanction"]},
    }
    r = client.post(
        "/screening/lists",
        params={"name": "bola", "source": "access test"},
        content=json.dumps(listed).encode(),
        headers=people["platform-a"].headers,
    )
    assert r.status_code == 200, r.text
    flagged = synthetic.order(rng, "platform-a", "seller-a", "BOLA-HIT")
    flagged["buyer"] = flagged["buyer"] | {"name": "Zhang San Bola"}
    post_doc("/orders", "seller-a", flagged)
    (hit,) = call("GET", "/screening/hits", "platform-a", None)
    objs["hit"] = Obj(str(hit["id"]), "999999999", "platform-a", {"seller-a"} | REGULATORS)
    # a lot seller-a recorded at its supplier: known to others only through events they read
    made = {
        "time": "2026-11-02T08:00:00Z",
        "biz_step": "commissioning",
        "batches": [{"gtin": "09506000134352", "lot": "BOLA-LOT", "quantity": "1"}],
    }
    call("POST", "/logistics/tracking/events", "seller-a", {"events": [made]})
    objs["batch_gtin"] = Obj("09506000134352", "09506000134352", "seller-a", set(REGULATORS))
    objs["batch_lot"] = Obj("BOLA-LOT", "NO-SUCH-LOT", "seller-a", set(REGULATORS))
    # a second key of seller-a's: the regulators must not reach it either
    key = call("POST", "/keys", "seller-a", {"label": "access test"})
    objs["key"] = Obj(key["key_id"], "ffffffffffff", "seller-a")
    # seller-a's webhook subscription, and the delivery a filing of its makes (to a port
    # nothing listens on: it stays pending)
    hook = {"url": "http://127.0.0.1:9/hook", "event_types": ["document.filed"]}
    sub = call("POST", "/webhooks/subscriptions", "seller-a", hook)
    objs["webhook_subscription"] = Obj(sub["id"], "f" * 32, "seller-a")
    post_doc("/orders", "seller-a", synthetic.order(rng, "platform-a", "seller-a", "BOLA-HOOK"))
    (delivery,) = call("GET", "/webhooks/deliveries", "seller-a", None)["deliveries"]
    objs["webhook_delivery"] = Obj(delivery["id"], "f" * 32, "seller-a")
    # seller-a's profile of TikTok Shop (the ghost: a marketplace it has no profile of)
    call("PUT", "/marketplace/profiles/tiktok", "seller-a", {"platform": "platform-a"})
    objs["marketplace_profile"] = Obj("tiktok", "lazada", "seller-a")
    # platform-a's algorithm record: it and the regulators read it
    filed = call("POST", "/algorithms", "platform-a", record(name="BOLA feed"))
    objs["algorithm"] = Obj(filed["id"], "f" * 32, "platform-a", set(REGULATORS))
    # seller-a's dispute case on its order: its parties are the order's platform and seller
    # (a regulator that did not open it is no party)
    claim = {"amount": "10.00", "currency": "CNY"}
    case = call(
        "POST",
        "/disputes",
        "seller-a",
        {"order_id": objs["order"].id, "reason": "other", "claim": claim},
    )
    objs["dispute"] = Obj(case["id"], "f" * 32, "seller-a", {"platform-a"})
    # seller-a's project (its alone) and its engagement of ship-a's expert (both sides'); the
    # profile is read by all, changed by its publisher alone
    talent = engagement(client, people)
    objs["talent_expert"] = Obj(talent["expert"]["id"], "f" * 32, "ship-a")
    objs["talent_project"] = Obj(talent["project"]["id"], "f" * 32, "seller-a")
    objs["talent_engagement"] = Obj(talent["engagement"]["id"], "f" * 32, "seller-a", {"ship-a"})
    # seller-a's poll: only it reads and closes it; platform-a relays its buyers' votes
    poll = {"topic": "colour", "question": "Which colour?", "options": ["Red", "Blue"]}
    objs["poll"] = Obj(call("POST", "/polls", "seller-a", poll)["id"], "f" * 32, "seller-a")
    return objs


def _operations(schema: dict) -> list[tuple[str, str, list[str]]]:
    """(method, path template, path parameter names) of every operation with path
    parameters."""
    out = []
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            names = [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
            if names:
                out.append((method, path, names))
    return out


def _subject(path: str, param: str) -> str | None:
    for (prefix, name), subject in SUBJECTS.items():
        if name == param and path.startswith(prefix):
            return subject
    return None


def _problem_code(r) -> str | None:
    try:
        body = r.json()
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None


def test_no_tenant_reaches_another_tenants_object(client, people, world):
    schema = client.get("/openapi.json").json()
    operations = _operations(schema)
    assert len(operations) > 20
    stale = PUBLIC - {(method, path) for method, path, _ in operations}
    assert not stale, f"PUBLIC names operations the API no longer has: {sorted(stale)}"
    everyone = sorted(people)
    unmapped, failures, checked = [], [], 0
    controls: list[tuple[str, str, Obj, dict[str, str], Any]] = []
    for method, path, names in operations:
        if (method, path) in PUBLIC:
            continue
        subjects = {n: _subject(path, n) for n in names}
        missing = [n for n, s in subjects.items() if s is None or s not in world]
        if missing:
            unmapped.append(f"{method.upper()} {path} ({', '.join(missing)})")
            continue
        objs = {n: world[s] for n, s in subjects.items()}
        obj = next(iter(objs.values()))
        real = {n: o.id for n, o in objs.items()}
        ghost = {n: o.ghost for n, o in objs.items()}
        body = _body(method, path, real)
        for who in obj.outsiders(everyone):
            r = _call(client, method, path, real, body, people[who])
            checked += 1
            label = f"{method.upper()} {path} as {who}"
            if r.status_code not in (403, 404):
                failures.append(f"{label}: {r.status_code} {r.text[:300]}")
                continue
            if all(g is not None for g in ghost.values()):
                g = _call(client, method, path, ghost, _body(method, path, ghost), people[who])
                if (g.status_code, _problem_code(g)) != (r.status_code, _problem_code(r)):
                    failures.append(
                        f"{label}: {r.status_code} {_problem_code(r)} for another tenant's "
                        f"object but {g.status_code} {_problem_code(g)} for none (a side channel)"
                    )
        controls.append((method, path, obj, real, body))
    # the owners last, deletions after everything else: their calls may change the objects
    for method, path, obj, real, body in sorted(controls, key=lambda c: c[0] == "delete"):
        r = _call(client, method, path, real, body, people[obj.owner])
        if r.status_code in (401, 404, 405, 422):
            failures.append(
                f"{method.upper()} {path} as its owner {obj.owner}: {r.status_code} {r.text[:300]}"
                " (the test's id or body is wrong, so the outsiders' answers prove nothing)"
            )
    assert not unmapped, (
        "operations whose path parameter names no object of the access test — add the object "
        "to `world` and SUBJECTS (or, if public by design, to PUBLIC with the reason):\n"
        + "\n".join(unmapped)
    )
    assert not failures, f"{len(failures)} of {checked} calls:\n" + "\n".join(failures)
    assert checked > 50, checked


def _body(method: str, path: str, ids: dict[str, str]) -> Any:
    if path.endswith("/reveal"):
        return REVEAL
    make = BODIES.get((method, path))
    return make(ids) if make else None


def _call(client, method: str, path: str, ids: dict[str, str], body: Any, who: Party):
    url = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)
    if body is None:
        return client.request(method.upper(), url, headers=who.headers)
    return client.request(method.upper(), url, json=body, headers=who.headers)


def test_a_route_naming_an_unknown_object_is_not_mapped():
    """What makes a new route fail the access test until its object is added."""
    assert _subject("/widgets/{widget_id}", "widget_id") is None
    assert _subject("/orders/{order_id}", "order_id") is None  # a new name, not a guess
    assert _subject("/orders/{doc_id}/checks", "doc_id") == "order"

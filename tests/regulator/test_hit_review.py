"""The screening-hit review queue over the API: who reviews which hit, what a review records
and logs, and what each caller is told."""

from __future__ import annotations

import base64
import json

import pytest

from cbec.jsonio import loads
from tests.regulator.hits import LISTED, flagged_order, hits_on, load_list

REASON = "Namesake: the listing's birth date differs from the buyer's"


@pytest.fixture
def hit(client, parties) -> dict:
    """A hit on one of platform-a's orders, found by platform-a's own list."""
    load_list(client, parties["platform-a"].headers)
    doc_id = flagged_order(client, parties, "platform-a", 1)
    (found,) = hits_on(client, parties["platform-a"].headers, doc_id)
    return found


def review(client, headers, hit_id, body):
    return client.post(f"/screening/hits/{hit_id}/review", json=body, headers=headers)


def test_the_platform_dismisses_its_hit_and_the_review_is_recorded_and_logged(client, parties, hit):
    a, reg = parties["platform-a"].headers, parties["regulator"].headers
    assert hit["status"] == "open" and hit["review"] is None and hit["match"] is True
    # the hit names the order the way its people know it: number and platform
    order = client.get(f"/orders/{hit['document_id']}", headers=a).json()["document"]
    assert (hit["order_no"], hit["platform"]) == (order["order_no"], order["platform"])
    r = review(client, a, hit["id"], {"decision": "dismiss", "reason": REASON})
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["status"] == "dismissed" and done["id"] == hit["id"]
    assert done["review"]["decision"] == "dismiss" and done["review"]["reason"] == REASON
    assert done["review"]["reviewed_by"] == "platform-a"
    # the queue filters by status
    assert hits_on(client, a, hit["document_id"], status="open") == []
    (dismissed,) = hits_on(client, a, hit["document_id"], status="dismissed")
    assert dismissed["review"] == done["review"]
    assert hits_on(client, a, hit["document_id"], status="confirmed") == []
    # the regulator sees the review, reason included
    (seen,) = hits_on(client, reg, hit["document_id"])
    assert seen["status"] == "dismissed" and seen["review"]["reason"] == REASON
    # the ledger entry names the hit and the decision, neither the reason nor the buyer
    index = done["review"]["ledger_index"]
    entry = client.get(f"/ledger/entries/{index}", headers=a)
    assert entry.status_code == 200, entry.text
    raw = base64.b64decode(entry.json()["data"]).decode()
    parsed = loads(raw.encode())
    assert parsed == entry.json()["entry"]
    assert parsed["type"] == "cbec.screening/v1" and parsed["tenants"] == ["platform-a"]
    assert {k: v for k, v in parsed.items() if k not in ("type", "at", "tenants")} == {
        "action": "review",
        "hit": hit["id"],
        "document_id": hit["document_id"],
        "role": "buyer",
        "decision": "dismiss",
    }
    assert REASON not in raw and LISTED not in raw and "Namesake" not in raw


def test_a_reviewed_hit_is_409_and_the_first_review_stands(client, parties, hit):
    a, reg = parties["platform-a"].headers, parties["regulator"].headers
    assert (
        review(client, reg, hit["id"], {"decision": "confirm", "reason": "true match"}).status_code
        == 200
    )
    r = review(client, a, hit["id"], {"decision": "dismiss", "reason": REASON})
    assert r.status_code == 409 and r.json()["code"] == "hit_reviewed", r.text
    (seen,) = hits_on(client, a, hit["document_id"])
    assert seen["status"] == "confirmed" and seen["review"]["reviewed_by"] == "regulator"
    # a regulator's reason is not shown to the platform (it may carry what a reveal showed)
    assert seen["review"]["reason"] is None


def test_who_may_review(client, parties, hit):
    body = {"decision": "confirm", "reason": "true match"}
    ghost = 10**12
    for name, status in [
        ("seller-a", 403),  # sees the order and its checks, may not decide
        ("seller-b", 404),
        ("platform-b", 404),
        ("pay-a", 404),
        ("ship-a", 404),
    ]:
        r = review(client, parties[name].headers, hit["id"], body)
        assert r.status_code == status, (name, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        # for a hit it cannot see, the same answer as for none at all
        g = review(client, parties[name].headers, ghost, body)
        assert g.status_code == 404, (name, g.text)
    # the platform-b queue does not list platform-a's hit; sellers have no queue
    assert hits_on(client, parties["platform-b"].headers, hit["document_id"]) == []
    assert client.get("/screening/hits", headers=parties["seller-a"].headers).status_code == 403
    (still,) = hits_on(client, parties["platform-a"].headers, hit["document_id"])
    assert still["status"] == "open"


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"decision": "confirm"}, "reason", "missing"),
        ({"decision": "confirm", "reason": ""}, "reason", "string_too_short"),
        ({"decision": "confirm", "reason": "   "}, "reason", "blank"),
        ({"decision": "confirm", "reason": "x" * 1001}, "reason", "string_too_long"),
        ({"decision": "maybe", "reason": "why not"}, "decision", "literal_error"),
    ],
)
def test_a_review_without_a_proper_reason_is_refused_naming_the_field(
    client, parties, hit, body, field, rule
):
    r = review(client, parties["platform-a"].headers, hit["id"], body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    fields = {e["field"]: e["rule"] for e in r.json()["errors"]}
    assert any(f.endswith(field) for f in fields), fields
    assert rule in fields.values(), fields
    (still,) = hits_on(client, parties["platform-a"].headers, hit["document_id"])
    assert still["status"] == "open"


def test_a_hit_is_shown_as_masked_as_its_order(client, parties, hit):
    """The review queue masks a hit exactly as the order's checks do for the same caller."""
    for name in ("platform-a", "regulator"):
        headers = parties[name].headers
        checks = client.get(f"/orders/{hit['document_id']}/checks", headers=headers).json()
        (mine,) = [c for c in checks["screening"] if c["role"] == "buyer"]
        (queued,) = hits_on(client, headers, hit["document_id"])
        assert queued["result"] == mine["result"] and queued["entity_id"] == mine["entity_id"]
    assert LISTED not in json.dumps(
        hits_on(client, parties["regulator"].headers, hit["document_id"])
    )

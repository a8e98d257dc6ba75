"""Our signatures against the Standard Webhooks reference library (``standardwebhooks``, the
specification's own Python package): it signs the same content alike and verifies ours."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from cbec.webhooks import retry
from cbec.webhooks.catalogue import check_types
from cbec.webhooks.endpoints import check_url
from cbec.webhooks.signing import headers, new_secret, sign


def test_signatures_match_the_reference_library():
    rng = random.Random(19)
    for _ in range(200):
        secret = new_secret()
        msg_id = f"msg_{rng.getrandbits(64):x}"
        ts = rng.randrange(1_600_000_000, 1_900_000_000)
        body = bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 300)))
        expected = Webhook(secret).sign(msg_id, datetime.fromtimestamp(ts, UTC), body)
        assert sign(secret, msg_id, ts, body) == expected


def test_the_reference_library_verifies_our_headers_and_refuses_a_changed_body():
    secret = new_secret()
    body = b'{"type":"document.filed","data":{"id":"x"}}'
    h = headers(secret, "msg_1", int(datetime.now(UTC).timestamp()), body)
    assert Webhook(secret).verify(body, h)["data"]["id"] == "x"
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace(b"x", b"y"), h)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, h)


def test_back_off_grows_exponentially_to_its_cap_and_ends():
    delays = [retry.delay_after(n).total_seconds() for n in range(1, retry.MAX_ATTEMPTS)]
    assert delays[:4] == [30, 120, 480, 1920]
    assert delays[-1] == retry.MAX_DELAY_S
    at = datetime(2026, 12, 5, tzinfo=UTC)
    assert retry.after_failure(retry.MAX_ATTEMPTS, at) is None
    assert retry.after_failure(1, at) == at + retry.delay_after(1)


@pytest.mark.parametrize("url", ["ftp://h/x", "file:///etc/passwd", "gopher://h", "h/x", ""])
def test_only_http_urls_are_taken(url):
    (v,) = check_url(url)
    assert v.field == "url" and v.rule in ("webhook_url_scheme", "webhook_url_invalid")
    assert check_url("https://example.com/hook") == []


def test_event_types_must_be_catalogued():
    assert [v.rule for v in check_types([])] == ["webhook_events_empty"]
    assert [v.field for v in check_types(["document.filed", "x.y"])] == ["event_types[1]"]

"""The service stays up under abuse: a tenant past its request rate or with too many requests
at once is answered 429 with Retry-After; a body that stalls is answered 408; an upload over
the limit is refused (413) and leaves nothing stored. Each test builds an app of its own with
small limits (the suite's settings turn the request limits off)."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from limits.storage import MemoryStorage
from limits.strategies import STRATEGIES

from cbec.api import throttle as throttle_module
from cbec.api.app import create_app
from cbec.api.throttle import TenantThrottle
from cbec.errors import TooManyRequests
from cbec.runtime import Runtime

PROBLEM = "application/problem+json"


def app_with(rt: Runtime, **settings: Any):
    """An app over the test database whose settings differ by ``settings``."""
    changed = dataclasses.replace(rt, settings=rt.settings.model_copy(update=settings))
    return create_app(changed, integrate_in_background=False, deliver_in_background=False)


@pytest.fixture
def limited(rt: Runtime) -> Iterator[TestClient]:
    app = app_with(rt, rate_limit="3/hour", rate_limit_strategy="fixed-window")
    with TestClient(app) as c:
        yield c


def test_the_request_past_the_rate_answers_429_with_retry_after(limited, parties):
    seller = parties["seller-a"]
    for _ in range(3):
        assert limited.get("/orders", headers=seller.headers).status_code == 200
    r = limited.get("/orders", headers=seller.headers)
    assert r.status_code == 429
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["code"] == "too_many_requests"
    assert 1 <= int(r.headers["retry-after"]) <= 3600
    # The limit is the tenant's: another tenant is still served.
    assert limited.get("/orders", headers=parties["seller-b"].headers).status_code == 200


def test_unauthenticated_requests_are_not_counted_against_a_tenant(limited, parties):
    for _ in range(5):
        assert limited.get("/orders").status_code == 401
    assert limited.get("/orders", headers=parties["seller-a"].headers).status_code == 200


def test_a_tenant_over_its_concurrency_limit_is_told_to_retry(rt):
    settings = rt.settings.model_copy(update={"rate_limit": "", "max_concurrent_requests": 1})
    throttle = TenantThrottle(settings)
    release = throttle.hold(1)
    assert release is not None
    with pytest.raises(TooManyRequests) as refused:
        throttle.hold(1)
    assert refused.value.rule == "too_many_concurrent"
    assert refused.value.retry_after >= 1
    other = throttle.hold(2)  # another tenant has slots of its own
    assert other is not None
    other()
    release()
    again = throttle.hold(1)  # the slot came back when the first request ended
    assert again is not None
    again()


def test_a_requests_slot_comes_back_when_it_is_answered(rt, parties):
    """Over HTTP, with one request at once: the slot a request holds is released when it
    has been answered — a 200, a 404 and a refused body alike — so the next is admitted;
    while a slot is held the tenant's next request is told to retry."""
    app = app_with(rt, rate_limit="", max_concurrent_requests=1)
    seller = parties["seller-a"]
    throttle = app.state.throttle
    with TestClient(app) as c:
        for _ in range(2):
            assert c.get("/orders", headers=seller.headers).status_code == 200
            assert c.get("/orders/999999999", headers=seller.headers).status_code == 404
            r = c.post("/orders", content=b"{", headers=seller.headers)
            assert r.status_code == 400
        assert not throttle._in_flight  # nothing left held
        release = throttle.hold(seller.viewer.tenant_id)  # as a request still running
        r = c.get("/orders", headers=seller.headers)
        assert r.status_code == 429 and r.json()["code"] == "too_many_concurrent"
        assert c.get("/orders", headers=parties["seller-b"].headers).status_code == 200
        release()
        release()  # a second call releases nothing more
        assert c.get("/orders", headers=seller.headers).status_code == 200
        assert not throttle._in_flight


@pytest.mark.parametrize("strategy", ["fixed-window", "moving-window", "sliding-window-counter"])
def test_counting_a_request_starts_no_thread(rt, monkeypatch, strategy):
    """``limits``' own memory storage starts a 10 ms timer thread on the first hit after its
    last timer ran — nearly every request of a steady trickle, each waiting in the event
    loop for the thread to start. The throttle's storage sweeps inline: waited for between
    hits (the signal the library's timer gives, never a sleep), twenty hits start no thread,
    where the library's storage starts one per hit."""
    settings = rt.settings.model_copy(
        update={"rate_limit": "1000/hour", "rate_limit_strategy": strategy}
    )
    throttle = TenantThrottle(settings)
    storage = throttle.limiter.storage
    storage.timer.join()  # the one timer the constructor starts
    plain = STRATEGIES[strategy](MemoryStorage())  # the oracle: the library's own storage
    plain.storage.timer.join()
    started: list[threading.Thread] = []
    real_start = threading.Thread.start

    def counting(thread: threading.Thread) -> None:
        started.append(thread)
        real_start(thread)

    monkeypatch.setattr(threading.Thread, "start", counting)
    for _ in range(20):
        assert throttle.hold(7) is None  # counted; no concurrency limit, nothing to release
        storage.timer.join()
    assert started == []
    for _ in range(20):
        plain.hit(throttle.rate, "tenant", "7")
        plain.storage.timer.join()
    assert len(started) == 20


def test_the_inline_sweep_drops_expired_counters(rt, monkeypatch):
    settings = rt.settings.model_copy(
        update={"rate_limit": "1000/hour", "rate_limit_strategy": "fixed-window"}
    )
    throttle = TenantThrottle(settings)
    storage = throttle.limiter.storage
    throttle.hold(1)
    (key,) = storage.storage
    storage.expirations[key] = 0  # its window has ended
    monkeypatch.setattr(throttle_module, "SWEEP_SECONDS", 0.0)
    throttle.hold(2)  # another tenant's hit runs the sweep
    assert key not in storage.storage and key not in storage.expirations
    assert len(storage.storage) == 1


def test_a_bad_rate_strategy_is_refused_at_start(rt):
    with pytest.raises(ValueError, match="CBEC_RATE_LIMIT_STRATEGY"):
        TenantThrottle(rt.settings.model_copy(update={"rate_limit_strategy": "leaky"}))


async def _call(app, scope: dict[str, Any], receive) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


def test_a_body_that_stalls_is_answered_408(rt, parties):
    """The client sends half a body and then nothing; the receive below stalls on an event
    no one sets, and the app answers 408 once its read timeout passes."""
    app = app_with(rt, body_read_timeout_s=0.01)
    stalled = anyio.Event()
    pieces = iter([b'{"order_no": "ORD', None])
    token = parties["seller-a"].key

    async def receive() -> dict[str, Any]:
        piece = next(pieces)
        if piece is None:
            stalled.set()  # the stall began; the body never continues
            await anyio.Event().wait()
        return {"type": "http.request", "body": piece, "more_body": True}

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/orders",
        "raw_path": b"/orders",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"application/json"),
            (b"content-length", b"1000"),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    sent = anyio.run(_call, app, scope, receive)
    assert stalled.is_set()
    start = sent[0]
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    assert start["status"] == 408
    assert headers["content-type"] == PROBLEM
    assert headers["connection"] == "close"
    body = b"".join(m.get("body", b"") for m in sent[1:])
    assert b'"request_timeout"' in body


def test_a_refused_upload_leaves_nothing_stored(rt, parties):
    reg = parties["regulator"].headers
    app = app_with(rt, max_import_bytes=100)
    params = {"name": "big", "source": "test"}
    content = b'{"id": "x", "schema": "Person", "properties": {"name": ["A"]}}\n' * 10
    with TestClient(app) as c:
        r = c.post("/screening/lists", params=params, content=content, headers=reg)
        assert r.status_code == 413, r.text
        assert r.headers["content-type"] == PROBLEM

        def chunks() -> Iterator[bytes]:  # no Content-Length: refused while it is read
            yield from (content[i : i + 64] for i in range(0, len(content), 64))

        r = c.post("/screening/lists", params=params, content=chunks(), headers=reg)
        assert r.status_code == 413, r.text
        assert c.get("/screening/lists", headers=reg).json() == []

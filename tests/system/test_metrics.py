"""Prometheus metrics at /metrics: the counters move by exactly what was done, the gauges
equal what the data says, and nothing personal is exposed. Scrapes are parsed with
``prometheus_client.parser`` — the exposition format's reference parser, not our code."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import insert

from cbec.api.app import create_app
from cbec.demo import synthetic
from cbec.services import ops
from cbec.store.batch_store import BatchStore
from cbec.store.tables import screening_lists
from tests.logcapture import log_lines
from tests.serverproc import running_server, settings_env

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(text: str) -> Samples:
    """Every sample of a scrape by (name, sorted labels)."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def total(samples: Samples, name: str) -> float:
    return sum(v for (n, _), v in samples.items() if n == name)


@pytest.fixture
def access_lines():
    with log_lines("cbec.access") as out:
        yield out


@pytest.fixture
def app(rt):
    """An app whose data gauges are re-read on every scrape (their cache has its own test)."""
    app = create_app(rt, integrate_in_background=False, deliver_in_background=False)
    app.state.metrics.data.ttl_s = 0
    return app


def test_scrapes_count_filings_requests_and_the_ledger(app, rt, parties, access_lines):
    seller = parties["seller-a"].headers
    order = synthetic.order(random.Random(5), "platform-a", "seller-a", "METRIC-ORDER-1")
    bad = {**order, "order_no": "METRIC-ORDER-2", "lines": []}
    with TestClient(app) as client:
        first = client.get("/metrics")
        assert first.status_code == 200
        assert first.headers["content-type"].startswith("text/plain")
        before = scrape(first.text)
        answers = [
            client.post("/orders", json=order, headers=seller),
            client.post("/orders", json=bad, headers=seller),
            client.post("/orders", json=order, headers=seller),  # the same again: unchanged
            client.get("/orders/0123456789abcdef0123456789abcdef", headers=seller),
        ]
        assert [r.status_code for r in answers] == [201, 422, 200, 404]
        rt.ledger.integrate(force_checkpoint=True)
        checkpoint = client.get("/ledger/checkpoint", headers=seller).json()
        after = scrape(client.get("/metrics").text)
        log_text = "\n".join(access_lines)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "cbec_http_requests_total"
    assert moved(requests, route="/orders", method="POST", status="201") == 1
    assert moved(requests, route="/orders", method="POST", status="422") == 1
    assert moved(requests, route="/orders", method="POST", status="200") == 1
    assert moved(requests, route="/orders/{doc_id}", method="GET", status="404") == 1
    assert moved(requests, route="/ledger/checkpoint", method="GET", status="200") == 1
    assert moved(requests, route="/metrics", method="GET", status="200") == 1  # the first
    sent_before_last_scrape = 1 + len(answers) + 1
    assert total(after, requests) == sent_before_last_scrape
    # the histogram saw every request once, per route as the counter did
    assert total(after, "cbec_http_request_duration_seconds_count") == sent_before_last_scrape
    assert (
        value(after, "cbec_http_request_duration_seconds_count", route="/orders", method="POST")
        == 3
    )
    assert value(after, "cbec_http_requests_in_flight") == 1  # the scrape itself
    filed = "cbec_documents_filed_total"
    assert moved(filed, kind="order", outcome="created") == 1
    assert moved(filed, kind="order", outcome="rejected") == 1
    assert moved(filed, kind="order", outcome="unchanged") == 1
    # the ledger gauges agree with the log's own signed checkpoint
    assert value(after, "cbec_data_up") == 1
    assert checkpoint["size"] > 0
    assert value(after, "cbec_ledger_entries") == checkpoint["size"]
    assert value(after, "cbec_ledger_integrated_entries") == checkpoint["size"]
    assert value(after, "cbec_ledger_integration_lag_entries") == 0
    assert value(after, "cbec_ledger_checkpoint_age_seconds") >= 0
    # nothing of the order's content, in the metrics or in the log
    buyer = order["buyer"]
    exposed = "\n".join(f"{n} {dict(lab)}" for n, lab in after) + log_text
    for secret in (buyer["name"], buyer["id_number"], buyer["phone"], "METRIC-ORDER-1"):
        assert secret not in exposed
    # no tenant in a label
    assert not any(k == "tenant" for _, labels in after for k, _ in labels)


def test_data_gauges_are_read_at_most_once_per_interval(rt):
    app = create_app(rt, integrate_in_background=False, deliver_in_background=False)
    collector = app.state.metrics.data
    clock = [100.0]
    collector.clock = lambda: clock[0]
    reads = []
    real = collector.read
    collector.read = lambda: reads.append(1) or real()
    with TestClient(app) as client:
        for _ in range(3):
            assert client.get("/metrics").status_code == 200
        assert len(reads) == 1
        clock[0] += collector.ttl_s
        client.get("/metrics")
        assert len(reads) == 2


def test_integration_lag_gauges_grow_while_entries_wait_and_clear_once_integrated(
    app, rt, monkeypatch
):
    """Entries appended and not integrated: the lag in entries at once, the lag in seconds
    from the first scrape that saw them, on an injected clock (no wall-clock wait); both
    back to 0 once the integrator has folded them in."""
    clock = [datetime(2026, 5, 1, 8, 0, tzinfo=UTC)]
    monkeypatch.setattr(ops, "now", lambda: clock[0])
    rt.ledger.integrate(force_checkpoint=True)

    def lag(client: TestClient) -> tuple[float, float, float, float]:
        got = scrape(client.get("/metrics").text)
        assert value(got, "cbec_data_up") == 1
        return (
            value(got, "cbec_ledger_integration_lag_entries"),
            value(got, "cbec_ledger_integration_lag_seconds"),
            value(got, "cbec_ledger_entries"),
            value(got, "cbec_ledger_integrated_entries"),
        )

    with TestClient(app) as client:
        entries, seconds, size, integrated = lag(client)
        assert (entries, seconds) == (0, 0) and size == integrated
        rt.ledger.append([("text/plain", b"one"), ("text/plain", b"two"), ("text/plain", b"3")])
        assert lag(client) == (3, 0, size + 3, integrated)  # seen waiting: from now
        clock[0] += timedelta(seconds=42.5)
        assert lag(client) == (3, 42.5, size + 3, integrated)
        clock[0] += timedelta(seconds=10)
        assert lag(client)[:2] == (3, 52.5)  # the integrated size stands still: it grows
        rt.ledger.integrate()
        assert lag(client) == (0, 0, size + 3, size + 3)
        clock[0] += timedelta(seconds=30)
        assert lag(client)[:2] == (0, 0)  # nothing waits: no lag however long


def test_import_queue_and_screening_list_gauges(app, rt, parties, monkeypatch):
    at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(ops, "now", lambda: at)
    regulator = parties["regulator"].viewer.tenant_id
    platform = parties["platform-a"].viewer.tenant_id

    def edition(name: str, loaded: datetime, retired: datetime | None, platform_id=None):
        return {
            "name": name,
            "version": loaded.isoformat(),
            "format": "csv",
            "source": "test",
            "entity_count": 1,
            "path": "-",
            "loaded_by": regulator,
            "loaded_at": loaded,
            "retired_at": retired,
            "platform_id": platform_id,
        }

    with rt.uow(write=True) as uow:
        batches = BatchStore(uow.conn)
        for n in range(3):
            batches.open(f"{n:032d}", parties["seller-a"].viewer.tenant_id, "order", at)
        batches.close(f"{0:032d}", "done")
        uow.conn.execute(
            insert(screening_lists),
            [
                edition("un-sc", at - timedelta(hours=5), at - timedelta(hours=2)),
                edition("un-sc", at - timedelta(hours=2), None),  # in force: 7200 s old
                edition("eu-fsf", at - timedelta(seconds=90), None),
                edition("acme-own-list", at - timedelta(days=9), None, platform),
            ],
        )
        uow.commit()
    with TestClient(app) as client:
        after = scrape(client.get("/metrics").text)
    depth = "cbec_import_queue_depth"
    assert value(after, depth, queue="batches", state="open") == 2
    assert value(after, depth, queue="drafts", state="ready") == 0
    age = {
        dict(labels)["list"]: v
        for (n, labels), v in after.items()
        if n.endswith("list_age_seconds")
    }
    # a platform's own list is not named: its name is the platform's choice
    assert age == {"un-sc": 7200, "eu-fsf": 90}


def test_a_metrics_token_guards_the_route(rt):
    changed = rt.settings.model_copy(update={"metrics_token": "s3cret-token"})
    app = create_app(rt, integrate_in_background=False, deliver_in_background=False)
    app.state.rt = type(rt)(changed, rt.engine, rt.secrets, rt.vault, rt.ledger)
    with TestClient(app) as client:
        refused = client.get("/metrics")
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200 and "cbec_http_requests_total" in ok.text


def test_cbec_serve_counts_requests_and_logs_their_ids(rt, parties):
    with running_server(settings_env(rt.settings)) as (url, proc):
        before = scrape(httpx.get(f"{url}/metrics").text)
        sent = {"X-Request-ID": "probe-7.a_b"}
        answer = httpx.get(f"{url}/orders/0123456789abcdef0123456789abcdef", headers=sent)
        assert answer.status_code == 401
        assert answer.headers["x-request-id"] == "probe-7.a_b"
        ready = httpx.get(f"{url}/readyz")
        assert ready.status_code == 200, ready.text
        after = scrape(httpx.get(f"{url}/metrics").text)
        proc.terminate()
        proc.wait(timeout=60)
        proc.log.seek(0)
        said = [json.loads(x) for x in proc.log.read().decode().splitlines() if x.startswith("{")]
    key = ("cbec_http_requests_total", "/orders/{doc_id}", "GET", "401")
    labels = dict(zip(("route", "method", "status"), key[1:], strict=True))
    assert value(after, key[0], **labels) - value(before, key[0], **labels) == 1
    assert (
        value(after, "cbec_http_requests_total", route="/readyz", method="GET", status="200") == 1
    )
    line = next(r for r in said if r.get("route") == "/orders/{doc_id}")
    assert line["request_id"] == "probe-7.a_b" and line["status"] == 401

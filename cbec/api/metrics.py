"""Prometheus metrics at ``GET /metrics`` (text exposition format, prometheus.io/docs/
instrumenting/exposition_formats), with the official ``prometheus-client``.

Each app has its own :class:`~prometheus_client.CollectorRegistry`, not the library's global
one: a process may build several apps (the test suite builds hundreds), and each must count
only its own requests.

* HTTP — counted in one place, the access log middleware (:mod:`cbec.api.access_log`), by the
  **route template** it already resolves (``/orders/{doc_id}``), the method and the status:
  ``cbec_http_requests_total``, ``cbec_http_request_duration_seconds`` (histogram),
  ``cbec_http_requests_in_flight``. No label carries a tenant, a path as sent or a query, so
  the series are bounded and name no one.
* Filings — ``cbec_documents_filed_total{kind,outcome}`` (created, unchanged, rejected),
  counted by the adapters that file, from what the use case answers: the API's filing and
  bulk import routes and the console's import desk (its imports run after the answer, so
  they are counted when they end). A document is a filing whichever door it came in by.
* The data — collected at scrape time by :class:`DataCollector` from a few cheap queries
  (:mod:`cbec.services.ops`), kept for :data:`DATA_TTL_S` so that scrapers, however many and
  however often, cost the database at most one round per interval: ledger size, integration
  lag, checkpoint age, import queue depth, screening list age.

``cbec serve`` runs one process by default, so the registry in memory is the whole picture.
With ``--workers N`` each worker has its own and a scrape answers from the worker that
accepted it: the data gauges are the database's, whole from any worker, the HTTP and filing
counters that worker's only. Not prometheus-client's multiprocess mode: it keeps every
value in files of a directory that must be emptied before each start, and a worker's live
gauges (requests in flight) stay counted after it dies unless the supervisor calls
``mark_process_dead`` for it — uvicorn's supervisor has no hook for that, and a SIGKILLed
worker calls nothing. Exact counters are one process per server away: several
``cbec serve`` behind the balancer, each scraped (README, *Workers*).
The route answers without authentication unless ``CBEC_METRICS_TOKEN`` is set (then
``Authorization: Bearer <token>``); it shows no personal data, but operators usually keep it
on an internal network or restrict it at the proxy.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from cbec.services import ops

DATA_TTL_S = 5.0
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Latency buckets (seconds): from a cached read to a large import.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class DataCollector(Collector):
    """Gauges read from the database when scraped, cached for ``ttl_s`` seconds."""

    def __init__(
        self, read: Callable[[], ops.Gauges], ttl_s: float = DATA_TTL_S, clock=time.monotonic
    ) -> None:
        self.read, self.ttl_s, self.clock = read, ttl_s, clock
        self._lock = threading.Lock()
        self._at: float | None = None
        self._last: ops.Gauges | None = None

    def describe(self) -> Iterable[Metric]:
        return []  # not read at registration: the database may not be up yet

    def _gauges(self) -> ops.Gauges | None:
        with self._lock:
            if self._at is None or self.clock() - self._at >= self.ttl_s:
                try:
                    self._last = self.read()
                except Exception:  # the database is down: report what /readyz says, no gauges
                    self._last = None
                self._at = self.clock()
            return self._last

    def collect(self) -> Iterable[Metric]:
        g = self._gauges()
        up = GaugeMetricFamily(
            "cbec_data_up", "1 when the data gauges could be read from the database, else 0"
        )
        up.add_metric([], 0 if g is None else 1)
        yield up
        if g is None:
            return
        yield GaugeMetricFamily(
            "cbec_ledger_entries", "Entries appended to the evidence ledger", value=g.ledger_size
        )
        yield GaugeMetricFamily(
            "cbec_ledger_integrated_entries",
            "Entries integrated into the ledger's Merkle tree",
            value=g.ledger_integrated,
        )
        yield GaugeMetricFamily(
            "cbec_ledger_integration_lag_entries",
            "Entries appended but not yet integrated",
            value=g.lag.entries,
        )
        yield GaugeMetricFamily(
            "cbec_ledger_integration_lag_seconds",
            "How long entries have waited while the integrated size stood still (0: none wait)",
            value=g.lag.seconds,
        )
        if g.checkpoint_age_s is not None:
            yield GaugeMetricFamily(
                "cbec_ledger_checkpoint_age_seconds",
                "Time since the latest signed checkpoint (grows while nothing is filed)",
                value=g.checkpoint_age_s,
            )
        depth = GaugeMetricFamily(
            "cbec_import_queue_depth",
            "Bulk-import batches being written and import-desk drafts waiting or running",
            labels=["queue", "state"],
        )
        for (queue, state), n in sorted(g.imports_waiting.items()):
            depth.add_metric([queue, state], n)
        yield depth
        age = GaugeMetricFamily(
            "cbec_screening_list_age_seconds",
            "Time since the newest edition of each shared screening list was loaded",
            labels=["list"],
        )
        for name, seconds in sorted(g.list_age_s.items()):
            age.add_metric([name], seconds)
        yield age


class GroupCollector(Collector):
    """Group commit on SQLite (:mod:`cbec.store.group_commit`): transactions committed and
    the writers' works they carried — works per transaction is writes per fsync."""

    def __init__(self, read: Callable[[], tuple[int, int]]) -> None:
        self._read = read

    def collect(self) -> Iterable[Metric]:
        groups, works = self._read()
        yield CounterMetricFamily(
            "cbec_group_commits", "Write transactions committed for grouped writers", groups
        )
        yield CounterMetricFamily(
            "cbec_group_commit_works", "Writers' works committed in those transactions", works
        )


class Metrics:
    """One app's registry and instruments."""

    def __init__(
        self,
        read_data: Callable[[], ops.Gauges] | None = None,
        read_groups: Callable[[], tuple[int, int]] | None = None,
    ) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        r = self.registry
        self.requests = Counter(
            "cbec_http_requests",
            "HTTP requests answered, by route template, method and status",
            ["route", "method", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "cbec_http_request_duration_seconds",
            "Time from a request's arrival to its answer's last byte, by route template",
            ["route", "method"],
            buckets=BUCKETS,
            registry=r,
        )
        self.in_flight = Gauge(
            "cbec_http_requests_in_flight", "HTTP requests being answered now", registry=r
        )
        self.filed = Counter(
            "cbec_documents_filed",
            "Documents filed (API and import desk), by kind and outcome "
            "(created, unchanged, rejected)",
            ["kind", "outcome"],
            registry=r,
        )
        # label children by their values: prometheus_client's labels() validates and locks
        # on every call (a twentieth of the event loop's time per POST /orders); the label
        # values are route templates, methods, statuses, kinds and outcomes — a bounded set
        self._children: dict[tuple[object, ...], Any] = {}
        self.data = DataCollector(read_data) if read_data is not None else None
        if self.data is not None:
            r.register(self.data)
        if read_groups is not None:
            r.register(GroupCollector(read_groups))

    def answered(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one answered request (called by the access log middleware)."""
        method = method if method in METHODS else "other"
        self._child(self.requests, route, method, str(status)).inc()
        self._child(self.latency, route, method).observe(seconds)

    def filing(self, kind: str, outcome: str, n: int = 1) -> None:
        if n:
            self._child(self.filed, kind, outcome).inc(n)

    def _child(self, metric: Any, *labels: str) -> Any:
        key = (id(metric), *labels)
        child = self._children.get(key)
        if child is None:  # a race makes the same child twice: labels() returns one object
            child = self._children[key] = metric.labels(*labels)
        return child

    def filings(self, kind: str, created: int, unchanged: int, rejected: int) -> None:
        """Count a batch's documents by outcome (an API import, an import desk's import)."""
        self.filing(kind, "created", created)
        self.filing(kind, "unchanged", unchanged)
        self.filing(kind, "rejected", rejected)


def metrics_of(request: Request) -> Metrics | None:
    return getattr(request.app.state, "metrics", None)


router = APIRouter()


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """The registry in Prometheus text format; bearer-protected when CBEC_METRICS_TOKEN is set
    (RFC 6750 §3: 401 with ``WWW-Authenticate: Bearer``)."""
    token = request.app.state.rt.settings.metrics_token
    if token:
        sent = request.headers.get("authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return PlainTextResponse(
                "unauthenticated\n", status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
    registry = request.app.state.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

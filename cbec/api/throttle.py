"""Per-tenant request limits: a rate (requests in a window) and a number of requests at once.

One tenant's burst must not starve the others: past its rate — counted with the ``limits``
library, in the window strategy the settings name — or with too many requests in flight, a
tenant is answered ``429 Too Many Requests`` (RFC 6585 §4) with ``Retry-After`` (RFC 9110
§10.2.3) saying when to come back. The counts live in this process's memory, one
:class:`TenantThrottle` per app: a deployment behind several workers divides the rate among
them or puts a shared limiter in front.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import STRATEGIES

from cbec.config import Settings
from cbec.errors import TooManyRequests

BUSY_RETRY_AFTER = 1  # seconds a tenant over its concurrency limit is asked to wait
SWEEP_SECONDS = 1.0  # how often the counters' expired entries are dropped


class InlineSweptStorage(MemoryStorage):
    """``limits``' in-memory storage with its expiry sweep run by the requests themselves.

    The library's storage schedules its sweep on a :class:`threading.Timer` of 10 ms,
    started again by the first hit after the last one ran — so under a steady trickle of
    requests nearly every request started a thread, and ``Thread.start`` waits until the new
    thread runs: in the event loop that took a third of the server's time for one
    ``POST /orders`` (``bench/filing.py`` under ``py-spy``). Here the sweep runs inline, at
    most once per :data:`SWEEP_SECONDS`. Expired fixed-window counters are dropped as they
    are read either way (``MemoryStorage.get``); the sweep only bounds the memory of keys no
    longer hit and of the moving window's entries. It replaces the library's private hook
    (``_MemoryStorage__schedule_expiry``, name-mangled) — ``tests/system/test_limits.py``
    checks that no thread is started per request, so a release that renames it is caught."""

    def __init__(self) -> None:
        super().__init__()
        self._swept = time.monotonic()

    def _MemoryStorage__schedule_expiry(self) -> None:
        moment = time.monotonic()
        if moment - self._swept >= SWEEP_SECONDS:
            self._swept = moment
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]


class TenantThrottle:
    """Admits a tenant's request or raises :class:`TooManyRequests`."""

    def __init__(self, settings: Settings) -> None:
        self.rate = parse(settings.rate_limit) if settings.rate_limit.strip() else None
        strategy = STRATEGIES.get(settings.rate_limit_strategy)
        if strategy is None:
            raise ValueError(f"CBEC_RATE_LIMIT_STRATEGY: one of {', '.join(sorted(STRATEGIES))}")
        self.limiter = strategy(InlineSweptStorage())
        self.max_concurrent = settings.max_concurrent_requests
        self._in_flight: Counter[int] = Counter()
        self._lock = threading.Lock()

    def _count(self, tenant_id: int) -> None:
        if self.rate is None:
            return
        if not self.limiter.hit(self.rate, "tenant", str(tenant_id)):
            reset = self.limiter.get_window_stats(self.rate, "tenant", str(tenant_id)).reset_time
            raise TooManyRequests(
                "too_many_requests", {}, retry_after=max(1, math.ceil(reset - time.time()))
            )

    def hold(self, tenant_id: int) -> Callable[[], None] | None:
        """Count the request against the tenant's rate and take one of its concurrent
        slots; the answer is the slot's release, to be called once when the request ends
        (None without a concurrency limit). A function rather than a context manager so the
        API's caller dependency need not be a generator (FastAPI enters each in an exit
        stack under a cancel scope — a fifth of the event loop's time per request)."""
        self._count(tenant_id)
        if not self.max_concurrent:
            return None
        with self._lock:
            if self._in_flight[tenant_id] >= self.max_concurrent:
                raise TooManyRequests(
                    "too_many_concurrent",
                    {"limit": self.max_concurrent},
                    retry_after=BUSY_RETRY_AFTER,
                )
            self._in_flight[tenant_id] += 1
        released = False

        def release() -> None:
            nonlocal released
            with self._lock:
                if released:
                    return
                released = True
                self._in_flight[tenant_id] -= 1
                if not self._in_flight[tenant_id]:
                    del self._in_flight[tenant_id]

        return release

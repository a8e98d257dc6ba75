"""Filings take turns: at most a few documents are filed at once by one server process, the
rest wait in the event loop in the order they came.

Filing a document is CPU work in Python (checks, compliance decision, encryption, hashing)
ending in a short write. A thread per request shares one interpreter lock: sixteen filings
at once each take sixteen times as long, so every answer is as late as the slowest
(processor sharing). Taking turns serves them first come, first served instead: the mean
answer time is the same (the work is), the tail is not — measured by
``bench/http_orders.py`` with 16 clients on one core (2026-12-06): p99 101–127 ms with four
at once against 273–278 ms with the thread pool's 40, at the same or a better rate. Four, not
one: a group commit (:mod:`cbec.store.group_commit`) still gathers the writes of the four
into one fsync, and a filing waiting on the disk lets the next one run.

SQLite only by default (:attr:`cbec.config.Settings.filings_at_once`): on PostgreSQL a
filing's commit waits on the server, and more of them at once overlap those waits.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread
from starlette.requests import Request

from cbec.config import Settings

T = TypeVar("T")

SQLITE_DEFAULT = 4


def slots_for(settings: Settings, dialect: str) -> int:
    """Filings at once: the setting, or by default 4 on SQLite and 0 (the thread pool's
    own limit) on PostgreSQL."""
    if settings.filings_at_once is not None:
        return settings.filings_at_once
    return SQLITE_DEFAULT if dialect == "sqlite" else 0


class Turns:
    """At most ``slots`` calls of :meth:`run` at once in a worker thread (0: no bound but the
    thread pool's); the others wait, first come, first served (anyio's capacity limiter)."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        # one limiter per event loop: a limiter's waiters belong to the loop they wait in
        # (one loop in a server; a test client may run a loop per request)
        self._limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter]
        self._limiters = weakref.WeakKeyDictionary()

    def limiter(self) -> anyio.CapacityLimiter | None:
        """This event loop's limiter (None: unbounded)."""
        if not self.slots:
            return None
        loop = asyncio.get_running_loop()
        found = self._limiters.get(loop)
        if found is None:
            found = self._limiters[loop] = anyio.CapacityLimiter(self.slots)
        return found

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """``fn(*args)`` in a worker thread, in its turn."""
        return await anyio.to_thread.run_sync(fn, *args, limiter=self.limiter())


def turns_of(request: Request) -> Turns:
    """The app's turns for filings (made by :func:`cbec.api.app.create_app`)."""
    return request.app.state.filing_turns

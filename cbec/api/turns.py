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

On SQLite, single filings go further by default (:meth:`Turns.batched`,
:attr:`cbec.config.Settings.filings_together`): those that arrive while a batch is being
filed wait in the event loop and are filed together as the next batch
(:mod:`cbec.services.filing_together`), each answered as it would be alone.
"""

from __future__ import annotations

import asyncio
import contextvars
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from starlette.requests import Request

from cbec.config import Settings

T = TypeVar("T")

SQLITE_DEFAULT = 4
SQLITE_TOGETHER = 32


def slots_for(settings: Settings, dialect: str) -> int:
    """Filings at once: the setting, or by default 4 on SQLite and 0 (the thread pool's
    own limit) on PostgreSQL."""
    if settings.filings_at_once is not None:
        return settings.filings_at_once
    return SQLITE_DEFAULT if dialect == "sqlite" else 0


def together_for(settings: Settings, dialect: str) -> int:
    """Single filings filed as one batch at most: the setting, or by default 32 on SQLite
    and 0 (each on its own) on PostgreSQL."""
    if settings.filings_together is not None:
        return settings.filings_together
    return SQLITE_TOGETHER if dialect == "sqlite" else 0


@dataclass
class _Batches:
    """One event loop's queue of items waiting for the next batch."""

    waiting: list[tuple[Any, contextvars.Context, asyncio.Future[Any]]] = field(
        default_factory=list
    )
    task: asyncio.Task[None] | None = None
    writing: set[asyncio.Task[None]] = field(default_factory=set)  # batches past reading


class Turns:
    """At most ``slots`` calls of :meth:`run` at once in a worker thread (0: no bound but the
    thread pool's); the others wait, first come, first served (anyio's capacity limiter).
    With ``together`` > 1, :meth:`together` files the items that queue while one batch is
    being filed as the next batch, up to ``together`` at a time."""

    def __init__(self, slots: int, together: int = 0) -> None:
        self.slots = slots
        self.together = together
        self._batches: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Batches]
        self._batches = weakref.WeakKeyDictionary()
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

    async def batched(
        self,
        many: Callable[..., list[T | Exception]],
        one: Callable[..., T],
        item: tuple[Any, ...],
    ) -> T:
        """``one(*item)``'s answer, made by ``many`` with the items queued alongside.

        Off (``together`` ≤ 1): ``one(*item)`` in its turn (:meth:`run`). On: the item waits
        for the batch being filed to finish — one batch at a time per event loop, in a worker
        thread — and goes with everything queued meanwhile into the next call of
        ``many(items, contexts, ready)``, which answers each item (a result, or the
        exception to raise), runs each in the request's own context (its request id in the
        logs) and calls ``ready()`` when its reading is done and its writing begins.
        Nothing waits on purpose: an item arriving at an idle server is filed at once, alone;
        a busy server's queue is what makes a batch (Nagle's algorithm, RFC 896, and a
        database's group commit gather the same way)."""
        if self.together <= 1:
            return await self.run(one, *item)
        loop = asyncio.get_running_loop()
        batches = self._batches.get(loop)
        if batches is None:
            batches = self._batches[loop] = _Batches()
        answer: asyncio.Future[Any] = loop.create_future()
        batches.waiting.append((item, contextvars.copy_context(), answer))
        if batches.task is None:
            # in a context of its own: each request's writes run in the request's context
            batches.task = loop.create_task(
                self._file_batches(batches, many), context=contextvars.Context()
            )
        outcome = await answer
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def _file_batches(self, batches: _Batches, many: Callable[..., list[Any]]) -> None:
        """File batch after batch while items wait. A batch's read step is the next one's
        turn: once ``many`` says it is writing (its ``ready`` callback), the items that came
        meanwhile begin as the next batch while this one waits for the disk. When none came,
        the next batch waits for the writing to end — the requests it answers come back as
        one batch, not one by one. Stops when nothing waits and nothing is being written."""
        loop = asyncio.get_running_loop()
        try:
            while True:
                while batches.waiting:
                    batch = batches.waiting[: self.together]
                    del batches.waiting[: self.together]
                    ready = asyncio.Event()
                    task = loop.create_task(self._file_one_batch(batch, many, ready, loop))
                    batches.writing.add(task)  # held until done: the loop keeps weak references
                    task.add_done_callback(batches.writing.discard)
                    # the next batch when this one writes (or is done, however it ended)
                    waiter = loop.create_task(ready.wait())
                    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
                    waiter.cancel()
                if not batches.writing:
                    # no wait between this look at the queue and the end: an item queued from
                    # now on starts the next runner itself
                    break
                await asyncio.wait(set(batches.writing), return_when=asyncio.FIRST_COMPLETED)
        finally:
            batches.task = None

    @staticmethod
    async def _file_one_batch(
        batch: list[tuple[Any, contextvars.Context, asyncio.Future[Any]]],
        many: Callable[..., list[Any]],
        ready: asyncio.Event,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        items = [item for item, _, _ in batch]
        contexts = [context for _, context, _ in batch]

        def prepared() -> None:  # called from the worker thread
            loop.call_soon_threadsafe(ready.set)

        try:
            outcomes = await anyio.to_thread.run_sync(many, items, contexts, prepared)
        except BaseException as exc:  # the batch itself failed: every item says so
            for _, _, answer in batch:
                if not answer.done():
                    answer.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for (_, _, answer), outcome in zip(batch, outcomes, strict=True):
            if not answer.done():  # not given up on by its request
                answer.set_result(outcome)


def turns_of(request: Request) -> Turns:
    """The app's turns for filings (made by :func:`cbec.api.app.create_app`)."""
    return request.app.state.filing_turns

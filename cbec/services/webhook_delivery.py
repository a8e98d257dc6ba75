"""The deliverer: claims due deliveries from the outbox, POSTs each signed message (Standard
Webhooks headers) with httpx, and records the outcome — delivered on a 2xx, else tried again
after the back-off of :mod:`cbec.webhooks.retry`, dead after its last attempt.

A round is three short steps, so no transaction is held open across the network: claim (one
write transaction, which moves each claimed delivery a lease ahead), send (concurrently, on
:data:`SENDERS` threads sharing one connection pool), settle (one write transaction). A
deliverer killed between claim and settle loses nothing: its claims fall due again when the
lease runs out, and the receiver gets the message again under the same ``webhook-id`` — at
least once, as the specification says a receiver must expect.

``cbec serve`` runs :func:`follow` in a thread when ``CBEC_WEBHOOKS`` is on (the default);
``cbec webhooks deliver --follow`` runs it as its own process. Several deliverers may run at
once: PostgreSQL hands each claim rows the others have not locked (SKIP LOCKED), SQLite's
writer lock takes claims one at a time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import httpx

from cbec.services.webhook_models import DeliveryRound
from cbec.services.webhooks import SEAL_KIND
from cbec.store.repository import UnitOfWork
from cbec.store.webhook_store import DEAD, DELIVERED, PENDING, Claimed, Outcome, WebhookStore
from cbec.trade.ports import now
from cbec.webhooks import retry
from cbec.webhooks.signing import headers

log = logging.getLogger("cbec.webhooks")

BATCH = 200
SENDERS = 16
IDLE_S = 1.0
THREAD_NAME = "cbec-webhooks"

Clock = Callable[[], datetime]


def new_client() -> httpx.Client:
    """The HTTP client a deliverer keeps: no redirects followed (a 3xx is a failure, so a
    subscriber's URL cannot send the deliverer elsewhere), :data:`retry.TIMEOUT_S` to answer."""
    limits = httpx.Limits(max_connections=SENDERS, max_keepalive_connections=SENDERS)
    return httpx.Client(timeout=retry.TIMEOUT_S, follow_redirects=False, limits=limits)


def _send(client: httpx.Client, c: Claimed, secret: str, at: datetime) -> Outcome:
    try:
        answer = client.post(
            c.url,
            content=c.body,
            headers=headers(secret, c.message_id, int(at.timestamp()), c.body),
        )
        return Outcome(c.id, c.attempts, answer.status_code, None)
    except httpx.HTTPError as exc:
        return Outcome(c.id, c.attempts, None, type(exc).__name__)


def deliver_due(
    uow_factory: Callable[[], UnitOfWork],
    client: httpx.Client,
    clock: Clock = now,
    limit: int = BATCH,
    pool: ThreadPoolExecutor | None = None,
) -> DeliveryRound:
    """One round: claim up to ``limit`` deliveries due at ``clock()``, send them, settle.
    An idle round only reads (no write transaction when nothing is due)."""
    uow = uow_factory()
    with uow:
        if not WebhookStore(uow.conn).any_due(clock()):
            return DeliveryRound()
    uow = uow_factory()
    with uow.writing():
        claimed = WebhookStore(uow.conn).claim(clock(), limit, timedelta(seconds=retry.LEASE_S))
        secrets: dict[str, str] = {}
        for c in claimed:  # one opening per subscription, not per message
            if c.subscription_id not in secrets:
                secrets[c.subscription_id] = uow.vault.open_value(
                    SEAL_KIND, c.subscription_id, "secret", c.sealed_secret
                )
        uow.commit()
    if not claimed:
        return DeliveryRound()
    at = clock()
    if pool is None or len(claimed) == 1:
        outcomes = [_send(client, c, secrets[c.subscription_id], at) for c in claimed]
    else:
        outcomes = list(
            pool.map(lambda c: _send(client, c, secrets[c.subscription_id], at), claimed)
        )
    done = clock()
    settled: list[tuple[Outcome, str, datetime | None]] = []
    result = DeliveryRound(claimed=len(claimed))
    for o in outcomes:
        if retry.succeeded(o.status_code):
            settled.append((o, DELIVERED, None))
            result.delivered += 1
        elif (next_at := retry.after_failure(o.attempts, done)) is not None:
            settled.append((o, PENDING, next_at))
            result.retrying += 1
        else:
            settled.append((o, DEAD, None))
            result.dead += 1
    uow = uow_factory()
    with uow.writing():
        WebhookStore(uow.conn).settle(settled, done)
        uow.commit()
    return result


def follow(
    uow_factory: Callable[[], UnitOfWork],
    stop: threading.Event,
    clock: Clock = now,
    on_round: Callable[[DeliveryRound], None] | None = None,
) -> None:
    """Rounds until ``stop`` is set: at once again after a full round, else after waiting
    :data:`IDLE_S` on ``stop``. A failed round (the database busy or restarting) is logged
    and the next one retries."""
    with new_client() as client, ThreadPoolExecutor(SENDERS, "cbec-webhook-send") as pool:
        while not stop.is_set():
            try:
                r = deliver_due(uow_factory, client, clock, BATCH, pool)
            except Exception:
                log.exception("webhook delivery round failed; retrying")
                r = DeliveryRound()
            if on_round is not None:
                on_round(r)
            if r.claimed < BATCH:
                stop.wait(IDLE_S)


def start(uow_factory: Callable[[], UnitOfWork], stop: threading.Event) -> threading.Thread:
    """:func:`follow` in a daemon thread named :data:`THREAD_NAME` (the server's)."""
    worker = threading.Thread(
        target=follow, args=(uow_factory, stop), name=THREAD_NAME, daemon=True
    )
    worker.start()
    return worker

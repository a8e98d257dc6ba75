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
writer lock takes claims one at a time. Each also sweeps the tracking alerts every
``CBEC_ALERT_SWEEP_SECONDS`` (:mod:`cbec.services.tracking_sweep`; an alert is announced
once however many sweep).
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import httpcore
import httpx

from cbec.services.tracking_models import AlertSweep
from cbec.services.webhook_models import DeliveryRound
from cbec.services.webhooks import SEAL_KIND
from cbec.store.repository import UnitOfWork
from cbec.store.webhook_store import DEAD, DELIVERED, PENDING, Claimed, Outcome, WebhookStore
from cbec.trade.ports import now
from cbec.webhooks import retry
from cbec.webhooks.endpoints import BLOCKED_PREFIX, blocked
from cbec.webhooks.signing import headers

log = logging.getLogger("cbec.webhooks")

BATCH = 200
SENDERS = 16
IDLE_S = 1.0
THREAD_NAME = "cbec-webhooks"

Clock = Callable[[], datetime]


class _PublicOnly(httpcore.NetworkBackend):
    """The deliverer's sockets: the host is resolved here and every address it resolves to
    must be public (:func:`cbec.webhooks.endpoints.blocked`), then the socket connects to an
    address so checked — the address judged is the address used, so a name that resolves to
    a public address for a check and a private one for the connection (DNS rebinding) gets
    nowhere. TLS still verifies the certificate against the URL's host name, which httpcore
    passes to the handshake apart from the address."""

    def __init__(self) -> None:
        self.inner = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        refused = [a for a in addresses if blocked(a)]
        if refused or not addresses:
            raise httpcore.ConnectError(f"{BLOCKED_PREFIX}: {host} resolves to {refused[:1]}")
        last: Exception | None = None
        for address in addresses:
            try:
                return self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(host)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError(f"{BLOCKED_PREFIX}: unix socket")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


def _transport(private_ok: bool, limits: httpx.Limits) -> httpx.HTTPTransport:
    """httpx's transport, its connection pool on :class:`_PublicOnly` sockets unless the
    deployment allows private targets. httpx takes no network backend, so the pool it made
    is replaced by one built the same way with it (``tests/webhooks/test_private_targets.py``
    holds a private address unreachable through the client this makes)."""
    transport = httpx.HTTPTransport(limits=limits)
    if not private_ok:
        transport._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_PublicOnly(),
        )
    return transport


def new_client(private_ok: bool = False) -> httpx.Client:
    """The HTTP client a deliverer keeps: no redirects followed (a 3xx is a failure, so a
    subscriber's URL cannot send the deliverer elsewhere), :data:`retry.TIMEOUT_S` to answer,
    no proxy from the environment, and — unless ``private_ok`` — connections to public
    addresses only (:class:`_PublicOnly`)."""
    limits = httpx.Limits(max_connections=SENDERS, max_keepalive_connections=SENDERS)
    return httpx.Client(
        timeout=retry.TIMEOUT_S,
        follow_redirects=False,
        transport=_transport(private_ok, limits),
    )


def _send(client: httpx.Client, c: Claimed, secret: str, at: datetime) -> Outcome:
    try:
        answer = client.post(
            c.url,
            content=c.body,
            headers=headers(secret, c.message_id, int(at.timestamp()), c.body),
        )
        return Outcome(c.id, c.attempts, answer.status_code, None)
    except httpx.HTTPError as exc:
        blocked_address = str(exc).startswith(BLOCKED_PREFIX)
        return Outcome(
            c.id, c.attempts, None, BLOCKED_PREFIX if blocked_address else type(exc).__name__
        )


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
    on_sweep: Callable[[AlertSweep], None] | None = None,
) -> None:
    """Rounds until ``stop`` is set: at once again after a full round, else after waiting
    :data:`IDLE_S` on ``stop``. A failed round (the database busy or restarting) is logged
    and the next one retries. Every ``CBEC_ALERT_SWEEP_SECONDS`` (0: never) a tracking
    alert sweep (:func:`cbec.services.tracking_sweep.sweep_alerts`) runs first, so that the
    alerts that arise with time reach their subscribers by the next round."""
    settings = uow_factory().settings
    private_ok = bool(getattr(settings, "webhooks_private_targets", False))
    every = float(getattr(settings, "alert_sweep_seconds", 0) or 0)
    next_sweep: datetime | None = clock() if every > 0 else None
    with (
        new_client(private_ok) as client,
        ThreadPoolExecutor(SENDERS, "cbec-webhook-send") as pool,
    ):
        while not stop.is_set():
            if next_sweep is not None and clock() >= next_sweep:
                next_sweep = clock() + timedelta(seconds=every)
                swept = _sweep(uow_factory, clock)
                if on_sweep is not None and swept is not None:
                    on_sweep(swept)
            try:
                r = deliver_due(uow_factory, client, clock, BATCH, pool)
            except Exception:
                log.exception("webhook delivery round failed; retrying")
                r = DeliveryRound()
            if on_round is not None:
                on_round(r)
            if r.claimed < BATCH:
                stop.wait(IDLE_S)


def _sweep(uow_factory: Callable[[], UnitOfWork], clock: Clock) -> AlertSweep | None:
    """One alert sweep as of ``clock()``; a failure is logged and the next one retries (a
    sweep announces each alert once, so one missed is caught up)."""
    from cbec.services.tracking_sweep import sweep_alerts

    try:
        return sweep_alerts(uow_factory(), clock())
    except Exception:
        log.exception("tracking alert sweep failed; retrying at the next")
        return None


def start(uow_factory: Callable[[], UnitOfWork], stop: threading.Event) -> threading.Thread:
    """:func:`follow` in a daemon thread named :data:`THREAD_NAME` (the server's)."""
    worker = threading.Thread(
        target=follow, args=(uow_factory, stop), name=THREAD_NAME, daemon=True
    )
    worker.start()
    return worker

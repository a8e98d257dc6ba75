"""The webhooks' tables: the outbox a change writes into within its own transaction, the
subscriptions, and the deliveries a deliverer claims and settles.

The outbox is transactional: :meth:`Outbox.emit` runs on the connection of the transaction
that makes the change, so a rolled-back change leaves no message and a committed one leaves
its message and one pending delivery per matching subscription — committed together, or not
at all. A tenant with no subscription to the event costs one indexed read and writes
nothing. A deliverer claims due deliveries by moving their next attempt a lease ahead
(:data:`cbec.webhooks.retry.LEASE_S`): if it dies mid-send, the lease runs out and another
(or the same, restarted) claims them again — at least once, never lost.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from cbec.store.prepared import Prepared
from cbec.store.tables import (
    documents,
    import_batches,
    tenants,
    webhook_deliveries,
    webhook_messages,
    webhook_subscriptions,
)
from cbec.trade.ports import now
from cbec.webhooks.catalogue import DOCUMENT_FILED, Event, body, document_filed

_FILED_COLUMNS = (
    "id",
    "kind",
    "natural_key",
    "filer_tenant_id",
    "platform_tenant_id",
    "order_no",
    "created_at",
)


def _readers(row: dict[str, Any]) -> tuple[int, ...]:
    """Who hears that a document was filed: its filer and the platform it names, which reads
    it (:mod:`cbec.tenancy.access`: a platform sees the orders, payments and waybills naming
    it). A seller reads a payment or waybill only through an unambiguous order — a judgement
    made when it reads, not when the document is filed — so it is not told here."""
    platform = row.get("platform_tenant_id")
    filer = row["filer_tenant_id"]
    return (filer,) if platform is None or platform == filer else (filer, platform)


PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"
STATUSES = (PENDING, DELIVERED, DEAD)

# read by every filing: on the DB-API cursor (cbec.store.prepared)
_SUBSCRIBED = Prepared(
    select(
        webhook_subscriptions.c.id,
        webhook_subscriptions.c.tenant_id,
        webhook_subscriptions.c.event_types,
    ).where(
        webhook_subscriptions.c.active.is_(True),
        webhook_subscriptions.c.tenant_id.in_(bindparam("tenants", expanding=True)),
    )
)


class Outbox:
    """Writes events into the outbox on the caller's connection (its transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def wanted(self, tenant_ids: Iterable[int]) -> dict[tuple[int, str], list[str]]:
        """The active subscriptions of ``tenant_ids`` by (tenant, event type). Read once per
        tenant and transaction: a filing's documents and its compliance decisions ask for the
        same filer, and every statement on the write path counts
        (``tests/documents/test_filing_statements.py``)."""
        asked = set(tenant_ids)
        known = self._known()
        missing = sorted(asked - known.keys())
        if missing:
            found: dict[int, list[tuple[str, str]]] = {t: [] for t in missing}
            for row in _SUBSCRIBED.rows(self.conn, {"tenants": missing}):
                found[row.tenant_id] += [(name, row.id) for name in row.event_types.split()]
            known.update(found)
        out: dict[tuple[int, str], list[str]] = {}
        for tenant in asked:
            for name, sub_id in known[tenant]:
                out.setdefault((tenant, name), []).append(sub_id)
        return out

    def _known(self) -> dict[int, list[tuple[str, str]]]:
        """This transaction's subscriptions read so far, by tenant (kept on the connection
        with the transaction they belong to; a new transaction reads afresh)."""
        tx = self.conn.get_transaction()
        held = self.conn.info.get("webhook_subscriptions")
        if held is None or held[0] is not tx:
            held = (tx, {})
            self.conn.info["webhook_subscriptions"] = held
        return held[1]

    def emit(
        self,
        events: Sequence[Event],
        at: datetime,
        wanted: dict[tuple[int, str], list[str]] | None = None,
    ) -> int:
        """Store ``events`` for their tenants' active subscriptions (``wanted``, read when
        not given); returns the deliveries made. Nothing is written for an event no
        subscription wants."""
        if not events:
            return 0
        if wanted is None:
            wanted = self.wanted(e.tenant_id for e in events)
        messages: list[dict[str, Any]] = []
        deliveries: list[dict[str, Any]] = []
        for event in events:
            subs = wanted.get((event.tenant_id, event.type))
            if not subs:
                continue
            msg_id = "msg_" + uuid.uuid4().hex
            messages.append(
                {
                    "id": msg_id,
                    "tenant_id": event.tenant_id,
                    "event_type": event.type,
                    "body": body(event, at).decode(),
                    "created_at": at,
                }
            )
            for sub_id in subs:
                deliveries.append(
                    {
                        "id": uuid.uuid4().hex,
                        "message_id": msg_id,
                        "subscription_id": sub_id,
                        "tenant_id": event.tenant_id,
                        "status": PENDING,
                        "attempts": 0,
                        "next_attempt_at": at,
                        "created_at": at,
                    }
                )
        if messages:
            self.conn.execute(insert(webhook_messages), messages)
            self.conn.execute(insert(webhook_deliveries), deliveries)
        return len(deliveries)

    def documents_filed(self, rows: Sequence[dict[str, Any]]) -> int:
        """``document.filed`` for documents just inserted (rows as inserted into
        ``documents``); a bulk import's are left for :meth:`batch_filed`, when it completes:
        until then they are shown to no one (:mod:`cbec.store.visibility`)."""
        shown = [r for r in rows if r.get("batch_id") is None]
        wanted = self.wanted(t for r in shown for t in _readers(r))
        if not any(t == DOCUMENT_FILED for _, t in wanted):
            return 0
        return self._filed(shown, wanted)

    def batch_filed(self, batch_id: str) -> int:
        """``document.filed`` for every document of a bulk import that has just completed."""
        tenant = self.conn.execute(
            select(import_batches.c.tenant_id).where(import_batches.c.id == batch_id)
        ).scalar()
        if tenant is None:
            return 0
        q = select(*(documents.c[n] for n in _FILED_COLUMNS)).where(
            documents.c.batch_id == batch_id
        )
        platforms = (
            select(documents.c.platform_tenant_id)
            .where(documents.c.batch_id == batch_id, documents.c.platform_tenant_id.is_not(None))
            .distinct()
        )
        readers = [tenant, *self.conn.execute(platforms).scalars()]
        wanted = self.wanted(readers)
        if not any(t == DOCUMENT_FILED for _, t in wanted):
            return 0
        rows = [dict(r._mapping) for r in self.conn.execute(q.order_by(documents.c.seq))]
        return self._filed(rows, wanted)

    def _filed(self, rows: Sequence[dict[str, Any]], wanted: dict) -> int:
        told = [
            (reader, r)
            for r in rows
            for reader in _readers(r)
            if (reader, DOCUMENT_FILED) in wanted
        ]
        if not told:
            return 0
        filers = {r["filer_tenant_id"] for _, r in told}
        q = select(tenants.c.id, tenants.c.name).where(tenants.c.id.in_(filers))
        names = {r.id: r.name for r in self.conn.execute(q)}
        events = [
            document_filed(
                reader,
                r["id"],
                r["kind"],
                r["natural_key"],
                names[r["filer_tenant_id"]],
                r.get("order_no"),
                r["created_at"],
            )
            for reader, r in told
        ]
        return self.emit(events, now(), wanted)


@dataclass(frozen=True)
class Claimed:
    """A delivery a deliverer took: what it sends, where, and under which secret (sealed)."""

    id: str
    message_id: str
    subscription_id: str
    url: str
    sealed_secret: str
    body: bytes
    attempts: int


@dataclass(frozen=True)
class Outcome:
    """How one attempt ended: the receiver's status code, or the error that stopped it."""

    id: str
    attempts: int
    status_code: int | None
    error: str | None


_CLAIM = (
    select(
        webhook_deliveries.c.id,
        webhook_deliveries.c.message_id,
        webhook_deliveries.c.subscription_id,
        webhook_deliveries.c.attempts,
        webhook_subscriptions.c.url,
        webhook_subscriptions.c.secret,
        webhook_messages.c.body,
    )
    .join(webhook_subscriptions, webhook_subscriptions.c.id == webhook_deliveries.c.subscription_id)
    .join(webhook_messages, webhook_messages.c.id == webhook_deliveries.c.message_id)
    .where(
        webhook_deliveries.c.status == PENDING,
        webhook_deliveries.c.next_attempt_at <= bindparam("now"),
        webhook_subscriptions.c.active.is_(True),
    )
    .order_by(webhook_deliveries.c.next_attempt_at)
    .limit(bindparam("limit"))
    .with_for_update(of=webhook_deliveries, skip_locked=True)
)


# Whether anything is due: read without a lock, so an idle deliverer never takes the write
# lock (on SQLite one writer at a time: a claim every second would queue every filing).
_ANY_DUE = (
    select(webhook_deliveries.c.id)
    .where(
        webhook_deliveries.c.status == PENDING,
        webhook_deliveries.c.next_attempt_at <= bindparam("now"),
    )
    .limit(1)
)


class WebhookStore:
    """Subscriptions and deliveries on one connection."""

    def any_due(self, now: datetime) -> bool:
        """Whether a delivery may be due at ``now`` (:meth:`claim` decides which)."""
        return self.conn.execute(_ANY_DUE, {"now": now}).first() is not None

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- subscriptions ---
    def add_subscription(self, row: dict[str, Any]) -> None:
        self.conn.execute(insert(webhook_subscriptions).values(**row))

    def subscriptions(self, tenant_id: int) -> list[Any]:
        q = (
            select(webhook_subscriptions)
            .where(webhook_subscriptions.c.tenant_id == tenant_id)
            .order_by(webhook_subscriptions.c.created_at, webhook_subscriptions.c.id)
        )
        return list(self.conn.execute(q))

    def deactivate(self, tenant_id: int, sub_id: str) -> bool:
        """Switch a tenant's subscription off (its deliveries stay listed); False when the
        tenant has no such subscription."""
        done = self.conn.execute(
            update(webhook_subscriptions)
            .where(
                webhook_subscriptions.c.id == sub_id,
                webhook_subscriptions.c.tenant_id == tenant_id,
                webhook_subscriptions.c.active.is_(True),
            )
            .values(active=False)
        )
        return done.rowcount == 1

    # --- deliveries ---
    def deliveries(
        self, tenant_id: int, status: str | None, limit: int, before: datetime | None = None
    ) -> list[Any]:
        q = (
            select(webhook_deliveries, webhook_messages.c.event_type)
            .join(webhook_messages, webhook_messages.c.id == webhook_deliveries.c.message_id)
            .where(webhook_deliveries.c.tenant_id == tenant_id)
        )
        if status is not None:
            q = q.where(webhook_deliveries.c.status == status)
        if before is not None:
            q = q.where(webhook_deliveries.c.created_at < before)
        q = q.order_by(webhook_deliveries.c.created_at.desc(), webhook_deliveries.c.id.desc())
        return list(self.conn.execute(q.limit(limit)))

    def replay(self, tenant_id: int, delivery_id: str, at: datetime) -> bool:
        """Make a dead or delivered delivery of the tenant's due again with a fresh count of
        attempts; False when it has none such (or the delivery is still pending)."""
        done = self.conn.execute(
            update(webhook_deliveries)
            .where(
                webhook_deliveries.c.id == delivery_id,
                webhook_deliveries.c.tenant_id == tenant_id,
                webhook_deliveries.c.status.in_((DELIVERED, DEAD)),
            )
            .values(status=PENDING, attempts=0, next_attempt_at=at, delivered_at=None)
        )
        return done.rowcount == 1

    def delivery(self, tenant_id: int, delivery_id: str) -> Any:
        q = (
            select(webhook_deliveries, webhook_messages.c.event_type)
            .join(webhook_messages, webhook_messages.c.id == webhook_deliveries.c.message_id)
            .where(
                webhook_deliveries.c.id == delivery_id,
                webhook_deliveries.c.tenant_id == tenant_id,
            )
        )
        return self.conn.execute(q).first()

    def claim(self, now: datetime, limit: int, lease: timedelta) -> list[Claimed]:
        """Take up to ``limit`` due deliveries: each counts an attempt and is not due again
        until ``now + lease`` unless settled first (:meth:`settle`)."""
        rows = list(self.conn.execute(_CLAIM, {"now": now, "limit": limit}))
        if not rows:
            return []
        self.conn.execute(
            update(webhook_deliveries)
            .where(webhook_deliveries.c.id == bindparam("b_id"))
            .values(attempts=bindparam("b_attempts"), next_attempt_at=now + lease),
            [{"b_id": r.id, "b_attempts": r.attempts + 1} for r in rows],
        )
        return [
            Claimed(
                r.id,
                r.message_id,
                r.subscription_id,
                r.url,
                r.secret,
                r.body.encode(),
                r.attempts + 1,
            )
            for r in rows
        ]

    def settle(
        self, outcomes: Sequence[tuple[Outcome, str, datetime | None]], at: datetime
    ) -> None:
        """Record attempts: each with its new status and, when pending, its next attempt."""
        rows = [
            {
                "b_id": o.id,
                "b_status": status,
                "b_next": next_at or at,
                "b_code": o.status_code,
                "b_error": (o.error or "")[:200] or None,
                "b_delivered": at if status == DELIVERED else None,
            }
            for o, status, next_at in outcomes
        ]
        if rows:
            self.conn.execute(
                update(webhook_deliveries)
                .where(webhook_deliveries.c.id == bindparam("b_id"))
                .values(
                    status=bindparam("b_status"),
                    next_attempt_at=bindparam("b_next"),
                    last_status=bindparam("b_code"),
                    last_error=bindparam("b_error"),
                    delivered_at=bindparam("b_delivered"),
                ),
                rows,
            )

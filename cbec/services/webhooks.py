"""Use cases of outgoing webhooks for a tenant: subscribe, list, unsubscribe, list the
deliveries and replay one (Standard Webhooks; :mod:`cbec.webhooks`).

A tenant sees and changes only its own subscriptions and deliveries: another tenant's id is
"not found", never "forbidden", as for documents (:mod:`cbec.tenancy.access`). The secret is
made here, sealed by the vault and shown once, in the answer to the subscription.
"""

from __future__ import annotations

import uuid
from typing import Any

from cbec.errors import Conflict, DocumentInvalid, NotFound, Violation
from cbec.services.webhook_models import (
    Delivery,
    DeliveryList,
    Subscription,
    SubscriptionCreated,
    SubscriptionList,
    SubscriptionRequest,
)
from cbec.store.repository import UnitOfWork
from cbec.store.webhook_store import STATUSES, WebhookStore
from cbec.tenancy.access import Viewer
from cbec.trade.ports import now
from cbec.webhooks.catalogue import check_types
from cbec.webhooks.endpoints import check_url
from cbec.webhooks.signing import new_secret

SEAL_KIND = "webhook_subscription"  # the vault's associated data: kind, id, field
MAX_LIST = 500


def _subscription(row: Any) -> Subscription:
    return Subscription(
        id=row.id,
        url=row.url,
        event_types=row.event_types.split(),
        active=row.active,
        created_at=row.created_at,
    )


def _delivery(row: Any) -> Delivery:
    return Delivery(
        id=row.id,
        message_id=row.message_id,
        subscription_id=row.subscription_id,
        event_type=row.event_type,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at if row.status == "pending" else None,
        last_status=row.last_status,
        last_error=row.last_error,
        delivered_at=row.delivered_at,
        created_at=row.created_at,
    )


def subscribe(uow: UnitOfWork, viewer: Viewer, req: SubscriptionRequest) -> SubscriptionCreated:
    """A new active subscription of ``viewer``'s; 422 naming ``url`` for anything but an
    http(s) URL (or one naming a private address, unless the deployment allows them:
    :mod:`cbec.webhooks.endpoints`) and ``event_types[i]`` for a type not in the catalogue."""
    private_ok = bool(getattr(uow.settings, "webhooks_private_targets", False))
    problems: list[Violation] = check_url(req.url, private_ok=private_ok)
    problems += check_types(req.event_types)
    if problems:
        raise DocumentInvalid(problems)
    types = list(dict.fromkeys(req.event_types))
    sub_id, secret, at = uuid.uuid4().hex, new_secret(), now()
    with uow.writing():
        sealed = uow.vault.seal_value(SEAL_KIND, sub_id, "secret", secret)
        WebhookStore(uow.conn).add_subscription(
            {
                "id": sub_id,
                "tenant_id": viewer.tenant_id,
                "url": req.url,
                "event_types": " ".join(types),
                "secret": sealed,
                "active": True,
                "created_at": at,
            }
        )
        uow.commit()
    return SubscriptionCreated(
        id=sub_id, url=req.url, event_types=types, active=True, created_at=at, secret=secret
    )


def list_subscriptions(uow: UnitOfWork, viewer: Viewer) -> SubscriptionList:
    with uow:
        rows = WebhookStore(uow.conn).subscriptions(viewer.tenant_id)
    return SubscriptionList(subscriptions=[_subscription(r) for r in rows])


def get_subscription(uow: UnitOfWork, viewer: Viewer, sub_id: str) -> Subscription:
    """One of ``viewer``'s subscriptions, without its secret; 404 for one it has not."""
    with uow:
        rows = WebhookStore(uow.conn).subscriptions(viewer.tenant_id)
    row = next((r for r in rows if r.id == sub_id), None)
    if row is None:
        raise NotFound("not_found", {"kind": "webhook_subscription"})
    return _subscription(row)


def unsubscribe(uow: UnitOfWork, viewer: Viewer, sub_id: str) -> Subscription:
    """Switch the subscription off: no new deliveries, none of its pending ones sent; its
    deliveries stay listed. 404 for one the tenant has not (or has already switched off)."""
    with uow.writing():
        store = WebhookStore(uow.conn)
        if not store.deactivate(viewer.tenant_id, sub_id):
            raise NotFound("not_found", {"kind": "webhook_subscription"})
        row = next(r for r in store.subscriptions(viewer.tenant_id) if r.id == sub_id)
        uow.commit()
    return _subscription(row)


def list_deliveries(
    uow: UnitOfWork, viewer: Viewer, status: str | None = None, limit: int = 100
) -> DeliveryList:
    """The tenant's deliveries, newest first; ``status`` one of pending, delivered, dead."""
    if status is not None and status not in STATUSES:
        raise DocumentInvalid(
            [Violation("status", "webhook_status_unknown", {"known": ", ".join(STATUSES)})]
        )
    with uow:
        rows = WebhookStore(uow.conn).deliveries(
            viewer.tenant_id, status, max(1, min(limit, MAX_LIST))
        )
    return DeliveryList(deliveries=[_delivery(r) for r in rows])


def replay(uow: UnitOfWork, viewer: Viewer, delivery_id: str) -> Delivery:
    """Send a dead (or delivered) delivery again, now, with a fresh count of attempts; the
    same message id and body, so a receiver that keeps ids recognises it. 404 for one the
    tenant has not; 409 for one still pending."""
    with uow.writing():
        store = WebhookStore(uow.conn)
        if not store.replay(viewer.tenant_id, delivery_id, now()):
            if store.delivery(viewer.tenant_id, delivery_id) is None:
                raise NotFound("not_found", {"kind": "webhook_delivery"})
            raise Conflict("webhook_still_pending", {})
        row = store.delivery(viewer.tenant_id, delivery_id)
        uow.commit()
    return _delivery(row)

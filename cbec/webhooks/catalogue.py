"""The events a tenant may subscribe to, and the payload of each.

A payload carries only what the subscriber (the tenant whose change it is) may read and no
personal information: the document's id, kind, natural key, order number and filer — never
a buyer's name, ID number, phone or address, which stay sealed in the store. The message is
the Standard Webhooks envelope (``type``, ``timestamp``, ``data``; standardwebhooks.com,
"Payload structure"). To add an event: a line in :data:`EVENTS`, a builder beside the others,
and a call to :meth:`cbec.store.webhook_store.Outbox.emit` where the change is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cbec.errors import Violation


@dataclass(frozen=True)
class EventType:
    name: str
    description: str


DOCUMENT_FILED = "document.filed"
COMPLIANCE_DECIDED = "compliance.decided"

EVENTS: dict[str, EventType] = {
    e.name: e
    for e in (
        EventType(
            DOCUMENT_FILED,
            "An order, payment, waybill or product the tenant filed was stored (a bulk "
            "import's documents when the import completes).",
        ),
        EventType(
            COMPLIANCE_DECIDED,
            "A compliance decision was made on a document the tenant filed.",
        ),
    )
}


@dataclass(frozen=True)
class Event:
    """One event for ``tenant_id``'s subscriptions to ``type``."""

    tenant_id: int
    type: str
    data: dict[str, Any]


def check_types(types: Iterable[str], field: str = "event_types") -> list[Violation]:
    """The violations of a subscription's event types: none given, or one not catalogued."""
    listed = list(types)
    if not listed:
        return [Violation(field, "webhook_events_empty")]
    return [
        Violation(f"{field}[{i}]", "webhook_event_unknown", {"known": ", ".join(EVENTS)})
        for i, name in enumerate(listed)
        if name not in EVENTS
    ]


def document_filed(
    tenant_id: int,
    doc_id: str,
    kind: str,
    natural_key: str,
    filer: str,
    order_no: str | None,
    at: datetime,
) -> Event:
    data = {"id": doc_id, "kind": kind, "natural_key": natural_key, "filer": filer}
    if order_no is not None:
        data["order_no"] = order_no
    return Event(tenant_id, DOCUMENT_FILED, data | {"filed_at": at.isoformat()})


def compliance_decided(
    tenant_id: int, document_id: str, outcome: str, ruleset_version: str, at: datetime
) -> Event:
    data = {
        "document_id": document_id,
        "outcome": outcome,
        "ruleset_version": ruleset_version,
        "decided_at": at.isoformat(),
    }
    return Event(tenant_id, COMPLIANCE_DECIDED, data)


def body(event: Event, at: datetime) -> bytes:
    """The message body as sent (and signed): the envelope in compact JSON."""
    envelope = {"type": event.type, "timestamp": at.isoformat(), "data": event.data}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()

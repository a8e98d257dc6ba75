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
from collections.abc import Iterable, Mapping
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
SCREENING_HIT = "screening.hit"
DECLARATION_STATE_CHANGED = "declaration.state_changed"
TRACKING_ALERT_RAISED = "tracking.alert_raised"

EVENTS: dict[str, EventType] = {
    e.name: e
    for e in (
        EventType(
            DOCUMENT_FILED,
            "An order, payment, waybill or product the tenant filed — or an order, payment "
            "or waybill naming the tenant as its platform — was stored (a bulk import's "
            "documents when the import completes).",
        ),
        EventType(
            COMPLIANCE_DECIDED,
            "A compliance decision was made on a document the tenant filed.",
        ),
        EventType(
            SCREENING_HIT,
            "A party of a document the tenant filed matched a screening list (the score "
            "reached the threshold); the payload names the role, never the person.",
        ),
        EventType(
            DECLARATION_STATE_CHANGED,
            "A customs declaration the tenant made moved to another state: declared, or "
            "answered by a receipt (CEB311/411/511/621… and their withdrawals).",
        ),
        EventType(
            TRACKING_ALERT_RAISED,
            "An alert was raised on a waybill the tenant may read: late against the planned "
            "transit or a sensor reading outside its limits (as events are recorded), or no "
            "scan for longer than the current leg allows (found by the alert sweep).",
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


def screening_hit(
    tenant_id: int, document_id: str, role: str, score: str, lists: str, at: datetime
) -> Event:
    """The listed entity is not named: a list's ids often spell a person's name, and the
    filer reads the result (with the entity) at ``GET /…/{id}/checks``."""
    data = {
        "document_id": document_id,
        "role": role,
        "score": score,
        "lists": lists,
        "screened_at": at.isoformat(),
    }
    return Event(tenant_id, SCREENING_HIT, data)


def declaration_state_changed(
    tenant_id: int,
    declaration: Mapping[str, Any],
    event: str,
    state: str,
    return_status: int | None,
    at: datetime,
) -> Event:
    """``declaration`` is the declarations row (id, message, record_guid, business_key); the
    receipt's free text (``returnInfo``) is left out — customs may quote the document."""
    data = {
        "declaration_id": declaration["id"],
        "message": declaration["message"],
        "record_guid": declaration["record_guid"],
        "business_key": declaration["business_key"],
        "event": event,
        "state": state,
        "return_status": return_status,
        "at": at.isoformat(),
    }
    return Event(tenant_id, DECLARATION_STATE_CHANGED, data)


def tracking_alert_raised(
    tenant_id: int, waybill_id: str, waybill_no: str, alert: Any, at: datetime
) -> Event:
    """``alert`` is a :class:`cbec.logistics.alerts.Alert` on a waybill ``tenant_id`` may
    read, judged as that tenant reads it (:mod:`cbec.services.tracking_sweep`); its figures
    are written as JSON numbers or text (a reading's value, a percentile), never a place's
    occupant."""
    data = {
        "waybill_id": waybill_id,
        "waybill_no": waybill_no,
        "rule": alert.rule,
        "severity": alert.severity,
        "at": alert.at.isoformat(),
        "reason": alert.reason,
        "params": {k: _plain(v) for k, v in alert.params.items()},
        "raised_at": at.isoformat(),
    }
    return Event(tenant_id, TRACKING_ALERT_RAISED, data)


def _plain(value: Any) -> Any:
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)  # Decimal and the like: exact, as text


def body(event: Event, at: datetime) -> bytes:
    """The message body as sent (and signed): the envelope in compact JSON."""
    envelope = {"type": event.type, "timestamp": at.isoformat(), "data": event.data}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()

"""Tracking events (GS1 EPCIS 2.0): what happened to a parcel or a batch, where and when,
as the JSON-LD event traceability systems exchange, with its entry in the evidence ledger.

An event is kept once per recorder: its EPCIS event hash ID (CBV 2.0 §8.9) is the same for
the same event however it was serialised, so a carrier re-sending its feed adds nothing.
The keys beside it (EPCs, the parent of an aggregation, product classes and lots, business
transactions such as the waybill) are what the traceability query follows."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from cbec.store.tables.base import BigId, UTCDateTime, metadata

tracking_events = Table(
    "tracking_events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("recorder_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    # the waybill the event is about, when it names one the recorder may read
    Column("waybill_id", String(32), nullable=True),
    Column("event_id", String(120), nullable=False),
    Column("event_type", String(32), nullable=False),
    Column("event_time", UTCDateTime(), nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("biz_step", String(64), nullable=True),
    Column("body", Text, nullable=False),  # the EPCIS 2.0 JSON-LD event
    Column("ledger_index", BigId, nullable=True),
    UniqueConstraint("recorder_tenant_id", "event_id"),
    Index("ix_tracking_events_waybill_time", "waybill_id", "event_time"),
    # the alert sweep's bound: the waybills with an event in its window (by event time)
    Index("ix_tracking_events_time", "event_time", "waybill_id"),
)

# The identifiers an event names, for following a parcel or a batch across events; the
# event by its recorder and ID (known before it is written, so a feed is written in two
# statements, not three).
tracking_event_keys = Table(
    "tracking_event_keys",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("recorder_tenant_id", BigId, primary_key=True),
    Column("event_id", String(120), primary_key=True),
    ForeignKeyConstraint(
        ["recorder_tenant_id", "event_id"],
        ["tracking_events.recorder_tenant_id", "tracking_events.event_id"],
    ),
)

# Each tracking alert announced to a subscriber (``tracking.alert_raised``), once: the key is
# the tenant told, the waybill, the rule and the alert's identity
# (:func:`cbec.logistics.alerts.identity` — for a sensor reading or a late arrival its
# moment and reason; for a silence the last scan it started at and its leg). Written in the
# transaction that writes the message into the webhooks' outbox, insert-or-skip on this key,
# so two sweeps at once (two processes) never tell a tenant twice. No personal data: the
# waybill by its id, the alert by a digest.
tracking_alert_notices = Table(
    "tracking_alert_notices",
    metadata,
    Column("tenant_id", BigId, ForeignKey("tenants.id"), primary_key=True),
    Column("waybill_id", String(32), primary_key=True),
    Column("rule", String(16), primary_key=True),
    Column("alert_key", String(64), primary_key=True),  # SHA-256 hex of the identity
    Column("alert_at", UTCDateTime(), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("noticed_at", UTCDateTime(), nullable=False),
)

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

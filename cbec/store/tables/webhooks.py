"""Outgoing webhooks: a tenant's subscriptions, the outbox of messages written in the same
transaction as the change they tell of, and one delivery per message and subscription with
its attempts (Standard Webhooks; :mod:`cbec.webhooks`)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from cbec.store.tables.base import BigId, UTCDateTime, metadata

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False, index=True),
    Column("url", Text, nullable=False),
    Column("event_types", Text, nullable=False),  # space-separated catalogue names
    Column("secret", Text, nullable=False),  # the whsec_ secret, sealed by the vault
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

# The outbox: a message's body is stored as sent (and signed), the same on every retry.
webhook_messages = Table(
    "webhook_messages",
    metadata,
    Column("id", String(40), primary_key=True),  # the webhook-id header, msg_…
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("message_id", String(40), ForeignKey("webhook_messages.id"), nullable=False),
    Column("subscription_id", String(32), ForeignKey("webhook_subscriptions.id"), nullable=False),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("status", String(12), nullable=False),  # pending | delivered | dead
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    Column("last_status", Integer, nullable=True),
    Column("last_error", String(200), nullable=True),
    Column("delivered_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    Index("ix_webhook_deliveries_tenant", "tenant_id", "created_at"),
)

"""Dispute cases (:mod:`cbec.disputes`): the case on one order, the messages between its
parties and the events of its life, each event and message with its entry in the evidence
ledger. A message's text may name people (the inventory's ``possible``): it is stored
encrypted like a document's personal fields and read only by the case's parties."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text

from cbec.store.tables.base import BigId, UTCDateTime, metadata

dispute_cases = Table(
    "dispute_cases",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("order_id", String(32), nullable=False),
    Column("order_no", String(100), nullable=False),
    Column("platform_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("seller_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("opener_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("claim_amount", String(40), nullable=False),  # a Decimal, as text
    Column("currency", String(3), nullable=False),
    Column("state", String(16), nullable=False),
    Column("outcome", String(16), nullable=True),
    Column("refund_amount", String(40), nullable=True),
    Column("opened_at", UTCDateTime(), nullable=False),
    Column("response_due", UTCDateTime(), nullable=False),
    Column("resolution_due", UTCDateTime(), nullable=False),
    Column("deadline_source", Text, nullable=False),
    Column("responded_at", UTCDateTime(), nullable=True),
    Column("resolved_at", UTCDateTime(), nullable=True),
    # the order's person (``documents.subject_ref``) when it names one by ID: their data
    # subject requests find the case through it, and their key seals the case's messages
    Column("subject_ref", String(64), nullable=True),
    Index("ix_dispute_cases_order", "order_id"),
    Index("ix_dispute_cases_subject", "subject_ref"),
    Index("ix_dispute_cases_platform", "platform_tenant_id", "opened_at"),
    Index("ix_dispute_cases_seller", "seller_tenant_id", "opened_at"),
    Index("ix_dispute_cases_opener", "opener_tenant_id", "opened_at"),
)

dispute_messages = Table(
    "dispute_messages",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("case_id", String(32), ForeignKey("dispute_cases.id"), nullable=False),
    Column("author_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("text", Text, nullable=False),  # encrypted (vault token): possibly personal
    Column("ledger_index", BigId, nullable=True),
    Index("ix_dispute_messages_case", "case_id", "id"),
)

dispute_events = Table(
    "dispute_events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("case_id", String(32), ForeignKey("dispute_cases.id"), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("event", String(16), nullable=False),
    Column("actor_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("entry", Text, nullable=False),  # the ledger entry's bytes (PII-free JSON)
    Column("ledger_index", BigId, nullable=True),
    Index("ix_dispute_events_case", "case_id", "id"),
)

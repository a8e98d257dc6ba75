"""Customs declarations and their events, tenants' customs identities and signing keys."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from cbec.store.tables.base import BigId, UTCDateTime, metadata

# --- customs declarations (cbec.customs.state) ----------------------------------------------

declarations = Table(
    "declarations",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("message", String(8), nullable=False),  # CEB311 …
    Column("record_guid", String(36), nullable=False),
    Column("business_key", String(60), nullable=False),
    Column("state", String(16), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("message", "record_guid", name="uq_declarations_record"),
)

declaration_events = Table(
    "declaration_events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("declaration_id", BigId, ForeignKey("declarations.id"), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("event", String(16), nullable=False),  # declare | receipt
    Column("return_status", Integer, nullable=True),
    Column("info", Text, nullable=True),
    Column("state", String(16), nullable=False),  # state after the event
    Column("ledger_index", BigId, nullable=True),
)


# Customs identity of a tenant: its registration code and name, and the China E-Port
# exchange id it sends through (when it sends messages itself).
customs_profiles = Table(
    "customs_profiles",
    metadata,
    Column("tenant_id", BigId, ForeignKey("tenants.id"), primary_key=True, autoincrement=False),
    Column("code", String(18), nullable=False),
    Column("registered_name", String(100), nullable=False),
    Column("dxp_id", String(30), nullable=True),
)

# Software signing keys for customs messages (test environments and demos; production keys
# stay on E-Port cards). The private key is sealed with the field-encryption key ring.
customs_signing_keys = Table(
    "customs_signing_keys",
    metadata,
    Column("tenant_id", BigId, ForeignKey("tenants.id"), primary_key=True, autoincrement=False),
    Column("key_name", String(64), nullable=False, unique=True),
    Column("algorithm", String(100), nullable=False),
    Column("private_key", Text, nullable=False),
    Column("public_key", Text, nullable=False),
    Column("certificate", Text, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

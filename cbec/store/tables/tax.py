"""The China CBEC annual quota per buyer: usage and charges."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from cbec.store.tables.base import BigId, UTCDateTime, metadata

# China CBEC annual quota per buyer (the resident ID as a keyed hash; the ID itself sealed).
# Amounts are integer fen: exact, and additive in one UPDATE on every database.
tax_quota_usage = Table(
    "tax_quota_usage",
    metadata,
    Column("buyer_key", String(64), primary_key=True),
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("used_fen", BigInteger, nullable=False),
    Column("buyer_id", Text, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

tax_quota_charges = Table(
    "tax_quota_charges",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_ref", String(200), nullable=False, unique=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("buyer_key", String(64), nullable=False, index=True),
    Column("year", Integer, nullable=False),
    Column("counted_fen", BigInteger, nullable=False),
    Column("tax_fen", BigInteger, nullable=False),
    Column("regime", String(20), nullable=False),
    Column("assessment", Text, nullable=False),
    Column("released_on", String(10), nullable=False),
    Column("charged_at", UTCDateTime(), nullable=False),
    Column("refunded_at", UTCDateTime(), nullable=True),
    Column("returned_on", String(10), nullable=True),
    # The stored order the tax is withheld for: one charge per order, whoever withholds
    # (rows from before revision 0011 have none).
    Column("order_doc_id", String(32), nullable=True),
    Index("ix_tax_quota_charges_order_doc_id", "order_doc_id", unique=True),
)

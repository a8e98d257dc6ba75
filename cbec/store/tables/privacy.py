"""The register of cross-border data transfers (PIPL Art. 38-39; CAC provisions of
2024-03-22): what left, for whom, where to and on which route — and, for a transfer made of
stored documents, the keyed hashes of the individuals in it, so the yearly counts the
provisions set thresholds on count each person once (自当年1月1日起累计, individuals, not
records)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from cbec.store.tables.base import BigId, UTCDateTime, metadata

data_transfers = Table(
    "data_transfers",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),  # the exporter
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("transferred_on", Date, nullable=False),  # the day the data left (China time)
    Column("origin", String(2), nullable=False),
    Column("destination", String(2), nullable=False),
    Column("recipient", String(200), nullable=False),
    Column("purpose", String(64), nullable=False),
    Column("data_categories", Text, nullable=False),  # JSON list
    # individuals declared by number (not among the documents), then those of the documents
    Column("declared_individuals", Integer, nullable=False),
    Column("declared_sensitive", Integer, nullable=False),
    Column("document_count", Integer, nullable=False),
    Column("important_data", Boolean, nullable=False),
    Column("collected_abroad", Boolean, nullable=False),
    Column("counted", Boolean, nullable=False),  # adds to the yearly counts
    Column("route", String(40), nullable=False),
    Column("decision", Text, nullable=False),  # the RouteDecision, JSON
    Column("ledger_index", BigInteger, nullable=True),
    Index("ix_data_transfers_tenant_day", "tenant_id", "transferred_on"),
)

# The individuals of a transfer made of stored documents: the documents' keyed hash of the
# buyer's or payer's ID (``documents.subject_ref``) — never the ID itself.
data_transfer_subjects = Table(
    "data_transfer_subjects",
    metadata,
    Column("transfer_id", String(36), ForeignKey("data_transfers.id"), primary_key=True),
    Column("subject_ref", String(64), primary_key=True),
    Column("sensitive", Boolean, nullable=False),
)

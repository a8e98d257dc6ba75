"""The algorithm registry (:mod:`cbec.services.algorithms`): one row per record — its owner,
current and filed versions, filing number and the day the first change not yet refiled was
made — and one row per version, holding the whole record as canonical JSON and its change
note. No personal information: a record names positions, never people."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, Text

from cbec.store.tables.base import BigId, UTCDateTime, metadata

algorithm_records = Table(
    "algorithm_records",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("algorithm_type", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("filed_version", Integer, nullable=True),
    Column("filing_number", String(64), nullable=True),
    Column("launch_date", Date, nullable=True),
    Column("pending_since", Date, nullable=True),  # China date of the first unfiled change
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_algorithm_records_tenant_id", "tenant_id"),
)

algorithm_versions = Table(
    "algorithm_versions",
    metadata,
    Column("record_id", String(32), ForeignKey("algorithm_records.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("body", Text, nullable=False),  # canonical JSON of the whole record
    Column("body_sha256", String(64), nullable=False),
    Column("summary", Text, nullable=False),  # the change note
    Column("changed_fields", Text, nullable=False),  # JSON list of top-level fields
    Column("changed_at", UTCDateTime(), nullable=False),
    Column("filing_number", String(64), nullable=True),  # set when this version was filed
    Column("filed_at", UTCDateTime(), nullable=True),
    Column("ledger_index", BigId, nullable=True),
)

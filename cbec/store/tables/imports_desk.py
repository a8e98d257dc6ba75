"""The console's import desk: uploads held between their steps (drafts) and the column
mappings each tenant saved (:mod:`cbec.services.import_desk`)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text

from cbec.store.tables.base import BigId, UTCDateTime, metadata

import_drafts = Table(
    "import_drafts",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False, index=True),
    Column("user_id", BigId, ForeignKey("users.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("format", String(8), nullable=False),
    Column("encoding", String(32), nullable=True),
    Column("state", String(16), nullable=False),
    # The table, the mapping, the rows' edits and the last report: sealed by the vault.
    Column("payload", Text, nullable=False),
    Column("report", Text, nullable=True),
    Column("done", Integer, nullable=False),
    Column("total", Integer, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("touched_at", UTCDateTime(), nullable=True),  # last sign of life of its import
    Column("expires_at", UTCDateTime(), nullable=False, index=True),
)

import_mappings = Table(
    "import_mappings",
    metadata,
    Column("tenant_id", BigId, ForeignKey("tenants.id"), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("header_hash", String(64), primary_key=True),  # SHA-256 of the header row
    Column("mapping", Text, nullable=False),  # JSON: the column of each header, or null
    Column("updated_at", UTCDateTime(), nullable=False),
)

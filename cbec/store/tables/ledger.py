"""The evidence ledger's storage (cbec.ledger): state, entries, tree nodes, checkpoints."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    Text,
)

from cbec.store.tables.base import BigId, UTCDateTime, metadata

# --- evidence ledger (cbec.ledger) ---------------------------------------------------------

ledger_state = Table(
    "ledger_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1: one log
    Column("origin", String(255), nullable=False),
    Column("hash_name", String(16), nullable=False),
    Column("size", BigId, nullable=False),
    Column("integrated", BigId, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("idx", BigId, primary_key=True, autoincrement=False),
    Column("content_type", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("leaf_hash", LargeBinary(32), nullable=False),
)

ledger_nodes = Table(
    "ledger_nodes",
    metadata,
    Column("level", SmallInteger, primary_key=True, autoincrement=False),
    Column("idx", BigId, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
    sqlite_with_rowid=False,  # a clustered (level, idx) key: one B-tree, no rowid indirection
)

ledger_checkpoints = Table(
    "ledger_checkpoints",
    metadata,
    Column("size", BigId, primary_key=True, autoincrement=False),
    Column("root", LargeBinary(32), nullable=False),
    Column("note", Text, nullable=False),
    Column("signed_at", UTCDateTime(), nullable=False),
)

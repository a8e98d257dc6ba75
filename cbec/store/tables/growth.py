"""Polls of sellers (:mod:`cbec.growth.polls`): the poll and its votes. A vote keeps a keyed
hash of the buyer (``voter``, under the poll's sealed ``secret``), never the buyer's account
id; the UNIQUE constraint on ``(poll_id, voter)`` is what makes a second vote of one buyer
fail, however many arrive at once."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint

from cbec.store.tables.base import BigId, UTCDateTime, metadata

polls = Table(
    "polls",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("seller_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("topic", String(16), nullable=False),
    Column("question", Text, nullable=False),
    Column("sku", String(64), nullable=True),
    Column("options", Text, nullable=False),  # a JSON list of the option labels
    Column("state", String(8), nullable=False),
    Column("opened_at", UTCDateTime(), nullable=False),
    Column("closed_at", UTCDateTime(), nullable=True),
    Column("ledger_index", BigId, nullable=True),
    # the poll's own key of its voters' hashes, sealed under the data key; NULL for a poll
    # opened before migration 0037 (its voters are hashed under the deployment HMAC key)
    Column("secret", Text, nullable=True),
    Index("ix_polls_seller", "seller_tenant_id", "opened_at"),
)

poll_votes = Table(
    "poll_votes",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("poll_id", String(32), ForeignKey("polls.id"), nullable=False),
    Column("voter", String(64), nullable=False),  # keyed hash of platform and account id
    Column("option", String(100), nullable=False),
    Column("market", String(2), nullable=False),
    Column("segment", String(8), nullable=False),
    Column("relay_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("ledger_index", BigId, nullable=True),
    UniqueConstraint("poll_id", "voter"),
)

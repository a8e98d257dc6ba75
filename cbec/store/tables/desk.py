"""The regulator's desk: reviews of screening hits, and the ledger checkpoint each console
user last saw (what the ledger explorer checks the next checkpoint's consistency against)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, LargeBinary, String, Table, Text

from cbec.store.tables.base import BigId, UTCDateTime, metadata

# One review per screening hit (a match on a stored document): who decided what, when and
# why. The reason may name the party, so it stays here; the ledger entry carries no reason.
screening_reviews = Table(
    "screening_reviews",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("result_id", BigId, ForeignKey("screening_results.id"), nullable=False, unique=True),
    Column("decision", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("user_id", BigId, ForeignKey("users.id"), nullable=True),  # None: an API key
    Column("reviewed_at", UTCDateTime(), nullable=False),
    Column("ledger_index", BigInteger, nullable=True),
)

# The last signed checkpoint a console user was shown (RFC 9162 §2.1.4: the next one must
# extend it; a different root at the same size, or no consistency proof, is a fork).
ledger_seen = Table(
    "ledger_seen",
    metadata,
    Column("user_id", BigId, ForeignKey("users.id"), primary_key=True, autoincrement=False),
    Column("size", BigInteger, nullable=False),
    Column("root", LargeBinary(32), nullable=False),
    Column("seen_at", UTCDateTime(), nullable=False),
)

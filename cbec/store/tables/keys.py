"""The deployment's keys as the database knows them: fingerprints, never keys.

One row per key a deployment has used — ``purpose`` is ``data`` (a data key; ``kid`` is the
id its tokens carry), ``hmac`` or ``ledger`` (``fingerprint`` is then the ledger's verifier
key, which is public). A key stops being required when it is retired (``retired_at``); rows
are never deleted, so the history of the keys stays with the data they protected.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, String, Table, UniqueConstraint

from cbec.store.tables.base import UTCDateTime, metadata

deployment_keys = Table(
    "deployment_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("purpose", String(8), nullable=False),
    Column("fingerprint", String(400), nullable=False),
    Column("kid", String(64), nullable=True),
    # the data key new writes use (one un-retired data row); false for the others
    Column("active", Boolean, nullable=False, server_default="0"),
    Column("added_at", UTCDateTime(), nullable=False),
    Column("retired_at", UTCDateTime(), nullable=True),
    UniqueConstraint("purpose", "fingerprint"),
)

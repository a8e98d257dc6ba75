"""The deployment's keys as the database knows them: fingerprints, never keys.

One row per key a deployment has used — ``purpose`` is ``data`` (a data key; ``kid`` is the
id its tokens carry), ``hmac`` or ``ledger`` (``fingerprint`` is then the ledger's verifier
key, which is public). A key stops being required when it is retired (``retired_at``); rows
are never deleted, so the history of the keys stays with the data they protected.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, String, Table, Text, UniqueConstraint

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

# Values derived from the HMAC key, recomputed under the next key while the current one still
# answers (cbec.services.key_rotation): one row per stored value (``tbl``/``row_key``/``col``),
# the value it was computed from (``old_value``: a row changed since is computed again) and
# the value that replaces it when the rotation switches. Empty outside a rotation.
hmac_rekey = Table(
    "hmac_rekey",
    metadata,
    Column("tbl", String(32), primary_key=True),
    Column("row_key", String(200), primary_key=True),
    Column("col", String(32), primary_key=True),
    Column("old_value", Text, nullable=False),
    Column("new_value", Text, nullable=False),
)

"""Tenants, their API keys, and the people who sign in to the console."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)

from cbec.store.tables.base import BigId, UTCDateTime, metadata

tenants = Table(
    "tenants",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("key_id", String(32), nullable=False, unique=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("label", String(64), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
    Column("expires_at", UTCDateTime(), nullable=True),
    Column("last_used_at", UTCDateTime(), nullable=True),
)

# Every change of an API key: who (a tenant's name, or ``operator`` for the command line),
# when, which key and what — never the secret nor its hash.
api_key_audit = Table(
    "api_key_audit",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("key_id", String(32), nullable=False, index=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False, index=True),
    Column("actor", String(64), nullable=False),
    Column("action", String(16), nullable=False),
    Column("ledger_index", BigInteger, nullable=True),
)

# People who sign in to the web console (cbec.services.users): the login case-folded, the
# password as an Argon2id hash, the TOTP secret sealed by the field vault; never in clear.
users = Table(
    "users",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False, index=True),
    Column("login", String(254), nullable=False, unique=True),
    Column("display_name", String(100), nullable=True),
    Column("role", String(16), nullable=False),  # admin | operator | viewer
    Column("password_hash", String(255), nullable=True),  # none until an invite is accepted
    Column("invite_hash", String(64), nullable=True, unique=True),  # SHA-256 of the token
    Column("invite_expires_at", UTCDateTime(), nullable=True),
    Column("totp_secret", Text, nullable=True),
    Column("totp_on_at", UTCDateTime(), nullable=True),  # confirmed; none: enrolment pending
    Column("totp_last_counter", BigInteger, nullable=True),  # no code is accepted twice
    Column("created_at", UTCDateTime(), nullable=False),
    Column("password_changed_at", UTCDateTime(), nullable=True),
    Column("disabled_at", UTCDateTime(), nullable=True),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", UTCDateTime(), nullable=True),
)

# Console sessions: the id is the SHA-256 of the token (the token itself is never stored).
sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", BigId, ForeignKey("users.id"), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("csrf_hash", String(64), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
    Column("second_factor_done", Boolean, nullable=False),
)

# Every change of a user: who (``user:<id>`` or ``operator``), when, what — no personal data.
user_audit = Table(
    "user_audit",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False, index=True),
    Column("user_id", BigId, ForeignKey("users.id"), nullable=False, index=True),
    Column("actor", String(64), nullable=False),
    Column("action", String(16), nullable=False),
    Column("ledger_index", BigInteger, nullable=True),
)

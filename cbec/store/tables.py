"""The relational schema. Documents live in one table: their content is a JSON body with
personal information encrypted field by field; the columns beside it are what access
control, uniqueness and filters need, so those run as indexed SQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

BigId = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER only


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC in and out, on SQLite (which stores no zone) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


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

documents = Table(
    "documents",
    metadata,
    Column("seq", BigId, primary_key=True, autoincrement=True),
    Column("id", String(32), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("natural_key", String(128), nullable=False),
    Column("scope_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    # The second tenant of the key's scope: an order's seller (an order number is unique per
    # platform and seller); the scope tenant again for kinds scoped by one tenant.
    Column("co_scope_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("filer_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("seller_tenant_id", BigId, ForeignKey("tenants.id"), nullable=True),
    Column("platform_tenant_id", BigId, ForeignKey("tenants.id"), nullable=True),
    Column("order_no", String(100), nullable=True),
    Column("body", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("subject_ref", String(64), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    # Evidence: the document's entry in the ledger, and the (encrypted) salt of the
    # commitments to its personal fields that the entry holds instead of the values.
    Column("ledger_index", BigId, nullable=True),
    Column("commit_salt", Text, nullable=True),
    Column("version", Integer, nullable=False, server_default="1"),
    # A bulk import's documents are written in short transactions and shown together when
    # the import completes: until then (and for ever if it is withdrawn) no one reads them.
    Column("batch_id", String(32), nullable=True, index=True),
    UniqueConstraint(
        "kind",
        "scope_tenant_id",
        "co_scope_tenant_id",
        "natural_key",
        name="uq_documents_natural_key",
    ),
    Index("ix_documents_order_link", "kind", "platform_tenant_id", "order_no"),
    Index("ix_documents_seller", "kind", "seller_tenant_id", "seq"),
    Index("ix_documents_filer", "kind", "filer_tenant_id", "seq"),
    Index("ix_documents_subject", "subject_ref"),
)

# Bulk imports in progress, done or withdrawn (see cbec.services.imports).
import_batches = Table(
    "import_batches",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("state", String(10), nullable=False),  # open | done | withdrawn
    Column("created_at", UTCDateTime(), nullable=False),
    Column("touched_at", UTCDateTime(), nullable=False),
    Column("ledger_index", BigInteger, nullable=True),  # a withdrawal's entry
)

# Earlier versions of documents that were changed (products): nothing is overwritten.
document_versions = Table(
    "document_versions",
    metadata,
    Column("document_id", String(32), ForeignKey("documents.id"), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("body", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("ledger_index", BigId, nullable=True),
    Column("commit_salt", Text, nullable=True),
    Column("valid_from", UTCDateTime(), nullable=False),
    Column("superseded_at", UTCDateTime(), nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("tenant_id", BigId, ForeignKey("tenants.id"), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status", Integer, nullable=False),
    Column("kind", String(16), nullable=True),
    Column("document_id", String(32), nullable=True),
    Column("response", Text, nullable=True),  # summaries only; never personal information
    Column("created_at", UTCDateTime(), nullable=False),
)

reveal_audit = Table(
    "reveal_audit",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("document_id", String(32), nullable=False),
    Column("fields", Text, nullable=False),
    Column("reason", Text, nullable=False),
)

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


# --- customs declarations (cbec.customs.state) ----------------------------------------------

declarations = Table(
    "declarations",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("message", String(8), nullable=False),  # CEB311 …
    Column("record_guid", String(36), nullable=False),
    Column("business_key", String(60), nullable=False),
    Column("state", String(16), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("message", "record_guid", name="uq_declarations_record"),
)

declaration_events = Table(
    "declaration_events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("declaration_id", BigId, ForeignKey("declarations.id"), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("event", String(16), nullable=False),  # declare | receipt
    Column("return_status", Integer, nullable=True),
    Column("info", Text, nullable=True),
    Column("state", String(16), nullable=False),  # state after the event
    Column("ledger_index", BigId, nullable=True),
)


# Customs identity of a tenant: its registration code and name, and the China E-Port
# exchange id it sends through (when it sends messages itself).
customs_profiles = Table(
    "customs_profiles",
    metadata,
    Column("tenant_id", BigId, ForeignKey("tenants.id"), primary_key=True, autoincrement=False),
    Column("code", String(18), nullable=False),
    Column("registered_name", String(100), nullable=False),
    Column("dxp_id", String(30), nullable=True),
)

# Software signing keys for customs messages (test environments and demos; production keys
# stay on E-Port cards). The private key is sealed with the field-encryption key ring.
customs_signing_keys = Table(
    "customs_signing_keys",
    metadata,
    Column("tenant_id", BigId, ForeignKey("tenants.id"), primary_key=True, autoincrement=False),
    Column("key_name", String(64), nullable=False, unique=True),
    Column("algorithm", String(100), nullable=False),
    Column("private_key", Text, nullable=False),
    Column("public_key", Text, nullable=False),
    Column("certificate", Text, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
)


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


# Compliance rules changed through the API: every revision kept (an audit trail), the latest
# revision of each rule in force from its effective_from; the starter files are the base.
compliance_rules = Table(
    "compliance_rules",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("rule_id", String(100), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("action", String(10), nullable=False),  # put | retire
    Column("body", Text, nullable=False),
    Column("changed_by", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("changed_at", UTCDateTime(), nullable=False),
    Column("ledger_index", BigInteger, nullable=True),
    # the platform whose orders the rule binds; NULL: every platform (starter, regulators')
    Column("platform_id", BigId, ForeignKey("tenants.id"), nullable=True),
    UniqueConstraint("rule_id", "revision"),
)

# One decision per evaluated order: what was decided, under which rule-set version.
compliance_decisions = Table(
    "compliance_decisions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("document_id", String(32), nullable=False, index=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("decided_at", UTCDateTime(), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("ruleset_version", String(100), nullable=False),
    Column("enrolment_id", BigInteger, nullable=True, index=True),
    Column("value", String(40), nullable=True),  # order value, decimal text
    Column("currency", String(3), nullable=True),
    Column("body", Text, nullable=False),
    Column("ledger_index", BigInteger, nullable=True),
)

# Regulatory sandbox enrolments (scope, limits, relaxed rules) made by a regulator.
sandbox_enrolments = Table(
    "sandbox_enrolments",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_by", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime(), nullable=True),
    Column("ledger_index", BigInteger, nullable=True),
)

# Screening lists as loaded (content kept by hash under the data directory) and each result.
screening_lists = Table(
    "screening_lists",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("version", String(64), nullable=False),
    Column("format", String(20), nullable=False),
    Column("source", String(300), nullable=False),
    Column("entity_count", Integer, nullable=False),
    Column("path", Text, nullable=False),
    Column("loaded_by", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("loaded_at", UTCDateTime(), nullable=False),
    Column("retired_at", UTCDateTime(), nullable=True),
    Column("ledger_index", BigInteger, nullable=True),
    # the platform whose orders the list screens; NULL: every platform (regulators' lists)
    Column("platform_id", BigId, ForeignKey("tenants.id"), nullable=True),
)

screening_results = Table(
    "screening_results",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("document_id", String(32), nullable=False, index=True),
    Column("role", String(20), nullable=False),
    Column("screened_at", UTCDateTime(), nullable=False),
    Column("matched", Integer, nullable=False),
    Column("score", String(10), nullable=False),
    Column("entity_id", String(200), nullable=True),
    Column("lists", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("ledger_index", BigInteger, nullable=True),
)

"""Documents (one table, personal fields encrypted in the JSON body), their versions, bulk
import batches, idempotency keys and the reveal audit."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from cbec.store.tables.base import BigId, UTCDateTime, metadata

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
    # When the buyer placed it (an order's ``ordered_at``; see Kind.placed_field): lists and
    # volumes go by this day, not the day of filing. NULL for other kinds.
    Column("placed_at", UTCDateTime(), nullable=True),
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
    # lists in page order: everything of a kind (the regulator), a platform's, a number
    Index("ix_documents_kind_seq", "kind", "seq"),
    Index("ix_documents_platform", "kind", "platform_tenant_id", "seq"),
    Index("ix_documents_order_no", "kind", "order_no"),
    Index("ix_documents_subject", "subject_ref"),
    # orders placed in a range (the list's date filter, the volumes of a period)
    Index("ix_documents_placed", "kind", "placed_at", "seq"),
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
    # who, within the tenant: the console user, or the API key a machine used
    Column("user_id", BigId, ForeignKey("users.id"), nullable=True),
    Column("key_id", String(32), nullable=True),
)

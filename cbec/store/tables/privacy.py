"""The register of cross-border data transfers (PIPL Art. 38-39; CAC provisions of
2024-03-22): what left, for whom, where to and on which route — and, for a transfer made of
stored documents, the keyed hashes of the individuals in it, so the yearly counts the
provisions set thresholds on count each person once (自当年1月1日起累计, individuals, not
records)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from cbec.store.tables.base import BigId, UTCDateTime, metadata

data_transfers = Table(
    "data_transfers",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),  # the exporter
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("transferred_on", Date, nullable=False),  # the day the data left (China time)
    Column("origin", String(2), nullable=False),
    Column("destination", String(2), nullable=False),
    Column("recipient", String(200), nullable=False),
    Column("purpose", String(64), nullable=False),
    Column("data_categories", Text, nullable=False),  # JSON list
    # individuals declared by number (not among the documents), then those of the documents
    Column("declared_individuals", Integer, nullable=False),
    Column("declared_sensitive", Integer, nullable=False),
    Column("document_count", Integer, nullable=False),
    Column("important_data", Boolean, nullable=False),
    Column("collected_abroad", Boolean, nullable=False),
    Column("counted", Boolean, nullable=False),  # adds to the yearly counts
    Column("route", String(40), nullable=False),
    Column("decision", Text, nullable=False),  # the RouteDecision, JSON
    Column("ledger_index", BigInteger, nullable=True),
    Index("ix_data_transfers_tenant_day", "tenant_id", "transferred_on"),
)

# The individuals of a transfer made of stored documents: the documents' keyed hash of the
# buyer's or payer's ID (``documents.subject_ref``) — never the ID itself.
data_transfer_subjects = Table(
    "data_transfer_subjects",
    metadata,
    Column("transfer_id", String(36), ForeignKey("data_transfers.id"), primary_key=True),
    Column("subject_ref", String(64), primary_key=True),
    Column("sensitive", Boolean, nullable=False),
)

# A person's own data key (envelope encryption): one random key per controller (the filing
# tenant) and data subject (``documents.subject_ref``), sealed under the deployment's data
# key. The personal fields and commitment salt of that tenant's documents on that person are
# sealed under it, so erasing the person (PIPL Art. 47, GDPR Art. 17) deletes ``wrapped``
# and what it sealed can no longer be read anywhere — backups included. The row stays as a
# tombstone (``erased_at``). Two keys for one person arise only when two first filings race;
# erasure shreds every key of the person.
person_keys = Table(
    "person_keys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("subject_ref", String(64), nullable=False),
    Column("wrapped", Text, nullable=True),  # None once erased
    Column("created_at", UTCDateTime(), nullable=False),
    Column("erased_at", UTCDateTime(), nullable=True),
    Index("ix_person_keys_tenant_subject", "tenant_id", "subject_ref"),
)

# Data subject requests (PIPL Art. 44-47; GDPR Art. 15, 17) and their outcome. The person is
# named only by their keyed reference, never in clear.
dsr_requests = Table(
    "dsr_requests",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # access | erasure
    Column("subject_ref", String(64), nullable=False),
    Column("found_by", String(16), nullable=False),  # id_number | phone
    Column("received_at", UTCDateTime(), nullable=False),
    Column("completed_at", UTCDateTime(), nullable=True),
    Column("status", String(16), nullable=False),  # completed | already_erased
    Column("documents", Integer, nullable=False),
    Column("keys_shredded", Integer, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("ledger_index", BigInteger, nullable=True),
    Column("retention", Text, nullable=True),  # JSON: the retention periods that applied
    Index("ix_dsr_requests_tenant_received", "tenant_id", "received_at"),
)

# The persons each completed erasure covered, by every keyed reference it found them by
# (the request's, and their IDs' when found by phone): their documents no longer carry the
# reference (:meth:`cbec.store.dsr_store.DsrStore.unlink_subject`), so this is how a later
# request by ID or by phone knows they were erased. The reference only, never the person.
dsr_erased_subjects = Table(
    "dsr_erased_subjects",
    metadata,
    Column("tenant_id", BigId, ForeignKey("tenants.id"), primary_key=True),
    Column("subject_ref", String(64), primary_key=True),
    Column("request_id", String(36), ForeignKey("dsr_requests.id"), nullable=False),
)

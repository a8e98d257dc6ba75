"""Compliance rules, decisions and sandbox enrolments; screening lists and results."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from cbec.store.tables.base import BigId, UTCDateTime, metadata

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

# A fired entry of a decision (:meth:`cbec.compliance.decision.Fired.as_dict`, as stored)
# that several orders of one filing share, kept once per tenant under the SHA-256 of its JSON
# text; each decision's ``fired`` names it by that digest (cbec.store.fired_store).
compliance_fired = Table(
    "compliance_fired",
    metadata,
    Column("tenant_id", BigId, ForeignKey("tenants.id"), primary_key=True),
    Column("digest", String(64), primary_key=True),
    Column("body", Text, nullable=False),
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

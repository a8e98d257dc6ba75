"""Talent sharing (:mod:`cbec.talent`): expert profiles published by a tenant, projects posted
by sellers, engagements of an expert on a project with their deliverables, and the events of
all of them with their entries in the evidence ledger. An expert's name, contact and
certificate numbers are personal: stored encrypted (vault tokens), shown to the profile's
owner and to the SMEs that engaged the expert only."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from cbec.store.tables.base import BigId, UTCDateTime, metadata

talent_experts = Table(
    "talent_experts",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("name", Text, nullable=False),  # encrypted (vault token): personal
    Column("contact", Text, nullable=False),  # encrypted (vault token): personal
    Column("headline", String(200), nullable=False),
    Column("skills", Text, nullable=False),  # JSON list of vocabulary codes
    Column("languages", Text, nullable=False),  # JSON list of vocabulary codes
    Column("certificates", Text, nullable=False),  # JSON [{kind, issuer, number: token}]
    Column("day_rate", String(40), nullable=False),  # a Decimal, as text
    Column("currency", String(3), nullable=False),
    Column("days_per_week", Integer, nullable=False),
    Column("published_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=True),  # last changed by its publisher
    Column("withdrawn_at", UTCDateTime(), nullable=True),  # set: out of listings and matches
    Index("ix_talent_experts_owner", "owner_tenant_id"),
    Index("ix_talent_experts_published", "withdrawn_at", "published_at", "id"),
)

talent_projects = Table(
    "talent_projects",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("seller_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("needs", Text, nullable=False),  # JSON: skills {code: weight}, languages, certificates
    Column("day_budget", String(40), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("days_per_week", Integer, nullable=False),
    Column("starts_on", String(10), nullable=False),
    Column("ends_on", String(10), nullable=False),
    Column("posted_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=True),  # last changed by its seller
    Column("closed_at", UTCDateTime(), nullable=True),  # set: no longer matched or engaged on
    Index("ix_talent_projects_seller", "seller_tenant_id", "posted_at"),
)

talent_engagements = Table(
    "talent_engagements",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("project_id", String(32), ForeignKey("talent_projects.id"), nullable=False),
    Column("expert_id", String(32), ForeignKey("talent_experts.id"), nullable=False),
    Column("seller_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("expert_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("starts_on", String(10), nullable=False),
    Column("ends_on", String(10), nullable=False),
    Column("cost", String(40), nullable=False),  # a Decimal, as text
    Column("currency", String(3), nullable=False),
    Column("benchmark", String(64), nullable=False),
    Column("score", String(40), nullable=True),  # the match score when engaged
    Column("rating", Integer, nullable=True),
    Column("rated_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_talent_engagements_seller", "seller_tenant_id", "created_at"),
    Index("ix_talent_engagements_expert", "expert_tenant_id", "created_at"),
    Index("ix_talent_engagements_expert_id", "expert_id"),
)

talent_deliverables = Table(
    "talent_deliverables",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("engagement_id", String(32), ForeignKey("talent_engagements.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("state", String(16), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_talent_deliverables_engagement", "engagement_id", "number", unique=True),
)

talent_events = Table(
    "talent_events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("subject", String(48), nullable=False),  # "expert:<id>", "project:<id>", ...
    Column("at", UTCDateTime(), nullable=False),
    Column("event", String(32), nullable=False),
    Column("actor_tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),
    Column("entry", Text, nullable=False),  # the ledger entry's bytes (PII-free JSON)
    Column("ledger_index", BigId, nullable=True),
    Index("ix_talent_events_subject", "subject", "id"),
)

"""A tenant's marketplace profiles: per marketplace export (``shopify``, ``tiktok``, …),
what its files cannot say — the cbec platform tenant its orders are filed under, the
currency and time zone its files are written in, where the goods ship from and the
incoterm (:mod:`cbec.services.marketplace_profiles`)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table

from cbec.store.tables.base import BigId, UTCDateTime, metadata

marketplace_profiles = Table(
    "marketplace_profiles",
    metadata,
    Column("tenant_id", BigId, ForeignKey("tenants.id"), primary_key=True),
    Column("marketplace", String(32), primary_key=True),
    Column("platform", String(64), nullable=True),  # the platform tenant's name
    Column("currency", String(3), nullable=True),
    Column("timezone", String(64), nullable=True),
    Column("origin_country", String(2), nullable=True),
    Column("incoterm", String(3), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=False),
)

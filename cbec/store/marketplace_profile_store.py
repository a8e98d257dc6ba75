"""The marketplace profiles table (:mod:`cbec.store.tables.marketplaces`): one row per tenant
and marketplace, replaced whole by a save; every read and change is scoped to one tenant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from cbec.store.tables import marketplace_profiles as t

FIELDS = ("platform", "currency", "timezone", "origin_country", "incoterm")


class MarketplaceProfileStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def save(self, tenant_id: int, marketplace: str, values: dict[str, Any], at: datetime):
        """Insert or replace (one statement: two saves at once cannot both insert)."""
        row = {f: values.get(f) for f in FIELDS} | {"updated_at": at}
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(t).values(tenant_id=tenant_id, marketplace=marketplace, **row)
        self.conn.execute(
            stmt.on_conflict_do_update(index_elements=["tenant_id", "marketplace"], set_=row)
        )

    def get(self, tenant_id: int, marketplace: str) -> Any:
        return self.conn.execute(
            select(t).where(t.c.tenant_id == tenant_id, t.c.marketplace == marketplace)
        ).first()

    def all(self, tenant_id: int) -> list[Any]:
        rows = self.conn.execute(
            select(t).where(t.c.tenant_id == tenant_id).order_by(t.c.marketplace)
        )
        return list(rows)

    def delete(self, tenant_id: int, marketplace: str) -> bool:
        done = self.conn.execute(
            delete(t).where(t.c.tenant_id == tenant_id, t.c.marketplace == marketplace)
        )
        return done.rowcount > 0

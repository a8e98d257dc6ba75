"""Order volumes for supervision, counted in SQL under the same visibility clause as every
list (cbec.store.visibility), so a figure never counts what its reader could not open: a
regulator counts every order, a platform the orders on it, a seller its own."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, cast, func, select, type_coerce
from sqlalchemy.engine import Connection

from cbec.store.tables import documents, tenants
from cbec.store.visibility import visible
from cbec.tenancy.access import Viewer


class SupervisionStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _day(self):
        """The UTC day an order was filed, as ``YYYY-MM-DD`` text (SQLite keeps naive UTC)."""
        if self.conn.dialect.name == "postgresql":
            return func.to_char(func.timezone("UTC", documents.c.created_at), "YYYY-MM-DD")
        return func.strftime("%Y-%m-%d", documents.c.created_at)

    def _destination(self):
        """The order's destination country, read from its body (a field never personal)."""
        if self.conn.dialect.name == "postgresql":
            body = cast(documents.c.body, JSON)
        else:
            body = type_coerce(documents.c.body, JSON)
        return body["destination_country"].as_string()

    def volumes(
        self, viewer: Viewer, start: datetime, end: datetime
    ) -> list[tuple[str, str, str, str, int]]:
        """``(platform, seller, destination, day, orders)`` of the visible orders filed in
        ``[start, end)``, one row per group."""
        platform, seller = tenants.alias("p"), tenants.alias("s")
        day, destination = self._day().label("day"), self._destination().label("destination")
        q = (
            select(platform.c.name, seller.c.name, destination, day, func.count())
            .select_from(documents)
            .join(platform, platform.c.id == documents.c.platform_tenant_id)
            .join(seller, seller.c.id == documents.c.seller_tenant_id)
            .where(
                visible(viewer, "order"),
                documents.c.created_at >= start,
                documents.c.created_at < end,
            )
            .group_by(platform.c.name, seller.c.name, destination, day)
        )
        return [(p, s, d or "?", day, int(n)) for p, s, d, day, n in self.conn.execute(q)]

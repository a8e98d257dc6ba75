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
        self, viewer: Viewer, start: datetime, end: datetime, by: str
    ) -> list[tuple[str, int]]:
        """``(key, orders)`` of the visible orders filed in ``[start, end)``, counted by
        ``by``: ``platform``, ``seller`` (tenant names), ``destination`` (country) or ``day``
        (UTC, ``YYYY-MM-DD``). One GROUP BY per dimension: a regulator's thousands of sellers
        times a year of days never become one result."""
        q = select().select_from(documents)
        if by in ("platform", "seller"):
            tenant = tenants.alias("t")
            column = (
                documents.c.platform_tenant_id if by == "platform" else documents.c.seller_tenant_id
            )
            q = q.join(tenant, tenant.c.id == column)
            key = tenant.c.name
        elif by == "destination":
            key = self._destination()
        elif by == "day":
            key = self._day()
        else:
            raise ValueError(f"no volumes by {by!r}")
        q = (
            q.add_columns(key.label("key"), func.count().label("orders"))
            .where(
                visible(viewer, "order"),
                documents.c.created_at >= start,
                documents.c.created_at < end,
            )
            .group_by(key)
        )
        return [(k or "?", int(n)) for k, n in self.conn.execute(q)]

"""Order volumes for supervision, counted in SQL under the same visibility clause as every
list (cbec.store.visibility), so a figure never counts what its reader could not open: a
regulator counts every order, a platform the orders on it, a seller its own."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from cbec.store.days import body_field, placed, placed_in, utc_day
from cbec.store.tables import documents, tenants
from cbec.store.visibility import visible
from cbec.tenancy.access import Viewer


class SupervisionStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def volumes(
        self, viewer: Viewer, start: datetime, end: datetime, by: str
    ) -> list[tuple[str, int]]:
        """``(key, orders)`` of the visible orders placed in ``[start, end)`` (their
        ``ordered_at``, not their filing: a year of orders imported in one day is a year of
        volumes), counted by ``by``: ``platform``, ``seller`` (tenant names), ``destination``
        (country) or ``day`` (UTC, ``YYYY-MM-DD``). One GROUP BY per dimension: a regulator's
        thousands of sellers times a year of days never become one result."""
        q = select().select_from(documents)
        if by in ("platform", "seller"):
            tenant = tenants.alias("t")
            column = (
                documents.c.platform_tenant_id if by == "platform" else documents.c.seller_tenant_id
            )
            q = q.join(tenant, tenant.c.id == column)
            key = tenant.c.name
        elif by == "destination":
            key = body_field(self.conn, "destination_country")
        elif by == "day":
            key = utc_day(self.conn, placed())
        else:
            raise ValueError(f"no volumes by {by!r}")
        q = (
            q.add_columns(key.label("key"), func.count().label("orders"))
            .where(
                visible(viewer, "order"),
                placed_in(start, end),
            )
            .group_by(key)
        )
        return [(k or "?", int(n)) for k, n in self.conn.execute(q)]

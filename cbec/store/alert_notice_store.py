"""Reads and writes of the tracking alerts announced to subscribers
(:data:`cbec.store.tables.logistics.tracking_alert_notices`), and the bounded set of
waybills the alert sweep looks at.

A notice is claimed with one insert-or-skip on its key (``INSERT … ON CONFLICT DO NOTHING
RETURNING``): the rows that come back are the ones this transaction wrote, so of two
transactions claiming the same notice at once (two sweeps in two processes, or a sweep and
a recording) exactly one gets it back — PostgreSQL makes the second wait for the first's
commit and then skips, SQLite has one writer at a time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from cbec.store.tables import (
    tenants,
    tracking_alert_notices,
    tracking_events,
    webhook_subscriptions,
)

_N = tracking_alert_notices
CHUNK = 500

Key = tuple[int, str, str, str]  # tenant, waybill, rule, alert key


class AlertNotices:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def known(self, waybill_ids: Iterable[str]) -> set[Key]:
        """The notices already given on these waybills, to anyone."""
        wanted = sorted(set(waybill_ids))
        out: set[Key] = set()
        for i in range(0, len(wanted), CHUNK):
            q = select(_N.c.tenant_id, _N.c.waybill_id, _N.c.rule, _N.c.alert_key).where(
                _N.c.waybill_id.in_(wanted[i : i + CHUNK])
            )
            out.update((r[0], r[1], r[2], r[3]) for r in self.conn.execute(q))
        return out

    def claim(self, rows: Sequence[dict[str, Any]]) -> set[Key]:
        """Insert the notices not held yet; the keys of those this call wrote."""
        if not rows:
            return set()
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        out: set[Key] = set()
        for i in range(0, len(rows), CHUNK):
            q = (
                dialect.insert(_N)
                .values(list(rows[i : i + CHUNK]))
                .on_conflict_do_nothing()
                .returning(_N.c.tenant_id, _N.c.waybill_id, _N.c.rule, _N.c.alert_key)
            )
            out.update((r[0], r[1], r[2], r[3]) for r in self.conn.execute(q))
        return out

    def subscribers(self, event_type: str) -> list[tuple[int, str, str]]:
        """The tenants (id, name, role) with an active subscription to ``event_type``."""
        q = (
            select(
                tenants.c.id, tenants.c.name, tenants.c.role, webhook_subscriptions.c.event_types
            )
            .join(tenants, tenants.c.id == webhook_subscriptions.c.tenant_id)
            .where(
                webhook_subscriptions.c.active.is_(True),
                webhook_subscriptions.c.event_types.contains(event_type),
            )
        )
        found = {
            (r.id, r.name, r.role)
            for r in self.conn.execute(q)
            if event_type in r.event_types.split()
        }
        return sorted(found)

    def waybills_since(self, since: datetime, until: datetime) -> list[str]:
        """The waybills with an event whose time lies in (``since``, ``until``], by id: a
        range of the ``(event_time, waybill_id)`` index, not a scan of the documents."""
        e = tracking_events
        q = (
            select(e.c.waybill_id)
            .where(e.c.event_time > since, e.c.event_time <= until, e.c.waybill_id.is_not(None))
            .distinct()
        )
        return sorted(self.conn.scalars(q))

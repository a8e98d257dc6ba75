"""Figures over the documents a caller may see (the console's dashboard): counted in SQL
under the same visibility clause as every list, so a figure never counts what its reader
could not open (cbec.tenancy.access)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from cbec.store.days import body_field, placed, placed_in, utc_day
from cbec.store.tables import compliance_decisions, documents, screening_results
from cbec.store.visibility import visible
from cbec.tenancy.access import Viewer


class OverviewStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def orders_by_day(self, viewer: Viewer, start: datetime, end: datetime) -> dict[date, int]:
        """The visible orders placed in ``[start, end)``, counted by the UTC day they were
        placed (``placed_at``: a backlog filed today is not today's orders) — in SQL, through
        the ``(kind, placed_at)`` index, with no body read."""
        day = utc_day(self.conn, placed())
        q = (
            select(day, func.count())
            .where(visible(viewer, "order"), placed_in(start, end))
            .group_by(day)
        )
        return {date.fromisoformat(d): int(n) for d, n in self.conn.execute(q)}

    def taxes(self, viewer: Viewer, start: datetime, end: datetime) -> Iterator[tuple[str, str]]:
        """``(currency, tax withheld)`` of the visible orders placed in ``[start, end)``, as
        the bodies state them (decimal text, summed by the caller as ``Decimal``: SQLite
        would sum them as binary floats). Two fields that are never personal, read in SQL,
        so no body is opened or sent whole."""
        q = (
            select(body_field(self.conn, "currency"), body_field(self.conn, "tax_withheld"))
            .where(visible(viewer, "order"), placed_in(start, end))
            .execution_options(yield_per=2000)
        )
        for currency, tax in self.conn.execute(q):
            yield str(currency or "?"), str(tax or 0)

    def outcomes_since(self, viewer: Viewer, since: datetime) -> dict[str, int]:
        """Compliance decisions of visible orders since ``since``, counted by outcome."""
        q = (
            select(compliance_decisions.c.outcome, func.count())
            .join(documents, documents.c.id == compliance_decisions.c.document_id)
            .where(visible(viewer, "order"), compliance_decisions.c.decided_at >= since)
            .group_by(compliance_decisions.c.outcome)
        )
        return {outcome: n for outcome, n in self.conn.execute(q)}

    def hits_since(self, viewer: Viewer, since: datetime) -> int:
        """Screening matches on visible orders since ``since``."""
        q = (
            select(func.count())
            .select_from(screening_results)
            .join(documents, documents.c.id == screening_results.c.document_id)
            .where(
                visible(viewer, "order"),
                screening_results.c.matched == 1,
                screening_results.c.screened_at >= since,
            )
        )
        return int(self.conn.execute(q).scalar() or 0)

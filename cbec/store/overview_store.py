"""Figures over the documents a caller may see (the console's dashboard): counted in SQL
under the same visibility clause as every list, so a figure never counts what its reader
could not open (cbec.tenancy.access)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from cbec.store.tables import compliance_decisions, documents, screening_results
from cbec.store.visibility import visible
from cbec.tenancy.access import Viewer


class OverviewStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def orders_since(self, viewer: Viewer, since: datetime) -> Iterator[tuple[datetime, Any]]:
        """``(filed at, body)`` of the visible orders filed since ``since``; the figures read
        only fields that are never personal (currency, tax withheld), so no body is opened."""
        q = (
            select(documents.c.created_at, documents.c.body)
            .where(visible(viewer, "order"), documents.c.created_at >= since)
            .execution_options(yield_per=2000)
        )
        for created_at, body in self.conn.execute(q):
            yield created_at, json.loads(body) if isinstance(body, str) else body

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

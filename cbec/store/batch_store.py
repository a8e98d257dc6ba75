"""Bulk imports written in several transactions (:mod:`cbec.services.imports`): the batch
rows, and the withdrawal of a batch's documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, insert, or_, select, update
from sqlalchemy.engine import Connection

from cbec.store.tables import (
    compliance_decisions,
    documents,
    import_batches,
    screening_results,
    tenants,
)
from cbec.store.visibility import DONE, OPEN, WITHDRAWN
from cbec.store.webhook_store import Outbox


class BatchStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def open(self, batch_id: str, tenant_id: int, kind: str, at: datetime) -> None:
        self.conn.execute(
            insert(import_batches).values(
                id=batch_id,
                tenant_id=tenant_id,
                kind=kind,
                state=OPEN,
                created_at=at,
                touched_at=at,
            )
        )

    def touch(self, batch_id: str, at: datetime) -> None:
        self.conn.execute(
            update(import_batches).where(import_batches.c.id == batch_id).values(touched_at=at)
        )

    def claim_withdrawal(self, batch_id: str) -> bool:
        """Mark an open batch withdrawn; True for the one caller whose UPDATE changed it.
        The condition on the state decides, in the database, which of several sweepers
        (threads, processes, hosts) withdraws it — and so logs the withdrawal — without
        relying on an earlier read: whoever comes second, even one that read the batch as
        open, changes no row (PostgreSQL re-checks the condition on the row the first
        committed; SQLite runs one writer at a time)."""
        claimed = self.conn.execute(
            update(import_batches)
            .where(import_batches.c.id == batch_id, import_batches.c.state == OPEN)
            .values(state=WITHDRAWN)
        )
        return claimed.rowcount == 1

    def close(self, batch_id: str, state: str, ledger_index: int | None = None) -> None:
        self.conn.execute(
            update(import_batches)
            .where(import_batches.c.id == batch_id)
            .values(state=state, ledger_index=ledger_index)
        )
        if state == DONE:  # its documents are shown from now: the webhooks hear of them
            Outbox(self.conn).batch_filed(batch_id)

    def get(self, batch_id: str) -> Any:
        """A batch with its tenant's name, its row locked to this transaction (PostgreSQL;
        SQLite's write transaction already excludes the others) — so a sweeper and the import
        itself cannot both decide its fate."""
        return self.conn.execute(
            select(import_batches, tenants.c.name.label("tenant"))
            .join(tenants, tenants.c.id == import_batches.c.tenant_id)
            .where(import_batches.c.id == batch_id)
            .with_for_update(of=import_batches)
        ).first()

    def entries(self, batch_id: str) -> list[int]:
        """The log indexes of a batch's documents and of their checks, ascending."""
        ids = select(documents.c.id).where(documents.c.batch_id == batch_id)
        out: set[int] = set()
        for table in (documents, screening_results, compliance_decisions):
            key = table.c.id if table is documents else table.c.document_id
            q = select(table.c.ledger_index).where(key.in_(ids), table.c.ledger_index.is_not(None))
            out.update(self.conn.scalars(q))
        return sorted(out)

    def drop_documents(self, batch_id: str, limit: int) -> int:
        """Delete up to ``limit`` of a withdrawn batch's documents with their checks (no one
        was ever shown them); how many were deleted."""
        ids = list(
            self.conn.scalars(
                select(documents.c.id).where(documents.c.batch_id == batch_id).limit(limit)
            )
        )
        if ids:
            for table in (screening_results, compliance_decisions):
                self.conn.execute(delete(table).where(table.c.document_id.in_(ids)))
            self.conn.execute(delete(documents).where(documents.c.id.in_(ids)))
        return len(ids)

    def stale(self, before: datetime) -> list[str]:
        """Batches abandoned mid-way (open, untouched since ``before``) and withdrawn ones
        whose documents are not all deleted yet."""
        q = select(import_batches.c.id).where(
            or_(
                and_(import_batches.c.state == OPEN, import_batches.c.touched_at < before),
                and_(
                    import_batches.c.state == WITHDRAWN,
                    exists().where(documents.c.batch_id == import_batches.c.id),
                ),
            )
        )
        return list(self.conn.scalars(q))

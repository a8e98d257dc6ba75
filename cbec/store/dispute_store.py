"""Reads and writes of dispute cases (:mod:`cbec.store.tables.disputes`). A case is read only
by its parties: the order's platform and seller and the tenant that opened it — every read
here takes the reader's tenant id and finds nothing of a case it is no party to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from cbec.store.tables import dispute_cases as c
from cbec.store.tables import dispute_events as e
from cbec.store.tables import dispute_messages as m
from cbec.store.tables import documents, tenants


def _party(tenant_id: int):
    return or_(
        c.c.platform_tenant_id == tenant_id,
        c.c.seller_tenant_id == tenant_id,
        c.c.opener_tenant_id == tenant_id,
    )


class DisputeStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def create(self, row: dict[str, Any]) -> None:
        self.conn.execute(insert(c), [row])

    def subject_of(self, order_id: str) -> str | None:
        """The order's person (its keyed reference), unless none or its filer erased it."""
        q = select(documents.c.subject_ref).where(documents.c.id == order_id)
        ref = self.conn.execute(q).scalar()
        return None if ref is None or ref.startswith("erased:") else str(ref)

    def get(self, tenant_id: int, case_id: str, lock: bool = False) -> Any:
        """The case ``case_id`` if ``tenant_id`` is one of its parties, else None."""
        q = select(c).where(c.c.id == case_id, _party(tenant_id))
        if lock:
            q = q.with_for_update()
        return self.conn.execute(q).first()

    def list(self, tenant_id: int, state: str | None, limit: int) -> list[Any]:
        """The cases ``tenant_id`` is a party to, newest first."""
        q = select(c).where(_party(tenant_id))
        if state is not None:
            q = q.where(c.c.state == state)
        return list(self.conn.execute(q.order_by(c.c.opened_at.desc(), c.c.id).limit(limit)))

    def change(self, case_id: str, values: dict[str, Any]) -> None:
        self.conn.execute(update(c).where(c.c.id == case_id).values(**values))

    def add_event(
        self, case_id: str, at: datetime, event: str, actor: int, entry: bytes, index: int | None
    ) -> None:
        row = {
            "case_id": case_id,
            "at": at,
            "event": event,
            "actor_tenant_id": actor,
            "entry": entry.decode(),
            "ledger_index": index,
        }
        self.conn.execute(insert(e), [row])

    def events(self, case_id: str) -> list[Any]:
        return list(self.conn.execute(select(e).where(e.c.case_id == case_id).order_by(e.c.id)))

    def add_message(
        self, case_id: str, author: int, at: datetime, token: str, index: int | None
    ) -> int:
        row = {
            "case_id": case_id,
            "author_tenant_id": author,
            "at": at,
            "text": token,
            "ledger_index": index,
        }
        return int(self.conn.execute(insert(m).values(**row)).inserted_primary_key[0])

    def set_message_index(self, message_id: int, index: int | None) -> None:
        self.conn.execute(update(m).where(m.c.id == message_id).values(ledger_index=index))

    def names(self, tenant_ids: set[int]) -> dict[int, str]:
        q = select(tenants.c.id, tenants.c.name).where(tenants.c.id.in_(sorted(tenant_ids)))
        return {r.id: r.name for r in self.conn.execute(q)}

    def messages(self, case_id: str) -> list[Any]:
        return list(self.conn.execute(select(m).where(m.c.case_id == case_id).order_by(m.c.id)))

    # data subject requests (:mod:`cbec.services.dsr_records`)
    def of_subjects(
        self, tenant_id: int, subject_refs: list[str], order_ids: list[str], lock: bool = False
    ) -> list[Any]:
        """The cases ``tenant_id`` is a party to on the persons ``subject_refs`` or on the
        orders ``order_ids``, oldest first."""
        if not subject_refs and not order_ids:
            return []
        on = or_(c.c.subject_ref.in_(sorted(subject_refs)), c.c.order_id.in_(sorted(order_ids)))
        q = select(c).where(_party(tenant_id), on).order_by(c.c.opened_at, c.c.id)
        return list(self.conn.execute(q.with_for_update() if lock else q))

    def messages_of(self, case_ids: list[str], author: int | None = None) -> list[Any]:
        """The messages of the cases, in order — with ``author``, those it wrote only."""
        if not case_ids:
            return []
        q = select(m).where(m.c.case_id.in_(sorted(case_ids)))
        if author is not None:
            q = q.where(m.c.author_tenant_id == author)
        return list(self.conn.execute(q.order_by(m.c.id)))

    def overwrite_message(self, message_id: int, text: str) -> None:
        self.conn.execute(update(m).where(m.c.id == message_id).values(text=text))

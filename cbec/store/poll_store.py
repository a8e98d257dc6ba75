"""Reads and writes of polls (:mod:`cbec.store.tables.growth`). A poll is read by its seller
alone (:meth:`PollStore.get` takes the reader's tenant id); a relaying platform reaches a
poll only through the order it names (:meth:`PollStore.get_any`, checked by the use case)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from cbec.store.tables import documents, poll_votes, polls


class PollStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def create(self, row: dict[str, Any]) -> None:
        self.conn.execute(insert(polls), [row])

    def get(self, seller_id: int, poll_id: str, lock: bool = False) -> Any:
        q = select(polls).where(polls.c.id == poll_id, polls.c.seller_tenant_id == seller_id)
        return self.conn.execute(q.with_for_update() if lock else q).first()

    def get_any(self, poll_id: str) -> Any:
        return self.conn.execute(select(polls).where(polls.c.id == poll_id)).first()

    def list(self, seller_id: int, limit: int) -> list[Any]:
        q = select(polls).where(polls.c.seller_tenant_id == seller_id)
        return list(
            self.conn.execute(q.order_by(polls.c.opened_at.desc(), polls.c.id).limit(limit))
        )

    def change(self, poll_id: str, values: dict[str, Any]) -> None:
        self.conn.execute(update(polls).where(polls.c.id == poll_id).values(**values))

    def add_vote(self, row: dict[str, Any]) -> int:
        """Insert one vote; a second vote of the same voter in the poll raises the
        database's IntegrityError (the UNIQUE constraint), whoever committed first."""
        return int(self.conn.execute(insert(poll_votes).values(**row)).inserted_primary_key[0])

    def set_vote_index(self, vote_id: int, index: int | None) -> None:
        q = update(poll_votes).where(poll_votes.c.id == vote_id).values(ledger_index=index)
        self.conn.execute(q)

    def votes(self, poll_id: str) -> list[Any]:
        q = select(poll_votes.c.option, poll_votes.c.market, poll_votes.c.segment).where(
            poll_votes.c.poll_id == poll_id
        )
        return list(self.conn.execute(q.order_by(poll_votes.c.id)))

    def orders_of(self, seller_id: int, subject_ref: str) -> int:
        """How many of the seller's orders name the buyer ``subject_ref`` (an indexed
        keyed hash of the buyer's ID, never the ID)."""
        q = select(func.count()).where(
            documents.c.kind == "order",
            documents.c.subject_ref == subject_ref,
            documents.c.seller_tenant_id == seller_id,
        )
        return int(self.conn.execute(q).scalar_one())

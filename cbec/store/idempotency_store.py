"""Idempotency records: the answer a request with an ``Idempotency-Key`` was given, kept per
tenant and key so that a retry answers as the first call did (:mod:`cbec.services.documents`,
:mod:`cbec.services.bulk`).

A mixin of :class:`cbec.store.repository.Repository`: its methods run on the repository's
connection, in the transaction that files the documents, so a record is stored exactly when
the filing it answers for commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from cbec.store.tables import idempotency_keys
from cbec.trade.ports import now


class IdempotencyKeys:
    conn: Connection

    def get_idempotency(self, tenant_id: int, key: str) -> Any:
        q = select(idempotency_keys).where(
            idempotency_keys.c.tenant_id == tenant_id, idempotency_keys.c.key == key
        )
        return self.conn.execute(q).first()

    def put_idempotency(
        self,
        tenant_id: int,
        key: str,
        request_hash: str,
        status: int,
        kind: str | None,
        document_id: str | None,
        response: str | None,
    ) -> None:
        self.conn.execute(
            insert(idempotency_keys).values(
                tenant_id=tenant_id,
                key=key,
                request_hash=request_hash,
                status=status,
                kind=kind,
                document_id=document_id,
                response=response,
                created_at=now(),
            )
        )

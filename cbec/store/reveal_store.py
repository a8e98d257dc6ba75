"""The reveal audit: who saw which personal fields of which document in clear, and why
(:func:`cbec.trade.views.reveal`; read back by the regulator's desk, :mod:`cbec.services.desk`).

A mixin of :class:`cbec.store.repository.Repository`: a reveal is recorded on the
repository's connection, in the transaction that reads the document, so no field is shown in
clear without its audit row committed alongside.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from cbec.store.tables import reveal_audit, tenants, users
from cbec.tenancy.access import Viewer
from cbec.trade.ports import now


class RevealAudit:
    conn: Connection

    def add_reveal(
        self, viewer: Viewer, kind: str, doc_id: str, fields: list[str], reason: str
    ) -> int:
        result = self.conn.execute(
            insert(reveal_audit).values(
                at=now(),
                tenant_id=viewer.tenant_id,
                user_id=viewer.user_id,
                key_id=viewer.key_id,
                kind=kind,
                document_id=doc_id,
                fields=json.dumps(fields),
                reason=reason,
            )
        )
        return result.inserted_primary_key[0]

    def list_reveals(self, limit: int = 100, before: int | None = None) -> list[dict[str, Any]]:
        """The reveal audit trail, newest first: ``limit`` rows with an id below ``before``."""
        q = (
            select(reveal_audit, tenants.c.name.label("tenant"), users.c.login.label("user"))
            .join(tenants, tenants.c.id == reveal_audit.c.tenant_id)
            .outerjoin(users, users.c.id == reveal_audit.c.user_id)
        )
        if before is not None:
            q = q.where(reveal_audit.c.id < before)
        q = q.order_by(reveal_audit.c.id.desc()).limit(limit)
        return [
            {
                "id": r.id,
                "at": r.at.isoformat(),
                "tenant": r.tenant,
                "user": r.user,
                "key_id": r.key_id,
                "kind": r.kind,
                "document_id": r.document_id,
                "fields": json.loads(r.fields),
                "reason": r.reason,
            }
            for r in self.conn.execute(q)
        ]

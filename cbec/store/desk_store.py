"""Storage of the regulator's desk: screening hits with their reviews, the reveal audit
trail in keyset pages, and the checkpoint each console user last saw."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select

from cbec.store.screening_store import _result
from cbec.store.tables import (
    documents,
    ledger_checkpoints,
    ledger_seen,
    screening_results,
    screening_reviews,
    tenants,
    users,
)
from cbec.store.visibility import shown, visible
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.kinds import KINDS

STATUS = {"confirm": "confirmed", "dismiss": "dismissed"}


def _hits_query():
    reviewer = tenants.alias("reviewer")
    platform = tenants.alias("platform")
    return (
        select(
            screening_results,
            documents.c.kind,
            documents.c.order_no,
            documents.c.filer_tenant_id,
            documents.c.platform_tenant_id,
            platform.c.name.label("platform"),
            screening_reviews.c.decision,
            screening_reviews.c.reason,
            screening_reviews.c.tenant_id.label("review_tenant_id"),
            screening_reviews.c.reviewed_at,
            screening_reviews.c.ledger_index.label("review_ledger_index"),
            reviewer.c.name.label("reviewed_by"),
            users.c.login.label("reviewer_login"),
        )
        .join(documents, documents.c.id == screening_results.c.document_id)
        .outerjoin(screening_reviews, screening_reviews.c.result_id == screening_results.c.id)
        .outerjoin(platform, platform.c.id == documents.c.platform_tenant_id)
        .outerjoin(reviewer, reviewer.c.id == screening_reviews.c.tenant_id)
        .outerjoin(users, users.c.id == screening_reviews.c.user_id)
        .where(screening_results.c.matched == 1, shown())
    )


def _hit(r: Any) -> dict[str, Any]:
    out = _result(r) | {
        "id": r.id,
        "kind": r.kind,
        "order_no": r.order_no,
        "platform": r.platform,
        "filer_tenant_id": r.filer_tenant_id,
        "platform_tenant_id": r.platform_tenant_id,
        "status": STATUS.get(r.decision, "open"),
        "review": None,
    }
    if r.decision is not None:
        out["review"] = {
            "decision": r.decision,
            "reason": r.reason,
            "tenant_id": r.review_tenant_id,
            "reviewed_by": r.reviewed_by,
            "reviewer": r.reviewer_login,
            "reviewed_at": r.reviewed_at.isoformat(),
            "ledger_index": r.review_ledger_index,
        }
    return out


class DeskStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def hits(
        self, viewer: Viewer, status: str | None, limit: int, before: int | None
    ) -> list[dict[str, Any]]:
        """The matches ``viewer`` reviews, newest first: every one for a regulator, those on
        its own documents for a platform (the documents its lists may screen)."""
        q = _hits_query()
        if viewer.role is not Role.REGULATOR:
            q = q.where(documents.c.platform_tenant_id == viewer.tenant_id)
        if status == "open":
            q = q.where(screening_reviews.c.id.is_(None))
        elif status is not None:
            decision = next(d for d, s in STATUS.items() if s == status)
            q = q.where(screening_reviews.c.decision == decision)
        if before is not None:
            q = q.where(screening_results.c.id < before)
        q = q.order_by(screening_results.c.id.desc()).limit(limit)
        return [_hit(r) for r in self.conn.execute(q)]

    def hit(self, viewer: Viewer, hit_id: int) -> dict[str, Any] | None:
        """One match, if ``viewer`` may see the document it was found on (else None: it is
        not told whether the hit exists)."""
        seen = or_(*(visible(viewer, kind) for kind in KINDS))
        q = _hits_query().where(screening_results.c.id == hit_id, seen)
        r = self.conn.execute(q).first()
        return None if r is None else _hit(r)

    def add_review(
        self,
        hit_id: int,
        decision: str,
        reason: str,
        tenant_id: int,
        user_id: int | None,
        at: datetime,
        ledger_index: int | None,
    ) -> None:
        self.conn.execute(
            insert(screening_reviews).values(
                result_id=hit_id,
                decision=decision,
                reason=reason,
                tenant_id=tenant_id,
                user_id=user_id,
                reviewed_at=at,
                ledger_index=ledger_index,
            )
        )

    def checkpoints(self, limit: int) -> list[tuple[int, datetime]]:
        """(size, signed_at) of the latest ``limit`` signed checkpoints, oldest first."""
        q = (
            select(ledger_checkpoints.c.size, ledger_checkpoints.c.signed_at)
            .order_by(ledger_checkpoints.c.size.desc())
            .limit(limit)
        )
        return [(r.size, r.signed_at) for r in self.conn.execute(q)][::-1]

    def seen(self, user_id: int) -> tuple[int, bytes] | None:
        r = self.conn.execute(select(ledger_seen).where(ledger_seen.c.user_id == user_id)).first()
        return None if r is None else (r.size, bytes(r.root))

    def set_seen(self, user_id: int, size: int, root: bytes, at: datetime) -> None:
        self.conn.execute(delete(ledger_seen).where(ledger_seen.c.user_id == user_id))
        self.conn.execute(
            insert(ledger_seen).values(user_id=user_id, size=size, root=root, seen_at=at)
        )


__all__ = ["STATUS", "DeskStore"]

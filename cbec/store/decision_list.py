"""The compliance decisions of the orders a caller may see, newest first, a keyset page at a
time (SQL side of :func:`cbec.services.decisions.list_decisions`)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from cbec.store import fired_store
from cbec.store.tables import compliance_decisions, documents, tenants
from cbec.store.visibility import visible
from cbec.tenancy.access import Viewer


def visible_decisions(
    conn: Connection, viewer: Viewer, *, before_id: int, limit: int, outcome: str | None
) -> list[dict[str, Any]]:
    """Decisions of the orders ``viewer`` may read (the documents' own access policy),
    with the order's number, platform and seller — never a personal field."""
    platform = tenants.alias("platform")
    seller = tenants.alias("seller")
    q = (
        select(
            compliance_decisions.c.id,
            compliance_decisions.c.document_id,
            compliance_decisions.c.tenant_id,
            compliance_decisions.c.decided_at,
            compliance_decisions.c.outcome,
            compliance_decisions.c.ruleset_version,
            compliance_decisions.c.body,
            documents.c.order_no,
            platform.c.name.label("platform"),
            seller.c.name.label("seller"),
        )
        .join(documents, documents.c.id == compliance_decisions.c.document_id)
        .outerjoin(platform, platform.c.id == documents.c.platform_tenant_id)
        .outerjoin(seller, seller.c.id == documents.c.seller_tenant_id)
        .where(visible(viewer, "order"), compliance_decisions.c.id < before_id)
        .order_by(compliance_decisions.c.id.desc())
        .limit(limit)
    )
    if outcome is not None:
        q = q.where(compliance_decisions.c.outcome == outcome)
    rows = conn.execute(q).all()
    bodies = [(r.tenant_id, json.loads(r.body)) for r in rows]
    fired_store.expand(conn, bodies)
    out = []
    for r, (_, body) in zip(rows, bodies, strict=True):
        fired = body.get("fired", [])
        out.append(
            {
                "seq": r.id,
                "order_id": r.document_id,
                "order_no": r.order_no or "",
                "platform": r.platform or "",
                "seller": r.seller or "",
                "decided_at": r.decided_at.isoformat(),
                "outcome": r.outcome,
                "ruleset_version": r.ruleset_version,
                "rules": sorted({str(f.get("rule_id") or "") for f in fired} - {""}),
            }
        )
    return out

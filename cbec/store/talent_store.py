"""Reads and writes of talent sharing (:mod:`cbec.store.tables.talent`). A published expert
profile is read by every tenant (its personal columns stay sealed); a project only by the
seller that posted it; an engagement only by its two sides — the project's seller and the
tenant that published the expert. Every read of a project or an engagement here takes the
reader's tenant id and finds nothing it is no party to. A withdrawn profile leaves the
listings and the matches; its publisher still reads and changes it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, update

from cbec.store.tables import talent_deliverables as d
from cbec.store.tables import talent_engagements as g
from cbec.store.tables import talent_events as e
from cbec.store.tables import talent_experts as x
from cbec.store.tables import talent_projects as p
from cbec.store.tables import tenants


class TalentStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # experts: published to every tenant
    def add_expert(self, row: dict[str, Any]) -> None:
        self.add_experts([row])

    def add_experts(self, rows: list[dict[str, Any]]) -> None:
        """Insert profiles in one statement (an import of many, or a test's)."""
        self.conn.execute(insert(x), rows)

    def expert(self, expert_id: str) -> Any:
        """The profile, withdrawn or not (an engagement still names its expert)."""
        return self.conn.execute(select(x).where(x.c.id == expert_id)).first()

    def expert_of(self, tenant_id: int, expert_id: str, lock: bool = False) -> Any:
        """The profile if ``tenant_id`` published it, else None."""
        q = select(x).where(x.c.id == expert_id, x.c.owner_tenant_id == tenant_id)
        if lock:
            q = q.with_for_update()
        return self.conn.execute(q).first()

    def experts(self, limit: int = 500, owner: int | None = None) -> list[Any]:
        """The published profiles, newest first; with ``owner``, that tenant's own, the
        withdrawn ones too."""
        q = select(x)
        if owner is None:
            q = q.where(x.c.withdrawn_at.is_(None))
        else:
            q = q.where(x.c.owner_tenant_id == owner)
        q = q.order_by(x.c.published_at.desc(), x.c.id).limit(limit)
        return list(self.conn.execute(q))

    def experts_of_owner(self, tenant_id: int, lock: bool = False) -> list[Any]:
        """The profiles ``tenant_id`` published, oldest first (data subject requests)."""
        q = select(x).where(x.c.owner_tenant_id == tenant_id).order_by(x.c.published_at, x.c.id)
        return list(self.conn.execute(q.with_for_update() if lock else q))

    def published_batches(self, size: int = 200) -> Iterator[list[Any]]:
        """Every published profile, oldest first, ``size`` at a time: each batch read by
        keyset on (published_at, id) after the last one, so no more than ``size`` rows are
        held at once however many tenants publish (the match scores them all)."""
        after: tuple[datetime, str] | None = None
        while True:
            q = select(x).where(x.c.withdrawn_at.is_(None))
            if after is not None:
                at, ident = after
                q = q.where(
                    or_(x.c.published_at > at, and_(x.c.published_at == at, x.c.id > ident))
                )
            batch = list(self.conn.execute(q.order_by(x.c.published_at, x.c.id).limit(size)))
            if batch:
                yield batch
            if len(batch) < size:
                return
            after = (batch[-1].published_at, batch[-1].id)

    def change_expert(self, expert_id: str, values: dict[str, Any]) -> None:
        self.conn.execute(update(x).where(x.c.id == expert_id).values(**values))

    def ratings(self, expert_ids: list[str]) -> dict[str, list[int]]:
        q = (
            select(g.c.expert_id, g.c.rating)
            .where(g.c.expert_id.in_(expert_ids), g.c.rating.is_not(None))
            .order_by(g.c.expert_id, g.c.id)
        )
        out: dict[str, list[int]] = {}
        for r in self.conn.execute(q):
            out.setdefault(r.expert_id, []).append(int(r.rating))
        return out

    def engaged_by(self, expert_id: str, seller_tenant_id: int) -> bool:
        """Whether ``seller_tenant_id`` has engaged the expert (it then reads the name)."""
        q = select(g.c.id).where(
            g.c.expert_id == expert_id, g.c.seller_tenant_id == seller_tenant_id
        )
        return self.conn.execute(q.limit(1)).first() is not None

    # projects: their seller's only
    def add_project(self, row: dict[str, Any]) -> None:
        self.conn.execute(insert(p), [row])

    def project(self, tenant_id: int, project_id: str, lock: bool = False) -> Any:
        q = select(p).where(p.c.id == project_id, p.c.seller_tenant_id == tenant_id)
        if lock:
            q = q.with_for_update()
        return self.conn.execute(q).first()

    def change_project(self, project_id: str, values: dict[str, Any]) -> None:
        self.conn.execute(update(p).where(p.c.id == project_id).values(**values))

    def projects(self, tenant_id: int, limit: int = 500) -> list[Any]:
        q = select(p).where(p.c.seller_tenant_id == tenant_id)
        return list(self.conn.execute(q.order_by(p.c.posted_at.desc(), p.c.id).limit(limit)))

    # engagements: their two sides'
    def add_engagement(self, row: dict[str, Any]) -> None:
        self.conn.execute(insert(g), [row])

    def engagement(self, tenant_id: int, engagement_id: str, lock: bool = False) -> Any:
        side = or_(g.c.seller_tenant_id == tenant_id, g.c.expert_tenant_id == tenant_id)
        q = select(g).where(g.c.id == engagement_id, side)
        if lock:
            q = q.with_for_update()
        return self.conn.execute(q).first()

    def engagements(self, tenant_id: int, limit: int = 500) -> list[Any]:
        side = or_(g.c.seller_tenant_id == tenant_id, g.c.expert_tenant_id == tenant_id)
        q = select(g).where(side).order_by(g.c.created_at.desc(), g.c.id).limit(limit)
        return list(self.conn.execute(q))

    def rate(self, engagement_id: str, rating: int, at: datetime) -> None:
        q = update(g).where(g.c.id == engagement_id).values(rating=rating, rated_at=at)
        self.conn.execute(q)

    def add_deliverable(self, engagement_id: str, title: str, state: str, at: datetime) -> int:
        number = len(self.deliverables(engagement_id)) + 1
        row = {
            "engagement_id": engagement_id,
            "number": number,
            "title": title,
            "state": state,
            "updated_at": at,
        }
        self.conn.execute(insert(d), [row])
        return number

    def deliverables(self, engagement_id: str) -> list[Any]:
        q = select(d).where(d.c.engagement_id == engagement_id).order_by(d.c.number)
        return list(self.conn.execute(q))

    def set_deliverable(self, engagement_id: str, number: int, state: str, at: datetime) -> None:
        q = update(d).where(d.c.engagement_id == engagement_id, d.c.number == number)
        self.conn.execute(q.values(state=state, updated_at=at))

    # events and names
    def add_event(
        self, subject: str, at: datetime, event: str, actor: int, entry: bytes, index: int | None
    ) -> None:
        row = {
            "subject": subject,
            "at": at,
            "event": event,
            "actor_tenant_id": actor,
            "entry": entry.decode(),
            "ledger_index": index,
        }
        self.conn.execute(insert(e), [row])

    def events(self, subject: str) -> list[Any]:
        return list(self.conn.execute(select(e).where(e.c.subject == subject).order_by(e.c.id)))

    def names(self, tenant_ids: set[int]) -> dict[int, str]:
        q = select(tenants.c.id, tenants.c.name).where(tenants.c.id.in_(sorted(tenant_ids)))
        return {r.id: r.name for r in self.conn.execute(q)}

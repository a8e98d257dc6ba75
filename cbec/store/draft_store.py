"""The rows of the console's import desk: drafts (an upload between its steps, its content
sealed by the caller) and the column mappings each tenant saved for a header row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from cbec.store.tables import import_drafts, import_mappings


class DraftStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, **values: Any) -> None:
        self.conn.execute(insert(import_drafts).values(**values))

    def get(self, draft_id: str, tenant_id: int, user_id: int, at: datetime) -> Any:
        """The user's own draft, unexpired, or None (another's is as absent as a missing one)."""
        return self.conn.execute(
            select(import_drafts).where(
                import_drafts.c.id == draft_id,
                import_drafts.c.tenant_id == tenant_id,
                import_drafts.c.user_id == user_id,
                import_drafts.c.expires_at > at,
            )
        ).first()

    def get_any(self, draft_id: str) -> Any:
        return self.conn.execute(
            select(import_drafts).where(import_drafts.c.id == draft_id)
        ).first()

    def update(self, draft_id: str, **values: Any) -> None:
        self.conn.execute(
            update(import_drafts).where(import_drafts.c.id == draft_id).values(**values)
        )

    def claim(self, draft_id: str, from_states: tuple[str, ...], **values: Any) -> bool:
        """Move a draft out of one of ``from_states``; False when it was not in one (another
        request got there first)."""
        done = self.conn.execute(
            update(import_drafts)
            .where(import_drafts.c.id == draft_id, import_drafts.c.state.in_(from_states))
            .values(**values)
        )
        return done.rowcount == 1

    def revive(self, draft_id: str, stale_before: datetime, state: str, to: str) -> bool:
        """Move a draft whose import has shown no sign of life since ``stale_before`` from
        ``state`` back to ``to``; False when it has (or another request moved it)."""
        done = self.conn.execute(
            update(import_drafts)
            .where(
                import_drafts.c.id == draft_id,
                import_drafts.c.state == state,
                import_drafts.c.touched_at < stale_before,
            )
            .values(state=to, done=0, total=0)
        )
        return done.rowcount == 1

    def any_expired(self, at: datetime) -> bool:
        """Whether a draft is past its lifetime (by the ``expires_at`` index: one probe)."""
        found = self.conn.execute(
            select(import_drafts.c.id).where(import_drafts.c.expires_at <= at).limit(1)
        ).first()
        return found is not None

    def expire(self, at: datetime) -> int:
        """Delete every draft past its lifetime, its sealed content with it."""
        return self.conn.execute(
            delete(import_drafts).where(import_drafts.c.expires_at <= at)
        ).rowcount

    def recent(self, tenant_id: int, user_id: int, at: datetime, limit: int = 20) -> list[Any]:
        return list(
            self.conn.execute(
                select(
                    import_drafts.c.id,
                    import_drafts.c.kind,
                    import_drafts.c.state,
                    import_drafts.c.done,
                    import_drafts.c.total,
                    import_drafts.c.created_at,
                )
                .where(
                    import_drafts.c.tenant_id == tenant_id,
                    import_drafts.c.user_id == user_id,
                    import_drafts.c.expires_at > at,
                )
                .order_by(import_drafts.c.created_at.desc())
                .limit(limit)
            )
        )

    def mapping(self, tenant_id: int, kind: str, header_hash: str) -> str | None:
        return self.conn.execute(
            select(import_mappings.c.mapping).where(
                import_mappings.c.tenant_id == tenant_id,
                import_mappings.c.kind == kind,
                import_mappings.c.header_hash == header_hash,
            )
        ).scalar()

    def save_mapping(
        self, tenant_id: int, kind: str, header_hash: str, mapping: str, at: datetime
    ) -> None:
        """Insert or replace (one statement, so two operators saving at once cannot both
        insert: the last one wins)."""
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        insert_ = dialect.insert(import_mappings).values(
            tenant_id=tenant_id, kind=kind, header_hash=header_hash, mapping=mapping, updated_at=at
        )
        self.conn.execute(
            insert_.on_conflict_do_update(
                index_elements=["tenant_id", "kind", "header_hash"],
                set_={"mapping": mapping, "updated_at": at},
            )
        )

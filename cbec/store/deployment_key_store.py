"""SQL of the deployment's recorded keys (:data:`~cbec.store.tables.deployment_keys`) and the
samples of stored data that show whether keys open it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, insert, select, text
from sqlalchemy.engine import Connection

from cbec.privacy.vault import is_person_token
from cbec.store.tables import (
    deployment_keys,
    documents,
    ledger_checkpoints,
    ledger_entries,
    person_keys,
    users,
)

# PostgreSQL: one process at a time records a new database's keys (an advisory lock held to
# the end of the transaction); SQLite's BEGIN IMMEDIATE already serialises writers.
_KEYS_LOCK = 0x6362_6563_6B65_7973  # "cbeckeys"


@dataclass(frozen=True)
class RecordedKey:
    purpose: str
    fingerprint: str
    kid: str | None
    active: bool
    added_at: datetime
    retired_at: datetime | None


class DeploymentKeyStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lock(self) -> None:
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _KEYS_LOCK})

    def recorded(self) -> list[RecordedKey]:
        t = deployment_keys
        rows = self.conn.execute(select(t).order_by(t.c.id))
        return [
            RecordedKey(r.purpose, r.fingerprint, r.kid, r.active, r.added_at, r.retired_at)
            for r in rows
        ]

    def add(self, purpose: str, fingerprint: str, kid: str | None, active: bool, at: datetime):
        self.conn.execute(
            insert(deployment_keys).values(
                purpose=purpose, fingerprint=fingerprint, kid=kid, active=active, added_at=at
            )
        )

    def set_active_data_key(self, fingerprint: str) -> None:
        t = deployment_keys
        self.conn.execute(
            t.update().where(t.c.purpose == "data").values(active=t.c.fingerprint == fingerprint)
        )

    def holds_data(self) -> bool:
        """Whether anything was written that keys protect or sign: a document, a ledger
        entry (API keys and users are logged there) or a user (TOTP secrets are sealed)."""
        return any(
            self.conn.execute(select(exists().select_from(t))).scalar()
            for t in (documents, ledger_entries, users)
        )

    def sealed_samples(self, limit: int = 3) -> Iterator[tuple[str, str, str, str]]:
        """A few sealed values as ``(kind, id, path, token)`` — what a vault's
        ``open_value`` takes: the evidence salts of the newest documents, then the
        personal fields of their bodies (a body's field path is its dotted JSON path)."""
        d = documents
        rows = self.conn.execute(
            select(d.c.kind, d.c.id, d.c.body, d.c.commit_salt)
            .order_by(d.c.seq.desc())
            .limit(limit)
        ).all()
        # a value sealed under a person's key is tried through the person's wrapped key
        for r in rows:
            if r.commit_salt and not is_person_token(r.commit_salt):
                yield r.kind, r.id, "commit_salt", r.commit_salt
        for r in rows:
            for path, token in _tokens(json.loads(r.body), ""):
                if not is_person_token(token):
                    yield r.kind, r.id, path, token
                    break
        p = person_keys.c
        wrapped = self.conn.execute(
            select(p.tenant_id, p.id, p.wrapped)
            .where(p.wrapped.is_not(None))
            .order_by(p.created_at.desc())
            .limit(limit)
        ).all()
        for w in wrapped:
            yield "person_key", f"{w.tenant_id}:{w.id}", "key", w.wrapped

    def latest_checkpoint_note(self) -> str | None:
        c = ledger_checkpoints
        return self.conn.execute(select(c.c.note).order_by(c.c.size.desc()).limit(1)).scalar()


def _tokens(node: Any, prefix: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else key
            if isinstance(value, str) and value.startswith("enc1."):
                yield path, value
            else:
                yield from _tokens(value, path)

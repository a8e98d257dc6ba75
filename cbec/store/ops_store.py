"""The few cheap reads behind the operator's metrics and readiness probe (cbec.services.ops).

Each is an indexed or one-row read, or a GROUP BY over a small table (import batches and
drafts waiting, screening lists in force): a scrape every few seconds must not load the
database. Nothing here reads a document's content or names a tenant.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from cbec.store.db import alembic_config
from cbec.store.tables import (
    documents,
    import_batches,
    import_drafts,
    ledger_checkpoints,
    ledger_state,
    person_keys,
    screening_lists,
)


@dataclass(frozen=True)
class LedgerReading:
    size: int  # entries appended
    integrated: int  # entries folded into the tree
    checkpoint_size: int | None  # the latest signed checkpoint, if any
    checkpoint_note: str | None
    checkpoint_signed_at: datetime | None


def ledger_reading(conn: Connection) -> LedgerReading | None:
    """The log's one state row and its latest checkpoint (primary-key reads)."""
    state = conn.execute(
        select(ledger_state.c.size, ledger_state.c.integrated).where(ledger_state.c.id == 1)
    ).first()
    if state is None:
        return None
    cp = conn.execute(
        select(ledger_checkpoints.c.size, ledger_checkpoints.c.note, ledger_checkpoints.c.signed_at)
        .order_by(ledger_checkpoints.c.size.desc())
        .limit(1)
    ).first()
    return LedgerReading(
        state.size,
        state.integrated,
        cp.size if cp else None,
        cp.note if cp else None,
        cp.signed_at if cp else None,
    )


def batches_by_state(conn: Connection, states: Iterable[str]) -> dict[str, int]:
    """Bulk imports (:mod:`cbec.services.imports`) in each of ``states``."""
    c = import_batches.c
    q = select(c.state, func.count()).where(c.state.in_(list(states))).group_by(c.state)
    return {state: n for state, n in conn.execute(q)}


def drafts_by_state(conn: Connection, states: Iterable[str]) -> dict[str, int]:
    """The console import desk's drafts in each of ``states``."""
    c = import_drafts.c
    q = select(c.state, func.count()).where(c.state.in_(list(states))).group_by(c.state)
    return {state: n for state, n in conn.execute(q)}


def shared_lists_loaded(conn: Connection) -> dict[str, datetime]:
    """Each screening list in force for every platform (the regulators' lists, by their
    public names) and when its newest edition was loaded. A platform's own lists are left
    out: their names are the platform's choice and could name it."""
    c = screening_lists.c
    q = (
        select(c.name, func.max(c.loaded_at))
        .where(c.retired_at.is_(None), c.platform_id.is_(None))
        .group_by(c.name)
    )
    return {name: loaded for name, loaded in conn.execute(q)}


def one_sealed_salt(conn: Connection) -> tuple[str, str, str, str] | None:
    """(kind, id, path, sealed token) of a random value sealed with the deployment's data key,
    not personal data: the newest person key (wrapped), or the newest document's evidence
    salt when no person key is stored — or None when neither is."""
    p = person_keys.c
    key = conn.execute(
        select(p.tenant_id, p.id, p.wrapped)
        .where(p.wrapped.is_not(None))
        .order_by(p.created_at.desc(), p.id)
        .limit(1)
    ).first()
    if key is not None:
        return ("person_key", f"{key.tenant_id}:{key.id}", "key", key.wrapped)
    c = documents.c
    row = conn.execute(
        select(c.kind, c.id, c.commit_salt)
        .where(c.commit_salt.is_not(None), c.commit_salt.not_like("%.~%"))
        .order_by(c.seq.desc())
        .limit(1)
    ).first()
    return (row.kind, row.id, "commit_salt", row.commit_salt) if row else None


def schema_revision(conn: Connection) -> str | None:
    """The Alembic revision the database is at (``alembic_version``), None if unversioned."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


@cache
def code_revision() -> str | None:
    """The newest revision among this release's migrations (the scripts do not change while
    the process runs, so they are read once)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()

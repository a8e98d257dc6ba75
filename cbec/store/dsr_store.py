"""SQL of data subject requests (:mod:`cbec.services.dsr`): what a tenant holds on a person
— its documents and their versions, and the records derived from them — the erasure of
what was sealed before person keys existed, and the register of requests."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.engine import Connection, Row

from cbec.store.tables import (
    data_transfer_subjects,
    data_transfers,
    document_versions,
    documents,
    dsr_erased_subjects,
    dsr_requests,
    import_drafts,
    person_keys,
    reveal_audit,
    screening_results,
    tax_quota_charges,
    tenants,
)

_D = documents.c
_V = document_versions.c


def locking(q: Select[Any], lock: bool) -> Select[Any]:
    """``q`` locking the rows it reads (``FOR UPDATE``) when ``lock``: a body read here to be
    overwritten (erasure, retention) must not be re-sealed by another transaction in
    between — a re-encryption's compare-and-replace, or a change of the document — or one
    of the two writes would be lost. On PostgreSQL the row lock does it; SQLite's write
    transaction already holds the database's one write lock (SQLAlchemy omits the clause)."""
    return q.with_for_update() if lock else q


class DsrStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def documents_of(
        self, tenant_id: int, subject_refs: Sequence[str], lock: bool = False
    ) -> list[Row[Any]]:
        """The documents ``tenant_id`` filed on the persons of ``subject_refs`` (``lock``:
        :func:`locking`)."""
        if not subject_refs:
            return []
        q = (
            select(_D.id, _D.kind, _D.body, _D.commit_salt, _D.subject_ref, _D.created_at)
            .add_columns(_D.ledger_index, _D.natural_key)
            .where(_D.filer_tenant_id == tenant_id, _D.subject_ref.in_(list(subject_refs)))
            .order_by(_D.seq)
        )
        return list(self.conn.execute(locking(q, lock)).all())

    def documents_by_id(
        self, tenant_id: int, doc_ids: Sequence[str], lock: bool = False
    ) -> list[Row[Any]]:
        q = (
            select(_D.id, _D.kind, _D.body, _D.commit_salt, _D.subject_ref, _D.created_at)
            .add_columns(_D.ledger_index, _D.natural_key)
            .where(_D.filer_tenant_id == tenant_id, _D.id.in_(list(doc_ids)))
            .order_by(_D.seq)
        )
        return list(self.conn.execute(locking(q, lock)).all())

    def filed_of_kinds(self, tenant_id: int, kinds: Sequence[str]) -> Iterator[Row[Any]]:
        """Every document of ``kinds`` ``tenant_id`` filed (a search by phone opens them)."""
        q = (
            select(_D.id, _D.kind, _D.body, _D.subject_ref)
            .where(_D.filer_tenant_id == tenant_id, _D.kind.in_(list(kinds)))
            .order_by(_D.seq)
        )
        yield from self.conn.execute(q.execution_options(yield_per=500))

    def versions_of(self, doc_ids: Sequence[str], lock: bool = False) -> list[Row[Any]]:
        """The earlier versions of the documents, oldest first (``lock``: :func:`locking`)."""
        if not doc_ids:
            return []
        q = (
            select(_V.document_id, _V.version, _V.body, _V.commit_salt, _V.ledger_index)
            .add_columns(_V.valid_from, _V.superseded_at)
            .where(_V.document_id.in_(list(doc_ids)))
            .order_by(_V.document_id, _V.version)
        )
        return list(self.conn.execute(locking(q, lock)).all())

    def screening_of(self, doc_ids: Sequence[str]) -> list[Row[Any]]:
        s = screening_results.c
        q = (
            select(s.document_id, s.role, s.screened_at, s.matched, s.score, s.lists)
            .where(s.document_id.in_(list(doc_ids)))
            .order_by(s.id)
        )
        return list(self.conn.execute(q).all()) if doc_ids else []

    def tax_charges_of(self, tenant_id: int, buyer_key: str | None) -> list[Row[Any]]:
        if buyer_key is None:
            return []
        t = tax_quota_charges.c
        q = (
            select(t.order_ref, t.year, t.counted_fen, t.tax_fen, t.regime, t.charged_at)
            .add_columns(t.refunded_at)
            .where(t.tenant_id == tenant_id, t.buyer_key == buyer_key)
            .order_by(t.id)
        )
        return list(self.conn.execute(q).all())

    def transfers_of(self, tenant_id: int, subject_refs: Sequence[str]) -> list[Row[Any]]:
        if not subject_refs:
            return []
        t, s = data_transfers.c, data_transfer_subjects.c
        q = (
            select(t.id, t.transferred_on, t.destination, t.recipient, t.purpose, t.route)
            .join(data_transfer_subjects, s.transfer_id == t.id)
            .where(t.tenant_id == tenant_id, s.subject_ref.in_(list(subject_refs)))
            .distinct()
            .order_by(t.transferred_on, t.id)
        )
        return list(self.conn.execute(q).all())

    def reveals_of(self, tenant_id: int, doc_ids: Sequence[str]) -> list[Row[Any]]:
        if not doc_ids:
            return []
        r = reveal_audit.c
        q = (
            select(r.at, r.kind, r.document_id, r.fields, r.reason, r.user_id, r.key_id)
            .where(r.tenant_id == tenant_id, r.document_id.in_(list(doc_ids)))
            .order_by(r.id)
        )
        return list(self.conn.execute(q).all())

    # --- erasure of what was sealed under the deployment key --------------------------------

    def overwrite_document(
        self, doc_id: str, body: dict[str, Any], keep_salt: bool = False
    ) -> None:
        """Store ``body`` (its erased fields overwritten) and, unless ``keep_salt``, drop the
        commitment salt: the salt stays when only one party of the document is erased."""
        values: dict[str, Any] = {"body": json.dumps(body, ensure_ascii=False)}
        if not keep_salt:
            values["commit_salt"] = None
        self.conn.execute(update(documents).where(_D.id == doc_id).values(**values))

    def overwrite_version(
        self, doc_id: str, version: int, body: dict[str, Any], keep_salt: bool = False
    ) -> None:
        values: dict[str, Any] = {"body": json.dumps(body, ensure_ascii=False)}
        if not keep_salt:
            values["commit_salt"] = None
        self.conn.execute(
            update(document_versions)
            .where(_V.document_id == doc_id, _V.version == version)
            .values(**values)
        )

    def unlink_subject(self, tenant_id: int, subject_ref: str, tombstone: str) -> None:
        """Replace the person's keyed reference by ``tombstone`` wherever the tenant's data
        holds it: its documents, the transfer register's subjects, its person keys. The
        reference is a keyed hash of their ID, so while it stayed, anyone holding the ID
        and the key could still link those rows to the person (pseudonymised data is
        personal data: GDPR Recital 26). One tombstone per person keeps what counts them:
        a transfer's individuals are counted once, as before, and its counts do not move.
        By predicate, after the keys are shredded: a document another transaction filed on
        the person meanwhile (PostgreSQL) is unlinked with the rest."""
        self.conn.execute(
            update(documents)
            .where(_D.filer_tenant_id == tenant_id, _D.subject_ref == subject_ref)
            .values(subject_ref=tombstone)
        )
        t, s = data_transfers.c, data_transfer_subjects.c
        self.conn.execute(
            update(data_transfer_subjects)
            .where(
                s.subject_ref == subject_ref,
                s.transfer_id.in_(select(t.id).where(t.tenant_id == tenant_id)),
            )
            .values(subject_ref=tombstone)
        )
        k = person_keys.c
        self.conn.execute(
            update(person_keys)
            .where(k.tenant_id == tenant_id, k.subject_ref == subject_ref)
            .values(subject_ref=tombstone)
        )

    # --- retention (cbec.services.retention) -------------------------------------------------

    def _past(self, tenant_id: int, kind: str, before: datetime) -> Any:
        completed = func.coalesce(_D.placed_at, _D.created_at)
        return (
            _D.filer_tenant_id == tenant_id,
            _D.kind == kind,
            completed < before,
            _D.commit_salt.is_not(None),  # an erased document's salt is gone
        )

    def count_past(self, tenant_id: int, kind: str, before: datetime) -> int:
        """How many of the tenant's documents of ``kind`` completed before ``before`` still
        hold their personal data."""
        q = select(func.count()).select_from(documents).where(*self._past(tenant_id, kind, before))
        return int(self.conn.execute(q).scalar_one())

    def past(
        self, tenant_id: int, kind: str, before: datetime, limit: int, lock: bool = False
    ) -> list[Row[Any]]:
        """Up to ``limit`` of them (oldest first); ``lock``: locked for the overwrite that
        follows (:meth:`locking`)."""
        q = (
            select(_D.id, _D.kind, _D.body, _D.commit_salt)
            .where(*self._past(tenant_id, kind, before))
            .order_by(_D.seq)
            .limit(limit)
        )
        return list(self.conn.execute(locking(q, lock)).all())

    def drafts_of(self, tenant_id: int) -> list[Row[Any]]:
        d = import_drafts.c
        q = select(d.id, d.payload, d.report).where(d.tenant_id == tenant_id).order_by(d.id)
        return list(self.conn.execute(q).all())

    def delete_drafts(self, draft_ids: Iterable[str]) -> int:
        ids = list(draft_ids)
        if not ids:
            return 0
        return self.conn.execute(delete(import_drafts).where(import_drafts.c.id.in_(ids))).rowcount

    # --- the register ------------------------------------------------------------------------

    def add(self, row: dict[str, Any]) -> None:
        self.conn.execute(dsr_requests.insert().values(row))

    def last_erasure(self, tenant_id: int, subject_ref: str) -> Row[Any] | None:
        """The tenant's latest completed erasure of the person of ``subject_ref`` (by any
        reference it found them by), or None."""
        r, e = dsr_requests.c, dsr_erased_subjects.c
        q = (
            select(r.id, r.completed_at, r.documents, r.keys_shredded, r.ledger_index)
            .add_columns(r.retention)
            .join(dsr_erased_subjects, e.request_id == r.id)
            .where(e.tenant_id == tenant_id, e.subject_ref == subject_ref)
        )
        return self.conn.execute(q).first()

    def erased(self, tenant_id: int, subject_refs: Iterable[str], request_id: str) -> None:
        """Record that the erasure ``request_id`` covered the persons of ``subject_refs``
        (replacing an earlier erasure's record of them)."""
        refs = sorted(set(subject_refs))
        e = dsr_erased_subjects.c
        self.conn.execute(
            delete(dsr_erased_subjects).where(e.tenant_id == tenant_id, e.subject_ref.in_(refs))
        )
        self.conn.execute(
            dsr_erased_subjects.insert(),
            [{"tenant_id": tenant_id, "subject_ref": f, "request_id": request_id} for f in refs],
        )

    def listed(
        self,
        tenant_id: int | None,
        limit: int,
        received: tuple[datetime, datetime] | None = None,
    ) -> list[dict[str, Any]]:
        """The requests, newest first: one tenant's, or every tenant's (``tenant_id`` None);
        with ``received``, those received from its first time to before its second."""
        r = dsr_requests.c
        q = (
            select(
                r.id,
                r.kind,
                r.found_by,
                r.received_at,
                r.completed_at,
                r.status,
                r.documents,
                r.keys_shredded,
                r.ledger_index,
                tenants.c.name.label("tenant"),
            )
            .join(tenants, tenants.c.id == r.tenant_id)
            .order_by(r.received_at.desc(), r.id)
            .limit(limit)
        )
        if tenant_id is not None:
            q = q.where(r.tenant_id == tenant_id)
        if received is not None:
            q = q.where(r.received_at >= received[0], r.received_at < received[1])
        return [dict(m) for m in self.conn.execute(q).mappings()]

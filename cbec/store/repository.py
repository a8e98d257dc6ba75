"""Repository and unit of work over the SQLAlchemy Core tables.

The unit of work owns one connection and one transaction; nothing is visible to others, and
nothing is acknowledged to a caller, until ``commit`` returns (and with SQLite
``synchronous=FULL`` / PostgreSQL ``synchronous_commit=on`` that means it is on disk).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, delete, exists, insert, or_, select, update
from sqlalchemy.engine import Connection

from cbec.errors import Conflict
from cbec.ledger import log as ledger_log
from cbec.ledger.merkle import Hasher
from cbec.store.gate import gate_of
from cbec.store.key_store import KeyStore
from cbec.store.ledger_store import SqlLogStore
from cbec.store.tables import (
    api_keys,
    compliance_decisions,
    document_versions,
    documents,
    idempotency_keys,
    import_batches,
    reveal_audit,
    screening_results,
    tenants,
)
from cbec.tenancy.access import Viewer
from cbec.tenancy.records import TenantRow
from cbec.tenancy.roles import Role
from cbec.trade.ports import StoredDocument, now

_filer = tenants.alias("filer")
OPEN, DONE, WITHDRAWN = "open", "done", "withdrawn"


def _through_my_order(me: int, kind: str):
    """A payment or waybill the seller ``me`` reads through its order (see cbec.tenancy.access):
    the seller's order of the same platform and number, no other seller's order of that
    number (a duplicated number links to no one; the platform sees the duplicate), and an
    order vouched for — filed by its platform, or, for a payment, whose buyer is the payer
    (the same keyed hash of the ID, as 三单对碰 requires); a waybill needs such a payment
    too. A seller that files another's order number first never learns the buyer's ID from
    it, so the payment and the waybill stay out of its sight."""
    mine, other, paid = documents.alias("o"), documents.alias("o2"), documents.alias("p")

    def same(t):
        return and_(
            t.c.platform_tenant_id == documents.c.platform_tenant_id,
            t.c.order_no == documents.c.order_no,
        )

    by_platform = mine.c.filer_tenant_id == mine.c.platform_tenant_id
    if kind == "payment":
        vouched = or_(by_platform, mine.c.subject_ref == documents.c.subject_ref)
    else:
        vouched = or_(
            by_platform,
            exists().where(
                paid.c.kind == "payment", same(paid), paid.c.subject_ref == mine.c.subject_ref
            ),
        )
    return and_(
        exists().where(mine.c.kind == "order", same(mine), mine.c.seller_tenant_id == me, vouched),
        ~exists().where(other.c.kind == "order", same(other), other.c.seller_tenant_id != me),
    )


def shown():
    """Documents anyone may be shown: not part of a bulk import that is still being written
    or was withdrawn (see cbec.services.imports)."""
    done = import_batches.alias("done_batch")
    return or_(
        documents.c.batch_id.is_(None),
        exists().where(done.c.id == documents.c.batch_id, done.c.state == DONE),
    )


def _visible(viewer: Viewer, kind: str):
    """The access policy of cbec.tenancy.access as a WHERE clause."""
    if viewer.role is Role.REGULATOR:
        return and_(documents.c.kind == kind, shown())
    me = viewer.tenant_id
    rules = [documents.c.filer_tenant_id == me]
    if kind in ("order", "product"):
        rules.append(documents.c.seller_tenant_id == me)
    if kind in ("order", "payment", "waybill"):
        rules.append(documents.c.platform_tenant_id == me)
    if kind in ("payment", "waybill") and viewer.role is Role.SELLER:
        rules.append(_through_my_order(me, kind))
    return and_(documents.c.kind == kind, or_(*rules), shown())


class Repository:
    def __init__(self, conn: Connection, ledger_hasher: Hasher | None = None) -> None:
        self.conn = conn
        self.ledger_hasher = ledger_hasher

    # --- evidence ---
    def append_evidence(self, items: Sequence[tuple[str, bytes]]) -> list[int | None]:
        """Append log entries in this transaction (they commit with the documents)."""
        if self.ledger_hasher is None:
            return [None] * len(items)
        return list(ledger_log.append(SqlLogStore(self.conn), self.ledger_hasher, items))

    # --- tenants and keys ---
    def tenant_by_name(self, name: str) -> TenantRow | None:
        row = self.conn.execute(select(tenants).where(tenants.c.name == name)).first()
        return TenantRow(row.id, row.name, Role(row.role)) if row else None

    def list_tenants(self) -> list[TenantRow]:
        rows = self.conn.execute(select(tenants).order_by(tenants.c.id))
        return [TenantRow(r.id, r.name, Role(r.role)) for r in rows]

    def add_tenant(self, name: str, role: Role) -> TenantRow:
        result = self.conn.execute(
            insert(tenants).values(name=name, role=role.value, created_at=now())
        )
        return TenantRow(result.inserted_primary_key[0], name, role)

    def add_api_key(self, tenant_id: int, key_id: str, secret_hash: str, label: str) -> None:
        KeyStore(self.conn).add(tenant_id, key_id, secret_hash, label, now(), None)

    def has_api_key(self, key_id: str) -> bool:
        q = select(api_keys.c.id).where(api_keys.c.key_id == key_id)
        return self.conn.execute(q).first() is not None

    def _doc(self, row: Any) -> StoredDocument:
        return StoredDocument(
            row.seq,
            row.id,
            row.kind,
            row.natural_key,
            row.filer_tenant_id,
            row.filer,
            json.loads(row.body),
            row.fingerprint,
            row.created_at,
            row.ledger_index,
            row.commit_salt,
            row.version,
            row.subject_ref,
            row.batch_id if row.bs not in (None, DONE) else None,
        )

    def _select_docs(self):
        return (
            select(documents, _filer.c.name.label("filer"), import_batches.c.state.label("bs"))
            .join(_filer, _filer.c.id == documents.c.filer_tenant_id)
            .outerjoin(import_batches, import_batches.c.id == documents.c.batch_id)
        )

    def find_by_keys(
        self, kind: str, scope_id: tuple[int, int], keys: Sequence[str]
    ) -> dict[str, StoredDocument]:
        out: dict[str, StoredDocument] = {}
        for i in range(0, len(keys), 500):
            q = self._select_docs().where(
                documents.c.kind == kind,
                documents.c.scope_tenant_id == scope_id[0],
                documents.c.co_scope_tenant_id == scope_id[1],
                documents.c.natural_key.in_(keys[i : i + 500]),
            )
            for row in self.conn.execute(q):
                out[row.natural_key] = self._doc(row)
        return out

    def add_documents(self, rows: Iterable[dict[str, Any]]) -> None:
        batch = list(rows)
        if batch:
            self.conn.execute(insert(documents), batch)

    def get_document(self, viewer: Viewer, kind: str, doc_id: str) -> StoredDocument | None:
        q = self._select_docs().where(_visible(viewer, kind), documents.c.id == doc_id)
        row = self.conn.execute(q).first()
        return self._doc(row) if row else None

    def order_withheld_by(self, viewer: Viewer, doc_id: str) -> StoredDocument | None:
        """The order ``doc_id`` if ``viewer`` may withhold its tax (财关税〔2016〕18号 §1:
        the e-commerce firm, the platform, or the logistics firm declaring for them) — its
        seller, its platform, or the filer of a waybill for it (same platform and order
        number); otherwise None, as for an order that does not exist."""
        me = viewer.tenant_id
        w = documents.alias("w")
        carrier = exists().where(
            w.c.kind == "waybill",
            w.c.filer_tenant_id == me,
            w.c.platform_tenant_id == documents.c.platform_tenant_id,
            w.c.order_no == documents.c.order_no,
        )
        party = or_(
            documents.c.seller_tenant_id == me, documents.c.platform_tenant_id == me, carrier
        )
        q = self._select_docs().where(
            documents.c.kind == "order", documents.c.id == doc_id, party, shown()
        )
        row = self.conn.execute(q).first()
        return self._doc(row) if row else None

    def replace_document(self, old: StoredDocument, fields: dict[str, Any]) -> None:
        self.conn.execute(
            insert(document_versions).values(
                document_id=old.id,
                version=old.version,
                body=json.dumps(old.body, ensure_ascii=False),
                fingerprint=old.fingerprint,
                ledger_index=old.ledger_index,
                commit_salt=old.commit_salt,
                valid_from=old.created_at,
                superseded_at=fields["created_at"],
            )
        )
        done = self.conn.execute(
            update(documents)
            .where(documents.c.id == old.id, documents.c.version == old.version)
            .values(version=old.version + 1, **fields)
        )
        if done.rowcount != 1:  # a concurrent change won: this one must not overwrite it
            raise Conflict("changed_concurrently", {"kind": old.kind})

    def versions(self, doc_id: str) -> list[dict[str, Any]]:
        q = (
            select(document_versions)
            .where(document_versions.c.document_id == doc_id)
            .order_by(document_versions.c.version)
        )
        return [dict(r._mapping) for r in self.conn.execute(q)]

    def get_by_id(self, doc_id: str) -> StoredDocument | None:
        row = self.conn.execute(self._select_docs().where(documents.c.id == doc_id)).first()
        return self._doc(row) if row else None

    def list_documents(
        self,
        viewer: Viewer,
        kind: str,
        *,
        after_seq: int = 0,
        limit: int = 50,
        order_no: str | None = None,
        platform_id: int | None = None,
        seller_id: int | None = None,
        filer_id: int | None = None,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
    ) -> list[StoredDocument]:
        q = self._select_docs().where(_visible(viewer, kind), documents.c.seq > after_seq)
        if order_no is not None:
            q = q.where(documents.c.order_no == order_no)
        if platform_id is not None:
            q = q.where(documents.c.platform_tenant_id == platform_id)
        if seller_id is not None:
            q = q.where(documents.c.seller_tenant_id == seller_id)
        if filer_id is not None:
            q = q.where(documents.c.filer_tenant_id == filer_id)
        if created_from is not None:
            q = q.where(documents.c.created_at >= created_from)
        if created_to is not None:
            q = q.where(documents.c.created_at < created_to)
        q = q.order_by(documents.c.seq).limit(limit)
        return [self._doc(r) for r in self.conn.execute(q)]

    def count_documents(self) -> dict[str, int]:
        from sqlalchemy import func

        q = select(documents.c.kind, func.count()).where(shown()).group_by(documents.c.kind)
        return {k: n for k, n in self.conn.execute(q)}

    # --- bulk imports written in several transactions (cbec.services.imports) ---
    def open_batch(self, batch_id: str, tenant_id: int, kind: str, at: datetime) -> None:
        self.conn.execute(
            insert(import_batches).values(
                id=batch_id,
                tenant_id=tenant_id,
                kind=kind,
                state=OPEN,
                created_at=at,
                touched_at=at,
            )
        )

    def touch_batch(self, batch_id: str, at: datetime) -> None:
        self.conn.execute(
            update(import_batches).where(import_batches.c.id == batch_id).values(touched_at=at)
        )

    def close_batch(self, batch_id: str, state: str, ledger_index: int | None = None) -> None:
        self.conn.execute(
            update(import_batches)
            .where(import_batches.c.id == batch_id)
            .values(state=state, ledger_index=ledger_index)
        )

    def batch(self, batch_id: str) -> Any:
        """A batch with its tenant's name, its row locked to this transaction (PostgreSQL;
        SQLite's write transaction already excludes the others) — so a sweeper and the import
        itself cannot both decide its fate."""
        return self.conn.execute(
            select(import_batches, tenants.c.name.label("tenant"))
            .join(tenants, tenants.c.id == import_batches.c.tenant_id)
            .where(import_batches.c.id == batch_id)
            .with_for_update(of=import_batches)
        ).first()

    def batch_entries(self, batch_id: str) -> list[int]:
        """The log indexes of a batch's documents and of their checks, ascending."""
        ids = select(documents.c.id).where(documents.c.batch_id == batch_id)
        out: set[int] = set()
        for table in (documents, screening_results, compliance_decisions):
            key = table.c.id if table is documents else table.c.document_id
            q = select(table.c.ledger_index).where(key.in_(ids), table.c.ledger_index.is_not(None))
            out.update(self.conn.scalars(q))
        return sorted(out)

    def drop_batch_documents(self, batch_id: str, limit: int) -> int:
        """Delete up to ``limit`` of a withdrawn batch's documents with their checks (no one
        was ever shown them); how many were deleted."""
        ids = list(
            self.conn.scalars(
                select(documents.c.id).where(documents.c.batch_id == batch_id).limit(limit)
            )
        )
        if ids:
            for table in (screening_results, compliance_decisions):
                self.conn.execute(delete(table).where(table.c.document_id.in_(ids)))
            self.conn.execute(delete(documents).where(documents.c.id.in_(ids)))
        return len(ids)

    def stale_batches(self, before: datetime) -> list[str]:
        """Batches abandoned mid-way (open, untouched since ``before``) and withdrawn ones
        whose documents are not all deleted yet."""
        q = select(import_batches.c.id).where(
            or_(
                and_(import_batches.c.state == OPEN, import_batches.c.touched_at < before),
                and_(
                    import_batches.c.state == WITHDRAWN,
                    exists().where(documents.c.batch_id == import_batches.c.id),
                ),
            )
        )
        return list(self.conn.scalars(q))

    # --- idempotency keys ---
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

    # --- reveal audit ---
    def add_reveal(
        self, tenant_id: int, kind: str, doc_id: str, fields: list[str], reason: str
    ) -> int:
        result = self.conn.execute(
            insert(reveal_audit).values(
                at=now(),
                tenant_id=tenant_id,
                kind=kind,
                document_id=doc_id,
                fields=json.dumps(fields),
                reason=reason,
            )
        )
        return result.inserted_primary_key[0]

    def list_reveals(self, limit: int = 100) -> list[dict[str, Any]]:
        q = (
            select(reveal_audit, tenants.c.name.label("tenant"))
            .join(tenants, tenants.c.id == reveal_audit.c.tenant_id)
            .order_by(reveal_audit.c.id.desc())
            .limit(limit)
        )
        return [
            {
                "id": r.id,
                "at": r.at.isoformat(),
                "tenant": r.tenant,
                "kind": r.kind,
                "document_id": r.document_id,
                "fields": json.loads(r.fields),
                "reason": r.reason,
            }
            for r in self.conn.execute(q)
        ]


class UnitOfWork:
    """``with UnitOfWork(engine, write=True) as uow: ...; uow.commit()`` — rolls back unless
    committed. ``write`` starts SQLite transactions with BEGIN IMMEDIATE.

    A use case (:mod:`cbec.services`) receives an unentered unit of work and enters it with
    ``with uow.writing():`` or ``with uow:``; the composition root (:mod:`cbec.runtime`) hands
    it the collaborators a use case needs besides the database — the field vault, the
    evidence ledger and the settings — so that use cases take one object, not the runtime.
    """

    def __init__(
        self,
        engine: Engine,
        write: bool = False,
        ledger_hasher: Hasher | None = None,
        *,
        vault: Any = None,
        ledger: Any = None,
        settings: Any = None,
    ) -> None:
        self.engine = engine
        self.write = self._write_always = write
        self.ledger_hasher = ledger_hasher
        self.vault = vault
        self.ledger = ledger
        self.settings = settings
        self.wait_ms: int | None = None

    def writing(self, wait_ms: int | None = None) -> UnitOfWork:
        """This unit of work, to be entered for writing (``with uow.writing(): …``).
        ``wait_ms=0`` makes a best-effort write: on SQLite it fails at once (``database is
        locked``) rather than wait behind another writer."""
        self.write = True
        self.wait_ms = wait_ms
        return self

    def __enter__(self) -> UnitOfWork:
        self._gate = gate_of(self.engine) if self.write else None
        if self._gate is not None:  # this process's writers in arrival order (store/gate.py)
            wait = None if self.wait_ms is None else self.wait_ms / 1000
            self._gate.acquire(wait)
        try:
            conn = self.engine.connect()
        except BaseException:
            self._leave_gate()
            raise
        if self.write:
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            if self.wait_ms is not None:
                conn = conn.execution_options(sqlite_busy_timeout_ms=self.wait_ms)
        self.conn = conn
        try:
            self._tx = conn.begin()
        except BaseException:  # e.g. SQLite busy: give the connection back before raising
            conn.close()
            self._leave_gate()
            raise
        self.repo = Repository(conn, self.ledger_hasher)
        return self

    def _leave_gate(self) -> None:
        if self._gate is not None:
            self._gate.release()
            self._gate = None

    def commit(self) -> None:
        self._tx.commit()

    def __exit__(self, *exc: object) -> None:
        try:
            if self._tx.is_active:
                self._tx.rollback()
            self.conn.close()
        finally:
            self._leave_gate()
            # ``writing()`` is for one transaction: the next ``with uow:`` reads again
            self.write, self.wait_ms = self._write_always, None

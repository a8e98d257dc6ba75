"""Repository and unit of work over the SQLAlchemy Core tables.

The unit of work owns one connection and one transaction; nothing is visible to others, and
nothing is acknowledged to a caller, until ``commit`` returns (and with SQLite
``synchronous=FULL`` / PostgreSQL ``synchronous_commit=on`` that means it is on disk).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, bindparam, exists, func, insert, or_, select, union, update
from sqlalchemy.engine import Connection

from cbec.errors import Conflict
from cbec.ledger import log as ledger_log
from cbec.ledger.merkle import Hasher
from cbec.store.caches import caches_of
from cbec.store.days import placed_between
from cbec.store.gate import gate_of
from cbec.store.group_commit import group_of
from cbec.store.idempotency_store import IdempotencyKeys
from cbec.store.key_store import KeyStore
from cbec.store.ledger_store import SqlLogStore
from cbec.store.prepared import Prepared
from cbec.store.reveal_store import RevealAudit
from cbec.store.tables import (
    api_keys,
    compliance_decisions,
    document_versions,
    documents,
    import_batches,
    tenants,
)
from cbec.store.visibility import DONE, reasons, shown, visible
from cbec.store.webhook_store import Outbox
from cbec.tenancy.access import Viewer
from cbec.tenancy.records import TenantRow
from cbec.tenancy.roles import Role
from cbec.trade.ports import StoredDocument, now

T = TypeVar("T")
R = TypeVar("R")

_filer = tenants.alias("filer")
# An alias builds its column collection on first use. Built by several threads at once (the
# first requests a server answers), SQLAlchemy 2.1.9 can hand one thread a column of another
# build, and that thread's join then finds "multiple FROMS which can join" (a 500, seen with
# eight concurrent tax charges). So it is built here, at import, before threads share it —
# as SQLAlchemy does for its own shared aliases (sqlalchemy#9777, #12302).
_filer.c  # noqa: B018

# The statements every filing runs, built once: building a statement costs more than SQLite
# takes to run it (~0.1-0.3 ms each, several per order; bench/filing.py). Values are bound
# at execution; SQL expressions are immutable, so threads share them.
_SELECT_DOCS = (
    select(documents, _filer.c.name.label("filer"), import_batches.c.state.label("bs"))
    .join(_filer, _filer.c.id == documents.c.filer_tenant_id)
    .outerjoin(import_batches, import_batches.c.id == documents.c.batch_id)
)
# The filing's natural-key read and its insert run on the DB-API cursor
# (:mod:`cbec.store.prepared`: Core's per-execution set-up costs more than SQLite's work).
_BY_KEYS = Prepared(
    _SELECT_DOCS.where(
        documents.c.kind == bindparam("kind"),
        documents.c.scope_tenant_id == bindparam("scope"),
        documents.c.co_scope_tenant_id == bindparam("co_scope"),
        documents.c.natural_key.in_(bindparam("keys", expanding=True)),
    )
)
_ADD_DOCUMENTS = Prepared(insert(documents))
_BY_ID = _SELECT_DOCS.where(documents.c.id == bindparam("doc_id"))


class Repository(IdempotencyKeys, RevealAudit):
    """The documents, tenants and keys of one transaction, with the evidence it appends;
    the idempotency records (:class:`~cbec.store.idempotency_store.IdempotencyKeys`) and
    the reveal audit (:class:`~cbec.store.reveal_store.RevealAudit`) are their own modules,
    mixed in on the same connection so that a use case reaches all of them as ``uow.repo``.
    """

    def __init__(self, conn: Connection, ledger_hasher: Hasher | None = None) -> None:
        self.conn = conn
        self.ledger_hasher = ledger_hasher
        self.added_tenants = False  # a tenant added here may yet be rolled back

    # --- evidence ---
    def append_evidence(self, items: Sequence[tuple[str, bytes]]) -> list[int | None]:
        """Append log entries in this transaction (they commit with the documents)."""
        if self.ledger_hasher is None:
            return [None] * len(items)
        return list(ledger_log.append(SqlLogStore(self.conn), self.ledger_hasher, items))

    # --- tenants and keys ---
    def tenant_by_name(self, name: str) -> TenantRow | None:
        """The tenant ``name``, from the engine's directory when it was read before
        (:mod:`cbec.store.caches`); a name not found is read again next time. A transaction
        that added tenants neither fills the directory nor trusts it: what it read of them
        is not committed yet."""
        directory = caches_of(self.conn.engine).tenants
        if not self.added_tenants and (known := directory.get(name)) is not None:
            return known
        row = self.conn.execute(select(tenants).where(tenants.c.name == name)).first()
        if row is None:
            return None
        found = TenantRow(row.id, row.name, Role(row.role), row.created_at)
        if not self.added_tenants:
            directory.put(found)
        return found

    def list_tenants(self) -> list[TenantRow]:
        rows = self.conn.execute(select(tenants).order_by(tenants.c.id))
        return [TenantRow(r.id, r.name, Role(r.role)) for r in rows]

    def add_tenant(self, name: str, role: Role, created_at: datetime | None = None) -> TenantRow:
        at = created_at or now()
        self.added_tenants = True
        row = {"name": name, "role": role.value, "created_at": at}
        result = self.conn.execute(insert(tenants).values(**row))
        return TenantRow(result.inserted_primary_key[0], name, role, at)

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
        return _SELECT_DOCS

    def find_by_keys(
        self, kind: str, scope_id: tuple[int, int], keys: Sequence[str]
    ) -> dict[str, StoredDocument]:
        out: dict[str, StoredDocument] = {}
        for i in range(0, len(keys), 500):
            params = {"kind": kind, "scope": scope_id[0], "co_scope": scope_id[1]}
            for row in _BY_KEYS.rows(self.conn, params | {"keys": list(keys[i : i + 500])}):
                out[row.natural_key] = self._doc(row)
        return out

    def add_documents(self, rows: Iterable[dict[str, Any]]) -> None:
        batch = list(rows)
        if batch:
            _ADD_DOCUMENTS.many(self.conn, batch)
            # the webhooks' outbox, in this transaction: no message for a rollback
            Outbox(self.conn).documents_filed(batch)

    def get_document(self, viewer: Viewer, kind: str, doc_id: str) -> StoredDocument | None:
        q = self._select_docs().where(visible(viewer, kind), documents.c.id == doc_id)
        row = self.conn.execute(q).first()
        return self._doc(row) if row else None

    def visible_ids(self, viewer: Viewer, kind: str, doc_ids: Iterable[str]) -> set[str]:
        """Which of ``doc_ids`` (of ``kind``) ``viewer`` may read: :meth:`get_document`'s
        rule for many ids at once (a carrier's feed names hundreds of waybills)."""
        wanted = sorted(set(doc_ids))
        out: set[str] = set()
        for i in range(0, len(wanted), 500):
            q = select(documents.c.id).where(
                documents.c.id.in_(wanted[i : i + 500]), visible(viewer, kind)
            )
            out.update(self.conn.scalars(q))
        return out

    def filed_keys(self, filer_tenant_id: int, kind: str, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` (natural keys of ``kind``) the tenant has filed (shown: a bulk
        import still under way is not counted)."""
        wanted = sorted(set(keys))
        out: set[str] = set()
        for i in range(0, len(wanted), 500):
            q = select(documents.c.natural_key).where(
                documents.c.filer_tenant_id == filer_tenant_id,
                documents.c.kind == kind,
                documents.c.natural_key.in_(wanted[i : i + 500]),
                shown(),
            )
            out.update(self.conn.scalars(q))
        return out

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
        row = self.conn.execute(_BY_ID, {"doc_id": doc_id}).first()
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
        placed_from: datetime | None = None,
        placed_to: datetime | None = None,
        before_seq: int | None = None,
        outcome: str | None = None,
    ) -> list[StoredDocument]:
        """A page of the visible documents: after ``after_seq`` oldest first, or — with
        ``before_seq`` — before it, newest first.

        Asked as one small query per reason the caller may read (its own filings, its sales,
        its platform's orders — :func:`cbec.store.visibility.reasons`), each walking its own
        ``(kind, tenant, seq)`` index in page order and stopping at ``limit`` rows, then the
        union of those few sequence numbers in page order. One query with the reasons OR-ed
        together cannot walk an index in order: it gathers every visible row and sorts them
        (a second per page for a tenant with 100,000 orders; ``bench/console.py``). A search
        by order number goes straight to the ``(kind, order_no)`` index instead; a narrow
        range of placing times, to the ``(kind, placed_at)`` one (``placed_between``)."""
        filters = [documents.c.kind == kind, shown(), documents.c.seq > after_seq]
        if before_seq is not None:
            filters.append(documents.c.seq < before_seq)
        if platform_id is not None:
            filters.append(documents.c.platform_tenant_id == platform_id)
        if seller_id is not None:
            filters.append(documents.c.seller_tenant_id == seller_id)
        if filer_id is not None:
            filters.append(documents.c.filer_tenant_id == filer_id)
        if created_from is not None:
            filters.append(documents.c.created_at >= created_from)
        if created_to is not None:
            filters.append(documents.c.created_at < created_to)
        if placed_from is not None or placed_to is not None:
            filters += placed_between(self.conn, kind, placed_from, placed_to)
        if outcome is not None:  # through the decisions' index on document_id
            filters.append(
                exists().where(
                    compliance_decisions.c.document_id == documents.c.id,
                    compliance_decisions.c.outcome == outcome,
                )
            )
        order = documents.c.seq.desc() if before_seq is not None else documents.c.seq
        if order_no is not None:  # a handful of rows at most, found by their number
            q = self._select_docs().where(
                *filters, documents.c.order_no == order_no, visible(viewer, kind)
            )
        else:
            pages = [
                select(documents.c.seq).where(*filters, reason).order_by(order).limit(limit)
                for reason in reasons(viewer, kind)
            ]
            each = [select(p.subquery().c.seq) for p in pages]
            seqs = union(*each) if len(each) > 1 else each[0]
            chosen = sorted(self.conn.scalars(seqs), reverse=before_seq is not None)
            rows = self._rows_at(chosen[:limit], newest_first=before_seq is not None)
            return [self._doc(r) for r in rows]
        q = q.order_by(order).limit(limit)
        return [self._doc(r) for r in self.conn.execute(q)]

    def _rows_at(self, seqs: list[int], *, newest_first: bool = False) -> list[Any]:
        """The rows of the documents of ``seqs`` (sequence numbers a page query chose), in
        page order, read by primary key in a statement of their own.

        Asked as ``seq IN (<the page query>)`` in one statement, PostgreSQL may plan the
        page query as the inner side of a nested loop over every document, run once per row
        of the table: on statistics that say a table just filled is empty (before autovacuum
        analyses it), the reconciliation page of 300 orders was seen taking two minutes
        instead of a fraction of a second. A list of numbers leaves it no such plan. Read
        500 at a time (``seqs`` come sorted in page order, so the chunks follow each other),
        as the other lists of keys are, within any SQLite's limit on bound values."""
        order = documents.c.seq.desc() if newest_first else documents.c.seq
        rows: list[Any] = []
        for i in range(0, len(seqs), 500):
            chunk = seqs[i : i + 500]
            q = self._select_docs().where(documents.c.seq.in_(chunk)).order_by(order)
            rows += self.conn.execute(q)
        return rows

    def documents_by_order(
        self,
        viewer: Viewer,
        kind: str,
        platform_id: int,
        order_nos: Iterable[str],
        per_order: int,
        *,
        shared: bool = False,
    ) -> dict[str, list[StoredDocument]]:
        """For each of ``order_nos``: what :meth:`list_documents` returns for ``order_no=n,
        platform_id=platform_id, limit=per_order`` (the first ``per_order`` visible, oldest
        first) — under the same visibility clause, but one query per 500 numbers instead of
        one per number (the dashboard reconciles 500 orders at a time). A number with no
        visible document has no entry; with ``shared``, neither has a number with only one
        (the duplicate check wants the others, not the order it already has)."""
        numbers = sorted(set(order_nos))
        out: dict[str, list[StoredDocument]] = {}
        for i in range(0, len(numbers), 500):
            rank = func.row_number().over(
                partition_by=documents.c.order_no, order_by=documents.c.seq
            )
            copies = func.count().over(partition_by=documents.c.order_no)
            firsts = (
                select(documents.c.seq, rank.label("rank"), copies.label("copies"))
                .where(
                    documents.c.kind == kind,
                    shown(),
                    documents.c.platform_tenant_id == platform_id,
                    documents.c.order_no.in_(numbers[i : i + 500]),
                    visible(viewer, kind),
                )
                .subquery()
            )
            wanted = select(firsts.c.seq).where(
                firsts.c.rank <= per_order, firsts.c.copies > (1 if shared else 0)
            )
            for row in self._rows_at(sorted(self.conn.scalars(wanted))):
                out.setdefault(row.order_no, []).append(self._doc(row))
        return out

    def count_documents(self) -> dict[str, int]:
        q = select(documents.c.kind, func.count()).where(shown()).group_by(documents.c.kind)
        return {k: n for k, n in self.conn.execute(q)}


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
        self.vault = self._vault = vault
        self.ledger = ledger
        self.settings = settings
        self.wait_ms: int | None = None
        self._open = False

    @property
    def base_vault(self) -> Any:
        """The process's vault itself, not bound to this unit of work (what the deployment's
        keys alone seal)."""
        return self._vault

    def _bind_vault(self, conn: Connection) -> None:
        """The vault reads person keys through this unit of work's connection."""
        if hasattr(self._vault, "with_persons"):
            from cbec.store.person_key_store import PersonKeyStore

            base = self._vault.with_persons(None)  # wraps and unwraps with the deployment key
            self.vault = self._vault.with_persons(PersonKeyStore(conn, base))

    def writing(self, wait_ms: int | None = None) -> UnitOfWork:
        """This unit of work, to be entered for writing (``with uow.writing(): …``).
        ``wait_ms=0`` makes a best-effort write: on SQLite it fails at once (``database is
        locked``) rather than wait behind another writer."""
        self.write = True
        self.wait_ms = wait_ms
        return self

    def __enter__(self) -> UnitOfWork:
        if self._open:
            # A nested ``with uow:`` would replace the connection and transaction of the
            # outer one, which then stays open (idle in transaction on PostgreSQL) until
            # its connection is collected: a use case called inside another must take the
            # entered unit of work, not enter it again.
            raise RuntimeError("this unit of work is already entered")
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
        self._open = True
        self._bind_vault(conn)
        return self

    def grouped(self, work: Callable[[UnitOfWork], T]) -> T:
        """``work(self)`` in a write transaction, committed when this returns. On SQLite the
        works of concurrent writers share one transaction and one fsync, each in a savepoint
        of its own (:mod:`cbec.store.group_commit`); elsewhere ``work`` has its own
        transaction — or, called within this unit of work (:meth:`read_then_write` on
        PostgreSQL), the one it is in, which its owner commits. ``work`` reads and writes
        through ``self`` and must not commit."""
        group = group_of(self.engine)
        if group is None:
            if self._open:  # within this unit of work's transaction (read_then_write)
                return work(self)
            with self.writing():
                result = work(self)
                self.commit()
            return result
        return group.run(self, work)

    def read_then_write(
        self, read: Callable[[UnitOfWork], R], write: Callable[[UnitOfWork, R], T]
    ) -> T:
        """``read(self)``, then ``write(self, what read returned)``, committed when this
        returns. On SQLite ``read`` has a read transaction of its own, so that what it does
        (validation, encryption, checks) waits for no writer and holds up none, and ``write``
        joins the group commit (:meth:`grouped`). On PostgreSQL, where reading takes no lock
        and the row locks come with the writes, both run in one transaction: a second one
        cost three round trips an order (the pool's ping, BEGIN, ROLLBACK)."""
        if group_of(self.engine) is not None:
            with self:
                found = read(self)
            return self.grouped(lambda uow: write(uow, found))
        with self.writing():
            found = read(self)
            result = self.grouped(lambda uow: write(uow, found))
            self.commit()
        return result

    def bind(self, conn: Connection) -> None:
        """Work on ``conn``, a transaction someone else opened and commits (a group's)."""
        self.conn = conn
        self.repo = Repository(conn, self.ledger_hasher)
        self._bind_vault(conn)

    @property
    def writers_waiting(self) -> int:
        """How many of this process's writers are queued at the gate behind this unit of
        work's write transaction (SQLite; always 0 on PostgreSQL, which has no gate): a long
        writer's cue to commit and let them in."""
        return self._gate.waiting if self._gate is not None else 0

    def _leave_gate(self) -> None:
        if self._gate is not None:
            self._gate.release()
            self._gate = None

    def commit(self) -> None:
        try:
            self._tx.commit()
        except BaseException:
            # not back to the pool half-way through a transaction (see store/group_commit.py)
            self.conn.invalidate()
            raise

    def __exit__(self, *exc: object) -> None:
        self._open = False
        try:
            if self._tx.is_active:
                self._tx.rollback()
            self.conn.close()
        finally:
            self._leave_gate()
            self.vault = self._vault
            # ``writing()`` is for one transaction: the next ``with uow:`` reads again
            self.write, self.wait_ms = self._write_always, None

"""The evidence ledger wired to the database: one object the API, CLI and server share."""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future

from sqlalchemy import Engine, text

from cbec.ledger import log
from cbec.ledger.bundle import Bundle, format_bundle
from cbec.ledger.lag import LagWatch
from cbec.ledger.log import CheckpointPolicy, Entry, LedgerError, StoredCheckpoint
from cbec.ledger.merkle import Hasher
from cbec.ledger.note import verifier_from_skey
from cbec.store.ledger_store import SqlLogStore, sqlite_proof_reader
from cbec.store.repository import UnitOfWork
from cbec.trade.ports import now

STEP = 50_000  # leaves integrated per transaction


class _GroupCommit:
    """Batches concurrent single appends into one transaction (group commit): each caller
    waits until the batch holding its entry has committed, so an index is only ever returned
    for a durable entry, while one fsync serves every entry in the batch."""

    def __init__(self, ledger: Ledger, max_batch: int = 10_000) -> None:
        self.ledger = ledger
        self.max_batch = max_batch
        self.queue: queue.SimpleQueue[tuple[tuple[str, bytes], Future[int]]] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="ledger-group-commit", daemon=True)
        self.thread.start()

    def submit(self, item: tuple[str, bytes]) -> Future[int]:
        future: Future[int] = Future()
        self.queue.put((item, future))
        return future

    def _run(self) -> None:
        while True:
            batch = [self.queue.get()]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            try:
                indexes = self.ledger.append([item for item, _ in batch])
            except Exception as exc:  # every waiter learns that its entry was not written
                for _, future in batch:
                    future.set_exception(exc)
                continue
            for (_, future), index in zip(batch, indexes, strict=True):
                future.set_result(index)


# Integrating and signing read the log's state and then write from it: two processes (the
# server's integrator and a CLI) must not both do it at once. SQLite's BEGIN IMMEDIATE already
# serialises writers; on PostgreSQL a transaction-scoped advisory lock does, released at
# commit or rollback.
_LOG_LOCK = 0x6362_6563_6C6F_67  # "cbeclog"


def _exclusive(uow: UnitOfWork) -> None:
    if uow.conn.dialect.name == "postgresql":
        uow.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOG_LOCK})


class Ledger:
    def __init__(
        self,
        engine: Engine,
        hasher: Hasher,
        origin: str,
        skey: str,
        policy: CheckpointPolicy,
        retired_vkeys: Sequence[str] = (),
    ) -> None:
        self.engine = engine
        self.hasher = hasher
        self.origin = origin
        self.skeys = [skey]
        # the signer's verifier key first, then the retired ones (checkpoints signed before a
        # rotation, cbec.services.key_rotation): every checkpoint the log holds verifies
        self.vkeys = [verifier_from_skey(skey), *retired_vkeys]
        self.policy = policy
        self._lock = threading.Lock()  # one integrator per process
        self._lock_group = threading.Lock()
        self._group: _GroupCommit | None = None
        # how long entries have waited for integration, fed by every reading of the state
        # (the integrator's rounds, metrics scrapes, readiness probes): cbec.ledger.lag
        self.watch = LagWatch()

    def _tx(self, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self.engine, write=write)

    def ensure(self) -> log.LogState:
        with self._tx(write=True) as uow:
            state = log.open_log(SqlLogStore(uow.conn), self.origin, self.hasher)
            uow.commit()
            return state

    def append_one(self, content_type: str, data: bytes) -> int:
        """Append one entry; returns its index once it is durable. Safe to call from many
        threads at once: concurrent calls share a transaction (group commit)."""
        with self._lock_group:
            if self._group is None:
                self._group = _GroupCommit(self)
        return self._group.submit((content_type, data)).result()

    def append(self, items: Sequence[tuple[str, bytes]]) -> list[int]:
        """Append entries in their own transaction; returns once they are durable."""
        with self._tx(write=True) as uow:
            indexes = log.append(SqlLogStore(uow.conn), self.hasher, items)
            uow.commit()
        return indexes

    def integrate(self, force_checkpoint: bool = False) -> StoredCheckpoint | None:
        """Fold appended entries into the tree; sign a checkpoint when the policy says so
        (or ``force_checkpoint``). Returns the new checkpoint, if one was signed."""
        with self._lock:
            if not force_checkpoint and self._idle():
                return None  # nothing appended, nothing due: take no write lock at all
            while True:  # one committed transaction per step: appenders never wait long
                with self._tx(write=True) as uow:
                    _exclusive(uow)
                    before, after = log.integrate(SqlLogStore(uow.conn), self.hasher, limit=STEP)
                    uow.commit()
                if after - before < STEP:
                    break
            return self._checkpoint_if_due(force_checkpoint)

    def _idle(self) -> bool:
        with self._tx() as uow:
            store = SqlLogStore(uow.conn)
            state = store.state()
            last = store.latest_checkpoint()
        if state is None:
            return True
        self.watch.observe(state.size, state.integrated, now())
        return state.size == state.integrated and not log.checkpoint_due(
            state, last, now(), self.policy
        )

    def _checkpoint_if_due(self, force_checkpoint: bool) -> StoredCheckpoint | None:
        with self._tx(write=True) as uow:
            _exclusive(uow)
            store = SqlLogStore(uow.conn)
            state = store.state()
            last = store.latest_checkpoint()
            cp = None
            if state is not None and (
                (force_checkpoint and (last is None or last.size != state.integrated))
                or log.checkpoint_due(state, last, now(), self.policy)
            ):
                cp = log.sign_next(store, self.hasher, self.skeys, self.vkeys, now())
            uow.commit()
            return cp

    def state(self) -> log.LogState | None:
        with self._tx() as uow:
            return SqlLogStore(uow.conn).state()

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        with self._tx() as uow:
            return SqlLogStore(uow.conn).latest_checkpoint()

    def checkpoint_at(self, size: int) -> StoredCheckpoint | None:
        with self._tx() as uow:
            return SqlLogStore(uow.conn).checkpoint(size)

    def entry(self, index: int) -> Entry | None:
        with self._tx() as uow:
            return SqlLogStore(uow.conn).entry(index)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """PATH(index, D[size]), read in one transaction: on SQLite through the DB-API
        (:func:`cbec.store.ledger_store.sqlite_proof_reader`), elsewhere in a unit of work."""
        if self.engine.dialect.name == "sqlite":
            with sqlite_proof_reader(self.engine) as reader:
                return log.inclusion_proof(reader, self.hasher, index, size)
        with self._tx() as uow:
            return log.inclusion_proof(SqlLogStore(uow.conn), self.hasher, index, size)

    def consistency_proof(self, size1: int, size2: int) -> list[bytes]:
        with self._tx() as uow:
            return log.consistency_proof(SqlLogStore(uow.conn), self.hasher, size1, size2)

    def bundle(self, index: int) -> str:
        """A c2sp.org/tlog-proof bundle for entry ``index`` against the latest checkpoint
        (integrating and checkpointing first if the entry is not covered yet)."""
        if index < 0:
            raise LedgerError(f"entry {index} is not in the log")
        cp = self.latest_checkpoint()
        if cp is None or cp.size <= index:
            cp = self.integrate(force_checkpoint=True) or self.latest_checkpoint()
        if cp is None or cp.size <= index:
            raise LedgerError(f"entry {index} is not in the log")
        with self._tx() as uow:
            store = SqlLogStore(uow.conn)
            entry = store.entry(index)
            proof = log.inclusion_proof(store, self.hasher, index, cp.size)
        assert entry is not None
        return format_bundle(Bundle(index, proof, cp.note, entry.data))

    def fsck(self) -> list[str]:
        with self._tx() as uow:
            return log.fsck(SqlLogStore(uow.conn), self.hasher, self.vkeys)

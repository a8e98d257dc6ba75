"""Bulk imports written in short transactions and shown all at once.

An import is all or nothing, and it must not hold the database while it writes: SQLite has
one writer at a time, so a 20,000-order import written in one transaction kept every other
tenant's single order waiting for its whole length. Instead its rows are written a chunk
per transaction (:class:`ChunkSizer`: :data:`CHUNK` documents while other writers wait,
more while none does), each document marked with the import's *batch*;
no one is shown a document of a batch until the batch is marked done, in one small
transaction at the end (:func:`cbec.store.repository.shown`). Between two chunks the other
writers get in, in arrival order (:mod:`cbec.store.gate`).

If the import cannot complete — a row conflicts with a stored document in all-or-nothing
mode, the connection drops, the process dies — the batch is **withdrawn**: one evidence
entry names the batch and the log entries of its documents and their checks (they were
appended chunk by chunk and the log never forgets), then the documents are deleted a chunk
at a time. Nobody was ever shown them. A batch left open by a process that died is
withdrawn by :func:`sweep` (the server runs it in the background) once it has not been
touched for :data:`STALE_AFTER`.

A key filed by a batch still in progress is refused to everyone else in its scope with
``import_in_progress`` (409): it may yet be withdrawn, so it is neither "the same" nor
"different" yet.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from cbec import collector
from cbec.errors import Busy
from cbec.services.checks import OrderChecks
from cbec.services.evidence import log_event
from cbec.store.batch_store import BatchStore
from cbec.store.repository import UnitOfWork
from cbec.store.visibility import DONE, OPEN, WITHDRAWN
from cbec.tenancy.access import Viewer
from cbec.trade import checking, filing
from cbec.trade.kinds import Kind
from cbec.trade.ports import now
from cbec.trade.report import BatchRejected, FilingReport, RowSet
from cbec.trade.validation import Row

CHUNK = 50
"""Documents per write transaction while other writers wait (:class:`ChunkSizer`): another
writer waits for one chunk's inserts at most (its checks, encryption and evidence entries
are made before the write lock). With 200, another tenant's single-order p99 during a
5,000-order import was 660 ms; with 50, 374 ms (``bench/http_orders.py --import-orders
5000``, the same hour on a loaded 2-core machine)."""

CHUNK_MOST = 500
"""The most documents one write transaction of an import takes, reached only while no other
writer waits for it (:class:`ChunkSizer`): a commit of 50 orders cost a sixth of an import
that nobody else was waiting on (an fsync, and a WAL checkpoint every third commit, in
``bench/ingest.py`` scenario 2); in chunks of 500 the same import ran 13–25 % faster. A
chunk is prepared whole before its transaction (validated documents, sealed rows, evidence
entries, decisions: ≈ 34 KB an order, so ≈ 17 MB)."""

HOLD_BUDGET_S = 0.05
"""How long an import's write transaction should hold the write lock: the size grows while a
transaction takes under half of it and shrinks while one takes longer. It bounds the wait of
writers the gate does not see — another process's (a ``cbec import`` beside the server) and,
on PostgreSQL, whoever needs the ledger's append lock — and of one arriving just after a
transaction began."""


class ChunkSizer:
    """How many documents an import's next write transaction takes.

    :data:`CHUNK` after a transaction that another writer of this process waited for (it is
    queued at the gate, :mod:`cbec.store.gate`): with the writer queue interleaving them,
    such a writer waits for one small chunk at most (issue #16's fairness point). Doubled, to
    at most :data:`CHUNK_MOST`, after one nobody waited for that held the lock under half of
    :data:`HOLD_BUDGET_S`; halved after one that held it longer. The limits are read when
    the sizer is made, so a test may set them."""

    def __init__(self) -> None:
        self.least = CHUNK
        self.most = max(CHUNK, CHUNK_MOST)
        self.budget_s = HOLD_BUDGET_S
        self.size = self.least

    def after(self, held_s: float, waiting: int) -> int:
        """The next size, after a transaction of :attr:`size` documents that held the write
        lock ``held_s`` seconds with ``waiting`` writers queued behind it at its commit."""
        if waiting:
            self.size = self.least
        elif held_s > self.budget_s:
            self.size = max(self.least, self.size // 2)
        elif held_s < self.budget_s / 2:
            self.size = min(self.most, self.size * 2)
        return self.size


STALE_AFTER = timedelta(minutes=2)
"""An open batch not touched for this long belongs to an import that died."""

IMPORTS_ENTRY_TYPE = "cbec.imports/v1"


def write_rows(
    uow: UnitOfWork,
    caller: Viewer,
    kind: Kind,
    rows: Iterable[Row],
    report: FilingReport,
    *,
    all_or_nothing: bool,
    skip: RowSet | None = None,
    kept: checking.Kept | None = None,
    finish: Callable[[UnitOfWork], dict[str, Any] | None] | None = None,
    progress: Callable[[UnitOfWork, FilingReport], None] | None = None,
) -> dict[str, Any] | None:
    """Write the good rows of ``rows`` as one batch and show it. ``finish`` runs in the
    transaction that shows the batch (an import stores its idempotency record there); if
    it returns an answer instead (the same Idempotency-Key was completed meanwhile), the
    batch is withdrawn and that answer returned. Raises :class:`BatchRejected` (after
    withdrawing) when an all-or-nothing batch met a rejected row. ``kept``: the rows a
    precheck kept validated (:func:`cbec.trade.checking.precheck_documents`); when it kept
    every good row, ``rows`` is not read at all. ``progress``
    runs in each chunk's write transaction, after the chunk (the console records rows done
    there, so a page reads progress that is exactly what was written)."""
    batch_id = uuid.uuid4().hex
    opened = False
    tenants: dict[str, Any] = {}
    source = kept.replay() if kept is not None and kept.complete else iter(rows)
    sizer = ChunkSizer()
    try:
        while True:
            # short-lived objects, no cycles: the collector waits for the chunk (cbec.collector)
            # and its objects are freed before it runs again, so its pass does not walk them
            with collector.paused():
                with uow:  # checked, sealed and decided before the write lock
                    chunk = checking.check_chunk(
                        uow.repo,
                        uow.vault,
                        caller,
                        kind,
                        source,
                        report,
                        tenants,
                        skip,
                        sizer.size,
                        kept,
                    )
                    checks = OrderChecks(uow)
                    prepared = filing.prepare_chunk(uow.vault, caller, kind, chunk, checks)
                if not chunk:
                    break
                with uow.writing():
                    began = time.monotonic()
                    at = now()
                    if opened:
                        BatchStore(uow.conn).touch(batch_id, at)
                    else:
                        BatchStore(uow.conn).open(batch_id, caller.tenant_id, kind.name, at)
                    filing.write_chunk(
                        uow.repo, uow.vault, caller, kind, chunk, report, checks, batch_id, prepared
                    )
                    if progress is not None:
                        progress(uow, report)
                    waiting = uow.writers_waiting
                    uow.commit()
                    sizer.after(time.monotonic() - began, waiting)
                opened = True
                del chunk, checks, prepared
        report.finish()
        if report.rejected_count and all_or_nothing:
            report.created.clear()
            raise BatchRejected(report)
        with uow.writing():
            if opened and BatchStore(uow.conn).get(batch_id).state != OPEN:
                raise Busy("import_withdrawn", {})  # swept as stale meanwhile
            answer = finish(uow) if finish is not None else None
            if answer is not None:
                uow.commit()  # nothing of ours in it: the batch is withdrawn below
            else:
                if opened:
                    BatchStore(uow.conn).close(batch_id, DONE)
                uow.commit()
                opened = False
        if answer is not None:
            raise _Replayed(answer)
        return None
    except _Replayed as replayed:
        if opened:
            withdraw(uow, batch_id)
        return replayed.answer
    except BaseException:
        if opened:
            withdraw(uow, batch_id)
        raise


class _Replayed(Exception):
    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer


def _ranges(indexes: list[int]) -> list[list[int]]:
    """Ascending log indexes as ``[first, last]`` runs."""
    out: list[list[int]] = []
    for i in indexes:
        if out and out[-1][1] == i - 1:
            out[-1][1] = i
        else:
            out.append([i, i])
    return out


def withdraw(uow: UnitOfWork, batch_id: str) -> None:
    """Withdraw an open batch: log it (which entries it withdraws), then delete its
    documents and their checks a chunk at a time. Safe to repeat: a withdrawn batch is only
    emptied further; a done one is left alone.

    Exactly once, whoever races: several sweepers (two integrators, a server and ``cbec
    ledger integrate --follow``, the import itself failing) may all find the same batch
    abandoned, and only the one whose conditional UPDATE turns it from open to withdrawn
    (:meth:`BatchStore.claim_withdrawal`) logs the withdrawal, in the same transaction."""
    with uow.writing():
        store = BatchStore(uow.conn)
        claimed = store.claim_withdrawal(batch_id)
        batch = store.get(batch_id)
        if batch is None or batch.state == DONE:
            return
        if claimed:
            entries = _ranges(store.entries(batch_id))
            index = log_event(
                uow,
                IMPORTS_ENTRY_TYPE,
                at=now(),
                tenants=[batch.tenant],
                body={
                    "batch": batch_id,
                    "kind": batch.kind,
                    "action": "withdrawn",
                    "entries": entries,
                },
            )
            store.close(batch_id, WITHDRAWN, index)
        uow.commit()
    while True:
        with uow.writing():
            deleted = BatchStore(uow.conn).drop_documents(batch_id, CHUNK)
            uow.commit()
        if deleted < CHUNK:
            return


def sweep(uow: UnitOfWork) -> int:
    """Withdraw the batches of imports that died (open and untouched for
    :data:`STALE_AFTER`) and finish emptying withdrawn ones; how many were handled."""
    with uow:
        stale = BatchStore(uow.conn).stale(now() - STALE_AFTER)
    for batch_id in stale:
        withdraw(uow, batch_id)
    return len(stale)

"""Group commit: the writes of concurrent requests in one SQLite transaction and one fsync.

SQLite in WAL mode with ``synchronous=FULL`` (:mod:`cbec.store.db`) syncs its log to disk at
every commit, and only one transaction writes at a time: requests that each commit alone
queue behind each other's fsync, so a busy server spends its time waiting for the disk, one
request per wait. Here the writers combine instead ("flat combining", Hendler, Incze, Shavit
and Tzafrir, SPAA 2010; the same idea as a database's group commit): each writer queues its
work, and the one that gets the write gate (:mod:`cbec.store.gate`) runs every work queued so
far in one transaction — each inside a SAVEPOINT of its own — commits once and hands each
writer its result or its error.

What each writer sees is what it would see alone:

* a work runs after the works queued before it, in the same transaction, so it reads their
  rows as it would after their commits: idempotency keys, natural keys and 409s are decided
  exactly as before;
* a work that raises is rolled back to its savepoint — nothing of it is written — and its
  writer gets the error; the others' works are unaffected (all-or-nothing per request);
* a writer is answered only after the commit that holds its work has returned, so nothing
  is acknowledged before it is durable; if that commit fails, every writer of the group gets
  the error and nothing of the group is written.

PostgreSQL already groups the log flushes of concurrent commits (its WAL writer flushes for
every backend waiting at that moment; ``commit_delay``), and it locks rows, not the
database: there each work keeps a transaction of its own (:func:`group_of` gives None).
"""

from __future__ import annotations

import contextvars
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import Connection, Engine

from cbec.errors import Busy
from cbec.store.gate import WriteGate, gate_of

if TYPE_CHECKING:
    from cbec.store.repository import UnitOfWork

T = TypeVar("T")

MAX_GROUP = 64
"""The most works one transaction takes: a bound on how long the last writer of a group waits
for the others' works (each a few milliseconds of Python) before its own commit."""


@dataclass(eq=False)
class _Work(Generic[T]):
    uow: UnitOfWork
    fn: Callable[[UnitOfWork], T]
    context: contextvars.Context = field(default_factory=contextvars.copy_context)
    taken: bool = False
    done: bool = False
    result: Any = None
    error: BaseException | None = None

    def outcome(self) -> T:
        if self.error is not None:
            raise self.error
        return self.result


class GroupCommit:
    """One engine's queue of works (see the module doc)."""

    def __init__(self, engine: Engine, gate: WriteGate) -> None:
        self._engine = weakref.ref(engine)
        self.gate = gate
        self._lock = threading.Lock()
        self._queue: list[_Work[Any]] = []
        self.groups = 0  # transactions committed (for tests and metrics)
        self.works = 0  # works committed in them

    def run(self, uow: UnitOfWork, fn: Callable[[UnitOfWork], T]) -> T:
        """``fn(uow)`` inside a write transaction, committed — maybe with other writers'
        works — before this returns. ``fn`` must not commit; its exception is raised here
        after its part alone was rolled back."""
        work: _Work[T] = _Work(uow, fn)
        with self._lock:
            self._queue.append(work)
        try:
            leading = self.gate.acquire(unless=lambda: work.done)
        except Busy:
            with self._lock:
                if not work.taken:  # no one started it: it is not written, say so
                    self._queue.remove(work)
                    raise
            leading = self.gate.acquire(float("inf"), unless=lambda: work.done)
        if leading:
            try:
                if not work.done:
                    self._lead()
            finally:
                self.gate.release()
        return work.outcome()

    def _lead(self) -> None:
        with self._lock:
            group, self._queue = self._queue[:MAX_GROUP], self._queue[MAX_GROUP:]
            for w in group:
                w.taken = True
        try:
            self._commit(group)
        except BaseException as exc:  # the commit (or the transaction) failed: nothing of it
            for w in group:
                w.result, w.error = None, exc
            raise
        finally:
            for w in group:
                w.done = True
            self.gate.wake()

    def _commit(self, group: list[_Work[Any]]) -> None:
        engine = self._engine()
        if engine is None:  # pragma: no cover - an engine disposed with writers waiting
            raise RuntimeError("engine disposed")
        with engine.connect() as conn:
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            try:
                with conn.begin() as tx:
                    if len(group) == 1:  # alone: its transaction is its savepoint
                        (w,) = group
                        w.uow.bind(conn)
                        try:
                            w.result = w.context.run(w.fn, w.uow)
                        except Exception as exc:  # nothing of it is written
                            tx.rollback()
                            w.error = exc
                            return
                        tx.commit()
                    else:
                        self._each_in_a_savepoint(conn, group)
                        tx.commit()
            except BaseException:
                # A connection whose transaction failed is not given back to the pool: were it
                # left inside the transaction, every later BEGIN on it would fail. Discarding
                # it closes it, and closing rolls back whatever it held.
                conn.invalidate()
                raise
        self.groups += 1
        self.works += len(group)

    @staticmethod
    def _each_in_a_savepoint(conn: Connection, group: list[_Work[Any]]) -> None:
        """Each work in a SAVEPOINT of its own, rolled back to if it raises. The savepoint
        statements go straight to the SQLite connection: through SQLAlchemy's
        ``begin_nested`` they cost ~0.2 ms a work, a tenth of a filing's own statements;
        the works are sequential, so one name serves them all, and a work's own nested
        savepoints (``begin_nested``) stack inside it (SQLite, "SAVEPOINT")."""
        sqlite = conn.connection.driver_connection
        assert sqlite is not None
        for w in group:
            sqlite.execute("SAVEPOINT cbec_work")
            w.uow.bind(conn)
            try:
                w.result = w.context.run(w.fn, w.uow)
            except Exception as exc:  # this writer's own failure: its part only
                sqlite.execute("ROLLBACK TO cbec_work")
                w.error = exc
            sqlite.execute("RELEASE cbec_work")


_GROUPS: weakref.WeakKeyDictionary[Engine, GroupCommit] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def group_of(engine: Engine) -> GroupCommit | None:
    """The engine's group commit (SQLite only; None for PostgreSQL)."""
    gate = gate_of(engine)
    if gate is None:
        return None
    with _LOCK:
        group = _GROUPS.get(engine)
        if group is None:
            group = _GROUPS[engine] = GroupCommit(engine, gate)
        return group

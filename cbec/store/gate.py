"""The write gate: one SQLite writer at a time in this process, served in arrival order.

SQLite lets one transaction write at a time; the others wait in its busy handler, which
sleeps and retries (1, 2, 5, … 100 ms). A bulk import that writes in short transactions
begins the next one microseconds after committing the last, so a writer that is asleep in
the busy handler almost never gets in: it starves until its timeout. The gate queues this
process's writers first-come first-served before ``BEGIN IMMEDIATE``, so a single order
waits for at most the transaction in progress, never for the whole import. (Writers in
other processes — a ``cbec import`` beside the server — still meet in SQLite's busy
handler.) PostgreSQL locks rows, not the database, and needs no gate.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import deque
from collections.abc import Callable

from sqlalchemy import Engine

from cbec.errors import Busy


class WriteGate:
    """A fair (FIFO) lock with a timeout."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._cond = threading.Condition()
        self._queue: deque[object] = deque()
        self._held = False

    def acquire(
        self, timeout_s: float | None = None, unless: Callable[[], bool] | None = None
    ) -> bool:
        """Wait for our turn; :class:`~cbec.errors.Busy` after ``timeout_s`` (default: the
        gate's, which is the database's busy timeout). With ``unless``, stop waiting and
        return False as soon as it holds (checked whenever the gate changes hands or
        :meth:`wake` is called): a writer whose work another did for it leaves the queue."""
        wait = self.timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + wait
        me = object()
        with self._cond:
            self._queue.append(me)
            while self._held or self._queue[0] is not me:
                if unless is not None and unless():
                    self._queue.remove(me)
                    self._cond.notify_all()
                    return False
                left = deadline - time.monotonic()
                if left <= 0:
                    self._queue.remove(me)
                    self._cond.notify_all()  # the next in line may be first now
                    raise Busy("busy", {})
                self._cond.wait(left)
            self._queue.popleft()
            self._held = True
            return True

    def wake(self) -> None:
        """Let waiters look at their ``unless`` again (a group commit has acknowledged)."""
        with self._cond:
            self._cond.notify_all()

    @property
    def waiting(self) -> int:
        """How many writers are queued (for tests and metrics)."""
        with self._cond:
            return len(self._queue)

    def release(self) -> None:
        with self._cond:
            self._held = False
            self._cond.notify_all()


_GATES: weakref.WeakKeyDictionary[Engine, WriteGate] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def gate_of(engine: Engine, timeout_s: float = 30.0) -> WriteGate | None:
    """The engine's write gate (SQLite only; None for PostgreSQL)."""
    if engine.dialect.name != "sqlite":
        return None
    with _LOCK:
        gate = _GATES.get(engine)
        if gate is None:
            gate = _GATES[engine] = WriteGate(timeout_s)
        return gate

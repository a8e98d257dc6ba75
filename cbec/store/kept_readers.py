"""Read connections to a SQLite database file kept open per thread, for reads many and tiny.

An inclusion proof is two small reads in one read transaction (the log's state, then its
≈ 20 nodes by key): ≈ 100 µs of SQLite work. Taking a connection from SQLAlchemy's pool and
giving it back added ≈ a fifth to that (``bench/ledger.py``: proofs at 0.49–0.54 of bare
DB-API reads of the same nodes through the pool, 0.63 on a connection kept open). So each
thread that serves proofs keeps one plain ``sqlite3`` connection of its own, outside the pool:

* **read-only**: ``PRAGMA query_only`` (SQLite refuses any write on it), opened without
  creating the file; a read transaction (``BEGIN`` … ``ROLLBACK``) sees one snapshot (WAL);
* **closed with the engine**: :meth:`KeptReaders.close_all` runs on SQLAlchemy's
  ``engine_disposed`` event, as the pool's own connections are closed. A restore disposes of
  the engine before it replaces the file, so no thread reads the old file afterwards: each
  opens the new one at its next use. A connection in use is closed when its read is over;
* **gone with its thread**: the connection lives in a ``threading.local``, freed when the
  thread ends (anyio retires idle worker threads); the registry only holds weak references.

Only file databases get readers (an in-memory database is private to its connection); any
other engine keeps reading through its pool.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from sqlalchemy import Engine, event


class _Kept:
    """One thread's connection and the lock that keeps it open while a read runs."""

    __slots__ = ("__weakref__", "closed", "conn", "lock")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.lock = threading.Lock()
        self.closed = False

    def close(self) -> None:
        with self.lock:  # waits for a read in progress on it
            if not self.closed:
                self.closed = True
                self.conn.close()


class KeptReaders:
    """Per-thread read-only connections to one SQLite file (see the module's text)."""

    def __init__(self, path: str, busy_timeout_s: float) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self._local = threading.local()
        self._open: weakref.WeakSet[_Kept] = weakref.WeakSet()
        self._guard = threading.Lock()

    def _connect(self) -> _Kept:
        # mode=rw: a file that is gone is an error, not created again (with the umask's
        # mode); not mode=ro, which cannot open a WAL database whose -shm file is missing.
        # query_only makes SQLite refuse writes on it instead.
        uri = f"file:{quote(self.path)}?mode=rw"
        conn = sqlite3.connect(
            uri,
            uri=True,
            timeout=self.busy_timeout_s,
            isolation_level=None,
            check_same_thread=False,  # closed by close_all from the disposing thread
        )
        conn.execute("PRAGMA query_only=ON")
        kept = _Kept(conn)
        with self._guard:
            self._open.add(kept)
        self._local.kept = kept
        return kept

    @contextmanager
    def cursor(self) -> Iterator[sqlite3.Cursor]:
        """A cursor in a read transaction on this thread's connection, rolled back after."""
        while True:
            kept = getattr(self._local, "kept", None)
            if kept is None or kept.closed:
                kept = self._connect()
            kept.lock.acquire()
            if not kept.closed:
                break
            kept.lock.release()  # closed between the look and the lock: open a new one
        try:
            cursor = kept.conn.cursor()
            try:
                cursor.execute("BEGIN")
                yield cursor
            finally:
                kept.conn.rollback()
                cursor.close()
        except sqlite3.Error:
            # whatever went wrong (a file gone, a disk error), the next read starts afresh
            kept.closed = True
            kept.conn.close()
            raise
        finally:
            kept.lock.release()

    def close_all(self) -> None:
        """Close every thread's connection (each after the read it is doing, if any)."""
        with self._guard:
            kept = list(self._open)
        for k in kept:
            k.close()

    def connections(self) -> list[sqlite3.Connection]:
        """The connections open now: threads that have read and not ended, since the last
        :meth:`close_all` (for the tests' statement tracing and counts)."""
        with self._guard:
            return [k.conn for k in self._open if not k.closed]


_READERS: weakref.WeakKeyDictionary[Engine, KeptReaders] = weakref.WeakKeyDictionary()


def keep_readers(engine: Engine, path: str, busy_timeout_s: float) -> KeptReaders:
    """Give ``engine`` (over the SQLite file ``path``) kept readers, closed when it is disposed."""
    readers = KeptReaders(path, busy_timeout_s)
    _READERS[engine] = readers
    event.listen(engine, "engine_disposed", lambda _engine: readers.close_all())
    return readers


def readers_of(engine: Engine) -> KeptReaders | None:
    """The kept readers of ``engine``, or None when it has none (not a SQLite file)."""
    return _READERS.get(engine)

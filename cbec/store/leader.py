"""Leader election: which one process, among the servers on one database, runs the
integrator (:mod:`cbec.services.integrator`).

``cbec serve --workers N`` starts N processes that each build the app; the integrator (ledger
integration, checkpoint signing, sweeps) must run in one of them. Each process's integrator
thread asks an :class:`Elector` to lead; the one that wins holds a lock for as long as it
lives, and the others ask again every few seconds. The lock is one the operating system or
the database ends with the holder, so a leader that dies — killed, out of memory — leaves
no stale claim and no lease to expire:

* PostgreSQL: a session-level ``pg_try_advisory_lock`` on a connection of its own, held for
  the leader's life. A dead process's connection closes and its session with it, which
  releases the lock. The key is a fixed class id and the hash of the schema the connection
  works in, so two deployments in two schemas of one database elect a leader each.
* SQLite: ``flock`` on a file beside the database file (``cbec.db.leader``), non-blocking.
  The kernel drops the lock when the process's descriptor closes, however it ends. Beside
  the database rather than in one data folder: every process that shares the file — whatever
  its ``CBEC_DATA_DIR`` — then competes for the same lock. The leader writes its pid in the
  file, for an operator's ``cat``.

Nothing here knows the web or the integrator; :func:`elector_for` picks the kind from the
engine.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, text

log = logging.getLogger("cbec.leader")

# The advisory lock's class id ("cbec" in ASCII, an int4); the object id is the schema's hash.
# A two-key lock lives in a space of its own (pg_locks.objsubid = 2), apart from the ledger's
# one-key transaction lock (cbec.store.ledger_service).
LOCK_CLASS = 0x6362_6563
LOCK_FILE_SUFFIX = ".leader"


class Elector(Protocol):
    """One process's claim to lead, asked by the integrator thread; :meth:`holds` may also be
    asked from another thread (a test, a health check)."""

    def try_lead(self) -> bool:
        """Take the lock if it is free, without waiting; True when this elector holds it
        (taken now or before)."""
        ...

    def holds(self) -> bool:
        """Whether the lock is still this elector's (on PostgreSQL: its session still lives;
        a restarted database has ended it, and another process may lead by now)."""
        ...

    def resign(self) -> None:
        """Let the lock go (no-op when not held); another process may take it."""
        ...


class FileElector:
    """``flock(LOCK_EX | LOCK_NB)`` on ``path``: one holder among every process of the
    machine that opens that file (a lock belongs to an open file description, so two
    electors in one process exclude each other too)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def try_lead(self) -> bool:
        import fcntl

        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # BlockingIOError: another process leads
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return True

    def holds(self) -> bool:
        return self._fd is not None

    def resign(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the only descriptor drops the lock


class PostgresElector:
    """A session-level advisory lock on a connection kept for the leader's life."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None
        self._lock = threading.RLock()  # one connection, never used by two threads at once

    def try_lead(self) -> bool:
        with self._lock:
            return self._try_lead()

    def _try_lead(self) -> bool:
        if self._conn is not None:
            return True
        conn = self.engine.connect()
        try:
            won = conn.execute(
                text("SELECT pg_try_advisory_lock(:cls, hashtext(current_schema()))"),
                {"cls": LOCK_CLASS},
            ).scalar_one()
            conn.commit()  # end the transaction the query began; the session lock stays
        except Exception:
            conn.invalidate()
            conn.close()
            raise
        if not won:
            conn.close()
            return False
        self._conn = conn
        return True

    def holds(self) -> bool:
        with self._lock:
            if self._conn is None:
                return False
            try:
                self._conn.execute(text("SELECT 1"))
                self._conn.commit()
                return True
            except Exception:
                log.warning("the leader's database session ended; leading no more")
                self.resign()
                return False

    def resign(self) -> None:
        with self._lock:
            if self._conn is not None:
                conn, self._conn = self._conn, None
                # Unlock first: a closed connection's backend ends after the client has
                # moved on, and its locks only with it, so another elector asking at once
                # could still find the lock held. The unlock answers once it is free.
                try:
                    conn.execute(
                        text("SELECT pg_advisory_unlock(:cls, hashtext(current_schema()))"),
                        {"cls": LOCK_CLASS},
                    )
                    conn.commit()
                except Exception:  # the session is gone already, and its lock with it
                    log.debug("unlock on resign failed; the session has ended", exc_info=True)
                # invalidate rather than return to the pool: closing the session releases
                # the lock whatever state it is in, and no pooled connection keeps a lock
                conn.invalidate()
                conn.close()


def lock_file(engine: Engine, data_dir: Path) -> Path:
    """The SQLite lock file: beside the database file, or in ``data_dir`` for a database
    in memory."""
    database = engine.url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        return Path(database + LOCK_FILE_SUFFIX)
    return data_dir / f"integrator{LOCK_FILE_SUFFIX}"


def elector_for(engine: Engine, data_dir: Path) -> Elector:
    """The elector for the engine's database: an advisory lock on PostgreSQL, a file lock
    on SQLite."""
    if engine.dialect.name == "postgresql":
        return PostgresElector(engine)
    return FileElector(lock_file(engine, data_dir))

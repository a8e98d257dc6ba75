"""Engines and schema upgrades.

SQLite runs in WAL mode with ``synchronous=FULL`` — a commit is fsync'd before it returns, so
an acknowledged write survives a crash or power loss (NORMAL would only survive a process
crash) — and write transactions start with ``BEGIN IMMEDIATE`` so concurrent writers queue on
the busy timeout instead of failing on a lock upgrade. PostgreSQL keeps its durable defaults
(``synchronous_commit=on``).
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
from functools import cache
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError

from cbec.store.kept_readers import keep_readers
from cbec.store.prepared import forget_cursor, run_text

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")
# SQLite connections kept open (and as many more opened under load, closed on return):
# anyio runs at most 40 request threads at once
SQLITE_POOL = 20
# WAL pages a commit may leave before it checkpoints them into the database file (SQLite's
# default: 1,000, 4 MB). A bulk import wrote about 7 KB an order when this was measured (4 KB
# since decisions share their fired entries), so at the default nearly
# every 500-order transaction also copied the WAL back and synced the database file, writing
# the same hot index pages again each time; at 10,000 pages (40 MB) a checkpoint comes every
# few transactions and writes each page once (bench: an import of 10,000 orders ≈ 12 %
# faster). Every commit still syncs the WAL (synchronous=FULL): durability is unchanged.
SQLITE_WAL_CHECKPOINT_PAGES = 10_000


def make_engine(url: str, busy_timeout_ms: int = 30_000) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # psycopg prepares a statement on the server after its fifth run on a connection, and
        # forgets every prepared statement at a ROLLBACK — each read-only unit of work ends
        # with one — sending DEALLOCATE ALL before the connection's next statement: a round
        # trip an order, and statements prepared again and again. Off: each statement is
        # parsed with its parameters in the one round trip it takes anyway.
        engine = create_engine(
            url, pool_size=10, max_overflow=20, connect_args={"prepare_threshold": None}
        )
        _ping_when_idle(engine)
        event.listen(engine, "checkin", forget_cursor)
        return engine
    pool: dict[str, int] = {}
    if parsed.database and parsed.database != ":memory:":
        _create_private(Path(parsed.database))
        # A connection per request thread kept open: the default pool (5 + 10 overflow)
        # closed every connection past the fifth on return, so under 16 concurrent requests
        # most of them opened the file again and ran the four PRAGMAs below each time.
        pool = {"pool_size": SQLITE_POOL, "max_overflow": SQLITE_POOL}
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        **pool,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA wal_autocheckpoint={SQLITE_WAL_CHECKPOINT_PAGES}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.close()

    event.listen(engine, "checkin", forget_cursor)
    if parsed.database and parsed.database != ":memory:":
        keep_readers(engine, parsed.database, busy_timeout_ms / 1000)

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        options = conn.get_execution_options()
        # A best-effort write (``sqlite_busy_timeout_ms=0``) gives up at once when another
        # writer holds the lock instead of queueing; the connection remembers its setting
        # (in the pool's per-connection ``info``), so the common case costs no extra statement.
        wait = int(options.get("sqlite_busy_timeout_ms", busy_timeout_ms))
        info = conn.connection.info
        if info.get("busy_timeout_ms", busy_timeout_ms) != wait:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={wait}")
            info["busy_timeout_ms"] = wait
        run_text(conn, f"BEGIN {options.get('sqlite_begin', 'DEFERRED')}")

    return engine


# A pooled PostgreSQL connection idle this long is asked whether it still works before use.
PING_AFTER_IDLE_S = 1.0
_IDLE_SINCE = "cbec_idle_since"  # when it came back to the pool, in its record's ``info``


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use when it has been idle :data:`PING_AFTER_IDLE_S`
    or longer, instead of before every use (``pool_pre_ping``: a round trip of each
    transaction's, one in fifteen of a filing's). A connection the server dropped — a
    restart, a failover, an idle time-out — has been idle through it, so it is still found
    and replaced before a request sees it (SQLAlchemy's pessimistic disconnect handling, with
    a checkout event raising ``DisconnectionError``: the pool makes a new connection and
    tries again). One broken while in use fails its statement either way, and SQLAlchemy then
    replaces every connection older than the failure."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_conn, record) -> None:
        record.info[_IDLE_SINCE] = monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_conn, record, _proxy) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None or monotonic() - since < PING_AFTER_IDLE_S:
            return  # just connected, or back from use a moment ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as e:
            if engine.dialect.is_disconnect(e, dbapi_conn, None):
                raise DisconnectionError(str(e)) from e
            raise


def _create_private(path: Path) -> None:
    """Create the database file readable and writable by its owner only (0600), before
    SQLite creates it with the umask's mode (often 0644: readable by every local user). SQLite
    gives its ``-wal`` and ``-shm`` files the database file's mode. An existing file is left
    as its owner set it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def alembic_config() -> Config:
    """Alembic's configuration for cbec's migrations (run on a connection given in
    ``cfg.attributes["connection"]``, see ``migrations/env.py``)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def check_schema(conn: Connection, script: ScriptDirectory | None = None) -> None:
    """Refuse a database whose schema revision this program's migrations (``script``) do not
    know: a newer release wrote it (or it is not cbec's). Upgrading would fail half-way or,
    worse, serve on tables this program has never heard of; the operator runs the newer
    release or restores the backup taken before it upgraded (README, *Upgrades*). Every
    migration run checks this first (``migrations/env.py``)."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from cbec.errors import SchemaTooNew

    script = script or ScriptDirectory.from_config(alembic_config())
    current = MigrationContext.configure(conn).get_current_heads()
    known = {r.revision for r in script.walk_revisions()}
    unknown = sorted(set(current) - known)
    if unknown:
        raise SchemaTooNew(", ".join(unknown), ", ".join(script.get_heads()))


_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*(.+)$", re.M)
_DOWN_REVISION = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", re.M)


def script_heads() -> frozenset[str] | None:
    """The migrations' head revisions, read from each file's ``revision`` and
    ``down_revision`` lines without importing Alembic (a third of a CLI command's start);
    None when a file does not spell them as literals. ``tests/system/test_migrations.py``
    holds it equal to Alembic's own heads."""
    return _heads_in(MIGRATIONS / "versions")


@cache
def _heads_in(versions: Path) -> frozenset[str] | None:
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        if path.name == "__init__.py":
            continue
        text = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(text), _DOWN_REVISION.search(text)
        try:
            revision = ast.literal_eval(rev[1].strip()) if rev else None
            parent = ast.literal_eval(down[1].strip()) if down else None
        except (ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        if isinstance(parent, str):
            parents.add(parent)
        elif isinstance(parent, tuple | list):
            parents.update(parent)
        elif parent is not None:
            return None
    return frozenset(revisions - parents) or None


def at_head(engine: Engine) -> bool:
    """Whether the database's schema is at this program's head revision, read from
    Alembic's version table with one SELECT (False when it cannot tell: no table yet, a
    revision unknown — Alembic then decides)."""
    heads = script_heads()
    if heads is None:
        return False
    with engine.connect() as conn:
        try:
            current = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        except DBAPIError:
            return False
    return frozenset(r[0] for r in current) == heads


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest Alembic revision — unless the database is
    at a revision newer than this program knows (:func:`check_schema`). A database already
    at the head is left as it is without Alembic (:func:`at_head`). (Alembic is imported
    here, not at the top: programs that import the store without migrating skip it.)"""
    if at_head(engine):
        return
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def refresh_statistics(engine: Engine) -> None:
    """``ANALYZE`` on PostgreSQL after a bulk load or a restore (the PostgreSQL manual,
    "Populating a Database": run ANALYZE afterwards). Until autovacuum gets to them, the
    planner judges tables just filled by the statistics of the empty ones and may walk a
    wrong index once per row of a page (the pages' statements are shaped so that it cannot
    do worse: :meth:`~cbec.store.repository.Repository._rows_at`). On SQLite nothing: its
    planner works without statistics, and ``sqlite_stat1`` would change its plans."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()

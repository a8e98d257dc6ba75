"""The database side of ``cbec admin backup`` / ``restore`` (:mod:`cbec.services.backup`):
each dialect's native tool for a consistent copy, and the facts a manifest records, read from
the same snapshot the copy is.

- SQLite: the online backup API (https://sqlite.org/backup.html, Python's
  ``sqlite3.Connection.backup``) copies every page in one step inside one read transaction,
  so the copy is one committed state while writers carry on (WAL mode: readers do not block
  writers). The manifest's facts are then read from the copy, not the live file.
- PostgreSQL: ``pg_dump -Fc`` runs in one REPEATABLE READ snapshot
  (https://www.postgresql.org/docs/current/app-pgdump.html). The snapshot is exported by a
  transaction of ours (``pg_export_snapshot()``) that reads the facts and stays open while
  ``pg_dump --snapshot`` dumps exactly what it saw; ``pg_restore --single-transaction``
  loads it all or nothing.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, MetaData, create_engine, func, select, text
from sqlalchemy.engine import make_url

from cbec.ledger.log import root
from cbec.ledger.merkle import HASHERS
from cbec.store.ledger_store import SqlLogStore
from cbec.store.snapshot import SKIPPED, revision_of


class ToolFailed(Exception):
    """``pg_dump`` or ``pg_restore`` exited non-zero (its standard error is the message)."""


def dialect_of(url: str) -> str:
    return make_url(url).get_backend_name()


def sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ToolFailed("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def read_only_engine(path: Path) -> Engine:
    """An engine on a SQLite copy that cannot change it (no WAL switch, no -wal file)."""
    return create_engine(f"sqlite:///file:{quote(str(path))}?mode=ro&uri=true")


def copy_sqlite(source: Path, dest: Path) -> None:
    """Copy a SQLite database page by page in one step (one consistent state) into ``dest``,
    then make ``dest`` a self-contained file (rollback journal, not WAL) and fsync it."""
    if not source.is_file():
        raise ToolFailed(f"{source} does not exist")
    src = sqlite3.connect(source)  # read-write: a read-only one may not open a WAL file
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)  # pages=-1: everything in one step, under one read lock
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()
    _fsync(dest)


def load_sqlite(backup: Path, target: Path) -> None:
    """Copy the backup's pages into the (empty) target database with the backup API: the
    target's own journal makes the copy all or nothing."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not target.exists():
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    src = sqlite3.connect(f"file:{quote(str(backup))}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")  # as cbec runs it (cbec.store.db)
    finally:
        dst.close()
        src.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URI for the PostgreSQL tools, the password in ``PGPASSWORD``
    (an argument would show in ``ps``)."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    dsn = parsed.set(drivername="postgresql", password=None)
    return dsn.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise ToolFailed(f"{args[0]} is not installed (Debian: postgresql-client)") from exc
    if done.returncode != 0:
        raise ToolFailed(f"{args[0]}: {done.stderr.strip() or f'exit {done.returncode}'}")


@contextmanager
def pg_snapshot(engine: Engine) -> Iterator[tuple[Connection, str]]:
    """A read-only REPEATABLE READ transaction and the id of its exported snapshot, held
    open for ``pg_dump --snapshot`` (the export lives as long as the transaction)."""
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            yield conn, snapshot


def pg_dump(url: str, snapshot: str, dest: Path) -> None:
    dsn, env = _libpq(url)
    _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "--snapshot", snapshot,
          "-f", str(dest), "-d", dsn], env)  # fmt: skip
    _fsync(dest)


def pg_restore(url: str, dump: Path) -> None:
    dsn, env = _libpq(url)
    _run(["pg_restore", "--exit-on-error", "--single-transaction", "--no-owner",
          "--no-privileges", "-d", dsn, str(dump)], env)  # fmt: skip


def tables_in(engine: Engine) -> list[str]:
    """The tables of the database (empty: a database a restore may load into)."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        return sorted(inspect(conn).get_table_names())


def facts(conn: Connection) -> dict[str, Any]:
    """What a manifest records of a database, read on ``conn`` (one snapshot): its revision,
    rows per table, the evidence ledger's size, integrated root and latest checkpoint, the
    recorded key fingerprints and the data directory files its rows name."""
    md = MetaData()
    md.reflect(conn)
    counts = {
        name: conn.execute(select(func.count()).select_from(md.tables[name])).scalar_one()
        for name in sorted(md.tables)
        if name not in SKIPPED
    }
    keys = [
        {
            "purpose": r.purpose,
            "fingerprint": r.fingerprint,
            "kid": r.kid,
            "retired": r.retired_at is not None,
        }
        for r in conn.execute(
            text("SELECT purpose, fingerprint, kid, retired_at FROM deployment_keys ORDER BY id")
        )
    ]
    files = sorted(
        f"screening/{p}" for (p,) in conn.execute(text("SELECT DISTINCT path FROM screening_lists"))
    )
    return {
        "revision": revision_of(conn),
        "tables": counts,
        "ledger": ledger_facts(conn),
        "keys": keys,
        "data_files": files,
    }


def ledger_facts(conn: Connection) -> dict[str, Any] | None:
    store = SqlLogStore(conn)
    state = store.state()
    if state is None:
        return None
    hasher = HASHERS[state.hash_name]
    cp = store.latest_checkpoint()
    return {
        "origin": state.origin,
        "hash": state.hash_name,
        "size": state.size,
        "integrated": state.integrated,
        "root": root(store, hasher, state.integrated).hex(),
        "checkpoint": None
        if cp is None
        else {"size": cp.size, "root": cp.root.hex(), "note": cp.note},
    }

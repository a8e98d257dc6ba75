"""Empty databases of their own for the tests that build a schema step by step (upgrades,
the migration stairway, a schema from a newer release), on the suite's backend: the
session's database keeps its schema for every other test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from cbec.store.db import alembic_config, make_engine
from tests.conftest import ON_POSTGRES, PG_URL


@contextmanager
def empty_database(tmp_path: Path, name: str) -> Iterator[str]:
    """The URL of a new, empty database: a SQLite file under ``tmp_path``, or on PostgreSQL
    a database ``<the suite's>_<name>`` on the suite's server, dropped afterwards (whoever
    still holds a connection to it is disconnected)."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / name}.db"
        return
    url = make_url(PG_URL)
    database = f"{url.database}_{name}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")

    def drop() -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    drop()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
    try:
        yield url.set(database=database).render_as_string(hide_password=False)
    finally:
        drop()
        admin.dispose()


@contextmanager
def schema_of_its_own(tmp_path: Path, schema: str) -> Iterator[Engine]:
    """An engine on an empty database of its own: a SQLite file under ``tmp_path``, or on
    PostgreSQL the schema ``schema`` of the suite's database (made afresh, dropped
    afterwards), which the engine's connections search first. For the migration tests
    that load rows into an old revision and upgrade them."""
    if not ON_POSTGRES:
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    admin = make_engine(PG_URL)
    drop = text(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    with admin.begin() as conn:
        conn.execute(drop)
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    engine = make_engine(f"{PG_URL}{sep}options=-csearch_path%3D{schema}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(drop)
        admin.dispose()


def migrate(engine: Engine, target: str, down: bool = False) -> None:
    """Upgrade (or downgrade) the schema to the revision ``target`` with cbec's migrations."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, target)

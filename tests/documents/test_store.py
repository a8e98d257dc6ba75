"""The store: migrations build exactly the declared schema; SQLite is set up for durability."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from cbec.store.db import upgrade
from cbec.store.tables import metadata, tenants
from tests.conftest import ON_POSTGRES


def test_migrations_match_declared_tables(rt):
    upgrade(rt.engine)  # running it again is a no-op
    with rt.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite pragmas")
def test_sqlite_is_wal_with_full_sync(rt):
    with rt.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 10_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_times_round_trip_as_aware_utc(rt):
    shanghai = timezone(timedelta(hours=8))
    t = datetime(2026, 3, 1, 10, 0, 0, 123456, tzinfo=shanghai)
    with rt.engine.begin() as conn:
        conn.execute(tenants.insert().values(name="t-time", role="seller", created_at=t))
        back = conn.execute(select(tenants.c.created_at).where(tenants.c.name == "t-time")).scalar()
    assert back == t and back.tzinfo is not None
    assert back.astimezone(UTC).hour == 2


def test_naive_times_are_refused(rt):
    with pytest.raises(Exception, match="naive"), rt.engine.begin() as conn:
        conn.execute(
            tenants.insert().values(name="t-naive", role="seller", created_at=datetime(2026, 1, 1))
        )


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's single-writer lock")
def test_write_lock_held_elsewhere_answers_503_not_500(rt, parties, rng):
    import sqlite3

    from fastapi.testclient import TestClient

    from cbec.api.app import create_app
    from cbec.runtime import open_runtime
    from tests.conftest import make_order, sqlite_path

    impatient = open_runtime(rt.settings.model_copy(update={"sqlite_busy_timeout_ms": 200}))
    holder = sqlite3.connect(sqlite_path(rt.settings.resolved_database_url()), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with TestClient(create_app(impatient)) as client:
            order = make_order(rng, 1)
            r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
            assert r.status_code == 503
            assert r.headers["Retry-After"] == "1"
            assert r.json()["code"] == "busy"
            holder.execute("ROLLBACK")
            r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
            assert r.status_code == 201
    finally:
        holder.close()
        impatient.engine.dispose()

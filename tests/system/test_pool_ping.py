"""PostgreSQL connections are pinged before use only after being idle
(``cbec.store.db.PING_AFTER_IDLE_S``), not before every transaction — and a connection the
server dropped while it was idle is still replaced before anyone uses it.

The pings are read off the wire (libpq's protocol trace: the pool's ping is an empty
statement, ``;``); the idle time is the pool's clock (``cbec.store.db.monotonic``), moved by
the test, so nothing waits for time to pass. A dropped connection is made the way a server
restart or an idle time-out makes one: ``pg_terminate_backend`` on its backend, waited for.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg import pq
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

import cbec.store.db as db
from tests.conftest import ON_POSTGRES, PG_URL

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's connection pool")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(db, "monotonic", c)
    return c


@pytest.fixture
def engine(clock) -> Iterator[Engine]:
    e = db.make_engine(PG_URL)
    try:
        yield e
    finally:
        e.dispose()


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _pings(engine: Engine, trace: Path, work) -> int:
    """The empty statements (the pool's pings) sent on the pool's one connection while
    ``work`` runs."""
    with engine.connect() as conn:  # the one pooled connection, traced from here on
        dbapi = conn.connection.dbapi_connection
    with trace.open("w") as sink:
        dbapi.pgconn.trace(sink.fileno())
        dbapi.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            work()
        finally:
            dbapi.pgconn.untrace()
    lines = trace.read_text().splitlines()
    return sum(1 for line in lines if line.startswith("F\t") and '\tQuery\t ";"' in line)


def test_a_connection_back_from_use_a_moment_ago_is_not_pinged(engine, clock, tmp_path):
    pid = _backend_pid(engine)

    def three_transactions() -> None:
        for _ in range(3):
            clock.now += db.PING_AFTER_IDLE_S / 10
            assert _backend_pid(engine) == pid

    assert _pings(engine, tmp_path / "t", three_transactions) == 0


def test_a_connection_idle_for_a_while_is_pinged_once_before_use(engine, clock, tmp_path):
    pid = _backend_pid(engine)

    def after_a_pause() -> None:
        clock.now += db.PING_AFTER_IDLE_S
        assert _backend_pid(engine) == pid  # pinged, still good, the same connection
        assert _backend_pid(engine) == pid  # just used: not pinged again

    assert _pings(engine, tmp_path / "t", after_a_pause) == 1


def _terminate(pid: int) -> None:
    """End backend ``pid`` from another connection and wait until it has gone."""
    other = db.make_engine(PG_URL)
    try:
        with other.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:p, 30000)"), {"p": pid}).scalar()
    finally:
        other.dispose()


def test_a_connection_dropped_while_idle_is_replaced_before_use(engine, clock):
    pid = _backend_pid(engine)
    _terminate(pid)
    clock.now += db.PING_AFTER_IDLE_S  # idle through the drop, as through any restart
    new = _backend_pid(engine)  # no error: the ping found it dropped, the pool reconnected
    assert new != pid
    assert _backend_pid(engine) == new


def test_a_connection_dropped_a_moment_after_use_fails_once_then_the_pool_recovers(engine, clock):
    """The price of not pinging every time: a drop in the instant between two uses reaches
    the next statement — as a drop during a statement always does — and only it."""
    pid = _backend_pid(engine)
    _terminate(pid)
    with pytest.raises(DBAPIError) as raised:
        _backend_pid(engine)
    assert raised.value.connection_invalidated
    assert _backend_pid(engine) != pid

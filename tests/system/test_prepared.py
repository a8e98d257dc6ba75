"""Statements run on the DB-API cursor (:mod:`cbec.store.prepared`) behave as Core runs them:
the same values in and out (the column types' processors), the same SQL seen by the
engine's cursor events, the same exceptions — on SQLite and, with ``CBEC_DATABASE_URL``, on
PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    event,
    exc,
    insert,
    select,
    update,
)

from cbec.store import prepared
from cbec.store.db import make_engine
from cbec.store.prepared import MAX_EXPANDED, Prepared, run_text
from cbec.store.tables.base import UTCDateTime
from tests.conftest import PG_URL
from tests.statements import statements

md = MetaData()
things = Table(
    f"prepared_{uuid.uuid4().hex[:8]}",  # a table of its own on a shared PostgreSQL database
    md,
    Column("id", Integer, primary_key=True),
    Column("tenant", Integer, nullable=False),
    Column("ref", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("at", UTCDateTime, nullable=True),
    Column("amount", String(32), nullable=True),  # a Decimal as text
    Column("body", Text, nullable=True),  # JSON text
    Column("raw", LargeBinary, nullable=True),
    Column("live", Boolean, nullable=False),
)
T = things.c
defaulted = Table(
    f"prepared_d_{uuid.uuid4().hex[:8]}",
    md,
    Column("id", Integer, primary_key=True),
    Column("n", Integer, nullable=False, default=lambda: 7),  # computed by Core per row
)

ADD = Prepared(insert(things))
BY_REFS = Prepared(
    select(T.id, T.ref, T.at, T.amount, T.body.label("doc"), T.raw, T.live)
    .where(T.tenant == bindparam("tenant"), T.ref.in_(bindparam("refs", expanding=True)))
    .order_by(T.id)
)
PRODUCTS = Prepared(select(T.ref).where(T.kind == "product").order_by(T.ref))  # a fixed value
BUMP = Prepared(
    update(things)
    .where(T.ref == bindparam("the_ref"))
    .values(tenant=T.tenant + bindparam("by"))
    .returning(T.tenant, T.at)
)
RETIRE = Prepared(update(things).where(T.tenant == bindparam("t")).values(live=False))

SHANGHAI = timezone(timedelta(hours=8))
AT = datetime(2026, 12, 6, 12, 30, 15, 123456, tzinfo=SHANGHAI)  # 04:30:15.123456 UTC


def _row(i: int, **extra) -> dict:
    return {
        "tenant": i % 3,
        "ref": f"r{i:03d}",
        "kind": "product" if i % 4 == 0 else "order",
        "at": AT + timedelta(minutes=i),
        "amount": f"{i}.10",
        "body": f'{{"n": {i}, "名": "耳机"}}',
        "raw": bytes([i % 256, 0, 255]),
        "live": True,
    } | extra


DIALECTS = ["sqlite"] + (["postgresql"] if PG_URL.startswith("postgresql") else [])


@pytest.fixture(params=DIALECTS)
def engine(request, tmp_path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'p.db'}" if request.param == "sqlite" else PG_URL
    engine = make_engine(url)
    md.create_all(engine)
    with engine.begin() as conn:
        ADD.many(conn, [_row(i) for i in range(100)])
    try:
        yield engine
    finally:
        md.drop_all(engine)
        engine.dispose()


def test_values_go_in_and_come_out_as_core_would_read_and_write_them(engine):
    with engine.begin() as conn:
        ADD.run(conn, _row(500, at=None, amount=None, body=None, raw=None, live=False))
        rows = BY_REFS.rows(conn, {"tenant": 2, "refs": ["r005", "r500", "r999"]})
    assert [r.ref for r in rows] == ["r005", "r500"]
    five, empty = rows
    # 12:30:15 in Shanghai plus five minutes, read back as the same instant in UTC
    assert five.at == datetime(2026, 12, 6, 4, 35, 15, 123456, tzinfo=UTC)
    assert five.at.tzinfo is UTC
    assert (five.amount, five.doc, five.raw, five.live) == (
        "5.10",
        '{"n": 5, "名": "耳机"}',
        b"\x05\x00\xff",
        True,
    )
    assert five._mapping["doc"] == five[4] == five.doc  # a Row: key, index and attribute
    assert (empty.at, empty.amount, empty.doc, empty.raw, empty.live) == (
        None,
        None,
        None,
        None,
        False,
    )
    with engine.connect() as conn:  # what Core reads back is what was written
        core = conn.execute(BY_REFS.statement, {"tenant": 2, "refs": ["r005", "r500"]}).all()
    assert [tuple(r) for r in core] == [tuple(r) for r in rows]


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, MAX_EXPANDED, MAX_EXPANDED + 6])
def test_in_lists_of_every_length_find_what_they_name(engine, n):
    refs = [f"r{i:03d}" for i in range(0, 2 * n, 2)]  # r000, r002, … (some past r099)
    expected = [r for r in refs if int(r[1:]) < 100 and int(r[1:]) % 3 == 1]
    with engine.begin() as conn:
        found = [r.ref for r in BY_REFS.rows(conn, {"tenant": 1, "refs": refs})]
    assert found == expected


def test_a_value_fixed_in_the_statement_is_bound(engine):
    with engine.begin() as conn:
        assert [r.ref for r in PRODUCTS.rows(conn)] == [f"r{i:03d}" for i in range(0, 100, 4)]


def test_update_returning_and_row_counts(engine):
    with engine.begin() as conn:
        row = BUMP.first(conn, {"the_ref": "r010", "by": 40})
        assert (row.tenant, row.at) == (41, datetime(2026, 12, 6, 4, 40, 15, 123456, tzinfo=UTC))
        assert BUMP.first(conn, {"the_ref": "nope", "by": 1}) is None
        assert RETIRE.run(conn, {"t": 2}) == 33  # 2, 5, …, 98
        live = conn.execute(select(T.ref).where(T.live.is_(False))).scalars().all()
    assert len(live) == 33 and "r002" in live and "r010" not in live


def test_a_unique_violation_raises_sqlalchemys_integrity_error_and_a_savepoint_recovers(engine):
    with engine.begin() as conn:
        for attempt in (
            lambda: ADD.run(conn, _row(7)),
            lambda: ADD.many(conn, [_row(200), _row(7)]),
        ):
            savepoint = conn.begin_nested()
            with pytest.raises(exc.IntegrityError) as raised:
                attempt()
            savepoint.rollback()
            assert raised.value.statement.startswith(f"INSERT INTO {things.name} ")
        ADD.run(conn, _row(300))  # the transaction goes on
    with engine.connect() as conn:
        refs = set(conn.execute(select(T.ref).where(T.ref.in_(["r200", "r300"]))).scalars())
    assert refs == {"r300"}  # the failed batch left nothing, the later insert committed


def test_a_naive_datetime_is_refused_as_core_refuses_it(engine):
    with engine.begin() as conn:
        with pytest.raises(exc.StatementError) as raised:
            ADD.run(conn, _row(400, at=datetime(2026, 12, 6, 4, 0)))
        assert "naive datetime" in str(raised.value)


def test_the_engines_cursor_events_see_the_statements_core_would_send(engine):
    params = {"tenant": 0, "refs": ["r000", "r003", "r006"]}
    with engine.begin() as conn, statements(engine) as seen:
        conn.execute(BY_REFS.statement, params).all()
        BY_REFS.rows(conn, params)
        ADD.many(conn, [_row(600), _row(601)])
        BUMP.first(conn, {"the_ref": "r600", "by": 1})
    core, fast, added, bumped = seen
    assert fast == core
    assert added.startswith(f"INSERT INTO {things.name} ")
    assert bumped.startswith(f"UPDATE {things.name} ")


def test_a_connection_not_yet_in_a_transaction_runs_through_core(engine):
    begun = []

    def on_begin(conn) -> None:
        begun.append(conn)

    event.listen(engine, "begin", on_begin)
    try:
        with engine.connect() as conn:
            assert not conn.in_transaction()
            assert [r.ref for r in BY_REFS.rows(conn, {"tenant": 0, "refs": ["r000"]})] == ["r000"]
            assert conn.in_transaction() and len(begun) == 1  # Core began it (autobegin)
    finally:
        event.remove(engine, "begin", on_begin)


def test_a_statement_with_python_side_defaults_runs_through_core_and_gets_them(engine):
    add = Prepared(insert(defaulted))
    with engine.begin() as conn, statements(engine) as seen:
        add.run(conn, {"id": 1})
        add.run(conn, {"id": 2, "n": 9})
        add.many(conn, [{"id": 3}, {"id": 4}])
        rows = conn.execute(select(defaulted).order_by(defaulted.c.id)).all()
    assert [tuple(r) for r in rows] == [(1, 7), (2, 9), (3, 7), (4, 7)]
    assert len(seen) == 4  # three inserts (the last an executemany) and the read


def test_a_text_runs_as_exec_driver_sql_runs_it(tmp_path):
    """``run_text`` (the SQLite ``BEGIN`` of every transaction): the cursor events see it as
    they see Core's ``exec_driver_sql``, and a statement SQLite refuses raises what Core
    raises."""
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    try:
        with engine.connect() as conn:
            with statements(engine) as seen:
                conn.exec_driver_sql("SAVEPOINT core_sent")  # begins: BEGIN DEFERRED
                run_text(conn, "SAVEPOINT text_sent")
                run_text(conn, "RELEASE text_sent")
                conn.exec_driver_sql("RELEASE core_sent")
            conn.rollback()
            assert seen == [
                "BEGIN DEFERRED",
                "SAVEPOINT core_sent",
                "SAVEPOINT text_sent",
                "RELEASE text_sent",
                "RELEASE core_sent",
            ]
            with pytest.raises(exc.OperationalError) as core:
                conn.exec_driver_sql("RELEASE nowhere")
            conn.rollback()
            conn.exec_driver_sql("SELECT 1")
            with pytest.raises(exc.OperationalError) as fast:
                run_text(conn, "RELEASE nowhere")
            conn.rollback()
            assert str(fast.value.orig) == str(core.value.orig)
            assert fast.value.statement == core.value.statement == "RELEASE nowhere"
            writing = conn.execution_options(sqlite_begin="IMMEDIATE")
            with statements(engine) as seen:
                writing.exec_driver_sql("SELECT 1")
            conn.rollback()
            assert seen == ["BEGIN IMMEDIATE", "SELECT 1"]
    finally:
        engine.dispose()


def test_statements_share_one_cursor_while_checked_out_and_none_is_kept_idle(engine):
    """One cursor per connection while it is checked out (making a psycopg cursor costs about
    as much as running a short statement on it); a failed statement's cursor, closed by the
    error handling, is not used again; at check-in the cursor and the rows it last held go."""
    cursors: list = []  # the cursors the table's statements ran on, in order

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        if things.name in statement:
            cursors.append(cursor)

    params = {"tenant": 0, "refs": ["r000", "r003"]}
    event.listen(engine, "before_cursor_execute", note)
    try:
        with engine.begin() as conn:
            record = conn.connection._connection_record
            BY_REFS.rows(conn, params)
            BY_REFS.rows(conn, params)
            ADD.run(conn, _row(700))
            assert len(cursors) == 3 and cursors[0] is cursors[1] is cursors[2]
            savepoint = conn.begin_nested()
            with pytest.raises(exc.IntegrityError):
                ADD.run(conn, _row(700))
            savepoint.rollback()
            BY_REFS.rows(conn, params)
            assert len(cursors) == 5 and cursors[3] is cursors[0] and cursors[4] is not cursors[3]
        assert not any(c in record.info.values() for c in cursors)  # none kept while idle
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_a_texts_plan_is_made_once(tmp_path, monkeypatch):
    """Each transaction's ``BEGIN`` is a :func:`run_text`: its plan (and the parameter
    function compiled for it, ≈ 12 µs) is made at its first run, not at every one."""
    made: list[tuple] = []
    real = prepared._args_function
    monkeypatch.setattr(prepared, "_args_function", lambda *a: made.append(a) or real(*a))
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    try:
        for _ in range(5):
            with engine.connect() as conn:
                run_text(conn, "SAVEPOINT once_made")
                run_text(conn, "RELEASE once_made")
                conn.rollback()
        assert len(made) <= 3  # BEGIN DEFERRED, the savepoint and its release: once each
    finally:
        engine.dispose()

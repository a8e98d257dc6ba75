"""The read connections kept per thread (:mod:`cbec.store.kept_readers`): read-only, one per
thread, freed with their thread, closed with the engine — so that after a restore replaces
the database file no thread goes on reading the old one."""

from __future__ import annotations

import os
import sqlite3
import threading

import pytest

from cbec.store.db import make_engine
from cbec.store.kept_readers import readers_of


def _file_with(path, value: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE t (v TEXT)")
        conn.execute("INSERT INTO t VALUES (?)", (value,))
    conn.close()


def _read(readers) -> str:
    with readers.cursor() as cur:
        return cur.execute("SELECT v FROM t").fetchone()[0]


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (v TEXT)")
        conn.exec_driver_sql("INSERT INTO t VALUES ('a')")
    yield engine
    engine.dispose()


def test_only_file_databases_get_kept_readers(engine):
    assert readers_of(engine) is not None
    memory = make_engine("sqlite://")
    try:
        assert readers_of(memory) is None  # an in-memory database is its connection's own
    finally:
        memory.dispose()


def test_a_kept_reader_refuses_writes_and_a_failed_read_starts_afresh(engine):
    readers = readers_of(engine)
    assert _read(readers) == "a"
    (first,) = readers.connections()
    with pytest.raises(sqlite3.OperationalError, match="readonly"), readers.cursor() as cur:
        cur.execute("INSERT INTO t VALUES ('b')")
    assert readers.connections() == []  # dropped after the error
    assert _read(readers) == "a"
    assert readers.connections() != [first]
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 1


def test_a_reader_sees_each_committed_write_at_its_next_read(engine):
    readers = readers_of(engine)
    assert _read(readers) == "a"
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE t SET v = 'a2'")
    assert _read(readers) == "a2"  # a read transaction each time, not one held open


def test_one_connection_per_thread_freed_with_the_thread(engine):
    readers = readers_of(engine)
    n = 4
    all_read, done = threading.Barrier(n + 1), threading.Event()
    seen: list[str] = []

    def reader() -> None:
        seen.append(_read(readers))
        seen.append(_read(readers))  # the same connection again
        all_read.wait()
        done.wait()

    threads = [threading.Thread(target=reader) for _ in range(n)]
    for t in threads:
        t.start()
    all_read.wait()
    assert len(readers.connections()) == n
    done.set()
    for t in threads:
        t.join()  # a thread's locals are freed before join returns: no collection needed
    assert readers.connections() == []
    assert seen == ["a"] * 2 * n


def test_disposing_of_the_engine_closes_them_so_a_replaced_file_is_read(engine, tmp_path):
    readers = readers_of(engine)
    assert _read(readers) == "a"
    (kept,) = readers.connections()
    # as a restore does: the engine disposed of, then the database file replaced (here by
    # another file renamed over it: a new inode, which an open connection would not see)
    engine.dispose()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        kept.execute("SELECT 1")
    other = tmp_path / "b.db"
    _file_with(other, "b")
    target = tmp_path / "a.db"
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"a.db{suffix}").unlink(missing_ok=True)
    os.replace(other, target)
    assert _read(readers) == "b"
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT v FROM t").scalar() == "b"


def test_a_file_gone_is_an_error_and_is_not_created_again(engine, tmp_path):
    readers = readers_of(engine)
    engine.dispose()
    for name in ("a.db", "a.db-wal", "a.db-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    with pytest.raises(sqlite3.OperationalError), readers.cursor():
        pass
    assert not (tmp_path / "a.db").exists()

"""Leader election (cbec.store.leader) and the integrator's use of it
(cbec.services.integrator.lead), in one process: two electors on the suite's database — an
advisory lock on PostgreSQL, a file lock beside the SQLite file — one wins, the other loses
until the winner lets go; a leader whose database session is ended loses the lead; of two
integrator threads only the leader integrates, and the other takes over when it stops."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text

from cbec.services import integrator
from cbec.store.leader import FileElector, PostgresElector, elector_for
from cbec.store.tables import ledger_checkpoints
from tests.conftest import ON_POSTGRES
from tests.waiting import wait_for

WAIT_LIMIT = 60.0  # bounds a hang only


def electors(rt):
    return elector_for(rt.engine, rt.settings.data_dir), elector_for(
        rt.engine, rt.settings.data_dir
    )


def test_the_kind_follows_the_database(rt):
    first, _ = electors(rt)
    assert isinstance(first, PostgresElector if ON_POSTGRES else FileElector)


def test_one_wins_the_other_wins_once_it_lets_go(rt):
    a, b = electors(rt)
    try:
        assert a.try_lead() and a.holds()
        assert a.try_lead()  # asking again while leading keeps the lead
        assert not b.try_lead() and not b.holds()
        assert not b.try_lead()  # and asking again does not steal it
        a.resign()
        assert not a.holds()
        assert b.try_lead() and b.holds()
        assert not a.try_lead()
    finally:
        a.resign()
        b.resign()


def test_the_lead_passes_back_and_forth_at_once(rt):
    """A resigned lead is free the moment resign returns: on PostgreSQL a closed session's
    backend ends after the client has moved on, so resign unlocks before it closes."""
    a, b = electors(rt)
    try:
        for _ in range(25):
            assert a.try_lead() and not b.try_lead()
            a.resign()
            assert b.try_lead() and not a.try_lead()
            b.resign()
    finally:
        a.resign()
        b.resign()


def test_a_closed_lock_file_is_free_again(tmp_path):
    """The file lock dies with its descriptor, as with a killed process: no stale claim."""
    path = tmp_path / "cbec.db.leader"
    a, b = FileElector(path), FileElector(path)
    assert a.try_lead()
    assert path.read_text().strip().isdigit()  # the leader's pid, for an operator
    assert not b.try_lead()
    a.resign()
    assert b.try_lead()
    b.resign()


@pytest.mark.skipif(not ON_POSTGRES, reason="a database session to end (PostgreSQL)")
def test_a_leader_whose_session_ends_leads_no_more(rt):
    a, b = electors(rt)
    try:
        assert a.try_lead()
        backend = a._conn.execute(text("SELECT pg_backend_pid()")).scalar_one()  # type: ignore[union-attr]
        a._conn.commit()  # type: ignore[union-attr]
        with rt.engine.connect() as conn:
            # with a timeout it returns once the backend has exited (PostgreSQL 14+), and
            # its locks with it; without, the signal is only sent and the test raced it
            ended = conn.execute(
                text("SELECT pg_terminate_backend(:p, 30000)"), {"p": backend}
            ).scalar_one()
            assert ended
            conn.commit()
        assert b.try_lead()  # the session's end released the lock
        assert not a.holds()  # and the old leader notices
    finally:
        a.resign()
        b.resign()


def checkpoint_sizes(rt) -> list[int]:
    with rt.engine.connect() as conn:
        return list(conn.scalars(select(ledger_checkpoints.c.size).order_by("size")))


def test_of_two_integrator_threads_one_leads_and_the_other_takes_over(rt, monkeypatch):
    monkeypatch.setattr(integrator, "interval_s", lambda _rt: 0.02)
    a, b = electors(rt)
    stop_a, stop_b = threading.Event(), threading.Event()
    run_a = threading.Thread(target=integrator.lead, args=(rt, stop_a, a, 0.02))
    run_a.start()
    wait_for("the first thread to lead", a.holds)
    run_b = threading.Thread(target=integrator.lead, args=(rt, stop_b, b, 0.02))
    run_b.start()
    try:
        rt.ledger.append([("text/plain", b"one")])
        wait_for("a checkpoint of 1 entry", lambda: 1 in checkpoint_sizes(rt))
        assert a.holds() and not b.holds()
        stop_a.set()
        run_a.join(timeout=WAIT_LIMIT)
        assert not a.holds()  # a stopped leader lets go of the lock
        wait_for("the second thread to lead", b.holds)
        rt.ledger.append([("text/plain", b"two")])
        wait_for("a checkpoint of 2 entries", lambda: 2 in checkpoint_sizes(rt))
    finally:
        stop_a.set()
        stop_b.set()
        run_a.join(timeout=WAIT_LIMIT)
        run_b.join(timeout=WAIT_LIMIT)
    assert not b.holds()


def test_an_integrator_stopped_while_it_asks_lets_go_and_does_not_lead(rt, caplog):
    """A server shutting down while its integrator waits for the election's answer (a
    connection slow to come) neither starts leading nor keeps the lock."""
    a, b = electors(rt)
    stop = threading.Event()

    class Slow:
        def try_lead(self) -> bool:
            won = a.try_lead()
            stop.set()  # the server stops while the answer is on its way
            return won

        def holds(self) -> bool:
            return a.holds()

        def resign(self) -> None:
            a.resign()

    caplog.set_level("INFO", logger=integrator.log.name)
    integrator.lead(rt, stop, Slow(), 0.01)  # returns: it was stopped
    assert not a.holds()
    assert b.try_lead()  # the lock is free for another
    b.resign()
    assert not [r for r in caplog.records if "leads" in r.getMessage()]

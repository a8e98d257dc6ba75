"""``cbec serve --workers 2``: two uvicorn worker processes on one database, one of which —
the leader, elected through a lock (cbec.store.leader) — runs the integrator. Orders posted
to the server get their inclusion proofs; exactly one process holds the lock; when the
leader is killed (SIGKILL, no goodbye) the other worker or the one uvicorn starts in its
place takes over, and orders posted afterwards are integrated too. SQLite and PostgreSQL.

The oracles are outside the server's word: the worker processes are read from ``/proc``
(the supervisor's children), the lock holder from ``pg_locks`` on PostgreSQL or by trying
the lock file from this process on SQLite, and an order counts as integrated when its
answer carries an inclusion proof. Each wait polls its condition with a deadline."""

from __future__ import annotations

import os
import random
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from cbec.store.leader import LOCK_CLASS, FileElector, lock_file
from tests.conftest import ON_POSTGRES, make_order
from tests.serverproc import running_server, settings_env
from tests.waiting import wait_for

pytestmark = pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="reads /proc (Linux)")

WAIT_LIMIT = 180.0  # bounds a hang only: each wait ends as soon as its condition holds
LEADS = re.compile(r"integrator leader: process (\d+) leads")


def workers_of(pid: int) -> set[int]:
    """The supervisor's worker processes: its children started by multiprocessing's spawn
    (not its resource tracker)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"spawn_main" in cmdline:
                found.add(child)
    return found


def leaders_said(log: Path) -> list[int]:
    """The pids that logged taking the lead, in order."""
    return [int(pid) for pid in LEADS.findall(log.read_text(errors="replace"))]


def lock_holders(rt) -> int:
    """How many processes hold the leader's lock, seen from outside the server."""
    if ON_POSTGRES:
        with rt.engine.connect() as conn:
            return conn.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND classid = :cls AND objsubid = 2"
                    " AND database = (SELECT oid FROM pg_database"
                    "                 WHERE datname = current_database())"
                ),
                {"cls": LOCK_CLASS},
            ).scalar_one()
    probe = FileElector(lock_file(rt.engine, rt.settings.data_dir))
    if probe.try_lead():
        probe.resign()
        return 0
    return 1


@contextmanager
def serving(env: dict[str, str], log: Path, workers: int = 2) -> Iterator[tuple[str, int]]:
    """``cbec serve --workers N``: (its URL, the supervisor's pid). Stopped with SIGTERM, as
    a service manager does, which stops the workers too; any worker still there afterwards
    is killed by its pid and fails the test."""
    with running_server(env, args=["--workers", str(workers)], log=log) as (url, proc):
        seen: set[int] = set()
        try:
            yield url, proc.pid
        finally:
            seen = workers_of(proc.pid)
            proc.terminate()
            proc.wait(timeout=WAIT_LIMIT)
            left = {pid for pid in seen if Path(f"/proc/{pid}").exists()}
            for pid in left:
                os.kill(pid, signal.SIGKILL)
            assert not left, f"workers left running after SIGTERM: {left}"


def post_orders(url: str, party, rng: random.Random, first: int, n: int) -> list[str]:
    """File ``n`` orders, each on a new connection (a connection to a killed worker is
    gone), and return their ids."""
    ids = []
    for i in range(first, first + n):
        r = httpx.post(f"{url}/orders", json=make_order(rng, i), headers=party.headers, timeout=60)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids


def all_proven(url: str, party, ids: list[str]) -> bool:
    for doc_id in ids:
        r = httpx.get(f"{url}/orders/{doc_id}", headers=party.headers, timeout=60)
        assert r.status_code == 200, r.text
        if not r.json()["ledger"].get("inclusion_proof"):
            return False
    return True


def test_two_workers_integrate_through_one_leader_and_a_successor(rt, parties, tmp_path):
    env = settings_env(rt.settings) | {"CBEC_LEDGER_CHECKPOINT_INTERVAL_MS": "100"}
    log = tmp_path / "serve.log"
    seller, rng = parties["seller-a"], random.Random(16)
    with serving(env, log) as (url, supervisor):
        workers = wait_for("two workers", lambda: len(w := workers_of(supervisor)) == 2 and w)
        ids = post_orders(url, seller, rng, 0, 6)
        wait_for("the orders' inclusion proofs", lambda: all_proven(url, seller, ids))
        (leader,) = leaders_said(log)
        assert leader in workers
        assert lock_holders(rt) == 1

        os.kill(leader, signal.SIGKILL)
        successors = wait_for(
            "another process to lead", lambda: [p for p in leaders_said(log) if p != leader]
        )
        assert len(successors) == 1, successors
        later = post_orders(url, seller, rng, 6, 6)
        wait_for("inclusion proofs under the new leader", lambda: all_proven(url, seller, later))
        replaced = wait_for(
            "uvicorn to replace the killed worker",
            lambda: len(w := workers_of(supervisor)) == 2 and leader not in w and w,
        )
        assert successors[0] in replaced
        assert lock_holders(rt) == 1
    assert lock_holders(rt) == 0  # SIGTERM stopped the leader, which let the lock go

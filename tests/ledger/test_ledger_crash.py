"""SIGKILL the log writer at random moments, many times; after each restart every
acknowledged entry is there, nothing half-written is visible, the tree re-derives.

The kill is timed from the worker's own lines, not from its start: the test waits until the
worker says ``ready`` and has acknowledged a (seeded random) number of appends, then kills it
after a further random pause, which lands in the middle of an append or an integration. So
every round kills a worker that has written something, however slowly the machine starts
Python, and the total acknowledged is known in advance (each round's first appends are fixed
by the worker's seed), not a matter of machine speed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from cbec.config import Settings
from cbec.ledger import merkle
from cbec.ledger.compact import CompactRange
from cbec.runtime import open_runtime
from cbec.store.tables import ledger_entries
from tests.conftest import ON_POSTGRES, PG_URL, TEST_KEY_SETTINGS, cbec_env, reset_postgres
from tests.waiting import wait_for

WORKER = Path(__file__).resolve().parents[1] / "ledger_crash_worker.py"
# Not a timing budget: only how long to wait for a line before calling the worker stuck.
STUCK = 300.0


class WorkerLines:
    """Reads the worker's standard output on a thread: whether it said ``ready``, how many
    appends it acknowledged and the last index acknowledged; waits for either."""

    def __init__(self, proc: subprocess.Popen, acked: int) -> None:
        self.proc = proc
        self.ready = False
        self.acks = 0
        self.last = acked
        self.ended = False
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.changed:
                if line == "ready\n":
                    self.ready = True
                elif line.startswith("ack "):
                    self.acks += 1
                    self.last = max(self.last, int(line.split()[2]))
                self.changed.notify_all()
        with self.changed:
            self.ended = True
            self.changed.notify_all()

    def wait_for_acks(self, count: int) -> None:
        """Block until the worker is ready and has acknowledged ``count`` appends."""
        with self.changed:
            self.changed.wait_for(
                lambda: self.ended or (self.ready and self.acks >= count), timeout=STUCK
            )
            if not (self.ready and self.acks >= count):
                state = "exited" if self.ended else f"silent for {STUCK:.0f} s"
                raise AssertionError(
                    f"worker {state} after {self.acks} acks (ready: {self.ready}): "
                    + (self.proc.stderr.read() if self.ended else "")
                )


WORKER_APP = "cbec-crash-worker"


def _worker_gone(url: str):
    from sqlalchemy import create_engine, text

    def probe() -> bool:
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                n = conn.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :a"),
                    {"a": WORKER_APP},
                ).scalar()
        finally:
            engine.dispose()
        return n == 0

    return probe


def test_sigkill_at_random_points_never_loses_or_half_writes(tmp_path):
    url = PG_URL if ON_POSTGRES else f"sqlite:///{tmp_path / 'crash.db'}"
    if ON_POSTGRES:
        reset_postgres(url)
    settings = Settings(data_dir=tmp_path, database_url=url, **TEST_KEY_SETTINGS)
    # libpq names the worker's connections, so the test can wait for them to end (below)
    env = {**cbec_env(settings), "PATH": "/usr/bin:/bin", "PGAPPNAME": WORKER_APP}
    if "PYTHONPATH" in os.environ:  # the worker imports the cbec under test, not another
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    open_runtime(settings).engine.dispose()  # create the schema and the secrets file once
    rng = random.Random(2026)
    acked = -1
    rounds = 10
    for round_no in range(rounds):
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), str(round_no)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines = WorkerLines(proc, acked)
        lines.wait_for_acks(rng.randint(1, 4))
        time.sleep(rng.uniform(0.0, 0.5))  # where the kill lands, not whether work was done
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=STUCK)
        lines.thread.join(timeout=STUCK)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
        acked = lines.last
        if ON_POSTGRES:
            # The kill ends the client, not its server backend: a COMMIT the worker sent just
            # before it may still be running (slow on a loaded machine) and lands after the
            # checks below began reading — a checkpoint newer than the state they read. The
            # worker's writes are over once its backends are gone.
            wait_for("the killed worker's PostgreSQL backends to end", _worker_gone(url))

        rt = open_runtime(settings)
        state = rt.ledger.state()
        with rt.engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(ledger_entries)).scalar()
            top = conn.execute(select(func.max(ledger_entries.c.idx))).scalar()
            # every entry holds exactly what was appended at its index
            for idx, data in conn.execute(select(ledger_entries.c.idx, ledger_entries.c.data)):
                assert bytes(data) == f"e{idx}".encode()
        assert state.size >= acked + 1, f"round {round_no}: acknowledged {acked}, size {state.size}"
        assert count == state.size, "gap or partial batch"
        assert top is None or top == state.size - 1, "gap or partial batch"
        assert state.integrated <= state.size
        cp = rt.ledger.integrate(force_checkpoint=True) or rt.ledger.latest_checkpoint()
        assert rt.ledger.fsck() == [], f"round {round_no}"
        expected = CompactRange()  # in-memory reference, itself checked against RFC vectors
        expected.extend(merkle.leaf_hash(f"e{i}".encode()) for i in range(state.size))
        assert cp.size == state.size and cp.root == expected.root()
        rt.engine.dispose()
    # the worker did real work between kills: each round waited for at least its first
    # append, and the ten seeded first appends add up to 8,129 entries
    assert acked > 1000

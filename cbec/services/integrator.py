"""The integrator: the background work a deployment runs once — fold appended ledger entries
into the Merkle tree and sign checkpoints as the policy allows, withdraw the bulk imports of
processes that died (:func:`cbec.services.imports.sweep`) and delete the import desk's drafts
past their lifetime (:func:`cbec.services.import_desk.sweep`).

On one host ``cbec serve`` runs it in a thread (``CBEC_INTEGRATOR=on``, the default). With
several servers on one database each runs with ``CBEC_INTEGRATOR=off`` and one process runs
``cbec ledger integrate --follow``: the work is serialised in the database anyway (the
ledger takes an advisory lock on PostgreSQL, SQLite's writer lock does the same), so two
integrators would stay correct — two sweeps of one abandoned import withdraw and log it once,
the one whose conditional UPDATE claims the batch (:func:`cbec.services.imports.withdraw`) —
but every server would wake the database every interval for the same work.

``cbec serve --workers N`` runs N processes on one host, each with the thread, and any
number of ``cbec ledger integrate --follow`` may run (a standby on a second host): they all
elect one leader (:mod:`cbec.store.leader`: an advisory lock on PostgreSQL, a file lock on
SQLite), which integrates while the others wait and ask again every :data:`RETRY_LEAD_S`
seconds, so when the leader dies another process takes over."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from cbec.ledger.log import StoredCheckpoint
from cbec.runtime import Runtime
from cbec.services import import_desk, imports
from cbec.store.leader import Elector, elector_for

log = logging.getLogger("cbec.integrator")

SWEEP_EVERY_S = 60.0
THREAD_NAME = "cbec-integrator"
# How often a process that does not lead asks again: a dead leader is replaced within this.
RETRY_LEAD_S = 3.0


def interval_s(rt: Runtime) -> float:
    """How long a round waits for the next: the checkpoint interval, at least 50 ms."""
    return max(0.05, rt.settings.ledger_checkpoint_interval_ms / 1000)


def follow(
    rt: Runtime,
    stop: threading.Event,
    on_checkpoint: Callable[[StoredCheckpoint], None] | None = None,
    leading: Callable[[], bool] | None = None,
) -> None:
    """Run rounds until ``stop`` is set, waiting on it between rounds (no busy loop; a stop
    ends the wait at once), or until ``leading`` answers False before a round (the leader's
    lock was lost). A round that fails (a busy or restarting database) is logged and the next
    one retries: the integrator outlives transient failures."""
    swept = 0.0
    while not stop.wait(interval_s(rt)):
        if leading is not None and not leading():
            return
        try:
            cp = rt.ledger.integrate()
            if cp is not None and on_checkpoint is not None:
                on_checkpoint(cp)
            if time.monotonic() - swept >= SWEEP_EVERY_S:
                swept = time.monotonic()
                imports.sweep(rt.uow())
                import_desk.sweep(rt.uow())
        except Exception:
            log.exception("ledger integration or import sweep failed; retrying")


def lead(
    rt: Runtime,
    stop: threading.Event,
    elector: Elector,
    retry_s: float = RETRY_LEAD_S,
    on_checkpoint: Callable[[StoredCheckpoint], None] | None = None,
) -> None:
    """Until ``stop`` is set: become the leader, then :func:`follow` for as long as the lock
    holds; between tries wait ``retry_s`` on ``stop``. The lock is let go on the way out.
    Each change is one log line naming the process, so an operator (and the tests) can tell
    which process leads — a server's worker or a ``cbec ledger integrate --follow``."""
    pid = os.getpid()
    waiting_said = False
    try:
        while not stop.is_set():
            try:
                won = elector.try_lead()
            except Exception:  # the database is down: try again later
                log.exception("integrator leader election failed; retrying")
                won = False
            if stop.is_set():  # stopped while asking (a slow connection): let go, say nothing
                break
            if won:
                log.info("integrator leader: process %d leads", pid)
                waiting_said = False
                follow(rt, stop, on_checkpoint, leading=elector.holds)
                if not stop.is_set():
                    log.warning("integrator leader: process %d lost the lock", pid)
            elif not waiting_said:
                log.info("integrator leader: another process leads; process %d waits", pid)
                waiting_said = True
            elector.resign()
            stop.wait(retry_s)
    finally:
        elector.resign()


def start(rt: Runtime, stop: threading.Event) -> threading.Thread:
    """:func:`lead` in a daemon thread named :data:`THREAD_NAME` (the server's): with one
    process it wins at once; with several, one of them integrates."""
    elector = elector_for(rt.engine, rt.settings.data_dir)
    worker = threading.Thread(target=lead, args=(rt, stop, elector), name=THREAD_NAME, daemon=True)
    worker.start()
    return worker

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
but every server would wake the database every interval for the same work."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from cbec.ledger.log import StoredCheckpoint
from cbec.runtime import Runtime
from cbec.services import import_desk, imports

log = logging.getLogger("cbec.integrator")

SWEEP_EVERY_S = 60.0
THREAD_NAME = "cbec-integrator"


def interval_s(rt: Runtime) -> float:
    """How long a round waits for the next: the checkpoint interval, at least 50 ms."""
    return max(0.05, rt.settings.ledger_checkpoint_interval_ms / 1000)


def follow(
    rt: Runtime,
    stop: threading.Event,
    on_checkpoint: Callable[[StoredCheckpoint], None] | None = None,
) -> None:
    """Run rounds until ``stop`` is set, waiting on it between rounds (no busy loop; a stop
    ends the wait at once). A round that fails (a busy or restarting database) is logged and
    the next one retries: the integrator outlives transient failures."""
    swept = 0.0
    while not stop.wait(interval_s(rt)):
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


def start(rt: Runtime, stop: threading.Event) -> threading.Thread:
    """:func:`follow` in a daemon thread named :data:`THREAD_NAME` (the server's)."""
    worker = threading.Thread(target=follow, args=(rt, stop), name=THREAD_NAME, daemon=True)
    worker.start()
    return worker

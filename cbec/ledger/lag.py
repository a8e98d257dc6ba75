"""How long the ledger's integrator has left appended entries waiting (pure, no I/O).

An entry is durable once appended; it is provable only once integrated into the tree and
covered by a signed checkpoint (see :mod:`cbec.ledger.log`). An integrator that stopped or
fell behind leaves entries appended but not integrated. The entries carry no timestamp of
their own (the log stores exactly what it proves), so the age of the wait is measured by
watching: :class:`LagWatch` remembers when it first saw entries waiting above the current
integrated size, and the wait is the time since then. It resets whenever the integrated
size moves or nothing waits, so it measures a *stall* — an integrator that keeps up with a
steady stream never accumulates one, one that stopped accumulates it from the first sighting.
Its readings are a lower bound on the oldest waiting entry's age, never an overestimate that
would mark a healthy server unready.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Lag:
    """Entries appended but not yet integrated, and for how long the integrated size has
    stood still while they waited (0 when nothing waits)."""

    entries: int
    seconds: float


class LagWatch:
    """Fed with (size, integrated) readings by whoever reads the log's state — the
    integrator each round, a metrics scrape, a readiness probe. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._integrated: int | None = None
        self._since: datetime | None = None

    def observe(self, size: int, integrated: int, at: datetime) -> Lag:
        with self._lock:
            waiting = max(0, size - integrated)
            if not waiting:
                self._integrated, self._since = integrated, None
                return Lag(0, 0.0)
            if self._since is None or self._integrated != integrated:
                self._integrated, self._since = integrated, at
            return Lag(waiting, max(0.0, (at - self._since).total_seconds()))

"""When a failed delivery is tried again, and when it is given up (the dead-letter list).

Exponential back-off: the n-th failure waits ``FIRST_DELAY_S × FACTOR^(n-1)`` seconds, at
most :data:`MAX_DELAY_S` — 30 s, 2 min, 8 min, 32 min, ~2 h, ~8.5 h, 10 h — and the message is
dead after :data:`MAX_ATTEMPTS` attempts (about 21 hours after the first), as the Standard
Webhooks specification recommends ("Retry policy": exponential back-off, give up after a
day or so, and let the operator replay). A receiver answers within :data:`TIMEOUT_S` or the
attempt failed; a 2xx answer is success, anything else (or no answer) a failure.
"""

from __future__ import annotations

from datetime import datetime, timedelta

FIRST_DELAY_S = 30.0
FACTOR = 4.0
MAX_DELAY_S = 10 * 3600.0
MAX_ATTEMPTS = 8
TIMEOUT_S = 10.0
# How long a claimed delivery is left to its deliverer before another may take it (a
# deliverer that died mid-delivery): longer than a round of sends can take.
LEASE_S = 300.0


def delay_after(failures: int) -> timedelta:
    """The wait after the ``failures``-th failed attempt (1-based)."""
    if failures < 1:
        raise ValueError(f"failures must be at least 1, got {failures}")
    return timedelta(seconds=min(FIRST_DELAY_S * FACTOR ** (failures - 1), MAX_DELAY_S))


def after_failure(attempts: int, at: datetime) -> datetime | None:
    """When to try again after the ``attempts``-th attempt failed at ``at``; None when it was
    the last (the delivery goes to the dead-letter list)."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return at + delay_after(attempts)


def succeeded(status_code: int | None) -> bool:
    return status_code is not None and 200 <= status_code < 300

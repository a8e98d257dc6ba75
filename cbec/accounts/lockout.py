"""Login throttling: an account locks after repeated wrong passwords, for a growing time.

OWASP ASVS 4.0.3 V2.2.1 asks for anti-automation against credential stuffing and brute force
that does not make locking out an account trivial; NIST SP 800-63B §5.2.2 caps consecutive
failures. The rule here: after :data:`FAILURES_BEFORE_LOCK` consecutive failures the account
is locked for :data:`FIRST_LOCK`; every further failure after a lock lifts doubles it, up to
:data:`MAX_LOCK`. A successful login resets the count. Attempts made while locked are refused
without counting, so that a lock is not stretched for ever by an attacker.
"""

from __future__ import annotations

from datetime import datetime, timedelta

FAILURES_BEFORE_LOCK = 5
FIRST_LOCK = timedelta(minutes=1)
MAX_LOCK = timedelta(hours=1)


def lock_for(failures: int) -> timedelta | None:
    """How long to lock an account after its ``failures``-th consecutive failure; None: not
    at all. 5 → 1 min, 6 → 2 min, 7 → 4 min …, capped at an hour."""
    if failures < FAILURES_BEFORE_LOCK:
        return None
    doublings = min(failures - FAILURES_BEFORE_LOCK, 16)  # 2^16 minutes is far over the cap
    return min(FIRST_LOCK * (2**doublings), MAX_LOCK)


def is_locked(locked_until: datetime | None, at: datetime) -> bool:
    return locked_until is not None and at < locked_until

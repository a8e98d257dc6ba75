"""Server-side sessions of the web console: tokens, lifetimes and the CSRF token.

After OWASP ASVS 4.0.3 V3 and the OWASP Session Management Cheat Sheet:

- The token is 256 random bits (``secrets.token_urlsafe(32)``, V3.2.2); only its SHA-256 is
  stored (V3.2.3's spirit: a read of the database yields no usable session), and a new token
  is issued on every login and on the second-factor step (V3.2.1, no session fixation).
- A session ends after :data:`IDLE_TIMEOUT` without use and at the latest
  :data:`ABSOLUTE_LIFETIME` after login (V3.3.2), and at logout or "log out everywhere"
  (V3.3.1, V3.3.3). A session waiting for its second factor lives :data:`SECOND_FACTOR_WINDOW`.
- Forms carry a CSRF token (synchronizer token pattern): an HMAC of the session token, so the
  console can always show it, and only its SHA-256 is stored; it is checked in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_LIFETIME = timedelta(hours=12)
SECOND_FACTOR_WINDOW = timedelta(minutes=5)
TOUCH_EVERY = timedelta(minutes=1)  # last_seen is written at most this often


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The stored form of a session (or invite) token: SHA-256, hex. A fast hash suffices for
    256 random bits (nothing to guess), as for API keys (:mod:`cbec.tenancy.apikeys`)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def csrf_token_for(token: str) -> str:
    """The CSRF token of the session ``token``: derived, so it needs no storage in clear."""
    return hmac.new(token.encode("utf-8", "surrogatepass"), b"cbec-csrf", "sha256").hexdigest()


def check_csrf(csrf_hash: str, presented: str | None) -> bool:
    """Whether ``presented`` is the session's CSRF token (constant-time, hmac.compare_digest)."""
    if not presented:
        return False
    return hmac.compare_digest(token_hash(presented), csrf_hash)


def live(
    last_seen_at: datetime, expires_at: datetime, revoked_at: datetime | None, at: datetime
) -> bool:
    """Whether a session is still usable at ``at``: not revoked, not past its absolute end
    (fixed at login in ``expires_at``), not idle for longer than :data:`IDLE_TIMEOUT`."""
    return revoked_at is None and at < expires_at and at < last_seen_at + IDLE_TIMEOUT

"""API keys: ``cbec_<key id>_<secret>``; only a SHA-256 of the secret is stored.

The secret has 256 bits, so a fast hash is the right store (as GitHub and Stripe do for
tokens): a slow password hash buys nothing against a search space of 2^256 and would cost
every request. The key id lets the server find the one row to compare; the comparison is
constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

PREFIX = "cbec"
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_-]{1,128}")


@dataclass(frozen=True)
class IssuedKey:
    key_id: str
    secret_hash: str
    token: str  # shown once to the user, never stored


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def _make(key_id: str, secret: str) -> IssuedKey:
    return IssuedKey(key_id, _hash(secret), f"{PREFIX}_{key_id}_{secret}")


def issue() -> IssuedKey:
    """A new random key."""
    return _make(secrets.token_hex(6), secrets.token_urlsafe(32))


def reissue(key_id: str) -> IssuedKey:
    """A new random secret under an existing key id (rotation)."""
    return _make(key_id, secrets.token_urlsafe(32))


def derive(seed: bytes, label: str) -> IssuedKey:
    """A reproducible key for ``label`` under an install-local ``seed`` (demo tenants), so
    re-running the demo can print the same keys without ever storing them."""
    key_id = hmac.new(seed, b"key-id:" + label.encode(), hashlib.sha256).hexdigest()[:12]
    raw = hmac.new(seed, b"secret:" + label.encode(), hashlib.sha256).digest()
    return _make(key_id, base64.urlsafe_b64encode(raw).rstrip(b"=").decode())


def parse(token: str) -> tuple[str, str] | None:
    """``(key id, secret)`` of a well-formed token, else None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    if not (_TOKEN_CHARS.fullmatch(parts[1]) and _TOKEN_CHARS.fullmatch(parts[2])):
        return None  # issued keys are URL-safe base64 / hex: anything else cannot match
    return parts[1], parts[2]


def matches(secret: str, secret_hash: str) -> bool:
    return hmac.compare_digest(_hash(secret), secret_hash)

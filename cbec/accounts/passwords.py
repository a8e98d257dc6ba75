"""Passwords: Argon2id hashes and the policy a new password must meet.

Hashing follows RFC 9106 §4 (Argon2id; the second recommended option, for memory-constrained
hosts: t=3 passes, m=64 MiB, p=4 lanes, 16-byte salt, 32-byte tag), which is
``argon2.profiles.RFC_9106_LOW_MEMORY`` in argon2-cffi. The encoded hash (PHC string format,
``$argon2id$v=19$m=65536,t=3,p=4$…``) carries its own parameters, so a stored hash made under
older parameters still verifies and is replaced on the next successful login
(:func:`verify`'s ``needs_rehash``).

The policy is OWASP ASVS 4.0.3 V2.1: at least 12 characters (V2.1.1), at most 128 (V2.1.2; the
hash input stays bounded), every printable character allowed, no composition rules (V2.1.9),
and not the login itself. A broken rule is a named :class:`~cbec.errors.Violation`, never the
password.
"""

from __future__ import annotations

import re
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import RFC_9106_LOW_MEMORY

from cbec.errors import Violation

MIN_LENGTH = 12
MAX_LENGTH = 128
LOGIN = re.compile(r"[a-z0-9][a-z0-9._@+-]{2,253}")

PROFILE = RFC_9106_LOW_MEMORY
HASHER = PasswordHasher.from_parameters(PROFILE)
"""The hasher new hashes are made with, read when a password is hashed or verified (a test
run swaps in smaller parameters for its in-process sign-ins; servers it starts keep these)."""


def normalise_login(login: str) -> str:
    """The stored form of a login (an e-mail-like address or a name): trimmed and case-folded,
    so ``Ann@Example.com`` and ``ann@example.com`` are one account."""
    return login.strip().casefold()


def login_violations(login: str) -> list[Violation]:
    """What is wrong with a (normalised) login: 3–254 of ``a-z 0-9 . _ @ + -``."""
    if LOGIN.fullmatch(login):
        return []
    return [Violation("login", "login_format", {})]


def password_violations(password: str, login: str, field: str = "password") -> list[Violation]:
    """What is wrong with a new password, as named violations (empty when it is acceptable)."""
    out = []
    if len(password) < MIN_LENGTH:
        out.append(Violation(field, "password_too_short", {"min": MIN_LENGTH}))
    if len(password) > MAX_LENGTH:
        out.append(Violation(field, "password_too_long", {"max": MAX_LENGTH}))
    if login and password.strip().casefold() == normalise_login(login):
        out.append(Violation(field, "password_is_login", {}))
    return out


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    """The Argon2id hash of ``password`` with a fresh random salt (PHC string format), by
    ``hasher`` (default :data:`HASHER`)."""
    return (hasher or HASHER).hash(password)


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash of nothing anyone knows, verified against when the login is unknown, so that an
    unknown login costs the same Argon2 computation as a known one (no user enumeration by
    timing, OWASP ASVS V2.2 / WSTG-ATHN-04)."""
    return HASHER.hash("cbec: no such account")


def verify(
    stored: str | None, password: str, hasher: PasswordHasher | None = None
) -> tuple[bool, bool]:
    """``(matches, needs_rehash)``: whether ``password`` matches the stored hash, and whether
    the hash should be recomputed under the current parameters. A missing or malformed hash
    still costs one verification (against :func:`dummy_hash`) and never matches."""
    hasher = hasher or HASHER
    if stored is None:
        stored, usable = dummy_hash(), False
    else:
        usable = True
    try:
        hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, False
    return usable, usable and hasher.check_needs_rehash(stored)

"""The optional second factor: time-based one-time passwords (RFC 6238, TOTP — HMAC-SHA-1,
6 digits, 30-second steps, what authenticator apps expect), through pyotp.

A code is accepted in the step it was made for and one step either side (clock drift,
RFC 6238 §5.2), and each step's code once only (§5.2: "the verifier MUST NOT accept the
second attempt of the OTP after the successful validation"): the verifier stores the counter
of the last accepted step and refuses any step not after it.
"""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp

ISSUER = "cbec"
VALID_WINDOW = 1  # steps either side of the current one


def new_secret() -> str:
    """A random 160-bit secret, base32 (RFC 4226 §4 recommends 160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, account: str) -> str:
    """The ``otpauth://totp/…`` URI an authenticator app scans as a QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def counter_at(at: datetime, step: int = 30) -> int:
    """The RFC 6238 time step counter T = floor(unix time / step)."""
    return int(at.timestamp()) // step


def accepted_counter(secret: str, code: str, at: datetime, last_counter: int | None) -> int | None:
    """The counter of the step ``code`` belongs to (within :data:`VALID_WINDOW` of ``at``) if
    it is later than ``last_counter``, the last one accepted; None to refuse the code."""
    code = code.strip()
    totp = pyotp.TOTP(secret)
    if len(code) != totp.digits or not code.isdigit():
        return None
    now = counter_at(at, totp.interval)
    for counter in range(now - VALID_WINDOW, now + VALID_WINDOW + 1):
        if last_counter is not None and counter <= last_counter:
            continue
        if hmac.compare_digest(totp.generate_otp(counter), code):
            return counter
    return None

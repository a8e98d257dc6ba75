"""Signing a webhook message as the Standard Webhooks specification says (v1, "Signature
scheme"): the signed content is ``{webhook-id}.{webhook-timestamp}.{body}``, the signature
``v1,`` + base64 of its HMAC-SHA256 under the endpoint's secret; the secret is shown to the
subscriber as ``whsec_`` + base64 of 24–64 random bytes ("Symmetric secrets").

The message id stays the same on every retry of one message (so a receiver can drop
duplicates: delivery is at least once); the timestamp is the attempt's, in integer seconds
since the epoch, so a receiver can refuse replays outside its tolerance.

>>> sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
...      b'{"test": 2432232314}')
'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"
SECRET_BYTES = 32  # the specification asks for 24 to 64


def new_secret() -> str:
    """A fresh endpoint secret, ``whsec_`` + base64 of :data:`SECRET_BYTES` random bytes."""
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key a ``whsec_`` secret stands for (the bytes its base64 decodes to)."""
    if not secret.startswith(PREFIX):
        raise ValueError("a webhook secret starts with whsec_")
    return base64.b64decode(secret[len(PREFIX) :])


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value of ``body`` sent as ``msg_id`` at ``timestamp``."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three headers of one attempt, plus the body's content type."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id, timestamp, body),
        "content-type": "application/json",
    }

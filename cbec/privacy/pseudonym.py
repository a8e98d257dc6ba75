"""Keyed hashes (HMAC-SHA-256, RFC 2104) for fingerprints and blind indexes.

A plain hash of a document that holds an 18-digit ID number can be reversed by enumerating
the few billion plausible IDs; a keyed hash cannot without the key. The same construction
serves two needs: the content fingerprint used for idempotency, and a blind index of a
buyer's ID number that lets later features (per-buyer quotas) find a person's documents
without decrypting every row.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable


def keyed_hash_blocks(key: bytes, purpose: str, blocks: Iterable[bytes]) -> str:
    """:func:`keyed_hash` of the concatenated ``blocks`` (a file hashed as it is read)."""
    mac = hmac.new(key, purpose.encode("ascii") + b"\x00", hashlib.sha256)
    for block in blocks:
        mac.update(block)
    return mac.hexdigest()


def keyed_hash(key: bytes, purpose: str, value: str | bytes) -> str:
    """Hex HMAC-SHA-256 of ``value`` under ``key``, domain-separated by ``purpose``."""
    data = value.encode("utf-8") if isinstance(value, str) else value
    return hmac.new(key, purpose.encode("ascii") + b"\x00" + data, hashlib.sha256).hexdigest()

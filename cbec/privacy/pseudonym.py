"""Keyed hashes: HMAC-SHA-256 (RFC 2104) for fingerprints and blind indexes, and per-purpose
pseudonyms in HMAC-SM3.

A plain hash of a document that holds an 18-digit ID number can be reversed by enumerating
the few billion plausible IDs; a keyed hash cannot without the key. The same construction
serves two needs: the content fingerprint used for idempotency, and a blind index of a
buyer's ID number that lets later features (per-buyer quotas) find a person's documents
without decrypting every row. Both are stored, so their construction is fixed.

**Pseudonyms** serve a third need: giving a person's data to one purpose — analytics — under
a name that purpose can join on (the same person, the same pseudonym) but no other purpose
can (PIPL Art. 73(3): 去标识化, information that identifies no one without further
information kept apart). Each purpose has a key of its own, derived from the deployment's HMAC
key with HKDF (RFC 5869) over SM3 (GB/T 32905-2016), the purpose as HKDF's ``info``; the
pseudonym of a value is HMAC (RFC 2104) over SM3 of the value under the purpose's key
(:func:`pseudonym`). HKDF's output keys are independent pseudorandom keys (RFC 5869 §3.2;
Krawczyk, CRYPTO 2010), so holding one purpose's key says nothing of another's, and two
purposes' pseudonyms of one person do not match. The deployment's key does not leave the
process: only purpose keys are handed on. Pseudonyms are not stored, so they follow the HMAC
key: after its rotation (:mod:`cbec.services.key_rotation`) every pseudonym changes, and
exports made before do not join exports made after — the intent of a rotation.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as sm3_hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from cbec.privacy.mac import Mac

_PSEUDONYM_INFO = b"cbec pseudonym v1\x00"
PURPOSE_KEY_BYTES = 32  # SM3's output size: a key as strong as the hash (RFC 2104 §3)


def keyed_hash_blocks(key: bytes, purpose: str, blocks: Iterable[bytes]) -> str:
    """:func:`keyed_hash` of the concatenated ``blocks`` (a file hashed as it is read)."""
    mac = hmac.new(key, purpose.encode("ascii") + b"\x00", hashlib.sha256)
    for block in blocks:
        mac.update(block)
    return mac.hexdigest()


@lru_cache(maxsize=64)
def _purpose_mac(key: bytes, purpose: str) -> Mac:
    # a deployment has one HMAC key (two while it rotates) and a few purposes
    return Mac(key, purpose.encode("ascii") + b"\x00")


def keyed_hash(key: bytes, purpose: str, value: str | bytes) -> str:
    """Hex HMAC-SHA-256 of ``value`` under ``key``, domain-separated by ``purpose``:
    ``HMAC(key, purpose ‖ 0x00 ‖ value)``, the key's and the label's part of the hash
    computed once (:class:`cbec.privacy.mac.Mac`)."""
    data = value.encode("utf-8") if isinstance(value, str) else value
    return _purpose_mac(key, purpose).hexdigest(data)


def purpose_key(master: bytes, purpose: str) -> bytes:
    """The key of ``purpose``: HKDF-SM3 (RFC 5869, no salt — the master key is already
    uniformly random, §3.1) of the deployment's HMAC key, with a versioned label and the
    purpose as ``info`` (§3.2: one input key, independent keys per context)."""
    info = _PSEUDONYM_INFO + purpose.encode("utf-8")
    return HKDF(hashes.SM3(), PURPOSE_KEY_BYTES, None, info).derive(master)


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    """HMAC (RFC 2104) over SM3 (GB/T 32905-2016), as ``cryptography`` computes it."""
    mac = sm3_hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def pseudonym(key: bytes, value: str | bytes) -> str:
    """Hex HMAC-SM3 of ``value`` under a purpose's key (:func:`purpose_key`)."""
    data = value.encode("utf-8") if isinstance(value, str) else value
    return hmac_sm3(key, data).hex()


class Pseudonyms:
    """The pseudonyms of one deployment: :meth:`of` derives each purpose's key once."""

    def __init__(self, master: bytes) -> None:
        self.master = master
        self._keys: dict[str, bytes] = {}

    def key(self, purpose: str) -> bytes:
        """The purpose's key, to hand to what computes pseudonyms for that purpose only."""
        if purpose not in self._keys:
            self._keys[purpose] = purpose_key(self.master, purpose)
        return self._keys[purpose]

    def of(self, purpose: str, value: str | bytes) -> str:
        """``value``'s pseudonym within ``purpose``: the same person, the same pseudonym;
        another purpose, an unrelated one."""
        return pseudonym(self.key(purpose), value)

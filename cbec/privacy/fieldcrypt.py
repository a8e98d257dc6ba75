"""Field-level encryption of personal information at rest, with key ids so keys can rotate.

Each protected value becomes a self-describing token::

    enc1.<alg>.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>

``alg`` is ``a256gcm`` (AES-256-GCM, NIST SP 800-38D) or ``sm4gcm`` (SM4-GCM, GB/T 32907 with
the GCM mode of RFC 8998 §2.1), both from ``cryptography``. Nonces are 96 random bits. The
associated data binds a token to the document and field it belongs to, so a ciphertext copied
into another row or field fails to decrypt instead of silently moving personal data around.
Rotation: new writes use the active key; any key still in the ring decrypts its old tokens.

Key ids are fingerprints of the keys (:func:`data_key_id`), as RFC 7638 derives a JWK's
``kid`` from the key and signed notes derive theirs (c2sp.org/signed-note): an id that a
host makes up ("k1") collides when two hosts each make a key, and a token then names a key
the reader has under that name but cannot open it with. A derived id names exactly one key,
so a reader holding the wrong key says "key … is not in the ring" instead. Tokens written
under a named id before keys were fingerprinted still open with the key of that name.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "enc1"
# Key ids of person keys (cbec.privacy.vault) start with this; no deployment key id does.
PERSON_KID = "~"
_NONCE = 12
_TAG = 16


_DATA_KEY_DOMAIN = b"cbec data key v1\x00"
_FINGERPRINT_ID = re.compile(r"[0-9a-f]{16}")


def data_key_id(secret: bytes) -> str:
    """The key's id: the first 64 bits of SHA-256 over a domain-separation label and the key
    bytes, as 16 lower-case hex digits. The label keeps the id from equalling any other
    hash of the same bytes; 64 bits leave a chance collision among a deployment's handful of
    keys below 2**-50. (The key's length fixes its algorithm, so it needs no field.)"""
    return hashlib.sha256(_DATA_KEY_DOMAIN + secret).hexdigest()[:16]


class KeyRingError(Exception):
    """A key ring cannot be built or a token names a key that is not in the ring."""


class DecryptionFailed(Exception):
    """A token is malformed, or its tag does not verify (wrong key, field or document)."""


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def _b64e(raw: bytes) -> str:
    """RFC 4648 §5 base64url without padding (``base64.urlsafe_b64encode`` with its two
    Python layers folded: a token is made for every personal field of every document)."""
    return binascii.b2a_base64(raw, newline=False).translate(_URLSAFE).rstrip(b"=").decode()


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sm4_gcm_encrypt(key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    enc = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(aad)
    return enc.update(data) + enc.finalize() + enc.tag


def _sm4_gcm_decrypt(key: bytes, nonce: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < _TAG:
        raise DecryptionFailed("token too short")
    dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, blob[-_TAG:])).decryptor()
    dec.authenticate_additional_data(aad)
    return dec.update(blob[:-_TAG]) + dec.finalize()


@dataclass(frozen=True)
class DataKey:
    kid: str
    secret: bytes = field(repr=False)  # never in a log line or a traceback

    @property
    def alg(self) -> str:
        return "a256gcm" if len(self.secret) == 32 else "sm4gcm"


class KeyRing:
    """Data keys by id; ``active`` encrypts, all of them decrypt."""

    def __init__(self, keys: list[DataKey], active: str | None = None) -> None:
        if not keys:
            raise KeyRingError("a key ring needs at least one key")
        self._keys = {k.kid: k for k in keys}
        for k in keys:
            if len(k.secret) not in (16, 32):
                raise KeyRingError(
                    f"key {k.kid}: 32 bytes (AES-256) or 16 bytes (SM4), got {len(k.secret)}"
                )
            if not k.kid or "." in k.kid or k.kid.startswith(PERSON_KID):
                raise KeyRingError(
                    f"key id {k.kid!r}: must be non-empty, contain no '.' and not start with '~'"
                )
            if _FINGERPRINT_ID.fullmatch(k.kid) and k.kid != data_key_id(k.secret):
                raise KeyRingError(f"key id {k.kid}: is a fingerprint, but not of this key")
        if active and active not in self._keys:
            raise KeyRingError(f"active key id {active!r} is not in the ring")
        self.active = self._keys[active] if active else keys[-1]
        # AESGCM objects hold the expanded key schedule; build each once.
        self._aes = {k.kid: AESGCM(k.secret) for k in keys if k.alg == "a256gcm"}

    @classmethod
    def from_spec(cls, spec: str, active: str | None = None) -> KeyRing:
        """Parse ``kid=base64key,kid2=base64key`` (the ``CBEC_DATA_KEYS`` form)."""
        keys = []
        for item in filter(None, (p.strip() for p in spec.split(","))):
            kid, sep, b64 = item.partition("=")
            if not sep:
                raise KeyRingError(f"key entry {kid!r}: expected kid=base64key")
            keys.append(
                DataKey(kid.strip(), base64.b64decode(b64.strip() + "=" * (-len(b64.strip()) % 4)))
            )
        return cls(keys, active)

    @staticmethod
    def generate_spec(kid: str | None = None, alg: str = "aes-256-gcm") -> str:
        """A new key as a spec entry, named ``kid`` or (by default) by its fingerprint."""
        secret = os.urandom(16 if alg == "sm4-gcm" else 32)
        return f"{kid or data_key_id(secret)}={base64.b64encode(secret).decode()}"

    @property
    def keys(self) -> list[DataKey]:
        return list(self._keys.values())

    def encrypt(self, plaintext: str, aad: bytes, nonce: bytes | None = None) -> str:
        return encrypt_with(self.active, plaintext, aad, self._aes.get(self.active.kid), nonce)

    def decrypt(self, token: str, aad: bytes) -> str:
        kid = token_kid(token)
        key = self._keys.get(kid)
        if key is None:
            raise KeyRingError(f"token was written with key {kid!r}, which is not in the ring")
        return decrypt_with(key, token, aad, self._aes.get(kid))

    @staticmethod
    def is_token(value: object) -> bool:
        return isinstance(value, str) and value.startswith(PREFIX + ".")


def token_kid(token: str) -> str:
    """The key id a token names; :class:`DecryptionFailed` when it is no token."""
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != PREFIX:
        raise DecryptionFailed("not an encrypted field token")
    return parts[2]


def encrypt_with(
    key: DataKey,
    plaintext: str,
    aad: bytes,
    aes: AESGCM | None = None,
    nonce: bytes | None = None,
) -> str:
    """``plaintext`` sealed with ``key`` as a token naming ``key.kid``. ``nonce``: 12 random
    bytes the caller drew (:func:`nonces`), never used for another field; else drawn here."""
    if nonce is None:
        nonce = os.urandom(_NONCE)
    elif len(nonce) != _NONCE:
        raise ValueError(f"a nonce is {_NONCE} bytes")
    data = plaintext.encode("utf-8")
    alg = key.alg
    if alg == "a256gcm":
        blob = (aes or AESGCM(key.secret)).encrypt(nonce, data, aad)
    else:
        blob = _sm4_gcm_encrypt(key.secret, nonce, data, aad)
    return f"{PREFIX}.{alg}.{key.kid}.{_b64e(nonce + blob)}"


def nonces(count: int) -> list[bytes]:
    """``count`` fresh random 96-bit GCM nonces (NIST SP 800-38D §8.2.2, random construction)
    from one call to the OS's generator: a document's fields are sealed together, and a call
    per field (≈ 1.2 µs each, a system call) cost almost as much as its encryption."""
    pool = os.urandom(_NONCE * count)
    return [pool[i : i + _NONCE] for i in range(0, len(pool), _NONCE)]


def decrypt_with(key: DataKey, token: str, aad: bytes, aes: AESGCM | None = None) -> str:
    """The clear text of ``token``, sealed with ``key``."""
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != PREFIX:
        raise DecryptionFailed("not an encrypted field token")
    _, alg, kid, payload = parts
    if alg != key.alg:
        raise DecryptionFailed(f"token algorithm {alg} does not match key {kid} ({key.alg})")
    raw = _b64d(payload)
    nonce, blob = raw[:_NONCE], raw[_NONCE:]
    try:
        if alg == "a256gcm":
            data = (aes or AESGCM(key.secret)).decrypt(nonce, blob, aad)
        else:
            data = _sm4_gcm_decrypt(key.secret, nonce, blob, aad)
    except InvalidTag as exc:
        raise DecryptionFailed("authentication tag does not verify") from exc
    return data.decode("utf-8")

"""The process's keys, parsed, and their fingerprints.

:mod:`cbec.privacy.keyprovider` reads the keys as text from where the deployment keeps them;
:func:`secrets_from` checks and parses them into :class:`Secrets`, and :func:`prints_of`
gives the fingerprints the database records (:mod:`cbec.services.deployment_keys`) — never
the keys. Losing the keys makes the encrypted personal information unreadable (which is also
how it is deliberately erased) and means the log must be signed by a new key from then on,
so the keys are made once, on purpose, and kept outside the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cbec.ledger.note import NoteError, verifier_from_skey
from cbec.privacy.fieldcrypt import KeyRing, KeyRingError, data_key_id
from cbec.privacy.keyprovider import KeyMaterial, KeySourceError, decode_b64
from cbec.privacy.vault import Vault

_HMAC_DOMAIN = b"cbec hmac key v1\x00"


def hmac_key_fingerprint(key: bytes) -> str:
    """The HMAC key's fingerprint: the first 64 bits of SHA-256 over a domain label and the
    key, as hex — the same derivation as a data key's id (:func:`data_key_id`) under its own
    label, so the two never coincide for the same bytes."""
    return hashlib.sha256(_HMAC_DOMAIN + key).hexdigest()[:16]


@dataclass(frozen=True)
class Secrets:
    data_keys: str
    active_key_id: str | None
    hmac_key: bytes
    demo_seed: bytes
    ledger_skey: str


@dataclass(frozen=True)
class DataKeyPrint:
    """A data key as the database records it: its fingerprint and the id tokens carry
    (the same, except for keys named before ids were fingerprints, such as ``k1``)."""

    fingerprint: str
    kid: str
    alg: str | None = None  # "a256gcm" or "sm4gcm" when the key itself is at hand


@dataclass(frozen=True)
class KeyPrints:
    """The fingerprints of a set of keys; a key that is absent is ``None`` (or not listed)."""

    data: tuple[DataKeyPrint, ...] = ()
    active: str | None = None  # fingerprint of the data key new writes use
    hmac: str | None = None
    ledger: str | None = None  # the ledger's verifier key (public)


def secrets_from(m: KeyMaterial) -> Secrets:
    """Parse complete key material; :class:`KeySourceError` names what is malformed."""
    assert m.data_keys and m.hmac_key and m.ledger_skey, "complete key material expected"
    try:
        KeyRing.from_spec(m.data_keys, m.active_key_id)
    except (KeyRingError, ValueError) as exc:
        raise KeySourceError(f"data keys: {exc}") from exc
    try:
        verifier_from_skey(m.ledger_skey)
    except NoteError as exc:
        raise KeySourceError(f"ledger signer key: {exc}") from exc
    hmac_key = decode_b64(m.hmac_key, "HMAC key")
    return Secrets(
        data_keys=m.data_keys,
        active_key_id=m.active_key_id,
        hmac_key=hmac_key,
        demo_seed=decode_b64(m.demo_seed, "demo seed") if m.demo_seed else hmac_key,
        ledger_skey=m.ledger_skey,
    )


def prints_of(m: KeyMaterial) -> KeyPrints:
    """The fingerprints of whatever keys ``m`` holds (complete or not), for comparing with
    the database's and for ``cbec admin keys show``."""
    data: tuple[DataKeyPrint, ...] = ()
    active = None
    if m.data_keys:
        try:
            ring = KeyRing.from_spec(m.data_keys, m.active_key_id)
        except (KeyRingError, ValueError) as exc:
            raise KeySourceError(f"data keys: {exc}") from exc
        data = tuple(DataKeyPrint(data_key_id(k.secret), k.kid, k.alg) for k in ring.keys)
        active = data_key_id(ring.active.secret)
    ledger = None
    if m.ledger_skey:
        try:
            ledger = verifier_from_skey(m.ledger_skey)
        except NoteError as exc:
            raise KeySourceError(f"ledger signer key: {exc}") from exc
    hmac = hmac_key_fingerprint(decode_b64(m.hmac_key, "HMAC key")) if m.hmac_key else None
    return KeyPrints(data, active, hmac, ledger)


def prints_in_use(vault: Vault, verifier: str | None) -> KeyPrints:
    """The fingerprints of the keys a running process holds (its vault and its ledger's
    verifier key), to compare with the database's while it runs (``/readyz``)."""
    data = tuple(DataKeyPrint(data_key_id(k.secret), k.kid, k.alg) for k in vault.ring.keys)
    active = data_key_id(vault.ring.active.secret)
    return KeyPrints(data, active, hmac_key_fingerprint(vault.hmac_key), verifier)


def make_vault(s: Secrets) -> Vault:
    return Vault(KeyRing.from_spec(s.data_keys, s.active_key_id), s.hmac_key)

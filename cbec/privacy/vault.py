"""Sealing documents for storage and opening them for a reader.

``seal`` replaces every personal-information field (as listed by the document kind) with an
encrypted token bound to the document id and field path; ``open`` decrypts them, and masks
them unless the reader is entitled to clear values. Keyed hashes for fingerprints and blind
indexes use a separate HMAC key, so rotating the encryption key does not change them.

A document filed on an identified person (its ``subject_ref``) is sealed under that person's
own key (envelope encryption: the key is stored wrapped under the deployment's data key,
:mod:`cbec.store.person_key_store`); its tokens name the key as ``~<person key id>``. Erasing
the person (PIPL Art. 47, GDPR Art. 17) deletes the wrapped key: :meth:`Vault.open` then
shows :data:`ERASED` for those fields — a marker, not an error.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cbec.privacy.fieldcrypt import (
    PERSON_KID,
    DataKey,
    KeyRing,
    KeyRingError,
    decrypt_with,
    encrypt_with,
    nonces,
    token_kid,
)
from cbec.privacy.masking import MASK_PURPOSE, MASKERS, apply
from cbec.privacy.pseudonym import Pseudonyms, keyed_hash, keyed_hash_blocks


@lru_cache(maxsize=1024)
def split_path(path: str) -> tuple[tuple[str, ...], str]:
    """``a.b.c`` as ``(("a", "b"), "c")``: the personal fields' paths are a few dozen, walked
    for every document sealed, opened or committed to."""
    *parents, leaf = path.split(".")
    return tuple(parents), leaf


def _walk(doc: dict[str, Any], path: str) -> tuple[dict[str, Any] | None, str]:
    parents, leaf = split_path(path)
    node: Any = doc
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None, leaf
    return (node if isinstance(node, dict) else None), leaf


def copy_along(doc: dict[str, Any], paths: Iterable[str]) -> dict[str, Any]:
    """A copy of ``doc`` sharing everything except the objects on the way to ``paths``."""
    out = dict(doc)
    fresh = {id(out)}
    for path in paths:
        node = out
        for part in split_path(path)[0]:
            child = node.get(part)
            if not isinstance(child, dict):
                break
            if id(child) not in fresh:
                child = dict(child)
                node[part] = child
                fresh.add(id(child))
            node = child
    return out


ERASED = "(erased)"
"""What a personal field reads as once its person's key is shredded or its token deleted."""


@dataclass(frozen=True)
class PersonKey:
    """A person's key; ``row`` is what to store when it was made in this unit of work."""

    key: DataKey
    row: dict[str, Any] | None = None


class PersonKeys(Protocol):
    """Where a vault finds person keys (:mod:`cbec.store.person_key_store`)."""

    def key(self, pkid: str) -> DataKey | None:
        """The key of id ``pkid``, or None once erased."""

    def for_subjects(
        self, tenant_id: int, refs: Iterable[str], at: datetime
    ) -> dict[str, PersonKey]:
        """The live key of each person of ``refs``, made when there is none."""

    def add(self, keys: Iterable[PersonKey]) -> None:
        """Store the keys :meth:`for_subjects` made that a write used."""

    def live(self, keys: Iterable[DataKey]) -> set[str]:
        """The ids of the stored ``keys`` still stored as they are — not erased, nor given a
        new secret by a move to another cipher — in one query."""

    def preload(self, pkids: Iterable[str]) -> None:
        """Read the keys of ``pkids`` at once, for :meth:`key` to answer from (a reader about
        to open many documents; a store that keeps no keys does nothing)."""


def erased_in(clear: dict[str, Any], pii: Iterable[str]) -> bool:
    """Whether any personal field of an opened body reads :data:`ERASED`."""
    for path in pii:
        node, leaf = _walk(clear, path)
        if node is not None and node.get(leaf) == ERASED:
            return True
    return False


def is_person_token(value: object) -> bool:
    return KeyRing.is_token(value) and str(value).split(".")[2].startswith(PERSON_KID)


class Vault:
    def __init__(self, ring: KeyRing, hmac_key: bytes, persons: PersonKeys | None = None) -> None:
        self.ring = ring
        self.hmac_key = hmac_key
        self._pseudonyms = Pseudonyms(hmac_key)
        self.persons = persons

    def with_persons(self, persons: PersonKeys | None) -> Vault:
        """This vault reading person keys from ``persons`` (a unit of work's store)."""
        bound = Vault(self.ring, self.hmac_key, persons)
        bound._pseudonyms = self._pseudonyms  # purpose keys derived once per process
        return bound

    def _encrypt(self, value: str, aad: bytes, person: DataKey | None) -> str:
        return self.ring.encrypt(value, aad) if person is None else encrypt_with(person, value, aad)

    def _decrypt(self, token: str, aad: bytes) -> str | None:
        """The clear value, or None when it was sealed under an erased person key."""
        kid = token_kid(token)
        if not kid.startswith(PERSON_KID):
            return self.ring.decrypt(token, aad)
        if self.persons is None:
            raise KeyRingError(f"token was written with person key {kid!r}; no store to read it")
        key = self.persons.key(kid[len(PERSON_KID) :])
        return None if key is None else decrypt_with(key, token, aad)

    @staticmethod
    def _aad(kind: str, doc_id: str, path: str) -> bytes:
        return f"cbec:{kind}:{doc_id}:{path}".encode()

    def seal(
        self,
        kind: str,
        doc_id: str,
        pii: Mapping[str, str],
        body: dict[str, Any],
        person: DataKey | None = None,
    ) -> dict:
        """A copy of ``body`` (JSON-mode dict) with every PII field encrypted, under
        ``person``'s key when given. Only the objects on the way to a PII field are copied;
        ``body`` itself is left as it was."""
        out = copy_along(body, pii)
        # one cipher object for the document's fields under a person's key (the ring keeps its
        # own): built per field it cost more than the encryption of a short value
        aes = AESGCM(person.secret) if person is not None and person.alg == "a256gcm" else None
        fresh = iter(nonces(len(pii)))
        for path in pii:
            node, leaf = _walk(out, path)
            if node is not None and node.get(leaf) is not None:
                aad = self._aad(kind, doc_id, path)
                node[leaf] = (
                    self.ring.encrypt(str(node[leaf]), aad, next(fresh))
                    if person is None
                    else encrypt_with(person, str(node[leaf]), aad, aes, next(fresh))
                )
        return out

    def open(
        self,
        kind: str,
        doc_id: str,
        pii: Mapping[str, str],
        sealed: dict[str, Any],
        clear: bool,
        *,
        share: bool = False,
        operators: Mapping[str, str] | None = None,
        purpose: str = MASK_PURPOSE,
    ) -> dict[str, Any]:
        """A copy of ``sealed`` with PII decrypted, and masked unless ``clear``: each field
        by the operator ``operators`` names for its path (the reader's masking policy,
        :mod:`cbec.privacy.masking_policy`; ``purpose`` keys its ``hash``,
        :func:`cbec.privacy.masking.reader_purpose`), or — for code that computes on a document
        and shows no personal value — by the field's partial mask. With
        ``share`` the copy shares every object not on the way to a personal field with
        ``sealed`` (as :meth:`seal` does): for a reader that only reads — copying the
        whole body dominated the dashboard's 三单 check, which opens 1,500 documents."""
        out = copy_along(sealed, pii) if share else copy.deepcopy(sealed)
        for path, mask in pii.items():
            node, leaf = _walk(out, path)
            if node is not None and KeyRing.is_token(node.get(leaf)):
                value = self._decrypt(node[leaf], self._aad(kind, doc_id, path))
                if value is None:
                    node[leaf] = ERASED
                elif clear:
                    node[leaf] = value
                elif operators is None:
                    node[leaf] = MASKERS[mask](value)
                else:
                    node[leaf] = apply(operators[path], mask, value, self.hmac_key, purpose)
        return out

    def preload(self, pii: Iterable[str], bodies: Iterable[Mapping[str, Any]]) -> None:
        """Read, in one query, the person keys the personal fields of ``bodies`` (sealed
        documents of one kind, ``pii`` its personal paths) were sealed under, before they are
        opened one by one: a page of 500 orders otherwise read its buyers' keys a query each
        (two fifths of the dashboard's 三单 check)."""
        if self.persons is None:
            return
        paths = list(pii)
        wanted: set[str] = set()
        for body in bodies:
            for path in paths:
                node, leaf = _walk(body, path)  # type: ignore[arg-type]
                value = node.get(leaf) if node is not None else None
                if KeyRing.is_token(value) and (kid := token_kid(value)).startswith(PERSON_KID):
                    wanted.add(kid[len(PERSON_KID) :])
        if wanted:
            self.persons.preload(wanted)

    def seal_value(
        self, kind: str, doc_id: str, path: str, value: str, person: DataKey | None = None
    ) -> str:
        return self._encrypt(value, self._aad(kind, doc_id, path), person)

    def open_value(self, kind: str, doc_id: str, path: str, token: str) -> str:
        """The clear value of ``token``; :data:`ERASED` when its person key was shredded or
        the token itself overwritten by an erasure."""
        if token == ERASED:
            return ERASED
        value = self._decrypt(token, self._aad(kind, doc_id, path))
        return ERASED if value is None else value

    def fingerprint(self, canonical: bytes) -> str:
        return keyed_hash(self.hmac_key, "fingerprint", canonical)

    def fingerprint_of(self, blocks: Iterable[bytes]) -> str:
        """:meth:`fingerprint` of the concatenated ``blocks``, computed as they are read."""
        return keyed_hash_blocks(self.hmac_key, "fingerprint", blocks)

    def pseudonym(self, purpose: str, value: str) -> str:
        """``value``'s HMAC-SM3 pseudonym within ``purpose`` (:mod:`cbec.privacy.pseudonym`),
        under the current HMAC key (a key switched in by a rotation derives new ones)."""
        if self._pseudonyms.master != self.hmac_key:
            self._pseudonyms = Pseudonyms(self.hmac_key)
        return self._pseudonyms.of(purpose, value)

    def blind_index(self, purpose: str, value: str) -> str:
        return keyed_hash(self.hmac_key, purpose, value)

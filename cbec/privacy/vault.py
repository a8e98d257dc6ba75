"""Sealing documents for storage and opening them for a reader.

``seal`` replaces every personal-information field (as listed by the document kind) with an
encrypted token bound to the document id and field path; ``open`` decrypts them, and masks
them unless the reader is entitled to clear values. Keyed hashes for fingerprints and blind
indexes use a separate HMAC key, so rotating the encryption key does not change them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from cbec.privacy.fieldcrypt import KeyRing
from cbec.privacy.masking import MASKERS, apply
from cbec.privacy.pseudonym import Pseudonyms, keyed_hash, keyed_hash_blocks


def _walk(doc: dict[str, Any], path: str) -> tuple[dict[str, Any] | None, str]:
    *parents, leaf = path.split(".")
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
        for part in path.split(".")[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                break
            if id(child) not in fresh:
                child = dict(child)
                node[part] = child
                fresh.add(id(child))
            node = child
    return out


class Vault:
    def __init__(self, ring: KeyRing, hmac_key: bytes) -> None:
        self.ring = ring
        self.hmac_key = hmac_key
        self._pseudonyms = Pseudonyms(hmac_key)

    @staticmethod
    def _aad(kind: str, doc_id: str, path: str) -> bytes:
        return f"cbec:{kind}:{doc_id}:{path}".encode()

    def seal(self, kind: str, doc_id: str, pii: Mapping[str, str], body: dict[str, Any]) -> dict:
        """A copy of ``body`` (JSON-mode dict) with every PII field encrypted. Only the
        objects on the way to a PII field are copied; ``body`` itself is left as it was."""
        out = copy_along(body, pii)
        for path in pii:
            node, leaf = _walk(out, path)
            if node is not None and node.get(leaf) is not None:
                node[leaf] = self.ring.encrypt(str(node[leaf]), self._aad(kind, doc_id, path))
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
    ) -> dict[str, Any]:
        """A copy of ``sealed`` with PII decrypted, and masked unless ``clear``: each field
        by the operator ``operators`` names for its path (the reader's masking policy,
        :mod:`cbec.privacy.masking_policy`), or — for code that computes on a document
        and shows no personal value — by the field's partial mask. With
        ``share`` the copy shares every object not on the way to a personal field with
        ``sealed`` (as :meth:`seal` does): for a reader that only reads — copying the
        whole body dominated the dashboard's 三单 check, which opens 1,500 documents."""
        out = copy_along(sealed, pii) if share else copy.deepcopy(sealed)
        for path, mask in pii.items():
            node, leaf = _walk(out, path)
            if node is not None and KeyRing.is_token(node.get(leaf)):
                value = self.ring.decrypt(node[leaf], self._aad(kind, doc_id, path))
                if clear:
                    node[leaf] = value
                elif operators is None:
                    node[leaf] = MASKERS[mask](value)
                else:
                    node[leaf] = apply(operators[path], mask, value, self.hmac_key)
        return out

    def seal_value(self, kind: str, doc_id: str, path: str, value: str) -> str:
        return self.ring.encrypt(value, self._aad(kind, doc_id, path))

    def open_value(self, kind: str, doc_id: str, path: str, token: str) -> str:
        return self.ring.decrypt(token, self._aad(kind, doc_id, path))

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

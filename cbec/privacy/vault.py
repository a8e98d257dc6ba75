"""Sealing documents for storage and opening them for a reader.

``seal`` replaces every personal-information field (as listed by the document kind) with an
encrypted token bound to the document id and field path; ``open`` decrypts them, and masks
them unless the reader is entitled to clear values. Keyed hashes for fingerprints and blind
indexes use a separate HMAC key, so rotating the encryption key does not change them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from cbec.privacy.fieldcrypt import KeyRing
from cbec.privacy.masking import MASKERS
from cbec.privacy.pseudonym import keyed_hash


def _walk(doc: dict[str, Any], path: str) -> tuple[dict[str, Any] | None, str]:
    *parents, leaf = path.split(".")
    node: Any = doc
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None, leaf
    return (node if isinstance(node, dict) else None), leaf


class Vault:
    def __init__(self, ring: KeyRing, hmac_key: bytes) -> None:
        self.ring = ring
        self.hmac_key = hmac_key

    @staticmethod
    def _aad(kind: str, doc_id: str, path: str) -> bytes:
        return f"cbec:{kind}:{doc_id}:{path}".encode()

    def seal(self, kind: str, doc_id: str, pii: Mapping[str, str], body: dict[str, Any]) -> dict:
        """A copy of ``body`` (JSON-mode dict) with every PII field encrypted."""
        out = copy.deepcopy(body)
        for path in pii:
            node, leaf = _walk(out, path)
            if node is not None and node.get(leaf) is not None:
                node[leaf] = self.ring.encrypt(str(node[leaf]), self._aad(kind, doc_id, path))
        return out

    def open(
        self, kind: str, doc_id: str, pii: Mapping[str, str], sealed: dict[str, Any], clear: bool
    ) -> dict[str, Any]:
        """A copy of ``sealed`` with PII decrypted, and masked unless ``clear``."""
        out = copy.deepcopy(sealed)
        for path, mask in pii.items():
            node, leaf = _walk(out, path)
            if node is not None and KeyRing.is_token(node.get(leaf)):
                value = self.ring.decrypt(node[leaf], self._aad(kind, doc_id, path))
                node[leaf] = value if clear else MASKERS[mask](value)
        return out

    def fingerprint(self, canonical: bytes) -> str:
        return keyed_hash(self.hmac_key, "fingerprint", canonical)

    def blind_index(self, purpose: str, value: str) -> str:
        return keyed_hash(self.hmac_key, purpose, value)

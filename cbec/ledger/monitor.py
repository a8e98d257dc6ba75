"""A log monitor: each new checkpoint must verify and extend the last one this monitor saw.

The monitor keeps one thing: the last checkpoint note it verified. For a new checkpoint it
checks the signature, then asks the log for a consistency proof from the old size to the new
one and verifies it against the two roots (RFC 9162 §2.1.4.2) — locally, trusting nothing
the log says. A smaller tree, a different root at the same size or a failing proof means the
log has shown two histories: a fork.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Protocol

from cbec.ledger.merkle import HASHERS, ProofError, verify_consistency
from cbec.ledger.note import NoteError, open_checkpoint


class Fork(Exception):
    """The log presented a checkpoint that does not extend one verified before."""


class LogClient(Protocol):
    def get(self, url: str, params: dict[str, Any] | None = None) -> Any: ...


@dataclass(frozen=True)
class Checked:
    note: str
    message: str


def check_next(client: LogClient, vkeys: list[str], previous_note: str | None) -> Checked:
    resp = client.get("/ledger/checkpoint")
    resp.raise_for_status()
    note = resp.json()["note"]
    try:
        new, signers = open_checkpoint(note, vkeys)
    except NoteError as exc:
        raise Fork(f"checkpoint signature does not verify: {exc}") from exc
    if previous_note is None:
        return Checked(note, f"first checkpoint: size {new.size}, signed by {', '.join(signers)}")
    old, _ = open_checkpoint(previous_note, vkeys)
    if new.origin != old.origin:
        raise Fork(f"origin changed from {old.origin!r} to {new.origin!r}")
    if new.size < old.size:
        raise Fork(f"tree shrank from {old.size} to {new.size}")
    if new.size == old.size:
        if new.root_hash != old.root_hash:
            raise Fork(f"two different roots for size {new.size}")
        return Checked(note, f"no change: size {new.size}")
    hash_name = client.get("/ledger/key").json().get("hash", "sha256")
    resp = client.get("/ledger/proof/consistency", params={"first": old.size, "second": new.size})
    resp.raise_for_status()
    proof = [base64.b64decode(h) for h in resp.json()["proof"]]
    try:
        verify_consistency(
            old.size, new.size, proof, old.root_hash, new.root_hash, HASHERS[hash_name]
        )
    except ProofError as exc:
        raise Fork(f"size {new.size} is not consistent with size {old.size}: {exc}") from exc
    return Checked(note, f"consistent: size {old.size} → {new.size}")

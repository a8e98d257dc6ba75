"""Use cases of the evidence ledger: its key, checkpoints, proofs and entries.

Proofs follow RFC 9162 §2.1.3–2.1.4 and checkpoints c2sp.org/tlog-checkpoint; sizes and indexes
are bounded to what SQL BIGINT holds (:data:`MAX_INDEX`), and a size or index outside the
signed tree is a :class:`LedgerRange` naming it. An entry is shown to regulators and to the
tenants it names; anyone else gets "not found", so existence does not leak.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from pydantic import BaseModel

from cbec.errors import BadRequest, NotFound
from cbec.ledger.log import LedgerError, StoredCheckpoint
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role

MAX_INDEX = 2**63 - 1


class LedgerRange(BadRequest):
    """A tree size or entry index outside the signed tree."""


class VerifierKey(BaseModel):
    origin: str
    hash: str
    verifier_keys: list[str]


class Checkpoint(BaseModel):
    size: int
    root: str
    note: str
    signed_at: str


class Proof(BaseModel):
    proof: list[str]


class InclusionProof(Proof):
    index: int
    size: int


class ConsistencyProof(Proof):
    first: int
    second: int


class LogEntry(BaseModel):
    index: int
    content_type: str
    leaf_hash: str
    data: str
    entry: dict[str, Any] | None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _view(cp: StoredCheckpoint) -> Checkpoint:
    return Checkpoint(
        size=cp.size, root=_b64(cp.root), note=cp.note, signed_at=cp.signed_at.isoformat()
    )


def _latest(uow: UnitOfWork) -> StoredCheckpoint:
    cp = uow.ledger.latest_checkpoint()
    if cp is None:
        # none yet: sign one now — or, when the integrator signed one between the two reads
        # (integrate then has nothing to sign and returns None), read that one
        cp = uow.ledger.integrate(force_checkpoint=True) or uow.ledger.latest_checkpoint()
    return cp


def _proof(make: Any, a: int, b: int) -> list[str]:
    try:
        return [_b64(h) for h in make(a, b)]
    except LedgerError as exc:
        raise LedgerRange("ledger_range", {"detail": str(exc)}) from None


def verifier_key(uow: UnitOfWork, caller: Viewer) -> VerifierKey:
    """The log's verifier key and origin — what an auditor needs to check checkpoints."""
    ledger = uow.ledger
    return VerifierKey(origin=ledger.origin, hash=ledger.hasher.name, verifier_keys=ledger.vkeys)


def latest_checkpoint(uow: UnitOfWork, caller: Viewer) -> Checkpoint:
    return _view(_latest(uow))


def checkpoint_at(uow: UnitOfWork, caller: Viewer, size: int) -> Checkpoint:
    cp = uow.ledger.checkpoint_at(size)
    if cp is None:
        raise NotFound("not_found", {"kind": "checkpoint"})
    return _view(cp)


def inclusion_proof(
    uow: UnitOfWork, caller: Viewer, index: int, size: int | None
) -> InclusionProof:
    size = size or _latest(uow).size
    proof = _proof(uow.ledger.inclusion_proof, index, size)
    return InclusionProof(index=index, size=size, proof=proof)


def consistency_proof(
    uow: UnitOfWork, caller: Viewer, first: int, second: int | None
) -> ConsistencyProof:
    second = _latest(uow).size if second is None else second
    proof = _proof(uow.ledger.consistency_proof, first, second)
    return ConsistencyProof(first=first, second=second, proof=proof)


def log_entry(uow: UnitOfWork, caller: Viewer, index: int) -> LogEntry:
    """One entry, to regulators and to the tenants the entry names."""
    e = uow.ledger.entry(index)
    parsed = None
    if e is not None:
        try:
            parsed = json.loads(e.data)
        except ValueError:
            parsed = None
    named = isinstance(parsed, dict) and caller.name in parsed.get("tenants", [])
    if e is None or not (caller.role is Role.REGULATOR or named):
        raise NotFound("not_found", {"kind": "entry"})
    return LogEntry(
        index=e.index,
        content_type=e.content_type,
        leaf_hash=_b64(e.leaf_hash),
        data=_b64(e.data),
        entry=parsed if isinstance(parsed, dict) else None,
    )

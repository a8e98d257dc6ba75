"""Use cases of the regulator's desk besides hit reviews: the reveal audit trail in keyset
pages and whole (for export), and the ledger explorer's view of the evidence log.

The reveal audit (who read which document's personal information in clear, when and why) is
read by regulators only, as ``GET /audit/reveals``. The ledger explorer shows what the API's
``/ledger`` routes give every tenant — signed checkpoints are public by design
(c2sp.org/tlog-checkpoint: they are meant to be gossiped) and an entry is shown only to
regulators and the tenants it names (:func:`cbec.services.ledger.log_entry`) — so every
signed-in user may open it. Like a log monitor (:mod:`cbec.ledger.monitor`), the explorer
remembers per user the last checkpoint that user was shown and, on each visit, verifies the
RFC 9162 §2.1.4.2 consistency proof from it to the latest: a smaller tree, another root at
the same size or a failing proof is a fork, shown as an alarm (and the remembered checkpoint
is kept, so the alarm stays until someone looks into it).
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from cbec.errors import Forbidden, NotFound
from cbec.ledger.merkle import ProofError, verify_consistency
from cbec.ledger.note import NoteError, open_checkpoint
from cbec.ledger.verify import verify_bundle
from cbec.services import documents as docs
from cbec.services import ledger as ledger_svc
from cbec.services.users import SessionUser
from cbec.store.desk_store import DeskStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.kinds import KINDS
from cbec.trade.ports import now

MAX_EXPORT = 100_000  # reveals one export carries (years of an authority's reveals)
CHART_POINTS = 500  # checkpoints the explorer charts


class RevealRow(BaseModel):
    """One audited reveal, as ``GET /audit/reveals`` gives it."""

    id: int
    at: str
    tenant: str
    user: str | None = Field(
        description="The console user who revealed (their login); null: an API key"
    )
    key_id: str | None = Field(description="The API key's id when a machine revealed; else null")
    kind: str
    document_id: str
    fields: list[str]
    reason: str


class RevealPage(BaseModel):
    items: list[RevealRow]
    next_before: int | None = Field(description="Pass as `before` for the next (older) page")


def _regulator(caller: Viewer) -> None:
    if caller.role is not Role.REGULATOR:
        raise Forbidden("role_forbidden", {"allowed": "regulator"})


def reveal_target(uow: UnitOfWork, caller: Viewer, kind_name: str, doc_id: str) -> dict:
    """The document a regulator is about to reveal, masked, for the form that asks its
    reason (the reveal itself is :func:`cbec.services.documents.reveal_document`)."""
    _regulator(caller)
    return docs.get_document(uow, caller, kind_name, doc_id)


def reveal_page(
    uow: UnitOfWork, caller: Viewer, before: int | None = None, limit: int = 50
) -> RevealPage:
    """One page of the reveal audit trail, newest first (regulators only)."""
    _regulator(caller)
    with uow:
        rows = uow.repo.list_reveals(limit + 1, before)
    items = [RevealRow.model_validate(r) for r in rows[:limit]]
    more = len(rows) > limit
    return RevealPage(items=items, next_before=items[-1].id if more and items else None)


def reveal_export(uow: UnitOfWork, caller: Viewer) -> list[RevealRow]:
    """The whole reveal audit trail, newest first, for an export (regulators only)."""
    _regulator(caller)
    with uow:
        rows = uow.repo.list_reveals(MAX_EXPORT)
    return [RevealRow.model_validate(r) for r in rows]


class CheckpointPoint(BaseModel):
    size: int
    signed_at: datetime


class Consistency(BaseModel):
    """The latest checkpoint against the one this user was shown before."""

    state: Literal["first", "same", "consistent", "fork"]
    previous_size: int | None = None
    previous_root: str | None = None
    detail: str | None = None


class LedgerDesk(BaseModel):
    latest: ledger_svc.Checkpoint
    signers: list[str]
    history: list[CheckpointPoint]
    consistency: Consistency


def _parsed(data: bytes) -> dict | None:
    try:
        out = json.loads(data)
    except ValueError:
        return None
    return out if isinstance(out, dict) else None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def ledger_desk(uow: UnitOfWork, caller: SessionUser) -> LedgerDesk:
    """The latest signed checkpoint (its signature verified with the log's verifier keys),
    the checkpoints over time, and its consistency with the last one this user saw — which
    then becomes the one remembered, unless it is a fork."""
    ledger = uow.ledger
    latest = ledger_svc.latest_checkpoint(uow, caller.viewer)
    try:
        cp, signers = open_checkpoint(latest.note, ledger.vkeys)
    except NoteError as exc:
        cp, signers = None, []
        failure = f"the checkpoint's signature does not verify: {exc}"
    else:
        failure = None
    with uow.writing():
        store = DeskStore(uow.conn)
        history = [CheckpointPoint(size=s, signed_at=t) for s, t in store.checkpoints(CHART_POINTS)]
        seen = store.seen(caller.user_id)
        consistency = _consistency(ledger, seen, cp, failure)
        if cp is not None and consistency.state != "fork":
            store.set_seen(caller.user_id, cp.size, cp.root_hash, now())
        uow.commit()
    return LedgerDesk(latest=latest, signers=signers, history=history, consistency=consistency)


def _consistency(ledger, seen, cp, failure: str | None) -> Consistency:
    if cp is None:
        return Consistency(state="fork", detail=failure)
    if seen is None:
        return Consistency(state="first")
    size, root = seen
    prior = {"previous_size": size, "previous_root": _b64(root)}
    if cp.size < size:
        return Consistency(state="fork", detail=f"tree shrank from {size} to {cp.size}", **prior)
    if cp.size == size:
        if cp.root_hash != root:
            return Consistency(state="fork", detail=f"two roots for size {size}", **prior)
        return Consistency(state="same", **prior)
    try:
        proof = ledger.consistency_proof(size, cp.size)
        verify_consistency(size, cp.size, proof, root, cp.root_hash, ledger.hasher)
    except (ProofError, ValueError) as exc:
        detail = f"size {cp.size} is not consistent with size {size}: {exc}"
        return Consistency(state="fork", detail=detail, **prior)
    return Consistency(state="consistent", **prior)


def accept_checkpoint(uow: UnitOfWork, caller: SessionUser, size: int) -> None:
    """After a fork alarm, remember the latest checkpoint as the one this user saw — once
    the user has kept both checkpoints as the evidence of the fork. ``size`` is the size of
    the checkpoint the user was shown: a newer one is checked at the next visit as usual."""
    cp = uow.ledger.checkpoint_at(size)
    if cp is None:
        raise NotFound("not_found", {"kind": "checkpoint"})
    with uow.writing():
        DeskStore(uow.conn).set_seen(caller.user_id, cp.size, cp.root, now())
        uow.commit()


class EntryCheck(BaseModel):
    """A log entry the caller may read, and what the standalone verifier proved of it."""

    entry: ledger_svc.LogEntry
    check: docs.EvidenceCheck
    kind: str | None = None
    document_id: str | None = None


def entry_by_index(uow: UnitOfWork, caller: Viewer, index: int) -> EntryCheck:
    """Entry ``index`` (regulators, or tenants it names), its inclusion in the latest signed
    checkpoint checked by :func:`cbec.ledger.verify.verify_bundle`, the code of
    ``cbec-verify``; 404 for an entry not yet covered by a checkpoint."""
    entry = ledger_svc.log_entry(uow, caller, index)
    ledger = uow.ledger
    cp = ledger.latest_checkpoint()
    if cp is None or cp.size <= index:
        raise NotFound("not_found", {"kind": "entry"})
    text = ledger.bundle(index)
    verdict = verify_bundle(text, ledger.vkeys, origin=ledger.origin, hash_name=ledger.hasher.name)
    check = docs.EvidenceCheck(
        bundle=text, verified=verdict.ok, steps=verdict.steps, error=verdict.error
    )
    return EntryCheck(entry=entry, check=check)


def entry_of_document(uow: UnitOfWork, caller: Viewer, doc_id: str) -> EntryCheck:
    """The log entry of a document the caller may see, whatever its kind (404 otherwise)."""
    for kind in KINDS:
        try:
            found = docs.get_document(uow, caller, kind, doc_id)
        except NotFound:
            continue
        index = (found.get("ledger") or {}).get("index")
        if index is None:
            break
        check = docs.check_evidence(uow, caller, kind, doc_id)
        e = uow.ledger.entry(index)
        entry = ledger_svc.LogEntry(
            index=index,
            content_type=e.content_type,
            leaf_hash=_b64(e.leaf_hash),
            data=_b64(e.data),
            entry=_parsed(e.data),
        )
        return EntryCheck(entry=entry, check=check, kind=kind, document_id=doc_id)
    raise NotFound("not_found", {"kind": "document"})


def entry_bundle(uow: UnitOfWork, caller: Viewer, index: int) -> str:
    """The c2sp.org/tlog-proof bundle of an entry the caller may read."""
    return entry_by_index(uow, caller, index).check.bundle

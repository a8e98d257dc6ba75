"""HTTP routes of the evidence ledger: key, checkpoints, proofs, entries
(use cases in :mod:`cbec.services.ledger`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Uow
from cbec.services import ledger as svc

Size = Annotated[int, Path(ge=1, le=svc.MAX_INDEX, description="A tree size")]
router = APIRouter(prefix="/ledger", tags=["ledger"], route_class=JsonBodyRoute)


@router.get("/key", summary="The log's verifier key and origin (give these to auditors)")
def key(caller: Caller, uow: Uow) -> svc.VerifierKey:
    """An auditor checks every checkpoint against this key (C2SP signed-note verifier
    format) and the origin line; take it once, out of band, and keep it."""
    return svc.verifier_key(uow, caller)


@router.get("/checkpoint", summary="The latest signed checkpoint (c2sp.org/tlog-checkpoint)")
def checkpoint(caller: Caller, uow: Uow) -> svc.Checkpoint:
    """The newest signed tree head: size, root hash and the signed note. Signed on demand
    when none exists yet."""
    return svc.latest_checkpoint(uow, caller)


@router.get(
    "/proof/inclusion",
    summary="Inclusion proof of entry `index` in the tree of `size` (RFC 9162 §2.1.3)",
)
def inclusion(
    caller: Caller,
    uow: Uow,
    index: Annotated[int, Query(ge=0, le=svc.MAX_INDEX)],
    size: Annotated[int | None, Query(ge=1, le=svc.MAX_INDEX)] = None,
) -> svc.InclusionProof:
    """The audit path proving entry `index` is in the tree of `size` (default: the latest
    checkpoint). A size or index outside the signed tree is a 400."""
    return svc.inclusion_proof(uow, caller, index, size)


@router.get("/proof/consistency", summary="Consistency proof between tree sizes (RFC 9162 §2.1.4)")
def consistency(
    caller: Caller,
    uow: Uow,
    first: Annotated[int, Query(ge=0, le=svc.MAX_INDEX)],
    second: Annotated[int | None, Query(ge=0, le=svc.MAX_INDEX)] = None,
) -> svc.ConsistencyProof:
    """Proof that the tree of size `second` (default: the latest) extends the tree of size
    `first` without changing it — what a monitor checks between checkpoints."""
    return svc.consistency_proof(uow, caller, first, second)


@router.get(
    "/checkpoints/{size}",
    summary="The checkpoint signed at a given tree size",
    responses=problems(404),
)
def checkpoint_at(size: Size, caller: Caller, uow: Uow) -> svc.Checkpoint:
    """The checkpoint as it was signed at `size`; 404 if no checkpoint has that size."""
    return svc.checkpoint_at(uow, caller, size)


@router.get(
    "/entries/{index}",
    summary="One log entry (regulators, or tenants it names)",
    responses=problems(404),
)
def entry(
    index: Annotated[int, Path(ge=0, le=svc.MAX_INDEX)], caller: Caller, uow: Uow
) -> svc.LogEntry:
    """The entry bytes (base64), its RFC 6962 leaf hash and the parsed entry. Entries carry
    no personal data; tenants not named in an entry get 404, as for a missing one."""
    return svc.log_entry(uow, caller, index)

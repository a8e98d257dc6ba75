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
    return svc.verifier_key(uow, caller)


@router.get("/checkpoint", summary="The latest signed checkpoint (c2sp.org/tlog-checkpoint)")
def checkpoint(caller: Caller, uow: Uow) -> svc.Checkpoint:
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
    return svc.inclusion_proof(uow, caller, index, size)


@router.get("/proof/consistency", summary="Consistency proof between tree sizes (RFC 9162 §2.1.4)")
def consistency(
    caller: Caller,
    uow: Uow,
    first: Annotated[int, Query(ge=0, le=svc.MAX_INDEX)],
    second: Annotated[int | None, Query(ge=0, le=svc.MAX_INDEX)] = None,
) -> svc.ConsistencyProof:
    return svc.consistency_proof(uow, caller, first, second)


@router.get(
    "/checkpoints/{size}",
    summary="The checkpoint signed at a given tree size",
    responses=problems(404),
)
def checkpoint_at(size: Size, caller: Caller, uow: Uow) -> svc.Checkpoint:
    return svc.checkpoint_at(uow, caller, size)


@router.get(
    "/entries/{index}",
    summary="One log entry (regulators, or tenants it names)",
    responses=problems(404),
)
def entry(
    index: Annotated[int, Path(ge=0, le=svc.MAX_INDEX)], caller: Caller, uow: Uow
) -> svc.LogEntry:
    return svc.log_entry(uow, caller, index)

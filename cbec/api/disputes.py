"""HTTP routes of dispute cases (use cases in :mod:`cbec.services.disputes` and
:mod:`cbec.services.dispute_pack`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Uow
from cbec.disputes.model import State
from cbec.services import dispute_pack
from cbec.services import disputes as svc

router = APIRouter(tags=["disputes"], route_class=JsonBodyRoute)

CaseId = Annotated[str, Path(max_length=32, description="The case's id")]


@router.post(
    "/disputes",
    summary="Open a dispute case on an order",
    description=(
        "The order's platform, its seller or a regulator opens a case on an order it may read "
        "(404 for any other order; 403 `dispute_opener` for another role): a reason, a claim "
        "(amount and ISO 4217 currency) and, optionally, a first message. The case's parties "
        "are the order's platform and seller and its opener; the response and resolution "
        "deadlines follow from the reason (rule data, with its source). The opening is "
        "logged in the evidence ledger (ids and amounts, no personal data)."
    ),
    status_code=201,
    response_model=svc.CaseView,
    responses=problems(403, 404),
)
def open_case(body: svc.OpenRequest, caller: Caller, uow: Uow) -> svc.CaseView:
    return svc.open_case(uow, caller, body)


@router.get(
    "/disputes",
    summary="Your dispute cases",
    description="The cases you are a party to, newest first, with their deadlines.",
    response_model=svc.CaseList,
)
def list_cases(
    caller: Caller,
    uow: Uow,
    state: Annotated[State | None, Query(description="Only cases in this state")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> svc.CaseList:
    return svc.list_cases(uow, caller, state, limit)


@router.get(
    "/disputes/{case_id}",
    summary="A dispute case, its messages and events",
    description="Only the case's parties read it; anyone else gets 404.",
    response_model=svc.CaseView,
    responses=problems(404),
)
def show_case(case_id: CaseId, caller: Caller, uow: Uow) -> svc.CaseView:
    return svc.show_case(uow, caller, case_id)


@router.post(
    "/disputes/{case_id}/messages",
    summary="Say something in a dispute case",
    description=(
        "A message to the case's other parties (stored encrypted; read by the parties only; "
        "the ledger keeps a keyed hash of it). The first message of a party other than the "
        "opener answers the case (`responded`). 409 `dispute_final` once it is resolved or "
        "closed."
    ),
    response_model=svc.CaseView,
    responses=problems(404, 409),
)
def add_message(
    case_id: CaseId, body: svc.MessageRequest, caller: Caller, uow: Uow
) -> svc.CaseView:
    return svc.add_message(uow, caller, case_id, body)


@router.post(
    "/disputes/{case_id}/resolution",
    summary="Resolve or withdraw a dispute case",
    description=(
        "`refund_full`, `refund_partial` (with `refund_amount`, more than 0 and less than the "
        "claim) or `rejected`, by the order's platform or a regulator party; the seller may "
        "concede a refund but not reject (403). `withdrawn`, by the opener only (403 "
        "otherwise). 409 `dispute_final` for a case already resolved or closed."
    ),
    response_model=svc.CaseView,
    responses=problems(403, 404, 409),
)
def resolve_case(
    case_id: CaseId, body: svc.ResolveRequest, caller: Caller, uow: Uow
) -> svc.CaseView:
    return svc.resolve_case(uow, caller, case_id, body)


@router.get(
    "/disputes/{case_id}/pack",
    summary="The case's evidence pack (zip), verifiable offline",
    description=(
        "Assembled by the case from what is stored for its order and readable by you: the "
        "order, its payments and waybills, tracking events, customs messages and receipts, "
        "compliance decisions and the case's own log entries — each item as JSON with its "
        "c2sp.org/tlog-proof bundle, all proven against one signed checkpoint, listed with "
        "their SHA-256 in `manifest.json`. A document you filed comes in clear with its "
        "commitment salt; any other comes masked, with the commitments of its personal "
        "fields. Check each bundle with `cbec-verify` and the log's public key."
    ),
    response_class=Response,
    responses={
        200: {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}},
        **problems(404),
    },
)
async def pack(case_id: CaseId, caller: Caller, uow: Uow) -> Response:
    data = await run_in_threadpool(dispute_pack.assemble, uow, caller, case_id)
    name = f"dispute-{case_id}.zip"
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )

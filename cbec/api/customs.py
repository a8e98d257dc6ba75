"""HTTP routes of the China customs messages (CEB 202205): check and record messages and
receipts, build them from stored documents, withdraw a declared list, list declarations,
reconcile three (三单对碰) and find stored orders that would not reconcile.

Each handler translates HTTP to a use case of :mod:`cbec.services.customs` or
:mod:`cbec.services.customs_declare` and back. XML bodies are taken as the exact bytes (they
are hashed into the evidence log); JSON bodies become the request models with their
``from_json`` (numbers as ``Decimal``, never ``float``), whose JSON Schema OpenAPI shows.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.customs_examples import CEB311_EXAMPLE, CEB312_EXAMPLE
from cbec.api.deps import Caller, Uow
from cbec.services import customs as svc
from cbec.services import customs_declare as declare
from cbec.services import customs_timeline

router = APIRouter(tags=["customs"], route_class=JsonBodyRoute)
DocId = Annotated[str, Path(max_length=64, description="The stored document's id")]


def _xml_body(example: str, what: str) -> dict[str, Any]:
    """``openapi_extra`` for a CEB message as the body (``application/xml``)."""
    schema = {"type": "string", "description": what}
    content = {"application/xml": {"schema": schema, "example": example}}
    return {"requestBody": {"required": True, "content": content}}


def _json_body(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` for a JSON body the use case reads with ``Decimal`` numbers; the
    request models are flat, so their JSON Schema stands inline."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


@router.post(
    "/customs/validate",
    summary="Check a CEB message (official XSD, then the business rules)",
    description=(
        "Any CEB 202205 import or export message. Nothing is stored. Unreadable XML is "
        "reported as a problem with rule `XML`; an unknown message type and schema errors as "
        "`XSD` (with the XPath and line); business rules by code (`CEB-TOTAL` …)."
    ),
    openapi_extra=_xml_body(CEB311_EXAMPLE, "A CEB message, e.g. CEB311"),
)
async def validate(request: Request, caller: Caller, uow: Uow) -> svc.CheckResult:
    req = svc.MessageRequest(xml=await request.body())
    return await run_in_threadpool(svc.validate_message, uow, caller, req)


@router.post(
    "/customs/messages",
    summary="Record a CEB message or receipt sent or received: checked, logged, tracked",
    description=(
        "The log admits only what you can have exchanged with customs: a message valid "
        "against the official schema, sent under your customs identity (BaseTransfer "
        "`copCode` and `dxpId` from your customs profile), or a receipt for records you "
        "declared; anything else answers 422 naming the rule and is not logged. An admitted "
        "message is appended to the evidence log (its SHA-256, never its personal data) — "
        "even one that breaks a business rule, since what was exchanged with customs is "
        "evidence either way. A valid business message declares its records; a receipt "
        "(CEB312 … CEB626) moves them as its `returnStatus` says. A step the state machine "
        "does not allow (a late 100 after 120), or a record another tenant declared, is "
        "refused with 409 after the message was logged; the problem names the entry."
    ),
    responses=problems(409),
    openapi_extra=_xml_body(CEB312_EXAMPLE, "A CEB message or receipt, e.g. CEB312"),
)
async def record(request: Request, caller: Caller, uow: Uow) -> svc.Recorded:
    req = svc.MessageRequest(xml=await request.body())
    return await run_in_threadpool(svc.record_message, uow, caller, req)


_DECLARE = (
    "Built from the stored document by the tenant that filed it (403 for anyone else who "
    "may see it), checked, logged and tracked as declared. Needs the customs profiles of the "
    "parties (`cbec admin customs-profile`); 400 names a missing one, 422 every field "
    "customs cannot take."
)


@router.post(
    "/orders/{doc_id}/customs/ceb311",
    summary="Build, check, log and track the CEB311 of a stored order (its filer only)",
    description=_DECLARE + " The order's payment transaction is included when one is filed.",
    responses=problems(403, 404, 409),
)
def declare_order(doc_id: DocId, caller: Caller, uow: Uow) -> declare.Sent:
    return declare.declare_document(uow, caller, "order", doc_id)


@router.post(
    "/payments/{doc_id}/customs/ceb411",
    summary="Build, check, log and track the CEB411 of a stored payment (its filer only)",
    description=_DECLARE,
    responses=problems(403, 404, 409),
)
def declare_payment(doc_id: DocId, caller: Caller, uow: Uow) -> declare.Sent:
    return declare.declare_document(uow, caller, "payment", doc_id)


@router.post(
    "/waybills/{doc_id}/customs/ceb511",
    summary="Build, check, log and track the CEB511 of a stored waybill (its filer only)",
    description=_DECLARE,
    responses=problems(403, 404, 409),
)
def declare_waybill(doc_id: DocId, caller: Caller, uow: Uow) -> declare.Sent:
    return declare.declare_document(uow, caller, "waybill", doc_id)


@router.post(
    "/orders/{doc_id}/customs/ceb621",
    summary="Build the CEB621 inventory list of a stored order (the declaration itself)",
    description=(
        "From the order, its waybill and its seller's catalog (10-digit CN code, legal "
        "units). Signed, logged and tracked with the tenant's software key; without one it "
        "is returned unsigned (`ledger` null) for the E-Port card, and the signed message "
        "comes back through `POST /customs/messages`."
    ),
    responses=problems(403, 404, 409),
    openapi_extra=_json_body(declare.DeclarationRequest),
)
async def declare_inventory(
    doc_id: DocId, request: Request, caller: Caller, uow: Uow
) -> declare.Sent:
    body = declare.DeclarationRequest.from_json(await request.body())
    return await run_in_threadpool(declare.declare_inventory, uow, caller, doc_id, body)


@router.post(
    "/customs/withdrawals",
    summary="Cancel (CEB623) or return (CEB625) a declared inventory list",
    description=(
        "Restates the CEB621 as declared (it must be valid against the official schema, "
        "signature included) with its `invt_no` and a reason; a return may name some lines "
        "and quantities. Signed, logged and tracked with the tenant's software key, else "
        "returned unsigned for the card. A list cbec tracks must be accepted by customs "
        "first: withdrawing one that is not is refused with 409 after the message was logged."
    ),
    responses=problems(409),
    openapi_extra=_json_body(declare.WithdrawalRequest),
)
async def withdraw(request: Request, caller: Caller, uow: Uow) -> declare.Sent:
    body = declare.WithdrawalRequest.from_json(await request.body())
    return await run_in_threadpool(declare.withdraw, uow, caller, body)


@router.get(
    "/customs/declarations",
    summary="Your declarations and their history (regulators: everyone's)",
    description="Newest first; each with the events that moved it and their log entries.",
)
def declarations(
    caller: Caller,
    uow: Uow,
    state: Annotated[svc.DeclarationState | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[svc.DeclarationView]:
    query = svc.DeclarationsQuery(state=state, limit=limit)
    return svc.list_declarations(uow, caller, query)


@router.post(
    "/customs/reconcile",
    summary="三单对碰 of CEB311, CEB411 and CEB511 (and a CEB621)",
    description=(
        "Each message must be well-formed, of its type and valid against the official "
        "202205 schema — an amount such as `NaN` or `1e999999` is a 422 naming the input "
        "(`payment`) and the schema path. The report lists every disagreement; the compared "
        "values of personal fields are withheld."
    ),
    openapi_extra=_json_body(svc.ReconcileRequest),
)
async def reconcile(request: Request, caller: Caller, uow: Uow) -> svc.ReconcileReport:
    body = svc.ReconcileRequest.from_json(await request.body())
    return await run_in_threadpool(svc.reconcile_messages, uow, caller, body)


@router.get(
    "/customs/unmatched",
    summary="Your orders whose stored order, payment and waybill do not reconcile",
    description="Related documents are those of the same order number within its platform.",
)
def unmatched(
    caller: Caller,
    uow: Uow,
    platform: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> svc.Unmatched:
    return svc.unmatched_orders(uow, caller, svc.UnmatchedQuery(platform=platform, limit=limit))


@router.get(
    "/orders/{doc_id}/customs/timeline",
    summary="The customs messages and receipts of a stored order, oldest first",
    description=(
        "Every event of your declarations (a regulator's: everyone's) of the order's CEB311 "
        "and CEB621 (and CEB623/625), keyed by its number, and of the CEB411/511 of its "
        "payments and waybills: when, which message, the receipt's `returnStatus` and note, "
        "and the state it moved the declaration to. An order you may not see answers 404."
    ),
    response_model=customs_timeline.Timeline,
    responses=problems(404),
)
def timeline(
    doc_id: Annotated[str, Path(max_length=64, description="The order's document id")],
    caller: Caller,
    uow: Uow,
) -> customs_timeline.Timeline:
    return customs_timeline.order_timeline(uow, caller, doc_id)

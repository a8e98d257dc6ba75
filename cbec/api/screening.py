"""HTTP routes of sanctions / denied-party screening: load and list the lists, screen names,
review the hits (use cases in :mod:`cbec.services.screening` and
:mod:`cbec.services.hit_review`).

A list is uploaded as the file its authority publishes, in the body, with its media type:
FollowTheMoney JSON lines (``application/x-ndjson``), the OFAC SDN list as XML
(``application/xml``) or CSV (``text/csv``), the UN consolidated list XML
(``application/xml``). The format is told from the content, so a mislabelled download
still loads.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import AfterValidator
from starlette.concurrency import run_in_threadpool

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Uow
from cbec.services import hit_review
from cbec.services import screening as svc
from cbec.trade.types import clean_text

router = APIRouter(prefix="/screening", tags=["screening"], route_class=JsonBodyRoute)

_FILE = {"type": "string", "format": "binary"}
LIST_FILE = {
    "requestBody": {
        "required": True,
        "description": "The list file, as published (the format is detected from the content)",
        "content": {
            "application/x-ndjson": {
                "schema": _FILE,
                "example": '{"id": "NK-1", "schema": "Person", "properties": {"name": ["…"]}}',
            },
            "application/xml": {"schema": _FILE, "example": "<sdnList>…</sdnList>"},
            "text/csv": {"schema": _FILE, "example": '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",…'},
            "application/octet-stream": {"schema": _FILE},
        },
    }
}


@router.post(
    "/lists",
    summary="Load or replace a screening list (FtM JSON lines, OFAC SDN XML or CSV, UN XML)",
    description="Regulators and platforms (a platform replaces only the lists it loaded). "
    "The new version replaces the active list of the same `name`; it is kept by content "
    "hash and logged. A file no loader reads answers 422 naming what is wrong.",
    response_model=svc.ListLoaded,
    responses=problems(403),
    openapi_extra=LIST_FILE,
)
async def load(
    request: Request,
    caller: Caller,
    uow: Uow,
    name: Annotated[str, Query(min_length=1, max_length=100), AfterValidator(clean_text)],
    source: Annotated[str, Query(min_length=1, max_length=300), AfterValidator(clean_text)],
) -> svc.ListLoaded:
    req = svc.ListLoadRequest(name=name, source=source, content=await request.body())
    return await run_in_threadpool(svc.load_list, uow, caller, req)


@router.get(
    "/lists",
    summary="Screening lists, as loaded",
    description="Every list version loaded, active and retired, oldest first.",
    response_model=list[svc.ListView],
)
def lists(caller: Caller, uow: Uow) -> list[svc.ListView]:
    return svc.list_lists(uow, caller)


@router.post(
    "/screen",
    summary="Screen names against the active lists",
    description="Nothing is stored. Per name: whether it matches, the best score (0..1) and "
    "every hit with the list's own spelling. 400 `screening_no_list` when no list is loaded.",
    response_model=svc.ScreenResult,
)
def screen_names(body: svc.ScreenRequest, caller: Caller, uow: Uow) -> svc.ScreenResult:
    return svc.screen_names(uow, caller, body)


@router.get(
    "/hits",
    summary="Screening matches on stored documents, to review (regulators, platforms)",
    description="Newest first, each masked as its document is for the caller, with the list "
    "hashes it was screened against and its review. A regulator sees every hit, a platform "
    "those on its own documents; `status` keeps the open, confirmed or dismissed ones, "
    "`before` pages on (the smallest `id` of the previous page).",
    response_model=list[hit_review.HitView],
    response_model_exclude_unset=True,
    responses=problems(403),
)
def hits(
    caller: Caller,
    uow: Uow,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    status: hit_review.Status | None = None,
    before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> Any:
    query = hit_review.HitQuery(status=status, limit=limit, before=before)
    return hit_review.list_hits(uow, caller, query)


@router.post(
    "/hits/{hit_id}/review",
    summary="Review a screening hit: confirm it or dismiss it, with the reason",
    description="A regulator reviews any hit, a platform the hits on its own documents; "
    "another tenant that sees the document gets 403, one that does not 404. The review "
    "(who, when, decision, reason) is recorded and logged to the evidence ledger without the "
    "reason. A hit is reviewed once: 409 `hit_reviewed` after that.",
    response_model=hit_review.HitView,
    response_model_exclude_unset=True,
    responses=problems(403, 404, 409),
)
def review(
    hit_id: Annotated[int, Path(ge=1, le=2**63 - 1, description="The hit's id")],
    body: hit_review.ReviewRequest,
    caller: Caller,
    uow: Uow,
) -> Any:
    return hit_review.review_hit(uow, caller, hit_id, body)

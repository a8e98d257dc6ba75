"""HTTP routes of the trade documents, one set per kind in the registry.

Each kind gets ``POST /{kind}s``, ``GET /{kind}s``, ``GET /{kind}s/{id}``,
``POST /{kind}s/import``, ``POST /{kind}s/{id}/reveal`` and ``GET /{kind}s/{id}/evidence``
(and ``PUT``/``versions`` when the kind is changeable). Every handler translates HTTP to a
use case of :mod:`cbec.services.documents` and back; the body is read as bytes and parsed by
the use case (JSON numbers as ``Decimal``), while OpenAPI declares the kind's model for it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from cbec.api import errors as api_errors
from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Uow
from cbec.api.metrics import metrics_of
from cbec.api.responses import FastJSONResponse
from cbec.api.turns import turns_of
from cbec.compliance.model import Outcome
from cbec.errors import BadRequest, Conflict, DocumentInvalid
from cbec.services import bulk
from cbec.services import documents as svc
from cbec.trade import tabular
from cbec.trade.filing import BatchRejected
from cbec.trade.kinds import KINDS, Kind

T = TypeVar("T")

DocId = Annotated[str, Path(max_length=64, description="The document's id")]
IdemKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=255,
        description="Retry-safe key (draft-ietf-httpapi-idempotency-key-header)",
    ),
]


class Evidence(BaseModel):
    index: int | None
    integrated: bool | None = None
    checkpoint_size: int | None = None
    inclusion_proof: list[str] | None = None
    checkpoint: str | None = None


class StoredView(BaseModel, Generic[T]):
    """How a stored document is returned: personal fields masked unless ``pii`` is clear."""

    id: str
    kind: str
    filed_by: str
    created_at: datetime
    pii: Literal["clear", "masked"]
    version: int
    ledger: Evidence
    document: T
    audit_id: int | None = None
    evidence_salt: str | None = None


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


class ImportSummary(BaseModel):
    """What an import did. ``rejects`` lists the first rejected rows (100) with their
    reasons; ``rejected`` and ``rejected_by_rule`` count them all."""

    kind: str
    encoding: str | None = Field(
        description="The text encoding the file was read in (`utf-8`, `utf-8-sig` with a "
        "byte-order mark, `gb18030` for GBK, …); null for an XLSX workbook"
    )
    written: bool
    created: int
    unchanged: int
    rejected: int = Field(description="Rows rejected, all of them")
    rejected_by_rule: dict[str, int] = Field(
        description="How many times each rule was broken, over all rejected rows"
    )
    rejects_truncated: bool = Field(description="True when `rejects` lists only the first rows")
    rejects: list[dict[str, Any]] = Field(description="The first rejected rows, by row number")


class VersionView(BaseModel):
    version: int
    valid_from: datetime
    superseded_at: datetime
    ledger: Evidence
    document: dict[str, Any]


class Versions(BaseModel):
    current_version: int
    earlier: list[VersionView]


SPOOL_IN_MEMORY = 1 << 20


async def _spooled(request: Request) -> tempfile.SpooledTemporaryFile:
    """The request body in a temporary file (in memory up to 1 MiB, then on disk, unlinked at
    once and gone when closed — a refused upload leaves nothing behind), so an import of
    the largest size accepted (``CBEC_MAX_IMPORT_BYTES``) is read as a stream."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - returned open
    try:
        async for block in request.stream():
            if spool.tell() + len(block) > SPOOL_IN_MEMORY:
                # On disk: a write may wait for the kernel to flush dirty pages, so it runs
                # off the event loop (another tenant's request must not wait for this one).
                await run_in_threadpool(spool.write, block)
            else:
                spool.write(block)
    except BaseException:
        spool.close()
        raise
    return spool


async def import_spooled(
    request: Request, kind: str, run: Callable[[tempfile.SpooledTemporaryFile], dict[str, Any]]
) -> JSONResponse:
    """An import route's body: the upload spooled (:func:`_spooled`), ``run(upload)`` (the
    use case) off the event loop, the filings counted in the metrics by ``kind`` — a refused
    batch too, before its 422 is raised on."""
    metrics = metrics_of(request)
    with await _spooled(request) as upload:
        try:
            summary = await run_in_threadpool(run, upload)
        except BatchRejected as exc:
            if metrics:
                metrics.filing(kind, "rejected", exc.report.rejected_count)
            raise
    if metrics:
        metrics.filings(kind, summary["created"], summary["unchanged"], summary["rejected"])
    return FastJSONResponse(summary)


Placed = tuple[datetime | None, datetime | None]


def _placed(
    placed_from: Annotated[
        datetime | None,
        Query(description="Placed (`ordered_at`) at or after this time (no zone: UTC)"),
    ] = None,
    placed_to: Annotated[
        datetime | None,
        Query(description="Placed (`ordered_at`) before this time (no zone: UTC)"),
    ] = None,
) -> Placed:
    """The range of placing times a list asks for, of a kind that records one (orders)."""
    return placed_from, placed_to


def _never_placed() -> Placed:
    """No range of placing times: the kind records none, so the list offers no such filter."""
    return None, None


def _body_schema(kind: Kind) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{kind.model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


def router_for(kind: Kind) -> APIRouter:
    """The routes of one document kind (generated from the registry, see module doc)."""
    router = APIRouter(prefix=f"/{kind.plural}", tags=[kind.plural], route_class=JsonBodyRoute)
    view = StoredView[kind.model]  # type: ignore[name-defined]
    name = kind.name

    @router.post(
        "",
        summary=f"File a {name}",
        description=(
            f"File one {name}. The same document filed again answers 200 with the stored one; "
            "the same natural key with other content answers 409 naming the differing fields "
            "of that document, which is always one the caller can read (an order's key is "
            "scoped by its platform and seller). "
            "With an `Idempotency-Key`, a retry answers as the first call did."
        ),
        status_code=201,
        responses={
            201: {"model": view, "description": "Created"},
            200: {"model": view, "description": "The same document was already stored"},
            **problems(403, 409),
        },
        openapi_extra=_body_schema(kind),
    )
    async def create(request: Request, caller: Caller, uow: Uow, idem: IdemKey = None):
        req = svc.FileRequest(kind=name, body=await request.body(), idempotency_key=idem)
        metrics = metrics_of(request)
        try:
            filed = await turns_of(request).run(svc.file_document, uow, caller, req)
        except (DocumentInvalid, BadRequest, Conflict):  # refused for what was sent
            if metrics:
                metrics.filing(name, "rejected")
            raise
        if metrics:
            metrics.filing(name, "created" if filed.status == 201 else "unchanged")
        headers = {"Location": f"/{kind.plural}/{filed.view['id']}"}
        return FastJSONResponse(filed.view, status_code=filed.status, headers=headers)

    @router.post(
        "/import",
        summary=f"Bulk import {kind.plural} (JSON Lines, CSV or XLSX)",
        description=(
            "All or nothing by default: one bad row rejects the batch (422 with the report) "
            "and nothing is written. With `continue_on_error=true` the good rows are written "
            "and the bad ones reported. CSV uses dotted column names (`buyer.name`) and one "
            "row per list item; consecutive rows with the same key are one document. An XLSX "
            "workbook's first sheet is read as such a table. A CSV file may be UTF-8 (with or "
            "without a byte-order mark), UTF-16 with one, GBK/GB18030, Big5 or Shift_JIS: "
            "the encoding is detected from the file's start unless `encoding` names it; "
            "JSON Lines is UTF-8. The summary says which encoding was used."
        ),
        response_model=ImportSummary,
        responses=problems(403, 409),
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-ndjson": {"schema": {"type": "string"}},
                    "text/csv": {"schema": {"type": "string"}},
                    tabular.XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
                },
            }
        },
    )
    async def import_(
        request: Request,
        caller: Caller,
        uow: Uow,
        idem: IdemKey = None,
        continue_on_error: bool = False,
        encoding: Annotated[
            str | None,
            Query(
                max_length=64,
                description="The CSV file's text encoding (`gb18030`, `utf-8`, …); detected "
                "when absent",
            ),
        ] = None,
        content_type: Annotated[str | None, Header(max_length=255)] = None,
    ):
        lang = api_errors.lang_of(request)

        def run(upload: tempfile.SpooledTemporaryFile) -> dict[str, Any]:
            req = bulk.ImportRequest(
                kind=name,
                body=upload,
                format=tabular.format_of(None, content_type),
                encoding=encoding,
                continue_on_error=continue_on_error,
                idempotency_key=idem,
                lang=lang,
            )
            return bulk.import_documents(uow, caller, req)

        return await import_spooled(request, name, run)

    @router.get(
        "",
        summary=f"List {kind.plural} you may see",
        description="Oldest first (`newest_first=true`: newest first); follow `next_cursor` "
        "for the next page (a cursor serves the direction it was made for).",
        response_model=Page[view],
    )
    def list_(
        caller: Caller,
        uow: Uow,
        order_no: Annotated[str | None, Query(max_length=100)] = None,
        platform: Annotated[str | None, Query(max_length=64)] = None,
        seller: Annotated[str | None, Query(max_length=64)] = None,
        filed_by: Annotated[str | None, Query(max_length=64)] = None,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
        # a default, not an annotation: annotations are read as module-level names, and
        # which dependency applies depends on the kind of this router
        placed: Placed = Depends(_placed if kind.placed_field else _never_placed),
        outcome: Annotated[
            Outcome | None,
            Query(description="Orders with a compliance decision of this outcome"),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        cursor: Annotated[str | None, Query(max_length=64)] = None,
        newest_first: bool = False,
    ):
        query = svc.ListQuery(
            kind=name,
            order_no=order_no,
            platform=platform,
            seller=seller,
            filed_by=filed_by,
            created_from=created_from,
            created_to=created_to,
            placed_from=placed[0],
            placed_to=placed[1],
            outcome=outcome,
            limit=limit,
            cursor=cursor,
            newest_first=newest_first,
        )
        return FastJSONResponse(svc.list_documents(uow, caller, query).model_dump())

    @router.get(
        "/{doc_id}",
        summary=f"Read one {name}",
        description="With its evidence: the log index and, once signed, the inclusion proof.",
        response_model=view,
        responses=problems(404),
    )
    def get_one(doc_id: DocId, caller: Caller, uow: Uow):
        return FastJSONResponse(svc.get_document(uow, caller, name, doc_id))

    if kind.changeable:

        @router.put(
            "/{doc_id}",
            summary=f"Replace a {name} with a new version",
            description="The old version is kept and the change is logged.",
            response_model=view,
            responses=problems(403, 404),
            openapi_extra=_body_schema(kind),
        )
        async def change(doc_id: DocId, request: Request, caller: Caller, uow: Uow):
            req = svc.ChangeRequest(kind=name, doc_id=doc_id, body=await request.body())
            return FastJSONResponse(await run_in_threadpool(svc.change_document, uow, caller, req))

        @router.get(
            "/{doc_id}/versions",
            summary=f"Earlier versions of a {name}",
            description="Each earlier version with when it was valid and its log index; "
            "personal fields as you may see them.",
            response_model=Versions,
            responses=problems(404),
        )
        def versions(doc_id: DocId, caller: Caller, uow: Uow):
            return FastJSONResponse(svc.document_versions(uow, caller, name, doc_id))

    @router.post(
        "/{doc_id}/reveal",
        summary=f"Regulators: read a {name}'s personal information in clear (audited)",
        description="The reason (at least 10 characters) is kept in the audit trail with who "
        "read which fields; the answer includes the salt that opens the log entry's "
        "commitments, so the clear document can be checked against the evidence.",
        response_model=view,
        responses=problems(403, 404),
    )
    def reveal(doc_id: DocId, body: svc.RevealRequest, caller: Caller, uow: Uow):
        return FastJSONResponse(svc.reveal_document(uow, caller, name, doc_id, body))

    @router.get(
        "/{doc_id}/evidence",
        summary=f"Evidence bundle (c2sp.org/tlog-proof) proving this {name} is logged",
        description="A self-contained text bundle — entry, inclusion proof, signed checkpoint "
        "— that `cbec-verify` checks offline against the log's verifier key.",
        response_class=PlainTextResponse,
        responses={
            200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
            **problems(404),
        },
    )
    def evidence(doc_id: DocId, caller: Caller, uow: Uow):
        text = svc.evidence_bundle(uow, caller, name, doc_id)
        return PlainTextResponse(text, media_type="text/plain; charset=utf-8")

    return router


routers = [router_for(kind) for kind in KINDS.values()]

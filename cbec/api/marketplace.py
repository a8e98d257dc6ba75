"""HTTP route of marketplace order files (use case in :mod:`cbec.services.marketplace_import`):
an Amazon, Shopify, TikTok Shop, AliExpress, Shopee or Lazada order export filed as cbec
orders, as ``cbec import orders FILE --from …`` files it."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from cbec.api import errors as api_errors
from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Uow
from cbec.api.documents import ImportSummary, _spooled
from cbec.api.metrics import metrics_of
from cbec.connectors.marketplaces import NAMES
from cbec.services import marketplace_import as svc
from cbec.trade import tabular
from cbec.trade.filing import BatchRejected

router = APIRouter(tags=["orders"], route_class=JsonBodyRoute)

Source = Literal[NAMES]  # type: ignore[valid-type]


class AssumedColumn(BaseModel):
    column: str
    reason: str


class Conversion(BaseModel):
    """What reading the file found beside its orders."""

    format: str = Field(description="The export the header was read as (`shopee`, …)")
    unmapped: list[str] = Field(description="The file's columns the mapping does not read")
    ambiguous: list[AssumedColumn] = Field(description="Columns whose meaning was assumed")
    skipped_rows: list[int] = Field(description="Rows of cancelled orders, not filed")


class MarketplaceSummary(ImportSummary):
    marketplace: Conversion


@router.post(
    "/imports/marketplace",
    summary="Import a marketplace's order export (Amazon, Shopify, TikTok, AliExpress, "
    "Shopee, Lazada)",
    description=(
        "The file as the marketplace exports it — CSV (`text/csv`, its encoding detected "
        "or named by `encoding`) or an XLSX workbook's first sheet — read by the format its "
        "header names (`source=auto`) or the one given, and filed as orders under "
        "`platform` through the same checks and natural keys as `POST /orders/import`: "
        "a second import of the same file counts every order unchanged. What the file "
        "cannot give comes from the query: the currency when it names none, the IANA time "
        "zone of times written without an offset, where the goods ship from; each line's "
        "HS code, unit and origin come from your catalogue by SKU. All or nothing unless "
        "`continue_on_error=true` (422 with the report, each error naming the file's row "
        "and column). The answer adds the columns not read, those whose meaning was "
        "assumed, and the rows of cancelled orders skipped."
    ),
    response_model=MarketplaceSummary,
    responses=problems(403, 409),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                tabular.XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def import_marketplace(
    request: Request,
    caller: Caller,
    uow: Uow,
    platform: Annotated[
        str,
        Query(
            min_length=1,
            max_length=64,
            description="The cbec platform tenant the marketplace's orders are filed under",
        ),
    ],
    source: Annotated[
        Source, Query(description="The export's format; `auto`: told by the header row")
    ] = "auto",
    currency: Annotated[
        str | None,
        Query(pattern=r"^[A-Z]{3}$", description="ISO 4217, when the file names none"),
    ] = None,
    timezone: Annotated[
        str | None,
        Query(max_length=64, description="IANA zone of times written without an offset"),
    ] = None,
    origin_country: Annotated[
        str, Query(pattern=r"^[A-Z]{2}$", description="Where the goods ship from")
    ] = "CN",
    incoterm: Literal["DDP", "DAP"] = "DAP",
    continue_on_error: bool = False,
    encoding: Annotated[
        str | None,
        Query(max_length=64, description="The CSV file's text encoding; detected when absent"),
    ] = None,
    content_type: Annotated[str | None, Header(max_length=255)] = None,
):
    req = svc.MarketplaceRequest(
        source=source,
        platform=platform,
        currency=currency,
        timezone=timezone,
        origin_country=origin_country,
        incoterm=incoterm,
        file_format="xlsx" if tabular.format_of(None, content_type) == "xlsx" else "csv",
        encoding=encoding,
    )
    metrics = metrics_of(request)
    with await _spooled(request) as upload:
        try:
            summary = await run_in_threadpool(
                svc.import_upload,
                uow,
                caller,
                upload,
                req,
                continue_on_error=continue_on_error,
                lang=api_errors.lang_of(request),
            )
        except BatchRejected as exc:
            if metrics:
                metrics.filing("order", "rejected", exc.report.rejected_count)
            raise
    if metrics:
        metrics.filings("order", summary["created"], summary["unchanged"], summary["rejected"])
    return JSONResponse(summary)

"""HTTP route of payment settlement reports (use case in :mod:`cbec.services.settlement_import`):
a Stripe or PayPal report, or cbec's generic settlement CSV, filed as payment vouchers."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request
from pydantic import Field

from cbec.api import errors as api_errors
from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Uow
from cbec.api.documents import ImportSummary, import_spooled
from cbec.services import settlement_import as svc
from cbec.trade import tabular

router = APIRouter(tags=["payments"], route_class=JsonBodyRoute)


class SettlementSummary(ImportSummary):
    """What an import of a settlement report did, and what its conversion found: the report's
    format, the columns its mapping does not read, the columns whose meaning was assumed,
    and the rows that are no payment (refunds, fees, payouts …), by category."""

    format: str
    unmapped: list[str]
    ambiguous: list[dict[str, str]] = Field(description="`{column, reason}` of assumed columns")
    skipped_rows: list[int] = Field(description="File rows that are no payment, not filed")
    skipped_by_category: dict[str, int] = Field(
        description="How many rows were skipped, by the file's own category"
    )


@router.post(
    "/payments/settlements/import",
    summary="Import a payment settlement report (Stripe, PayPal, generic CSV) as payments",
    description=(
        "A payment firm's settlement report filed as payment vouchers (CEB411): Stripe's "
        "itemized balance or payout reconciliation report, PayPal's activity download, or "
        "cbec's generic settlement CSV (`source=auto`: told by the header row). Only payment "
        "rows become payments (Stripe `charge`, PayPal completed payments received); refunds, "
        "fees and payouts are counted in `skipped_by_category`. The payer's name and ID come "
        "from documented metadata columns (see the README's Connectors section); a payment "
        "row without them is rejected naming the file's row and column. All or nothing by "
        "default (422 with the report); with `continue_on_error=true` the good rows are "
        "written. Re-importing a file counts its payments as unchanged. A payment firm only "
        "(403 for other roles)."
    ),
    response_model=SettlementSummary,
    responses=problems(403),
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
async def import_settlement(
    request: Request,
    caller: Caller,
    uow: Uow,
    platform: Annotated[
        str,
        Query(min_length=1, max_length=64, description="The cbec platform tenant paid"),
    ],
    source: Literal["auto", "stripe", "paypal", "generic"] = "auto",
    timezone: Annotated[
        str | None,
        Query(max_length=64, description="IANA zone of times written without an offset"),
    ] = None,
    encoding: Annotated[
        str | None,
        Query(max_length=64, description="The CSV file's text encoding; detected when absent"),
    ] = None,
    continue_on_error: bool = False,
    content_type: Annotated[str | None, Header(max_length=255)] = None,
) -> Any:
    fmt = "xlsx" if tabular.format_of(None, content_type) == "xlsx" else "csv"
    req = svc.SettlementRequest(
        source=source, platform=platform, timezone=timezone, file_format=fmt, encoding=encoding
    )
    lang = api_errors.lang_of(request)
    return await import_spooled(
        request,
        "payment",
        lambda upload: svc.import_upload(
            uow, caller, upload, req, continue_on_error=continue_on_error, lang=lang
        ),
    )

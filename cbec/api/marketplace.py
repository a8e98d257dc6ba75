"""HTTP route of marketplace order files (use case in :mod:`cbec.services.marketplace_import`):
an Amazon, Shopify, TikTok Shop, AliExpress, Shopee or Lazada order export, or AliExpress Open
Platform order details saved as JSON, filed as cbec orders, as ``cbec import orders FILE
--from …`` files it."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query, Request
from pydantic import BaseModel, Field

from cbec.api import errors as api_errors
from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Uow
from cbec.api.documents import ImportSummary, import_spooled
from cbec.connectors.marketplaces import NAMES
from cbec.services import marketplace_import as svc
from cbec.services import marketplace_profiles as profiles
from cbec.trade import tabular

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
    from_profile: dict[str, str] = Field(
        description="The options not given that your stored profile of the marketplace gave "
        "(`platform`, `currency`, `timezone`, `origin_country`, `incoterm`)"
    )


class MarketplaceSummary(ImportSummary):
    marketplace: Conversion


@router.post(
    "/imports/marketplace",
    summary="Import a marketplace's order export (Amazon, Shopify, TikTok, AliExpress, "
    "Shopee, Lazada) or AliExpress Open Platform order details (JSON)",
    description=(
        "The file as the marketplace exports it — CSV (`text/csv`, its encoding detected "
        "or named by `encoding`) or an XLSX workbook's first sheet — or, for "
        "`aliexpress-api`, AliExpress Open Platform order details as JSON "
        "(`application/json`: one saved `aliexpress.solution.order.info.get` response or "
        "order, an array of them, or JSON Lines) — read by the format its header (a JSON "
        "file's fields) names (`source=auto`) or the one given, and filed as orders under "
        "`platform` through the same checks and natural keys as `POST /orders/import`: "
        "a second import of the same file counts every order unchanged. What the file "
        "cannot give comes from the query: the currency when it names none, the IANA time "
        "zone of times written without an offset (`aliexpress-api`'s are documented as US "
        "Pacific time), where the goods ship from — or, for each "
        "one the query leaves out, from your profile of the marketplace the file is read as "
        "(`PUT /marketplace/profiles/{marketplace}`; 422 naming `platform` when neither "
        "gives it); each line's "
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
                "application/json": {"schema": {"oneOf": [{"type": "object"}, {"type": "array"}]}},
            },
        }
    },
)
async def import_marketplace(
    request: Request,
    caller: Caller,
    uow: Uow,
    platform: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=64,
            description="The cbec platform tenant the marketplace's orders are filed under "
            "(default: your marketplace profile's)",
        ),
    ] = None,
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
        str | None,
        Query(
            pattern=r"^[A-Z]{2}$",
            description="Where the goods ship from (default: the profile's, else CN)",
        ),
    ] = None,
    incoterm: Annotated[
        Literal["DDP", "DAP"] | None,
        Query(description="default: the profile's, else DAP"),
    ] = None,
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
    lang = api_errors.lang_of(request)
    return await import_spooled(
        request,
        "order",
        lambda upload: svc.import_upload(
            uow, caller, upload, req, continue_on_error=continue_on_error, lang=lang
        ),
    )


Marketplace = Annotated[
    str,
    Path(
        max_length=32,
        description="The marketplace: amazon, shopify, tiktok, aliexpress, shopee, lazada or "
        "aliexpress-api",
    ),
]


@router.put(
    "/marketplace/profiles/{marketplace}",
    summary="Save your profile of a marketplace (the options its imports use when not given)",
    description=(
        "What every order file of the marketplace cannot say, stored once: the cbec platform "
        "tenant its orders are filed under, the currency when a file names none, the IANA "
        "time zone of times written without an offset, where the goods ship from and the "
        "incoterm. `POST /imports/marketplace` and `cbec import orders --from …` take each "
        "option they are not given from it. Replaces the profile stored; a field left out is "
        "unset. A tenant that files orders only (403 otherwise); 400 for an unknown "
        "marketplace; 422 naming `platform` for a name no platform tenant has, `currency` "
        "for a code not in ISO 4217, `timezone` for a zone not in the IANA database, "
        "`origin_country` for a code not in ISO 3166-1."
    ),
    response_model=profiles.MarketplaceProfile,
    responses=problems(403),
)
def set_profile(
    marketplace: Marketplace, body: profiles.ProfileRequest, caller: Caller, uow: Uow
) -> profiles.MarketplaceProfile:
    return profiles.set_profile(uow, caller, marketplace, body)


@router.get(
    "/marketplace/profiles",
    summary="Your marketplace profiles",
    description="Every marketplace profile of the calling tenant, by marketplace.",
    response_model=profiles.ProfileList,
)
def list_profiles(caller: Caller, uow: Uow) -> profiles.ProfileList:
    return profiles.list_profiles(uow, caller)


@router.get(
    "/marketplace/profiles/{marketplace}",
    summary="Your profile of a marketplace",
    description="404 when you have stored none for the marketplace.",
    response_model=profiles.MarketplaceProfile,
    responses=problems(404),
)
def get_profile(marketplace: Marketplace, caller: Caller, uow: Uow) -> profiles.MarketplaceProfile:
    return profiles.get_profile(uow, caller, marketplace)


@router.delete(
    "/marketplace/profiles/{marketplace}",
    summary="Remove your profile of a marketplace",
    description=(
        "Imports of the marketplace then take every value from their options again. "
        "Answered with what the profile held; 404 when you have none."
    ),
    response_model=profiles.MarketplaceProfile,
    responses=problems(404),
)
def delete_profile(
    marketplace: Marketplace, caller: Caller, uow: Uow
) -> profiles.MarketplaceProfile:
    return profiles.delete_profile(uow, caller, marketplace)

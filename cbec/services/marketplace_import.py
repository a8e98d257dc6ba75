"""Use case: a marketplace order export (Amazon, Shopify, TikTok Shop, AliExpress, Shopee,
Lazada, or AliExpress Open Platform order details saved as JSON) filed as cbec orders.

The file is converted row by row by the pure core (:mod:`cbec.connectors.marketplaces`) and
the orders it gives are filed by :func:`cbec.services.bulk.file_rows` — the same checks,
chunked transactions and natural keys as a native ``cbec import orders``, so re-importing a
file counts its orders as unchanged. The customs facts of each line (HS code, spec, unit,
origin) are read from the filing seller's catalogue by SKU, in one read transaction before
the rows are filed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal

from pydantic import ConfigDict, Field

from cbec.connectors import marketplaces
from cbec.connectors.marketplaces import core, jsonfile
from cbec.errors import BadRequest, DocumentInvalid, Violation
from cbec.services import bulk
from cbec.services import marketplace_profiles as profiles
from cbec.services.checks import CATALOG_BY_SKU
from cbec.services.documents import _Request
from cbec.services.import_desk_drafts import may_import
from cbec.services.users import SessionUser
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.trade import filing, tabular, zones
from cbec.trade.kinds import KINDS
from cbec.trade.validation import Row


class MarketplaceRequest(_Request):
    """A marketplace file's profile: which export it is (``auto``: told by its header), the
    cbec platform tenant its orders are filed under, the currency when the file names none,
    the IANA time zone of times written without an offset, where the goods ship from. What
    is left unset comes from the tenant's stored profile of the marketplace the file is read
    as (:mod:`cbec.services.marketplace_profiles`), then from the defaults (CN, DAP)."""

    model_config = ConfigDict(frozen=True)

    source: str = Field("auto", max_length=32)
    platform: str | None = Field(None, min_length=1, max_length=64)
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    timezone: str | None = Field(None, max_length=64)
    origin_country: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    incoterm: Literal["DDP", "DAP"] | None = None
    file_format: Literal["csv", "xlsx"] = "csv"
    encoding: str | None = Field(None, max_length=64)


@dataclass
class Prepared:
    """A file read once: its format, what its header leaves unmapped, and its orders to
    file (``rows`` reads the file again from its start each time it is called)."""

    conversion: core.Conversion
    encoding: str | None
    rows: Callable[[], Iterator[Row]]


def prepare(uow: UnitOfWork, caller: Viewer, upload: IO[bytes], req: MarketplaceRequest):
    """Detect the format, read the seller's catalogue for the file's SKUs, and return the
    rows to file; a file whose header no format knows is refused (nothing read further)."""
    if req.source not in marketplaces.NAMES:
        raise BadRequest("marketplace_format_unknown", {"wanted": req.source[:32], "formats": ""})
    if req.file_format != "xlsx" and jsonfile.is_json(upload):  # RFC 8259 §8.1: UTF-8
        encoding = tabular.encoding_of(upload, "json", req.encoding)
    else:
        encoding = tabular.encoding_of(upload, req.file_format, req.encoding)
    header, _ = marketplaces.records(upload, req.file_format, encoding)
    fmt = marketplaces.detect(header, req.source)
    given = req.model_dump(include=set(profiles.FIELDS), exclude_none=True)
    used = {k: v for k, v in profiles.stored(uow, caller, fmt.name).items() if k not in given}
    values = {"origin_country": "CN", "incoterm": "DAP"} | used | given
    if not values.get("platform"):
        raise DocumentInvalid([Violation("platform", "missing")])
    profile = core.Profile(
        platform=values["platform"],
        currency=values.get("currency"),
        zone=zones.zone_of(values.get("timezone")),
        origin_country=values["origin_country"],
        incoterm=values["incoterm"],
    )
    conversion = core.Conversion(fmt.name, core.unmapped(fmt, header), core.ambiguous(fmt, header))
    conversion.from_profile = used
    catalog = _catalog(uow, caller, _skus(upload, req, encoding, fmt))

    def rows() -> Iterator[Row]:
        skipped: list[int] = []
        _, records = marketplaces.records(upload, req.file_format, encoding)
        yield from core.convert(fmt, records, profile, catalog, skipped)
        conversion.skipped = skipped

    return Prepared(conversion, encoding, rows)


def _skus(upload: IO[bytes], req: MarketplaceRequest, encoding, fmt: core.Format) -> set[str]:
    columns = [c for c, f in fmt.mapping.items() if f == "lines.sku"]
    _, records = marketplaces.records(upload, req.file_format, encoding)
    return {(row.get(c) or "").strip() for _, row in records for c in columns} - {""}


def _catalog(uow: UnitOfWork, caller: Viewer, skus: set[str]) -> dict[str, dict[str, Any]]:
    """The filing seller's products for ``skus`` (products carry no personal data)."""
    out: dict[str, dict[str, Any]] = {}
    ordered = sorted(skus)
    with uow:
        for start in range(0, len(ordered), 500):
            params = {"seller": caller.name, "skus": ordered[start : start + 500]}
            for (body,) in uow.conn.execute(CATALOG_BY_SKU, params):
                doc = json.loads(body) if isinstance(body, str) else body
                out[doc["sku"]] = doc
    return out


def import_file(
    uow: UnitOfWork,
    caller: Viewer,
    prepared: Prepared,
    *,
    continue_on_error: bool = False,
    on_rejected: Callable[[filing.Rejected], None] | None = None,
    rows: Callable[[], Iterator[Row]] | None = None,
) -> filing.FilingReport:
    """File a prepared file's orders through the native bulk import (all or nothing unless
    ``continue_on_error``); ``rows`` lets a caller wrap the rows (a progress bar)."""
    return bulk.file_rows(
        uow,
        caller,
        "order",
        rows or prepared.rows,
        continue_on_error=continue_on_error,
        on_rejected=on_rejected,
        encoding=prepared.encoding,
    )


def import_upload(
    uow: UnitOfWork,
    caller: Viewer,
    upload: IO[bytes],
    req: MarketplaceRequest,
    *,
    continue_on_error: bool = False,
    lang: str = "en",
) -> dict[str, Any]:
    """A marketplace file sent to the API (``POST /imports/marketplace``): prepared and filed
    as the CLI does, answered with the filing's summary and what the conversion found (the
    format, unmapped and assumed columns, skipped rows). Raises
    :class:`filing.BatchRejected` for an all-or-nothing file with a bad row."""
    prepared = prepare(uow, caller, upload, req)
    report = import_file(uow, caller, prepared, continue_on_error=continue_on_error)
    report.finish()
    return {**report.as_dict(lang), "marketplace": prepared.conversion.as_dict()}


def import_for_user(
    uow: UnitOfWork,
    user: SessionUser,
    upload: IO[bytes],
    req: MarketplaceRequest,
    *,
    continue_on_error: bool = False,
    lang: str = "en",
) -> dict[str, Any]:
    """The console's import: an admin or operator of a seller or platform (a viewer only
    reads). A refused batch is an outcome to show, not an error: its report with
    ``written`` false and the format the header was read as."""
    may_import(user, KINDS["order"])
    try:
        return import_upload(
            uow, user.viewer, upload, req, continue_on_error=continue_on_error, lang=lang
        )
    except filing.BatchRejected as exc:
        return {**exc.report.as_dict(lang), "marketplace": None}

"""Use case: a payment settlement report (Stripe, PayPal, cbec's generic CSV) filed as cbec
payment vouchers by a payment firm.

The file is converted row by row by the pure core (:mod:`cbec.connectors.settlements`) and
the payments it gives are filed by :func:`cbec.services.bulk.file_rows` — the same checks,
chunked transactions and natural keys (a payment's ``transaction_id`` per payment firm) as a
native ``cbec import payments``, so a file is all or nothing unless asked otherwise and
re-importing it counts its payments as unchanged. Only a payment firm files payments
(``role_cannot_file``, before the file is read).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal

from pydantic import ConfigDict, Field

from cbec.connectors import settlements
from cbec.connectors.settlements import core
from cbec.errors import BadRequest
from cbec.services import bulk
from cbec.services.documents import _Request
from cbec.services.import_desk_drafts import may_import
from cbec.services.users import SessionUser
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.trade import checking, filing, tabular, zones
from cbec.trade.kinds import KINDS
from cbec.trade.validation import Row


class SettlementRequest(_Request):
    """A settlement report's profile: which report it is (``auto``: told by its header), the
    cbec platform tenant its payments are filed under, the IANA time zone of times written
    without an offset."""

    model_config = ConfigDict(frozen=True)

    source: str = Field("auto", max_length=32)
    platform: str = Field(min_length=1, max_length=64)
    timezone: str | None = Field(None, max_length=64)
    file_format: Literal["csv", "xlsx"] = "csv"
    encoding: str | None = Field(None, max_length=64)


@dataclass
class Prepared:
    """A file read once: its format, what its header leaves unmapped, and its payments to
    file (``rows`` reads the file again from its start each time it is called)."""

    conversion: core.Conversion
    encoding: str | None
    rows: Callable[[], Iterator[Row]]


def prepare(caller: Viewer, upload: IO[bytes], req: SettlementRequest) -> Prepared:
    """Check the caller may file payments, detect the format and return the rows to file; a
    file whose header no format knows is refused (nothing read further)."""
    checking.may_file(caller, KINDS["payment"])
    if req.source not in settlements.NAMES:
        raise BadRequest(
            "settlement_format_unknown",
            {"wanted": req.source[:32], "formats": ", ".join(settlements.NAMES[1:])},
        )
    encoding = tabular.encoding_of(upload, req.file_format, req.encoding)
    header, _ = settlements.records(upload, req.file_format, encoding)
    fmt = settlements.detect(header, req.source)
    profile = core.Profile(platform=req.platform, zone=zones.zone_of(req.timezone))
    conversion = core.Conversion(fmt.name, core.unmapped(fmt, header), core.ambiguous(fmt, header))

    def rows() -> Iterator[Row]:
        conversion.skipped, conversion.skipped_by_category = [], {}  # counted once per read
        _, records = settlements.records(upload, req.file_format, encoding)
        yield from core.convert(fmt, records, profile, conversion)

    return Prepared(conversion, encoding, rows)


def import_file(
    uow: UnitOfWork,
    caller: Viewer,
    prepared: Prepared,
    *,
    continue_on_error: bool = False,
    on_rejected: Callable[[filing.Rejected], None] | None = None,
) -> filing.FilingReport:
    """File a prepared file's payments through the native bulk import (all or nothing unless
    ``continue_on_error``); raises :class:`filing.BatchRejected` when a row is bad."""
    return bulk.file_rows(
        uow,
        caller,
        "payment",
        prepared.rows,
        continue_on_error=continue_on_error,
        on_rejected=on_rejected,
        encoding=prepared.encoding,
    )


def import_upload(
    uow: UnitOfWork,
    caller: Viewer,
    upload: IO[bytes],
    req: SettlementRequest,
    *,
    continue_on_error: bool = False,
    lang: str = "en",
) -> dict[str, Any]:
    """The API's import: the filing report with what the conversion found beside it."""
    prepared = prepare(caller, upload, req)
    report = import_file(uow, caller, prepared, continue_on_error=continue_on_error)
    return {**report.as_dict(lang), **prepared.conversion.as_dict()}


def import_for_user(
    uow: UnitOfWork,
    user: SessionUser,
    upload: IO[bytes],
    req: SettlementRequest,
    *,
    continue_on_error: bool = False,
    lang: str = "en",
) -> dict[str, Any]:
    """The console's import: an admin or operator of a payment firm (a viewer only reads).
    A refused batch is an outcome to show, not an error: its report, ``written`` false."""
    may_import(user, KINDS["payment"])
    try:
        return import_upload(
            uow, user.viewer, upload, req, continue_on_error=continue_on_error, lang=lang
        )
    except filing.BatchRejected as exc:
        return {**exc.report.as_dict(lang), "format": req.source, "skipped_by_category": {}}

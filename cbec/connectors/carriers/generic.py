"""cbec's generic carrier CSV: one row per scan, for carriers and consolidators that export
a spreadsheet rather than send a webhook. The format is cbec's own, documented in the
README ("Carrier tracking files"); a header row names the columns, in English or Chinese:

============================  =======================================================
column                        meaning
============================  =======================================================
``tracking_number`` 运单号      the carrier's number: the cbec waybill's ``waybill_no``
``time`` 时间                   ISO 8601 date and time (``2026-12-01T09:30:00+08:00``;
                              ``2026-12-01 09:30`` with ``time_zone_offset`` or a
                              time zone named for the file)
``time_zone_offset`` 时区        optional: ``+08:00``, the offset of a ``time`` without one
``status`` 状态                 a status word of :data:`STATUS` (a cbec milestone, or its
                              usual Chinese word)
``location`` 地点               optional: a network place id (``CNSZX``), a GS1 location
                              URI, or a carrier's text (kept, percent-encoded)
``description`` 描述            optional, not recorded: a carrier's words may name the
                              person who signed, and cbec's events carry no personal data
============================  =======================================================

The file is UTF-8 (with or without a byte-order mark) or GBK/GB18030 as a Chinese Excel
saves it, detected as the native CSV import detects it (:mod:`cbec.trade.encodings`).
Rows are named by their line in the file (``line[2]`` is the first row after the header).
"""

from __future__ import annotations

import csv
import io
from typing import get_args
from zoneinfo import ZoneInfo

from cbec.connectors.carriers.core import (
    MAX_EVENTS,
    CarrierEvent,
    Collector,
    check_offset,
    number_of,
    place,
    read_time,
)
from cbec.errors import BadRequest
from cbec.trade import encodings
from cbec.trade.tabular import lines_from
from cbec.trade.waybill import EventStatus

NAME = "generic"

# header (English or Chinese) -> column
COLUMNS = {
    "tracking_number": "tracking_number",
    "运单号": "tracking_number",
    "time": "time",
    "时间": "time",
    "time_zone_offset": "time_zone_offset",
    "时区": "time_zone_offset",
    "status": "status",
    "状态": "status",
    "location": "location",
    "地点": "location",
    "description": "description",
    "描述": "description",
}
REQUIRED = ("tracking_number", "time", "status")

# status word (case-insensitive) -> cbec milestone (cbec.trade.waybill.EventStatus)
MILESTONES: tuple[str, ...] = get_args(EventStatus)
STATUS: dict[str, str] = {m: m for m in MILESTONES} | {
    "已下单": "info_received",
    "已揽收": "picked_up",
    "运输中": "in_transit",
    "清关中": "customs_declared",
    "已放行": "customs_released",
    "海关扣留": "customs_held",
    "派送中": "out_for_delivery",
    "已签收": "delivered",
    "派送失败": "failed_attempt",
    "异常": "exception",
    "已退回": "returned",
}


def is_header(header: list[str]) -> bool:
    """Whether a CSV header row is this format's (its required columns, in either language)."""
    named = {COLUMNS.get(h.replace("\ufeff", "").strip().lower()) for h in header}
    return set(REQUIRED) <= named


def read(
    body: bytes, zone: ZoneInfo | None, encoding: str | None, bad: Collector
) -> list[CarrierEvent]:
    """The events of a generic carrier CSV; every broken rule is added to ``bad``."""
    upload = io.BytesIO(body)
    codec = encodings.stated(encoding) if encoding else encodings.detect(upload)
    text = io.TextIOWrapper(upload, encoding=codec, errors=encodings.ERRORS, newline="")
    reader = csv.reader(lines_from(text))
    try:
        header = next(reader, [])
        columns = [COLUMNS.get(h.replace("\ufeff", "").strip().lower()) for h in header]
        absent = [c for c in REQUIRED if c not in columns]
        if absent:
            for column in absent:
                bad.add(f"header.{column}", "carrier_column_absent")
            return []
        out = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            row = {c: v for c, v in zip(columns, values, strict=False) if c}
            event = _row(row, f"line[{reader.line_num}]", zone, bad)
            if event is not None:
                out.append(event)
            if len(out) > MAX_EVENTS:  # refused whole by convert(): read no further
                break
        return out
    except csv.Error as exc:
        raise BadRequest("csv_unreadable", {"line": reader.line_num, "detail": str(exc)}) from None
    finally:
        text.detach()


def _row(row: dict[str, str], where: str, zone: ZoneInfo | None, bad: Collector):
    before = len(bad.violations)
    number = number_of(row.get("tracking_number"), f"{where}.tracking_number", bad)
    offset = None
    if (row.get("time_zone_offset") or "").strip():
        offset = check_offset(row["time_zone_offset"], f"{where}.time_zone_offset", bad)
    when = read_time(row.get("time"), f"{where}.time", bad, zone, offset)
    word = (row.get("status") or "").strip()
    milestone = STATUS.get(word.lower())
    if not word:
        bad.add(f"{where}.status", "missing")
    elif milestone is None:
        bad.add(f"{where}.status", "carrier_status_unknown", {"value": word[:40]})
    if len(bad.violations) > before or number is None or when is None or milestone is None:
        return None
    return CarrierEvent(
        number=number,
        where=where,
        number_field=f"{where}.tracking_number",
        time=when[0],
        time_zone_offset=when[1],
        milestone=milestone,
        location=place(row.get("location")),
    )

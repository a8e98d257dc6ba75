"""Reading a bulk import from an Excel workbook (``.xlsx``): the first sheet is a CSV table.

Its first row is the header, with the same dotted column names as a CSV import, and its rows
are grouped into documents by :func:`cbec.trade.tabular.group_rows`, so a sheet and the CSV
saved from it give the same documents. Cells become the text a CSV would hold: a number its
shortest exact decimal (Excel keeps binary doubles; ``19.9`` is read back as ``19.9``, never
``19.899999999999999``, and ``3.0`` as ``3``), a date or time ISO 8601, an empty cell no
value. Excel has no time zones, so a date-time cell is written without an offset — a field
that needs one (``ordered_at``) is read in the time zone chosen for the file
(:mod:`cbec.trade.zones`), or rejected (``datetime_without_offset``) when none is, unless the
cell holds text such as ``2026-03-07T11:45:00+08:00``. Row numbers are the sheet's.

The workbook is streamed (openpyxl's read-only mode), but an ``.xlsx`` is a zip archive: its
parts' unpacked sizes are checked first, so a small upload cannot unpack into gigabytes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import IO, Any
from zoneinfo import ZoneInfo

from cbec.errors import BadRequest
from cbec.trade.kinds import Kind
from cbec.trade.tabular import group_rows
from cbec.trade.validation import Row

MAX_UNPACKED = 4 << 30
"""The most bytes the parts of a workbook may unpack to (the sheet is streamed)."""

MAX_SHARED_STRINGS = 256 << 20
"""The most bytes of the shared-strings part, which openpyxl holds in memory whole."""

_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def cell_text(value: Any, number_format: str | None = None) -> str | None:
    """The text a CSV cell would hold for a cell's value (None for an empty cell)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        exact = Decimal(repr(value))  # the shortest decimal that reads back as this double
        if exact == exact.to_integral_value():
            return str(int(exact))
        return format(exact.normalize(), "f")
    if isinstance(value, datetime):
        if value.time() == time() and not _shows_time(number_format):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    text = str(value)
    return text if text else None


def _shows_time(number_format: str | None) -> bool:
    """Whether a date cell's number format shows a time of day (``yyyy-mm-dd h:mm``)."""
    bare = _LITERALS.sub("", (number_format or "").lower())
    return "h" in bare or "s" in bare


def _check_archive(upload: IO[bytes]) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BadRequest("xlsx_unreadable", {"detail": "not a zip archive"}) from None
    if sum(p.file_size for p in parts) > MAX_UNPACKED:
        raise BadRequest("xlsx_too_large", {"limit": MAX_UNPACKED})
    for part in parts:
        if part.filename.lower().endswith("sharedstrings.xml") and (
            part.file_size > MAX_SHARED_STRINGS
        ):
            raise BadRequest("xlsx_too_large", {"limit": MAX_SHARED_STRINGS})


def read_xlsx(upload: IO[bytes], kind: Kind, zone: ZoneInfo | None = None) -> Iterator[Row]:
    """Rows of the first sheet of a workbook (the file must be seekable); a file that is not
    a workbook is refused (``xlsx_unreadable``) before any row is read."""
    records = sheet_rows(upload)
    try:
        first = next(records, None)
        if first is None:
            return
        columns = [c or "" for c in first[1]]
        yield from group_rows(
            columns,
            ((n, dict(zip(columns, values, strict=False))) for n, values in records),
            kind,
            zone,
        )
    finally:
        records.close()


def sheet_rows(upload: IO[bytes]) -> Iterator[tuple[int, list[str | None]]]:
    """``(row number, cell texts)`` of each non-blank row of the first sheet, the header
    row first — the table as the console's import desk shows it (:mod:`staging`)."""
    from openpyxl import load_workbook

    upload.seek(0)
    _check_archive(upload)
    upload.seek(0)
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception:  # openpyxl raises what its parsers raise: KeyError, XML errors, …
        raise BadRequest("xlsx_unreadable", {"detail": "not an Excel workbook"}) from None
    try:
        yield from _records(sheet)
    finally:
        book.close()


def _records(sheet: Any) -> Iterator[tuple[int, list[str | None]]]:
    """``(row number, cell texts)`` of each row that has a value, read as a stream."""
    number = 0
    try:
        for row in sheet.iter_rows():
            number += 1
            values: list[str | None] = []
            for cell in row:
                number = getattr(cell, "row", None) or number
                values.append(cell_text(cell.value, getattr(cell, "number_format", None)))
            if any(v is not None for v in values):
                yield number, values
    except BadRequest:
        raise
    except Exception:
        raise BadRequest(
            "xlsx_unreadable", {"detail": f"row {number + 1} cannot be read"}
        ) from None

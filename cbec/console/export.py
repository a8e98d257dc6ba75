"""Export of a console list as CSV or XLSX: exactly the rows the page shows, of every page.

The rows come from the same use case the page calls, page after page (keyset cursors), so
the export is masked and filtered as the page is, up to :data:`MAX_ROWS` rows (the page says
so next to the export links). CSV is written as it is read (streamed), UTF-8 with
a byte-order mark so that Excel set to a Chinese locale reads it as UTF-8, not GBK. XLSX is
written by openpyxl in write-only mode (constant memory) to a temporary file, then streamed.

A cell that a spreadsheet would read as a formula — text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return — is prefixed with an apostrophe (OWASP, *CSV Injection*),
in both formats: openpyxl, too, stores a string starting with ``=`` as a formula.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Literal

from fastapi.responses import StreamingResponse

MAX_ROWS = 100_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Format = Literal["csv", "xlsx"]


def safe_cell(value: object) -> str:
    """The cell's text, defused if a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def all_pages(
    fetch: Callable[[str | None], tuple[Sequence[Sequence[object]], str | None]],
    limit: int = MAX_ROWS,
) -> Iterator[Sequence[object]]:
    """Rows of every page: ``fetch(cursor)`` answers a page's rows and the next cursor.
    Stops after ``limit`` rows."""
    cursor: str | None = None
    count = 0
    while True:
        rows, cursor = fetch(cursor)
        for row in rows:
            if count == limit:
                return
            count += 1
            yield row
        if cursor is None:
            return


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    yield ("\ufeff" + buffer.getvalue()).encode()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(v) for v in row])
        yield buffer.getvalue().encode()


def _xlsx(header: Sequence[str], rows: Iterable[Sequence[object]], title: str) -> Iterator[bytes]:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append([safe_cell(h) for h in header])
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    with tempfile.TemporaryFile() as spool:
        book.save(spool)
        spool.seek(0)
        while block := spool.read(1 << 16):
            yield block


def export_response(
    fmt: Format, name: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> StreamingResponse:
    """The rows as a download named ``name.csv`` or ``name.xlsx`` (no personal data in the
    name: it is the list's, not a row's)."""
    if fmt == "xlsx":
        body, media = _xlsx(header, rows, name), XLSX_TYPE
    else:
        body, media = _csv(header, rows), "text/csv; charset=utf-8"
    return StreamingResponse(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )

"""Marketplace order exports read as cbec orders: Amazon Seller Central order reports,
Shopify's orders CSV, TikTok Shop's, AliExpress's, Shopee's and Lazada's order exports, and
AliExpress Open Platform order details saved as JSON (one module per format, each citing the
page its columns come from — or saying none was found — and holding its mapping table).

A file's format is told from its header row (:func:`detect`): every format names a few
columns no other export has together (its ``signature``). The table is read as the native
import reads CSV — the encoding detected or stated (:mod:`cbec.trade.encodings`: UTF-8 with
or without a byte-order mark, GBK/GB18030 from a Chinese Excel) — or, for ``.xlsx``, as the
first sheet (:mod:`cbec.trade.spreadsheet`). A file that holds JSON (told by its first
character) is read by :mod:`.jsonfile`: its "header" is the documented field paths its orders
hold, its records an order's products. Rows become cbec order documents
(:func:`core.convert`), filed by the same pipeline as a native import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from cbec.connectors.marketplaces import (
    aliexpress,
    aliexpress_api,
    amazon,
    jsonfile,
    lazada,
    shopee,
    shopify,
    tiktok,
)
from cbec.connectors.marketplaces.core import Conversion, Format, Profile, Record, convert
from cbec.errors import BadRequest
from cbec.trade import encodings
from cbec.trade.tabular import lines_from

FORMATS: tuple[Format, ...] = (
    *amazon.FORMATS,
    *shopify.FORMATS,
    *tiktok.FORMATS,
    *aliexpress.FORMATS,
    *shopee.FORMATS,
    *lazada.FORMATS,
    *aliexpress_api.FORMATS,
)
NAMES = ("auto", *dict.fromkeys(f.name for f in FORMATS))

__all__ = ["FORMATS", "NAMES", "Conversion", "Profile", "convert", "detect", "records"]


def detect(header: list[str], wanted: str = "auto") -> Format:
    """The format whose signature columns the header holds (``wanted`` limits the choice to
    one marketplace's formats); ``marketplace_format_unknown`` when none does."""
    present = {h.replace("\ufeff", "").strip() for h in header if h}
    for fmt in FORMATS:
        if wanted not in ("auto", fmt.name):
            continue
        if fmt.signature <= present:
            return fmt
    raise BadRequest(
        "marketplace_format_unknown",
        {"wanted": wanted, "formats": ", ".join(n for n in NAMES if n != "auto")},
    )


def records(
    upload: IO[bytes], fmt: str, encoding: str | None
) -> tuple[list[str], Iterator[Record]]:
    """The header and the ``(row number, {header: text})`` records of a CSV/TSV file read in
    ``encoding`` (the delimiter is a tab when the header has one: Amazon's flat files), or
    of an XLSX workbook's first sheet, or of a JSON file's orders (:mod:`.jsonfile`: one
    record a product, its fields by path). The upload is read from its start."""
    if fmt != "xlsx" and jsonfile.is_json(upload):
        return jsonfile.records(upload, aliexpress_api.ITEMS)
    if fmt == "xlsx":
        from cbec.trade.spreadsheet import sheet_rows

        rows = sheet_rows(upload)
        first = next(rows, None)
        if first is None:
            return [], iter(())
        header = [(c or "").replace("\ufeff", "").strip() for c in first[1]]
        return header, ((n, dict(zip(header, v, strict=False))) for n, v in rows)
    with _text(upload, encoding) as (_, lines):
        first = next(lines, "")
    delimiter = "\t" if "\t" in first else ","
    # Amazon's flat files are not quoted: a product name may hold a lone '"'
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    first_row = next(csv.reader([first], delimiter=delimiter, quoting=quoting), [])
    header = [h.replace("\ufeff", "").strip() for h in first_row]
    return header, _rows(upload, encoding, header, delimiter, quoting)


@contextmanager
def _text(upload: IO[bytes], encoding: str | None) -> Iterator[tuple[io.TextIOWrapper, Any]]:
    """The upload's lines from its start, decoded; detached after, so the caller's file
    stays open (a wrapper that is closed, or collected, closes what it wraps)."""
    upload.seek(0)
    text = io.TextIOWrapper(
        upload, encoding=encoding or "utf-8-sig", errors=encodings.ERRORS, newline=""
    )
    try:
        yield text, lines_from(text)
    finally:
        text.detach()


def _rows(
    upload: IO[bytes], encoding: str | None, header: list[str], delimiter: str, quoting: int
) -> Iterator[Record]:
    with _text(upload, encoding) as (_, lines):
        next(lines, None)  # the header
        reader = csv.reader(lines, delimiter=delimiter, quoting=quoting)
        try:
            for values in reader:
                if not any(v.strip() for v in values):
                    continue
                yield reader.line_num + 1, dict(zip(header, values, strict=False))
        except csv.Error as exc:
            raise BadRequest(
                "csv_unreadable", {"line": reader.line_num + 1, "detail": str(exc)}
            ) from None

"""Reading bulk imports: JSON Lines (one document per line) and CSV (one row per list item).

CSV has no nesting, so cbec uses dotted column names: ``buyer.name`` fills ``{"buyer":
{"name": …}}`` and columns under the kind's list field (``lines.sku``, ``events.time``) make
one list element per row. Consecutive rows with the same natural key are one document; their
other columns must agree. Empty cells are absent values. Row numbers are file line numbers
(the CSV header is line 1), so a rejects file points at the line to fix.

A CSV file is read in the encoding it was saved in (:mod:`cbec.trade.encodings`: named by
the caller or detected — GBK from Excel on a Chinese Windows is common); an Excel workbook's
first sheet is read as the same table (:mod:`cbec.trade.spreadsheet`).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any, TextIO
from zoneinfo import ZoneInfo

from cbec.errors import BadRequest, Violation
from cbec.jsonio import loads
from cbec.trade import encodings, zones
from cbec.trade.columns import time_columns
from cbec.trade.kinds import Kind
from cbec.trade.report import RowSet
from cbec.trade.validation import Row, Unreadable


def read_jsonl(lines: Iterable[str], skip: RowSet | None = None) -> Iterator[Row]:
    """``(line number, parsed value)`` of each non-blank line; lines in ``skip`` (rows a
    pre-check already rejected) are not parsed again."""
    for number, line in enumerate(lines, start=1):
        if not line.strip() or (skip is not None and number in skip):
            continue
        try:
            yield number, loads(line)
        except BadRequest as exc:
            yield number, Unreadable([Violation("(line)", exc.rule, exc.params)])


def _set(target: dict[str, Any], dotted: str, value: str) -> None:
    *parents, leaf = dotted.split(".")
    node = target
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def _check_header(columns: list[str]) -> None:
    """Refuse a header whose dotted names cannot all be filled: a column named twice, or one
    that is both a value and a parent (``buyer`` beside ``buyer.name``)."""
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            raise BadRequest("csv_header", {"column": name, "detail": "named twice"})
        seen.add(name)
    for name in columns:
        parts = name.split(".")
        for i in range(1, len(parts)):
            parent = ".".join(parts[:i])
            if parent in seen:
                raise BadRequest(
                    "csv_header", {"column": parent, "detail": f"both a value and {name}"}
                )


def read_csv(text: Iterable[str], kind: Kind, zone: ZoneInfo | None = None) -> Iterator[Row]:
    """Rows of a CSV file; a malformed file (bad header, a field over the csv module's limit
    of 131,072 characters, a stray quote) is refused as a whole with its line number."""
    reader = csv.DictReader(text)
    try:
        columns = reader.fieldnames or []
        yield from group_rows(columns, ((reader.line_num, row) for row in reader), kind, zone)
    except csv.Error as exc:
        raise BadRequest("csv_unreadable", {"line": reader.line_num, "detail": str(exc)}) from None


def group_rows(
    columns: Iterable[str],
    records: Iterable[tuple[int, dict[str, Any]]],
    kind: Kind,
    zone: ZoneInfo | None = None,
) -> Iterator[Row]:
    """Documents of a table (CSV or a spreadsheet's sheet) given its header and its
    ``(row number, {column: text or None})`` records: consecutive records with the same key
    are one document, whose other columns must agree; the list field's columns make one list
    item per record. Both readers feed this, so a file gives the same documents either way.
    Times written without an offset are read in ``zone`` when one is chosen
    (:mod:`cbec.trade.zones`); without one they are left for the field's check to refuse."""
    _check_header([c for c in columns if c])
    if zone is not None:
        records = _localized(records, time_columns(kind), zone)
    list_prefix = f"{kind.list_field}." if kind.list_field else None
    current: dict[str, Any] | None = None
    head_values: dict[str, str] = {}
    start = 0
    errors: list[Violation] = []
    for number, row in records:
        head = {
            k: v
            for k, v in row.items()
            if k and v not in (None, "") and not (list_prefix and k.startswith(list_prefix))
        }
        item: dict[str, Any] = {}
        if list_prefix:
            for k, v in row.items():
                if k and k.startswith(list_prefix) and v not in (None, ""):
                    _set(item, k[len(list_prefix) :], v)
        key = head.get(kind.key_field)
        if current is not None and key is not None and key == current.get(kind.key_field):
            for k in set(head) | set(head_values):
                if head.get(k) != head_values.get(k):
                    errors.append(Violation(k, "csv_group_mismatch"))
        else:
            if current is not None:
                yield start, (Unreadable(errors) if errors else current)
            current, head_values, start, errors = {}, head, number, []
            for k, v in head.items():
                _set(current, k, v)
            if list_prefix:
                current[kind.list_field] = []
        if item and list_prefix:
            current[kind.list_field].append(item)
    if current is not None:
        yield start, (Unreadable(errors) if errors else current)


def _localized(
    records: Iterable[tuple[int, dict[str, Any]]], times: frozenset[str], zone: ZoneInfo
) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, row in records:
        yield (
            number,
            {
                k: zones.localized(v, zone) if k in times and isinstance(v, str) and v else v
                for k, v in row.items()
            },
        )


MAX_LINE = 1_048_576
"""The longest line read, in characters: one document may not be larger than the body a
single ``POST`` takes (``CBEC_MAX_BODY_BYTES``' default), and a line is held whole while
it is parsed — a 200 MB file with no line break must not become a 200 MB string."""


def lines_from(text: TextIO, limit: int = MAX_LINE) -> Iterator[str]:
    """The lines of an open text file, one at a time, each at most ``limit`` characters; a
    longer one refuses the file (``line_too_long`` with its line number), read no further.
    A line holding bytes its encoding could not decode (text opened with
    ``errors=encodings.ERRORS``) refuses the file by its number too."""
    number = 0
    while line := text.readline(limit + 1):
        number += 1
        if len(line) > limit:
            raise BadRequest("line_too_long", {"line": number, "limit": limit})
        if encodings.UNDECODABLE in line:
            raise _undecodable(text, number)
        yield line


def _undecodable(text: TextIO, line: int) -> BadRequest:
    encoding = encodings.canonical(getattr(text, "encoding", None) or "utf-8")
    if encoding.startswith("utf-8"):
        return BadRequest("not_utf8", {"line": line})
    return BadRequest("not_decodable", {"encoding": encoding, "line": line})


def encoding_of(upload: IO[bytes], fmt: str, stated: str | None = None) -> str | None:
    """The encoding an upload is read in: None for XLSX (a zip of XML parts that name their
    own); UTF-8 for JSON Lines, whose definition allows no other (a byte-order mark is
    passed over); for CSV the one the caller ``stated``, or else :func:`encodings.detect`."""
    if fmt == "xlsx":
        if stated is not None:
            raise BadRequest("encoding_not_applicable", {"parameter": "encoding", "format": fmt})
        return None
    named = encodings.stated(stated) if stated is not None else None
    if named is not None and fmt != "csv" and not named.startswith("utf-8"):
        raise BadRequest("encoding_not_applicable", {"parameter": "encoding", "format": fmt})
    if fmt == "csv" and named is None:
        return encodings.detect(upload)
    if named is None or named == "utf-8":  # a byte-order mark is passed over, not read
        upload.seek(0)
        bom = upload.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
        upload.seek(0)
        return "utf-8-sig" if bom else "utf-8"
    return named


def read_upload(
    upload: IO[bytes],
    kind: Kind,
    fmt: str,
    skip: RowSet | None = None,
    encoding: str | None = "utf-8-sig",
    zone: ZoneInfo | None = None,
) -> Iterator[Row]:
    """Rows of an uploaded file in ``encoding`` (see :func:`encoding_of`), read from its
        start as a stream — the upload is spooled to a temporary file, never held as one string.
        JSON Lines in ``skip`` are passed over unparsed (a CSV document spans lines, so its rows
        are read and skipped by number). Bytes that do not decode refuse the file by line
        (``not_utf8``, ``not_decodable``); an XLSX workbook is read by :mod:`spreadsheet`. A
    table's times without an offset are read in ``zone`` (JSON Lines: ``timezone_not_applicable``
    — a JSON document writes its times whole)."""
    if zone is not None and fmt not in ("csv", "xlsx"):
        raise BadRequest("timezone_not_applicable", {"format": fmt})
    if fmt == "xlsx":
        from cbec.trade import spreadsheet  # which reads its table with group_rows

        yield from spreadsheet.read_xlsx(upload, kind, zone)
        return
    upload.seek(0)
    text = io.TextIOWrapper(
        upload, encoding=encoding or "utf-8-sig", errors=encodings.ERRORS, newline=""
    )
    try:
        lines = lines_from(text)
        yield from read_csv(lines, kind, zone) if fmt == "csv" else read_jsonl(lines, skip)
    except UnicodeDecodeError:  # a codec that does not call the error handler
        raise BadRequest("not_decodable", {"encoding": text.encoding, "line": "?"}) from None
    finally:
        text.detach()  # the caller owns (and closes) the upload


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def format_of(filename: str | None, content_type: str | None = None) -> str:
    """``csv``, ``jsonl`` or ``xlsx``: by the Content-Type, else by the file's extension,
    else JSON Lines."""
    ct = (content_type or "").split(";")[0].strip().lower()
    if ct in ("text/csv", "application/csv"):
        return "csv"
    if ct in ("application/x-ndjson", "application/jsonl", "application/json-lines"):
        return "jsonl"
    if ct == XLSX_TYPE:
        return "xlsx"
    name = (filename or "").lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    return "jsonl"

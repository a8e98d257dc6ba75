"""An upload as a table the operator maps, checks and corrects before anything is filed.

The console's import desk (:mod:`cbec.services.import_desk`) reads a file into a
:class:`Table` — its header row as written and every record as text, each with its line
number in the file — in the encoding :mod:`cbec.trade.encodings` detects (a CSV) or from
the first sheet (an XLSX workbook, :mod:`cbec.trade.spreadsheet`). A *mapping* names the
cbec column (:mod:`cbec.trade.columns`) each header stands for, or none (ignored); the
mapped records are grouped into documents by the same :func:`cbec.trade.tabular.group_rows`
as an API import, so a file gives the same documents on either path.

A violation names a field path (``lines[1].qty``); :func:`locate` finds the record and the
header it came from, so that every error of every row is shown in its cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from zoneinfo import ZoneInfo

from cbec.errors import BadRequest, Violation
from cbec.trade import encodings, spreadsheet, tabular, zones
from cbec.trade.kinds import Kind
from cbec.trade.validation import Row

Record = tuple[int, list[str]]  # (line number in the file, cell texts in header order)


@dataclass
class Table:
    """A file's header row and records (blank records dropped), and the encoding it was
    read in (None: a workbook)."""

    header: list[str]
    records: list[Record]
    encoding: str | None = None


def read_table(upload: IO[bytes], fmt: str, limit: int | None = None) -> Table:
    """The table of a workbook's first sheet (``xlsx``) or of a CSV file. A file without a
    header row is refused (``csv_header``), one of more than ``limit`` records too
    (``too_many_rows``): the table is held whole, unlike an API import's stream."""
    if fmt == "xlsx":
        rows = spreadsheet.sheet_rows(upload)
        encoding = None
    else:
        encoding = tabular.encoding_of(upload, "csv")
        rows = _csv_rows(upload, encoding)
    first = next(rows, None)
    if first is None or not any(first[1]):
        raise BadRequest("csv_header", {"column": "(header)", "detail": "no header row"})
    header = [(h or "").replace("\ufeff", "").strip() for h in first[1]]
    width = len(header)
    records = []
    for number, values in rows:
        cells = [(v or "") for v in values[:width]] + [""] * (width - len(values))
        if any(c.strip() for c in cells):
            records.append((number, cells))
            if limit is not None and len(records) > limit:
                raise BadRequest("too_many_rows", {"limit": limit})
    return Table(header, records, encoding)


def _csv_rows(upload: IO[bytes], encoding: str) -> Iterator[tuple[int, list[str | None]]]:
    upload.seek(0)
    text = io.TextIOWrapper(upload, encoding=encoding, errors=encodings.ERRORS, newline="")
    reader = csv.reader(tabular.lines_from(text))
    try:
        first = True
        for values in reader:
            yield (1 if first else reader.line_num), list(values)
            first = False
    except csv.Error as exc:
        raise BadRequest("csv_unreadable", {"line": reader.line_num, "detail": str(exc)}) from None
    finally:
        text.detach()


def documents(
    table: Table, mapping: list[str | None], kind: Kind, zone: ZoneInfo | None = None
) -> Iterator[Row]:
    """The documents of the mapped table (see :func:`tabular.group_rows`): a header mapped to
    nothing is ignored; times without an offset are read in ``zone``."""
    used = [(i, name) for i, name in enumerate(mapping) if name]
    return tabular.group_rows(
        [name for _, name in used],
        ((number, {name: values[i] for i, name in used}) for number, values in table.records),
        kind,
        zone,
    )


def groups(table: Table, starts: list[int]) -> dict[int, list[int]]:
    """The records of each document (by the line its first record is on): a document runs
    from its first record to the next document's first."""
    lines = [number for number, _ in table.records]
    out: dict[int, list[int]] = {}
    bounds = sorted(starts)
    for i, start in enumerate(bounds):
        end = bounds[i + 1] if i + 1 < len(bounds) else None
        out[start] = [n for n in lines if n >= start and (end is None or n < end)]
    return out


def edit(
    table: Table, mapping: list[str | None], kind: Kind, cells: dict[int, dict[int, str]]
) -> None:
    """Apply corrections ``{line: {header index: text}}`` to ``table``. A document's own
    fields (not its list items') repeat on each of its records and must agree, so a cell of
    one changed from a value to another changes the same value in its other records — unless
    those were corrected too."""
    starts = [number for number, _ in documents(table, mapping, kind)]
    group_of = {line: lines for lines in groups(table, starts).values() for line in lines}
    values = dict(table.records)
    listed = f"{kind.list_field}." if kind.list_field else None
    for line, changes in cells.items():
        record = values.get(line)
        if record is None:
            continue
        for column, text in changes.items():
            if not 0 <= column < len(record) or record[column] == text.strip():
                continue
            old, record[column] = record[column], text.strip()
            name = mapping[column] if column < len(mapping) else None
            if not name or (listed and name.startswith(listed)):
                continue
            for other in group_of.get(line, []):
                same = values[other][column] == old
                if other != line and same and column not in cells.get(other, {}):
                    values[other][column] = record[column]


_ITEM = re.compile(r"^(\w+)\[(\d+)\]\.?(.*)$")
_INDEX = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class Located:
    """A violation placed in the table: the record's line, the header's index (None when no
    header is mapped to the field) and the dotted column name."""

    line: int
    column: int | None
    name: str
    violation: Violation = field(compare=False)


def locate(
    violation: Violation, lines: list[int], mapping: list[str | None], kind: Kind
) -> Located:
    """Where ``violation`` of the document made of records ``lines`` sits: an item of the
    list field (``lines[2].qty``) is the third record's ``lines.qty`` cell, any other field
    the first record's."""
    path, line = violation.field, lines[0] if lines else 0
    found = _ITEM.match(path)
    if found and found.group(1) == kind.list_field:
        index = int(found.group(2))
        if index < len(lines):
            line = lines[index]
        path = f"{kind.list_field}.{found.group(3)}" if found.group(3) else kind.list_field
    name = _INDEX.sub("", path)
    column = mapping.index(name) if name in mapping else None
    return Located(line, column, name, violation)


def rejects_csv(
    table: Table,
    rejected: dict[int, list[Located]],
    lines_of: dict[int, list[int]],
    lang: str,
    error_header: str,
) -> str:
    """The rejected documents' records as a CSV file with the file's own header and one more
    column, ``error_header``, listing the errors found in each record (header: message)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*table.header, error_header])
    values_of = dict(table.records)
    for start in sorted(rejected):
        for line in lines_of.get(start, [start]):
            here = [loc for loc in rejected[start] if loc.line == line]
            text = "; ".join(
                f"{table.header[loc.column] if loc.column is not None else loc.name}: "
                f"{loc.violation.message(lang)}"
                for loc in here
            )
            writer.writerow([*values_of.get(line, [""] * len(table.header)), text])
    return out.getvalue()


def as_json(table: Table) -> dict[str, Any]:
    return {"header": table.header, "records": table.records, "encoding": table.encoding}


def from_json(data: dict[str, Any]) -> Table:
    return Table(
        list(data["header"]), [(int(n), list(v)) for n, v in data["records"]], data["encoding"]
    )


@dataclass(frozen=True)
class SavedMapping:
    """A mapping file: the cbec column of each header (None: ignored), and the time zone of
    the file's times written without an offset (None: none chosen, such a time is an
    error)."""

    columns: dict[str, str | None]
    timezone: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"columns": self.columns, "timezone": self.timezone}


def header_map(text: bytes, fmt: str) -> SavedMapping:
    """A saved mapping, checked for its shape: ``{"columns": {"header": "field" or null},
    "timezone": "Asia/Shanghai" or null}`` as the import desk writes it, or the bare
    ``{"header": "field" or null}`` of earlier versions. It applies to tables only (a JSON
    Lines file names its fields itself); a zone must be an IANA name."""
    from cbec.jsonio import loads

    if fmt not in ("csv", "xlsx"):
        raise BadRequest("mapping_not_applicable", {"format": fmt})
    found = loads(text)
    timezone = None
    if isinstance(found, dict) and isinstance(found.get("columns"), dict):
        timezone = found.get("timezone")
        if timezone is not None and not isinstance(timezone, str):
            raise BadRequest("mapping_unreadable", {"detail": "timezone: expected a name or null"})
        zones.zone_of(timezone)  # an unknown zone refuses the file now, not row by row
        found = found["columns"]
    if not isinstance(found, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in found.items()
    ):
        raise BadRequest("mapping_unreadable", {"detail": 'expected {"header": "field" or null}'})
    return SavedMapping(found, timezone)


def mapped_rows(
    upload: IO[bytes],
    fmt: str,
    kind: Kind,
    header_map: dict[str, str | None],
    encoding: str | None = None,
    zone: ZoneInfo | None = None,
) -> Iterator[Row]:
    """The documents of a file read as a stream, its headers renamed by ``header_map``
    (``{"header in the file": "cbec column" or None}`` — the import desk's mapping as
    ``cbec import --mapping`` takes it); a header the map does not name, or maps to None,
    is ignored. A column name that is not one of ``kind``'s refuses the file. Times without
    an offset are read in ``zone``."""
    from cbec.trade.columns import columns

    known = {c.name for c in columns(kind)}
    for header, name in header_map.items():
        if name is not None and name not in known:
            raise BadRequest("csv_header", {"column": header, "detail": f"{name}: no such field"})
    if fmt == "xlsx":
        rows = spreadsheet.sheet_rows(upload)
    else:
        rows = _csv_rows(upload, encoding or "utf-8-sig")
    first = next(rows, None)
    if first is None:
        return
    names = [header_map.get((h or "").replace("\ufeff", "").strip()) or "" for h in first[1]]
    yield from tabular.group_rows(
        [n for n in names if n],
        ((number, dict(zip(names, values, strict=False))) for number, values in rows),
        kind,
        zone,
    )

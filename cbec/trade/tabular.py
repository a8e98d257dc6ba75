"""Reading bulk imports: JSON Lines (one document per line) and CSV (one row per list item).

CSV has no nesting, so cbec uses dotted column names: ``buyer.name`` fills ``{"buyer":
{"name": …}}`` and columns under the kind's list field (``lines.sku``, ``events.time``) make
one list element per row. Consecutive rows with the same natural key are one document; their
other columns must agree. Empty cells are absent values. Row numbers are file line numbers
(the CSV header is line 1), so a rejects file points at the line to fix.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from cbec.errors import BadRequest, Violation
from cbec.jsonio import loads
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


def read_csv(text: Iterable[str], kind: Kind) -> Iterator[Row]:
    """Rows of a CSV file; a malformed file (bad header, a field over the csv module's limit
    of 131,072 characters, a stray quote) is refused as a whole with its line number."""
    reader = csv.DictReader(text)
    try:
        yield from _read_csv(reader, kind)
    except csv.Error as exc:
        raise BadRequest("csv_unreadable", {"line": reader.line_num, "detail": str(exc)}) from None


def _read_csv(reader: csv.DictReader, kind: Kind) -> Iterator[Row]:
    _check_header([c for c in reader.fieldnames or [] if c])
    list_prefix = f"{kind.list_field}." if kind.list_field else None
    current: dict[str, Any] | None = None
    head_values: dict[str, str] = {}
    start = 0
    errors: list[Violation] = []
    for row in reader:
        number = reader.line_num
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


def lines_of(data: str) -> Iterator[str]:
    """The lines of ``data``, each with its ``\n``, one at a time: no copy of the whole text
    (``io.StringIO`` keeps one, four bytes a character for non-Latin-1 text — a 200 MB
    upload would cost the server its size several times over while it is read)."""
    start, size = 0, len(data)
    while start < size:
        end = data.find("\n", start)
        if end < 0:
            yield data[start:]
            return
        yield data[start : end + 1]
        start = end + 1


def read(data: str, kind: Kind, fmt: str, skip: RowSet | None = None) -> Iterator[Row]:
    """Rows of ``data`` in ``fmt`` (``jsonl`` or ``csv``); JSON Lines in ``skip`` are passed
    over unparsed (a CSV document spans lines, so its rows are read and skipped by number)."""
    if fmt == "csv":
        return read_csv(lines_of(data), kind)
    return read_jsonl(lines_of(data), skip)


def format_of(filename: str | None, content_type: str | None = None) -> str:
    ct = (content_type or "").split(";")[0].strip().lower()
    if ct in ("text/csv", "application/csv"):
        return "csv"
    if ct in ("application/x-ndjson", "application/jsonl", "application/json-lines"):
        return "jsonl"
    if filename and filename.lower().endswith(".csv"):
        return "csv"
    return "jsonl"

"""Reading bulk imports: JSON Lines (one document per line) and CSV (one row per list item).

CSV has no nesting, so cbec uses dotted column names: ``buyer.name`` fills ``{"buyer":
{"name": …}}`` and columns under the kind's list field (``lines.sku``, ``events.time``) make
one list element per row. Consecutive rows with the same natural key are one document; their
other columns must agree. Empty cells are absent values. Row numbers are file line numbers
(the CSV header is line 1), so a rejects file points at the line to fix.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from cbec.errors import Violation
from cbec.trade.filing import Row, Unreadable
from cbec.trade.kinds import Kind


def read_jsonl(lines: Iterable[str]) -> Iterator[Row]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            yield number, Unreadable([Violation("(line)", "invalid_json", {"detail": str(exc)})])
        except RecursionError:  # nested deeper than the parser goes: no document is
            detail = {"detail": "nested too deeply"}
            yield number, Unreadable([Violation("(line)", "invalid_json", detail)])


def _set(target: dict[str, Any], dotted: str, value: str) -> None:
    *parents, leaf = dotted.split(".")
    node = target
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def read_csv(text: Iterable[str], kind: Kind) -> Iterator[Row]:
    reader = csv.DictReader(text)
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


def read(data: str, kind: Kind, fmt: str) -> Iterator[Row]:
    """Rows of ``data`` in ``fmt`` (``jsonl`` or ``csv``)."""
    if fmt == "csv":
        return read_csv(io.StringIO(data, newline=""), kind)
    return read_jsonl(io.StringIO(data))


def format_of(filename: str | None, content_type: str | None = None) -> str:
    ct = (content_type or "").split(";")[0].strip().lower()
    if ct in ("text/csv", "application/csv"):
        return "csv"
    if ct in ("application/x-ndjson", "application/jsonl", "application/json-lines"):
        return "jsonl"
    if filename and filename.lower().endswith(".csv"):
        return "csv"
    return "jsonl"

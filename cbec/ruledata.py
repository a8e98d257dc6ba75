"""Rule data: versioned CSV tables where every row says from when, until when and on whose
authority it applies.

Rates, thresholds and lists change by decree, often several times a year; keeping them as
data (never as constants in code) lets a reader check each number against its source and
lets a quote for a past date use the rule of that date. Every table has the columns
``effective_from`` (ISO date, first day in force), ``effective_to`` (ISO date, **last** day in
force, empty while in force) and ``source`` (where the figure comes from); a file that breaks
this is refused with the file, line and column named, never half-loaded.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cbec.errors import BadRequest

REQUIRED = ("effective_from", "effective_to", "source")


class RuleDataError(BadRequest, ValueError):
    """A rule table that cannot be trusted: says which file, line and column, and why.

    A member of cbec's error family (rule ``rule_data``) and a ``ValueError``; ``detail`` is
    the reason (``message`` is the family's rendering of the whole error)."""

    def __init__(self, path: Path | str, line: int, column: str, detail: str) -> None:
        self.path, self.line, self.column, self.detail = str(path), line, column, detail
        params = {"path": self.path, "line": line, "column": column, "detail": detail}
        super().__init__("rule_data", params)

    def details(self, lang: str = "en") -> list[dict[str, Any]]:
        where = f"{self.path}:{self.line}.{self.column}"
        return [{"field": where, "rule": self.rule, "message": self.detail}]


@dataclass(frozen=True)
class Row:
    """One rule row: its values as text, its validity window, its source and where it is."""

    values: dict[str, str]
    effective_from: date
    effective_to: date | None
    source: str
    line: int

    def __getitem__(self, key: str) -> str:
        return self.values[key]

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key) or default

    def decimal(self, key: str) -> Decimal | None:
        """The column as a Decimal (None when empty); validated when the table was loaded."""
        text = self.values.get(key) or ""
        return Decimal(text) if text else None

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


def _date(text: str, path: Path, line: int, column: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RuleDataError(path, line, column, f"{text!r} is not an ISO date") from None


def load(
    path: Path | str, *, required: Sequence[str] = (), decimals: Sequence[str] = ()
) -> list[Row]:
    """Read and check a rule table: the three validity columns on every row, the table's own
    ``required`` columns non-empty, ``decimals`` columns empty or a decimal number."""
    path = Path(path)
    with path.open(encoding="utf-8", newline="") as fh:
        physical = fh.readlines()
    # Comment lines become blank lines (which csv skips) so line numbers stay physical.
    offset = next((i for i, row in enumerate(physical) if not row.startswith("#")), 0)
    text = ["\n" if row.startswith("#") else row for row in physical[offset:]]
    reader = csv.DictReader(text)
    header = reader.fieldnames or []
    for column in (*REQUIRED, *required, *decimals):
        if column not in header:
            raise RuleDataError(path, offset + 1, column, "column missing from the header")
    rows = []
    for record in reader:
        line = offset + reader.line_num
        values = {k: (v or "").strip() for k, v in record.items() if k is not None}
        for column in ("effective_from", "source", *required):
            if not values[column]:
                raise RuleDataError(path, line, column, "must not be empty")
        start = _date(values["effective_from"], path, line, "effective_from")
        end = (
            _date(values["effective_to"], path, line, "effective_to")
            if values["effective_to"]
            else None
        )
        if end is not None and end < start:
            raise RuleDataError(path, line, "effective_to", "is before effective_from")
        for column in decimals:
            if values[column]:
                try:
                    Decimal(values[column])
                except InvalidOperation:
                    raise RuleDataError(
                        path, line, column, f"{values[column]!r} is not a number"
                    ) from None
        rows.append(Row(values, start, end, values["source"], line))
    return rows


def in_force(rows: Iterable[Row], on: date, **match: Any) -> list[Row]:
    """The rows in force on ``on`` whose columns equal ``match`` (e.g. ``country="DE"``)."""
    return [r for r in rows if r.in_force(on) and all(r.get(k) == str(v) for k, v in match.items())]


def one(rows: Iterable[Row], on: date, what: str, **match: Any) -> Row:
    """The single row in force on ``on`` matching ``match``; two would mean the table is
    ambiguous for that date, none that it does not cover it — both are errors."""
    found = in_force(rows, on, **match)
    if len(found) != 1:
        lines = ", ".join(str(r.line) for r in found) or "none"
        raise LookupError(f"{what} on {on}: expected one rule row, found {lines}")
    return found[0]

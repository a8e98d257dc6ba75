"""What a filing reports: documents created and unchanged, rows rejected — bounded.

A junk file (a million lines of ``{}``) breaks a dozen rules on every row. Keeping every
:class:`Rejected` row with its violations would grow memory with the file and answer with a
report larger than the upload, so a :class:`FilingReport` keeps the first :data:`REPORT_LIMIT`
rejected rows (by row number) with their reasons and, for the rest, only counts: the total
and how often each rule was broken. A caller that needs every rejected row — ``cbec import``
writes them all to its rejects file — passes ``on_rejected`` and receives each one as it is
found.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cbec.errors import Violation

REPORT_LIMIT = 100  # rejected rows a report keeps in full; the rest are counted


@dataclass
class Rejected:
    row: int
    key: str | None
    violations: list[Violation]
    conflict: bool = False

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "row": self.row,
            "key": self.key,
            "conflict": self.conflict,
            "errors": [v.as_dict(lang) for v in self.violations],
        }


class RowSet:
    """A set of row numbers as a bitmap: one bit a row, so marking every line of a 200 MB
    file costs at most 25 MB, where a ``set`` of ints would cost gigabytes."""

    def __init__(self) -> None:
        self._bits = bytearray()

    def add(self, row: int) -> None:
        byte = row >> 3
        if byte >= len(self._bits):
            self._bits.extend(bytes(byte + 1 - len(self._bits) + len(self._bits) // 2))
        self._bits[byte] |= 1 << (row & 7)

    def __contains__(self, row: int) -> bool:
        byte = row >> 3
        return byte < len(self._bits) and bool(self._bits[byte] & (1 << (row & 7)))


@dataclass
class FilingReport:
    """The outcome of a filing. ``rejected`` holds the first ``limit`` rejected rows (all of
    them when ``limit`` is None); ``rejected_count`` and ``rejected_by_rule`` count them all."""

    kind: str
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    rejected_count: int = 0
    rejected_by_rule: Counter[str] = field(default_factory=Counter)
    limit: int | None = REPORT_LIMIT
    on_rejected: Callable[[Rejected], None] | None = None
    written: bool = True
    encoding: str | None = None  # what the file was read as (None: a workbook, or no file)

    def reject(self, rejected: Rejected) -> None:
        """Count a rejected row, hand it to ``on_rejected``, keep it if among the first."""
        self.rejected_count += 1
        self.rejected_by_rule.update(v.rule for v in rejected.violations)
        if self.on_rejected is not None:
            self.on_rejected(rejected)
        self.rejected.append(rejected)
        if self.limit is not None and len(self.rejected) > 2 * self.limit:
            self._trim()

    def _trim(self) -> None:
        # Rows arrive almost in order (a conflict is found when its chunk is written, after
        # later rows were validated), so keep the lowest row numbers, not the first to arrive.
        self.rejected.sort(key=lambda r: r.row)
        if self.limit is not None:
            del self.rejected[self.limit :]

    def finish(self) -> None:
        """Order the kept rows by row number and drop those past the limit."""
        self._trim()

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "kind": self.kind,
            "encoding": self.encoding,
            "written": self.written,
            "created": len(self.created),
            "unchanged": len(self.unchanged),
            "rejected": self.rejected_count,
            "rejected_by_rule": dict(sorted(self.rejected_by_rule.items())),
            "rejects_truncated": self.rejected_count > len(self.rejected),
            "rejects": [r.as_dict(lang) for r in self.rejected],
        }


class BatchRejected(Exception):
    """An all-or-nothing batch had bad rows; the report lists them and nothing was written."""

    def __init__(self, report: FilingReport) -> None:
        self.report = report
        report.written = False
        super().__init__(f"{report.rejected_count} row(s) rejected; nothing written")

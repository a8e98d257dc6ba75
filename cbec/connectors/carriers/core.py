"""What every carrier format shares: the event a file gives (:class:`CarrierEvent`), the
violations that refuse it, and the reading of its times and places.

A carrier's time is read with its UTC offset; a time written without one is refused unless
the caller names the file's time zone (an IANA name), never taken for UTC. A carrier's place
is free text ("SHENZHEN, GUANGDONG, CN"): it is kept as the short form's ``location`` — a
network place id or a URI as given, any other text with its spaces and the few characters a
URI may not hold percent-encoded (RFC 3986 §2.1), so the carrier's words are kept exactly
and the event's ``readPoint`` is a valid URI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from cbec.errors import Violation

MAX_EVENTS = 10_000  # as many as one request of short-form events may hold
MAX_LOCATION = 200  # the short form's location
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_UNSAFE = set(' <>"{}|\\^`%:')
_OFFSET = re.compile(r"^[+-](0\d|1[0-4]):[0-5]\d$")


@dataclass(frozen=True)
class CarrierEvent:
    """One scan of a parcel as cbec's short form gives it, with where the file said it:
    ``where`` names the row (``line[3]``) or the JSON path of the event, ``number_field``
    the field holding its tracking number (a number cbec does not know is refused there)."""

    number: str
    where: str
    number_field: str
    time: datetime  # timezone-aware, UTC
    time_zone_offset: str  # the offset the carrier wrote the time in, "+08:00"
    milestone: str  # a cbec.trade.waybill.EventStatus
    location: str | None = None

    def short_form(self) -> dict[str, Any]:
        """The fields of cbec's short-form tracking event (``TrackingEventIn``)."""
        out: dict[str, Any] = {
            "time": self.time,
            "time_zone_offset": self.time_zone_offset,
            "milestone": self.milestone,
        }
        if self.location:
            out["location"] = self.location
        return out


@dataclass
class Converted:
    """A carrier file read: its format and its events, in the file's order."""

    format: str
    events: list[CarrierEvent] = field(default_factory=list)

    def by_number(self) -> dict[str, list[dict[str, Any]]]:
        """The short-form events of each tracking number, in the file's order."""
        out: dict[str, list[dict[str, Any]]] = {}
        for e in self.events:
            out.setdefault(e.number, []).append(e.short_form())
        return out


class Collector:
    """The violations found while reading a file; every one is reported, nothing is kept."""

    def __init__(self) -> None:
        self.violations: list[Violation] = []

    def add(self, where: str, rule: str, params: dict[str, Any] | None = None) -> None:
        self.violations.append(Violation(where, rule, params or {}))


def offset_text(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta()).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def read_time(
    text: Any, where: str, bad: Collector, zone: ZoneInfo | None, offset: str | None = None
) -> tuple[datetime, str] | None:
    """``text`` as an aware UTC time and the offset it was written in: its own offset, else
    ``offset`` (a ``+08:00`` the file gives beside it), else the caller's ``zone``; a time
    with none of them is refused (``carrier_time_zone_needed``), as is one that is not an
    ISO 8601 date and time (``carrier_time_invalid``)."""
    value = str(text).strip() if text is not None else ""
    if not value:
        bad.add(where, "missing")
        return None
    try:
        t = datetime.fromisoformat(value)
        if t.tzinfo is not None:
            t.astimezone(UTC)  # a time at the ends of the calendar cannot be moved to UTC
    except (ValueError, OverflowError):
        bad.add(where, "carrier_time_invalid", {"value": value[:40]})
        return None
    if t.tzinfo is None:
        if offset is not None:
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            sign = -1 if offset[0] == "-" else 1
            t = t.replace(tzinfo=_fixed(sign * timedelta(hours=hours, minutes=minutes)))
        elif zone is not None:
            t = t.replace(tzinfo=zone)
        else:
            bad.add(where, "carrier_time_zone_needed", {"value": value[:40]})
            return None
    try:
        utc = t.astimezone(UTC)
    except OverflowError:
        bad.add(where, "carrier_time_invalid", {"value": value[:40]})
        return None
    written = offset_text(t.utcoffset())
    if not _OFFSET.match(written):
        bad.add(where, "carrier_offset_invalid", {"value": written})
        return None
    return utc, written


def _fixed(delta: timedelta) -> Any:
    from datetime import timezone

    return timezone(delta)


def check_offset(text: str, where: str, bad: Collector) -> str | None:
    """A ``+08:00`` UTC offset as a file writes it beside a time, else refused."""
    value = text.strip()
    if not _OFFSET.match(value):
        bad.add(where, "carrier_offset_invalid", {"value": value[:16]})
        return None
    return value


def place(text: Any) -> str | None:
    """A carrier's place as the short form's ``location``: a URI or a place id as given,
    other text with spaces and characters a URI may not hold percent-encoded, cut to fit."""
    if not isinstance(text, str):
        return None
    value = " ".join(text.split())
    if not value:
        return None
    if _URI.match(value) and len(value) <= MAX_LOCATION:
        return value
    encoded = _encode(value)
    while len(encoded) > MAX_LOCATION:
        value = value[:-1]
        encoded = _encode(value)
    return encoded


def _encode(value: str) -> str:
    return "".join(quote(c, safe="") if c in _UNSAFE else c for c in value)


def number_of(value: Any, where: str, bad: Collector) -> str | None:
    """A tracking number: text of 1 to 60 characters (a waybill's ``waybill_no``)."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        value = str(value)  # a number written as a JSON number
    if not isinstance(value, str) or not value.strip():
        bad.add(where, "missing")
        return None
    value = value.strip()
    if len(value) > 60:
        bad.add(where, "string_too_long", {"max_length": 60})
        return None
    return value

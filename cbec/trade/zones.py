"""Times a file writes without a UTC offset, read in the time zone its sender chose.

An Excel cell holds no time zone at all, and many exports write ``2026-03-07 11:45:00`` —
for a Shenzhen seller that is China time (UTC+8), for a London one it is not. cbec never
guesses: a time without an offset is an error (``datetime_without_offset``, naming the
field) unless the file's zone is chosen — at the import desk's mapping step, in the mapping
file, or ``cbec import --timezone`` — and then it is read in that zone (an IANA name, as
:mod:`zoneinfo` knows it) and stored in UTC. A time that carries its offset keeps it,
whatever zone is chosen. A wall-clock time a daylight-saving change makes ambiguous is read
as its first occurrence (:pep:`495` ``fold=0``), as a clock that had not yet turned back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from cbec.errors import BadRequest

SUGGESTED = ("Asia/Shanghai", "Asia/Hong_Kong", "UTC", "Europe/London", "America/Los_Angeles")
"""The zones the import desk offers first; any other IANA name is accepted too."""


def zone_of(name: str | None) -> ZoneInfo | None:
    """The zone named ``name`` (None: none chosen); an unknown name is refused
    (``timezone_unknown``) rather than read as UTC."""
    if name is None or not name.strip():
        return None
    name = name.strip()
    if name not in _names():
        raise BadRequest("timezone_unknown", {"name": name[:64]})
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadRequest("timezone_unknown", {"name": name[:64]}) from None


def _names() -> set[str]:
    """The IANA names of this system's (or the ``tzdata`` package's) database; checked
    against the list, not opened, so a path-like name never reaches the file system."""
    global _NAMES
    if _NAMES is None:
        _NAMES = available_timezones() | {"UTC"}
    return _NAMES


_NAMES: set[str] | None = None


def localized(text: str, zone: ZoneInfo) -> str:
    """``text`` as an ISO 8601 time in UTC when it is a date-time (or a date: its midnight)
    without an offset, read in ``zone``; any other text as it is — a time with an offset
    keeps it, and what is not a time is for the field's own check to refuse."""
    try:
        found = datetime.fromisoformat(text.strip())
    except ValueError:
        return text
    if found.utcoffset() is not None:
        return text
    return found.replace(tzinfo=zone).astimezone(UTC).isoformat()

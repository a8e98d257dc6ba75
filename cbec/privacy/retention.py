"""Retention periods (PIPL Art. 19: kept no longer than the purpose needs, unless a law sets
a period; Art. 47(1): deleted once the period has passed): what the data inventory
(:mod:`cbec.privacy.inventory`, column ``retention``) sets per document kind, and the cut-off
it gives on a day.

``3y`` — three years from completion (E-Commerce Law Art. 31) — is counted in calendar
years; a period written ``product`` (while the product is sold) never expires by time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from cbec.privacy import inventory
from cbec.trade.kinds import KINDS

_YEARS = re.compile(r"(\d+)y")


def periods(on: date | None = None) -> dict[str, str]:
    """Per document kind, the retention of its personal fields in the inventory in force on
    ``on`` (the records that are not documents — dispute cases, expert profiles — are tagged
    with theirs, which this sweep does not apply)."""
    out: dict[str, str] = {}
    for tag in inventory.load(on=on):
        if tag.kind not in KINDS:
            continue
        if tag.pi in ("personal", "sensitive") and tag.retention and tag.kind not in out:
            out[tag.kind] = tag.retention
    return out


def _minus_years(on: date, years: int) -> date:
    if on.year - years < 1:  # before the calendar: nothing is that old
        return date.min
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February in a year that has none
        return on.replace(year=on.year - years, day=28)


def cutoff(retention: str, on: date) -> datetime | None:
    """The instant before which a document completed is past ``retention`` on ``on`` (start
    of the day, UTC); None for a period that never expires by time."""
    match = _YEARS.fullmatch(retention)
    if match is None:
        return None
    day = _minus_years(on, int(match.group(1)))
    return datetime(day.year, day.month, day.day, tzinfo=UTC)

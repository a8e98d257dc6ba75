"""Birth dates, countries and ID numbers: the facts that confirm or rule out a name match.

A name alone cannot decide a sanctions hit — "Mohammed Ali" is thousands of people. Lists
therefore carry qualifiers, and a reviewer uses them to clear or confirm an alert (OFAC FAQ
5 describes exactly this: compare date of birth, nationality and ID before blocking). The
functions here turn each qualifier into a similarity in 0..1, or ``None`` when either side
does not state it; :mod:`cbec.screening.match` turns those into score adjustments.

Dates are partial more often than not (OFAC: "circa 1960", "Jan 1960", "1960 to 1962"; UN:
``<YEAR>`` only), so a date is kept as ``(year, month, day)`` with ``None`` for what the
list does not say, and a year-only agreement counts for less than a full date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from cbec.screening.countries import to_codes


class PartialDate(NamedTuple):
    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DMY = re.compile(r"(?:(\d{1,2})[ ./-])?([A-Za-z]{3,9})[ ./-]+(\d{4})")
_NUM_DMY = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_RANGE = re.compile(r"(\d{4})\s*(?:to|-|–|and)\s*(\d{4})")
_MAX_RANGE_YEARS = 10  # "1950 to 1990" says nothing useful; keep only narrow ranges


def _valid(year: int, month: int | None, day: int | None) -> PartialDate | None:
    if not 1800 <= year <= 2100:
        return None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None:
        try:
            date(year, month or 1, day)
        except ValueError:
            return None
    return PartialDate(year, month, day)


def parse_dates(text: str | None) -> list[PartialDate]:
    """All dates in one list value: ISO (``1960-01-12``, ``1960``), OFAC style (``12 Jan
    1960``, ``Jan 1960``, ``circa 1960``), ``12.01.1960`` (day first, as lists outside the
    US write it), and year ranges (``1960 to 1962`` → each year, at most 10)."""
    if not text:
        return []
    text = text.strip()
    out: list[PartialDate] = []
    m = _RANGE.search(text)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        if 0 <= hi - lo <= _MAX_RANGE_YEARS:
            out.extend(p for y in range(lo, hi + 1) if (p := _valid(y, None, None)))
        return out
    m = _NUM_DMY.search(text)
    if m:
        p = _valid(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return [p] if p else []
    m = _DMY.search(text)
    if m and m.group(2).lower() in _MONTHS:
        day = int(m.group(1)) if m.group(1) else None
        p = _valid(int(m.group(3)), _MONTHS[m.group(2).lower()], day)
        return [p] if p else []
    m = _ISO.search(text)
    if m:
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
        p = _valid(int(m.group(1)), month, day)
        return [p] if p else []
    return []


def parse_all_dates(values: Iterable[str]) -> list[PartialDate]:
    out: list[PartialDate] = []
    for value in values:
        for p in parse_dates(value):
            if p not in out:
                out.append(p)
    return out


def date_similarity(a: PartialDate, b: PartialDate) -> float:
    """1.0 same day; 0.8 same year and month where one side has no day; 0.6 same year where
    one side has only the year; 0.7 day and month swapped (a common data-entry slip); 0.3
    same year but month or day differ; 0.2 one year apart (lists often round "circa");
    0.0 otherwise."""
    if a.year != b.year:
        return 0.2 if abs(a.year - b.year) == 1 else 0.0
    if a.month is None or b.month is None:
        return 0.6
    if a.month != b.month:
        if a.day is not None and b.day is not None and (a.month, a.day) == (b.day, b.month):
            return 0.7
        return 0.3
    if a.day is None or b.day is None:
        return 0.8
    return 1.0 if a.day == b.day else 0.3


def dob_similarity(query: Iterable[PartialDate], listed: Iterable[PartialDate]) -> float | None:
    """Best agreement between any query date and any listed date; None if either has none."""
    q, lst = list(query), list(listed)
    if not q or not lst:
        return None
    return max(date_similarity(a, b) for a in q for b in lst)


def country_similarity(query: frozenset[str], listed: frozenset[str]) -> float | None:
    """1.0 if the sets of country codes share one, 0.0 if both are stated and disjoint."""
    if not query or not listed:
        return None
    return 1.0 if query & listed else 0.0


def country_codes(values: Iterable[str] | None) -> frozenset[str]:
    return to_codes(tuple(values or ()))


# --- identifiers ----------------------------------------------------------------------------

_ID_SPLIT = re.compile(r"[\s,;:/()\[\]#]+")
_MIN_ID_LEN = 5  # shorter "numbers" (house numbers, "No. 1") collide by chance


def id_keys(value: str | None) -> frozenset[str]:
    """Comparable forms of one identifier: upper-case alphanumerics without separators.

    Lists wrap numbers in labels ("TIN: 183111242572", "Taxpayer No. 184101937739",
    "Passport A1234567 (Iran)"), so besides the whole value stripped of separators every
    word-like piece that contains a digit and is at least 5 characters long is a key too."""
    if not value:
        return frozenset()
    keys = set()
    whole = re.sub(r"[^0-9A-Za-z]", "", value).upper()
    if len(whole) >= _MIN_ID_LEN and any(c.isdigit() for c in whole):
        keys.add(whole)
    for piece in _ID_SPLIT.split(value):
        token = re.sub(r"[^0-9A-Za-z]", "", piece).upper()
        if len(token) >= _MIN_ID_LEN and sum(c.isdigit() for c in token) >= 3:
            keys.add(token)
    return frozenset(keys)


def all_id_keys(values: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for value in values:
        out |= id_keys(value)
    return frozenset(out)


def id_similarity(query: frozenset[str], listed: frozenset[str]) -> float | None:
    """1.0 when an identifier is identical; 0.0 when both have identifiers and none agree
    (not a conflict: people and companies hold many documents); None if either has none."""
    if not query or not listed:
        return None
    return 1.0 if query & listed else 0.0

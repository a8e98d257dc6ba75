"""The Chinese working-day calendar the algorithm filing deadlines are counted in: Monday to
Friday, less the public holidays and the days off the State Council's yearly notice moves
(调休), plus the weekend days that notice makes working days (make-up days, 调休上班).

The dates come from the ``holidays`` package (``holidays.China``: its public holidays, and
``weekend_workdays`` — the adjusted weekend working days it reads from the same notices);
the package covers the notices it documents (2001 to the year it was released). Past its
last notice, a year is counted on its statutory holidays alone, which may be off by the
make-up days the next notice adds: :func:`covered` says whether a date is on firm ground.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import holidays

# ``holidays`` is imported when a date is first counted, not with the module: every server
# imports this one (the algorithm filing routes), and the package with its country tables
# was a tenth of a second of each start.


@cache
def last_notice_year() -> int:
    """The last year whose State Council notice the installed ``holidays`` data includes (its
    make-up working days are present for that year)."""
    import holidays

    return max(d.year for d in holidays.China(years=range(2024, 2031)).weekend_workdays)


@cache
def _calendar(year: int) -> holidays.HolidayBase:
    import holidays

    return holidays.China(years=year)


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day in mainland China (a make-up Saturday or Sunday is;
    a holiday or a day off moved by the notice is not)."""
    return _calendar(day.year).is_working_day(day)


def covered(day: date) -> bool:
    """Whether the installed calendar includes the State Council notice of ``day``'s year."""
    return day.year <= last_notice_year()


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself not counted, whether or not
    it is a working day): the last day of a period of ``n`` working days that begins the day
    after the event. ``n`` must be at least 1."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day, left = start, n
    while left:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days fall after ``start`` up to and including ``end`` (0 when
    ``end`` is not after ``start``)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count

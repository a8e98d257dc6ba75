"""How the console writes numbers, amounts, days and times: the page language's way (CLDR,
through Babel), in one place for every page and chart.

Times are shown in UTC, and say so with the zone (``Mar 4, 2026, 9:05 AM UTC``,
``2026年3月4日 09:05 UTC``); a day is a UTC day. Exports do not come through here: a CSV or
XLSX file keeps ISO dates and plain numbers, for a program to read.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_currency, format_decimal, format_percent

from cbec.i18n import LOCALES

__all__ = ["Figures", "figures"]

_cache: dict[str, Figures] = {}


def _moment(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _day(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return _moment(value).astimezone(UTC).date()
    if isinstance(value, str):
        return _day(_moment(value)) if len(value) > 10 else date.fromisoformat(value)
    return value


class Figures:
    """The formats of one language (``en`` or ``zh``)."""

    def __init__(self, lang: str) -> None:
        self.locale = Locale.parse(LOCALES[lang])
        # the locale's own short time, then the zone ("z": UTC in both languages)
        self._time = self.locale.time_formats["short"].pattern + " z"
        self._glue = self.locale.datetime_formats["medium"]

    def num(self, value: float | int | Decimal | None, digits: int = 0) -> str:
        if value is None:
            return "–"
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def pct(self, value: float | None) -> str:
        return "–" if value is None else format_percent(value, "#,##0.0%", locale=self.locale)

    def money(self, value: object, currency: str) -> str:
        return format_currency(Decimal(str(value)), currency, locale=self.locale)

    def day(self, value: date | datetime | str) -> str:
        """A (UTC) day, the locale's medium date: ``Mar 4, 2026``, ``2026年3月4日``."""
        return format_date(_day(value), "medium", locale=self.locale)

    def short_day(self, value: date | datetime | str) -> str:
        """A day without its year, for a chart's axis: ``Mar 4``, ``3月4日``."""
        return format_skeleton("MMMd", _day(value), locale=self.locale)

    def when(self, value: datetime | str) -> str:
        """A moment, in UTC and saying so: the locale's medium date and short time."""
        at = _moment(value).astimezone(UTC)
        clock = format_time(at, self._time, tzinfo=UTC, locale=self.locale)
        return self._glue.format(clock, format_date(at.date(), "medium", locale=self.locale))


def figures(lang: str) -> Figures:
    if lang not in _cache:
        _cache[lang] = Figures(lang)
    return _cache[lang]

"""Messages of supervision (the regulator's figures over a range of days)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "date_range_reversed": {
        "en": "the last day is before the first day",
        "zh": "截止日期早于起始日期",
    },
    "date_range_too_long": {
        "en": "the range may span at most {max} days",
        "zh": "日期范围最多 {max} 天",
    },
}

"""Messages of the rule desk and supervision (a new rule's id, a range of days)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "rule_exists": {
        "en": "a rule with the id {id} exists already: change it from its page",
        "zh": "编号为 {id} 的规则已存在，请在该规则页面修改",
    },
    "date_range_reversed": {
        "en": "the last day is before the first day",
        "zh": "截止日期早于起始日期",
    },
    "date_range_too_long": {
        "en": "the range may span at most {max} days",
        "zh": "日期范围最多 {max} 天",
    },
}

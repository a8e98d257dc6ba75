"""Messages of the rule desk and supervision (a new rule's id, a range of days)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "rule_exists": "a rule with the id {id} exists already: change it from its page",
    "date_range_reversed": "the last day is before the first day",
    "date_range_too_long": "the range may span at most {max} days",
}

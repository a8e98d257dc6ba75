"""Messages of the regulator's desk: screening-hit reviews."""

from __future__ import annotations

MESSAGES = {
    "hit_reviewed": {
        "en": "this screening hit was already reviewed ({status})",
        "zh": "该筛查命中已复核（{status}）",
    },
}

KIND_NAMES = {
    "screening_hit": {"en": "screening hit", "zh": "筛查命中"},
}

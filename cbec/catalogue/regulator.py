"""Messages of the regulator's desk: screening-hit reviews."""

from __future__ import annotations

MESSAGES = {
    "hit_reviewed": "this screening hit was already reviewed ({status})",
}

KIND_NAMES = {
    "screening_hit": "screening hit",
}

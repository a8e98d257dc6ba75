"""The errors of the analytics cores, members of cbec's error family (:mod:`cbec.errors`).

Each is a ``BadRequest`` (HTTP 400, CLI exit 2) and a ``ValueError`` — the analytics cores
raised ``ValueError`` before and their callers may still catch it — with a stable rule code
and, where the input has one, the field it is about.
"""

from __future__ import annotations

from typing import Any

from cbec.errors import BadRequest


class AnalyticsError(BadRequest, ValueError):
    """An analytics input that cannot be used; ``detail`` says why, ``field`` names it."""

    rule_code = "analytics_input"

    def __init__(self, detail: str, field: str | None = None) -> None:
        self.detail, self.field = detail, field
        super().__init__(self.rule_code, {"field": field or "(input)", "detail": detail})

    def details(self, lang: str = "en") -> list[dict[str, Any]]:
        if self.field is None:
            return []
        return [{"field": self.field, "rule": self.rule, "message": self.detail}]


class FigureError(AnalyticsError):
    """A figures file that cannot be read: names the file, line and column."""

    rule_code = "analytics_figures"


class TransactionError(AnalyticsError):
    """A transaction file or record that cannot be read; the message names what and where."""

    rule_code = "analytics_transactions"


class ReplenishmentError(AnalyticsError):
    """A stock or demand figure replenishment cannot compute with (not finite, negative where
    it must not be, or so large the formulas overflow); ``field`` names it."""

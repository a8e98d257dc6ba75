"""The errors of the transfer route engine, members of cbec's error family (:mod:`cbec.errors`).

Each is a ``BadRequest`` (HTTP 400, CLI exit 2) and a ``ValueError``; each names the field
it is about as a path (``transfer.sensitive_count``) and says why, never the value, so that
nothing personal leaks into messages or logs.
"""

from __future__ import annotations

from cbec.errors import FieldInputError


class TransferInputError(FieldInputError):
    """An input the engine refuses: ``field`` names it, ``detail`` says which rule it broke."""

    def __init__(self, field: str, detail: str, rule: str = "transfer_input") -> None:
        super().__init__(field, detail, rule)


class NoRulesInForce(TransferInputError, LookupError):
    """No transfer rule is in force on the decision date (e.g. before the CAC provisions of
    2024-03-22): the engine refuses rather than apply a rule to a day it did not govern."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(field, detail, "transfer_no_rules")

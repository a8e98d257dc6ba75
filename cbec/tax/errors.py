"""The errors of the tax cores, members of cbec's error family (:mod:`cbec.errors`).

A tax input that cannot be assessed is a :class:`TaxInputError` — a ``BadRequest`` (HTTP 400,
CLI exit 2) that is also a ``ValueError``, so a Python caller that catches ``ValueError`` keeps
working. It names the field as a path (``lines[1].qty``) and says why; the rule code is
``tax_input`` (catalogue in :mod:`cbec.i18n`), so clients can rely on one code for all of them.
"""

from __future__ import annotations

from cbec.errors import FieldInputError


class TaxInputError(FieldInputError):
    """An input a tax core refuses: ``field`` names it, ``detail`` says which rule it broke."""

    def __init__(self, field: str, detail: str, rule: str = "tax_input") -> None:
        super().__init__(field, detail, rule)


class TaxTypeError(TaxInputError, TypeError):
    """An input of the wrong Python type (a float where money must be exact)."""


class NoPolicy(TaxInputError, LookupError):
    """No China CBEC import tax policy row is in force on the date asked."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(field, detail, "tax_no_policy")


class QuoteError(TaxInputError):
    """A landed-cost quote that cannot be made: ``field`` names the input (or ``rules``, when
    the rule tables are ambiguous for the order) and ``detail`` says why."""

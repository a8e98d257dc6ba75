"""Cross-border personal-data transfer route engine: the pure core.

No web, no database: :func:`decide` takes an :class:`ExporterProfile`, a :class:`Transfer`,
a date and the dated rule tables (:func:`shipped`) and returns a :class:`RouteDecision`
whose every reason cites its provision. See :mod:`cbec.privacy.transfer.engine` for the
precedence and the reading of each threshold.
"""

from cbec.privacy.transfer.engine import decide
from cbec.privacy.transfer.errors import NoRulesInForce, TransferInputError
from cbec.privacy.transfer.model import (
    ExporterProfile,
    Reason,
    Route,
    RouteDecision,
    Transfer,
    parse,
)
from cbec.privacy.transfer.rules import TransferRules, shipped

__all__ = [
    "ExporterProfile",
    "NoRulesInForce",
    "Reason",
    "Route",
    "RouteDecision",
    "Transfer",
    "TransferInputError",
    "TransferRules",
    "decide",
    "parse",
    "shipped",
]

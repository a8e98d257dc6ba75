"""Destination landed cost (DDP): duty, import VAT/GST and fees a buyer abroad pays on an order.

Every number comes from dated, sourced rule rows (``data/dest_rules.csv``, ``data/mfn_rates.csv``,
``data/fx_rates.csv``, described in ``data/README.md``) read with :mod:`cbec.ruledata`, so a
quote for a past or future date uses the rules of that date and each figure can be traced back to
the row (and the decree) it came from. The engine is pure: no web, no database, no network.

The package, along its seams:

- :mod:`~cbec.tax.landed.rules` loads and checks the tables;
- :mod:`~cbec.tax.landed.money` rounds to minor units and shares amounts so they add up;
- :mod:`~cbec.tax.landed.inputs` is what a quote is asked for (typed order, given FX rates);
- :mod:`~cbec.tax.landed.fx` finds a currency pair's rate on the date;
- :mod:`~cbec.tax.landed.engine` picks the rows and computes the figures;
- :mod:`~cbec.tax.landed.result` is the quote, rendered for JSON.

How a quote is made:

1. The destination's ``market`` row gives its currency, minor unit and union (``EU`` rows apply
   to members). The order's amounts are converted into that currency with the FX row in force on
   the quote date and rounded half-up to the minor unit; freight and insurance are shared among
   the lines by goods value (largest remainder, so the shares add up exactly).
2. For every line and every kind (``duty``, ``vat``) the rows in force for the destination whose
   channel, origin (of the line), HS exclusions and threshold (on the consignment) match are
   candidates; the highest ``priority`` wins, two winners are an error (the table is ambiguous).
   Thresholds compare the consignment's value in the threshold currency: order amount × FX rate,
   rounded half-up to that currency's minor unit, against ``(threshold_min_excl,
   threshold_max_incl]``.
3. Duty per line by the winner's method (``exempt``, ``none``, ``mfn``, ``ad_valorem``), or per
   consignment and then allocated to its lines (``flat_per_category`` by goods value within each
   6-digit sub-heading, ``flat_rate_with_deduction`` by the duty base). VAT per line on the base
   the row names, using the line's rounded duty. Fee rows apply per consignment and are allocated
   by goods value. ``scheme`` rows only say how VAT is collected (IOSS, point of sale).
4. Every amount is rounded half-up per line; the quote's totals are sums of the rounded lines, so
   they always add up.

Errors name the offending field (``destination``, ``currency``, ``lines[1].qty``,
``lines[0].hs_code``, ``rules``) and never return a silent zero.
"""

from cbec.tax.errors import QuoteError
from cbec.tax.landed.engine import DEFAULT_MINOR_UNITS, quote
from cbec.tax.landed.fx import PIVOT, FxTable
from cbec.tax.landed.inputs import (
    ORDER_CHANNELS,
    GivenRate,
    QuoteLine,
    QuoteOrder,
    check_order,
    fx_rows,
)
from cbec.tax.landed.money import ZERO, allocate, round_to
from cbec.tax.landed.result import FxUse, LineQuote, Quote
from cbec.tax.landed.rules import (
    BASES,
    CHANNELS,
    DATA,
    FX_CSV,
    KINDS,
    METHODS,
    MFN_CSV,
    RULES_CSV,
    load_fx,
    load_mfn,
    load_rules,
    rule_id,
    shipped_fx,
    shipped_mfn,
    shipped_rules,
)

__all__ = [
    "BASES",
    "CHANNELS",
    "DATA",
    "DEFAULT_MINOR_UNITS",
    "FX_CSV",
    "KINDS",
    "METHODS",
    "MFN_CSV",
    "ORDER_CHANNELS",
    "PIVOT",
    "RULES_CSV",
    "ZERO",
    "FxTable",
    "FxUse",
    "GivenRate",
    "LineQuote",
    "Quote",
    "QuoteError",
    "QuoteLine",
    "QuoteOrder",
    "allocate",
    "check_order",
    "fx_rows",
    "load_fx",
    "load_mfn",
    "load_rules",
    "quote",
    "round_to",
    "rule_id",
    "shipped_fx",
    "shipped_mfn",
    "shipped_rules",
]

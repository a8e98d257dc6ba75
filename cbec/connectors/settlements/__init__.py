"""Payment settlement reports read as cbec payment vouchers: Stripe's itemized balance and
payout reconciliation reports, PayPal's activity download and cbec's generic settlement CSV
(one module per format, each citing the page its columns come from and holding its mapping
table).

A file's format is told from its header row (:func:`detect`): every format names a few
columns no other report has together (its ``signature``). The table is read as a marketplace
file is (:func:`cbec.connectors.marketplaces.records`: CSV in the encoding detected or stated,
or an XLSX workbook's first sheet). Payment rows become cbec payment documents
(:func:`core.convert`), filed by the same pipeline as a native import; other rows (refunds,
fees, payouts) are counted and skipped.
"""

from __future__ import annotations

from cbec.connectors.marketplaces import records
from cbec.connectors.settlements import generic, paypal, stripe
from cbec.connectors.settlements.core import Conversion, Format, Profile, convert
from cbec.errors import BadRequest

FORMATS: tuple[Format, ...] = (*stripe.FORMATS, *paypal.FORMATS, *generic.FORMATS)
NAMES = ("auto", *dict.fromkeys(f.name for f in FORMATS))

__all__ = ["FORMATS", "NAMES", "Conversion", "Profile", "convert", "detect", "records"]


def detect(header: list[str], wanted: str = "auto") -> Format:
    """The format whose signature columns the header holds (``wanted`` limits the choice to
    one format); ``settlement_format_unknown`` when none does."""
    present = {h.replace("\ufeff", "").strip() for h in header if h}
    for fmt in FORMATS:
        if wanted not in ("auto", fmt.name):
            continue
        if fmt.signature <= present:
            return fmt
    raise BadRequest(
        "settlement_format_unknown",
        {"wanted": wanted[:32], "formats": ", ".join(n for n in NAMES if n != "auto")},
    )

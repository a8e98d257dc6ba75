"""The landed-cost rule tables: destination rules, MFN duty rates and FX rates.

Each table is a :mod:`cbec.ruledata` CSV (validity window and source on every row; columns
described in ``cbec/tax/data/README.md``). Beyond the shared checks, every kind, method, basis
and channel must be one the engine knows, so a typo fails when the table is loaded — naming the
file, line and column (:class:`cbec.ruledata.RuleDataError`) — never halfway through a quote.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from cbec import ruledata
from cbec.ruledata import Row, RuleDataError
from cbec.tax.landed.money import ZERO, is_code

DATA = Path(__file__).resolve().parents[1] / "data"
RULES_CSV = DATA / "dest_rules.csv"
MFN_CSV = DATA / "mfn_rates.csv"
FX_CSV = DATA / "fx_rates.csv"

KINDS = ("market", "duty", "vat", "fee", "scheme")
METHODS = {
    "market": ("",),
    "duty": (
        "exempt",
        "none",
        "mfn",
        "ad_valorem",
        "flat_per_category",
        "flat_rate_with_deduction",
        "not_modelled",
    ),
    "vat": ("exempt", "none", "ad_valorem", "not_modelled"),
    "fee": ("flat", "ad_valorem"),
    "scheme": ("ioss", "voec", "point_of_sale"),
}
BASES = ("intrinsic", "FOB", "CIF", "intrinsic+duty", "FOB+duty", "CIF+duty", "price_incl")
THRESHOLD_BASES = ("intrinsic", "FOB", "CIF")
CHANNELS = ("any", "postal", "courier")
NEEDS_BASIS = {"mfn", "ad_valorem", "flat_rate_with_deduction"}
RULE_DECIMALS = ("rate", "amount", "deduction", "threshold_min_excl", "threshold_max_incl")


def load_rules(path: Path | str = RULES_CSV) -> list[Row]:
    """Read and check ``dest_rules.csv``: beyond the shared checks, ids are unique and every
    kind, method, basis and channel is one the engine knows, so a typo fails at load time."""
    rows = ruledata.load(
        path,
        required=("id", "country", "kind", "priority"),
        decimals=(*RULE_DECIMALS, "priority", "minor_units"),
    )
    seen: dict[str, int] = {}
    for row in rows:
        _check_rule(row, path, seen)
    return rows


def _check_rule(row: Row, path: Path | str, seen: dict[str, int]) -> None:
    def bad(column: str, message: str) -> RuleDataError:
        return RuleDataError(path, row.line, column, message)

    if row["id"] in seen:
        raise bad("id", f"{row['id']!r} already used on line {seen[row['id']]}")
    seen[row["id"]] = row.line
    kind, method = row["kind"], row.get("method")
    if kind not in KINDS:
        raise bad("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    if method not in METHODS[kind]:
        raise bad("method", f"{method!r} is not a {kind} method ({', '.join(METHODS[kind])})")
    if not is_code(row["country"], 2):
        raise bad("country", f"{row['country']!r} is not an ISO alpha-2 code or EU")
    if not row["priority"].lstrip("-").isdigit():
        raise bad("priority", f"{row['priority']!r} is not an integer")
    if row.get("channel", "any") not in CHANNELS:
        raise bad("channel", f"{row['channel']!r} is not one of {', '.join(CHANNELS)}")
    basis = row.get("basis")
    if basis and basis not in BASES:
        raise bad("basis", f"{basis!r} is not one of {', '.join(BASES)}")
    if method in NEEDS_BASIS and not basis:
        raise bad("basis", f"method {method} needs a basis")
    if kind == "market":
        if not is_code(row.get("currency"), 3):
            raise bad("currency", "a market row needs its ISO 4217 currency")
        if not row.get("minor_units").isdigit():
            raise bad("minor_units", "a market row needs the currency's minor unit (0, 2 …)")
    if method in ("ad_valorem", "flat_rate_with_deduction") and row.decimal("rate") is None:
        raise bad("rate", f"method {method} needs a rate")
    if basis == "price_incl" and not ZERO <= (row.decimal("rate") or ZERO) < 1:
        raise bad("rate", "a price_incl rate must be below 1")
    if method in ("flat_per_category", "flat") and row.decimal("amount") is None:
        raise bad("amount", f"method {method} needs an amount")
    if method == "flat_rate_with_deduction" and row.decimal("deduction") is None:
        raise bad("deduction", "method flat_rate_with_deduction needs a deduction")
    if (row.get("amount") or row.get("deduction")) and not is_code(row.get("currency"), 3):
        raise bad("currency", "an amount or deduction needs its ISO 4217 currency")
    if row.get("threshold_min_excl") or row.get("threshold_max_incl"):
        if not is_code(row.get("threshold_currency"), 3):
            raise bad("threshold_currency", "a threshold needs its ISO 4217 currency")
        if row.get("threshold_basis") not in THRESHOLD_BASES:
            raise bad("threshold_basis", f"must be one of {', '.join(THRESHOLD_BASES)}")


def load_mfn(path: Path | str = MFN_CSV) -> list[Row]:
    """Read an MFN duty table (``country``, ``hs_prefix``, ``rate`` and the validity columns);
    the shipped file is a sample, a full national tariff in the same shape loads the same way."""
    rows = ruledata.load(path, required=("country", "hs_prefix", "rate"), decimals=("rate",))
    for row in rows:
        prefix = row["hs_prefix"]
        if not (prefix.isdigit() and len(prefix) in (2, 4, 6, 8, 10)):
            raise RuleDataError(path, row.line, "hs_prefix", f"{prefix!r} is not 2–10 digits")
        if (row.decimal("rate") or ZERO) < ZERO:
            raise RuleDataError(path, row.line, "rate", "a duty rate cannot be negative")
    return rows


def load_fx(path: Path | str = FX_CSV) -> list[Row]:
    """Read an FX table: 1 ``base`` = ``rate`` ``quote``, observed on ``date``."""
    rows = ruledata.load(path, required=("date", "base", "quote", "rate"), decimals=("rate",))
    for row in rows:
        for column in ("base", "quote"):
            if not is_code(row[column], 3):
                raise RuleDataError(path, row.line, column, f"{row[column]!r} is not ISO 4217")
        if not (row.decimal("rate") or ZERO) > 0:
            raise RuleDataError(path, row.line, "rate", "a rate must be positive")
        try:
            date.fromisoformat(row["date"])
        except ValueError:
            raise RuleDataError(path, row.line, "date", "not an ISO date") from None
    return rows


@cache
def shipped_rules() -> list[Row]:
    return load_rules()


@cache
def shipped_mfn() -> list[Row]:
    return load_mfn()


@cache
def shipped_fx() -> list[Row]:
    return load_fx()


def rule_id(row: Row) -> str:
    """A stable name for a row: its ``id``, or one made from an MFN or FX row's key."""
    if row.get("id"):
        return row["id"]
    if row.get("hs_prefix"):
        return f"MFN-{row['country']}-{row['hs_prefix']}@{row.effective_from.isoformat()}"
    return f"FX-{row['base']}{row['quote']}@{row['date']}"

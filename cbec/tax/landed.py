"""Destination landed cost (DDP): duty, import VAT/GST and fees a buyer abroad pays on an order.

Every number comes from dated, sourced rule rows (``data/dest_rules.csv``, ``data/mfn_rates.csv``,
``data/fx_rates.csv``, described in ``data/README.md``) read with :mod:`cbec.ruledata`, so a
quote for a past or future date uses the rules of that date and each figure can be traced back to
the row (and the decree) it came from. The engine is pure: no web, no database, no network.

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

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from cbec import ruledata
from cbec.ruledata import Row, RuleDataError

DATA = Path(__file__).with_name("data")
RULES_CSV = DATA / "dest_rules.csv"
MFN_CSV = DATA / "mfn_rates.csv"
FX_CSV = DATA / "fx_rates.csv"

ZERO = Decimal(0)
PIVOT = "USD"  # cross rates go base -> USD -> quote when no direct or inverse row exists
DEFAULT_MINOR_UNITS = 2  # for a threshold currency no market row names (ISO 4217's usual 2)

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
ORDER_CHANNELS = ("postal", "courier")
NEEDS_BASIS = {"mfn", "ad_valorem", "flat_rate_with_deduction"}
RULE_DECIMALS = ("rate", "amount", "deduction", "threshold_min_excl", "threshold_max_incl")


class QuoteError(ValueError):
    """A quote that cannot be made: ``field`` names the input (or ``rules``) at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


# --------------------------------------------------------------------------- input and output


@dataclass(frozen=True)
class QuoteLine:
    sku: str
    qty: Decimal
    unit_price: Decimal  # in the order's currency, per unit, as sold
    hs_code: str  # at least the 6-digit sub-heading; dots and spaces are ignored
    origin: str  # ISO 3166-1 alpha-2 country of origin of the goods
    description: str = ""


@dataclass(frozen=True)
class QuoteOrder:
    currency: str  # ISO 4217 currency of prices, freight and insurance
    freight: Decimal  # international freight to the destination
    insurance: Decimal
    lines: Sequence[QuoteLine]
    channel: str = "courier"  # "courier" or "postal"
    ioss_number: str | None = None  # EU Import One-Stop Shop number of the seller/platform
    voec_number: str | None = None  # Norway VOEC number, echoed


@dataclass(frozen=True)
class FxUse:
    """One conversion rate and the row(s) it came from."""

    base: str
    quote: str
    rate: Decimal
    date: str | None
    rule: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "pair": f"{self.base}/{self.quote}",
            "rate": str(self.rate),
            "date": self.date,
            "rule": self.rule,
        }


@dataclass
class LineQuote:
    """One line in the destination currency; ``customs_value`` is the value duty was assessed
    on (the duty row's basis; CIF where the row has none, e.g. an exemption)."""

    index: int
    sku: str
    hs_code: str
    origin: str
    goods: Decimal
    freight: Decimal = ZERO
    insurance: Decimal = ZERO
    customs_value: Decimal = ZERO
    duty: Decimal = ZERO
    duty_rule: str = ""
    duty_rate: Decimal | None = None
    vat_base: Decimal = ZERO
    vat: Decimal = ZERO
    vat_rule: str = ""
    fees: Decimal = ZERO
    fee_rules: list[str] = field(default_factory=list)

    @property
    def cif(self) -> Decimal:
        return self.goods + self.freight + self.insurance

    @property
    def total(self) -> Decimal:
        return self.cif + self.duty + self.vat + self.fees

    def as_dict(self, money: Any) -> dict[str, Any]:
        return {
            "index": self.index,
            "sku": self.sku,
            "hs_code": self.hs_code,
            "origin": self.origin,
            "goods": money(self.goods),
            "freight": money(self.freight),
            "insurance": money(self.insurance),
            "customs_value": money(self.customs_value),
            "duty": money(self.duty),
            "duty_rule": self.duty_rule,
            "duty_rate": None if self.duty_rate is None else str(self.duty_rate),
            "vat_base": money(self.vat_base),
            "vat": money(self.vat),
            "vat_rule": self.vat_rule,
            "fees": money(self.fees),
            "fee_rules": list(self.fee_rules),
            "total": money(self.total),
        }


@dataclass
class Quote:
    """A DDP quote in the destination currency; totals are sums of the rounded lines."""

    currency: str
    destination: str
    on: date
    minor_units: int
    goods: Decimal
    freight: Decimal
    insurance: Decimal
    duty: Decimal
    vat: Decimal
    fees: Decimal
    total: Decimal
    de_minimis_applied: bool
    vat_collection: str  # "sale", "border" or "none" (no VAT charged)
    rules: list[str]
    fx: dict[str, Any]
    fx_used: list[dict[str, Any]]
    lines: list[LineQuote]
    decisions: list[str]
    ioss_number: str | None = None
    voec_number: str | None = None

    def money(self, value: Decimal) -> str:
        return format(value.quantize(_quantum(self.minor_units)), "f")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: Decimals as strings in the currency's minor unit."""
        return {
            "currency": self.currency,
            "destination": self.destination,
            "on": self.on.isoformat(),
            "goods": self.money(self.goods),
            "freight": self.money(self.freight),
            "insurance": self.money(self.insurance),
            "duty": self.money(self.duty),
            "vat": self.money(self.vat),
            "fees": self.money(self.fees),
            "total": self.money(self.total),
            "de_minimis_applied": self.de_minimis_applied,
            "vat_collection": self.vat_collection,
            "ioss_number": self.ioss_number,
            "voec_number": self.voec_number,
            "rules": list(self.rules),
            "fx": dict(self.fx),
            "fx_used": [dict(f) for f in self.fx_used],
            "lines": [line.as_dict(self.money) for line in self.lines],
            "decisions": list(self.decisions),
        }


# --------------------------------------------------------------------------- loading the tables


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
    if not _is_code(row["country"], 2):
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
        if not _is_code(row.get("currency"), 3):
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
    if (row.get("amount") or row.get("deduction")) and not _is_code(row.get("currency"), 3):
        raise bad("currency", "an amount or deduction needs its ISO 4217 currency")
    if row.get("threshold_min_excl") or row.get("threshold_max_incl"):
        if not _is_code(row.get("threshold_currency"), 3):
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
            if not _is_code(row[column], 3):
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


# --------------------------------------------------------------------------- small helpers


def _is_code(text: str | None, length: int) -> bool:
    return bool(text) and len(text) == length and text.isalpha() and text.isupper()


def _quantum(minor_units: int) -> Decimal:
    return Decimal(1).scaleb(-minor_units)


def _round(value: Decimal, minor_units: int) -> Decimal:
    return value.quantize(_quantum(minor_units), ROUND_HALF_UP)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"


def allocate(total: Decimal, weights: Sequence[Decimal], minor_units: int) -> list[Decimal]:
    """Share ``total`` (already rounded) in proportion to ``weights`` so the shares add up to it
    exactly: each share is floored to the minor unit and the units left over go to the largest
    remainders (earlier lines first on ties). Zero weights everywhere share equally."""
    if not weights:
        return []
    quantum = _quantum(minor_units)
    units = int((total / quantum).to_integral_value())
    weight_sum = sum(weights, ZERO)
    shares = list(weights) if weight_sum else [Decimal(1)] * len(weights)
    weight_sum = weight_sum or Decimal(len(weights))
    exact = [Decimal(units) * w / weight_sum for w in shares]
    floors = [int(e.to_integral_value(rounding=decimal.ROUND_FLOOR)) for e in exact]
    left = units - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(n) * quantum for n in floors]


def _money_in(value: Any, where: str, *, positive: bool = False) -> Decimal:
    """A money or quantity input as Decimal: floats are refused (binary rounding), negatives
    too, and zero where ``positive``."""
    if isinstance(value, float | bool) or value is None:
        raise QuoteError(where, f"must be a Decimal (or int/str), not {type(value).__name__}")
    try:
        number = Decimal(value)
    except (decimal.InvalidOperation, TypeError, ValueError):
        raise QuoteError(where, "is not a number") from None
    if not number.is_finite():
        raise QuoteError(where, "must be finite")
    if number < 0 or (positive and number == 0):
        raise QuoteError(where, "must be positive" if positive else "must not be negative")
    return number


def _hs_digits(text: str, where: str) -> str:
    digits = "".join(ch for ch in str(text) if ch not in ". ")
    if not (digits.isdigit() and 6 <= len(digits) <= 10):
        raise QuoteError(where, "needs at least the 6-digit HS sub-heading (6–10 digits)")
    return digits


def _check_order(order: QuoteOrder) -> None:
    """The order-level fields; lines are checked as they are converted."""
    if not _is_code(order.currency, 3):
        raise QuoteError("currency", f"{order.currency!r} is not an ISO 4217 code")
    if order.channel not in ORDER_CHANNELS:
        raise QuoteError("channel", f"must be one of {', '.join(ORDER_CHANNELS)}")
    if not order.lines:
        raise QuoteError("lines", "an order needs at least one line")
    for i, line in enumerate(order.lines):
        _money_in(line.qty, f"lines[{i}].qty", positive=True)
        _money_in(line.unit_price, f"lines[{i}].unit_price")


def _convert_line(index: int, line: QuoteLine, rate: Decimal, units: int) -> LineQuote:
    """A checked line with its goods value in the destination currency, rounded."""
    origin = str(line.origin or "").upper()
    if not _is_code(origin, 2):
        raise QuoteError(f"lines[{index}].origin", "is not an ISO 3166-1 alpha-2 code")
    hs = _hs_digits(line.hs_code, f"lines[{index}].hs_code")
    goods = _round(Decimal(line.qty) * Decimal(line.unit_price) * rate, units)
    return LineQuote(index, line.sku, hs, origin, goods)


# --------------------------------------------------------------------------- FX


class _Fx:
    """Finds the rate of a currency pair on the quote date: a row as it is, inverted, or via
    the USD pivot; remembers every rate used so the quote can show them."""

    def __init__(self, rows: Sequence[Row], on: date) -> None:
        self.rows, self.on, self.used = rows, on, {}

    def rate(self, base: str, quote: str, where: str = "currency") -> FxUse:
        if base == quote:
            return FxUse(base, quote, Decimal(1), None, "identity")
        found = self._direct(base, quote) or self._via_pivot(base, quote)
        if found is None:
            raise QuoteError(where, f"no FX rate {base}->{quote} in force on {self.on}")
        self.used.setdefault((base, quote), found)
        return found

    def _one(self, base: str, quote: str) -> Row | None:
        rows = ruledata.in_force(self.rows, self.on, base=base, quote=quote)
        if len(rows) > 1:
            lines = ", ".join(str(r.line) for r in rows)
            raise QuoteError("rules", f"FX {base}/{quote} on {self.on}: rows {lines} all apply")
        return rows[0] if rows else None

    def _direct(self, base: str, quote: str) -> FxUse | None:
        row = self._one(base, quote)
        if row is not None:
            return FxUse(base, quote, row.decimal("rate") or ZERO, row["date"], rule_id(row))
        row = self._one(quote, base)
        if row is not None:
            rate = Decimal(1) / (row.decimal("rate") or Decimal(1))
            return FxUse(base, quote, rate, row["date"], f"1/{rule_id(row)}")
        return None

    def _via_pivot(self, base: str, quote: str) -> FxUse | None:
        if PIVOT in (base, quote):
            return None
        first, second = self._direct(base, PIVOT), self._direct(PIVOT, quote)
        if first is None or second is None:
            return None
        dates = sorted(d for d in (first.date, second.date) if d)
        rule = f"{first.rule}*{second.rule}"
        return FxUse(base, quote, first.rate * second.rate, dates[0] if dates else None, rule)


# --------------------------------------------------------------------------- the quote


@dataclass
class _Consignment:
    """The order, checked and converted; ``values`` are the consignment's value per basis in
    the order's currency (what thresholds compare)."""

    order: QuoteOrder
    destination: str
    on: date
    market: Row
    scope: set[str]
    currency: str
    minor_units: int
    lines: list[LineQuote]
    values: dict[str, Decimal]


class _Engine:
    def __init__(
        self,
        order: QuoteOrder,
        destination: str,
        on: date,
        tables: tuple[Sequence[Row], Sequence[Row], Sequence[Row]],
    ) -> None:
        self.rules, self.mfn, fx_rows = tables
        self.on = on
        self.fx = _Fx(fx_rows, on)
        self.decisions: list[str] = []
        self.noted: set[str] = set()
        self.used: list[str] = []
        self.c = self._consignment(order, destination)

    # ---- set-up

    def _consignment(self, order: QuoteOrder, destination: str) -> _Consignment:
        market = self._market(destination)
        _check_order(order)
        currency, units = market["currency"], int(market["minor_units"])
        self.main_fx = main = self.fx.rate(order.currency, currency)
        if main.rule != "identity":
            self.decisions.append(
                f"FX: 1 {order.currency} = {main.rate} {currency} ({main.rule}, dated {main.date})"
            )
        lines = [_convert_line(i, line, main.rate, units) for i, line in enumerate(order.lines)]
        freight = _money_in(order.freight, "freight")
        insurance = _money_in(order.insurance, "insurance")
        weights = [line.goods for line in lines]
        freights = allocate(_round(freight * main.rate, units), weights, units)
        insurances = allocate(_round(insurance * main.rate, units), weights, units)
        for line, share_f, share_i in zip(lines, freights, insurances, strict=True):
            line.freight, line.insurance = share_f, share_i
        goods = sum((Decimal(li.qty) * Decimal(li.unit_price) for li in order.lines), ZERO)
        values = {"intrinsic": goods, "FOB": goods, "CIF": goods + freight + insurance}
        scope = {market["country"]} | ({market["union"]} if market.get("union") else set())
        return _Consignment(
            order, market["country"], self.on, market, scope, currency, units, lines, values
        )

    def _market(self, destination: str) -> Row:
        """The destination's market row: its currency, minor unit and union."""
        if not isinstance(self.on, date):
            raise QuoteError("on", "must be a date")
        dest = str(destination or "").upper()
        markets = ruledata.in_force(self.rules, self.on, kind="market", country=dest)
        if len(markets) != 1:
            found = "no market row" if not markets else "several market rows"
            raise QuoteError("destination", f"{dest or '(empty)'}: {found} in force on {self.on}")
        market = markets[0]
        self._use(market)
        self.decisions.append(
            f"{dest}: currency {market['currency']} ({market['minor_units']} decimals), "
            f"rule {market['id']}" + (f", union {market['union']}" if market.get("union") else "")
        )
        return market

    def _use(self, row: Row) -> None:
        name = rule_id(row)
        if name not in self.used:
            self.used.append(name)

    def _note(self, text: str) -> None:
        if text not in self.noted:
            self.noted.add(text)
            self.decisions.append(text)

    # ---- matching

    def _rows(self, kind: str) -> list[Row]:
        return [
            r
            for r in self.rules
            if r["kind"] == kind and r["country"] in self.c.scope and r.in_force(self.on)
        ]

    def _matches(self, row: Row, origin: str, hs: str) -> bool:
        channel = row.get("channel", "any")
        if channel != "any" and channel != self.c.order.channel:
            return False
        if row.get("origin_in") and origin not in _split(row["origin_in"]):
            return False
        if origin in _split(row.get("origin_not_in")):
            return False
        return not any(hs.startswith(p) for p in _split(row.get("hs_not_in")))

    def _threshold_value(self, row: Row) -> tuple[Decimal, str]:
        basis, currency = row.get("threshold_basis", "intrinsic"), row["threshold_currency"]
        raw = self.c.values[basis]
        if currency == self.c.order.currency:
            return raw, currency
        fx = self.fx.rate(self.c.order.currency, currency)
        return _round(raw * fx.rate, self._minor_units(currency)), currency

    def _minor_units(self, currency: str) -> int:
        for row in self.rules:
            if row["kind"] == "market" and row["currency"] == currency and row.in_force(self.on):
                return int(row["minor_units"])
        return DEFAULT_MINOR_UNITS

    def _within(self, row: Row) -> bool:
        low, high = row.decimal("threshold_min_excl"), row.decimal("threshold_max_incl")
        if low is None and high is None:
            return True
        value, currency = self._threshold_value(row)
        inside = (low is None or value > low) and (high is None or value <= high)
        interval = f"({low if low is not None else '—'}, {high if high is not None else '—'}]"
        verdict = "within" if inside else "outside"
        self._note(
            f"{row['id']}: {row['threshold_basis']} value {value} {currency} {verdict} "
            f"{interval} {currency}" + ("" if inside else " — not applied")
        )
        return inside

    def _pick(self, candidates: list[Row], what: str) -> Row | None:
        if not candidates:
            return None
        top = max(int(r["priority"]) for r in candidates)
        best = [r for r in candidates if int(r["priority"]) == top]
        if len(best) > 1:
            ids = ", ".join(r["id"] for r in best)
            raise QuoteError("rules", f"{what}: rows {ids} all apply at priority {top}")
        return best[0]

    def _rule_for(self, kind: str, line: LineQuote) -> Row:
        pool = [r for r in self._rows(kind) if self._matches(r, line.origin, line.hs_code)]
        what = f"{kind} of lines[{line.index}]"
        inside = [r for r in pool if self._within(r)]
        row = self._pick(inside, what)
        beaten = [r["id"] for r in inside if r is not row]
        if row is not None and beaten:
            self._note(
                f"{what}: {row['id']} (priority {row['priority']}) wins over {', '.join(beaten)}"
            )
        if row is None:
            raise QuoteError(
                f"lines[{line.index}]",
                f"no {kind} rule for {self.c.destination} on {self.on} fits this line "
                f"(origin {line.origin}, HS {line.hs_code}, channel {self.c.order.channel}, "
                f"CIF {self.c.values['CIF']} {self.c.order.currency})",
            )
        if row["method"] == "not_modelled":
            raise QuoteError(
                f"lines[{line.index}]", f"{row['id']} is not modelled: {row.get('note')}"
            )
        self._use(row)
        return row

    def _consignment_rows(self, kind: str) -> list[Row]:
        """Fee and scheme rows: all that fit every line apply (they do not compete)."""
        found = []
        for row in self._rows(kind):
            fits = all(self._matches(row, li.origin, li.hs_code) for li in self.c.lines)
            if fits and self._within(row):
                self._use(row)
                found.append(row)
        return found

    # ---- amounts

    def _base(self, line: LineQuote, basis: str) -> Decimal:
        value = {"intrinsic": line.goods, "FOB": line.goods, "CIF": line.cif}
        head, _, plus = basis.partition("+")
        if basis == "price_incl":
            return line.cif + line.duty
        return value[head] + (line.duty if plus == "duty" else ZERO)

    def _amount(self, row: Row, column: str) -> Decimal:
        """A row's flat amount or deduction in the destination currency, rounded."""
        value = row.decimal(column) or ZERO
        fx = self.fx.rate(row["currency"], self.c.currency)
        return _round(value * fx.rate, self.c.minor_units)

    def _mfn_rate(self, line: LineQuote) -> tuple[Decimal, Row]:
        rows = [
            r
            for r in self.mfn
            if r["country"] in self.c.scope
            and line.hs_code.startswith(r["hs_prefix"])
            and r.in_force(self.on)
        ]
        if not rows:
            sku = self.c.order.lines[line.index].sku
            raise QuoteError(
                f"lines[{line.index}].hs_code",
                f"no MFN duty rate for HS {line.hs_code} in {'/'.join(sorted(self.c.scope))} "
                f"on {self.on} (line {line.index}, sku {sku!r})",
            )
        key = max((len(r["hs_prefix"]), r["country"] == self.c.destination) for r in rows)
        best = [r for r in rows if (len(r["hs_prefix"]), r["country"] == self.c.destination) == key]
        if len(best) > 1:
            lines = ", ".join(str(r.line) for r in best)
            raise QuoteError("rules", f"MFN rows {lines} all match HS {line.hs_code}")
        return best[0].decimal("rate") or ZERO, best[0]

    def duties(self) -> bool:
        """Duty of every line; returns whether a de minimis exemption applied."""
        exempt = False
        grouped: dict[str, list[LineQuote]] = {}
        units = self.c.minor_units
        for line in self.c.lines:
            row = self._rule_for("duty", line)
            line.duty_rule, method = row["id"], row["method"]
            line.customs_value = self._base(line, row.get("basis") or "CIF")
            if method == "exempt":
                exempt = True
                self._note(f"lines[{line.index}] duty: {row['id']} — de minimis, no duty")
            elif method == "none":
                self._note(f"lines[{line.index}] duty: {row['id']} — no duty")
            elif method in ("mfn", "ad_valorem"):
                rate, source = (
                    self._mfn_rate(line) if method == "mfn" else (row.decimal("rate"), row)
                )
                if source is not row:
                    self._use(source)
                line.duty_rate = rate
                line.duty = _round(line.customs_value * rate, units)
                via = f" ({rule_id(source)})" if source is not row else ""
                self._note(
                    f"lines[{line.index}] duty: {row['id']} {_pct(rate)}{via} of {row['basis']} "
                    f"{line.customs_value} = {line.duty} {self.c.currency}"
                )
            else:
                grouped.setdefault(row["id"], []).append(line)
        for lines in grouped.values():
            self._consignment_duty(self._row(lines[0].duty_rule), lines)
        return exempt

    def _row(self, rule: str) -> Row:
        return next(r for r in self.rules if r.get("id") == rule)

    def _consignment_duty(self, row: Row, lines: list[LineQuote]) -> None:
        units, cur = self.c.minor_units, self.c.currency
        if row["method"] == "flat_per_category":
            per_category = self._amount(row, "amount")
            categories: dict[str, list[LineQuote]] = {}
            for line in lines:
                categories.setdefault(line.hs_code[:6], []).append(line)
            for sub, members in categories.items():
                shares = allocate(per_category, [m.goods for m in members], units)
                for member, share in zip(members, shares, strict=True):
                    member.duty = share
                idx = ", ".join(f"lines[{m.index}]" for m in members)
                self._note(
                    f"{row['id']}: sub-heading {sub} ({idx}) pays {per_category} {cur}, "
                    "shared by goods value"
                )
            return
        rate = row.decimal("rate") or ZERO
        bases = [self._base(line, row["basis"]) for line in lines]
        deduction = self._amount(row, "deduction")
        total = max(ZERO, _round(sum(bases, ZERO) * rate - deduction, units))
        for line, share in zip(lines, allocate(total, bases, units), strict=True):
            line.duty, line.duty_rate = share, rate
        self._note(
            f"{row['id']}: {_pct(rate)} of {row['basis']} {sum(bases, ZERO)} − {deduction} "
            f"= {total} {cur} (floored at 0), shared by {row['basis']}"
        )

    def vat(self) -> bool:
        """VAT of every line on its row's base (after duty); returns whether one was exempt."""
        exempt = False
        for line in self.c.lines:
            row = self._rule_for("vat", line)
            line.vat_rule, method = row["id"], row["method"]
            if method in ("exempt", "none"):
                exempt = exempt or method == "exempt"
                why = "de minimis, no VAT" if method == "exempt" else "no VAT"
                self._note(f"lines[{line.index}] VAT: {row['id']} — {why}")
                continue
            rate = row.decimal("rate") or ZERO
            line.vat_base = self._base(line, row["basis"])
            tax = line.vat_base * rate
            if row["basis"] == "price_incl":
                tax = line.vat_base / (1 - rate) * rate
            line.vat = _round(tax, self.c.minor_units)
            how = "grossed up (price_incl)" if row["basis"] == "price_incl" else row["basis"]
            self._note(
                f"lines[{line.index}] VAT: {row['id']} {_pct(rate)} on {how} {line.vat_base} "
                f"= {line.vat} {self.c.currency}"
            )
        return exempt

    def fees(self) -> None:
        units = self.c.minor_units
        weights = [line.goods for line in self.c.lines]
        for row in self._consignment_rows("fee"):
            if row["method"] == "flat":
                total = self._amount(row, "amount")
            else:
                base = sum((self._base(li, row["basis"]) for li in self.c.lines), ZERO)
                total = _round(base * (row.decimal("rate") or ZERO), units)
            for line, share in zip(self.c.lines, allocate(total, weights, units), strict=True):
                line.fees += share
                line.fee_rules.append(row["id"])
            self._note(f"fee {row['id']}: {total} {self.c.currency}, shared by goods value")

    def collection(self) -> str:
        """How VAT reaches the tax office, from the scheme rows (information only)."""
        order, mode = self.c.order, "border"
        for row in self._consignment_rows("scheme"):
            method = row["method"]
            number = order.ioss_number if method == "ioss" else order.voec_number
            if method == "point_of_sale":
                mode = "sale"
                self._note(f"{row['id']}: VAT/GST is charged by the seller at the point of sale")
            elif number:
                mode = "sale"
                self._note(
                    f"{row['id']}: VAT collected at sale under {method.upper()} ({number}); "
                    "no import VAT at the border"
                )
            else:
                self._note(
                    f"{row['id']}: no {method.upper()} number — import VAT is collected at the "
                    "border (the carrier may add a fee)"
                )
        return mode


def quote(
    order: QuoteOrder,
    destination: str,
    on: date,
    rules: Sequence[Row] | None = None,
    mfn: Sequence[Row] | None = None,
    fx: Sequence[Row] | None = None,
) -> Quote:
    """The DDP landed cost of ``order`` delivered to ``destination`` on ``on``, from the rule
    tables given (default: the shipped CSVs, loaded once)."""
    tables = (
        shipped_rules() if rules is None else rules,
        shipped_mfn() if mfn is None else mfn,
        shipped_fx() if fx is None else fx,
    )
    engine = _Engine(order, destination, on, tables)
    duty_exempt = engine.duties()
    vat_exempt = engine.vat()
    engine.fees()
    mode = engine.collection()
    lines = engine.c.lines
    vat_total = sum((li.vat for li in lines), ZERO)
    if not vat_total:
        mode = "none"
    if order.voec_number and not any("VOEC" in d for d in engine.decisions):
        engine.decisions.append(f"VOEC number {order.voec_number} carried (no VOEC rule applies)")

    def total(attr: str) -> Decimal:
        return sum((getattr(li, attr) for li in lines), ZERO)

    return Quote(
        currency=engine.c.currency,
        destination=engine.c.destination,
        on=on,
        minor_units=engine.c.minor_units,
        goods=total("goods"),
        freight=total("freight"),
        insurance=total("insurance"),
        duty=total("duty"),
        vat=vat_total,
        fees=total("fees"),
        total=total("total"),
        de_minimis_applied=duty_exempt or vat_exempt,
        vat_collection=mode,
        rules=list(engine.used),
        fx=engine.main_fx.as_dict(),
        fx_used=[use.as_dict() for use in engine.fx.used.values()],
        lines=lines,
        decisions=engine.decisions,
        ioss_number=order.ioss_number,
        voec_number=order.voec_number,
    )


def order_from_json(doc: dict[str, Any]) -> tuple[QuoteOrder, list[Row] | None]:
    """The CLI/API input as a :class:`QuoteOrder`, plus the caller's own dated FX rates when it
    gives ``fx_rates`` (``[{"base", "quote", "rate", "date", "source"}]``) — then only those are
    used (inverted or crossed through USD as needed), never the shipped sample."""
    if not isinstance(doc, dict):
        raise QuoteError("order", "must be a JSON object")
    raw_lines = doc.get("lines")
    if not isinstance(raw_lines, list):
        raise QuoteError("lines", "must be a list")
    lines = []
    for i, raw in enumerate(raw_lines):
        if not isinstance(raw, dict):
            raise QuoteError(f"lines[{i}]", "must be an object")
        lines.append(
            QuoteLine(
                sku=str(raw.get("sku", "")),
                qty=_money_in(raw.get("qty", 1), f"lines[{i}].qty", positive=True),
                unit_price=_money_in(raw.get("unit_price"), f"lines[{i}].unit_price"),
                hs_code=str(raw.get("hs_code", "")),
                origin=str(raw.get("origin", "")),
                description=str(raw.get("description", "")),
            )
        )
    order = QuoteOrder(
        currency=str(doc.get("currency", "")),
        freight=_money_in(doc.get("freight", "0"), "freight"),
        insurance=_money_in(doc.get("insurance", "0"), "insurance"),
        lines=lines,
        channel=str(doc.get("channel", "courier")),
        ioss_number=doc.get("ioss_number"),
        voec_number=doc.get("voec_number"),
    )
    given = doc.get("fx_rates")
    if given is None:
        return order, None
    rows = []
    for i, fx in enumerate(given if isinstance(given, list) else [None]):
        where = f"fx_rates[{i}]"
        if not isinstance(fx, dict):
            raise QuoteError(where, "must be an object with base, quote, rate, date, source")
        try:
            day = date.fromisoformat(str(fx.get("date")))
        except ValueError:
            raise QuoteError(f"{where}.date", "is not an ISO date") from None
        for key in ("base", "quote"):
            if not _is_code(fx.get(key), 3):
                raise QuoteError(f"{where}.{key}", "is not an ISO 4217 code")
        rate = _money_in(fx.get("rate"), f"{where}.rate", positive=True)
        values = {
            "date": day.isoformat(),
            "base": fx["base"],
            "quote": fx["quote"],
            "rate": str(rate),
            "effective_from": day.isoformat(),
            "effective_to": "",
            "source": str(fx.get("source") or "given with the request"),
        }
        rows.append(Row(values, day, None, values["source"], 0))
    return order, rows

"""The landed-cost engine: which rule rows apply to an order and what they charge.

The steps of a quote (market and FX, duty, VAT, fees, how VAT is collected) are described in
:mod:`cbec.tax.landed`; every decision is noted in plain words beside the figures, and every
error names the offending field (``destination``, ``lines[1].qty``, ``rules``) rather than
returning a silent zero.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cbec import ruledata
from cbec.ruledata import Row
from cbec.tax.errors import QuoteError
from cbec.tax.landed.fx import FxTable
from cbec.tax.landed.inputs import QuoteOrder, check_order, convert_line
from cbec.tax.landed.money import ZERO, allocate, money_in, pct, round_to
from cbec.tax.landed.result import LineQuote, Quote
from cbec.tax.landed.rules import rule_id, shipped_fx, shipped_mfn, shipped_rules

DEFAULT_MINOR_UNITS = 2  # for a threshold currency no market row names (ISO 4217's usual 2)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


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
        self.fx = FxTable(fx_rows, on)
        self.decisions: list[str] = []
        self.noted: set[str] = set()
        self.used: list[str] = []
        self.c = self._consignment(order, destination)

    # ---- set-up

    def _consignment(self, order: QuoteOrder, destination: str) -> _Consignment:
        market = self._market(destination)
        check_order(order)
        currency, units = market["currency"], int(market["minor_units"])
        self.main_fx = main = self.fx.rate(order.currency, currency)
        if main.rule != "identity":
            self.decisions.append(
                f"FX: 1 {order.currency} = {main.rate} {currency} ({main.rule}, dated {main.date})"
            )
        lines = [convert_line(i, line, main.rate, units) for i, line in enumerate(order.lines)]
        freight = money_in(order.freight, "freight")
        insurance = money_in(order.insurance, "insurance")
        weights = [line.goods for line in lines]
        freights = allocate(round_to(freight * main.rate, units), weights, units)
        insurances = allocate(round_to(insurance * main.rate, units), weights, units)
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
        return round_to(raw * fx.rate, self._minor_units(currency)), currency

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
        return round_to(value * fx.rate, self.c.minor_units)

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
                line.duty = round_to(line.customs_value * rate, units)
                via = f" ({rule_id(source)})" if source is not row else ""
                self._note(
                    f"lines[{line.index}] duty: {row['id']} {pct(rate)}{via} of {row['basis']} "
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
        total = max(ZERO, round_to(sum(bases, ZERO) * rate - deduction, units))
        for line, share in zip(lines, allocate(total, bases, units), strict=True):
            line.duty, line.duty_rate = share, rate
        self._note(
            f"{row['id']}: {pct(rate)} of {row['basis']} {sum(bases, ZERO)} − {deduction} "
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
            line.vat = round_to(tax, self.c.minor_units)
            how = "grossed up (price_incl)" if row["basis"] == "price_incl" else row["basis"]
            self._note(
                f"lines[{line.index}] VAT: {row['id']} {pct(rate)} on {how} {line.vat_base} "
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
                total = round_to(base * (row.decimal("rate") or ZERO), units)
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
    tables given (default: the shipped CSVs, loaded once).

    The inputs are bounded (:func:`cbec.tax.landed.inputs.check_order`) so the arithmetic fits
    Python's decimal context; should a caller's own rates still push a figure past it, the
    quote is refused as a :class:`QuoteError` on ``order`` instead of failing half-way."""
    try:
        return _quote(order, destination, on, rules, mfn, fx)
    except decimal.DecimalException as exc:
        detail = f"the amounts are too large to compute exactly ({type(exc).__name__})"
        raise QuoteError("order", detail) from None


def _quote(
    order: QuoteOrder,
    destination: str,
    on: date,
    rules: Sequence[Row] | None,
    mfn: Sequence[Row] | None,
    fx: Sequence[Row] | None,
) -> Quote:
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

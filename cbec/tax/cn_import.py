"""China CBEC retail-import tax (跨境电子商务零售进口税收政策) for one order.

The policy parameters — limits, the 0 % duty, the 70 % factor, the single-item rule, the
return window — come from ``data/cn_cbec_policy.csv`` by the order's date; the statutory
rates of each line (duty, VAT, consumption tax) are inputs, as they belong to the goods.

How the rules are read (财关税〔2016〕18号 as amended by 财关税〔2018〕49号):

* The dutiable value (完税价格) of the order is the retail price of the goods plus freight
  and insurance; freight and insurance are shared among the lines by goods value (the last
  line takes the remainder, so the shares add up to the fen).
* **CBEC regime** when the dutiable value is within the single-transaction limit and the
  buyer's annual total, this order included, stays within the annual limit: duty at the CBEC
  rate (0 %), VAT and consumption tax at 70 % of the statutory amount. With statutory duty 0
  the statutory CT is V·c/(1−c) (CT is levied on a base grossed up by its own rate) and VAT
  is (V + CT)·v = V·v/(1−c); so the tax is V·(c + v)/(1 − c)·70 %.
* **Single indivisible item over the single limit** (one line, quantity 1) while the annual
  total stays within its limit: may still enter as CBEC retail import, taxed in full at
  general-trade rates — duty V·d, CT (V + D)·c/(1 − c), VAT (V + D + CT)·v — and counts
  toward the annual total (from 2019; before, such an item was general trade only).
* **Over the annual limit** with this order: taxed in full at general-trade rates and counted
  toward the annual total; 49号 says such trade "应按一般贸易管理", so it is reported as not
  eligible for the CBEC channel.
* **Several items over the single limit**: not a CBEC retail import (split the order, or
  import it under general trade); general-trade tax shown for reference, not counted.

Rounding: every tax of every line is rounded to the fen (0.01), half up; the order's totals
are sums of the rounded lines, so lines always add up to the total and ``taxTotal`` on the
CEB311 equals the sum of what each line shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from cbec import ruledata

POLICY = Path(__file__).with_name("data") / "cn_cbec_policy.csv"
FEN = Decimal("0.01")
ZERO = Decimal(0)
# Inputs are refused beyond 10^±12 (a trillion yuan; a 10^-12 rate): products of two such
# numbers rounded to the fen still fit the 28 digits of Decimal arithmetic.
MAX_EXPONENT = 12


@dataclass(frozen=True)
class Line:
    sku: str
    qty: Decimal
    unit_price: Decimal  # RMB, per unit, as sold
    vat_rate: Decimal  # statutory import VAT rate of the goods, e.g. 0.13
    ct_rate: Decimal = ZERO  # statutory consumption tax rate (ad valorem), e.g. 0.15
    duty_rate: Decimal = ZERO  # general-trade import duty rate (MFN), e.g. 0.10


@dataclass(frozen=True)
class Order:
    on: date  # the date the tax is assessed for (the declaration date)
    lines: Sequence[Line]
    freight: Decimal = ZERO
    insurance: Decimal = ZERO
    annual_used: Decimal = ZERO  # the buyer's CBEC total so far this calendar year
    buyer_id_hash: str | None = None  # carried, never needed for the arithmetic


@dataclass(frozen=True)
class LineTax:
    sku: str
    goods: Decimal
    freight: Decimal
    insurance: Decimal
    taxable_value: Decimal
    duty: Decimal
    vat: Decimal
    consumption_tax: Decimal
    total: Decimal
    rates: dict[str, Decimal]  # statutory rates and the rate actually applied to the value


@dataclass(frozen=True)
class Assessment:
    regime: str  # "cbec" or "general_trade"
    cbec_eligible: bool  # may this order enter through the CBEC retail-import channel?
    counts_toward_annual: bool
    dutiable_value: Decimal
    annual_used: Decimal
    annual_after: Decimal
    duty: Decimal
    vat: Decimal
    consumption_tax: Decimal
    total_tax: Decimal
    lines: list[LineTax]
    rules: list[str]
    reasons: list[str] = field(default_factory=list)

    @property
    def tax_total(self) -> Decimal:
        """The ``taxTotal`` to declare on CEB311 (and to withhold from the buyer)."""
        return self.total_tax

    def as_dict(self) -> dict[str, Any]:
        def money(d: Decimal) -> str:
            return f"{d:.2f}"

        return {
            "regime": self.regime,
            "cbec_eligible": self.cbec_eligible,
            "counts_toward_annual": self.counts_toward_annual,
            "dutiable_value": money(self.dutiable_value),
            "annual_used": money(self.annual_used),
            "annual_after": money(self.annual_after),
            "duty": money(self.duty),
            "vat": money(self.vat),
            "consumption_tax": money(self.consumption_tax),
            "total_tax": money(self.total_tax),
            "tax_total_ceb311": money(self.tax_total),
            "currency": "CNY",
            "lines": [
                {
                    "sku": t.sku,
                    "goods": money(t.goods),
                    "freight": money(t.freight),
                    "insurance": money(t.insurance),
                    "taxable_value": money(t.taxable_value),
                    "duty": money(t.duty),
                    "vat": money(t.vat),
                    "consumption_tax": money(t.consumption_tax),
                    "total": money(t.total),
                    "rates": {k: str(v.normalize()) for k, v in t.rates.items()},
                }
                for t in self.lines
            ],
            "rules": self.rules,
            "reasons": self.reasons,
        }


@cache
def _policy_rows(path: Path = POLICY) -> tuple[ruledata.Row, ...]:
    return tuple(ruledata.load(path, required=("id", "parameter", "value")))


@dataclass(frozen=True)
class Policy:
    """The parameters in force on one date, each with the id of the row it came from."""

    values: dict[str, str]
    ids: dict[str, str]

    @classmethod
    def on(cls, day: date, rows: Sequence[ruledata.Row] | None = None) -> Policy:
        rows = rows if rows is not None else _policy_rows()
        found = ruledata.in_force(rows, day)
        if not found:
            raise LookupError(f"no China CBEC import tax policy is in force on {day}")
        return cls(
            {r["parameter"]: r["value"] for r in found}, {r["parameter"]: r["id"] for r in found}
        )

    def dec(self, name: str) -> Decimal:
        return Decimal(self.values[name])

    def flag(self, name: str) -> bool:
        return self.values[name].lower() == "true"


def _round(x: Decimal) -> Decimal:
    return x.quantize(FEN, rounding=ROUND_HALF_UP)


def _shares(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``total`` split by ``weights`` to the fen; the last share takes the remainder."""
    whole = sum(weights, ZERO)
    if not weights or total == 0:
        return [ZERO] * len(weights)
    if whole == 0:
        weights, whole = [Decimal(1)] * len(weights), Decimal(len(weights))
    out = [_round(total * w / whole) for w in weights[:-1]]
    return [*out, total - sum(out, ZERO)]


def _general(value: Decimal, line: Line) -> tuple[Decimal, Decimal, Decimal]:
    duty = value * line.duty_rate
    ct = (value + duty) * line.ct_rate / (1 - line.ct_rate)
    vat = (value + duty + ct) * line.vat_rate
    return duty, vat, ct


def _cbec(value: Decimal, line: Line, duty_rate: Decimal, factor: Decimal):
    duty = value * duty_rate
    ct = (value + duty) * line.ct_rate / (1 - line.ct_rate)
    vat = (value + duty + ct) * line.vat_rate
    return duty, vat * factor, ct * factor


def _check(order: Order) -> None:
    if not order.lines:
        raise ValueError("lines: an order needs at least one line")
    for name in ("freight", "insurance", "annual_used"):
        if getattr(order, name) < 0:
            raise ValueError(f"{name}: must not be negative")
    for i, line in enumerate(order.lines):
        if line.qty <= 0:
            raise ValueError(f"lines[{i}].qty: must be more than 0")
        if line.unit_price < 0:
            raise ValueError(f"lines[{i}].unit_price: must not be negative")
        for rate in ("vat_rate", "ct_rate", "duty_rate"):
            if not 0 <= getattr(line, rate) < 1:
                raise ValueError(f"lines[{i}].{rate}: must be at least 0 and below 1")


def assess(order: Order, policy: Policy | None = None) -> Assessment:
    """The tax of ``order`` and the regime it falls under (see the module docstring)."""
    _check(order)
    policy = policy or Policy.on(order.on)
    per_txn, annual = policy.dec("per_transaction_limit"), policy.dec("annual_limit")
    goods = [line.qty * line.unit_price for line in order.lines]
    freight = _shares(order.freight, goods)
    insurance = _shares(order.insurance, goods)
    values = [g + f + i for g, f, i in zip(goods, freight, insurance, strict=True)]
    dutiable = sum(values, ZERO)
    after = order.annual_used + dutiable
    single_item = len(order.lines) == 1 and order.lines[0].qty == 1
    rules = [policy.ids["per_transaction_limit"], policy.ids["annual_limit"]]
    reasons = []
    if dutiable <= per_txn and after <= annual:
        regime, eligible, counted = "cbec", True, True
        rules += [policy.ids["cbec_duty_rate"], policy.ids["cbec_vat_ct_factor"]]
        reasons.append(
            f"dutiable value {_round(dutiable)} ≤ single limit {per_txn} and annual total "
            f"{_round(after)} ≤ {annual}: CBEC rates (duty {policy.values['cbec_duty_rate']}, "
            f"VAT and CT × {policy.values['cbec_vat_ct_factor']})"
        )
    elif after > annual:
        regime, eligible, counted = "general_trade", False, True
        reasons.append(
            f"annual total with this order {_round(after)} > annual limit {annual}: taxed in full "
            "at general-trade rates, counted toward the annual total, managed as general trade"
        )
    elif single_item and policy.flag("single_item_over_limit_cbec"):
        regime, eligible, counted = "general_trade", True, True
        rules.append(policy.ids["single_item_over_limit_cbec"])
        reasons.append(
            f"one indivisible item with dutiable value {_round(dutiable)} > single limit "
            f"{per_txn}: may enter as CBEC, taxed in full at general-trade rates, counted "
            "toward the annual total"
        )
    else:
        regime, eligible, counted = "general_trade", False, False
        reasons.append(
            f"dutiable value {_round(dutiable)} > single limit {per_txn} with more than one "
            "item: not a CBEC retail import — split the order or import it as general trade "
            "(general-trade tax shown for reference, not counted)"
        )
    factor = policy.dec("cbec_vat_ct_factor")
    duty_rate = policy.dec("cbec_duty_rate")
    taxes = []
    for line, g, f, i, v in zip(order.lines, goods, freight, insurance, values, strict=True):
        if regime == "cbec":
            duty, vat, ct = _cbec(v, line, duty_rate, factor)
            applied = (line.ct_rate + line.vat_rate) / (1 - line.ct_rate) * factor
        else:
            duty, vat, ct = _general(v, line)
            applied = None
        duty, vat, ct = _round(duty), _round(vat), _round(ct)
        rates = {"duty": line.duty_rate, "vat": line.vat_rate, "ct": line.ct_rate}
        if applied is not None:
            rates["cbec_combined"] = applied.quantize(Decimal("0.000001"))
        taxes.append(LineTax(line.sku, g, f, i, v, duty, vat, ct, duty + vat + ct, rates))
    total = {
        k: sum((getattr(t, k) for t in taxes), ZERO) for k in ("duty", "vat", "consumption_tax")
    }
    return Assessment(
        regime=regime,
        cbec_eligible=eligible,
        counts_toward_annual=counted,
        dutiable_value=dutiable,
        annual_used=order.annual_used,
        annual_after=after if counted else order.annual_used,
        duty=total["duty"],
        vat=total["vat"],
        consumption_tax=total["consumption_tax"],
        total_tax=total["duty"] + total["vat"] + total["consumption_tax"],
        lines=taxes,
        rules=rules,
        reasons=reasons,
    )


def order_from_json(doc: dict[str, Any]) -> Order:
    """The CLI/API input (amounts as strings, RMB) as an :class:`Order`; errors name the field."""

    def dec(value: Any, where: str) -> Decimal:
        if isinstance(value, float):
            raise ValueError(f"{where}: give amounts as strings or integers, not floats")
        if isinstance(value, bool | dict | list):
            raise ValueError(f"{where}: must be a number")
        try:
            number = Decimal(str(value))
        except Exception:
            raise ValueError(f"{where}: {str(value)[:40]!r} is not a number") from None
        # NaN, sNaN and infinities are not amounts; nor is an exponent no amount can have
        # (it would only fail later, deep in the arithmetic)
        if not number.is_finite() or abs(number.adjusted()) > MAX_EXPONENT:
            raise ValueError(f"{where}: must be a finite number of sensible size")
        return number

    if not isinstance(doc, dict):
        raise ValueError("order: must be a JSON object")
    raw_lines = doc.get("lines") or []
    if not isinstance(raw_lines, list) or not all(isinstance(r, dict) for r in raw_lines):
        raise ValueError("lines: must be a list of objects")
    try:
        on = date.fromisoformat(str(doc["date"]))
    except KeyError:
        raise ValueError("date: is required (YYYY-MM-DD)") from None
    except ValueError:
        raise ValueError(f"date: {doc['date']!r} is not an ISO date") from None
    lines = []
    for i, raw in enumerate(raw_lines):
        where = f"lines[{i}]"
        lines.append(
            Line(
                sku=str(raw.get("sku", "")),
                qty=dec(raw.get("qty", 1), f"{where}.qty"),
                unit_price=dec(raw.get("unit_price"), f"{where}.unit_price"),
                vat_rate=dec(raw.get("vat_rate", "0.13"), f"{where}.vat_rate"),
                ct_rate=dec(raw.get("ct_rate", "0"), f"{where}.ct_rate"),
                duty_rate=dec(raw.get("duty_rate", "0"), f"{where}.duty_rate"),
            )
        )
    return Order(
        on=on,
        lines=lines,
        freight=dec(doc.get("freight", "0"), "freight"),
        insurance=dec(doc.get("insurance", "0"), "insurance"),
        annual_used=dec(doc.get("annual_used", "0"), "annual_used"),
        buyer_id_hash=doc.get("buyer_id_hash"),
    )

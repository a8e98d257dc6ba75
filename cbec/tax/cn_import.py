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
from cbec.tax.errors import NoPolicy, TaxInputError
from cbec.trade.types import MAX_AMOUNT

POLICY = Path(__file__).with_name("data") / "cn_cbec_policy.csv"
FEN = Decimal("0.01")
ZERO = Decimal(0)
MAX_QTY = Decimal(10_000_000)  # the bound of a line quantity (cbec.trade.types.Quantity)


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
    def on(
        cls, day: date, rows: Sequence[ruledata.Row] | None = None, *, field: str = "date"
    ) -> Policy:
        """The policy in force on ``day``; :class:`NoPolicy` naming ``field`` when none is."""
        rows = rows if rows is not None else _policy_rows()
        found = ruledata.in_force(rows, day)
        if not found:
            raise NoPolicy(field, f"no China CBEC import tax policy is in force on {day}")
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


def _amount(value: Decimal, field: str, limit: Decimal = MAX_AMOUNT) -> None:
    """A finite, non-negative amount within what customs can declare (N19,5: 14 digits)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise TaxInputError(field, "must be a finite decimal number")
    if value < 0:
        raise TaxInputError(field, "must not be negative")
    if value > limit:
        raise TaxInputError(field, f"must be at most {limit}")


def _check(order: Order) -> None:
    """The bounds the arithmetic relies on, each refused by field name (never a silent
    overflow): finite amounts within customs' N19,5, quantities above 0, rates in [0, 1)."""
    if not order.lines:
        raise TaxInputError("lines", "an order needs at least one line")
    for name in ("freight", "insurance", "annual_used"):
        _amount(getattr(order, name), name)
    for i, line in enumerate(order.lines):
        _amount(line.qty, f"lines[{i}].qty", MAX_QTY)
        if line.qty <= 0:
            raise TaxInputError(f"lines[{i}].qty", "must be more than 0")
        _amount(line.unit_price, f"lines[{i}].unit_price")
        for rate in ("vat_rate", "ct_rate", "duty_rate"):
            value = getattr(line, rate)
            if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value < 1:
                raise TaxInputError(f"lines[{i}].{rate}", "must be at least 0 and below 1")
    goods = sum((line.qty * line.unit_price for line in order.lines), ZERO)
    if goods + order.freight + order.insurance > MAX_AMOUNT:
        raise TaxInputError("lines", f"the dutiable value must be at most {MAX_AMOUNT}")


def assess(
    order: Order, policy: Policy | None = None, *, disclose_annual: bool = True
) -> Assessment:
    """The tax of ``order`` and the regime it falls under (see the module docstring).

    ``disclose_annual=False`` words the reasons without the buyer's annual total: a
    withholder charging the quota learns whether the order fits the year, not what the buyer
    bought elsewhere (README, *Tax*)."""
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
        total = f"annual total {_round(after)}" if disclose_annual else "the buyer's annual total"
        reasons.append(
            f"dutiable value {_round(dutiable)} ≤ single limit {per_txn} and {total} "
            f"≤ {annual}: CBEC rates (duty {policy.values['cbec_duty_rate']}, "
            f"VAT and CT × {policy.values['cbec_vat_ct_factor']})"
        )
    elif after > annual:
        regime, eligible, counted = "general_trade", False, True
        total = f" {_round(after)}" if disclose_annual else ""
        reasons.append(
            f"annual total with this order{total} > annual limit {annual}: taxed in full "
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

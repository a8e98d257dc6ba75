"""What a landed-cost quote answers: per line and for the consignment, in the destination
currency, every figure with the rule row it came from.

Amounts are kept as Decimal and rendered by :meth:`Quote.as_dict` as strings in the
currency's minor unit (JSON numbers would lose the exactness; RFC 8259 §6 leaves number
precision to the reader). Totals are sums of the rounded lines, so they always add up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from cbec.tax.landed.money import ZERO, quantum


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
        return format(value.quantize(quantum(self.minor_units)), "f")

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

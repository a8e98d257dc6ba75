"""Requests and results of the tax use cases (:mod:`cbec.services.tax`), as Pydantic models.

One model per input, shared by every adapter: the HTTP API validates its body against it
(OpenAPI shows it with every bound) and the command line builds the same model from its JSON
on stdin, so an order is parsed once, at the edge, the same way everywhere — then handed to
the pure cores (:mod:`cbec.tax.cn_import`, :mod:`cbec.tax.landed`) as typed dataclasses.

Bounds follow the customs formats the figures end up in: amounts are N19,5 (14 integer
digits, 5 decimals — :data:`cbec.trade.types.Money`), quantities at most 10 million, tax rates
in [0, 1) with 6 decimals; nothing may be NaN or infinite, and text carries no control
characters (:func:`cbec.trade.types.clean_text`). Results render amounts as decimal strings
in the currency's minor unit (RFC 8259 §6 leaves number precision to the reader).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from cbec.tax import landed
from cbec.tax.cn_import import Line, Order
from cbec.trade.types import Money, Quantity, Text

MAX_LINES = 1000  # lines of one order (a customs inventory list holds far fewer)
ZERO = Decimal(0)

Rate = Annotated[
    Decimal,
    Field(ge=0, lt=1, decimal_places=6, allow_inf_nan=False, description="e.g. 0.13 for 13 %"),
]
FxValue = Annotated[
    Decimal,
    Field(gt=0, le=landed.inputs.MAX_FX_RATE, decimal_places=10, allow_inf_nan=False),
]
Amount = Annotated[str, Field(description="Decimal string in the currency's minor unit")]


class _Body(BaseModel):
    """A request: unknown fields are errors; ``date`` is accepted by name or alias."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# --------------------------------------------------------------------------- China CBEC import


class CnLine(_Body):
    sku: Text(64, 0) = ""
    qty: Quantity = Decimal(1)
    unit_price: Money = Field(description="RMB per unit, as sold")
    vat_rate: Rate = Field(Decimal("0.13"), description="Statutory import VAT rate")
    ct_rate: Rate = Field(ZERO, description="Statutory consumption tax rate (ad valorem)")
    duty_rate: Rate = Field(ZERO, description="General-trade (MFN) import duty rate")


class _CnOrder(_Body):
    on: date = Field(alias="date", description="The declaration date the tax is assessed for")
    lines: list[CnLine] = Field(min_length=1, max_length=MAX_LINES)
    freight: Money = ZERO
    insurance: Money = ZERO

    def _order(self, annual_used: Decimal = ZERO, buyer_id_hash: str | None = None) -> Order:
        lines = [
            Line(li.sku, li.qty, li.unit_price, li.vat_rate, li.ct_rate, li.duty_rate)
            for li in self.lines
        ]
        return Order(
            self.on, lines, self.freight, self.insurance, annual_used, buyer_id_hash=buyer_id_hash
        )


class CnImportRequest(_CnOrder):
    """An order to assess (RMB), with the buyer's CBEC total so far this year."""

    annual_used: Money = ZERO
    buyer_id_hash: Text(128) | None = None

    def order(self) -> Order:
        return self._order(self.annual_used, self.buyer_id_hash)


class ChargeRequest(_CnOrder):
    """An order to assess against the buyer's annual quota and record (withholders). It
    names the stored order it withholds for; the buyer and the figures must be that order's."""

    order_ref: Text(180) = Field(description="Your own order reference (unique per withholder)")
    order_id: Text(32) = Field(
        description="The stored order (`id` from `POST /orders`) you are a party to: its seller, "
        "its platform, or the logistics firm of a waybill for it"
    )
    buyer_id: Text(32) = Field(description="The buyer's resident ID (GB 11643)")
    released_on: date | None = Field(None, description="Release date; default: `date`")

    def order(self) -> Order:
        return self._order()


class RefundBody(_Body):
    returned_on: date


class RefundRequest(_Body):
    order_ref: Text(180)
    returned_on: date


class CnLineTax(BaseModel):
    sku: str
    goods: Amount
    freight: Amount
    insurance: Amount
    taxable_value: Amount
    duty: Amount
    vat: Amount
    consumption_tax: Amount
    total: Amount
    rates: dict[str, str]


class _Outcome(BaseModel):
    regime: Literal["cbec", "general_trade"]
    cbec_eligible: bool
    counts_toward_annual: bool
    dutiable_value: Amount
    duty: Amount
    vat: Amount
    consumption_tax: Amount
    total_tax: Amount
    tax_total_ceb311: Amount = Field(description="The `taxTotal` to declare on CEB311")
    currency: Literal["CNY"]
    lines: list[CnLineTax]
    rules: list[str]
    reasons: list[str]


class CnAssessment(_Outcome):
    """The tax of an order under 财关税〔2016〕18号 as amended (see :mod:`cbec.tax.cn_import`)."""

    annual_used: Amount
    annual_after: Amount


class TaxCharge(_Outcome):
    """The outcome of a charge: the regime, the tax due and whether the order counts — never
    the buyer's running total, which sums orders of other withholders (README, *Tax*)."""

    order_ref: str
    order_id: str
    created: bool = Field(description="False when the same order was charged before (a retry)")


class TaxRefund(BaseModel):
    """What the refund restored of this charge (the buyer's total is not shown, as above)."""

    order_ref: str
    refunded_tax: Amount
    annual_restored: Amount
    rule: str


# --------------------------------------------------------------------------- positive list


class PositiveListQuery(_Body):
    hs_code: Text(16) = Field(description="8- or 10-digit Chinese tariff code")
    on: date | None = Field(None, alias="date", description="Default: today")
    channel: Literal["bonded", "direct"] = "direct"
    qty: Quantity = Decimal(1)


class PositiveListCondition(BaseModel):
    kind: Literal["bonded_only", "max_qty", "exclusion", "remark"]
    text: str
    met: bool | None = Field(description="None: depends on the goods; the seller confirms")


class PositiveListFinding(BaseModel):
    status: Literal["allowed", "conditions_apply", "not_on_list"]
    hs_code: str
    tariff_line: str
    date: str
    channel: Literal["bonded", "direct"]
    remarks: str
    conditions: list[PositiveListCondition]
    edition: str
    rule: str
    verified: bool
    notes: list[str]


# --------------------------------------------------------------------------- landed cost


class QuoteLineIn(_Body):
    sku: Text(64, 0) = ""
    qty: Quantity = Decimal(1)
    unit_price: Money = Field(description="In the order's currency, per unit")
    hs_code: Text(16) = Field(description="At least the 6-digit HS sub-heading")
    origin: Text(2) = Field(description="ISO 3166-1 alpha-2 country of origin")
    description: Text(500, 0) = ""


class FxRateIn(_Body):
    base: Text(3)
    quote: Text(3)
    rate: FxValue = Field(description="1 base = rate quote")
    on: date = Field(alias="date")
    source: Text(200) | None = None


class QuoteRequest(_Body):
    """An order delivered to ``destination`` on ``date``, priced in ``currency``."""

    destination: Text(2) = Field(description="ISO 3166-1 alpha-2 destination")
    on: date = Field(alias="date", description="The date of import")
    currency: Text(3) = Field(description="ISO 4217 currency of prices, freight, insurance")
    freight: Money = ZERO
    insurance: Money = ZERO
    lines: list[QuoteLineIn] = Field(min_length=1, max_length=MAX_LINES)
    channel: Literal["courier", "postal"] = "courier"
    ioss_number: Text(32) | None = None
    voec_number: Text(32) | None = None
    fx_rates: list[FxRateIn] | None = Field(
        None, max_length=100, description="Your own dated rates; then only these are used"
    )

    def order(self) -> landed.QuoteOrder:
        lines = [
            landed.QuoteLine(li.sku, li.qty, li.unit_price, li.hs_code, li.origin, li.description)
            for li in self.lines
        ]
        return landed.QuoteOrder(
            self.currency,
            self.freight,
            self.insurance,
            lines,
            self.channel,
            self.ioss_number,
            self.voec_number,
        )

    def given_rates(self) -> list[landed.GivenRate] | None:
        if self.fx_rates is None:
            return None
        return [
            landed.GivenRate(r.base, r.quote, r.rate, r.on, r.source or "given with the request")
            for r in self.fx_rates
        ]


class QuoteFx(BaseModel):
    pair: str
    rate: str
    date: str | None
    rule: str


class QuoteLineView(BaseModel):
    index: int
    sku: str
    hs_code: str
    origin: str
    goods: Amount
    freight: Amount
    insurance: Amount
    customs_value: Amount
    duty: Amount
    duty_rule: str
    duty_rate: str | None
    vat_base: Amount
    vat: Amount
    vat_rule: str
    fees: Amount
    fee_rules: list[str]
    total: Amount


class LandedQuote(BaseModel):
    """A DDP quote in the destination currency; totals are sums of the rounded lines."""

    currency: str
    destination: str
    on: str
    goods: Amount
    freight: Amount
    insurance: Amount
    duty: Amount
    vat: Amount
    fees: Amount
    total: Amount
    de_minimis_applied: bool
    vat_collection: Literal["sale", "border", "none"]
    ioss_number: str | None
    voec_number: str | None
    rules: list[str]
    fx: QuoteFx
    fx_used: list[QuoteFx]
    lines: list[QuoteLineView]
    decisions: list[str]

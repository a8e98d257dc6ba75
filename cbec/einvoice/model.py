"""The commercial invoice as EN 16931-1:2017 sees it: the business terms (BT-n) and groups
(BG-n) cbec fills, and the totals computed the way the standard's calculation rules state them.

Only the part of the semantic model a cross-border retail sale needs is modelled: seller
(BG-4), buyer (BG-7), deliver-to country (BG-15), document-level allowances and charges
(BG-20, BG-21), the VAT breakdown (BG-23), the document totals (BG-22) and the lines (BG-25).
The totals follow EN 16931-1 §6.4 (BR-CO-10 … BR-CO-17): line extension = Σ line net
amounts; tax exclusive = line extension − allowances + charges; each VAT breakdown's taxable
amount is the net of its (category, rate) and its tax that amount × rate rounded to 2 places
(BR-CO-17, rounding per category, never per line); payable = tax inclusive − prepaid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal) -> Decimal:
    """An amount at the 2 decimals EN 16931 allows for amounts (BR-DEC-*), half-up."""
    return value.quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Party:
    """Seller (BG-4) or buyer (BG-7): name, electronic address (BT-34/BT-49 with its EAS
    scheme), postal address (BG-5/BG-8, country mandatory) and identifiers."""

    name: str
    endpoint_scheme: str
    endpoint_id: str
    country: str
    street: str | None = None
    city: str | None = None
    postal_zone: str | None = None
    vat_id: str | None = None  # BT-31 / BT-48
    company_id: str | None = None  # BT-30 / BT-47 legal registration identifier


@dataclass(frozen=True)
class Tax:
    """A VAT category code (UNCL5305 subset of EN 16931) and rate in percent; categories
    other than S and Z carry an exemption reason code (VATEX) or text (BT-120/BT-121)."""

    category: str
    rate: Decimal | None  # None for 'O' (not subject to VAT: BR-O-05 forbids a rate)
    exemption_code: str | None = None
    exemption_reason: str | None = None

    @property
    def key(self) -> tuple[str, Decimal]:
        return (self.category, self.rate if self.rate is not None else ZERO)


@dataclass(frozen=True)
class Line:
    """An invoice line (BG-25): BT-126 id, BT-129 quantity with BT-130 unit (UN/ECE Rec 20),
    BT-131 net amount, BT-146 net price, BT-153 item name, BT-155 seller's item id, BT-158
    classification (HS), BT-159 country of origin."""

    id: str
    name: str
    quantity: Decimal
    unit_code: str
    price: Decimal
    net_amount: Decimal
    tax: Tax
    seller_item_id: str | None = None
    hs_code: str | None = None
    origin_country: str | None = None


@dataclass(frozen=True)
class AllowanceCharge:
    """A document-level allowance (BG-20, ``charge`` false) or charge (BG-21) with its
    reason code (UNCL5189 for allowances, UNCL7161 for charges) and VAT category."""

    charge: bool
    amount: Decimal
    reason: str
    reason_code: str
    tax: Tax


@dataclass(frozen=True)
class TaxSubtotal:
    """One VAT breakdown (BG-23): BT-116 taxable amount, BT-117 tax, BT-118/119 category."""

    taxable: Decimal
    amount: Decimal
    tax: Tax


@dataclass(frozen=True)
class Totals:
    """Document totals (BG-22), BT-106 … BT-115, and the VAT total BT-110."""

    line_extension: Decimal
    allowances: Decimal
    charges: Decimal
    tax_exclusive: Decimal
    tax: Decimal
    tax_inclusive: Decimal
    prepaid: Decimal
    payable: Decimal


@dataclass(frozen=True)
class InvoiceReference:
    """A preceding invoice (BG-3): its number (BT-25) and issue date (BT-26)."""

    number: str
    issue_date: date | None = None


@dataclass(frozen=True)
class Invoice:
    """BT-1 number, BT-2 issue date, BT-9 due date, BT-5 currency, BT-13 purchase order
    reference, BT-22 note, BT-80 deliver-to country; parties, lines, allowances/charges and
    whether the invoice is marked paid in full (BT-113 prepaid = total with VAT).

    EN 16931 calls both documents invoices: a credit note (``credit_note``, UBL's
    ``CreditNote``, type code 381) states the amounts it credits as positive numbers, the
    same totals rules hold, and it names the invoice it corrects (``preceding``, BG-3)."""

    number: str
    issue_date: date
    currency: str
    order_reference: str
    seller: Party
    buyer: Party
    lines: tuple[Line, ...]
    allowances_charges: tuple[AllowanceCharge, ...] = ()
    due_date: date | None = None
    note: str | None = None
    delivery_country: str | None = None
    paid: bool = False
    type_code: str = "380"  # UNCL1001 commercial invoice; 381 credit note
    credit_note: bool = False
    preceding: InvoiceReference | None = None

    def subtotals(self) -> list[TaxSubtotal]:
        """BG-23 per (category, rate), in order of first appearance (BR-CO-17: tax =
        taxable × rate / 100, rounded once per breakdown)."""
        taxable: dict[tuple[str, Decimal], Decimal] = {}
        taxes: dict[tuple[str, Decimal], Tax] = {}
        for line in self.lines:
            taxable[line.tax.key] = taxable.get(line.tax.key, ZERO) + line.net_amount
            taxes.setdefault(line.tax.key, line.tax)
        for ac in self.allowances_charges:
            sign = 1 if ac.charge else -1
            taxable[ac.tax.key] = taxable.get(ac.tax.key, ZERO) + sign * ac.amount
            taxes.setdefault(ac.tax.key, ac.tax)
        out = []
        for key, base in taxable.items():
            rate = key[1]
            out.append(TaxSubtotal(money(base), money(base * rate / 100), taxes[key]))
        return out

    def totals(self) -> Totals:
        """BG-22 by BR-CO-10 (Σ lines), BR-CO-11/12 (Σ allowances, charges), BR-CO-13 (tax
        exclusive), BR-CO-14 (Σ breakdown tax), BR-CO-15 (tax inclusive), BR-CO-16 (payable)."""
        lines = money(sum((line.net_amount for line in self.lines), ZERO))
        allowances = money(sum((a.amount for a in self.allowances_charges if not a.charge), ZERO))
        charges = money(sum((a.amount for a in self.allowances_charges if a.charge), ZERO))
        exclusive = lines - allowances + charges
        tax = sum((s.amount for s in self.subtotals()), ZERO)
        inclusive = exclusive + tax
        prepaid = inclusive if self.paid else ZERO
        payable = inclusive - prepaid
        return Totals(lines, allowances, charges, exclusive, tax, inclusive, prepaid, payable)

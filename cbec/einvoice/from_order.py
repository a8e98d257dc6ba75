"""The invoice of a cbec order (:class:`cbec.trade.order.Order`), completed by typed terms.

An order carries the sale (lines, currency, freight, discount, buyer, destination) but not
what EN 16931 and Peppol BIS Billing 3.0 make mandatory beyond it: the seller's legal name,
address and VAT identifier (BT-27, BG-5, BT-31), both parties' electronic addresses (BT-34,
BT-49; PEPPOL-EN16931-R020/R010) and the VAT category and rate (BT-151/152). Those come from
:class:`InvoiceTerms`; a term a chosen category needs and the request lacks is refused
naming its field (``DocumentInvalid``), before any XML is written.

VAT: with no category given, an order with an IOSS number (the seller collects the
destination's VAT at sale, Council Directive (EU) 2017/2455) is standard-rated (``S``) at
the destination's standard rate in force on the order's date, read from the tax rule table
(``cbec/tax/data/dest_rules.csv``, kind ``vat``); any other order is an export outside the EU
(``G``, exemption code ``VATEX-EU-G``). Freight is a document-level charge (UNCL7161 ``FC``)
and the discount an allowance (UNCL5189 ``95``), both in the lines' category. The order's
``tax_withheld`` (import duty and tax collected for customs) is not the seller's VAT and is
not invoiced.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cbec.einvoice.model import ZERO, AllowanceCharge, Invoice, Line, Party, Tax, money
from cbec.errors import DocumentInvalid, Violation

Category = Literal["S", "Z", "E", "G", "O"]
EXEMPTION = {"G": "VATEX-EU-G", "O": "VATEX-EU-O"}  # CEF VATEX code list
NEEDS_SELLER_VAT = ("S", "Z", "E", "G")  # BR-S-02, BR-Z-02, BR-E-02, BR-G-02


class Endpoint(BaseModel):
    """An electronic address: its scheme from the CEF EAS code list (``0088`` GLN, ``EM``
    e-mail, ``9930`` German VAT …) and the identifier."""

    model_config = ConfigDict(extra="forbid")
    scheme: Annotated[str, Field(pattern=r"^[0-9A-Z]{2,4}$")]
    id: Annotated[str, Field(min_length=1, max_length=200)]


class SellerTerms(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(min_length=1, max_length=200)]
    endpoint: Endpoint
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None  # default: origin
    street: Annotated[str, Field(max_length=200)] | None = None
    city: Annotated[str, Field(max_length=100)] | None = None
    postal_zone: Annotated[str, Field(max_length=20)] | None = None
    vat_id: Annotated[str, Field(pattern=r"^[A-Z]{2}[0-9A-Za-z+*.]{2,30}$")] | None = None
    company_id: Annotated[str, Field(max_length=100)] | None = None


class InvoiceTerms(BaseModel):
    """What an invoice needs beyond its order (EN 16931 terms cbec orders do not carry)."""

    model_config = ConfigDict(extra="forbid")
    seller: SellerTerms
    buyer_endpoint: Endpoint | None = None
    invoice_number: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    issue_date: date | None = None  # default: the order's date
    due_date: date | None = None
    paid: bool = True
    vat_category: Category | None = None
    vat_rate: Annotated[Decimal, Field(ge=0, le=100)] | None = None
    exemption_reason: Annotated[str, Field(max_length=300)] | None = None
    unit_code: Annotated[str, Field(pattern=r"^[0-9A-Z]{2,3}$")] = "H87"  # Rec 20: piece


def _standard_rate(country: str, on: date, rows: list[Any]) -> Decimal | None:
    for row in rows:
        vat = row["country"] == country and row["kind"] == "vat" and row["method"] == "ad_valorem"
        current = row.effective_from <= on and (row.effective_to is None or on <= row.effective_to)
        if vat and current:
            rate = row.decimal("rate")
            return rate * 100 if rate is not None else None
    return None


def _tax(order: dict[str, Any], terms: InvoiceTerms, on: date, rows: list[Any]) -> Tax:
    category = terms.vat_category or ("S" if order.get("ioss_number") else "G")
    bad: list[Violation] = []
    if category in NEEDS_SELLER_VAT and terms.seller.vat_id is None:
        bad.append(
            Violation("seller.vat_id", "einvoice_term_required", {"rule": f"BR-{category}-02"})
        )
    if terms.seller.vat_id is None and terms.seller.company_id is None:
        bad.append(Violation("seller.company_id", "einvoice_term_required", {"rule": "BR-CO-26"}))
    if category == "O":
        if terms.seller.vat_id is not None:
            bad.append(Violation("seller.vat_id", "einvoice_term_forbidden", {"rule": "BR-O-02"}))
        rate = None
    elif category == "S":
        rate = terms.vat_rate
        if rate is None:
            rate = _standard_rate(order["destination_country"], on, rows)
        if rate is None or rate == 0:
            bad.append(Violation("vat_rate", "einvoice_term_required", {"rule": "BR-S-05"}))
    else:
        rate = ZERO
        if terms.vat_rate not in (None, ZERO):
            bad.append(
                Violation("vat_rate", "einvoice_term_forbidden", {"rule": f"BR-{category}-05"})
            )
    if category == "E" and terms.exemption_reason is None:
        bad.append(Violation("exemption_reason", "einvoice_term_required", {"rule": "BR-E-10"}))
    if bad:
        raise DocumentInvalid(bad)
    reason = terms.exemption_reason if category == "E" else None
    return Tax(category, rate, EXEMPTION.get(category), reason)


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def invoice_of(
    order: dict[str, Any], terms: InvoiceTerms, vat_rules: list[Any] | None = None
) -> Invoice:
    """The invoice of ``order`` (a stored order's body, as filed) under ``terms``; the VAT
    rules are :func:`cbec.tax.landed.rules.shipped_rules` unless given."""
    if vat_rules is None:
        from cbec.tax.landed.rules import shipped_rules

        vat_rules = shipped_rules()
    ordered = date.fromisoformat(str(order["ordered_at"])[:10])
    issued = terms.issue_date or ordered
    missing = []
    if terms.buyer_endpoint is None:
        missing.append(
            Violation("buyer_endpoint", "einvoice_term_required", {"rule": "PEPPOL-EN16931-R010"})
        )
    if not terms.paid and terms.due_date is None:
        missing.append(Violation("due_date", "einvoice_term_required", {"rule": "BR-CO-25"}))
    if terms.due_date is not None and terms.due_date < issued:
        missing.append(Violation("due_date", "einvoice_due_before_issue"))
    tax = _tax(order, terms, ordered, vat_rules)
    if missing or terms.buyer_endpoint is None:
        raise DocumentInvalid(missing)
    s = terms.seller
    seller = Party(
        name=s.name,
        endpoint_scheme=s.endpoint.scheme,
        endpoint_id=s.endpoint.id,
        country=s.country or order["origin_country"],
        street=s.street,
        city=s.city,
        postal_zone=s.postal_zone,
        vat_id=s.vat_id,
        company_id=s.company_id,
    )
    buyer = Party(
        name=order["buyer"]["name"],
        endpoint_scheme=terms.buyer_endpoint.scheme,
        endpoint_id=terms.buyer_endpoint.id,
        country=order["destination_country"],
        street=order["consignee"]["address"],
    )
    lines = tuple(
        Line(
            id=str(line["line_no"]),
            name=line["name"],
            quantity=_dec(line["qty"]),
            unit_code=terms.unit_code,
            price=_dec(line["unit_price"]),
            net_amount=money(_dec(line["line_total"])),
            tax=tax,
            seller_item_id=line["sku"],
            hs_code=line.get("hs_code"),
            origin_country=line.get("origin_country"),
        )
        for line in order["lines"]
    )
    acs = []
    if _dec(order["freight"]) != 0:
        acs.append(AllowanceCharge(True, money(_dec(order["freight"])), "Freight", "FC", tax))
    if _dec(order["discount"]) != 0:
        acs.append(AllowanceCharge(False, money(_dec(order["discount"])), "Discount", "95", tax))
    return Invoice(
        number=terms.invoice_number or f"INV-{order['order_no']}",
        issue_date=issued,
        currency=order["currency"],
        order_reference=order["order_no"],
        seller=seller,
        buyer=buyer,
        lines=lines,
        allowances_charges=tuple(acs),
        due_date=terms.due_date,
        delivery_country=order["destination_country"],
        paid=terms.paid,
    )
